"""The Telegram side of delivery: sending a rendered message through python-telegram-bot."""
