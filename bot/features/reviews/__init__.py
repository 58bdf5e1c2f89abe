"""Acceptance in chat: a report of done shown to its controllers, accepted or returned."""
