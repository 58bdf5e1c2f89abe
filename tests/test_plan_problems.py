"""Every coded plan problem has its message in every language, and none is English in disguise."""

from __future__ import annotations

import re

import pytest

from bot.i18n.catalog import LANGUAGES, Catalog, load_catalog
from scheduler.plan.problems import CELL_NAMES, ENGLISH, PlanProblem
from scheduler.plan.table_problems import CAUSE_PARAMS
from scheduler.plan.table_problems import ENGLISH as TABLE_ENGLISH
from tests.english import foreign_english


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_problem_code_has_its_message_and_no_message_lacks_a_code(catalog: Catalog) -> None:
    worded = ("problem.unit.", "problem.cell.", "problem.place.")
    for language in LANGUAGES:
        keys = {k for k in catalog.keys(language) if k.startswith("problem.")}
        codes = {k.removeprefix("problem.") for k in keys if not k.startswith(worded)}
        assert codes == set(ENGLISH), language
        assert {f"problem.cell.{c}" for c in CELL_NAMES} <= keys
    assert set(CAUSE_PARAMS) <= set(TABLE_ENGLISH)


def test_kazakh_and_russian_messages_are_not_english(catalog: Catalog) -> None:
    prefixes = ("problem.", "preview.", "refusal.", "table.", "edit.", "event.", "change.")
    for language in ("kk", "ru"):
        for key, text in catalog.messages[language].items():
            if key.startswith(prefixes):
                assert foreign_english(re.sub(r"<[^>]+>|/\w+", " ", text)) == [], (language, key)


def test_an_unknown_code_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="no such problem code"):
        PlanProblem("phrase.no_such_thing")
