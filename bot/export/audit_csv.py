"""The audit log as CSV, for an administrator to keep or send on.

One row per entry, oldest first: its number, the local time, who (id and name), the action's
code and its sentence in the reader's language, whether it was allowed, the before and after,
and the detail as recorded. UTF-8 with a byte-order mark, as the report's CSV, for Excel.
"""

from __future__ import annotations

import csv
import io
import json
from zoneinfo import ZoneInfo

from bot.features.audit.render import change, what
from bot.i18n.catalog import Translator
from bot.wording import local_time
from scheduler.plan.model import Plan
from scheduler.usecases.administration import AuditPage

ENCODING = "utf-8-sig"
COLUMNS = ("id", "when", "user", "name", "chat", "action", "what", "allowed", "before", "after")


def audit_csv(page: AuditPage, plan: Plan, tr: Translator, tz: ZoneInfo) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel")
    writer.writerow(
        [tr.plain(f"audit.head.{column}") for column in COLUMNS] + [tr.plain("audit.head.detail")]
    )
    for entry in page.entries:
        moved = change(entry, plan, tr)
        writer.writerow(
            [
                entry.id,
                local_time(entry.at, tz),
                entry.user_id if entry.user_id is not None else "",
                page.names.get(entry.user_id, "") if entry.user_id is not None else "",
                entry.chat_id if entry.chat_id is not None else "",
                entry.action,
                what(entry, plan, tr),
                tr.plain("audit.value.yes" if entry.allowed else "audit.value.no"),
                moved[0] if moved else "",
                moved[1] if moved else "",
                json.dumps(dict(entry.detail), ensure_ascii=False, sort_keys=True),
            ]
        )
    return out.getvalue().encode(ENCODING)
