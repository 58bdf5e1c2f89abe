"""How the audit log tells each action: one entry per action the core records.

Each audited action (``Visit.record`` and ``Visit.refuse_unless_admin`` in ``scheduler/``) has
an :class:`ActionSpec` here: the catalog sentence that says what was done
(``audit.do.<action>``), the values it needs from the entry's detail, and how the detail's
before and after read. ``tests/test_audit_actions.py`` fails when an action recorded in
``scheduler/`` has no entry, so a new action is told, never shown as its code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.i18n.catalog import Translator
from bot.wording import agency_code, agency_codes
from scheduler.plan.model import Plan
from scheduler.vocabulary.control import ITEM_STATES, STATUSES, ItemState, Status

Detail = Mapping[str, Any]
Values = Callable[[Detail, Plan, Translator], Mapping[str, object]]
Change = Callable[[Detail, Plan, Translator], tuple[str, str] | None]


def _shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _plain(*names: str) -> Values:
    """The detail's values of ``names`` as they are ("—" for none)."""

    def values(detail: Detail, plan: Plan, tr: Translator) -> Mapping[str, object]:
        return {name: _shown(detail.get(name)) for name in names}

    return values


def _with(base: Values, **extra: Callable[[Detail, Plan, Translator], object]) -> Values:
    def values(detail: Detail, plan: Plan, tr: Translator) -> Mapping[str, object]:
        found = dict(base(detail, plan, tr))
        found.update({name: make(detail, plan, tr) for name, make in extra.items()})
        return found

    return values


def _agency(detail: Detail, plan: Plan, tr: Translator) -> object:
    """The agency in the reader's language; a refused report names those it was asked for."""
    code = detail.get("agency")
    if code:
        return agency_code(plan, str(code), tr.language)
    codes = detail.get("agencies") or []
    return agency_codes(plan, [str(c) for c in codes], tr.language)


def _worded(name: str, prefix: str) -> Callable[[Detail, Plan, Translator], object]:
    """A value of the vocabulary (a source, a field) in the reader's words: ``prefix<value>``."""

    def shown(detail: Detail, plan: Plan, tr: Translator) -> object:
        value = detail.get(name)
        return tr.plain(f"{prefix}{value}") if value else "—"

    return shown


def _audience(detail: Detail, plan: Plan, tr: Translator) -> object:
    audience, target = detail.get("audience"), str(detail.get("target") or "")
    if audience not in ("all", "agency", "task"):
        return "—"
    shown = agency_code(plan, target, tr.language) if audience == "agency" else target
    return tr.plain(f"audience.{audience}", target=shown)


def _role(detail: Detail, plan: Plan, tr: Translator) -> object:
    role = detail.get("role")
    return tr.plain(f"role.{role}") if role in ("coordinator", "officer") else _shown(role)


def _tasks(detail: Detail, plan: Plan, tr: Translator) -> object:
    changes = detail.get("changes") or []
    return ", ".join(f"№{c['task']}" for c in changes if isinstance(c, dict)) or "—"


def _status(value: object, tr: Translator) -> str:
    if value is None:
        return tr.plain("audit.value.no_report")
    try:
        return tr.plain(STATUSES[Status(str(value))].label_key)
    except ValueError:
        return _shown(value)


