"""Who hears of a control point: the chats that follow its agencies or its task, and its
controllers — the chats that follow its controlling departments and the departments' members
who control (role ``controller``), with the administrators where nobody else would hear.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scheduler.storage.chat_range import EVERY_CHAT, ChatRange
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.vocabulary.roles import Role
from scheduler.vocabulary.subscriptions import Follow


@dataclass(frozen=True)
class Audiences:
    """The followers of some agencies and tasks, and the controllers of some departments."""

    by_target: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    controllers: dict[str, set[int]] = field(default_factory=dict)

    def agency(self, code: str) -> set[int]:
        return self.by_target.get((Follow.AGENCY, code), set())

    def task(self, number: int) -> set[int]:
        return self.by_target.get((Follow.TASK, str(number)), set())

    def department(self, code: str) -> set[int]:
        """The chats following the department, and its controllers' own chats."""
        return self.agency(code) | self.controllers.get(code, set())

    def control(self, departments: Iterable[str], admins: Sequence[int]) -> set[int]:
        """Who decides for a task: its departments' chats, else the administrators."""
        chats: set[int] = set()
        for code in departments:
            chats |= self.department(code)
        return chats or set(admins)


async def audiences(
    uow: UnitOfWork,
    *,
    agencies: Iterable[str] = (),
    tasks: Iterable[int] = (),
    departments: Iterable[str] = (),
    chats: ChatRange = EVERY_CHAT,
) -> Audiences:
    """Read, in two queries, who follows ``agencies``, ``tasks`` and ``departments``, of the
    chats in ``chats``."""
    wanted = set(departments)
    followers = await uow.subscriptions.followers(
        agencies=set(agencies) | wanted, tasks=tasks, chats=chats
    )
    by_target: dict[tuple[str, str], set[int]] = defaultdict(set)
    for sub in followers:
        by_target[(sub.kind, sub.target)].add(sub.chat_id)
    controllers: dict[str, set[int]] = defaultdict(set)
    for member in await uow.members.with_role(wanted, Role.CONTROLLER, users=chats):
        controllers[member.agency].add(member.user_id)
    return Audiences(dict(by_target), dict(controllers))
