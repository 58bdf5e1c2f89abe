"""/subscribe, /subscriptions and /unsubscribe: which reminders reach this chat."""

from __future__ import annotations

from bot.features.requests import Command, Press, button, command
from bot.features.subscriptions import callbacks, render
from bot.features.telegram_io import edit_or_keep, is_group_admin, keyboard
from scheduler.usecases.subscriptions import (
    Target,
    change_subscription,
    chat_subscriptions,
    memberships,
)


@command
async def subscribe_menu(request: Command) -> None:
    answer = await memberships(request.core, request.caller)
    await request.send(render.subscribe_menu(request.svc.plan, answer.result, request.tr(answer)))


@button(callbacks.PICK_TASK)
async def pick_task(press: Press) -> None:
    picker = render.task_picker(press.svc.plan, await press.translator())
    await press.query.answer()
    await edit_or_keep(press.query, picker.text, keyboard(picker.buttons))


@button(callbacks.SUBSCRIBE)
async def subscribe_chosen(press: Press) -> None:
    await _change(press, subscribe=True)


@button(callbacks.UNSUBSCRIBE)
async def unsubscribe_chosen(press: Press) -> None:
    await _change(press, subscribe=False)


async def _change(press: Press, *, subscribe: bool) -> None:
    letter, value = press.fields
    target = Target(callbacks.KINDS[letter], value)
    answer = await change_subscription(
        press.core,
        press.caller,
        target=target,
        subscribe=subscribe,
        is_group_admin=await is_group_admin(press.update, press.context),
    )
    tr = press.tr(answer)
    await press.query.answer()
    label = render.target_label(press.svc.plan, target, tr)
    await edit_or_keep(press.query, tr(f"subscribe.{answer.result}", target=label))


@command
async def list_subscriptions(request: Command) -> None:
    answer = await chat_subscriptions(request.core, request.caller)
    await request.send(render.subscriptions(request.svc.plan, answer.result, request.tr(answer)))


@command
async def unsubscribe_menu(request: Command) -> None:
    answer = await chat_subscriptions(request.core, request.caller)
    await request.send(render.unsubscribe_menu(request.svc.plan, answer.result, request.tr(answer)))
