"""The dashboard's story in the sandbox: the officer reports on two of the agency's tasks,
the clock moves past the plan's first deadlines, and someone opens the dashboard from the
chat page, by the menu button or by /dashboard's button, as in Telegram.

Shared by the browser tests and the script that makes the README's picture.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from sandbox.personas import DEFAULT_CAST, LEAD_AGENCY
from sandbox.timeline import Jump
from tests.browser.inprocess import InProcess

ANSWER_TIMEOUT = 30_000
# Three weeks from the sandbox's start carry the clock past the first deadlines.
WEEKS = 3


def persona_id(key: str) -> int:
    persona = DEFAULT_CAST.persona(key)
    assert persona is not None
    return persona.user_id


def led_tasks(inproc: InProcess) -> list[int]:
    """The tasks the officer's agency leads, in the plan's order."""
    plan = inproc.sandbox.svc.plan
    return [
        t.number for t in plan.tasks if any(r.code == LEAD_AGENCY and r.lead for r in t.responsible)
    ]


def prepare(inproc: InProcess) -> None:
    """The officer reports one task done and a problem with another; weeks pass."""
    server, officer = inproc.sandbox.server, persona_id("officer")
    first, second = led_tasks(inproc)[:2]
    for text in (f"/done {first} орындалды", f"/status {second} problem келісілмеді"):
        mark = server.mark()
        server.send_text(officer, text)
        inproc.run(server.wait_for_message(officer, since=mark))
    for _ in range(WEEKS):
        inproc.run(inproc.sandbox.timeline.jump(Jump.WEEK), timeout=300)


def open_by_menu(page: Page, address: str, persona: str, language: str) -> Page:
    """The persona's chat page, then the dashboard its menu button opens."""
    page.goto(f"{address}?persona={persona}&lang={language}")
    menu = page.locator("#web-app")
    expect(menu).to_be_visible(timeout=ANSWER_TIMEOUT)
    with page.expect_popup() as opened:
        menu.click()
    dashboard = opened.value
    expect(dashboard.locator("[data-view]")).to_be_visible(timeout=ANSWER_TIMEOUT)
    return dashboard


def open_by_command(page: Page, address: str, persona: str, language: str) -> Page:
    """The persona sends /dashboard and presses the button of the answer."""
    page.goto(f"{address}?persona={persona}&lang={language}")
    page.locator("#messages li").first.wait_for()
    buttons = page.locator("li.message.bot a.web-app")
    before = buttons.count()
    page.fill("#text", "/dashboard")
    page.press("#text", "Enter")
    expect(buttons).to_have_count(before + 1, timeout=ANSWER_TIMEOUT)
    with page.expect_popup() as opened:
        buttons.last.click()
    dashboard = opened.value
    expect(dashboard.locator("[data-view]")).to_be_visible(timeout=ANSWER_TIMEOUT)
    return dashboard


def matrix_cells(dashboard: Page) -> list[dict[str, Any]]:
    """Every cell of the matrix as the page shows it."""
    found: list[dict[str, Any]] = dashboard.eval_on_selector_all(
        "table.matrix td.cell[data-point]",
        """cells => cells.map(c => ({task: Number(c.dataset.task), agency: c.dataset.agency,
             point: c.dataset.point, state: c.dataset.state,
             colour: getComputedStyle(c).backgroundColor}))""",
    )
    return found
