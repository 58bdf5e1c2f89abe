"""Who is in the sandbox: the people a trainer can speak as, and the group they share.

This is the one place that says who they are; the seeding (:mod:`sandbox.seeding`) brings
each one to that state through the bot's own conversations, and the page lists them. Their
names and descriptions come from the catalogs (``sandbox.persona.<key>``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a persona does in the plan's work."""

    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    OFFICER = "officer"
    CONTROLLER = "controller"
    NEWCOMER = "newcomer"


@dataclass(frozen=True)
class Persona:
    """One person of the sandbox, with a Telegram account of their own.

    ``agency`` and ``membership`` are what the administrator's invitation gives them;
    ``follows_agency`` whether they subscribe to that agency's reminders; ``group_admin``
    whether they administer the shared group (and so may decide its subscriptions).
    """

    key: str
    user_id: int
    role: Role
    agency: str | None = None
    membership: str | None = None
    follows_agency: bool = False
    group_admin: bool = False
    subscribes_group: bool = False

    @property
    def invited(self) -> bool:
        return self.agency is not None and self.membership is not None


@dataclass(frozen=True)
class Cast:
    """Every persona, in the order the page lists them, and the group chat they share."""

    personas: tuple[Persona, ...]
    group_id: int

    def __post_init__(self) -> None:
        keys = [p.key for p in self.personas]
        if len(set(keys)) != len(keys) or len({p.user_id for p in self.personas}) != len(keys):
            raise ValueError("every persona needs a key and a user id of its own")
        if self.group_id >= 0:
            raise ValueError("a group's chat id is negative")
        if not any(p.role is Role.ADMINISTRATOR for p in self.personas):
            raise ValueError("the sandbox needs an administrator")

    def persona(self, key: str) -> Persona | None:
        return next((p for p in self.personas if p.key == key), None)

    @property
    def administrators(self) -> tuple[int, ...]:
        """The user ids the bot is told are administrators (ADMIN_IDS)."""
        return tuple(p.user_id for p in self.personas if p.role is Role.ADMINISTRATOR)

    def chats_of(self, persona: Persona) -> tuple[int, int]:
        """The chats a persona sees: their private chat with the bot, then the group."""
        return persona.user_id, self.group_id


# The ministry that leads most of the plan's tasks, and the department that controls them.
LEAD_AGENCY = "МСМ"
CONTROLLING_DEPARTMENT = "ІСБ"

DEFAULT_CAST = Cast(
    personas=(
        Persona("administrator", 710_001, Role.ADMINISTRATOR, group_admin=True),
        Persona(
            "coordinator",
            710_002,
            Role.COORDINATOR,
            agency=LEAD_AGENCY,
            membership="coordinator",
            follows_agency=True,
            group_admin=True,
            subscribes_group=True,
        ),
        Persona(
            "officer",
            710_003,
            Role.OFFICER,
            agency=LEAD_AGENCY,
            membership="officer",
            follows_agency=True,
        ),
        # A controller of the department that controls the tasks: follows it, and so receives
        # its escalations, decides on its tasks' reports and sees them on the dashboard.
        Persona(
            "controller",
            710_004,
            Role.CONTROLLER,
            agency=CONTROLLING_DEPARTMENT,
            membership="controller",
            follows_agency=True,
        ),
        Persona("newcomer", 710_005, Role.NEWCOMER),
    ),
    group_id=-710_100,
)
