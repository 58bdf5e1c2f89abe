"""Telegram's HTML parse mode: turns marked-up text into plain text plus message entities.

Only the tags Telegram accepts are allowed; anything else, an unclosed tag or a mismatched
end tag is refused the way Telegram refuses it ("can't parse entities: ..."). Offsets and
lengths of entities are in UTF-16 code units, as in the Bot API.

Length limits are checked by the caller on ``len()`` of the plain text, that is in Unicode
code points after tags are removed and entities decoded. Telegram's own count may differ
for characters outside the Basic Multilingual Plane; for the Cyrillic and Latin text this
project sends the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.botapi.errors import ApiError, bad_request

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_ATTR_RE = re.compile(
    r"""([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"""
)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    start: int
    attrs: dict[str, str]
    inner_code_language: str | None = None


@dataclass
class _Builder:
    chunks: list[str] = field(default_factory=list)
    position: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.chunks.append(text)
        self.position += utf16_len(text)


def _decode_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith(("#x", "#X")):
        return _safe_chr(int(name[2:], 16), match.group(0))
    if name.startswith("#"):
        return _safe_chr(int(name[1:]), match.group(0))
    # Telegram supports only these named entities; others stay as typed.
    return _NAMED_ENTITIES.get(name, match.group(0))


def _safe_chr(code: int, fallback: str) -> str:
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return fallback


def unescape(text: str) -> str:
    """Decode the HTML entities Telegram understands in ``text``."""
    return _ENTITY_RE.sub(_decode_entity, text)


def _parse_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _parse_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(raw):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attrs[match.group(1).lower()] = unescape(value)
    return attrs


def _entity_for(opened: _Open, length: int) -> dict[str, Any] | None:
    kind = _TAG_ENTITY[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.start, "length": length}
    if kind == "text_link":
        href = opened.attrs.get("href")
        if not href:
            return None
        entity["url"] = href
    elif kind == "custom_emoji":
        emoji_id = opened.attrs.get("emoji-id")
        if not emoji_id:
            return None
        entity["custom_emoji_id"] = emoji_id
    elif kind == "pre" and opened.inner_code_language:
        entity["language"] = opened.inner_code_language
    elif kind == "blockquote" and "expandable" in opened.attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def _open_tag(text: str, index: int, content: str, stack: list[_Open], position: int) -> _Open:
    name, _, rest = content.strip().partition(" ")
    name = name.lower().rstrip("/")
    attrs = _parse_attrs(rest)
    if name not in _TAG_ENTITY or (name == "span" and attrs.get("class") != "tg-spoiler"):
        raise _parse_error(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, index)}'
        )
    opened = _Open(name, position, attrs)
    language = attrs.get("class", "")
    if name == "code" and stack and stack[-1].tag == "pre":
        # Telegram folds <pre><code class="language-x"> into one pre entity with a language.
        prefix = "language-"
        stack[-1].inner_code_language = (
            language.removeprefix(prefix) if language.startswith(prefix) else ""
        )
    return opened


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of ``text`` in HTML parse mode; raises ``ApiError`` if invalid."""
    out = _Builder()
    stack: list[_Open] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "<":
            end = text.find(">", index)
            if end < 0:
                raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(text, index)}")
            content = text[index + 1 : end]
            if content.startswith("/"):
                _close_tag(text, index, content[1:].strip().lower(), stack, out)
            else:
                stack.append(_open_tag(text, index, content, stack, out.position))
            index = end + 1
        elif char == "&":
            match = _ENTITY_RE.match(text, index)
            if match:
                out.add(_decode_entity(match))
                index = match.end()
            else:
                out.add(char)
                index += 1
        else:
            out.add(char)
            index += 1
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities = sorted(out.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(out.chunks), entities


def _close_tag(text: str, index: int, name: str, stack: list[_Open], out: _Builder) -> None:
    if not stack:
        raise _parse_error(f"Unexpected end tag at byte offset {_byte_offset(text, index)}")
    opened = stack[-1]
    if name != opened.tag:
        raise _parse_error(
            f"Unmatched end tag at byte offset {_byte_offset(text, index)}, "
            f'expected "</{opened.tag}>", found "</{name}>"'
        )
    stack.pop()
    if opened.tag == "code" and stack and stack[-1].inner_code_language is not None:
        return
    length = out.position - opened.start
    if length <= 0:
        return
    entity = _entity_for(opened, length)
    if entity is not None:
        out.entities.append(entity)


def render_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply a send's ``parse_mode``/``entities`` the way Telegram does.

    Explicit ``entities`` win over ``parse_mode``. Markdown modes are not interpreted: the text
    is kept as sent, without entities.
    """
    if entities is not None:
        return text, [dict(e) for e in entities]
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode in ("", "markdown", "markdownv2"):
        return text, []
    raise bad_request("unsupported parse_mode")
