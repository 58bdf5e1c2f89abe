"""Messages of membership and rights: an invitation, an agency's members."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n.catalog import Translator
from bot.wording import agency_code, agency_label, cut, long_date
from scheduler.plan.model import Plan
from scheduler.usecases.administration import AgencyMembers
from scheduler.usecases.invites import NewInvite


def invite(created: NewInvite, link: str, plan: Plan, tr: Translator, tz: ZoneInfo) -> str:
    """The invitation's deep link (``link`` and the token), with what it grants and how long."""
    return tr(
        "invite.created",
        agency=agency_label(plan, created.agency, tr.language),
        role=tr(f"role.{created.role}"),
        link=link + created.token,
        expires=long_date(created.expires_at.astimezone(tz).date(), tr.language),
    )


def members(found: AgencyMembers, plan: Plan, tr: Translator) -> str:
    agency = agency_code(plan, found.agency, tr.language)
    if not found.members:
        return tr("members.none", agency=agency)
    lines = [tr("members.title", agency=agency, count=len(found.members))]
    for member in found.members:
        name = member.name or "—"
        handle = f"@{member.username}" if member.username else ""
        lines.append(
            tr(
                "members.line",
                name=name,
                handle=handle,
                user=member.user_id,
                role=tr(f"role.{member.role}"),
            )
        )
    return cut("\n".join(lines))
