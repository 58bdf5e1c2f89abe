"""Rendering: turning the core's facts into catalog messages in the reader's language."""
