"""Status reports in chat: answer buttons, replies to reminders, /done and /status, undo."""
