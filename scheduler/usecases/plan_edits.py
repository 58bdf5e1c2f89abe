"""Changes of the plan an administrator asks for in chat: an edit of one task, or a plan file.

Each is read and validated at once; a valid one becomes a draft to confirm
(``scheduler.usecases.plan_drafts``), an invalid one is refused with its problems, coded to be
told in the administrator's language, and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.decree_import import DecreeImportError
from scheduler.plan.edits import EditError, change_agencies, change_deadline, change_reports
from scheduler.plan.model import Plan
from scheduler.plan.plan_files import import_plan_file
from scheduler.plan.problems import PlanProblem
from scheduler.plan.table_files import MAX_FILE_BYTES, format_of
from scheduler.plan.table_problems import TableImportError, TableProblem
from scheduler.plan.validation import PlanError, parse_plan
from scheduler.refusals import Refusal
from scheduler.uploads import Fetch, TooLarge
from scheduler.usecases.core import Answer, Core
from scheduler.usecases.plan_drafts import Proposal, propose

# A plan file is small: the 2015–2016 plan is about 60 KB; far more is surely a mistake.
MAX_PLAN_BYTES = 2 * 1024 * 1024

EDITS = {"deadline": change_deadline, "reports": change_reports, "agencies": change_agencies}

Problem = PlanProblem | TableProblem


@dataclass(frozen=True)
class Rejected:
    """The new plan or the edit is invalid; nothing changed. Each problem coded, to be told in
    the reader's language; ``english`` for the logs."""

    problems: tuple[Problem, ...]

    @property
    def english(self) -> tuple[str, ...]:
        return tuple(p.english() for p in self.problems)


async def edit_task(
    core: Core, caller: Caller, *, field: str, task: int, value: str
) -> Answer[Proposal | Rejected | Refusal]:
    """Propose a change of one task's deadline, reporting dates or agencies: a draft to confirm."""
    async with core.visit(caller) as visit:
        detail = {"field": field, "task": task, "value": value}
        if refused := await visit.refuse_unless_admin("plan.edit", detail):
            return visit.answer(refused)
        try:
            new_plan = EDITS[field](core.plans.current.plan, task, value)
        except EditError as exc:
            return visit.answer(Rejected(tuple(exc.problems)))
        return visit.answer(await propose(visit, new_plan=new_plan, source="edit", detail=detail))


async def upload_plan(
    core: Core,
    caller: Caller,
    *,
    fetch: Fetch,
    name: str,
    size: int | None,
) -> Answer[Proposal | Rejected | Refusal]:
    """Propose the plan an uploaded file holds, if it is valid; the running plan stays until
    the administrator confirms.

    A ``.json`` file is a plan file; an ``.xlsx``, ``.csv`` or ``.docx`` one is a plan table
    (or the decree's Word form), imported as ``plan import`` does, its agencies keeping the
    codes the plan in force gives their names. The file is fetched only once the sender is
    known to be an administrator, and outside any transaction, since a download may take a
    while. ``size`` is what the update says: a file said to be too large is refused unread,
    but a missing or smaller size is not believed, and the download stops at the limit.
    """
    detail = {"file": name, "bytes": size}
    async with core.visit(caller) as visit:
        refused = await visit.refuse_unless_admin("plan.upload", detail)
    if refused is not None:
        return visit.answer(refused)
    read = await _read_upload(core, fetch, name, size)
    if isinstance(read, Rejected):
        return visit.answer(read)
    async with core.visit(caller) as visit:
        return visit.answer(await propose(visit, new_plan=read, source="upload", detail=detail))


async def _read_upload(core: Core, fetch: Fetch, name: str, size: int | None) -> Plan | Rejected:
    """The plan an uploaded file holds, or why it holds none."""
    table = format_of(name) is not None
    limit = MAX_FILE_BYTES if table else MAX_PLAN_BYTES
    raw: bytes | None = None
    if size is None or size <= limit:
        try:
            raw = await fetch(limit)
        except TooLarge:
            size = None
    if raw is None:
        return _too_big(name, size, limit, table=table)
    if table:
        known = core.runtime.plan.agencies
        try:
            return import_plan_file(raw, name, known_agencies=known).plan
        except TableImportError as exc:
            return Rejected(exc.problems)
        except DecreeImportError as exc:
            return Rejected((exc.problem,))
    try:
        return parse_plan(raw, source=name)
    except PlanError as exc:
        return Rejected(tuple(exc.problems))


def _too_big(name: str, size: int | None, limit: int, *, table: bool) -> Rejected:
    """The refusal of a file over ``limit``: of its size when known, else of what was read."""
    problem: Problem
    if table:
        problem = (
            TableProblem("over_limit", {"limit": limit})
            if size is None
            else TableProblem("too_big", {"size": size, "limit": limit})
        )
    elif size is None:
        problem = PlanProblem("plan.over_limit", {"limit": limit}, path=name)
    else:
        problem = PlanProblem("plan.too_big", {"size": size, "limit": limit}, path=name)
    return Rejected((problem,))
