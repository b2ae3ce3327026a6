"""The shape of a time-limit rule and of the event that starts it (the data lives in ``deadline_rules`` and
``rules_remedies``).

Labels, notes and steps are English source strings (marked ``N_``); their French is in the catalogue
(``resources/locale/fr/LC_MESSAGES/domain.po``). ``label_fr``, ``note_fr`` and ``step_fr`` are read from it when
asked, so nothing is loaded before a rule is shown, and they keep the texts stored values rely on (a deadline's
title is its rule's ``label_fr``). A rule's ``label_fr`` and ``note_fr`` are dataclass fields all the same: the
rules' fingerprint (``caseapp.domain.fingerprint``) is made of its fields, and must not change with the way the
French is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from caseapp.i18n import N_, translate

Confidence = Literal["V", "S", "2", "M"]
Unit = Literal["months", "days", "hours"]
Counting = Literal["franc", "birth", "calendar", "before", "fixed"]
DateKind = Literal["act", "birth", "court", "closing", "expected"]

# How sure we are of a rule's text, by its ``confidence`` (English; ``confidence_label`` translates).
CONFIDENCE_LABELS: dict[str, str] = {
    "V": N_("text read in its current version"),
    "S": N_("text read only in a 2014–15 consolidation"),
    "2": N_("rule known through commentary only"),
    "M": N_("general knowledge, not checked"),
}


def confidence_label(confidence: str, lang: str = "fr") -> str:
    return translate(CONFIDENCE_LABELS[confidence], lang)


class _French:
    """A dataclass field's default that reads the French of another (English) field from the catalogue when asked
    (a "descriptor-typed field": the class attribute stays this object, and instances never store a value)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return translate(getattr(instance, self.source), "fr")


def french_field(source: str) -> Any:
    """A dataclass field holding the French of the English field ``source``, read from the catalogue when asked;
    not an argument of ``__init__``, not compared, not in ``repr``."""
    return field(default=_French(source), init=False, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Trigger:
    """An event that starts time limits; ``step_en`` opens an explanation (``{d}`` = the date)."""

    key: str
    label_en: str
    step_en: str

    @property
    def label_fr(self) -> str:
        return translate(self.label_en, "fr")

    @property
    def step_fr(self) -> str:
        return translate(self.step_en, "fr")

    def label(self, lang: str = "fr") -> str:
        return translate(self.label_en, lang)

    def step(self, lang: str = "fr") -> str:
        return translate(self.step_en, lang)


@dataclass(frozen=True)
class DeadlineRule:
    """One time-limit rule: the event that starts it (``trigger``), its length and how it is counted, its legal basis
    and how sure we are of its text (``confidence``). ``label_en`` and ``note_en`` are English source strings."""

    id: str
    label_en: str
    legal_basis: str
    confidence: Confidence
    trigger: str
    length: int
    unit: Unit
    counting: Counting
    direction: int  # +1: after the trigger; -1: before it
    urgent_length: int | None
    distance_extension: bool  # CJA R421-7 (+1 month overseas, +2 abroad), via R811-5 and R821-2
    note_en: str
    # Does a missing or faulty acknowledgement of the request (CRPA L112-6) stop this delay from running?
    acknowledgement_matters: bool = False
    # What the date is for people (see ``deadline_rules``): a last day to act, a birth, the court's duty…
    date_kind: DateKind = "act"
    # The French, from the catalogue (see the module's docstring).
    label_fr: str = french_field("label_en")
    note_fr: str = french_field("note_en")

    @property
    def runs_against_party(self) -> bool:
        """A time limit a party must meet after the trigger (franc or calendar): the R421-5 / L112-6 flags apply."""
        return self.direction > 0 and self.counting in ("franc", "calendar")

    def label(self, lang: str = "fr") -> str:
        return translate(self.label_en, lang)

    def note(self, lang: str = "fr") -> str:
        return translate(self.note_en, lang)

    @property
    def is_birth(self) -> bool:
        """The date is when an implicit decision is born, not a last day to act."""
        return self.date_kind == "birth"
