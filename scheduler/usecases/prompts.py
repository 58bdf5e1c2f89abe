"""Questions the bot asks one person, answered by replying to them: a return's comment, a
refusal's reason, an extension's date and reason.

A prompt goes out through the outbox like any message, so its answer finds it again: the
reply names the prompt's message, whose outbox row says what was asked, of whom, about what.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass

from scheduler.storage.outbox_repo import OutboxItem
from scheduler.usecases.core import Visit
from scheduler.vocabulary.messages import MessageKind


class PromptKind(enum.StrEnum):
    RETURN = "return"  # the comment of a report returned for rework (ref: the report)
    REFUSE = "refuse"  # the reason an extension is refused (ref: the request)
    EXTEND = "extend"  # the new date and the reason of an extension (ref: the reminder)


@dataclass(frozen=True)
class Prompt:
    """What was asked (``kind``, about ``ref``), for which task and agency, of ``user``."""

    kind: PromptKind
    ref: int
    task: int
    agency: str
    user: int


async def ask(visit: Visit, prompt: Prompt, control_point: str) -> Prompt:
    """Plan the question to the caller's chat; a double press within a minute asks once."""
    minute = visit.now.strftime("%Y%m%d%H%M")
    await visit.tell(
        [visit.caller.chat_id or prompt.user],
        control_point=control_point,
        slot=f"prompt:{prompt.kind}:{prompt.ref}:{prompt.user}:{minute}",
        kind=MessageKind.PROMPT,
        payload=dataclasses.asdict(prompt),
    )
    return prompt


def prompt_of(item: OutboxItem) -> Prompt | None:
    """The prompt a planned message asked, if it was one."""
    if item.kind is not MessageKind.PROMPT:
        return None
    data = item.payload
    return Prompt(
        PromptKind(str(data["kind"])),
        int(data["ref"]),
        int(data["task"]),
        str(data["agency"]),
        int(data["user"]),
    )
