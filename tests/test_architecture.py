"""The core stays free of Telegram, and nothing is built at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("telegram", "bot", "sandbox")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_scheduler_never_imports_telegram_bot_or_the_sandbox() -> None:
    offenders = []
    files = sorted((ROOT / "scheduler").rglob("*.py"))
    assert len(files) > 5
    for path in files:
        for name in _imports(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_storage_never_imports_delivery() -> None:
    """The repositories are the storage's; delivery uses them, not the other way round."""
    files = sorted((ROOT / "scheduler" / "storage").rglob("*.py"))
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.startswith("scheduler.delivery")
    ]
    assert files and offenders == []


def test_handlers_reach_storage_only_through_use_cases() -> None:
    """A handler parses, calls a use case and renders: no repository, no SQL."""
    files = sorted((ROOT / "bot" / "features").rglob("handlers.py"))
    assert len(files) >= 8
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(("scheduler.storage", "sqlalchemy"))
    ]
    assert offenders == []


def test_the_local_bot_api_server_stands_alone() -> None:
    """It plays Telegram: it knows nothing of the bot it serves, nor of its library."""
    offenders = []
    files = sorted((ROOT / "sandbox" / "botapi").rglob("*.py"))
    assert len(files) > 5
    for path in files:
        for name in _imports(path):
            if name.split(".")[0] in ("telegram", "bot", "scheduler"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
            if name.startswith("sandbox.") and not name.startswith("sandbox.botapi"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_importing_every_core_module_loads_no_telegram() -> None:
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in sorted((ROOT / "scheduler").rglob("*.py"))
        if "migrations" not in p.parts and p.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'bot'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_importing_the_bot_builds_nothing() -> None:
    """No engine, settings or application exists until the composition root asks for one."""
    code = (
        "import gc, bot.__main__, bot.handlers, bot.services\n"
        "from sqlalchemy.ext.asyncio import AsyncEngine\n"
        "from telegram.ext import Application\n"
        "from bot.settings import Settings\n"
        "kinds = (AsyncEngine, Application, Settings)\n"
        "live = [o for o in gc.get_objects() if isinstance(o, kinds)]\n"
        "print(len(live))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "BOT_TOKEN": "1:x"},
    )
    assert out.stdout.strip() == "0"
