"""The words and marks officials use for a status, grouped by what they signal.

Patterns are written the way people type them, in Cyrillic or Latin letters, and are matched
against a folded form of the message (see ``scheduler.statuses.classify``), so one pattern also
covers the same word typed in Latin letters, with Russian letters for Kazakh ones, or with Latin
look-alikes inside a Cyrillic word. A pattern matches whole words only. Syntax:

* letters are folded like the message, so ``орындалды`` also matches ``oryndaldy``;
* ``~`` stands for the rest of a word (any further letters or digits, possibly none);
* `` … `` (with spaces) stands for up to three other words, none of them a negation;
* ``(a|b)`` and ``?`` group and make optional, as in regular expressions;
* an entry starting with ``re:`` is a regular expression over the folded alphabet itself
  (lowercase ``a``-``z``, digits, single spaces between words).

When two matches overlap, the longer wins; on equal length, the earlier entry in ``ENTRIES``
wins, which is why specific entries come before the general suffix rules at the end.
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    """What a matched phrase signals."""

    DONE = enum.auto()
    READY = enum.auto()  # "ready": done, but "not ready" means "not yet", not a failure
    IN_PROGRESS = enum.auto()
    POSTPONED = enum.auto()
    PROBLEM = enum.auto()
    NEGATED_DONE = enum.auto()  # a completion verb with a negation built in: a problem
    NOT_YET = enum.auto()
    PARTIAL = enum.auto()
    PROMISE = enum.auto()  # the task will be done
    REPORT_PROMISE = enum.auto()  # the information will be sent
    REPORT_SENT = enum.auto()
    ACK = enum.auto()  # "ok", "understood": the reminder was seen, nothing more
    NEUTRAL = enum.auto()  # "no problems": swallowed so "problem" inside it does not count


_REPORT_SUBJECT = (
    "(ақпарат(ты|тар)?|мәлімет(ті|тер)?|хат(ты)?|жауап|есеп(ті)?|құжат(тар|ты)?"
    "|информаци(я|ю|и)|сведения|отчет(ы)?|письм(о|а)|ответ(ы)?|документ(ы)?"
    "|report(s)?|info|information|letter|reply)"
)
_REPORT_VERB = (
    "(жіберіл(ді|ген)|жолдан(ды|ған)|беріл(ді|ген)|ұсыныл(ды|ған)|тапсырыл(ды|ған)"
    "|жібердік|жолдадық|бердік|ұсындық|тапсырдық"
    "|направлен~|отправлен~|представлен~|предоставлен~|выслан~"
    "|направил~|отправил~|представил~|предоставил~|выслал~"
    "|sent|submitted|provided)"
)
_REPORT_VERB_ALONE = (
    "(жіберіл(ді|ген)|жолдан(ды|ған)|жібердік|жолдадық"
    "|направлен(о|а|ы)?|отправлен(о|а|ы)?|направили|отправили|sent|submitted)"
)
_DONE_PARTICIPLES = "(готов~|сделан~|выполнен~|исполнен~|завершен~|проведен~|утвержден~|подписан~)"

ENTRIES: tuple[tuple[Kind, str], ...] = (
    # --- nothing to report: must beat "problem" inside it ---
    (Kind.NEUTRAL, "(ешқандай )?(мәселе|проблема|кедергі)(лер|лар)? жоқ"),
    (Kind.NEUTRAL, "(нет|без) проблем~"),
    (Kind.NEUTRAL, "проблем~ нет"),
    (Kind.NEUTRAL, "no (problem~|iss(ue|ues))"),
    # --- in progress, where the phrase contains a done or report word ---
    (Kind.IN_PROGRESS, "(направлен~|отправлен~) на (согласование|подпись|рассмотрение)"),
    (Kind.IN_PROGRESS, "на (согласование|подпись|рассмотрение) (направлен~|отправлен~)"),
    (Kind.IN_PROGRESS, "келісуге (жіберілді|жолданды|берілді|ұсынылды)"),
    # --- promises: the task will be done ---
    (Kind.PROMISE, "орында(ймыз|ймын|лады)"),
    (Kind.PROMISE, "орындалмақ"),
    (Kind.PROMISE, "жаса(ймыз|ймын|лады)"),
    (Kind.PROMISE, "аяқта(ймыз|ймын|лады)"),
    (Kind.PROMISE, "бітір(еміз|емін|іледі)"),
    (Kind.PROMISE, "бітеді"),
    (Kind.PROMISE, "дайында(ймыз|ймын|лады)"),
    (Kind.PROMISE, "дайын бол(ады|мақ|ғанда|ған соң|ып қалады)"),
    (Kind.PROMISE, "өткіз(еміз|емін|іледі)"),
    (Kind.PROMISE, "бекіт(еміз|іледі)"),
    (Kind.PROMISE, "іске асыр(амыз|ылады)"),
    (Kind.PROMISE, "қолға аламыз"),
    (Kind.PROMISE, "(сделаем|сделаю|выполним|выполню|исполним|исполню|завершим|закончим)"),
    (Kind.PROMISE, "(подготовим|доделаем|проведем|утвердим|согласуем|постараемся)"),
    (Kind.PROMISE, "будет " + _DONE_PARTICIPLES),
    (Kind.PROMISE, _DONE_PARTICIPLES + " будет"),
    (Kind.PROMISE, "will (do|finish|complete)"),
    (Kind.PROMISE, "will be (done|ready|completed|finished)"),
    (Kind.PROMISE, "re:ll (?:do|finish|complete)"),
    # --- promises: the information will be sent ---
    (Kind.REPORT_PROMISE, "жібер(еміз|емін|іледі)"),
    (Kind.REPORT_PROMISE, "жолда(ймыз|ймын|нады)"),
    (Kind.REPORT_PROMISE, "(ұсын|тапсыр)(амыз|амын|ылады)"),
    (Kind.REPORT_PROMISE, "(отправ|направ|предостав|представ)(им|лю)"),
    (Kind.REPORT_PROMISE, "вышлем"),
    (Kind.REPORT_PROMISE, "будет (направлен~|отправлен~|представлен~|предоставлен~)"),
    (Kind.REPORT_PROMISE, "will (send|submit|provide)"),
    (Kind.REPORT_PROMISE, "re:ll (?:send|submit|provide)"),
    # --- not yet, partly ---
    (Kind.NOT_YET, "not yet"),
    (Kind.NOT_YET, "(ещё|пока) нет"),
    (Kind.NOT_YET, "(әлі|әзірге) (жоқ|емес)"),
    (Kind.NOT_YET, "дайын бол(ма~|ған жоқ)"),
    (Kind.PARTIAL, "частично"),
    (Kind.PARTIAL, "не (полностью|до конца|все|всё)"),
    (Kind.PARTIAL, "не в полном объ(е|ё)ме"),
    (Kind.PARTIAL, "(ішінара|жартылай)"),
    (Kind.PARTIAL, "толық(тай)? емес"),
    (Kind.PARTIAL, "(partially|partly|in part)"),
    (Kind.PARTIAL, "not (fully|completely|all)"),
    # --- the information was sent (a fact of its own, not a status) ---
    (Kind.REPORT_SENT, _REPORT_SUBJECT + " … " + _REPORT_VERB),
    (Kind.REPORT_SENT, _REPORT_VERB + " … " + _REPORT_SUBJECT),
    (Kind.REPORT_SENT, _REPORT_VERB_ALONE),
    # --- done ---
    (Kind.DONE, "орындал(ды|ған|дық)"),
    (Kind.DONE, "орында(дық|дым|ды|ған)"),
    (Kind.DONE, "орындалып (болды|бітті)"),
    (Kind.DONE, "біт(ті|кен|тік)"),
    (Kind.DONE, "бітір(дік|дім|ілді|ілген)"),
    (Kind.DONE, "аяқтал(ды|ған)"),
    (Kind.DONE, "аяқта(дық|дым|ды)"),
    (Kind.DONE, "іске асырыл(ды|ған)"),
    (Kind.DONE, "іске асыр(дық|ды)"),
    (Kind.DONE, "өткізіл(ді|ген)"),
    (Kind.DONE, "өткіз(дік|дім|ді)"),
    (Kind.DONE, "бекітіл(ді|ген)"),
    (Kind.DONE, "бекіт(тік|ті)"),
    (Kind.DONE, "келісіл(ді|ген)"),
    (Kind.DONE, "жасал(ды|ған)"),
    (Kind.DONE, "жаса(дық|дым)"),
    (Kind.DONE, "қол қойыл(ды|ған)"),
    (Kind.DONE, "дайын болды"),
    (Kind.DONE, "(выполнен|исполнен|сделан|проведен|утвержден)(о|а|ы)?"),
    (Kind.DONE, "(согласован|завершен|закончен|подписан|реализован)(о|а|ы)?"),
    (Kind.DONE, "(выполнил|исполнил|сделал|провел|утвердил|согласовал|завершил|закончил)(и|а)?"),
    (Kind.DONE, "(подписал|реализовал)(и|а)?"),
    (Kind.DONE, "(done|completed|complete|finished|approved|signed|implemented)"),
    (Kind.READY, "дайын(быз|мыз|мын)?"),
    (Kind.READY, "готов(о|а|ы)?"),
    (Kind.READY, "ready"),
    # --- in progress ---
    (Kind.IN_PROGRESS, "жұмыс(тар)? жүргізіл(уде|іп жатыр)"),
    (Kind.IN_PROGRESS, "(келісуде|қарауда|қол қоюда)"),
    (Kind.IN_PROGRESS, "в (работе|процессе|стадии)"),
    (Kind.IN_PROGRESS, "на (согласовании|подписи|рассмотрении|исполнении)"),
    (Kind.IN_PROGRESS, "(ведется|ведутся|идет|проводится) работ(а|ы)"),
    (Kind.IN_PROGRESS, "работ(а|ы) (ведется|ведутся|идет|проводится)"),
    (Kind.IN_PROGRESS, "(работаем|готовится|готовим|выполняется|исполняется)"),
    (Kind.IN_PROGRESS, "(ведется|ведутся)"),
    (Kind.IN_PROGRESS, "(прорабатыва|подготавлива|разрабатыва|согласовыва)~"),
    (Kind.IN_PROGRESS, "(work )?in (progress|process|work)"),
    (Kind.IN_PROGRESS, "(working on it|ongoing|under way|underway|under review|wip)"),
    # --- postponed ---
    (Kind.POSTPONED, "мерзім(і)? … (ұзартыл|ауыстырыл|шегеріл)(ды|ді|ған|ген)"),
    (Kind.POSTPONED, "ұзартыл(ды|ған)"),
    (Kind.POSTPONED, "кейінге (қалдырыл(ды|ған)|шегеріл(ді|ген)|ауыстырыл(ды|ған)|қалдырдық)"),
    (Kind.POSTPONED, "перенес(ено|ен|ена|ены|ли)"),
    (Kind.POSTPONED, "срок~ … (продлен~|продлил~|перенес~)"),
    (Kind.POSTPONED, "(продлен~|продлил~|перенесл~) … срок~"),
    (Kind.POSTPONED, "(продлен(о|а|ы)?|продлили)"),
    (Kind.POSTPONED, "(отлож|отсроч)(ено|ен|ена|ены|или)"),
    (Kind.POSTPONED, "отсрочка"),
    (Kind.POSTPONED, "(postponed|deferred|rescheduled)"),
    (Kind.POSTPONED, "(deadline|due date) … extended"),
    (Kind.POSTPONED, "extended … (deadline|due date)"),
    # --- problem ---
    (Kind.PROBLEM, "(мәселе|проблема)(лер|лар)? (бар|туындады|туындап отыр)"),
    (Kind.PROBLEM, "кедергі(лер)? (бар|туындады|болып отыр)"),
    (Kind.PROBLEM, "(қаржы(ландыру)?|қаражат) (жоқ|бөлінбеді|бөлінбеген|жетіспейді|тапшы)"),
    (Kind.PROBLEM, "(мүмкін емес|мүмкіндік жоқ)"),
    (Kind.PROBLEM, "кешіктіріл(ді|уде|ген)"),
    (Kind.PROBLEM, "кешіг(іп жатыр|уде|ді|дік)"),
    (Kind.PROBLEM, "проблем~"),
    (Kind.PROBLEM, "нет (финансирования|средств|денег|бюджета|финансов)"),
    (Kind.PROBLEM, "(финансирование|средства) не (выделен~|выделил~|предусмотрен~)"),
    (Kind.PROBLEM, "не (выделен~|выделил~) (средства|финансирование)"),
    (Kind.PROBLEM, "отсутств~ (финансировани~|средств~)"),
    (Kind.PROBLEM, "(сорван~|срыв~|невозможно|затруднени~|трудност~|задерж~)"),
    (Kind.PROBLEM, "(problem~|iss(ue|ues)|blocked|blocker~|stuck|failed|impossible|delayed)"),
    (Kind.PROBLEM, "no (funding|funds|budget)"),
    (Kind.PROBLEM, "not possible"),
    # --- a completion verb with the Kazakh negation suffix (-ма/-ме/-ба/-бе/-па/-пе) inside ---
    (Kind.NEGATED_DONE, "орында(л)?ма~"),
    (Kind.NEGATED_DONE, "біт(пе|ме)~"),
    (Kind.NEGATED_DONE, "бітір(ме|ілме)~"),
    (Kind.NEGATED_DONE, "аяқта(л)?ма~"),
    (Kind.NEGATED_DONE, "іске асыр(ыл)?ма~"),
    (Kind.NEGATED_DONE, "өткіз(іл)?ме~"),
    (Kind.NEGATED_DONE, "бекіт(пе|ілме)~"),
    (Kind.NEGATED_DONE, "келіс(пе|ілме)~"),
    (Kind.NEGATED_DONE, "жаса(л)?ма~"),
    (Kind.NEGATED_DONE, "дайында(л)?ма~"),
    # --- acknowledgements ---
    (Kind.ACK, "(ок|ok|окей|okay|оке|хорошо|понятно|принято|ясно|noted|got it)"),
    (Kind.ACK, "(понял|принял)(а|и)?"),
    (Kind.ACK, "(жақсы|түсінікті|түсіндім|қабылдадық|қабылдадым)"),
    # --- general suffix rules, last so that any specific entry of equal length wins ---
    # Kazakh present continuous of a passive or causative verb: орындалуда, әзірленуде.
    (Kind.IN_PROGRESS, "re:[a-z]{3,}(?:l|n|z)u(?:da|de)"),
    # Kazakh converb + жатыр: орындалып жатыр, жасап жатырмыз.
    (Kind.IN_PROGRESS, "re:[a-z]{2,}p jatir[a-z]*"),
    (Kind.IN_PROGRESS, "re:[a-z]{3,}u ustinde"),
)

# Single words that change the meaning of a neighbouring status word.
NEGATION_BEFORE = ("не", "not", "never", "t")  # "t" is what is left of "isn't", "hasn't"
NEGATION_AFTER = ("емес", "жоқ")  # also with endings: емеспіз, жоқпыз
SKIPPED_BEFORE_NEGATION = ("been", "be", "is", "was", "yet", "ещё", "пока", "әлі")
YET = ("әлі", "әзірге", "ещё", "пока", "yet", "still")
QUESTION_PARTICLES = ("ма", "ме", "ба", "бе", "па", "пе", "ли")

# Marks; variation selectors and skin tones are ignored when they follow them.
DONE_MARKS = "✅✔☑✓"
PROBLEM_MARKS = "❌❎✖⛔🚫⚠"
PROGRESS_MARKS = "⏳⌛🔄"
THUMBS_UP = "👍"
ACK_MARKS = "👌🆗"
