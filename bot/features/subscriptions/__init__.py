"""Subscriptions: which reminders reach a chat."""
