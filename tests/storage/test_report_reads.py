"""The reads and writes every status report makes, on plain columns: the same records as the
mapped classes give, on each engine; and the reads made for many reports at once, the same as
those made for each."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.participants import ChatInfo, UserInfo
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.status_repo import NewStatus
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.control import Decision, Status
from scheduler.vocabulary.messages import MessageKind

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


async def test_held_audit_entries_are_written_in_their_order_when_the_unit_commits(
    db: Database,
) -> None:
    async with db.unit_of_work() as uow:
        uow.audit.hold()
        for n in range(3):
            await uow.audit.record(
                at=NOW, user_id=n, chat_id=n, action=f"held.{n}", allowed=True, detail={"n": n}
            )
        # Held: nothing is written until the unit commits.
        assert await uow.audit.recent() == []
    with pytest.raises(LookupError):
        async with db.unit_of_work() as uow:
            uow.audit.hold()
            await uow.audit.record(at=NOW, user_id=9, chat_id=9, action="gone", allowed=True)
            raise LookupError("rolled back")
    async with db.reading() as uow:
        entries = await uow.audit.everything()
    assert [(e.action, e.user_id, dict(e.detail)) for e in entries] == [
        ("held.0", 0, {"n": 0}),
        ("held.1", 1, {"n": 1}),
        ("held.2", 2, {"n": 2}),
    ]


async def test_the_reads_made_for_many_reports_at_once_match_the_reads_made_for_one(
    db: Database,
) -> None:
    private, group, stranger = 501, -100500, 777
    async with db.unit_of_work() as uow:
        await uow.contacts.save_user(
            UserInfo(id=private, first_name="Әсел", language_code="ru"), NOW
        )
        await uow.contacts.save_user(UserInfo(id=502, first_name="Бақыт", language_code="de"), NOW)
        await uow.contacts.set_user_language(502, "kk")
        await uow.contacts.save_chat(ChatInfo(id=group, type="group", title="Топ"), NOW)
        await uow.contacts.set_chat_language(group, "en")
        await uow.members.add(private, "МСМ", "officer", NOW, None)
        await uow.members.add(private, "ЖАО", "officer", NOW, None)
        await uow.members.add(502, "БҒМ", "coordinator", NOW, None)
        await uow.members.add(502, "ИДМ", "officer", NOW, None)
        await uow.members.remove(502, "ИДМ")
        for chat, message in ((private, 77), (group, 77), (group, 78)):
            new = NewMessage(chat, POINT, f"s{message}", MessageKind.REMINDER, NOW, {"m": message})
            await uow.outbox.enqueue([new], NOW)
        for item in await uow.outbox.claim(NOW, "t", limit=3, lease=dt.timedelta(minutes=5)):
            await uow.outbox.mark_sent(item.id, NOW, int(item.payload["m"]), by="t")
    pairs = [(private, private), (502, group), (502, 502), (stranger, stranger), (None, group)]
    messages = [(private, 77), (group, 77), (group, 78), (group, 79), (stranger, 77)]
    async with db.reading() as uow:
        prefs = await uow.contacts.language_prefs_of(pairs)
        one_by_one = {p: await uow.contacts.language_prefs(*p) for p in pairs}
        found = await uow.outbox.find_by_messages(messages)
        each = {m: await uow.outbox.find_by_message(*m) for m in messages}
        ids = [item.id for item in found.values()] + [99_999]
        by_id = await uow.outbox.by_ids(ids)
        got = {i: await uow.outbox.get(i) for i in ids}
        agencies = await uow.members.agencies_of([private, 502, stranger])
        memberships = {u: await uow.members.of_user(u) for u in (private, 502, stranger)}
    assert prefs == one_by_one
    assert prefs[(private, private)].telegram == "ru" and prefs[(502, group)].chat == "en"
    assert found == {m: item for m, item in each.items() if item is not None}
    assert set(found) == {(private, 77), (group, 77), (group, 78)}
    assert by_id == {i: item for i, item in got.items() if item is not None} and len(by_id) == 3
    assert agencies == {u: frozenset(m.agency for m in ms) for u, ms in memberships.items() if ms}
    assert agencies == {private: frozenset({"МСМ", "ЖАО"}), 502: frozenset({"БҒМ"})}
