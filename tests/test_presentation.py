"""Buttons keep Telegram's callback data limit of 64 bytes, counted in UTF-8."""

from __future__ import annotations

import pytest

from scheduler.presentation import Button, Rendered


def test_callback_data_is_counted_in_bytes() -> None:
    Button("Иә", "d" * 64)
    # 32 Cyrillic letters are 64 bytes; one more is too many.
    Button("Орындалды", "ә" * 32)
    with pytest.raises(ValueError):
        Button("Орындалды", "ә" * 32 + "a")
    with pytest.raises(ValueError):
        Button("Empty", "")
    with pytest.raises(ValueError):
        Button("", "data")


def test_a_rendered_message_keeps_its_text_exactly() -> None:
    text = "<b>Мерзімі</b>: 2025 жылғы 15\u00a0наурыз"
    rendered = Rendered(text, ((Button("Орындалды", "done:1"),),))
    assert rendered.text == text
    assert rendered.buttons[0][0].data == "done:1"
