"""One update as a handler sees it: who asked, where, with what, and how to answer.

``command`` and ``button`` turn a handler of a ``Command`` or a ``Press`` into the
``(update, context)`` callback PTB calls, so that every handler starts from what it needs
and none repeats the unpacking. ``reply`` renders a use case's answer in its reader's
language, or its refusal from the catalogs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot.features.callback_data import CallbackKind
from bot.features.telegram_io import caller_of, keyboard
from bot.i18n.catalog import Translator
from bot.services import Services, services
from bot.wording import cut, refusal_text
from scheduler.participants import Caller
from scheduler.presentation import Rendered
from scheduler.refusals import Refusal
from scheduler.usecases.core import Answer, Core, languages

T = TypeVar("T")
# Telegram shows at most 200 characters in the alert that answers a button.
ALERT_LIMIT = 200
Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Request:
    """What every handler starts from."""

    update: Update
    context: Context
    svc: Services
    caller: Caller

    @property
    def core(self) -> Core:
        return self.svc.core

    def tr(self, answer: Answer[Any]) -> Translator:
        return self.svc.tr(answer)

    async def translator(self) -> Translator:
        """The caller's translator, for an answer that needs no other use case."""
        return self.svc.tr(await languages(self.core, self.caller))

    def refusal_text(self, tr: Translator, refusal: Refusal, *, plain: bool = False) -> str:
        """The refusal in the reader's language, the agencies it names in it too."""
        return refusal_text(tr, refusal, plain=plain, plan=self.svc.plan)


@dataclass(frozen=True)
class Command(Request):
    """A message: a command with its arguments, or text, a document, a photo."""

    message: Message
    args: list[str]

    async def reply(
        self, answer: Answer[T | Refusal], render: Callable[[T, Translator], str | Rendered]
    ) -> None:
        """Reply with the rendered result, or with the refusal."""
        tr, result = self.tr(answer), answer.result
        if isinstance(result, Refusal):
            await self.message.reply_text(self.refusal_text(tr, result))
            return
        await self.send(render(result, tr))

    async def send(self, rendered: str | Rendered) -> None:
        if isinstance(rendered, Rendered):
            await self.message.reply_text(rendered.text, reply_markup=keyboard(rendered.buttons))
        else:
            await self.message.reply_text(rendered)

    async def say(self, key: str, **params: object) -> None:
        """Reply with one catalog message (a usage line, say) in the caller's language."""
        tr = await self.translator()
        await self.message.reply_text(tr(key, **params))


@dataclass(frozen=True)
class Press(Request):
    """A press of an inline button, with the fields of its callback data."""

    query: CallbackQuery
    fields: tuple[str, ...]

    async def refuse(self, answer: Answer[Any], refusal: Refusal) -> None:
        """Answer the press with the refusal, as an alert (Telegram shows 200 characters)."""
        text = self.refusal_text(self.tr(answer), refusal, plain=True)
        await self.query.answer(cut(text, ALERT_LIMIT), show_alert=True)

    async def reply(
        self,
        answer: Answer[T | Refusal],
        render: Callable[[T, Translator], str | Rendered | None],
        *,
        toast: str | None = None,
    ) -> None:
        """Answer the press (with the catalog line ``toast``, if any) and post the rendered
        result in the chat, below the pressed message; a refusal is an alert instead."""
        tr, result = self.tr(answer), answer.result
        if isinstance(result, Refusal):
            await self.refuse(answer, result)
            return
        await self.query.answer(tr.plain(toast) if toast else None)
        rendered = render(result, tr)
        message = self.query.message
        if rendered is None or message is None:
            return
        if not isinstance(rendered, Rendered):
            rendered = Rendered(rendered)
        await self.context.bot.send_message(
            message.chat.id,
            rendered.text,
            reply_markup=keyboard(rendered.buttons),
            reply_to_message_id=message.message_id,
        )


def command(handler: Callable[[Command], Awaitable[None]]) -> Callback:
    """The PTB callback of a handler of messages; updates without a message are ignored."""

    async def callback(update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None:
            return
        svc = services(context)
        request = Command(
            update, context, svc, caller_of(update), message, list(context.args or [])
        )
        await handler(request)

    callback.__doc__ = handler.__doc__
    return callback


def button(kind: CallbackKind) -> Callable[[Callable[[Press], Awaitable[None]]], Callback]:
    """The PTB callback of a handler of presses of ``kind``'s buttons."""

    def wrap(handler: Callable[[Press], Awaitable[None]]) -> Callback:
        async def callback(update: Update, context: Context) -> None:
            query = update.callback_query
            if query is None:
                return
            fields = kind.parse(query.data)
            if fields is None:
                # Shaped like this kind's data but naming no row: forged, or from elsewhere.
                await answer_stale(update, context)
                return
            svc = services(context)
            await handler(Press(update, context, svc, caller_of(update), query, fields))

        callback.__doc__ = handler.__doc__
        return callback

    return wrap


async def answer_stale(update: Update, context: Context) -> None:
    """Answer a button whose data names nothing the bot acts on: an old message, or forged."""
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    tr = svc.tr(await languages(svc.core, caller_of(update)))
    await query.answer(tr.plain("error.stale_button"), show_alert=True)
