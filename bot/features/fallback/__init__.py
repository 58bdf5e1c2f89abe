"""What the bot says when nothing else understood the update."""
