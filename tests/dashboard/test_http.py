"""The dashboard over HTTP: initData decides who is asking, their rights what they see.

The app is the one the webhook listener and the sandbox mount, over a core on a real
database; the figures it shows are compared with the status report the core computes.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from bot.i18n.catalog import load_catalog
from bot.web.dashboard.app import create_dashboard_app
from bot.web.init_data import sign, user_fields
from scheduler.clock import FakeClock
from scheduler.reports.digest import controlled_tasks
from scheduler.storage.requests_repo import ExtensionState, NewExtension
from scheduler.storage.tables import AuditRow, UserRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.core import Core
from scheduler.usecases.plan_reports import current_report
from scheduler.usecases.status_updates import Recorded, Report, report_status
from scheduler.vocabulary.control import Decision, Source, Status
from tests.reports.support import runtime
from tests.usecases.support import core_for, person

ALMATY = ZoneInfo("Asia/Almaty")
TOKEN = "123456789:AAH-dashboard-test-token"
NOW = dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY)
ADMIN, OFFICER, CONTROLLER, STRANGER, RUSSIAN = 501, 502, 503, 504, 505
AGENCY, DEPARTMENT = "МСМ", "ІСБ"
CATALOG = load_catalog()
CELL = re.compile(
    r'<td class="cell[^"]*" data-task="(\d+)" data-agency="([^"]+)" '
    r'data-point="([^"]+)" data-state="([a-z_]+)"'
)


@dataclass
class Dash:
    core: Core
    client: httpx.AsyncClient
    clock: FakeClock

    def auth(self, user: int, *, language: str | None = None, token: str = TOKEN) -> dict[str, str]:
        fields = user_fields(user, "Әсел", language_code=language, auth_date=self.clock.now())
        return {"Authorization": f"tma {sign(fields, token)}"}

    async def get(self, path: str, user: int | None = None, **kw: object) -> httpx.Response:
        headers = self.auth(user, **kw) if user is not None else {}  # type: ignore[arg-type]
        return await self.client.get(path, headers=headers)


@pytest.fixture
async def dash(db: Database) -> AsyncIterator[Dash]:
    clock = FakeClock(NOW)
    core = core_for(db, clock, runtime(), admins=(ADMIN,))
    async with db.unit_of_work() as uow:
        await uow.members.add(OFFICER, AGENCY, "officer", clock.now(), None)
        await uow.members.add(CONTROLLER, DEPARTMENT, "controller", clock.now(), None)
        await uow.members.add(RUSSIAN, AGENCY, "coordinator", clock.now(), None)
    await _history(core)
    app = create_dashboard_app(core, CATALOG, "kk", lambda: TOKEN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dash.test") as client:
        yield Dash(core, client, clock)


def _own_task(core: Core) -> int:
    """A task the agency leads."""
    return next(t.number for t in core.runtime.plan.tasks if t.responsible[0].code == AGENCY)


async def _history(core: Core) -> None:
    """The agency reports on its task; the report is accepted; another asks for a new date."""
    task = _own_task(core)
    answer = await report_status(
        core,
        person(OFFICER),
        Report(status=Status.DONE, text="орындалды", source=Source.COMMAND, task=task),
    )
    recorded = answer.result
    assert isinstance(recorded, Recorded), recorded
    now = core.clock.now()
    async with core.db.unit_of_work() as uow:
        await uow.reviews.decide(
            recorded.status_id,
            Decision.ACCEPT,
            comment="",
            new_date=None,
            by=ADMIN,
            chat_id=ADMIN,
            now=now,
        )
        point = core.runtime.points_of(task)[-1]
        other = next(a for a in point.agencies if a != AGENCY) if len(point.agencies) > 1 else None
        if other is not None:
            asked = await uow.extensions.add(
                NewExtension(
                    point.id,
                    task,
                    other,
                    point.effective,
                    point.effective,
                    "себеп",
                    False,
                    777,
                    777,
                ),
                now,
            )
            await uow.extensions.decide(
                asked, ExtensionState.REFUSED, by=ADMIN, reason="жоқ", now=now
            )


def _cells(html: str) -> set[tuple[int, str, str, str]]:
    return {(int(t), a, p, s) for t, a, p, s in CELL.findall(html)}


async def _expected(core: Core) -> dict[tuple[str, str], str]:
    """The state of every item as the status report (/report's data) has it."""
    report = await current_report(core.db, core.clock, core.runtime)
    return {(i.point.id, i.agency): i.state.value for i in report.items}


async def test_the_page_frame_shows_nothing_of_the_plan(dash: Dash) -> None:
    page = await dash.client.get("/")
    assert page.status_code == 200
    assert 'name="viewport"' in page.text
    assert "data-point" not in page.text
    assert page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("header", ["", "tma", "tma ", "Bearer x", "tma user=1&hash=00"])
async def test_missing_or_garbled_init_data_is_refused(dash: Dash, header: str) -> None:
    for path in ("/view", f"/tasks/{_own_task(dash.core)}"):
        response = await dash.client.get(path, headers={"Authorization": header} if header else {})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "tma"
        assert "data-point" not in response.text
        assert CATALOG.plain("kk", "dashboard.unauthorised") in response.text


async def test_forged_altered_and_expired_init_data_are_refused(dash: Dash) -> None:
    forged = await dash.get("/view", ADMIN, token="987654321:someone-else")
    assert forged.status_code == 401
    good = dash.auth(OFFICER)["Authorization"]
    altered = good.replace(f"%22id%22%3A{OFFICER}", f"%22id%22%3A{ADMIN}")
    assert altered != good
    response = await dash.client.get("/view", headers={"Authorization": altered})
    assert response.status_code == 401
    stale = dash.auth(ADMIN)
    dash.clock.advance(dt.timedelta(days=1, minutes=1))
    expired = await dash.client.get("/view", headers=stale)
    assert expired.status_code == 401
    assert "data-point" not in forged.text + response.text + expired.text
    # The same person, signed again today, is let in.
    assert (await dash.get("/view", ADMIN)).status_code == 200


async def test_someone_without_rights_sees_nothing(dash: Dash) -> None:
    response = await dash.get("/view", STRANGER, language="en")
    assert response.status_code == 403
    assert CATALOG.plain("en", "refusal.no_dashboard") in response.text
    assert "data-point" not in response.text
    task = await dash.get(f"/tasks/{_own_task(dash.core)}", STRANGER)
    assert task.status_code == 403


async def test_an_administrator_sees_every_item_in_the_states_of_the_report(dash: Dash) -> None:
    response = await dash.get("/view", ADMIN)
    assert response.status_code == 200
    cells = _cells(response.text)
    expected = await _expected(dash.core)
    assert {(t, a) for t, a, _, _ in cells} == {
        (i.point.task, i.agency)
        for i in (await current_report(dash.core.db, dash.core.clock, dash.core.runtime)).items
    }
    for _, agency, point, state in cells:
        assert expected[point, agency] == state
    # The accepted report is in the report; the matrix shows the agency's next point.
    assert "accepted" in expected.values()


async def test_a_member_sees_only_their_agency(dash: Dash) -> None:
    response = await dash.get("/view", OFFICER)
    assert response.status_code == 200
    cells = _cells(response.text)
    assert cells
    assert {a for _, a, _, _ in cells} == {AGENCY}
    assert {t for t, _, _, _ in cells} == set(dash.core.runtime.tasks_of(AGENCY))
    foreign = next(
        t.number
        for t in dash.core.runtime.plan.tasks
        if AGENCY not in {r.code for r in t.responsible}
    )
    refused = await dash.get(f"/tasks/{foreign}", OFFICER)
    assert refused.status_code == 403
    assert "data-point" not in refused.text


async def test_a_controller_sees_the_tasks_their_department_controls(dash: Dash) -> None:
    response = await dash.get("/view", CONTROLLER)
    assert response.status_code == 200
    cells = _cells(response.text)
    controlled = controlled_tasks(dash.core.runtime.plan, {DEPARTMENT})
    assert controlled
    assert {t for t, _, _, _ in cells} == set(controlled)
    everyone = {
        (i.point.task, i.agency)
        for i in (await current_report(dash.core.db, dash.core.clock, dash.core.runtime)).items
        if i.point.task in controlled
    }
    assert {(t, a) for t, a, _, _ in cells} == everyone


async def test_a_task_card_shows_its_history(dash: Dash) -> None:
    task = _own_task(dash.core)
    response = await dash.get(f"/tasks/{task}", ADMIN, language="en")
    assert response.status_code == 200
    happened = re.findall(r'data-happened="([a-z_]+)"', response.text)
    assert "reported" in happened and "accepted" in happened
    points = dash.core.runtime.points_of(task)
    if len(points[-1].agencies) > 1:
        assert "extension_asked" in happened and "extension_refused" in happened
    # A member sees only their agency's part of the history.
    own = await dash.get(f"/tasks/{task}", OFFICER)
    assert set(re.findall(r'data-agency="([^"]+)"', own.text)) == {AGENCY}
    assert "extension_asked" not in own.text
    missing = await dash.get("/tasks/9999", ADMIN, language="en")
    assert missing.status_code == 403


async def test_the_language_is_the_chosen_one_else_telegrams_else_the_default(
    dash: Dash,
) -> None:
    async with dash.core.db.unit_of_work() as uow:
        await uow.contacts.save_user(person(RUSSIAN).user, dash.clock.now())  # type: ignore[arg-type]
        await uow.contacts.set_user_language(RUSSIAN, "ru")
    chosen = await dash.get("/view", RUSSIAN, language="en")
    assert 'data-language="ru"' in chosen.text
    telegram = await dash.get("/view", OFFICER, language="en-GB")
    assert 'data-language="en"' in telegram.text
    assert CATALOG.plain("en", "dashboard.tab.matrix") in telegram.text
    default = await dash.get("/view", OFFICER, language="de")
    assert 'data-language="kk"' in default.text


async def test_the_dashboard_writes_nothing_and_logs_no_init_data(
    dash: Dash, caplog: pytest.LogCaptureFixture
) -> None:
    async def counts() -> tuple[int, int]:
        async with dash.core.db.unit_of_work() as uow:
            audit = await uow.session.scalar(select(func.count()).select_from(AuditRow))
            users = await uow.session.scalar(select(func.count()).select_from(UserRow))
            return int(audit or 0), int(users or 0)

    before = await counts()
    caplog.set_level(logging.DEBUG)
    headers = dash.auth(ADMIN)
    await dash.client.get("/view", headers=headers)
    await dash.client.get(f"/tasks/{_own_task(dash.core)}", headers=headers)
    await dash.get("/view", ADMIN, token="987654321:someone-else")
    assert await counts() == before
    raw = headers["Authorization"].removeprefix("tma ")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert raw not in logged and TOKEN not in logged
    assert "hash=" not in logged
