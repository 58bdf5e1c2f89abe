"""Logging that never shows the bot token.

httpx logs every request URL at INFO, and a Bot API URL carries the token, so its
logger is held at WARNING; a filter also masks the token in any record that still
carries it (an exception message that quotes a URL, say).
"""

from __future__ import annotations

import logging

MASK = "<BOT_TOKEN>"


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
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
