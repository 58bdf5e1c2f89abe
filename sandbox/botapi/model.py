"""The objects the fake Telegram keeps: users, chats, files, messages and recorded calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

PRIVATE = "private"
GROUP = "group"
SUPERGROUP = "supergroup"
CHANNEL = "channel"


@dataclass
class UserInfo:
    """A Telegram user (or the bot itself) as the API describes it."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass
class ChatInfo:
    """A chat the bot can talk to, with the membership facts group checks need."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    creator: int | None = None
    admins: set[int] = field(default_factory=set)
    # Explicit member statuses ("member", "left", "kicked"); admins and creator are implied.
    statuses: dict[int, str] = field(default_factory=dict)
    migrated_to: int | None = None
    migrated_from: int | None = None

    @property
    def is_group(self) -> bool:
        return self.type in (GROUP, SUPERGROUP)

    def to_api(self) -> dict[str, Any]:
        """The ``Chat`` object embedded in messages."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    def full_info(self) -> dict[str, Any]:
        """The ``ChatFullInfo`` object getChat answers with."""
        data = self.to_api()
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if self.migrated_from is not None:
            data["migrated_from_chat_id"] = self.migrated_from
        return data

    def status_of(self, user_id: int) -> str:
        if user_id == self.creator:
            return "creator"
        if user_id in self.admins:
            return "administrator"
        return self.statuses.get(user_id, "left" if self.is_group else "member")


@dataclass(frozen=True)
class StoredFile:
    """A file the server holds, uploaded by the bot or by an injected user."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str | None
    mime_type: str | None
    content: bytes
    # What the server says the size is: the true one, another number, or nothing (None).
    reported_size: int | Literal["actual"] | None = "actual"

    @property
    def file_size(self) -> int | None:
        """The ``file_size`` the server reports, None when it leaves the field out."""
        return len(self.content) if self.reported_size == "actual" else self.reported_size

    def size_field(self) -> dict[str, int]:
        return {} if self.file_size is None else {"file_size": self.file_size}

    def to_api(self) -> dict[str, Any]:
        """The ``File`` object getFile answers with."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            **self.size_field(),
            "file_path": self.file_path,
        }


@dataclass(frozen=True)
class FileRead:
    """One download of a file: how many of its bytes went out before it ended."""

    file_id: str
    size: int
    sent: int

    @property
    def complete(self) -> bool:
        return self.sent >= self.size


@dataclass
class StoredMessage:
    """A message in a chat; ``data`` is the current Message object (edits applied)."""

    data: dict[str, Any]
    from_bot: bool
    # The sequence number of the call that sent it; for injected messages, of the next call.
    mark: int
    deleted: bool = False


@dataclass(frozen=True)
class Call:
    """One recorded Bot API call.

    ``time`` is ``time.monotonic()`` when the server processed the call (after any injected
    latency), ``received`` when the request arrived. ``chat_id`` is the chat the call names,
    resolved from an "@username". ``status`` is None when the server dropped the connection
    instead of answering.
    """

    seq: int
    method: str
    params: dict[str, Any]
    chat_id: int | None
    received: float
    time: float
    status: int | None
    response: dict[str, Any] | None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        """The ``result`` of a successful call, None otherwise."""
        return self.response.get("result") if self.response else None
