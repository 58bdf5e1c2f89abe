"""Telling English prose apart from what a reader typed, in answers meant for another language."""

from __future__ import annotations

import re

# Text the reader typed, quoted back («…»), a file's places (tasks[3].x) and the values a
# problem quotes from the file are the reader's own words, in whatever language they came.
QUOTED = re.compile(
    r"«[^»]*»|\b(?:tasks|agencies|sections|period|title|timezone)\S*|\d+:\d+"
    r"|\((?:найдено|табылғаны)[^)]*\)|\S+\.(?:json|xlsx|csv|docx)"
)
LATIN_RUN = re.compile(r"[A-Za-z]{2,}(?:[\s,]+[A-Za-z]{2,})+")


def foreign_english(text: str) -> list[str]:
    """Runs of two or more Latin words outside what the reader typed: English prose."""
    return LATIN_RUN.findall(QUOTED.sub(" ", text))
