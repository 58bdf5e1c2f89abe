"""What a test does to the fake Telegram: create users and chats, inject updates, plan
faults and read back what the bot did. Mixed into ``BotApiServer``.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable
from typing import Any, Literal

import httpx

from sandbox.botapi import injection
from sandbox.botapi.faults import (
    BLOCKED,
    ERROR,
    KICKED,
    LATENCY,
    RETRY_AFTER,
    SERVER_ERROR,
    TIMEOUT,
    UNREADABLE,
    FaultPlan,
    FaultRule,
    method_set,
)
from sandbox.botapi.limits import SEND_METHODS, Violations, count_violations
from sandbox.botapi.methods_bot import commands_key
from sandbox.botapi.model import GROUP, Call, ChatInfo, FileRead, StoredFile, UserInfo
from sandbox.botapi.state import BotState

UserLike = UserInfo | int
ChatLike = ChatInfo | int
MessageRef = dict[str, Any] | int
MethodFilter = str | Iterable[str] | None


def _id(value: UserInfo | ChatInfo | int) -> int:
    return value if isinstance(value, int) else value.id


class Controls:
    """Test-facing operations on the shared state; every one is safe from any thread."""

    state: BotState

    # -- users and chats -------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> UserInfo:
        """Create the user (or update the given fields) and return a copy."""
        with self.state.lock:
            user = self.state._user(
                user_id,
                first_name=first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
            return copy.deepcopy(user)

    def private_chat(self, user: UserLike) -> ChatInfo:
        """The user's private chat with the bot, as if they had pressed Start."""
        with self.state.lock:
            chat = self.state._private_chat(self.state._user(_id(user)))
            return copy.deepcopy(chat)

    def group(
        self,
        chat_id: int,
        title: str = "Group",
        *,
        type: str = GROUP,
        admins: Iterable[UserLike] = (),
        creator: UserLike | None = None,
        members: Iterable[UserLike] = (),
        username: str | None = None,
    ) -> ChatInfo:
        """Create or update a group the bot is in.

        ``creator`` defaults to the first admin; the creator counts as an administrator.
        """
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        admin_ids = [_id(a) for a in admins]
        with self.state.lock:
            for user_id in [*admin_ids, *(_id(m) for m in members)]:
                self.state._user(user_id)
            chat = self.state.chats.get(chat_id)
            if chat is None:
                chat = ChatInfo(id=chat_id, type=type)
                self.state.chats[chat_id] = chat
            chat.type, chat.title = type, title
            if username is not None:
                chat.username = username
            chat.admins = set(admin_ids)
            creator_id = _id(creator) if creator is not None else None
            if creator_id is None and admin_ids:
                creator_id = admin_ids[0]
            if creator_id is not None:
                self.state._user(creator_id)
            chat.creator = creator_id
            for member in members:
                chat.statuses[_id(member)] = "member"
            return copy.deepcopy(chat)

    def set_member_status(self, chat: ChatLike, user: UserLike, status: str) -> None:
        """Set a plain member status: "member", "left" or "kicked"."""
        if status not in ("member", "left", "kicked"):
            raise ValueError(f"unsupported status {status!r}")
        with self.state.lock:
            self.state._user(_id(user))
            self.state.chats[_id(chat)].statuses[_id(user)] = status

    def migrate_group(
        self, chat: ChatLike, new_chat_id: int | None = None, *, announce: bool = True
    ) -> ChatInfo:
        """Upgrade a group to a supergroup (default id -100<old id>).

        From then on every call naming the old id answers 400 with ``migrate_to_chat_id``;
        with ``announce`` the two service messages Telegram sends are queued as updates.
        """
        return injection.migrate(self.state, _id(chat), new_chat_id, announce)

    def chat(self, chat_id: int) -> ChatInfo | None:
        with self.state.lock:
            found = self.state.chats.get(chat_id)
            return copy.deepcopy(found)

    # -- injected updates ------------------------------------------------------------------

    def send_text(
        self,
        user: UserLike,
        text: str,
        chat: ChatLike | None = None,
        reply_to: MessageRef | None = None,
    ) -> dict[str, Any]:
        """A text message from ``user`` (in their private chat unless ``chat`` is given).

        Commands get ``bot_command`` entities, so "/start PAYLOAD" and "/cmd@botname" reach
        a CommandHandler.
        """
        chat_id = _id(chat) if chat is not None else None
        return injection.text_message(self.state, _id(user), text, chat_id, reply_to)

    def send_command(
        self, user: UserLike, command: str, chat: ChatLike | None = None
    ) -> dict[str, Any]:
        if not command.startswith("/"):
            raise ValueError("a command starts with '/'")
        return self.send_text(user, command, chat)

    def press_button(
        self,
        user: UserLike,
        message: dict[str, Any] | tuple[int, int],
        callback_data: str,
        *,
        check: bool = True,
    ) -> dict[str, Any]:
        """A callback query from a button of a bot message (a dict or ``(chat_id, id)``).

        The query carries the message as it is now. With ``check`` the message must have a
        button with this ``callback_data``.
        """
        return injection.button_press(self.state, _id(user), message, callback_data, check)

    def send_document(
        self,
        user: UserLike,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        reply_to: MessageRef | None = None,
        caption: str | None = None,
        *,
        chat: ChatLike | None = None,
        file_size: int | Literal["actual"] | None = "actual",
    ) -> dict[str, Any]:
        """A document from ``user``; the bot can fetch it with getFile and download it.

        ``file_size`` is what the update and getFile say the size is: the true one by
        default, another number, or None to leave the field out, as Telegram may.
        """
        chat_id = _id(chat) if chat is not None else None
        return injection.file_message(
            self.state,
            _id(user),
            "document",
            content,
            file_name,
            mime_type,
            chat_id,
            reply_to,
            caption,
            file_size,
        )

    def send_photo(
        self,
        user: UserLike,
        content: bytes,
        reply_to: MessageRef | None = None,
        caption: str | None = None,
        *,
        chat: ChatLike | None = None,
    ) -> dict[str, Any]:
        """A photo from ``user`` (sizes read from PNG/JPEG headers)."""
        chat_id = _id(chat) if chat is not None else None
        return injection.file_message(
            self.state,
            _id(user),
            "photo",
            content,
            None,
            "image/jpeg",
            chat_id,
            reply_to,
            caption,
        )

    def send_raw_update(self, update: dict[str, Any], *, keep_id: bool = False) -> dict[str, Any]:
        """Queue any update as given; its ``update_id`` is replaced unless ``keep_id``."""
        with self.state.lock:
            return self.state._queue_update(update, keep_id=keep_id)

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by an offset."""
        with self.state.lock:
            return copy.deepcopy(self.state.updates)

    def post_update_to(
        self,
        update: dict[str, Any],
        url: str | None = None,
        secret_token: str | None = None,
        timeout: float = 5.0,
    ) -> int:
        """POST ``update`` to a webhook (the one the bot set by default); the HTTP status.

        Sends the ``X-Telegram-Bot-Api-Secret-Token`` header like Telegram does.
        """
        target, headers = self._webhook_target(url, secret_token)
        with httpx.Client(timeout=timeout) as client:
            return client.post(target, json=update, headers=headers).status_code

    async def apost_update_to(
        self,
        update: dict[str, Any],
        url: str | None = None,
        secret_token: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented call signature
    ) -> int:
        target, headers = self._webhook_target(url, secret_token)
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.post(target, json=update, headers=headers)
            return response.status_code

    def _webhook_target(
        self, url: str | None, secret_token: str | None
    ) -> tuple[str, dict[str, str]]:
        with self.state.lock:
            target = url or self.state.webhook.url
            secret = secret_token if url else (secret_token or self.state.webhook.secret_token)
        if not target:
            raise ValueError("no webhook URL given and none set by the bot")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return target, headers

    # -- what the bot did ------------------------------------------------------------------

    def calls(
        self,
        method: MethodFilter = None,
        chat_id: int | None = None,
        since: int | None = None,
    ) -> list[Call]:
        """Recorded calls in the order they finished, filtered by method, chat and mark."""
        wanted = method_set(method)
        with self.state.lock:
            recorded = list(self.state.calls) if since is None else self.state.calls_since(since)
        return [
            call
            for call in recorded
            if (not wanted or call.method.lower() in wanted)
            and (chat_id is None or call.chat_id == chat_id)
            and (since is None or call.seq >= since)
        ]

    @property
    def revision(self) -> int:
        """A number that grows whenever a message is stored, edited or deleted."""
        with self.state.lock:
            return self.state.revision

    def clear_calls(self) -> None:
        with self.state.lock:
            self.state.calls_cleared += len(self.state.calls)
            self.state.calls.clear()

    def mark(self) -> int:
        """A mark for ``since=``: later calls and messages have a sequence number >= it."""
        with self.state.lock:
            return self.state.next_call_seq

    def sent_messages(self, chat_id: int, since: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent to the chat and did not delete, with edits applied."""
        return self.messages(chat_id, since=since, from_bot=True)

    def messages(
        self, chat_id: int, since: int | None = None, from_bot: bool | None = None
    ) -> list[dict[str, Any]]:
        """All live messages of a chat in id order (``from_bot`` filters by sender)."""
        with self.state.lock:
            stored = self.state.messages.get(chat_id, {})
            return [
                copy.deepcopy(m.data)
                for _, m in sorted(stored.items())
                if not m.deleted
                and (from_bot is None or m.from_bot == from_bot)
                and (since is None or m.mark >= since)
            ]

    def answered_callback(self, query_id: str) -> dict[str, Any] | None:
        """The bot's answerCallbackQuery parameters for the query, None if unanswered."""
        with self.state.lock:
            record = self.state.callback_queries.get(query_id)
            return copy.deepcopy(record.answer) if record else None

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The command menu the bot set for a scope and language ([] if none)."""
        with self.state.lock:
            key = commands_key(self.state, {"scope": scope, "language_code": language_code})
            return copy.deepcopy(self.state.commands.get(key, []))

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        """The menu button a private chat shows: its own, else the default the bot set."""
        with self.state.lock:
            buttons = self.state.menu_buttons
            found = buttons.get(chat_id) if chat_id is not None else None
            return copy.deepcopy(found or buttons.get(None) or {"type": "commands"})

    def webhook_info(self) -> dict[str, Any]:
        """The webhook the bot set: url, secret_token, max_connections, allowed_updates."""
        with self.state.lock:
            hook = self.state.webhook
            return {
                "url": hook.url,
                "secret_token": hook.secret_token,
                "max_connections": hook.max_connections,
                "allowed_updates": copy.copy(hook.allowed_updates),
            }

    def file(self, file_id: str) -> StoredFile | None:
        with self.state.lock:
            return self.state.files.get(file_id)

    def file_reads(self) -> list[FileRead]:
        """Every download of a file so far: how many bytes went out before it ended."""
        with self.state.lock:
            return list(self.state.file_reads)

    def violations(self, *, attempts: bool = False) -> Violations:
        """Breaches of the sending limits among successful sends (all attempts if asked)."""
        sends = [
            (call.time, call.chat_id)
            for call in self.calls(method=SEND_METHODS)
            if call.chat_id is not None and (attempts or call.ok)
        ]
        return count_violations((when, chat) for when, chat in sends if chat is not None)

    # -- faults ----------------------------------------------------------------------------

    @property
    def faults(self) -> FaultPlan:
        return self.state.faults

    @property
    def rate_limit(self) -> bool:
        """Whether the server itself answers 429 to sends that break the limits."""
        with self.state.lock:
            return self.state.rate_limit

    @rate_limit.setter
    def rate_limit(self, enabled: bool) -> None:
        with self.state.lock:
            self.state.rate_limit = enabled

    def _fault(
        self,
        kind: str,
        method: MethodFilter,
        chat_id: ChatLike | None,
        times: int | None,
        duration: float | None,
        **options: Any,
    ) -> FaultRule:
        until = time.monotonic() + duration if duration is not None else None
        rule = FaultRule(
            kind=kind,
            methods=method_set(method),
            chat_id=_id(chat_id) if chat_id is not None else None,
            times=times,
            until=until,
            **options,
        )
        return self.state.faults.add(rule)

    def fail_retry_after(
        self,
        retry_after: int = 1,
        *,
        method: MethodFilter = None,
        chat_id: ChatLike | None = None,
        times: int | None = 1,
        duration: float | None = None,
    ) -> FaultRule:
        """Answer 429 "Too Many Requests" with ``parameters.retry_after``."""
        return self._fault(RETRY_AFTER, method, chat_id, times, duration, retry_after=retry_after)

    def fail_blocked(
        self,
        chat_id: ChatLike,
        *,
        method: MethodFilter = None,
        times: int | None = None,
        duration: float | None = None,
    ) -> FaultRule:
        """Answer 403 "bot was blocked by the user" (until removed, by default)."""
        return self._fault(BLOCKED, method, chat_id, times, duration)

    def fail_kicked(
        self,
        chat_id: ChatLike,
        *,
        method: MethodFilter = None,
        times: int | None = None,
        duration: float | None = None,
    ) -> FaultRule:
        """Answer 403 "bot was kicked from the group chat" (until removed, by default)."""
        return self._fault(KICKED, method, chat_id, times, duration)

    def fail_server_error(
        self,
        status: int = 502,
        *,
        method: MethodFilter = None,
        chat_id: ChatLike | None = None,
        times: int | None = 1,
        duration: float | None = None,
    ) -> FaultRule:
        """Answer a 5xx ("Bad Gateway" for 502)."""
        return self._fault(SERVER_ERROR, method, chat_id, times, duration, status=status)

    def fail_with(
        self,
        status: int,
        description: str,
        *,
        method: MethodFilter = None,
        chat_id: ChatLike | None = None,
        times: int | None = 1,
        duration: float | None = None,
    ) -> FaultRule:
        """Answer any error status with a description of the test's choosing."""
        return self._fault(
            ERROR, method, chat_id, times, duration, status=status, description=description
        )

    def fail_timeout(
        self,
        delay: float,
        *,
        drop: bool = False,
        takes_effect: bool = True,
        method: MethodFilter = None,
        chat_id: ChatLike | None = None,
        times: int | None = 1,
        duration: float | None = None,
    ) -> FaultRule:
        """Hold matching calls ``delay`` seconds (see ``FaultRule`` for the options)."""
        return self._fault(
            TIMEOUT,
            method,
            chat_id,
            times,
            duration,
            delay=delay,
            drop=drop,
            takes_effect=takes_effect,
        )

    def fail_unreadable(
        self,
        shape: str = "truncated",
        *,
        method: MethodFilter = None,
        chat_id: ChatLike | None = None,
        times: int | None = 1,
        duration: float | None = None,
    ) -> FaultRule:
        """Carry matching calls out, but answer 200 with a body that cannot be read.

        ``shape`` is "truncated" (the JSON cut in half), "no_result" (``{"ok": true}``) or
        "bad_result" (a result that is not what the method returns).
        """
        return self._fault(UNREADABLE, method, chat_id, times, duration, shape=shape)

    def add_latency(
        self,
        seconds: float,
        *,
        method: MethodFilter = None,
        chat_id: ChatLike | None = None,
        times: int | None = None,
        duration: float | None = None,
    ) -> FaultRule:
        """Delay matching calls by ``seconds`` before they are processed."""
        return self._fault(LATENCY, method, chat_id, times, duration, delay=seconds)
