"""Turning a table row into the plain record a repository returns.

A record is a frozen dataclass whose fields are named after the row's columns; the few
fields stored in another form (a status as text, a payload as JSON) are given as values.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

R = TypeVar("R")


def record(cls: type[R], row: object, *, prefix: str = "", **values: Any) -> R:
    """A ``cls`` from ``row``'s attributes of the same names, each after ``prefix`` (for the
    columns of a joined table); ``values`` stand in for some."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return cls(
        **{name: values[name] if name in values else getattr(row, prefix + name) for name in names}
    )
