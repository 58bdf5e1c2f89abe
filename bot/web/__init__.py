"""What the bot's web apps share: server-rendered pages in the reader's language, static files."""
