"""``python -m bot demo``: its options, and what it says when it cannot start."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import httpx
import pytest

from bot.__main__ import main
from tests.browser.chromium import demo_process


def test_a_taken_port_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["demo", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--start", "tomorrow"], "expected a local date and time such as 2016-06-01T08:30"),
        (["--start", "2016-06-01T08:30+05:00"], "without an offset"),
        (["--port", "70000"], "expected a port number 0-65535"),
    ],
)
def test_bad_options_are_refused_with_what_is_expected(
    args: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["demo", *args])
    assert stopped.value.code == 2
    assert problem in capsys.readouterr().err


def test_the_help_names_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    out = capsys.readouterr().out
    assert "default 8090" in out and "2015-11-16T08:30" in out


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_demo_serves_then_stops_cleanly_on_a_signal(stop: int, tmp_path: Path) -> None:
    with demo_process(env={"TMPDIR": str(tmp_path)}) as (address, process):
        page = httpx.get(address, timeout=10)
        assert page.status_code == 200 and "Ескерту — оқу алаңы" in page.text
        assert [p.name[:13] for p in tmp_path.iterdir()] == ["eskertu-demo-"]
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
    # The sandbox's database went with it.
    assert list(tmp_path.iterdir()) == []
