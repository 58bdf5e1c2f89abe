"""Telegram Mini App ``initData``: checking its signature as Telegram specifies, and making one.

Telegram hands a Mini App a query string of fields (``user``, ``auth_date``, ``hash`` …).
The page sends it back, and it proves who opened the page only if its ``hash`` is right:
the secret key is HMAC-SHA256 of the bot token keyed with ``WebAppData``; the hash is the
hex HMAC-SHA256, under that key, of the data-check string (every other field as
``key=value``, sorted by key, joined by line feeds). It is compared in constant time, and
data older than :data:`MAX_AGE` is refused, by the injectable clock. A field given twice
is refused too: which of the two Telegram meant cannot be told.

:func:`sign` makes initData exactly as Telegram does, for the sandbox and the tests, which
know the token of their local Bot API. Nothing here logs, and no problem repeats the data.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_AGE = dt.timedelta(days=1)
# Telegram's clock and ours may differ a little; data from further ahead is not believed.
CLOCK_SKEW = dt.timedelta(minutes=5)
# initData is a few hundred bytes; anything far longer is not from Telegram.
MAX_LENGTH = 8192
HASH = "hash"


class Problem(enum.StrEnum):
    """Why initData proves nothing; each is answered alike (401), the reason kept for tests."""

    MISSING = "missing"
    MALFORMED = "malformed"
    DUPLICATE = "duplicate"
    NO_HASH = "no_hash"
    BAD_SIGNATURE = "bad_signature"
    NO_DATE = "no_date"
    EXPIRED = "expired"
    NO_USER = "no_user"


class InvalidInitData(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """Who opened the Mini App, as the signed data says."""

    id: int
    first_name: str
    language_code: str | None
    auth_date: dt.datetime


def _secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: Mapping[str, str]) -> bytes:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != HASH).encode()


def signature(fields: Mapping[str, str], token: str) -> str:
    """The hex hash Telegram puts in ``hash`` for ``fields`` (its own ``hash`` left out)."""
    return hmac.new(_secret_key(token), _check_string(fields), hashlib.sha256).hexdigest()


def sign(fields: Mapping[str, str], token: str) -> str:
    """initData for ``fields``, signed with ``token`` as Telegram signs it."""
    values = {k: v for k, v in fields.items() if k != HASH}
    return urlencode({**values, HASH: signature(values, token)})


def user_fields(
    user_id: int,
    first_name: str,
    *,
    language_code: str | None,
    auth_date: dt.datetime,
    query_id: str = "",
) -> dict[str, str]:
    """The fields Telegram sends for a user opening a Mini App, before signing."""
    user: dict[str, object] = {"id": user_id, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    fields = {
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(auth_date.timestamp())),
    }
    if query_id:
        fields["query_id"] = query_id
    return fields


def _fields(raw: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidInitData(Problem.MALFORMED) from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise InvalidInitData(Problem.DUPLICATE)
        fields[key] = value
    return fields


def verify(raw: str | None, token: str, now: dt.datetime) -> WebAppUser:
    """The user ``raw`` names when its signature under ``token`` holds and it is fresh."""
    if not raw:
        raise InvalidInitData(Problem.MISSING)
    if len(raw) > MAX_LENGTH:
        raise InvalidInitData(Problem.MALFORMED)
    fields = _fields(raw)
    given = fields.get(HASH)
    if not given:
        raise InvalidInitData(Problem.NO_HASH)
    expected = signature(fields, token)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InvalidInitData(Problem.BAD_SIGNATURE)
    stamp = fields.get("auth_date", "")
    if not stamp.isascii() or not stamp.isdigit():
        raise InvalidInitData(Problem.NO_DATE)
    signed_at = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    if now - signed_at > MAX_AGE or signed_at - now > CLOCK_SKEW:
        raise InvalidInitData(Problem.EXPIRED)
    return _user(fields.get("user"), signed_at)


def _user(raw: str | None, signed_at: dt.datetime) -> WebAppUser:
    try:
        user = json.loads(raw or "")
    except ValueError:
        raise InvalidInitData(Problem.NO_USER) from None
    if not isinstance(user, dict):
        raise InvalidInitData(Problem.NO_USER)
    user_id = user.get("id")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InvalidInitData(Problem.NO_USER)
    language = user.get("language_code")
    return WebAppUser(
        id=user_id,
        first_name=str(user.get("first_name") or ""),
        language_code=language if isinstance(language, str) else None,
        auth_date=signed_at,
    )
