"""The Mini App's initData is believed only with Telegram's signature, fresh, and unambiguous."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from bot.web.init_data import (
    InvalidInitData,
    Problem,
    WebAppUser,
    sign,
    signature,
    user_fields,
    verify,
)

TOKEN = "123456789:AAH-test-token-for-the-signature"
NOW = dt.datetime(2016, 3, 1, 6, 0, tzinfo=dt.UTC)


def _signed(at: dt.datetime = NOW, token: str = TOKEN, **extra: str) -> str:
    fields = user_fields(710_004, "Дина", language_code="ru", auth_date=at, query_id="AAE1")
    return sign({**fields, **extra}, token)


def _problem(raw: str | None, now: dt.datetime = NOW) -> Problem:
    with pytest.raises(InvalidInitData) as caught:
        verify(raw, TOKEN, now)
    return caught.value.problem


def test_valid_init_data_names_its_user() -> None:
    user = verify(_signed(), TOKEN, NOW)
    assert user == WebAppUser(710_004, "Дина", "ru", NOW)


def test_the_hash_is_the_one_telegram_specifies() -> None:
    # Worked out here from the specification, not through the module's own helpers.
    fields = {"auth_date": "1456812000", "query_id": "Q", "user": '{"id":1,"first_name":"A"}'}
    check = 'auth_date=1456812000\nquery_id=Q\nuser={"id":1,"first_name":"A"}'
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert signature(fields, TOKEN) == expected
    raw = urlencode({**fields, "hash": expected}, quote_via=quote)
    assert verify(raw, TOKEN, NOW).id == 1


def test_fields_in_any_order_and_any_encoding_verify() -> None:
    pairs = parse_qsl(_signed())
    raw = "&".join(f"{k}={quote(v, safe='')}" for k, v in reversed(pairs))
    assert verify(raw, TOKEN, NOW).id == 710_004


def test_an_altered_field_is_refused() -> None:
    pairs = dict(parse_qsl(_signed()))
    user = json.loads(pairs["user"])
    pairs["user"] = json.dumps({**user, "id": 710_001})
    assert _problem(urlencode(pairs)) is Problem.BAD_SIGNATURE
    pairs = dict(parse_qsl(_signed()))
    pairs["auth_date"] = str(int(pairs["auth_date"]) + 60)
    assert _problem(urlencode(pairs)) is Problem.BAD_SIGNATURE


def test_an_added_field_is_refused() -> None:
    assert _problem(_signed() + "&start_param=x") is Problem.BAD_SIGNATURE


def test_data_signed_with_another_token_is_refused() -> None:
    assert _problem(_signed(token="987654321:another-bot")) is Problem.BAD_SIGNATURE


def test_data_older_than_a_day_is_refused() -> None:
    assert verify(_signed(NOW - dt.timedelta(hours=23)), TOKEN, NOW).id == 710_004
    assert _problem(_signed(NOW - dt.timedelta(days=1, seconds=1))) is Problem.EXPIRED
    # The clock decides: the same data is good the day it was signed and expired after.
    raw = _signed()
    assert _problem(raw, NOW + dt.timedelta(days=2)) is Problem.EXPIRED


def test_data_from_the_future_is_refused() -> None:
    assert _problem(_signed(NOW + dt.timedelta(hours=1))) is Problem.EXPIRED


def test_missing_hash_or_data_is_refused() -> None:
    without = "&".join(p for p in _signed().split("&") if not p.startswith("hash="))
    assert _problem(without) is Problem.NO_HASH
    assert _problem(without + "&hash=") is Problem.NO_HASH
    assert _problem("") is Problem.MISSING
    assert _problem(None) is Problem.MISSING


def test_a_field_given_twice_is_refused() -> None:
    raw = _signed()
    user = next(p for p in raw.split("&") if p.startswith("user="))
    assert _problem(f"{raw}&{user}") is Problem.DUPLICATE
    hashed = next(p for p in raw.split("&") if p.startswith("hash="))
    assert _problem(f"{raw}&{hashed}") is Problem.DUPLICATE


def test_garbage_and_signed_data_without_a_user_are_refused() -> None:
    assert _problem("no-equals-sign") is Problem.MALFORMED
    assert _problem("a=1&" * 3000) is Problem.MALFORMED
    no_user = sign({"auth_date": str(int(NOW.timestamp()))}, TOKEN)
    assert _problem(no_user) is Problem.NO_USER
    no_date = sign({"user": '{"id":5}'}, TOKEN)
    assert _problem(no_date) is Problem.NO_DATE


def test_a_problem_never_repeats_the_data() -> None:
    raw = _signed(token="987654321:another-bot")
    with pytest.raises(InvalidInitData) as caught:
        verify(raw, TOKEN, NOW)
    assert str(caught.value) == "bad_signature"
    assert TOKEN not in repr(caught.value)
