"""Who oversees what: the tasks a person controls, and the chats that hear a controller's news.

An administrator controls every task. A member with the role ``controller`` of a controlling
department (one that a task's "control" column names) controls that department's tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scheduler.plan_runtime import PlanRuntime
from scheduler.reminders.audiences import audiences
from scheduler.reports.digest import controlled_tasks
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.usecases.core import Visit
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
