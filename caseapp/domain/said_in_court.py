"""A date said in court, found in a hearing note: "délibéré le 12 mars", "renvoi à quinzaine", "renvoyé au 3 avril
14h", "clôture de l'instruction le 3 avril". What it is (the délibéré, an adjourned hearing, the close of the
investigation), its date — counted from the hearing's day, as a lawyer means it ("renvoi à quinzaine" is 15 days
after the hearing) — and the title of the record it becomes.

Pure: the note's words and the hearing's moment in, a ``SaidDate`` (or None) out. The window offers it in one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from caseapp.date_parsing import _fold, parse_when
from caseapp.dates import PARIS, format_day, to_paris
from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language

SaidKind = Literal["deliberation", "adjournment", "closing"]

# The words that announce each kind (folded: lower case, no accents), the longest first.
_TRIGGERS: tuple[tuple[SaidKind, re.Pattern[str]], ...] = (
    (
        "deliberation",
        re.compile(
            r"\b(?:(?:mise?|mis|placee?)\s+en\s+)?delibere\b(?:\s+(?:sera\s+)?rendu)?|\bjudgment\s+reserved\b"
            r"|\bdecision\s+(?:will\s+be\s+)?(?:given|delivered)\b"
        ),
    ),
    (
        "adjournment",
        re.compile(
            r"\b(?:renvoi|renvoye|renvoyee|renvoyes|renvoyees|reporte|reportee|report|remise?|prochaine\s+audience)\b"
            r"|\badjourn(?:ed|ment)\b"
        ),
    ),
    (
        "closing",
        re.compile(r"\bcloture\b(?:\s+de\s+l'instruction)?|\bclose\s+of\s+(?:the\s+)?investigation\b"),
    ),
)
# What may stand between those words and the date: "renvoyé à l'audience du 3 avril", "clôture fixée au 3 avril".
_CONNECTOR = re.compile(
    r"^\s*(?:(?:(?:est|sera|a\s+ete|fixee?s?|prononcee?|rendue?|lue?|decision|the|is|to|until|on|for|at|le|la|au|"
    r"aux|a|du|de|pour|jusqu'au|jusqu'a|une?|audience|instruction)\b|l'|d'|[:,;\-—–])\s*)+"
)
_MAX_WORDS = 7  # "mardi 3 mars 2026 à 14h30" is six


@dataclass(frozen=True, slots=True)
class SaidDate:
    """``value`` is a day for the délibéré and the close of the investigation, a moment (Paris) for a hearing; when
    no time was said for a hearing, it is the hearing's own time and ``time_assumed`` says so."""

    kind: SaidKind
    value: date | datetime
    title: str
    time_assumed: bool = False

    @property
    def day(self) -> date:
        return to_paris(self.value).date() if isinstance(self.value, datetime) else self.value


def title_for(kind: SaidKind, day: date, lang: str | None = None) -> str:
    """The record's title, in the interface language: "Délibéré — 12 mars 2027", "Audience de renvoi"."""
    shown = format_day(day, lang or current_language())
    if kind == "deliberation":
        return _("Decision to be delivered — {day}").format(day=shown)
    if kind == "closing":
        return _("Close of investigation — {day}").format(day=shown)
    return _("Adjourned hearing")


def _date_after(tail: str, reference: datetime) -> date | datetime | None:
    """The date at the start of ``tail`` (folded), the longest run of words that reads as one."""
    tail = _CONNECTOR.sub("", tail)
    words = tail.replace(",", " , ").split()
    for count in range(min(len(words), _MAX_WORDS), 0, -1):
        candidate = " ".join(words[:count]).strip(" ,;.")
        if not candidate:
            continue
        try:
            return parse_when(candidate, now=reference).value
        except InvalidInput:
            continue
    return None


def find_said_date(note: str, hearing_at: datetime | None = None, *, now: datetime | None = None) -> SaidDate | None:
    """The first date said in ``note`` after the words of a délibéré, an adjournment or the close of the
    investigation; None when there is none. Dates are counted from the hearing's day (``hearing_at``), or from
    ``now`` when the hearing is not known."""
    folded = _fold(note)
    if not folded:
        return None
    reference = to_paris(hearing_at) if hearing_at is not None else (now or datetime.now(PARIS))
    found: list[tuple[int, SaidKind, re.Match[str]]] = []
    for kind, pattern in _TRIGGERS:
        for match in pattern.finditer(folded):
            found.append((match.start(), kind, match))
    for _start, kind, match in sorted(found, key=lambda item: item[0]):
        value = _date_after(folded[match.end() :], reference)
        if value is None:
            continue
        if kind == "adjournment":
            if isinstance(value, datetime):
                return SaidDate(kind, value, title_for(kind, value.date()))
            at = reference.timetz() if hearing_at is not None else time(9, 0, tzinfo=PARIS)
            moment = datetime.combine(value, at.replace(tzinfo=None), tzinfo=PARIS)
            return SaidDate(kind, moment, title_for(kind, value), time_assumed=True)
        day = to_paris(value).date() if isinstance(value, datetime) else value
        return SaidDate(kind, day, title_for(kind, day))
    return None
