"""An officer's first minutes in the sandbox, as a person clicks through them in the page.

They send /start, choose a language with its button, move the clock to the next reminder,
reply «орындалды» to the reminder, and see the bot's answer. Shared by the browser test and
the script that makes the README's screenshot.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from bot.i18n.catalog import Catalog

# Moving the clock runs the bot's ticks and waits for its sends; a slow machine gets time.
JUMP_TIMEOUT = 60_000
ANSWER_TIMEOUT = 20_000
# A task's number as the catalogs write it: «№3» in Kazakh and Russian, «no. 3» in English.
TASK_NUMBER = re.compile(r"(?:№|no\. )(\d+)")


def officer_story(
    page: Page, address: str, catalog: Catalog, page_language: str, bot_language: str
) -> None:
    words = catalog.for_language(page_language)
    page.goto(f"{address}?persona=officer&lang={page_language}")
    expect(page.locator("h1")).to_have_text(words.plain("sandbox.title"))
    messages = page.locator("#messages li.message")
    expect(messages.first).to_be_visible()
    before = messages.count()

    # /start: the bot greets and offers the languages as inline buttons.
    page.fill("#text", "/start")
    page.press("#text", "Enter")
    welcome = messages.nth(before + 1)
    language = catalog.plain(bot_language, "language.self")
    expect(welcome.locator("button.inline", has_text=language)).to_be_visible(
        timeout=ANSWER_TIMEOUT
    )
    welcome.locator("button.inline", has_text=language).click()
    chosen = catalog.for_language(bot_language).plain("lang.chosen")
    expect(page.locator("li.message.bot .text").last).to_have_text(chosen, timeout=ANSWER_TIMEOUT)

    # The clock moves to the next reminder; the reminder arrives with its status buttons.
    clock = page.locator("#clock-now").inner_text()
    page.click("button.jump[data-jump='next-reminder']")
    expect(page.locator("#clock-now")).not_to_have_text(clock, timeout=JUMP_TIMEOUT)
    expect(page.locator("button.jump").first).to_be_enabled(timeout=JUMP_TIMEOUT)
    reminder = page.locator("li.message.bot", has_text="⏰").last
    expect(reminder).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(reminder.locator("button.inline").first).to_be_visible()
    task = TASK_NUMBER.search(reminder.inner_text())
    assert task is not None, reminder.inner_text()

    # A reply to the reminder: «орындалды», stored and confirmed with an undo button.
    count = messages.count()
    reminder.hover()
    reminder.locator("button.reply").click()
    expect(page.locator("#replying")).to_be_visible()
    page.fill("#text", "орындалды")
    page.press("#text", "Enter")
    mine = messages.nth(count)
    expect(mine.locator(".text")).to_have_text("орындалды", timeout=ANSWER_TIMEOUT)
    expect(mine.locator(".quote")).to_be_visible()
    answer = messages.nth(count + 1)
    same_task = re.compile(rf"(?:№|no\. ){task.group(1)}(?!\d)")
    expect(answer.locator(".text")).to_contain_text(same_task, timeout=ANSWER_TIMEOUT)
    undo = catalog.plain(bot_language, "button.undo")
    expect(answer.locator("button.inline", has_text=undo)).to_be_visible()
