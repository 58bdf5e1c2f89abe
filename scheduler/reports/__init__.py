"""Reports on the plan's execution: per-agency items, their states and the weekly digest's timing.

Telegram-free: the numbers and the rows that the bot renders as a message, a chart, a
spreadsheet or a calendar.
"""
