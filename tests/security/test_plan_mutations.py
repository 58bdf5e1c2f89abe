"""Every broken plan file is refused with the place of each problem; a byte-order mark is not.

These go through :func:`parse_plan`, the function the bot calls on an uploaded file and on
the plan file at start; ``test_plan_upload`` sends a representative subset to the bot.
"""

from __future__ import annotations

import pytest

from scheduler.plan import PlanError, parse_plan
from tests.security.plan_mutations import MUTATIONS, Mutation, plan_bytes

BOM = b"\xef\xbb\xbf"


def test_the_mutations_are_distinct_and_many() -> None:
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS) >= 20
    assert len({m.make() for m in MUTATIONS}) == len(MUTATIONS)


def test_the_unbroken_layout_is_accepted() -> None:
    assert len(parse_plan(plan_bytes()).tasks) == 18


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_a_broken_plan_is_refused_at_its_place(mutation: Mutation) -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(mutation.make(), source="plan.json")
    found = {p.path: p.message for p in info.value.problems}
    assert mutation.place in found, found
    assert mutation.says in found[mutation.place], found[mutation.place]
    assert str(info.value).startswith("plan.json: ")


def test_a_byte_order_mark_is_accepted_and_changes_nothing() -> None:
    # Windows editors save UTF-8 with a byte-order mark; refusing the file for an invisible
    # character would only puzzle an administrator, so the mark is ignored.
    assert parse_plan(BOM + plan_bytes()) == parse_plan(plan_bytes())
    text = (BOM + plan_bytes()).decode("utf-8")
    assert parse_plan(text) == parse_plan(plan_bytes())


def test_a_byte_order_mark_does_not_hide_a_broken_file() -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(BOM + b'{\n  "title": \n}')
    assert [str(p) for p in info.value.problems] == ["3:1: malformed JSON: Expecting value"]


def test_a_mark_inside_the_file_is_still_refused() -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(b" " + BOM + plan_bytes())
    assert info.value.problems[0].path == "1:2"
