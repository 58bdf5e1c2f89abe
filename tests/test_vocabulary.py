"""The vocabularies are complete: every status, state, kind and refusal has all it needs.

A state added to ``scheduler.vocabulary.control`` without its labels in every language, a
colour or a summary column, a message kind without its renderer, or a refusal code without
its message fails here rather than in front of a user.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.delivery.renderer import FACTS_RENDERERS, PAYLOAD_RENDERERS
from bot.export.summary_text import SUMMARY_COLUMNS
from bot.features.callback_data import ROW_ID_MAX
from bot.features.status.callbacks import ANSWER, CLARIFY
from bot.i18n.catalog import LANGUAGES, Catalog, load_catalog
from scheduler.refusals import Why
from scheduler.storage.tables import OutboxRow
from scheduler.vocabulary.control import (
    ITEM_STATES,
    STATUSES,
    ItemState,
    Status,
    answer_statuses,
    state_of,
    status_named,
    status_of_button,
    summary_columns,
)
from scheduler.vocabulary.messages import MESSAGE_KINDS, MessageKind, Phase, Slot

COLOUR = re.compile(r"#[0-9a-f]{6}")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _missing(catalog: Catalog, keys: set[str]) -> dict[str, list[str]]:
    return {lang: sorted(keys - catalog.keys(lang)) for lang in LANGUAGES}


def test_every_status_and_state_is_declared() -> None:
    assert set(STATUSES) == set(Status)
    assert set(ITEM_STATES) == set(ItemState)
    assert {state_of(s) for s in Status} | {state_of(None)} <= set(ItemState)


def test_every_state_has_a_colour_and_a_summary_column(catalog: Catalog) -> None:
    columns = [spec.column for spec in ITEM_STATES.values()]
    colours = [spec.colour for spec in ITEM_STATES.values()]
    assert len(set(colours)) == len(colours)
    assert all(COLOUR.fullmatch(c) for c in colours)
    # Done and accepted share a column: the summary counts what is finished either way.
    assert list(summary_columns()) == list(dict.fromkeys(columns))
    assert set(summary_columns()) <= set(SUMMARY_COLUMNS)
    keys = {f"report.col.{c}" for c in SUMMARY_COLUMNS}
    assert _missing(catalog, keys) == {lang: [] for lang in LANGUAGES}


def test_every_status_and_state_has_its_labels_in_every_language(catalog: Catalog) -> None:
    keys = {spec.label_key for spec in STATUSES.values()}
    keys |= {spec.button_key for spec in STATUSES.values() if spec.button_key}
    keys |= {spec.label_key for spec in ITEM_STATES.values()}
    keys |= {spec.plain_key for spec in ITEM_STATES.values()}
    assert _missing(catalog, keys) == {lang: [] for lang in LANGUAGES}


def test_the_answer_buttons_are_short_distinct_and_read_back() -> None:
    codes = [spec.button for spec in STATUSES.values() if spec.button]
    assert len(set(codes)) == len(codes) and all(len(c.encode()) <= 4 for c in codes)
    assert all(STATUSES[s].button_key for s in answer_statuses())
    for status in answer_statuses():
        code = STATUSES[status].button or ""
        assert status_of_button(code) is status
        for kind, extra in ((ANSWER, ()), (CLARIFY, (ROW_ID_MAX,))):
            data = kind.build(ROW_ID_MAX, code, *extra)
            assert len(data.encode()) <= 64
            assert kind.parse(data) == (str(ROW_ID_MAX), code, *map(str, extra))
            # An id the database cannot hold names no row: the button is stale.
            assert kind.parse(kind.build(ROW_ID_MAX + 1, code, *extra)) is None
    assert ANSWER.parse("st:1:z") is None and ANSWER.parse("st:x:d") is None
    assert CLARIFY.parse("st:1:d") is None


def test_what_closes_a_point_and_what_stops_the_chasing() -> None:
    closing = {s for s, spec in ITEM_STATES.items() if spec.closes}
    quiet = {s for s, spec in ITEM_STATES.items() if spec.stops_chasing}
    assert closing == {ItemState.DONE, ItemState.ACCEPTED}
    # A report waiting for acceptance is not chased, and does not close the point.
    assert quiet == closing | {ItemState.AWAITING_ACCEPTANCE}
    assert state_of(Status.DONE) is ItemState.DONE and state_of(None) is ItemState.NOT_STARTED
    for state, spec in ITEM_STATES.items():
        # A state that closes the point can only be one the agency is no longer chased in.
        assert not spec.closes or spec.stops_chasing, state


def test_typed_status_words() -> None:
    for status, spec in STATUSES.items():
        for word in spec.words:
            assert status_named(word.upper()) is status
    assert status_named("finished") is None


def test_every_message_kind_has_a_spec_and_a_renderer(catalog: Catalog) -> None:
    assert set(MESSAGE_KINDS) == set(MessageKind)
    for kind, spec in MESSAGE_KINDS.items():
        rendered_by = FACTS_RENDERERS if spec.about_point else PAYLOAD_RENDERERS
        assert kind in rendered_by, kind
    assert set(FACTS_RENDERERS).isdisjoint(PAYLOAD_RENDERERS)
    headings = {s.heading_key for s in MESSAGE_KINDS.values() if s.about_point}
    assert _missing(catalog, headings) == {lang: [] for lang in LANGUAGES}


def test_every_phase_has_a_kind_and_slots_read_back() -> None:
    slots = [Slot(Phase.BEFORE, 10), Slot(Phase.BEFORE, 0), Slot(Phase.OVERDUE, 3)]
    slots.append(Slot(Phase.ESCALATION))
    day = dt.date(2016, 7, 20)
    slots += [Slot(Phase.BEFORE, 5, due=day), Slot(Phase.SNOOZED, due=day)]
    assert [str(s) for s in slots] == ["-10", "0", "+3", "esc", "-5@2016-07-20", "z@2016-07-20"]
    assert [Slot.parse(str(s)) for s in slots] == slots
    kinds = {MessageKind.REMINDER, MessageKind.OVERDUE, MessageKind.ESCALATION}
    assert {s.kind for s in slots} == kinds
    for text in ("", "+", "-x", "+0", "weekly", "+٣", "z", "-5@", "-5@2016-13-01"):
        with pytest.raises(ValueError):
            Slot.parse(text)


def test_every_refusal_has_its_message_in_every_language(catalog: Catalog) -> None:
    keys = {f"refusal.{why}" for why in Why}
    assert _missing(catalog, keys) == {lang: [] for lang in LANGUAGES}
    used = {k.removeprefix("refusal.") for k in catalog.keys("kk") if k.startswith("refusal.")}
    assert used == {str(why) for why in Why}, "a refusal message no code names"


def test_every_message_kind_fits_the_outbox_column() -> None:
    width = OutboxRow.__table__.c.kind.type.length
    assert max(len(kind.value) for kind in MessageKind) <= width
    day = dt.date(2016, 12, 30)
    assert len(str(Slot(Phase.OVERDUE, 999, due=day))) <= OutboxRow.__table__.c.slot.type.length
