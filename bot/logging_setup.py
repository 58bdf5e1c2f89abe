"""Logging that never shows the bot token, and the bot's own lines without the libraries'.

httpx logs every request URL at INFO, and a Bot API URL carries the token, so its
logger is held at WARNING; a filter also masks the token in any record that still
carries it (an exception message that quotes a URL, say). The bot's own loggers log at
LOG_LEVEL; the libraries' (APScheduler's line for every tick, Alembic's for every
migration it checks, PTB's) only from WARNING unless LOG_LEVEL is DEBUG.
"""

from __future__ import annotations

import logging

MASK = "<BOT_TOKEN>"
# The loggers of this project; every other one belongs to a library.
OWN_LOGGERS = ("eskertu", "scheduler", "bot", "sandbox")
# Loggers that would show the token: never below WARNING.
TOKEN_LOGGERS = ("httpx", "httpcore")


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        text = message
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            exc_text = record.exc_text
            for secret in self._secrets:
                exc_text = exc_text.replace(secret, MASK)
            record.exc_text = exc_text
        if text != message:
            record.msg, record.args = text, None
        return True


def configure_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    numeric = logging.getLevelNamesMapping()[level]
    root.setLevel(numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING))
    for own in OWN_LOGGERS:
        logging.getLogger(own).setLevel(numeric)
    for noisy in TOKEN_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
