"""Telegram-free core of Eskertu: the plan, the working calendar, storage and the use cases."""
