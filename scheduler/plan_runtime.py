"""The plan in force, with everything derived from it: its calendar, control points and schedule.

Built once at start (and again when an administrator changes the plan or the calendar),
then shared read-only by the handlers and the reminder engine.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from scheduler.agencies import AgencyIndex
from scheduler.plan.control_points import ControlPoint, expand
from scheduler.plan.model import Plan
from scheduler.progress import DEFAULT_CONTROL, ControlPolicy
from scheduler.reminders.policy import ReminderPolicy
from scheduler.reminders.schedule import ReminderSchedule
from scheduler.storage.unit_of_work import Database
from scheduler.workdays import ShiftRule, WorkingCalendar


@dataclass(frozen=True)
class PlanRuntime:
    plan: Plan
    calendar: WorkingCalendar
    points: tuple[ControlPoint, ...]
    schedule: ReminderSchedule
    tz: ZoneInfo
    control: ControlPolicy = DEFAULT_CONTROL
    _by_task: dict[int, tuple[ControlPoint, ...]] = field(repr=False, default_factory=dict)
    _agencies: AgencyIndex | None = field(repr=False, default=None)

    def points_of(self, task: int) -> tuple[ControlPoint, ...]:
        return self._by_task.get(task, ())

    def has_task(self, number: int) -> bool:
        return number in self._by_task or any(t.number == number for t in self.plan.tasks)

    def has_agency(self, code: str) -> bool:
        return code in self.plan.agency_codes()

    def agency(self, typed: str) -> str | None:
        """The code of the agency ``typed`` names in any of its spellings (``AgencyIndex``)."""
        index = self._agencies or AgencyIndex.of_plan(self.plan)
        return index.resolve(typed)

    def tasks_of(self, agency: str) -> list[int]:
        return [t.number for t in self.plan.tasks if any(r.code == agency for r in t.responsible)]

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.tz).date()

    def with_plan(self, plan: Plan) -> PlanRuntime:
        """The same calendar and policies, applied to another version of the plan."""
        return _assemble(plan, self.calendar, self.schedule.policy, self.tz, self.control)

    def controls(self, task: int) -> tuple[str, ...]:
        """The departments that control ``task`` (its "control" column)."""
        return self.schedule.controls.get(task, ())


def build_runtime(
    plan: Plan,
    *,
    policy: ReminderPolicy,
    tz: ZoneInfo,
    rule: ShiftRule = ShiftRule.BACKWARD,
    extra_working_days: Iterable[dt.date] = (),
    extra_days_off: Iterable[dt.date] = (),
    control: ControlPolicy = DEFAULT_CONTROL,
) -> PlanRuntime:
    calendar = WorkingCalendar(
        rule=rule, extra_working_days=extra_working_days, extra_days_off=extra_days_off
    )
    return _assemble(plan, calendar, policy, tz, control)


def _assemble(
    plan: Plan,
    calendar: WorkingCalendar,
    policy: ReminderPolicy,
    tz: ZoneInfo,
    control: ControlPolicy,
) -> PlanRuntime:
    points = tuple(expand(plan, calendar))
    by_task: dict[int, list[ControlPoint]] = defaultdict(list)
    for point in points:
        by_task[point.task].append(point)
    controls = {task.number: tuple(task.control) for task in plan.tasks}
    schedule = ReminderSchedule(points, calendar, policy, tz, controls)
    return PlanRuntime(
        plan=plan,
        calendar=calendar,
        points=points,
        schedule=schedule,
        tz=tz,
        control=control,
        _by_task={task: tuple(ps) for task, ps in by_task.items()},
        _agencies=AgencyIndex.of_plan(plan),
    )


async def calendar_overrides(db: Database) -> tuple[list[dt.date], list[dt.date]]:
    """The administrators' extra working days and extra days off."""
    async with db.unit_of_work() as uow:
        return await uow.calendar.overrides()


@dataclass(frozen=True)
class RuntimeFactory:
    """How the settings turn a plan and the calendar corrections into a runtime."""

    policy: ReminderPolicy
    tz: ZoneInfo
    rule: ShiftRule = ShiftRule.BACKWARD
    control: ControlPolicy = DEFAULT_CONTROL

    def build(
        self,
        plan: Plan,
        extra_working_days: Iterable[dt.date] = (),
        extra_days_off: Iterable[dt.date] = (),
    ) -> PlanRuntime:
        return build_runtime(
            plan,
            policy=self.policy,
            tz=self.tz,
            rule=self.rule,
            extra_working_days=extra_working_days,
            extra_days_off=extra_days_off,
            control=self.control,
        )


class PlanHolder:
    """The runtime in force and its version; replaced whole, so readers never see half a change."""

    def __init__(self, runtime: PlanRuntime, version: int | None = None) -> None:
        self.current = runtime
        self.version = version

    def replace(self, runtime: PlanRuntime, version: int | None = None) -> None:
        self.current = runtime
        if version is not None:
            self.version = version
