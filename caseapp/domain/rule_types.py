"""The shape of a time-limit rule and of the event that starts it (the data lives in ``deadline_rules`` and
``rules_remedies``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Confidence = Literal["V", "S", "2", "M"]
Unit = Literal["months", "days", "hours"]
Counting = Literal["franc", "birth", "calendar", "before", "fixed"]
DateKind = Literal["act", "birth", "court", "closing", "expected"]

CONFIDENCE_LABELS: dict[str, tuple[str, str]] = {
    "V": ("texte lu dans sa version en vigueur", "text read in its current version"),
    "S": ("texte lu seulement dans une version consolidée de 2014-2015", "text read only in a 2014–15 consolidation"),
    "2": ("règle connue par la doctrine seulement", "rule known through commentary only"),
    "M": ("connaissance générale, non vérifiée", "general knowledge, not checked"),
}


@dataclass(frozen=True, slots=True)
class Trigger:
    """An event that starts time limits; ``step_fr``/``step_en`` open an explanation (``{d}`` = the date)."""

    key: str
    label_fr: str
    label_en: str
    step_fr: str
    step_en: str


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    id: str
    label_fr: str
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
    note_fr: str
    note_en: str
    # Does a missing or faulty acknowledgement of the request (CRPA L112-6) stop this delay from running?
    acknowledgement_matters: bool = False
    # What the date is for people (see ``deadline_rules``): a last day to act, a birth, the court's duty…
    date_kind: DateKind = "act"

    @property
    def runs_against_party(self) -> bool:
        """A time limit a party must meet after the trigger (franc or calendar): the R421-5 / L112-6 flags apply."""
        return self.direction > 0 and self.counting in ("franc", "calendar")

    def label(self, lang: str = "fr") -> str:
        return self.label_fr if lang.startswith("fr") else self.label_en

    def note(self, lang: str = "fr") -> str:
        return self.note_fr if lang.startswith("fr") else self.note_en

    @property
    def is_birth(self) -> bool:
        """The date is when an implicit decision is born, not a last day to act."""
        return self.date_kind == "birth"
