"""The accept and return buttons under a report sent to its controllers."""

from __future__ import annotations

from bot.features.requests import Press, button
from bot.features.reviews import callbacks, render
from scheduler.usecases import reviews


@button(callbacks.ACCEPT)
async def accept(press: Press) -> None:
    answer = await reviews.accept_report(press.core, press.caller, status_id=int(press.fields[0]))
    plan = press.svc.plan
    await press.reply(
        answer, lambda decided, tr: render.decided(decided, plan, tr), toast="review.toast_accepted"
    )


@button(callbacks.RETURN)
async def return_for_rework(press: Press) -> None:
    """The return button: the bot asks, in a message of its own, for the comment."""
    answer = await reviews.ask_return(press.core, press.caller, status_id=int(press.fields[0]))
    await press.reply(answer, lambda _, tr: None, toast="prompt.toast")
