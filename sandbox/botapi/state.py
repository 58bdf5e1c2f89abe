"""Everything the fake Telegram remembers, behind one lock.

Users, chats, messages (with per-chat message ids), the update queue, files, callback
queries, command menus, the webhook and the log of calls. Methods whose name starts with an
underscore expect the caller to hold ``lock``; the others take it themselves.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.botapi.errors import chat_not_found, forbidden, group_migrated
from sandbox.botapi.faults import FaultPlan
from sandbox.botapi.limits import RateEnforcer
from sandbox.botapi.model import (
    PRIVATE,
    Call,
    ChatInfo,
    FileRead,
    StoredFile,
    StoredMessage,
    UserInfo,
)


@dataclass
class CallbackQueryRecord:
    """A callback query the server delivered, and the bot's answer once it came."""

    update: dict[str, Any]
    answer: dict[str, Any] | None = None


@dataclass
class WebhookSettings:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None


@dataclass
class BotState:
    """The shared state of one fake Bot API server."""

    token: str
    bot: UserInfo
    lock: threading.RLock = field(default_factory=threading.RLock)
    users: dict[int, UserInfo] = field(default_factory=dict)
    chats: dict[int, ChatInfo] = field(default_factory=dict)
    messages: dict[int, dict[int, StoredMessage]] = field(default_factory=dict)
    next_message_id: dict[int, int] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    allowed_updates: list[str] | None = None
    files: dict[str, StoredFile] = field(default_factory=dict)
    file_reads: list[FileRead] = field(default_factory=list)
    callback_queries: dict[str, CallbackQueryRecord] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    # The menu button of each private chat the bot set one for; None holds the default.
    menu_buttons: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    calls: list[Call] = field(default_factory=list)
    next_call_seq: int = 1
    # How many calls were recorded when each sequence number was handed out (seq 1 first):
    # a call numbered n or later is recorded after that many, so a look at the calls since
    # a mark skips those before it instead of reading the whole record.
    calls_before_seq: list[int] = field(default_factory=list)
    # The calls cleared from the record so far; the counts above include them.
    calls_cleared: int = 0
    rate_limit: bool = False
    enforcer: RateEnforcer = field(default_factory=RateEnforcer)
    update_listener: Callable[[], None] | None = None
    # The time messages are dated with (seconds since the epoch); the sandbox passes its clock.
    clock: Callable[[], float] = time.time
    # Grows whenever a message is stored, edited or deleted, so a viewer knows when to look.
    revision: int = 0
    _file_counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    faults: FaultPlan = field(init=False)

    def __post_init__(self) -> None:
        self.faults = FaultPlan(self.lock)

    # -- users and chats -------------------------------------------------------------------

    def _user(self, user_id: int, **fields: Any) -> UserInfo:
        user = self.users.get(user_id)
        if user is None:
            fields.setdefault("first_name", f"User {user_id}")
            user = UserInfo(id=user_id, **fields)
            self.users[user_id] = user
        else:
            for key, value in fields.items():
                if value is not None:
                    setattr(user, key, value)
        return user

    def _private_chat(self, user: UserInfo) -> ChatInfo:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = ChatInfo(
                id=user.id,
                type=PRIVATE,
                first_name=user.first_name,
                last_name=user.last_name,
                username=user.username,
            )
            self.chats[user.id] = chat
        return chat

    def _resolve_chat_ref(self, ref: Any) -> int | None:
        """The chat id an int or "@username" names, or None if nothing matches."""
        if isinstance(ref, int) and not isinstance(ref, bool):
            return ref
        if isinstance(ref, str) and ref.startswith("@"):
            name = ref[1:].lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == name:
                    return chat.id
        return None

    def _chat_for_call(self, ref: Any) -> ChatInfo:
        """The chat a call addresses, with Telegram's errors for the unreachable ones."""
        chat_id = self._resolve_chat_ref(ref)
        if chat_id is None:
            raise chat_not_found()
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id in self.users:
                raise forbidden("bot can't initiate conversation with a user")
            raise chat_not_found()
        if chat.migrated_to is not None:
            raise group_migrated(chat.migrated_to)
        return chat

    # -- messages --------------------------------------------------------------------------

    def _store_message(
        self, chat: ChatInfo, sender: UserInfo | None, content: dict[str, Any], mark: int
    ) -> dict[str, Any]:
        """Store a new message and return a copy of it."""
        message_id = self.next_message_id.get(chat.id, 1)
        self.next_message_id[chat.id] = message_id + 1
        message: dict[str, Any] = {"message_id": message_id}
        if sender is not None:
            message["from"] = sender.to_api()
        message.update(chat=chat.to_api(), date=int(self.clock()))
        message.update(copy.deepcopy(content))
        from_bot = sender is not None and sender.id == self.bot.id
        self.messages.setdefault(chat.id, {})[message_id] = StoredMessage(
            message, from_bot=from_bot, mark=mark
        )
        self.revision += 1
        return copy.deepcopy(message)

    def _message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        stored = self.messages.get(chat_id, {}).get(message_id)
        if stored is None or stored.deleted:
            return None
        return stored

    def _reply_target(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The message as embedded in ``reply_to_message`` (Telegram does not nest further)."""
        stored = self._message(chat_id, message_id)
        if stored is None:
            return None
        target = copy.deepcopy(stored.data)
        target.pop("reply_to_message", None)
        return target

    # -- updates ---------------------------------------------------------------------------

    def _queue_update(self, payload: dict[str, Any], keep_id: bool = False) -> dict[str, Any]:
        update = copy.deepcopy(payload)
        if keep_id and isinstance(update.get("update_id"), int):
            self.next_update_id = max(self.next_update_id, update["update_id"] + 1)
        else:
            update["update_id"] = self.next_update_id
            self.next_update_id += 1
        self.updates.append(update)
        if self.update_listener is not None:
            self.update_listener()
        return copy.deepcopy(update)

    def _confirm_updates(self, offset: int) -> None:
        if offset < 0:
            keep = -offset
            self.updates = self.updates[-keep:] if keep else []
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def _deliverable_updates(self, limit: int) -> list[dict[str, Any]]:
        allowed = self.allowed_updates
        batch = []
        for update in self.updates:
            if allowed and not any(kind in update for kind in allowed):
                continue
            batch.append(copy.deepcopy(update))
            if len(batch) >= limit:
                break
        return batch

    # -- files -----------------------------------------------------------------------------

    def _store_file(
        self,
        kind: str,
        content: bytes,
        file_name: str | None,
        mime_type: str | None,
        reported_size: int | Literal["actual"] | None = "actual",
    ) -> StoredFile:
        number = next(self._file_counter)
        extension = ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{kind[:3].upper()}{number:06d}{secrets.token_urlsafe(18)}",
            file_unique_id=f"U{number:06d}{secrets.token_hex(4)}",
            file_path=f"{kind}s/file_{number}{extension}",
            file_name=file_name,
            mime_type=mime_type,
            content=content,
            reported_size=reported_size,
        )
        self.files[stored.file_id] = stored
        return stored

    # -- calls -----------------------------------------------------------------------------

    def _reserve_seq(self) -> int:
        seq = self.next_call_seq
        self.next_call_seq += 1
        self.calls_before_seq.append(self.calls_cleared + len(self.calls))
        return seq

    def calls_since(self, since: int) -> list[Call]:
        """The recorded calls that may be numbered ``since`` or later (a superset of them)."""
        if since > len(self.calls_before_seq):
            start = len(self.calls)
        else:
            start = max(0, self.calls_before_seq[max(since, 1) - 1] - self.calls_cleared)
        return self.calls[start:]

    def _record(
        self,
        seq: int,
        method: str,
        params: dict[str, Any],
        received: float,
        processed: float,
        status: int | None,
        response: dict[str, Any] | None,
    ) -> Call:
        call = Call(
            seq=seq,
            method=method,
            params=params,
            chat_id=self._resolve_chat_ref(params.get("chat_id")),
            received=received,
            time=processed,
            status=status,
            response=copy.deepcopy(response),
        )
        self.calls.append(call)
        return call
