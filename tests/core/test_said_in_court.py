"""A date said in court, found in a hearing note, counted from the hearing's day as a lawyer means it. The hearing:
Tuesday 8 December 2026 at 14h30 (Paris); every expected date is worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from caseapp.dates import PARIS
from caseapp.domain.said_in_court import find_said_date
from caseapp.i18n import current_language, set_language

HEARING = datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)  # a Tuesday


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    previous = current_language()
    set_language("fr")  # the titles a French lawyer reads
    yield
    set_language(previous)


D = date
T = PARIS
CASES: list[tuple[str, str, date | datetime, str]] = [
    ("Délibéré le 12 mars", "deliberation", D(2027, 3, 12), "Délibéré — 12 mars 2027"),
    ("Mis en délibéré, décision rendue sous huitaine", "deliberation", D(2026, 12, 16), "Délibéré — 16 décembre 2026"),
    ("délibéré fin janvier", "deliberation", D(2027, 1, 31), "Délibéré — 31 janvier 2027"),
    ("Délibéré à quinzaine", "deliberation", D(2026, 12, 23), "Délibéré — 23 décembre 2026"),
    # no time said for a hearing: the same time as this one
    ("Renvoi à quinzaine", "adjournment", datetime(2026, 12, 23, 14, 30, tzinfo=T), "Audience de renvoi"),
    ("renvoi à huitaine, réplique", "adjournment", datetime(2026, 12, 16, 14, 30, tzinfo=T), "Audience de renvoi"),
    ("Renvoyé au 3 avril", "adjournment", datetime(2027, 4, 3, 14, 30, tzinfo=T), "Audience de renvoi"),
    ("Renvoyée à l'audience du 5 janvier 2027 à 9h30", "adjournment", datetime(2027, 1, 5, 9, 30, tzinfo=T),
     "Audience de renvoi"),
    ("Clôture de l'instruction fixée au 18 décembre", "closing", D(2026, 12, 18),
     "Clôture de l'instruction — 18 décembre 2026"),
    ("clôture le 1er février", "closing", D(2027, 2, 1), "Clôture de l'instruction — 1er février 2027"),
]  # fmt: skip


@pytest.mark.parametrize(("note", "kind", "value", "title"), CASES)
def test_a_note_names_its_date(note: str, kind: str, value: date | datetime, title: str) -> None:
    said = find_said_date(note, HEARING)
    assert said is not None
    assert (said.kind, said.value, said.title) == (kind, value, title)
    assert said.time_assumed == (kind == "adjournment" and value.hour == 14 and "9h30" not in note)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "note",
    [
        "Le rapporteur public conclut à la suspension",
        "La Ville invoque l'urgence",
        "Renvoi sine die",
        "Mémoire avant le 3 avril",  # a date, but no délibéré, renvoi or clôture: the date field is for it
        "",
    ],
)
def test_a_note_without_such_a_date_offers_nothing(note: str) -> None:
    assert find_said_date(note, HEARING) is None


def test_the_days_are_counted_from_the_hearing_not_from_today() -> None:
    earlier = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # Monday 2 March 2026
    said = find_said_date("renvoi à quinzaine", earlier)
    assert said is not None and said.value == datetime(2026, 3, 17, 10, 0, tzinfo=PARIS)
