"""The action plan as data: models, the decree importer, validation and control points.

Telegram-free: the bot and the CLI call :func:`load_plan`, :func:`validate`, :func:`expand`.
"""

from __future__ import annotations

from scheduler.plan.control_points import ControlPoint, between, expand, in_force_from
from scheduler.plan.decree_import import DecreeImportError, ImportResult, import_decree
from scheduler.plan.model import Plan, Task
from scheduler.plan.serialize import dump_plan, plan_schema_json
from scheduler.plan.validation import PlanError, Problem, load_plan, parse_plan, validate

__all__ = [
    "ControlPoint",
    "DecreeImportError",
    "ImportResult",
    "Plan",
    "PlanError",
    "Problem",
    "Task",
    "between",
    "dump_plan",
    "expand",
    "import_decree",
    "in_force_from",
    "load_plan",
    "parse_plan",
    "plan_schema_json",
    "validate",
]
