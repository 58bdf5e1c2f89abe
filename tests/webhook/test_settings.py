"""The webhook settings: what switches webhook mode on, and one clear line for each mistake."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings

SECRET = "Abc_123-xyz"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper() in {f.upper() for f in Settings.model_fields}:
            monkeypatch.delenv(name)


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings(tmp_path / "absent.env")


def _error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    with pytest.raises(SettingsError) as info:
        _load(tmp_path, monkeypatch, **env)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_polling_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _load(tmp_path, monkeypatch)
    assert settings.webhook_url == ""
    assert settings.webhook_secret is None
    assert settings.listen_address == ("0.0.0.0", 8080)
    assert settings.outbox_lease_seconds == 300
    assert settings.max_messages_per_second == 30


def test_webhook_settings_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _load(
        tmp_path,
        monkeypatch,
        WEBHOOK_URL="https://bot.example.kz/eskertu/webhook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="[::1]:8443",
        OUTBOX_LEASE_SECONDS="5",
        MAX_MESSAGES_PER_SECOND="10",
    )
    assert settings.webhook_path == "/eskertu/webhook"
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == SECRET
    assert SECRET not in repr(settings)
    assert settings.listen_address == ("::1", 8443)
    assert settings.outbox_lease_seconds == 5
    assert settings.max_messages_per_second == 10


def test_a_url_without_a_path_is_served_at_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _load(
        tmp_path, monkeypatch, WEBHOOK_URL="https://bot.example.kz", WEBHOOK_SECRET=SECRET
    )
    assert settings.webhook_path == "/"


def test_the_secret_is_required_with_a_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = _error(tmp_path, monkeypatch, WEBHOOK_URL="https://bot.example.kz/hook")
    assert message.startswith("WEBHOOK_SECRET is required when WEBHOOK_URL is set")


@pytest.mark.parametrize("secret", ["has space", "ünïcode", "dot.ted", "x" * 257])
def test_a_bad_secret_is_named_but_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    message = _error(
        tmp_path, monkeypatch, WEBHOOK_URL="https://bot.example.kz/hook", WEBHOOK_SECRET=secret
    )
    assert message.startswith("WEBHOOK_SECRET is invalid: expected 1 to 256 characters")
    assert secret not in message


def test_a_secret_of_256_characters_is_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "a-Z_9" * 51 + "q"
    settings = _load(
        tmp_path, monkeypatch, WEBHOOK_URL="https://bot.example.kz/hook", WEBHOOK_SECRET=secret
    )
    assert settings.webhook_secret is not None
    assert len(settings.webhook_secret.get_secret_value()) == 256


@pytest.mark.parametrize(
    "url",
    [
        "http://bot.example.kz/hook",
        "ftp://bot.example.kz/hook",
        "bot.example.kz/hook",
        "https:///hook",
        "https://bot.example.kz/hook#part",
    ],
)
def test_a_bad_url_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    message = _error(tmp_path, monkeypatch, WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET)
    assert message.startswith("WEBHOOK_URL is invalid: expected the public https:// address")


def test_plain_http_only_for_a_bot_api_server_on_this_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _load(
        tmp_path, monkeypatch, WEBHOOK_URL="http://127.0.0.1:8081/hook", WEBHOOK_SECRET=SECRET
    )
    assert settings.webhook_path == "/hook"


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/metrics/"])
def test_the_webhook_cannot_take_the_probe_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    message = _error(
        tmp_path, monkeypatch, WEBHOOK_URL=f"https://bot.example.kz{path}", WEBHOOK_SECRET=SECRET
    )
    assert "cannot be /healthz or /metrics" in message


@pytest.mark.parametrize("listen", ["8080", "0.0.0.0", ":8080", "host:port", "0.0.0.0:70000"])
def test_a_bad_listen_address_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listen: str
) -> None:
    message = _error(tmp_path, monkeypatch, WEBHOOK_LISTEN=listen)
    assert message.startswith("WEBHOOK_LISTEN is invalid: expected HOST:PORT")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OUTBOX_LEASE_SECONDS", "0"),
        ("MAX_MESSAGES_PER_SECOND", "0"),
        ("MAX_MESSAGES_PER_SECOND", "31"),
    ],
)
def test_limits_out_of_range_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    assert _error(tmp_path, monkeypatch, **{name: value}).startswith(f"{name} is invalid")


def test_the_dashboard_needs_an_https_address_and_a_listen_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _load(tmp_path, monkeypatch).webapp_url == ""
    found = _load(tmp_path, monkeypatch, WEBAPP_URL="https://bot.example.kz/app")
    assert found.webapp_url == "https://bot.example.kz/app/"
    assert found.webapp_address == ("127.0.0.1", 8081)
    local = _load(tmp_path, monkeypatch, WEBAPP_URL="http://127.0.0.1:8090/app/")
    assert local.webapp_url == "http://127.0.0.1:8090/app/"
    for bad in ("http://bot.example.kz/app/", "https://", "bot.example.kz", "https://x.kz/#a"):
        assert "WEBAPP_URL is invalid" in _error(tmp_path, monkeypatch, WEBAPP_URL=bad)
    monkeypatch.delenv("WEBAPP_URL")
    listen = _load(tmp_path, monkeypatch, WEBAPP_LISTEN="0.0.0.0:9000")
    assert listen.webapp_address == ("0.0.0.0", 9000)
    assert "WEBAPP_LISTEN is invalid" in _error(tmp_path, monkeypatch, WEBAPP_LISTEN="nowhere")


def test_the_webhook_cannot_take_the_dashboards_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for url in ("https://bot.example.kz/app", "https://bot.example.kz/app/hook"):
        message = _error(tmp_path, monkeypatch, WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET)
        assert "cannot be under /app/" in message
    fine = _load(
        tmp_path, monkeypatch, WEBHOOK_URL="https://bot.example.kz/apply", WEBHOOK_SECRET=SECRET
    )
    assert fine.webhook_path == "/apply"
