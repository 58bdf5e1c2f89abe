"""Deadline extensions in chat: /extend, the button under a reminder, the controller's answer."""