def _status_change(detail: Detail, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    if "after" not in detail:
        return None
    return _status(detail.get("before"), tr), _status(detail.get("after"), tr)


def _state(value: object, tr: Translator) -> str:
    try:
        return tr.plain(ITEM_STATES[ItemState(str(value))].plain_key)
    except ValueError:
        return _shown(value)


def _state_change(detail: Detail, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    """An item's state before and after: a report, or a controller's decision on one."""
    if "after" not in detail:
        return None
    return _state(detail.get("before"), tr), _state(detail.get("after"), tr)


def _yes_no(value: object, tr: Translator) -> str:
    if value is None:
        return "—"
    return tr.plain("audit.value.yes" if value else "audit.value.no")


def _flag_change(detail: Detail, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    if "before" not in detail and "after" not in detail:
        return None
    return _yes_no(detail.get("before"), tr), _yes_no(detail.get("after"), tr)


def _as_is(detail: Detail, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    if "before" not in detail and "after" not in detail:
        return None
    return _shown(detail.get("before")), _shown(detail.get("after"))


def _day_kind(value: object, tr: Translator) -> str:
    if value is None:
        return tr.plain("audit.value.official_day")
    return tr.plain("audit.value.working_day" if value else "audit.value.day_off")


def _calendar_change(detail: Detail, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    if "after" not in detail:
        return None
    return _day_kind(detail.get("before"), tr), _day_kind(detail.get("after"), tr)


def _broadcast_state(value: object, tr: Translator) -> str:
    return tr.plain(f"audit.value.broadcast_{value}") if value else "—"


def _broadcast_change(detail: Detail, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    if "after" not in detail:
        return None
    return _broadcast_state(detail.get("before"), tr), _broadcast_state(detail.get("after"), tr)


def _no_change(detail: Detail, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    return None


def _no_values(detail: Detail, plan: Plan, tr: Translator) -> Mapping[str, object]:
    return {}


@dataclass(frozen=True)
class ActionSpec:
    """One action in the log: ``audit.do.<action>`` with ``values``, and its ``change``."""

    values: Values = _no_values
    change: Change = _no_change


_REPORT = ActionSpec()
AUDIT_ACTIONS: Mapping[str, ActionSpec] = MappingProxyType(
    {
        "admin.menu": ActionSpec(),
        "admin.promote": ActionSpec(_plain("target"), _flag_change),
        "admin.demote": ActionSpec(_plain("target"), _flag_change),
        "audit.read": ActionSpec(),
        "audit.export": ActionSpec(_plain("entries")),
        "members.read": ActionSpec(_with(_plain(), agency=_agency)),
        "members.remove": ActionSpec(_with(_plain("user"), agency=_agency), _flag_change),
        "invite.create": ActionSpec(_with(_plain("invite"), agency=_agency, role=_role)),
        "invite.revoke": ActionSpec(
            _plain("invite"),
            lambda d, p, tr: (
                (tr.plain("audit.value.valid"), tr.plain("audit.value.revoked"))
                if d.get("revoked")
                else None
            ),
        ),
        "invite.redeem": ActionSpec(_with(_plain("invite"), agency=_agency, role=_role)),
        "calendar.change": ActionSpec(_plain("day", "note"), _calendar_change),
        "report.summary": _REPORT,
        "report.xlsx": _REPORT,
        "report.csv": _REPORT,
        "report.usage": _REPORT,
        "report.discipline": _REPORT,
        "broadcast.draft": ActionSpec(_with(_plain(), audience=_audience)),
        "broadcast.confirm": ActionSpec(_plain("broadcast")),
        "broadcast.send": ActionSpec(
            _with(_plain("broadcast", "copies"), audience=_audience), _broadcast_change
        ),
        "broadcast.cancel": ActionSpec(
            _with(_plain("broadcast"), audience=_audience), _broadcast_change
        ),
        "plan.acks": ActionSpec(),
        "plan.ack": ActionSpec(_plain("version")),
        "plan.edit": ActionSpec(
            _with(_plain("task", "value"), field=_worded("field", "audit.field."))
        ),
        "plan.upload": ActionSpec(_plain("file", "bytes")),
        "plan.event": ActionSpec(_plain("task", "value")),
        "plan.propose": ActionSpec(
            _with(_plain("draft"), source=_worded("source", "audit.source."), tasks=_tasks)
        ),
        "plan.confirm": ActionSpec(_plain("draft")),
        "plan.cancel": ActionSpec(_plain("draft")),
        "plan.change": ActionSpec(
            _with(
                _plain("draft", "after"), source=_worded("source", "audit.source."), tasks=_tasks
            ),
            _as_is,
        ),
        "subscription.change": ActionSpec(_plain("target")),
        "status.report": ActionSpec(_with(_plain("task"), agency=_agency), _state_change),
        "review.accept": ActionSpec(_with(_plain("status", "task"), agency=_agency), _state_change),
        "review.return": ActionSpec(
            _with(_plain("status", "task", "new_date"), agency=_agency), _state_change
        ),
        "extension.request": ActionSpec(_with(_plain("request", "task"), agency=_agency), _as_is),
        "extension.approve": ActionSpec(_with(_plain("request", "task"), agency=_agency), _as_is),
        "extension.refuse": ActionSpec(_with(_plain("request", "task"), agency=_agency), _as_is),
        "interim.ask": ActionSpec(_with(_plain("request", "task"), agency=_agency)),
        "interim.list": ActionSpec(),
        "reminder.snooze": ActionSpec(_with(_plain("point"), agency=_agency), _as_is),
        "status.undo": ActionSpec(_with(_plain("status", "task"), agency=_agency), _status_change),
    }
)


def sentence_keys(actions: Iterable[str] = AUDIT_ACTIONS) -> set[str]:
    """The catalog keys of the actions' sentences."""
    return {f"audit.do.{action}" for action in actions}
