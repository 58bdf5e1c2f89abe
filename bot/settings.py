"""Settings read from the environment and from ``.env``, validated with pydantic-settings.

Nothing here runs at import time: the composition root calls :func:`load_settings`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from scheduler.progress import ControlPolicy
from scheduler.reminders.policy import ReminderPolicy
from scheduler.workdays import ShiftRule

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/eskertu.sqlite3"
SUPPORTED_LANGUAGES = ("kk", "ru", "en")
DIGEST_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIGEST_WEEKDAY_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
# Telegram's rule for the secret it echoes in X-Telegram-Bot-Api-Secret-Token.
WEBHOOK_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# A plain-HTTP webhook is only for a Bot API server on the same machine.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Paths the webhook listener serves itself; the webhook cannot take one of them.
RESERVED_PATHS = ("/healthz", "/metrics")
# Where the webhook listener serves the dashboard (bot.web.dashboard.app.DASHBOARD_PATH).
DASHBOARD_PREFIX = "/app"


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line meant for the operator."""


class Settings(BaseSettings):
    """Every setting of the bot. `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    plan_path: Path = Path("data/plan.json")
    timezone: str = "Asia/Almaty"
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_language: Literal["kk", "ru", "en"] = "kk"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    working_day_rule: ShiftRule = ShiftRule.BACKWARD
    reminder_offsets: Annotated[tuple[int, ...], NoDecode] = (10, 5, 3, 1, 0)
    reminder_time: dt.time = dt.time(9, 0)
    working_hours_end: dt.time = dt.time(18, 0)
    escalate_after: int = Field(default=5, ge=1, le=60)
    reminder_grace: Annotated[dt.timedelta | None, NoDecode] = None
    tick_seconds: int = Field(default=30, ge=30, le=60)
    digest_weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "fri"
    digest_time: dt.time = dt.time(16, 0)
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0:8080"
    webapp_url: str = ""
    webapp_listen: str = "127.0.0.1:8081"
    outbox_lease_seconds: int = Field(default=300, ge=1, le=86_400)
    max_messages_per_second: int = Field(default=30, ge=1, le=30)
    acceptance: Literal["required", "off"] = "required"
    acceptance_sla: int = Field(default=3, ge=1, le=60)
    extension_notice: int = Field(default=2, ge=0, le=60)

    @field_validator("telegram_api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL of a Bot API server")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "expected sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST:PORT/DB"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected an IANA time zone name such as Asia/Almaty") from None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("expected Telegram user ids separated by commas, e.g. 123,456")
            return tuple(int(p) for p in parts)
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _split_offsets(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not parts or not all(p.isdigit() for p in parts):
                raise ValueError("expected working days before a control point, e.g. 10,5,3,1,0")
            return tuple(sorted({int(p) for p in parts}, reverse=True))
        return value

    @field_validator("reminder_grace", mode="before")
    @classmethod
    def _parse_grace(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if text in {"", "same_day", "same-day", "day"}:
            return None
        unit = text[-1:]
        number = text[:-1]
        if unit in {"h", "m"} and number.isdigit():
            minutes = int(number) * (60 if unit == "h" else 1)
            return dt.timedelta(minutes=minutes)
        raise ValueError("expected same_day, or a span such as 4h or 90m")

    @field_validator("digest_weekday", mode="before")
    @classmethod
    def _check_digest_weekday(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        day = value.strip().lower()[:3]
        if day not in DIGEST_WEEKDAYS or not DIGEST_WEEKDAY_NAMES[day].startswith(
            value.strip().lower()
        ):
            raise ValueError("expected a day of the week: mon, tue, wed, thu, fri, sat or sun")
        return day

    @field_validator("digest_time")
    @classmethod
    def _check_digest_time(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError("expected a local time HH:MM without an offset (TIMEZONE applies)")
        return value

    @field_validator("acceptance", mode="before")
    @classmethod
    def _lower_acceptance(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        host = parts.hostname or ""
        plain_local = parts.scheme == "http" and host in LOOPBACK_HOSTS
        if not host or parts.fragment or not (parts.scheme == "https" or plain_local):
            raise ValueError(
                "expected the public https:// address Telegram sends updates to, "
                "e.g. https://bot.example.kz/eskertu/webhook (or empty for long polling)"
            )
        path = parts.path.rstrip("/") or "/"
        if path in RESERVED_PATHS:
            raise ValueError("the webhook path cannot be /healthz or /metrics")
        if path == DASHBOARD_PREFIX or path.startswith(DASHBOARD_PREFIX + "/"):
            raise ValueError("the webhook path cannot be under /app/, where the dashboard is")
        return value

    @field_validator("webapp_url")
    @classmethod
    def _check_webapp_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        host = parts.hostname or ""
        # Telegram opens a Mini App only over https; plain http is for a page on this machine.
        plain_local = parts.scheme == "http" and host in LOOPBACK_HOSTS
        if (
            not host
            or parts.fragment
            or parts.query
            or not (parts.scheme == "https" or plain_local)
        ):
            raise ValueError(
                "expected the public https:// address of the dashboard, "
                "e.g. https://bot.example.kz/app/ (or empty for no dashboard)"
            )
        return value if value.endswith("/") else value + "/"

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not WEBHOOK_SECRET_RE.fullmatch(value.get_secret_value()):
            # The value itself is never repeated: it is a secret.
            raise ValueError("expected 1 to 256 characters, each A-Z, a-z, 0-9, _ or -")
        return value

    @field_validator("webhook_listen", "webapp_listen")
    @classmethod
    def _check_webhook_listen(cls, value: str) -> str:
        _split_listen(value)
        return value.strip()

    @model_validator(mode="after")
    def _check_hours(self) -> Settings:
        if self.reminder_time >= self.working_hours_end:
            raise ValueError("REMINDER_TIME must be earlier than WORKING_HOURS_END")
        return self

    @model_validator(mode="after")
    def _check_webhook(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET is required when WEBHOOK_URL is set: 1 to 256 characters "
                "of A-Z, a-z, 0-9, _ and -, e.g. from `openssl rand -hex 32`"
            )
        return self

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL, which the listener serves ("/" when it has none)."""
        return urlsplit(self.webhook_url).path or "/"

    @property
    def listen_address(self) -> tuple[str, int]:
        """WEBHOOK_LISTEN as (host, port); an IPv6 host comes without its brackets."""
        return _split_listen(self.webhook_listen)

    @property
    def webapp_address(self) -> tuple[str, int]:
        """WEBAPP_LISTEN as (host, port): the dashboard's own listener in polling mode."""
        return _split_listen(self.webapp_listen)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def reminder_policy(self) -> ReminderPolicy:
        return ReminderPolicy(
            offsets=self.reminder_offsets,
            send_time=self.reminder_time,
            working_hours_end=self.working_hours_end,
            escalate_after=self.escalate_after,
            grace=self.reminder_grace,
        )

    def control_policy(self) -> ControlPolicy:
        return ControlPolicy(
            acceptance=self.acceptance == "required",
            acceptance_sla=self.acceptance_sla,
            extension_notice=self.extension_notice,
        )

    def require_token(self) -> str:
        """The bot token, or a :class:`SettingsError` naming the setting."""
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingsError(
                "BOT_TOKEN is not set: expected the token that @BotFather gave the bot "
                "(set it in the environment or in .env)"
            )
        return self.bot_token.get_secret_value().strip()


def _split_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError("expected HOST:PORT, e.g. 0.0.0.0:8080, 127.0.0.1:8081 or [::]:8080")
    return host, int(port)


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Read the settings, turning a validation failure into one line per bad setting."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors(include_url=False, include_input=False):
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["loc"]:
            lines.append(f"{str(err['loc'][0]).upper()} is invalid: {msg}")
        else:
            lines.append(msg)
    return "; ".join(lines)
