"""Broken variants of the committed plan.json, each with the place and words of its refusal.

Each mutation starts from the committed plan, laid out by ``json.dumps(indent=2)`` so that
line and column numbers of malformed files are known, and breaks one thing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from tests.e2e.harness import PLAN_PATH

Data = dict[str, Any]


@cache
def _committed() -> Data:
    data: Data = json.loads(PLAN_PATH.read_text(encoding="utf-8"))
    return data


def plan_text(data: Data | None = None) -> str:
    return json.dumps(_committed() if data is None else data, ensure_ascii=False, indent=2)


def plan_bytes(data: Data | None = None) -> bytes:
    return plan_text(data).encode("utf-8")


@dataclass(frozen=True)
class Mutation:
    """``make`` builds the broken file; the refusal names ``place`` and contains ``says``."""

    name: str
    make: Callable[[], bytes]
    place: str
    says: str


def _edited(change: Callable[[Data], object]) -> Callable[[], bytes]:
    def make() -> bytes:
        data = copy.deepcopy(_committed())
        change(data)
        return plan_bytes(data)

    return make


def _position(text: str, index: int) -> str:
    """``line:column`` of ``text[index]``, both counted from 1 as editors show them."""
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def _missing_colon() -> tuple[bytes, str]:
    text = plan_text()
    broken = text.replace('"timezone": "Asia/Almaty"', '"timezone" "Asia/Almaty"', 1)
    # The reader wants the colon where the value starts.
    at = broken.index('"timezone" "Asia/Almaty"') + len('"timezone" ')
    return broken.encode("utf-8"), _position(broken, at)


def _truncated() -> tuple[bytes, str]:
    text = plan_text()
    cut = text[: text.index('"tasks": [') + len('"tasks": [')]
    # Nothing follows the opening bracket: the reader stops at the end of the file.
    return cut.encode("utf-8"), _position(cut + " ", len(cut))


def _latin1_code() -> tuple[bytes, str]:
    raw = plan_bytes()
    at = raw.index("МСМ".encode())
    return raw[:at] + "МСМ".encode("cp1251") + raw[at + len("МСМ".encode()) :], f"byte {at}"


def _set(path: str, value: object) -> Callable[[Data], None]:
    """Set the value at a dotted path such as ``tasks[3].deadline.reading``."""

    def change(data: Data) -> None:
        node, last = _walk(data, path)
        node[last] = value

    return change


def _drop(path: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        node, last = _walk(data, path)
        del node[last]

    return change


def _walk(data: Data, path: str) -> tuple[Any, Any]:
    keys: list[Any] = []
    for piece in path.replace("[", ".[").split("."):
        keys.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    node: Any = data
    for key in keys[:-1]:
        node = node[key]
    return node, keys[-1]


def _both(*changes: Callable[[Data], None]) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        for one in changes:
            one(data)

    return change


def _raw(build: Callable[[], tuple[bytes, str]], name: str, says: str) -> Mutation:
    return Mutation(name, lambda: build()[0], build()[1], says)


MUTATIONS: tuple[Mutation, ...] = (
    _raw(_missing_colon, "malformed JSON", "malformed JSON: Expecting ':' delimiter"),
    _raw(_truncated, "truncated file", "malformed JSON: Expecting value"),
    _raw(_latin1_code, "non-UTF-8 bytes", "not UTF-8 text"),
    Mutation("nested too deeply", lambda: b"[" * 100_000, "(top level)", "nested too deeply"),
    Mutation(
        "a number of 5000 digits",
        lambda: b'{"tasks": [{"number": ' + b"7" * 5000 + b"}]}",
        "(top level)",
        "a number too long to read",
    ),
    Mutation("not an object", lambda: b"[]", "(top level)", "valid dictionary"),
    Mutation(
        "missing field",
        _edited(_drop("tasks[2].funding.required")),
        "tasks[2].funding.required",
        "missing field",
    ),
    Mutation(
        "wrong type",
        _edited(_set("tasks[4].number", 5.5)),
        "tasks[4].number",
        "fractional part",
    ),
    Mutation(
        "string instead of list",
        _edited(_set("tasks[5].control", "ІСБ")),
        "tasks[5].control",
        "valid list",
    ),
    Mutation("null title", _edited(_set("title", None)), "title", "valid dictionary"),
    Mutation(
        "unknown agency in responsible",
        _edited(_set("tasks[9].responsible[1].code", "ЖОҚ")),
        "tasks[9].responsible[1].code",
        "unknown agency code ЖОҚ (known: ",
    ),
    Mutation(
        "unknown agency in control",
        _edited(_set("tasks[8].control[0]", "ХХХ")),
        "tasks[8].control[0]",
        "unknown agency code ХХХ",
    ),
    Mutation(
        "unknown recipient of reports",
        _edited(_set("tasks[6].form.recipient", "ЖЖЖ")),
        "tasks[6].form.recipient",
        "unknown agency code ЖЖЖ",
    ),
    Mutation(
        "duplicate task number",
        _edited(_set("tasks[17].number", 1)),
        "tasks[17].number",
        "duplicate task number 1 (as tasks[0])",
    ),
    Mutation(
        "negative task number",
        _edited(_set("tasks[2].number", -3)),
        "tasks[2].number",
        "greater than or equal to 1",
    ),
    Mutation(
        "huge task number",
        _edited(_set("tasks[0].number", 10**20)),
        "tasks[0].number",
        "100000000000000000000 is too large",
    ),
    Mutation(
        "impossible date",
        _edited(_set("tasks[3].deadline.boundary", "2015-13-01")),
        "tasks[3].deadline.boundary",
        "2015-13-01",
    ),
    Mutation(
        "reporting date before the plan starts",
        _edited(_set("tasks[11].form.report_dates[1].date", "2014-12-20")),
        "tasks[11].form.report_dates[1].date",
        "the reporting date 2014-12-20 is before the plan starts (2015-01-01)",
    ),
    Mutation(
        "deadline of a stage after the period",
        _edited(
            _both(
                _set("tasks[11].deadline.parts[0].deadline.year", 2017),
                _set("tasks[11].deadline.parts[0].deadline.date", "2017-06-30"),
            )
        ),
        "tasks[11].deadline.parts[0].deadline.date",
        "the deadline 2017-06-30 is after the plan ends (2016-12-31)",
    ),
    Mutation(
        "period end that is not one",
        _edited(_set("tasks[5].deadline.date", "2016-06-29")),
        "tasks[5].deadline.date",
        "2016-06-29 is not the end of half_year 1 of 2016 (2016-06-30)",
    ),
    Mutation("empty tasks", _edited(_set("tasks", [])), "tasks", "the plan has no tasks"),
    Mutation(
        "consolidator marked twice",
        _edited(
            _both(
                _set("tasks[0].responsible[1].consolidator", True),
                _set("tasks[0].responsible[3].consolidator", True),
            )
        ),
        "tasks[0].responsible[3].consolidator",
        "only one agency consolidates (already responsible[1])",
    ),
    Mutation(
        "unknown deadline kind",
        _edited(_set("tasks[7].deadline.kind", "sometime")),
        "tasks[7].deadline",
        "sometime",
    ),
    Mutation(
        "before_date without reading",
        _edited(_drop("tasks[3].deadline.reading")),
        "tasks[3].deadline.reading",
        "missing field",
    ),
    Mutation(
        "composite with no parts",
        _edited(_set("tasks[11].deadline.parts", [])),
        "tasks[11].deadline.parts",
        "at least 1 item",
    ),
    Mutation(
        "duplicate agency code in the glossary",
        _edited(_set("agencies[5].code", "ӘдМ")),
        "agencies[5].code",
        "duplicate agency code ӘдМ",
    ),
    Mutation(
        "unknown time zone",
        _edited(_set("timezone", "Asia/Nowhere")),
        "timezone",
        "unknown time zone 'Asia/Nowhere'",
    ),
    Mutation(
        "period ends before it starts",
        _edited(_set("period.end", "2014-12-31")),
        "period.end",
        "2014-12-31 is before the start 2015-01-01",
    ),
    Mutation(
        "unknown field",
        _edited(_set("tasks[0].colour", "red")),
        "tasks[0].colour",
        "Extra inputs are not permitted",
    ),
    Mutation(
        "task in a section that does not exist",
        _edited(_set("tasks[13].section", 9)),
        "tasks[13].section",
        "no section 9 in sections",
    ),
)
