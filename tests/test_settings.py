"""Settings: defaults, parsing, and one clear line for every mistake, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import DEFAULT_DATABASE_URL, Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent
SETTING_NAMES = [
    "BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_URL",
    "PLAN_PATH",
    "TIMEZONE",
    "ADMIN_IDS",
    "DEFAULT_LANGUAGE",
    "LOG_LEVEL",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper() in {f.upper() for f in Settings.model_fields}:
            monkeypatch.delenv(name)


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.env")
    assert settings.bot_token is None
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.plan_path == Path("data/plan.json")
    assert settings.timezone == "Asia/Almaty"
    assert settings.default_language == "kk"
    assert settings.admin_ids == ()


def test_env_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text("ADMIN_IDS=11, 22\nDEFAULT_LANGUAGE=ru\nLOG_LEVEL=debug\n", encoding="utf-8")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    settings = load_settings(env)
    assert settings.admin_ids == (11, 22)
    assert settings.default_language == "en"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE is invalid: expected an IANA time zone"),
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS is invalid: expected Telegram user ids"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL is invalid: expected sqlite+aiosqlite"),
        ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL is invalid: expected an http"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE is invalid"),
    ],
)
def test_invalid_setting_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path / "absent.env")
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_token_is_required_to_run_and_never_shown(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^BOT_TOKEN is not set"):
        load_settings(tmp_path / "absent.env").require_token()
    settings = Settings(bot_token="123:secret-value")  # type: ignore[arg-type]
    assert "secret-value" not in repr(settings)


def _run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_token_gives_one_clear_line(tmp_path: Path) -> None:
    result = _run_cli(tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "BOT_TOKEN is not set" in lines[0]
    assert "Traceback" not in result.stderr


def test_invalid_setting_gives_one_clear_line(tmp_path: Path) -> None:
    result = _run_cli(tmp_path, BOT_TOKEN="1:abc", TIMEZONE="Nowhere/Land")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("eskertu: TIMEZONE is invalid")


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = _run_cli(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("run", "db", "plan", "calendar"):
        assert command in result.stdout


def test_env_example_documents_every_setting() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line
    }
    fields = {name.upper() for name in Settings.model_fields}
    assert fields <= documented
    assert set(SETTING_NAMES) <= fields


def test_the_bot_refuses_to_start_on_an_invalid_plan(tmp_path: Path) -> None:
    import json

    plan = json.loads((ROOT / "data" / "plan.json").read_text(encoding="utf-8"))
    plan["tasks"][3]["deadline"]["date"] = "2016-02-30"
    plan["tasks"][5]["responsible"][0]["code"] = "XYZ"
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    result = _run_cli(tmp_path, BOT_TOKEN="1:abc", PLAN_PATH=str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"eskertu: the plan {bad} is invalid:"
    assert any(line.strip().startswith("tasks[3].deadline") for line in lines[1:])
    assert any(line.strip().startswith("tasks[5].responsible[0].code") for line in lines[1:])
    assert not (tmp_path / "var").exists()  # nothing was started or created
