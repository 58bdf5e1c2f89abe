"""/subscribe, /subscriptions and /unsubscribe: which reminders reach this chat."""

from __future__ import annotations

from bot.features.requests import Command, Press, button, command
from bot.features.subscriptions import callbacks, render
from bot.features.telegram_io import edit_or_keep, group_admin_names, is_group_admin, keyboard
from scheduler.usecases.subscriptions import (
    Target,
    change_subscription,
    chat_subscriptions,
    subscribe_typed,
    subscription_menu,
)


@command
async def subscribe_menu(request: Command) -> None:
    """/subscribe: the menu of what to follow; /subscribe ARG follows an agency or a task at once.

    In a group, someone who does not administer it is told at once who decides.
    """
    plan = request.svc.plan
    group_admin = await is_group_admin(request.update, request.context)
    admins = () if group_admin else await group_admin_names(request.update, request.context)
    if request.args:
        changed = await subscribe_typed(
            request.core,
            request.caller,
            typed=" ".join(request.args),
            is_group_admin=group_admin,
            group_admins=admins,
        )
        await request.reply(changed, lambda done, tr: render.change(plan, done, tr))
        return
    answer = await subscription_menu(
        request.core, request.caller, is_group_admin=group_admin, group_admins=admins
    )
    await request.reply(answer, lambda mine, tr: render.subscribe_menu(plan, mine, tr))


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
    await press.query.answer()
    await edit_or_keep(press.query, render.change(press.svc.plan, answer.result, press.tr(answer)))


@command
async def list_subscriptions(request: Command) -> None:
    answer = await chat_subscriptions(request.core, request.caller)
    await request.send(render.subscriptions(request.svc.plan, answer.result, request.tr(answer)))


@command
async def unsubscribe_menu(request: Command) -> None:
    answer = await chat_subscriptions(request.core, request.caller)
    await request.send(render.unsubscribe_menu(request.svc.plan, answer.result, request.tr(answer)))
