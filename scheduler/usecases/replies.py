"""A message sent in reply to one of the bot's: what it answers decides what it means.

A reply to a prompt is its answer (a return's comment, a refusal's reason, an extension's
date and reason), and only the person asked may give it. A reply to an interim request is
the agency's answer to it. A reply to a reminder is read by the classifier: one clear status
is recorded, anything else is answered with a question offering the statuses it could mean.
"""

from __future__ import annotations

from functools import partial

from scheduler.participants import Caller
from scheduler.refusals import Refusal, Why
from scheduler.statuses import classify
from scheduler.usecases.core import Answer, Core, Visit
from scheduler.usecases.extensions import (
    ExtensionAsked,
    ExtensionDecided,
    extension_from_prompt,
    refuse_from_prompt,
)
from scheduler.usecases.interim import answer_request
from scheduler.usecases.prompts import PromptKind, prompt_of
from scheduler.usecases.replies_together import Gathered, record_together
from scheduler.usecases.reviews import Decided, return_report
from scheduler.usecases.status_updates import (
    Clarify,
    Recorded,
    Reply,
    Report,
    latest_of_mine,
    record_report,
    report_of_reply,
)
from scheduler.vocabulary.control import answer_statuses
from scheduler.vocabulary.messages import MessageKind

# What a reply can turn out to be, when it is understood.
Understood = Recorded | Clarify | Decided | ExtensionAsked | ExtensionDecided
Answered = Understood | Refusal


async def answer_reply(core: Core, caller: Caller, reply: Reply) -> Answer[Answered]:
    """Whatever the reply answers, in one transaction: a status reported to a reminder, in one
    with the others that come meanwhile (``replies_together``)."""
    reading = classify(reply.text) if reply.text.strip() else None
    if reading is not None and reading.status is not None:
        report = report_of_reply(reading.status, reply)
        told = await core.replies.join(Gathered(caller, report), partial(record_together, core))
        if isinstance(told, Answer):
            return told
    async with core.visit(caller) as visit:
        return visit.answer(await _answer(visit, reply))


async def _answer(visit: Visit, reply: Reply) -> Answered:
    caller = visit.caller
    replied = await visit.uow.outbox.find_by_message(caller.chat_id or 0, reply.replied_to)
    prompt = prompt_of(replied) if replied is not None else None
    if prompt is not None:
        if prompt.user != caller.user_id:
            return Refusal.of(Why.NOT_YOUR_PROMPT)
        if prompt.kind is PromptKind.RETURN:
            return await return_report(visit, prompt, reply.text)
        if prompt.kind is PromptKind.REFUSE:
            return await refuse_from_prompt(visit, prompt, reply.text)
        return await extension_from_prompt(visit, prompt, reply.text)
    reading = classify(reply.text) if reply.text.strip() else None
    if replied is not None and replied.kind is MessageKind.INTERIM_REQUEST:
        if reading is None or reading.status is None:
            candidates = reading.candidates if reading is not None else ()
            options = tuple(s for s in answer_statuses() if not candidates or s in candidates)
            return Clarify(replied.id, candidates, options)
        return await answer_request(visit, replied, reading.status, reply)
    if reading is not None and reading.status is not None:
        report = report_of_reply(reading.status, reply)
        return await record_report(visit, visit.core.runtime, report, reminder=replied)
    if reading is None and reply.evidence is None:
        return Refusal.of(Why.UNCLEAR)
    if replied is None:
        return Refusal.of(Why.NOT_A_REMINDER)
    candidates = reading.candidates if reading is not None else ()
    options = tuple(s for s in answer_statuses() if not candidates or s in candidates)
    latest = await latest_of_mine(visit.uow, caller, replied.control_point)
    return Clarify(replied.id, candidates, options, latest)


async def answer_button(core: Core, caller: Caller, report: Report) -> Answer[Recorded | Refusal]:
    """A status button under a reminder, an interim request, or a question about a reply;
    like a status reply, in one transaction with the others that come meanwhile."""
    if report.reminder_id is not None:
        told = await core.replies.join(Gathered(caller, report), partial(record_together, core))
        if isinstance(told, Answer):
            return told
    async with core.visit(caller) as visit:
        row = await visit.uow.outbox.get(report.reminder_id) if report.reminder_id else None
        if row is not None and row.kind is MessageKind.INTERIM_REQUEST:
            said = Reply(report.text, 0, report.message_id or 0, report.evidence)
            answered = await answer_request(visit, row, report.status, said, source=report.source)
            return visit.answer(answered)
        return visit.answer(await record_report(visit, core.runtime, report))
