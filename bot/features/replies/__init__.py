"""Replies to the bot's messages: a status, a prompt's answer, an interim report."""
