"""The bot's web apps and what they share: server-rendered pages in the reader's language,
static files, the check of Telegram's Mini App initData, and the dashboard."""
