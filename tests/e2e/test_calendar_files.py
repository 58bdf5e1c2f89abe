"""Calendar files that update instead of doubling, through the local Bot API.

The file is imported into a calendar store the way Outlook and Google Calendar keep one: an
event is found by its UID, and a later SEQUENCE replaces it. Before and after a deadline moves,
the store holds one event per control point.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from tests.e2e.harness import RunningBot, buttons_of, decide_preview, running_bot

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, READER = 7401, 7402


def _store(store: dict[str, icalendar.Event], content: bytes) -> None:
    """Import a file: an event with an unknown UID is added, a known one updated when newer."""
    for event in icalendar.Calendar.from_ical(content).walk("VEVENT"):
        uid = str(event["UID"])
        held = store.get(uid)
        if held is None or int(event["SEQUENCE"]) >= int(held["SEQUENCE"]):
            store[uid] = event


async def _ics(bot: RunningBot, user: int, text: str) -> tuple[bytes, dict[str, Any]]:
    server = bot.server
    mark = server.mark()
    server.send_text(user, text)
    sent = await server.wait_for_call("sendDocument", since=mark)
    stored = server.file(sent.result["document"]["file_id"])
    assert stored is not None
    return stored.content, sent.result


async def test_a_moved_deadline_updates_its_event(botapi: BotApiServer, database_url: str) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        botapi.user(READER, "Читатель", language_code="ru")
        points = len(bot.svc.runtime.points)
        store: dict[str, icalendar.Event] = {}

        before, sent = await _ics(bot, READER, "/ics")
        assert sent["document"]["file_name"] == "eskertu-plan.ics"
        _store(store, before)
        assert len(store) == points
        [deadline] = [e for e in store.values() if str(e["UID"]).startswith("T06-deadline-")]
        assert deadline.decoded("DTSTART") == dt.date(2016, 6, 30)
        assert int(deadline["SEQUENCE"]) == 0

        clock.advance(dt.timedelta(hours=2))
        preview = await _say(bot, ADMIN, "/setdeadline 6 2016 ж., 15-ші шілдеге")
        await decide_preview(botapi, ADMIN, preview)
        clock.advance(dt.timedelta(hours=1))

        after, _ = await _ics(bot, READER, "/ics")
        _store(store, after)
        # One event per control point: the moved one was updated, not doubled.
        assert len(store) == points == len(icalendar.Calendar.from_ical(after).walk("VEVENT"))
        moved = store[str(deadline["UID"])]
        assert moved.decoded("DTSTART") == dt.date(2016, 7, 15)
        assert int(moved["SEQUENCE"]) == 1
        changed_at = dt.datetime(2016, 6, 1, 12, 0, tzinfo=ALMATY).astimezone(dt.UTC)
        assert moved.decoded("LAST-MODIFIED") == changed_at
        untouched = [e for uid, e in store.items() if not uid.startswith("T06-")]
        assert untouched and all(int(e["SEQUENCE"]) == 0 for e in untouched)

        # A third export with nothing changed raises no sequence.
        again, _ = await _ics(bot, READER, "/ics")
        events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(again).walk("VEVENT")}
        assert int(events[str(deadline["UID"])]["SEQUENCE"]) == 1


async def test_a_russian_calendar_reads_right(botapi: BotApiServer, database_url: str) -> None:
    async with running_bot(botapi, database_url) as bot:
        botapi.user(READER, "Читатель", language_code="ru")
        content, sent = await _ics(bot, READER, "/ics мкс")
        assert sent["document"]["file_name"] == "eskertu-МКС.ics"
        assert "МКС" in sent["caption"]
        text = content.decode("utf-8")
        events = icalendar.Calendar.from_ical(content).walk("VEVENT")
        moved = [e for e in events if "нерабочий день" in str(e["DESCRIPTION"])]
        assert moved, "the plan has points moved off a day off"
        for event in events:
            # A Russian long date ends in «г.»; a sentence after it must not double the dot.
            assert "г.." not in str(event["DESCRIPTION"])
            assert "МКС" in str(event["SUMMARY"]) and "МСМ" not in str(event["SUMMARY"])
        assert "г.." not in text


async def _say(bot: RunningBot, user: int, text: str) -> dict[str, Any]:
    server = bot.server
    mark = server.mark()
    server.send_text(user, text)
    reply = await server.wait_for_message(user, since=mark)
    assert any(b.startswith("pd:go:") for b in buttons_of(reply)), reply["text"]
    return reply
