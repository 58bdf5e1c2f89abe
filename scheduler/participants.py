"""Who the bot talks to: the Telegram-free description of a user, a chat and a caller."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class ChatInfo:
    id: int
    type: str
    title: str | None = None

    @property
    def is_group(self) -> bool:
        return self.type in {"group", "supergroup"}


# The languages the bot speaks.
INTERFACE_LANGUAGES = ("kk", "ru", "en")


def interface_language(telegram_code: str | None) -> str | None:
    """The bot's language for a Telegram language code («ru», «en-GB»), or None for others."""
    if not telegram_code:
        return None
    base = telegram_code.replace("_", "-").split("-", 1)[0].lower()
    return base if base in INTERFACE_LANGUAGES else None


@dataclass(frozen=True, slots=True)
class LanguagePrefs:
    """The languages a user and a chat have chosen, if any.

    ``telegram`` is the language the user's Telegram is set to, when the bot speaks it; it is
    known only for a private chat, where it serves until the user chooses.
    """

    user: str | None
    chat: str | None
    telegram: str | None = None

    def resolve(self, default: str) -> str:
        """A group speaks its own language; a private chat its user's, chosen or Telegram's;
        else the default."""
        return self.chat or self.user or self.telegram or default


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent an update, and in which chat; ``returning`` writes them down even if unchanged.

    /start is how someone who had blocked the bot comes back, so it is always recorded.
    """

    user: UserInfo | None
    chat: ChatInfo | None
    returning: bool = False

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def chat_id(self) -> int | None:
        return self.chat.id if self.chat is not None else None
