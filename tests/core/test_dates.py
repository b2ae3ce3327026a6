"""Natural date entry: a fixed "now" (Wednesday 28 October 2026, 10:00 Paris) and the exact value expected."""

from __future__ import annotations

import re
import statistics
import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from caseapp.date_parsing import ParsedWhen, parse_date, parse_datetime, parse_when
from caseapp.dates import PARIS, format_date, format_datetime, to_paris, to_utc
from caseapp.errors import InvalidInput
from caseapp.i18n import current_language, set_language

NOW = datetime(2026, 10, 28, 10, 0, tzinfo=PARIS)  # a Wednesday


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    previous = current_language()
    set_language("en")  # messages are asserted in their English source text
    yield
    set_language(previous)


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


CASES: list[tuple[str, date | datetime]] = [
    # French, relative
    ("3 mars", date(2027, 3, 3)),  # the coming 3 March
    ("mardi prochain 14h30", at(2026, 11, 3, 14, 30)),
    ("mardi prochain 14h", at(2026, 11, 3, 14)),
    ("Mardi prochain à 9h", at(2026, 11, 3, 9)),
    ("mardi", date(2026, 11, 3)),
    ("ce mardi", date(2026, 11, 3)),
    ("mardi dernier", date(2026, 10, 27)),
    ("mardi en huit", date(2026, 11, 10)),  # a week after "mardi prochain"
    ("mercredi prochain", date(2026, 11, 4)),  # today is Wednesday: the next one
    ("mercredi", date(2026, 10, 28)),  # …but a bare weekday includes today
    ("demain 14h", at(2026, 10, 29, 14)),
    ("Demain à 9h30", at(2026, 10, 29, 9, 30)),
    ("demain midi", at(2026, 10, 29, 12)),
    ("après-demain", date(2026, 10, 30)),
    ("apres demain", date(2026, 10, 30)),
    ("avant-hier", date(2026, 10, 26)),
    ("dans deux semaines", date(2026, 11, 11)),
    ("dans 2 semaines", date(2026, 11, 11)),
    ("dans quinze jours", date(2026, 11, 12)),
    ("dans 3 jours", date(2026, 10, 31)),
    ("dans un mois", date(2026, 11, 28)),
    ("il y a 2 jours", date(2026, 10, 26)),
    ("dans 2 heures", at(2026, 10, 28, 12)),
    ("aujourd'hui", date(2026, 10, 28)),
    ("aujourd’hui 15h", at(2026, 10, 28, 15)),
    ("hier", date(2026, 10, 27)),
    ("14h30", at(2026, 10, 28, 14, 30)),  # a time alone is today
    ("le 3", date(2026, 11, 3)),  # the next 3rd
    ("mardi 3", date(2026, 11, 3)),
    ("28/10", date(2026, 10, 28)),  # today stays today
    ("27/10", date(2027, 10, 27)),  # yesterday's day/month: next year
    ("29 février", date(2028, 2, 29)),
    # French, absolute
    ("27/02/2020", date(2020, 2, 27)),
    ("27/02/20", date(2020, 2, 27)),
    ("03/04/2026", date(2026, 4, 3)),  # day first
    ("3.4.2026", date(2026, 4, 3)),
    ("27 février 2020", date(2020, 2, 27)),
    ("27 fev 2020", date(2020, 2, 27)),
    ("16 févr. 2026", date(2026, 2, 16)),
    ("le 3 février 2020 à 9h30", at(2020, 2, 3, 9, 30)),
    ("3 mars 2026 à 9 h 30", at(2026, 3, 3, 9, 30)),
    ("le 1er mars 2026", date(2026, 3, 1)),
    ("1er mars", date(2027, 3, 1)),
    ("mardi 3 mars 2026", date(2026, 3, 3)),
    ("mercredi 4 novembre à 10h15", at(2026, 11, 4, 10, 15)),
    ("29/10/2026 à 9h30", at(2026, 10, 29, 9, 30)),
    # English
    ("next Tuesday 9:30", at(2026, 11, 3, 9, 30)),
    ("tomorrow 2pm", at(2026, 10, 29, 14)),
    ("Tomorrow at noon", at(2026, 10, 29, 12)),
    ("in two weeks", date(2026, 11, 11)),
    ("in 3 days", date(2026, 10, 31)),
    ("2 days ago", date(2026, 10, 26)),
    ("today", date(2026, 10, 28)),
    ("yesterday", date(2026, 10, 27)),
    ("last Tuesday", date(2026, 10, 27)),
    ("March 3", date(2027, 3, 3)),
    ("March 3rd, 2026", date(2026, 3, 3)),
    ("Tuesday 3 March 2026", date(2026, 3, 3)),
    ("Dec 5, 2020", date(2020, 12, 5)),
    ("2:30pm", at(2026, 10, 28, 14, 30)),
    ("at 9", at(2026, 10, 28, 9)),
    # the words of the courts: delays in days from today, the end of a month, a part of the day
    ("sous huitaine", date(2026, 11, 5)),  # 28 Oct + 8 days
    ("à huitaine", date(2026, 11, 5)),
    ("sous quinzaine", date(2026, 11, 12)),  # 28 Oct + 15 days
    ("à quinzaine", date(2026, 11, 12)),
    ("demain matin", at(2026, 10, 29, 9)),
    ("demain après-midi", at(2026, 10, 29, 14)),
    ("fin janvier", date(2027, 1, 31)),  # the coming January
    ("fin de janvier", date(2027, 1, 31)),
    ("fin octobre", date(2026, 10, 31)),  # this month's end is still ahead
    ("fin septembre", date(2027, 9, 30)),  # this year's is past
    ("fin février", date(2027, 2, 28)),
    ("fin février 2028", date(2028, 2, 29)),  # a leap year
    ("fin de mois", date(2026, 10, 31)),
    ("fin du mois", date(2026, 10, 31)),
    ("end of January", date(2027, 1, 31)),
    ("end of the month", date(2026, 10, 31)),
    # ISO
    ("2020-02-27", date(2020, 2, 27)),
    ("2026-03-03T14:30:00", at(2026, 3, 3, 14, 30)),  # naive: Paris wall time
    ("2026-03-03 14:30", at(2026, 3, 3, 14, 30)),
    ("2026-03-03T14:30:00+00:00", at(2026, 3, 3, 15, 30)),  # UTC → Paris (CET, +1)
    ("2026-07-01T12:00:00Z", at(2026, 7, 1, 14)),  # UTC → Paris (CEST, +2)
    # the spring-forward gap: 2:30 does not exist on 29 March 2026 and becomes 3:30 CEST
    ("29/03/2026 2h30", at(2026, 3, 29, 3, 30)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse(text: str, expected: date | datetime) -> None:
    result = parse_when(text, now=NOW)
    assert result.value == expected
    assert type(result.value) is type(expected)
    assert result.has_time == isinstance(expected, datetime)
    if isinstance(result.value, datetime):
        assert result.value.tzinfo is not None
        assert result.value.utcoffset() == expected.utcoffset()


def test_naive_and_foreign_now() -> None:
    assert parse_when("demain", now=datetime(2026, 10, 28, 23, 30)).value == date(2026, 10, 29)
    # 23:30 UTC on 28 Oct is already 29 Oct 00:30 in Paris
    late = datetime(2026, 10, 28, 23, 30, tzinfo=UTC)
    assert parse_when("demain", now=late).value == date(2026, 10, 30)
    assert parse_when("aujourd'hui", now=late).value == date(2026, 10, 29)


def test_default_now_is_today_in_paris() -> None:
    assert parse_when("aujourd'hui").value == datetime.now(PARIS).date()


BAD: list[tuple[str, str]] = [
    ("", "Type a date"),
    ("   ", "Type a date"),
    ("sometime", "Could not understand the date “sometime”"),
    ("blabla", "Could not understand the date “blabla”"),
    ("13/13", "there is no month 13"),
    ("31/02/2026", "that month has no day 31"),
    ("32 mars", "that month has no day 32"),
    ("0/1/2026", "that month has no day 0"),
    ("lundi 3 mars", "Wednesday 3 March 2027 is not a Monday"),
    ("mars", "gives no day"),
    ("2027", "gives no day"),
    ("25h", "“25h” is not a time of day"),
    ("demain 25h", "“25h” is not a time of day"),
    ("14h75", "“14h75” is not a time of day"),
    ("13pm", "“13pm” is not a time of day"),
    ("mardi 45", "Could not understand the date “mardi 45”"),
    ("dans 3", "Could not understand the date “dans 3”"),
    ("hier 3", "Could not understand"),
    ("14h 15h", "Could not understand"),
    ("3 mars abc", "Could not understand"),
    ("3/3/1850", "the year 1850 is not plausible"),
    ("ce soir", "Could not understand"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[b[0] or "empty" for b in BAD])
def test_bad_input(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, now=NOW)
    assert message in str(caught.value)


def test_want_date_refuses_a_time() -> None:
    with pytest.raises(InvalidInput, match="This field takes a date only; remove the time “14h30”"):
        parse_when("mardi prochain 14h30", now=NOW, want="date")
    with pytest.raises(InvalidInput, match="remove the time"):
        parse_date("2026-03-03T14:30", now=NOW)
    assert parse_date("mardi prochain", now=NOW) == date(2026, 11, 3)
    assert parse_when("27/02/2020", now=NOW, want="date").value == date(2020, 2, 27)


def test_want_datetime_asks_for_a_time() -> None:
    with pytest.raises(InvalidInput, match=re.escape("has no time. Add a time, e.g. “14h30”.")):
        parse_when("3 mars", now=NOW, want="datetime")
    with pytest.raises(InvalidInput, match="Add a time"):
        parse_datetime("demain", now=NOW)
    value = parse_datetime("demain 9h30", now=NOW)
    assert value == at(2026, 10, 29, 9, 30)
    assert value.tzinfo is not None


def test_want_any_gives_date_or_datetime() -> None:
    assert type(parse_when("demain", now=NOW, want="any").value) is date
    assert type(parse_when("demain 9h", now=NOW, want="any").value) is datetime


def test_echo_in_both_languages() -> None:
    result = parse_when("mardi 3 mars 2026", now=NOW)
    assert result == ParsedWhen(date(2026, 3, 3), False, "mardi 3 mars 2026", "Tuesday 3 March 2026")
    timed = parse_when("mardi prochain 14h30", now=NOW)
    assert timed.echo_fr == "mardi 3 novembre 2026 à 14h30"
    assert timed.echo_en == "Tuesday 3 November 2026 at 14:30"
    assert timed.echo("fr") == timed.echo_fr and timed.echo("en") == timed.echo_en
    first = parse_when("1er mars", now=NOW)
    assert first.echo_fr == "lundi 1er mars 2027" and first.echo_en == "Monday 1 March 2027"
    nine = parse_when("demain 9h", now=NOW)
    assert nine.echo_fr == "jeudi 29 octobre 2026 à 9h" and nine.echo_en == "Thursday 29 October 2026 at 09:00"


def test_languages_restrict_dateparser_only() -> None:
    assert parse_when("demain", now=NOW, languages=("fr",)).value == date(2026, 10, 29)
    with pytest.raises(InvalidInput):
        parse_when("tomorrow", now=NOW, languages=("fr",))


def test_formatting_and_time_zones() -> None:
    assert format_date(date(2020, 2, 3), "fr") == "lundi 3 février 2020"
    assert format_date(date(2020, 2, 3), "en") == "Monday 3 February 2020"
    assert format_date(date(2026, 3, 1), "fr") == "dimanche 1er mars 2026"
    utc_noon = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert format_datetime(utc_noon, "fr") == "mercredi 1er juillet 2026 à 14h"
    assert format_datetime(utc_noon, "en") == "Wednesday 1 July 2026 at 14:00"
    assert to_paris(utc_noon) == at(2026, 7, 1, 14)
    assert to_paris(datetime(2026, 7, 1, 12, 0)) == at(2026, 7, 1, 14)  # naive = UTC (as stored)
    assert to_utc(datetime(2026, 1, 15, 9, 0)) == datetime(2026, 1, 15, 8, 0, tzinfo=UTC)  # naive = Paris
    assert to_utc(at(2026, 7, 1, 14)).tzinfo is UTC
    assert to_utc(datetime(2026, 1, 15, 9, 0, tzinfo=timezone(timedelta(hours=-5)))).hour == 14


def test_parsing_is_fast_after_the_first_call() -> None:
    parse_when("demain", now=NOW)  # the first call loads dateparser's language data
    texts = [
        "dans deux semaines",
        "tomorrow 2pm",
        "il y a 2 jours",
        "3 mars",
        "mardi prochain 14h30",
        "in two weeks",
        "hier",
        "27/02/2020",
    ]
    timings = []
    for _ in range(5):
        for text in texts:
            start = clock.perf_counter()
            parse_when(text, now=NOW)
            timings.append(clock.perf_counter() - start)
    assert statistics.median(timings) < 0.020
