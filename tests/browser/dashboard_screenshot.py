"""The README's picture of the dashboard: ``python -m tests.browser.dashboard_screenshot
docs/dashboard.png``.

It runs the sandbox in this process, plays the dashboard's story (the officer's reports,
three weeks of the clock), opens the dashboard from the administrator's menu button in
headless Chromium at a phone's width, and saves it as a PNG.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.browser.chromium import chromium
from tests.browser.dashboard_story import open_by_menu, prepare
from tests.browser.inprocess import sandbox_in_thread

# A common phone's screen, in CSS pixels, drawn at twice the density.
PHONE = (390, 844)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, help="where to write the PNG")
    parser.add_argument("--lang", default="en", choices=("kk", "ru", "en"), help="page language")
    parser.add_argument("--persona", default="administrator", help="who opens the dashboard")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="eskertu-shot-") as folder,
        sandbox_in_thread(Path(folder)) as inproc,
    ):
        prepare(inproc)
        # The administrator's language in the bot is the dashboard's.
        admin_language = args.lang
        with chromium(width=PHONE[0], height=PHONE[1], scale=2) as browser:
            page = browser.new_page()
            dashboard = open_by_menu(page, inproc.address, args.persona, admin_language)
            dashboard.locator("table.matrix").wait_for()
            dashboard.screenshot(path=str(args.output))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
