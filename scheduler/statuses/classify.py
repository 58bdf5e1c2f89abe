"""Reading an official's status reply: which status a chat message states, if any.

``classify(text)`` never raises and never guesses: when a message does not state exactly one
status, the reading is unclear and lists the statuses it could mean, so the bot can ask with
buttons. Only the first ``LIMIT`` characters are examined.

Matching works on a folded copy of the message; the caller keeps the original. The copy is
NFKC-normalised, stripped of invisible characters and combining marks, and each word is folded
to a small Latin alphabet: Latin look-alikes inside a Cyrillic word become Cyrillic (so do
whole words of look-alikes, such as "B" or "Het", in a mostly Cyrillic message), Kazakh
letters fall together with their usual Russian and Latin stand-ins (ә a, і и i, ң н n, ғ г g,
қ к q k, ү ұ у u, ө о o, һ х h), Cyrillic is transliterated (ы и й і y all become ``i``), Latin
digraphs (zh, kh, gh, ts) become single letters, repeated ``i`` collapses and a letter typed
three or more times counts once. "орындалды", "oryndaldy" and "oрындалды" with a Latin "o"
thus read the same. The message is split into clauses at , . ; ! ? and line breaks.

Decisions, beyond the word lists in ``scheduler.statuses.vocabulary``:

* "+" standing apart (not glued to a digit, letter, "-" or "/", so "+7 701 ..." and "+-" do
  not count) and a thumbs-up are a done: answering a reminder, that is what officials mean.
  They are weak: any status word in the message decides instead, and a promise beats them.
* "ок", "ok", "понятно", "жақсы", "👌" alone only acknowledge the reminder: unclear, done or
  in progress.
* A promise ("орындаймыз", "жібереміз", "сделаем", "будет готово", "will do") is never done:
  alone it is unclear, in progress or postponed. A promise to send information does not
  contradict a done ("орындалды, ақпаратты ертең жібереміз" is done); a promise about the task
  itself does ("сделано, остальное сделаем" is unclear).
* A negated completion ("орындалмады", "орындалған жоқ", "не выполнено", "не исполнено",
  "not done") is a problem: the work was due and was not done. A negated readiness ("дайын
  емес", "не готово") or a negation with "yet" ("ещё не сделано", "әлі орындалмады", "not yet")
  is unclear between in progress and problem. A negated in-progress, postponed or problem word
  ("срок не продлен", "не проблема") states nothing.
* "частично", "ішінара", "не полностью" with a done is unclear between done and in progress.
* Status words in a clause that ends with "?" or that are followed by a question particle
  (ма, ме, ба, бе, па, пе, ли) ask rather than state; they count only when nothing is stated.
* Done together with any other status, or with a partial, not-yet or task promise, is a
  conflict: unclear, all candidates. In progress with postponed is postponed (a moved deadline
  implies the work goes on); any other mix is a conflict.
* "Information was sent" sets ``report_sent`` and does not set a status; alone it is unclear,
  done or in progress.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from scheduler.statuses.status import Confidence, Reading, Status
from scheduler.statuses.vocabulary import (
    ACK_MARKS,
    DONE_MARKS,
    ENTRIES,
    NEGATION_AFTER,
    NEGATION_BEFORE,
    PROBLEM_MARKS,
    PROGRESS_MARKS,
    QUESTION_PARTICLES,
    SKIPPED_BEFORE_NEGATION,
    THUMBS_UP,
    YET,
    Kind,
)

LIMIT = 2000
"""Only this many leading characters of a message are examined."""

# NFKC can expand a character many times over ("ﷺ"); this bounds the work that follows.
_EXPANDED_LIMIT = 4 * LIMIT
_CACHED_WORD_LENGTH = 40

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufe00-\ufe0f\ufeff\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f]"
)
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x09\x0e-\x1f\x7f-\x84\x86-\x9f]")
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile("[\u0400-\u052f]")
_LATIN = re.compile("[A-Za-z]")
_LOOKALIKE_LETTERS = "AaBCcEeHhIiKkMmOoPpTtXxYy"
_LOOKALIKES = str.maketrans(_LOOKALIKE_LETTERS, "АаВСсЕеНһІіКкМмОоРрТтХхУу")
# Latin letters with no Cyrillic twin: only these make a message count as written in Latin.
_LATIN_ONLY = re.compile(
    "[" + "".join(c for c in string.ascii_letters if c not in _LOOKALIKE_LETTERS) + "]"
)
# "ts" only before a vowel: "protsesse" is процессе, but "otsrochka" is отсрочка.
_DIGRAPHS = re.compile("zh|kh|gh|ts(?=[aeiouy])")
_DIGRAPH_LETTERS = {"zh": "j", "kh": "h", "gh": "g", "ts": "c"}
_FOLD = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "ґ": "g", "д": "d",
        "е": "e", "ё": "e", "є": "e", "э": "e", "ж": "j", "з": "z", "и": "i", "і": "i",
        "ї": "i", "й": "i", "ы": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
        "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ұ": "u", "ү": "u", "ў": "u", "ф": "f", "х": "h", "һ": "h", "ц": "c", "ч": "ch",
        "ш": "sh", "щ": "sh", "ъ": "", "ь": "", "ю": "iu", "я": "ia",
        "q": "k", "x": "h", "y": "i", "ı": "i", "ä": "a", "ö": "o", "ü": "u", "ū": "u",
        "ğ": "g", "ñ": "n", "ş": "sh", "ç": "ch",
    }
)  # fmt: skip
_I_RUNS = re.compile("i{2,}")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_NOT_ALNUM = re.compile("[^a-z0-9]+")
_CLAUSE = re.compile(r"([^.,;!?\n]*)([.,;!?\n]*)")
_PLUS = re.compile(r"(?<![\w+\-/±])\++(?![\w+\-/±])")
_WORD_START = re.compile("(?<![a-z])[a-z]")
_CAPTURING = re.compile(r"\((?!\?)")
_GAP = "(?: (?!(?:ne|not|net|emes|jok)(?![a-z]))[a-z0-9]+){0,3} "

_STATUS_OF = {
    Kind.DONE: Status.DONE,
    Kind.READY: Status.DONE,
    Kind.IN_PROGRESS: Status.IN_PROGRESS,
    Kind.POSTPONED: Status.POSTPONED,
    Kind.PROBLEM: Status.PROBLEM,
    Kind.NEGATED_DONE: Status.PROBLEM,
}
_HEDGES = {
    Kind.NOT_YET: ("not yet", (Status.IN_PROGRESS, Status.PROBLEM)),
    Kind.PARTIAL: ("partial", (Status.DONE, Status.IN_PROGRESS)),
    Kind.PROMISE: ("promise", (Status.IN_PROGRESS, Status.POSTPONED)),
    Kind.REPORT_PROMISE: ("promise", (Status.IN_PROGRESS, Status.POSTPONED)),
}
_NEGATABLE = frozenset(
    {Kind.DONE, Kind.READY, Kind.IN_PROGRESS, Kind.POSTPONED, Kind.PROBLEM, Kind.REPORT_SENT}
)
_ACKNOWLEDGED = (Status.DONE, Status.IN_PROGRESS)


def classify(text: str) -> Reading:
    """Read the status a chat message states; unclear rather than a guess."""
    prepared = _prepare(text)
    if not prepared.strip():
        return _unclear((), "empty", report_sent=False)
    tally = _Tally()
    for clause in _CLAUSE.finditer(prepared):
        body, ends = clause.group(1), clause.group(2)
        if body.strip():
            _read_clause(body, "?" in ends, tally)
    return tally.verdict()


@dataclass
class _Tally:
    """What the clauses of one message said, before the verdict."""

    stated: dict[Status, set[str]] = field(default_factory=dict)
    hedges: set[Kind] = field(default_factory=set)
    weak: list[str] = field(default_factory=list)
    asked: set[Status] = field(default_factory=set)
    negated: list[str] = field(default_factory=list)
    acknowledged: bool = False
    report_sent: bool = False

    def state(self, status: Status, tag: str, *, question: bool) -> None:
        if question:
            self.asked.add(status)
        else:
            self.stated.setdefault(status, set()).add(tag)

    def verdict(self) -> Reading:
        sent = self.report_sent
        task_hedges = self.hedges - {Kind.REPORT_PROMISE}
        stated = self.stated
        if not stated and self.weak and not task_hedges:
            stated = {Status.DONE: {self.weak[0]}}
        if stated:
            return _decide(stated, task_hedges, sent)
        if self.hedges:
            labels = sorted({_HEDGES[kind][0] for kind in self.hedges})
            candidates = {s for kind in self.hedges for s in _HEDGES[kind][1]}
            return _unclear(candidates, "+".join(labels), report_sent=sent)
        if sent:
            return _unclear(_ACKNOWLEDGED, "report sent only", report_sent=sent)
        if self.acknowledged:
            return _unclear(_ACKNOWLEDGED, "acknowledgement", report_sent=sent)
        if self.asked:
            return _unclear(self.asked, "question", report_sent=sent)
        if self.negated:
            return _unclear((), self.negated[0], report_sent=sent)
        return _unclear((), "no status", report_sent=sent)


def _decide(stated: dict[Status, set[str]], task_hedges: set[Kind], sent: bool) -> Reading:
    statuses = set(stated)
    if Status.DONE in statuses and (len(statuses) > 1 or task_hedges):
        candidates = statuses | {s for kind in task_hedges for s in _HEDGES[kind][1]}
        if statuses == {Status.DONE} and task_hedges == {Kind.PARTIAL}:
            return _unclear(candidates, "partial", report_sent=sent)
        labels = [s.value for s in Status if s in statuses]
        labels += sorted({_HEDGES[kind][0].replace(" ", "_") for kind in task_hedges})
        return _unclear(candidates, "conflicting: " + "+".join(labels), report_sent=sent)
    if len(statuses) == 1:
        (status,) = statuses
        tags = stated[status]
        reason = "negated done" if tags == {"negated done"} else _label(status, tags)
        return _clear(status, reason, report_sent=sent)
    if statuses == {Status.IN_PROGRESS, Status.POSTPONED}:
        return _clear(Status.POSTPONED, "postponed while in progress", report_sent=sent)
    labels = [s.value for s in Status if s in statuses]
    return _unclear(statuses, "conflicting: " + "+".join(labels), report_sent=sent)


def _label(status: Status, tags: set[str]) -> str:
    if len(tags) == 1 and tags <= {"plus", "thumbs up"}:
        return next(iter(tags))
    return status.value.replace("_", " ")


def _clear(status: Status, reason: str, *, report_sent: bool) -> Reading:
    return Reading(status, Confidence.CLEAR, (status,), reason, report_sent)


def _unclear(candidates: Iterable[Status], reason: str, *, report_sent: bool) -> Reading:
    wanted = set(candidates)
    ordered = tuple(s for s in Status if s in wanted)
    return Reading(None, Confidence.UNCLEAR, ordered, reason, report_sent)


def _read_clause(body: str, question: bool, tally: _Tally) -> None:
    words = _NOT_ALNUM.sub(" ", body).strip()
    if words:
        lexicon = _lexicon()
        yet = not lexicon.yet.isdisjoint(words.split())
        for start, end, kind in _hits(words, lexicon):
            asked = question or lexicon.question_after.match(words, end) is not None
            _note(kind, _is_negated(words, start, end, lexicon), yet, asked, tally)
    _note_marks(body, question, tally)


def _note(kind: Kind, negated: bool, yet: bool, asked: bool, tally: _Tally) -> None:
    if kind in _NEGATABLE and negated:
        if kind in (Kind.DONE, Kind.READY):
            kind = Kind.NOT_YET if yet or kind is Kind.READY else Kind.NEGATED_DONE
        else:
            if kind in _STATUS_OF and not asked:
                tally.negated.append("negated " + _STATUS_OF[kind].value.replace("_", " "))
            return
    if kind is Kind.NEGATED_DONE and yet:
        kind = Kind.NOT_YET
    if kind in _STATUS_OF:
        tag = "negated done" if kind is Kind.NEGATED_DONE else "word"
        tally.state(_STATUS_OF[kind], tag, question=asked)
    elif kind in _HEDGES:
        if asked:
            tally.asked.update(_HEDGES[kind][1])
        else:
            tally.hedges.add(kind)
    elif asked:
        return
    elif kind is Kind.REPORT_SENT:
        tally.report_sent = True
    elif kind is Kind.ACK:
        tally.acknowledged = True


def _note_marks(body: str, question: bool, tally: _Tally) -> None:
    for marks, status in (
        (DONE_MARKS, Status.DONE),
        (PROBLEM_MARKS, Status.PROBLEM),
        (PROGRESS_MARKS, Status.IN_PROGRESS),
    ):
        if any(mark in body for mark in marks):
            tally.state(status, "mark", question=question)
    if _PLUS.search(body):
        _note_weak("plus", question, tally)
    if THUMBS_UP in body:
        _note_weak("thumbs up", question, tally)
    if not question and any(mark in body for mark in ACK_MARKS):
        tally.acknowledged = True


def _note_weak(tag: str, question: bool, tally: _Tally) -> None:
    if question:
        tally.asked.add(Status.DONE)
    else:
        tally.weak.append(tag)


def _is_negated(words: str, start: int, end: int, lexicon: _Lexicon) -> bool:
    before = words[max(0, start - 40) : start].split()
    while before and before[-1] in lexicon.skipped:
        before.pop()
    if before and before[-1] in lexicon.negation_before:
        return True
    after = words[end : end + 24].split()
    return bool(after) and after[0].startswith(lexicon.negation_after)


def _hits(words: str, lexicon: _Lexicon) -> list[tuple[int, int, Kind]]:
    """Non-overlapping matches, the longest first; on a tie, the earlier vocabulary entry."""
    found: list[tuple[int, int, int, int]] = []
    for word in _WORD_START.finditer(words):
        scanner, entries = lexicon.scanners[word.group()]
        match = scanner.match(words, word.start())
        if match is None:
            continue
        for group, text in enumerate(match.groups(), start=1):
            if text:
                start, end = match.span(group)
                found.append((start - end, start, entries[group - 1], end))
    found.sort()
    taken: list[tuple[int, int, Kind]] = []
    for _, start, index, end in found:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, lexicon.kinds[index]))
    taken.sort(key=lambda hit: hit[0])
    return taken


def _prepare(text: str) -> str:
    """The folded copy of ``text`` that matching works on."""
    text = _INVISIBLE.sub("", text[:LIMIT])
    text = _CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", text))
    text = unicodedata.normalize("NFKC", text)[:_EXPANDED_LIMIT]
    text = _MARKS.sub("", text)
    cyrillic = len(_CYRILLIC.findall(text)) > len(_LATIN_ONLY.findall(text))
    return _WORD.sub(lambda match: _fold_word(match.group(), cyrillic=cyrillic), text)


def _fold_word(word: str, *, cyrillic: bool = False) -> str:
    # Words repeat across messages, so short ones are remembered; long ones would only bloat
    # the cache.
    if len(word) <= _CACHED_WORD_LENGTH:
        return _fold_short_word(word, cyrillic)
    return _fold_any_word(word, cyrillic)


def _fold_any_word(word: str, cyrillic: bool) -> str:
    """Fold one word; in a mostly Cyrillic message, "B" or "Het" are taken as Cyrillic too."""
    if _CYRILLIC.search(word) or (cyrillic and not word.strip(_LOOKALIKE_LETTERS)):
        if _LATIN.search(word):
            word = word.translate(_LOOKALIKES)
        word = word.casefold()
    else:
        word = _DIGRAPHS.sub(lambda m: _DIGRAPH_LETTERS[m.group()], word.casefold())
    word = word.translate(_FOLD)
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        word = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)
    return _STRETCHED.sub(r"\1", _I_RUNS.sub("i", word))


_fold_short_word = functools.lru_cache(maxsize=4096)(_fold_any_word)


def _scanners(patterns: list[str]) -> dict[str, tuple[re.Pattern[str], tuple[int, ...]]]:
    """Per first letter, one expression that tries every entry that can start with it at once.

    Entry ``i`` becomes a capturing group inside an optional lookahead, so a single match
    reports every entry that fits at a word start and how far it reaches; the groups inside
    entries are made non-capturing. Entries whose first letters cannot be worked out are
    tried at every word.
    """
    bodies = [_fold_pattern(pattern) for pattern in patterns]
    firsts = [_first_letters(body) for body in bodies]
    scanners = {}
    for letter in string.ascii_lowercase:
        chosen = tuple(i for i, first in enumerate(firsts) if first is None or letter in first[0])
        groups = "".join(f"(?:(?=({bodies[i]})(?![a-z]))|)" for i in chosen)
        scanners[letter] = (re.compile(groups), chosen)
    return scanners


def _first_letters(body: str) -> tuple[frozenset[str], bool] | None:
    """The characters a match of ``body`` can start with, and whether it can be empty.

    Understands just what folded patterns use: literals, ``(?:a|b)`` groups and the ``?`` and
    ``*`` quantifiers; anything else (classes, lookarounds) gives None: "not obvious".
    """
    first: set[str] = set()
    i = 0
    while i < len(body):
        char = body[i]
        if char.isascii() and (char.isalnum() or char == " "):
            element, nullable, i = {char}, False, i + 1
        elif body.startswith("(?:", i) and (close := _closing(body, i)) > 0:
            element, nullable = set(), False
            for alternative in _top_level_split(body[i + 3 : close]):
                found = _first_letters(alternative)
                if found is None:
                    return None
                element |= found[0]
                nullable = nullable or found[1]
            i = close + 1
        else:
            return None
        if i < len(body) and body[i] in "?*":
            nullable, i = True, i + 1
        first |= element
        if not nullable:
            return frozenset(first), False
    return frozenset(first), True


def _closing(body: str, opening: int) -> int:
    depth = 0
    for i in range(opening, len(body)):
        if body[i] == "(":
            depth += 1
        elif body[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _top_level_split(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(body):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _fold_pattern(pattern: str) -> str:
    if pattern.startswith("re:"):
        body = pattern[3:]
    else:
        parts = [_WORD.sub(lambda m: _fold_word(m.group()), p) for p in pattern.split(" … ")]
        body = _GAP.join(parts).replace("~", "[a-z0-9]*")
    return _CAPTURING.sub("(?:", body)


@dataclass(frozen=True)
class _Lexicon:
    """The vocabulary folded and compiled once, on first use."""

    kinds: tuple[Kind, ...]
    # For each letter a word can start with: one expression trying every entry that can start
    # with it, and the index in ENTRIES of each of its groups.
    scanners: dict[str, tuple[re.Pattern[str], tuple[int, ...]]]
    yet: frozenset[str]
    skipped: frozenset[str]
    negation_before: frozenset[str]
    negation_after: tuple[str, ...]
    question_after: re.Pattern[str]


@functools.cache
def _lexicon() -> _Lexicon:
    def folded(words: Iterable[str]) -> frozenset[str]:
        return frozenset(_fold_word(word) for word in words)

    particles = "|".join(sorted(folded(QUESTION_PARTICLES)))
    return _Lexicon(
        kinds=tuple(kind for kind, _ in ENTRIES),
        scanners=_scanners([pattern for _, pattern in ENTRIES]),
        yet=folded(YET),
        skipped=folded(SKIPPED_BEFORE_NEGATION),
        negation_before=folded(NEGATION_BEFORE),
        negation_after=tuple(sorted(folded(NEGATION_AFTER))),
        question_after=re.compile(rf" (?:{particles})(?![a-z])"),
    )
