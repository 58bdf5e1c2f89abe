"""The README's picture of the sandbox: ``python -m tests.browser.screenshot docs/sandbox.png``.

It starts ``python -m bot demo``, runs the officer's story in headless Chromium (the same as
the browser test), and saves the page as a PNG.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.i18n.catalog import load_catalog
from tests.browser.chromium import chromium, running_demo
from tests.browser.story import officer_story


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, help="where to write the PNG")
    parser.add_argument("--lang", default="en", choices=("kk", "ru", "en"), help="page language")
    args = parser.parse_args()
    with running_demo() as address, chromium(width=1280, height=900) as browser:
        page = browser.new_page()
        officer_story(
            page, address, load_catalog(), page_language=args.lang, bot_language=args.lang
        )
        page.mouse.move(0, 0)
        page.screenshot(path=str(args.output))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
