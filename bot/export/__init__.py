"""The reports as things to send: the summary message, a chart, spreadsheets and a calendar.

Each writer takes a report from ``scheduler.usecases.plan_reports`` and a translator and returns
text or bytes; none of them talks to Telegram.
"""
