"""Broadcasts: an administrator's message, previewed, sent on confirmation, then reported."""
