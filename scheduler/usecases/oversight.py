"""Who oversees what: the tasks a person controls, and the chats that hear a controller's news.

An administrator controls every task. A member with the role ``controller`` of a controlling
department (one that a task's "control" column names) controls that department's tasks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from scheduler.plan.control_points import ControlPoint
from scheduler.plan_runtime import PlanRuntime
from scheduler.refusals import Refusal, Why
from scheduler.reminders.audiences import audiences
from scheduler.reports.digest import controlled_tasks
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.usecases.core import Visit
from scheduler.vocabulary.messages import MessageKind
from scheduler.vocabulary.roles import Role


async def tasks_controlled(visit: Visit) -> frozenset[int] | None:
    """The tasks the caller controls; None for an administrator, who controls every one."""
    if await visit.caller_is_admin():
        return None
    return controlled_tasks(visit.core.runtime.plan, await departments_of(visit))


async def departments_of(visit: Visit) -> set[str]:
    """The departments the caller is a controller of."""
    members = await visit.uow.members.of_user(visit.caller.user_id or 0)
    return {m.agency for m in members if m.role == Role.CONTROLLER}


async def controls(visit: Visit, task: int) -> bool:
    tasks = await tasks_controlled(visit)
    return tasks is None or task in tasks


async def may_decide(
    visit: Visit,
    point: ControlPoint,
    *,
    agency: str,
    author: int,
    sent: Collection[MessageKind],
    key: str,
    ref: int,
) -> Refusal | None:
    """None when the caller may decide on what ``author`` sent for ``agency`` at ``point``;
    otherwise why not.

    The caller must control the point's task, belong neither to the agency nor be the
    author, and decide from the chat the matter was sent to: a message of a kind in
    ``sent`` whose payload's ``key`` is ``ref`` (a button's data can be forged or replayed).
    """
    runtime, uow, caller = visit.core.runtime, visit.uow, visit.caller
    if not await controls(visit, point.task):
        return Refusal.of(
            Why.NOT_CONTROLLER, task=point.task, departments=runtime.controls(point.task)
        )
    mine = {m.agency for m in await uow.members.of_user(caller.user_id or 0)}
    if author == caller.user_id or agency in mine:
        return Refusal.of(Why.OWN_REPORT, agency=agency)
    told = await uow.outbox.told(caller.chat_id or 0, point.id, tuple(sent))
    if not any(t.payload.get(key) == ref for t in told):
        return Refusal.of(Why.NOT_SENT_HERE)
    return None


async def controller_chats(
    uow: UnitOfWork, runtime: PlanRuntime, task: int, admins: Sequence[int]
) -> set[int]:
    """Where a task's controllers hear of it: its departments' chats and controllers' own,
    or the administrators when the departments have nobody."""
    departments = runtime.controls(task)
    heard = await audiences(uow, departments=departments)
    return heard.control(departments, admins)


async def agency_chats(uow: UnitOfWork, agencies: Iterable[str], *also: int | None) -> set[int]:
    """Where an agency hears a controller's news: the chats following it, and ``also``."""
    codes = set(agencies)
    heard = await audiences(uow, agencies=codes)
    chats = {chat for code in codes for chat in heard.agency(code)}
    return chats | {chat for chat in also if chat is not None}
