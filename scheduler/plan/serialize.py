"""Writing plans and their schema as the committed JSON files (UTF-8, indent 2, stable order)."""

from __future__ import annotations

import json

from scheduler.plan.model import Plan


def dump_plan(plan: Plan) -> str:
    """The plan as JSON text; keys follow the models' field order, so output is reproducible."""
    return _dump(plan.model_dump(mode="json"))


def plan_schema_json() -> str:
    """The JSON Schema of :class:`Plan`, as committed in ``data/plan.schema.json``."""
    return _dump(Plan.model_json_schema())


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
