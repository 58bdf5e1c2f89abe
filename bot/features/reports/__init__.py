"""Reports in chat: /report (a summary, a chart, a spreadsheet) and /ics (a calendar file)."""
