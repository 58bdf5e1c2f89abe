"""What a member does for their agency: coordinates, carries out, or controls.

A controller is a member of a controlling department (one a task's "control" column names):
they accept or return its tasks' reports and decide their extensions.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    OFFICER = "officer"
    CONTROLLER = "controller"
