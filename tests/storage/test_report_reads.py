"""The reads and writes every status report makes, on plain columns: the same records as the
mapped classes give, on each engine."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.storage.status_repo import NewStatus
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.control import Decision, Status

POINT = "T06-deadline-2016-06-30"
OTHER = "T07-deadline-2016-12-31"
NOW = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)


def _report(agency: str, status: Status, text: str, point: str = POINT) -> NewStatus:
    return NewStatus(
        control_point=point,
        task_number=int(point[1:3]),
        agency=agency,
        status=status,
        text=text,
        source="reply",
        user_id=501,
        chat_id=501,
        message_id=77,
        evidence_kind="document",
        evidence_file_id="file-1",
        evidence_name="есеп.pdf",
    )


async def test_latest_reports_read_as_the_mapped_rows_with_their_decisions(db: Database) -> None:
    async with db.unit_of_work() as uow:
        first = await uow.statuses.add(_report("МСМ", Status.IN_PROGRESS, "басталды"), NOW)
        done = await uow.statuses.add(_report("МСМ", Status.DONE, "орындалды ✅"), NOW)
        other = await uow.statuses.add(_report("БҒМ", Status.PROBLEM, "мәселе бар"), NOW)
        elsewhere = await uow.statuses.add(_report("ЖАО", Status.DONE, "done", OTHER), NOW)
        assert first < done < other < elsewhere
        decided = await uow.reviews.decide(
            done,
            Decision.RETURN,
            comment="толықтыру керек",
            new_date=dt.date(2027, 1, 15),
            by=900,
            chat_id=900,
            now=NOW,
        )
        assert decided
    async with db.unit_of_work() as uow:
        latest = await uow.statuses.latest([POINT, OTHER, "T99-none"])
        mapped = {e.id: e for e in await uow.statuses.by_ids([done, other, elsewhere])}
    assert set(latest) == {POINT, OTHER}
    assert latest[POINT] == {"МСМ": mapped[done], "БҒМ": mapped[other]}
    assert latest[OTHER] == {"ЖАО": mapped[elsewhere]}
    review = latest[POINT]["МСМ"].review
    assert review is not None
    assert (review.decision, review.comment, review.new_date, review.by, review.at) == (
        Decision.RETURN,
        "толықтыру керек",
        dt.date(2027, 1, 15),
        900,
        NOW,
    )
    assert latest[POINT]["МСМ"].text == "орындалды ✅"
    assert latest[POINT]["БҒМ"].review is None
    assert latest[POINT]["МСМ"].created_at == NOW


async def test_an_audit_entry_is_written_at_once_and_kept_with_its_unit(db: Database) -> None:
    async with db.unit_of_work() as uow:
        await uow.audit.record(
            at=NOW, user_id=7, chat_id=-100, action="status.report", allowed=False, detail={"т": 1}
        )
        # Written when recorded, so the unit's own reads see it before it commits.
        assert [e.action for e in await uow.audit.recent()] == ["status.report"]
    with pytest.raises(LookupError):
        async with db.unit_of_work() as uow:
            await uow.audit.record(at=NOW, user_id=8, chat_id=8, action="gone", allowed=True)
            raise LookupError("rolled back")
    async with db.reading() as uow:
        entries = await uow.audit.recent()
    assert [(e.action, e.user_id, e.allowed, dict(e.detail)) for e in entries] == [
        ("status.report", 7, False, {"т": 1})
    ]
