"""The reminder engine's planning half: which reminders are due now, and for whom."""
