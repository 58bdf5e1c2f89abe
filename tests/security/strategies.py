"""Hypothesis strategies for hostile input: text, command arguments and callback data."""

from __future__ import annotations

from hypothesis import strategies as st

# Markup Telegram would parse, Markdown it would not, SQL, format fields, and characters
# that change how text is shown (right-to-left override, zero-width, byte-order mark).
SPECIAL = (
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;b&gt;",
    "<b>",
    "</b>",
    "<i>x",
    '<a href="tg://user?id=1">',
    "</a>",
    "<script>alert(1)</script>",
    "*bold*",
    "_it_",
    "`code`",
    "[link](http://127.0.0.1/)",
    "\\",
    "'",
    '"',
    "'; DROP TABLE status_updates; --",
    "' OR '1'='1",
    "%s%n",
    "{text}",
    "{0}",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u00a0",
    "Ә",
    "i",
    "\r\n",
    "\t",
)
LONG = ("x" * 10_000, "<b>" * 3_000, "Ә&" * 4_000, "'; DROP TABLE status_updates; --" * 300)

control_characters = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(
    min_codepoint=0x7F, max_codepoint=0x9F
)
pieces = st.sampled_from(SPECIAL) | control_characters | st.characters()
hostile_text = st.one_of(
    st.text(min_size=1, max_size=300),
    st.lists(pieces, min_size=1, max_size=40).map("".join),
    st.sampled_from(LONG),
).filter(lambda text: bool(text.strip()))

# Numbers as a user might type them, or forge them: too large for any column, not ASCII,
# signed, empty.
numbers = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(0, 10**6).map(str),
    st.integers(2**31 - 3, 2**63 + 3).map(str),
    st.sampled_from(["99999999999999999999", "²", "١٢", "٦", "-1", "", "0x10", " 1", "1e3", "6.0"]),
)
words = st.one_of(
    hostile_text.map(lambda t: t[:80]),
    st.sampled_from(["МСМ", "мсм", "ЖАО", "XYZ", "all", "task", "officer", "coordinator"]),
    numbers,
)
arguments = st.lists(words, max_size=4).map(" ".join) | st.sampled_from(LONG)


def _fits(data: str) -> bool:
    # Telegram carries 1-64 bytes of callback data.
    return 1 <= len(data.encode("utf-8")) <= 64


callback_data = st.one_of(
    st.text(min_size=1, max_size=64),
    st.binary(min_size=1, max_size=64).map(lambda b: b.decode("latin-1")),
    st.builds("st:{}:{}".format, numbers, st.sampled_from("dpxz")),
    st.builds("cl:{}:{}:{}".format, numbers, st.sampled_from("dpx"), numbers),
    st.builds("undo:{}".format, numbers),
    st.builds("ack:{}".format, numbers),
    st.builds("bc:{}:{}".format, st.sampled_from(["go", "no"]), numbers),
    st.builds("pd:{}:{}".format, st.sampled_from(["go", "no"]), numbers),
    st.builds("au:{}".format, numbers),
    st.builds("lang:{}".format, st.sampled_from(["kk", "ru", "en", "xx", "", "kk:kk"])),
    st.builds("tasks:{}:{}".format, st.sampled_from(["all", "МСМ", "XYZ", ""]), numbers),
    st.builds("task:{}".format, numbers),
    st.builds("sub:{}:{}".format, st.sampled_from("atx"), words),
    st.builds("unsub:{}:{}".format, st.sampled_from("atx"), words),
    st.just("subt"),
).filter(_fits)
