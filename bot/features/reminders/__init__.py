"""Reminders as their readers see them: a reminder, an overdue nudge, an escalation."""
