"""The ``botapi`` pytest fixture: a fresh fake Bot API server for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.botapi.server import BotApiServer


@pytest.fixture
def botapi() -> Iterator[BotApiServer]:
    """A running ``BotApiServer`` on an ephemeral port, stopped after the test."""
    server = BotApiServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
