"""The sandbox page in a real browser: headless Chromium, driven by Playwright, against
``python -m bot demo`` started as ``make demo`` starts it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from bot.i18n.catalog import load_catalog
from tests.browser.chromium import CHROMIUM, chromium, running_demo
from tests.browser.story import officer_story

# CI installs Chromium (.ci/run, `make browser`) and fails on any skip, so this never skips there.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: run `make browser`"),
]


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with running_demo() as found:
        yield found


@pytest.fixture
def browser() -> Iterator[BrowserContext]:
    with chromium() as context:
        yield context


def test_an_officer_starts_chooses_gets_a_reminder_and_replies(
    address: str, browser: BrowserContext, tmp_path: Path
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    officer_story(page, address, load_catalog(), page_language="kk", bot_language="ru")
    shot = tmp_path / "sandbox.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert errors == []


def test_the_newcomer_opens_an_invitation_link_as_in_telegram(
    address: str, browser: BrowserContext
) -> None:
    catalog = load_catalog()
    page = browser.new_page()
    page.goto(f"{address}?persona=newcomer&lang=en")
    expect(page.locator("#messages li.empty")).to_have_text(catalog.plain("en", "sandbox.empty"))
    # The administrator's invitation for the newcomer, pasted as it would be forwarded.
    admin = browser.new_page()
    admin.goto(f"{address}?persona=administrator&lang=en")
    admin.locator("li.message").first.wait_for()
    links = admin.locator("li.message.bot a.link[href*='?start=']")
    seeded = links.count()
    admin.fill("#text", "/invite МСМ officer")
    admin.press("#text", "Enter")
    expect(links).to_have_count(seeded + 1, timeout=20_000)
    href = links.nth(seeded).get_attribute("href")
    assert href is not None and href.startswith("https://t.me/eskertu_sandbox_bot?start=")
    page.fill("#text", href)
    page.press("#text", "Enter")
    sent = page.locator("li.message.mine a.link").last
    sent.click()
    # The deep link starts the bot with its payload: the newcomer is now МСМ's officer.
    joined = catalog.plain("kk", "role.officer")
    expect(page.locator("li.message.bot .text", has_text=joined)).to_have_count(1, timeout=20_000)
    assert page.locator("li.message.mine .text").last.inner_text().startswith("/start ")
