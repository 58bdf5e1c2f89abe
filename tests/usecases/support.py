"""Building the core the use cases run on, straight from a database, a clock and a plan."""

from __future__ import annotations

from scheduler.clock import Clock
from scheduler.participants import Caller, ChatInfo, UserInfo
from scheduler.plan_runtime import PlanHolder, PlanRuntime, RuntimeFactory
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.core import Core


def core_for(
    db: Database, clock: Clock, runtime: PlanRuntime, admins: tuple[int, ...] = ()
) -> Core:
    """A core whose plan in force is ``runtime``, with ``admins`` named in the settings."""
    factory = RuntimeFactory(policy=runtime.schedule.policy, tz=runtime.tz, control=runtime.control)
    return Core(db=db, clock=clock, plans=PlanHolder(runtime), factory=factory, admins=admins)


def person(user_id: int, name: str = "Әсел", *, chat_id: int | None = None) -> Caller:
    """Someone writing in their private chat, or in the group ``chat_id``."""
    chat = (
        ChatInfo(id=user_id, type="private", title=name)
        if chat_id is None
        else ChatInfo(id=chat_id, type="group", title="Топ")
    )
    return Caller(UserInfo(id=user_id, first_name=name), chat)
