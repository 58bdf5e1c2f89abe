"""The dashboard in a real browser: headless Chromium, driven by Playwright, opened from the
sandbox's chat page as Telegram opens a Mini App, over the sandbox's own database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from bot.web.init_data import sign, user_fields
from sandbox.personas import CONTROLLING_DEPARTMENT, LEAD_AGENCY
from scheduler.reports.digest import controlled_tasks
from scheduler.usecases.plan_reports import current_report
from scheduler.vocabulary.control import ITEM_STATES, ItemState
from tests.browser.chromium import CHROMIUM, chromium
from tests.browser.dashboard_story import (
    ANSWER_TIMEOUT,
    led_tasks,
    matrix_cells,
    open_by_command,
    open_by_menu,
    persona_id,
    prepare,
)
from tests.browser.inprocess import InProcess, sandbox_in_thread

# CI installs Chromium (.ci/run, `make browser`) and fails on any skip, so this never skips there.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: run `make browser`"),
]


@pytest.fixture(scope="module")
def inproc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    folder: Path = tmp_path_factory.mktemp("dashboard")
    with sandbox_in_thread(folder) as running:
        prepare(running)
        yield running


@pytest.fixture
def browser() -> Iterator[BrowserContext]:
    with chromium(width=390, height=844) as context:
        yield context


def _report_states(inproc: InProcess) -> dict[tuple[str, str], ItemState]:
    """Each item's state as the status report (the data of /report) has it, read afresh."""
    svc = inproc.sandbox.svc
    report = inproc.run(current_report(svc.db, svc.clock, svc.runtime))
    return {(i.point.id, i.agency): i.state for i in report.items}


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_the_matrix_shows_the_states_of_the_report(
    inproc: InProcess, browser: BrowserContext
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    dashboard = open_by_command(page, inproc.address, "administrator", "en")
    dashboard.on("pageerror", lambda error: errors.append(str(error)))
    cells = matrix_cells(dashboard)
    expected = _report_states(inproc)
    assert cells
    for cell in cells:
        state = expected[cell["point"], cell["agency"]]
        assert cell["state"] == state.value, cell
        assert cell["colour"] == _rgb(ITEM_STATES[state].colour), cell
    # Every task and agency of the report has its cell, and nothing else does.
    svc = inproc.sandbox.svc
    report = inproc.run(current_report(svc.db, svc.clock, svc.runtime))
    assert {(c["task"], c["agency"]) for c in cells} == {
        (i.point.task, i.agency) for i in report.items
    }
    shown = {c["state"] for c in cells}
    assert {ItemState.AWAITING_ACCEPTANCE.value, ItemState.PROBLEM.value} <= shown

    # The overdue list has each overdue item of the report, with its working days late.
    dashboard.click(".tab[data-tab='overdue']")
    late = dashboard.locator("#overdue li.late-item")
    overdue = [i for i in report.items if i.overdue]
    assert overdue, "the clock should have passed some deadlines"
    expect(late).to_have_count(len(overdue))
    first = late.first
    days = int(first.get_attribute("data-days") or "-1")
    assert days >= 1

    # The discipline's chart and table, and the timeline of the next 30 days.
    dashboard.click(".tab[data-tab='discipline']")
    expect(dashboard.locator("#discipline svg.chart rect").first).to_be_attached()
    rows = dashboard.locator("#discipline table.figures tbody tr")
    assert rows.count() == len(report.discipline())
    dashboard.click(".tab[data-tab='timeline']")
    expect(dashboard.locator("#timeline")).to_be_visible()

    # A task's card: the officer's report is in its history; back to the matrix.
    task = led_tasks(inproc)[0]
    dashboard.click(".tab[data-tab='matrix']")
    dashboard.locator(f"a.task-link[data-task='{task}']").first.click()
    card = dashboard.locator(f"section.task[data-task='{task}']")
    expect(card).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(card.locator("li.event[data-happened='reported']").first).to_be_visible()
    expect(card).to_contain_text("орындалды")
    card.locator("button.back").click()
    expect(dashboard.locator("table.matrix")).to_be_visible()
    # The page kept no initData in its address.
    assert "tgWebAppData" not in dashboard.url
    assert errors == []


def test_a_member_sees_only_their_agency(inproc: InProcess, browser: BrowserContext) -> None:
    page = browser.new_page()
    dashboard = open_by_menu(page, inproc.address, "officer", "ru")
    cells = matrix_cells(dashboard)
    assert cells
    assert {c["agency"] for c in cells} == {LEAD_AGENCY}
    runtime = inproc.sandbox.svc.runtime
    assert {c["task"] for c in cells} == set(runtime.tasks_of(LEAD_AGENCY))
    expect(dashboard.locator(".tab[data-tab='matrix']")).to_have_text(
        inproc.catalog.plain("ru", "dashboard.tab.matrix")
    )


def test_a_controller_sees_the_tasks_their_department_controls(
    inproc: InProcess, browser: BrowserContext
) -> None:
    page = browser.new_page()
    dashboard = open_by_menu(page, inproc.address, "controller", "kk")
    cells = matrix_cells(dashboard)
    plan = inproc.sandbox.svc.plan
    assert {c["task"] for c in cells} == set(controlled_tasks(plan, {CONTROLLING_DEPARTMENT}))


def _open_with(browser: BrowserContext, inproc: InProcess, data: str) -> tuple[Page, list[int]]:
    page = browser.new_page()
    statuses: list[int] = []

    def seen(response: Response) -> None:
        if response.url.endswith("/app/view"):
            statuses.append(response.status)

    page.on("response", seen)
    page.goto(f"{inproc.address}app/#tgWebAppData={quote(data, safe='')}")
    expect(page.locator("section.refused")).to_be_visible(timeout=ANSWER_TIMEOUT)
    return page, statuses


def _altered(data: str, user_id: int) -> str:
    """Signed data whose user was changed afterwards, its hash left as it was."""
    fields = dict(parse_qsl(data))
    user = json.loads(fields["user"])
    fields["user"] = json.dumps({**user, "id": user_id})
    return urlencode(fields)


def test_forged_and_expired_init_data_are_refused(
    inproc: InProcess, browser: BrowserContext
) -> None:
    sandbox = inproc.sandbox
    now = sandbox.clock.now()
    admin = persona_id("administrator")
    fields = user_fields(admin, "Әкімші", language_code="en", auth_date=now)
    cases = {
        "forged": sign(fields, "1234567:not-the-bots-token"),
        "altered": _altered(sign(fields, sandbox.server.token), admin + 1),
        "expired": sign(
            {**fields, "auth_date": str(int((now - dt.timedelta(days=2)).timestamp()))},
            sandbox.server.token,
        ),
        "missing": "",
    }
    refused = inproc.catalog.plain("kk", "dashboard.unauthorised")
    for name, data in cases.items():
        page, statuses = _open_with(browser, inproc, data)
        assert statuses == [401], name
        expect(page.locator("#app")).to_have_text(refused)
        assert page.locator("table.matrix, [data-point]").count() == 0, name
    # The same person, signed with the bot's token and dated now, sees the dashboard.
    page = browser.new_page()
    page.goto(f"{inproc.address}app/#tgWebAppData={quote(sign(fields, sandbox.server.token))}")
    expect(page.locator("table.matrix")).to_be_visible(timeout=ANSWER_TIMEOUT)
