"""The agenda across cases, the calendar export (read back by an independent parser) and CADA documents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from caseapp.casefile.core import Core
from caseapp.errors import CaseAppError, InvalidInput
from caseapp.services import access, cases, deadlines, hearings
from caseapp.services.agenda import agenda
from caseapp.services.ics import export_ics, fold

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 28)


def test_agenda_puts_overdue_first_then_by_day(core: Core) -> None:
    busy = cases.create_case(core, title="Lycées")
    idle = cases.create_case(core, title="Rien de prévu")
    cases.create_case(core, title="Close", status="closed")
    deadlines.add_deadline(core, busy.id, title="Réplique", due_on=TODAY + timedelta(days=10))
    deadlines.add_deadline(core, busy.id, title="Oubliée", due_on=TODAY - timedelta(days=3))
    deadlines.add_deadline(core, busy.id, title="Trop loin", due_on=TODAY + timedelta(days=200))
    hearing_day = datetime.combine(TODAY + timedelta(days=5), datetime.min.time(), PARIS).replace(hour=9, minute=30)
    hearings.add_hearing(core, busy.id, starts_at=hearing_day, room="Salle 2")
    result = agenda(core, days=60, today=TODAY)
    assert [(i.kind, i.overdue) for i in result.items][:1] == [("deadline", True)]
    titles = [i.deadline.title if i.deadline else "hearing" for i in result.items]
    # The hearing's own computed dates (notice, closing of the inquiry) come before it.
    assert titles[0] == "Oubliée" and titles.index("hearing") < titles.index("Réplique")
    assert "Trop loin" not in titles
    assert all(i.case_title == "Lycées" for i in result.items)
    assert [c.title for c in result.idle_cases] == [idle.title]


def test_calendar_export_reads_back_with_an_independent_parser(core: Core, tmp_path: Path) -> None:
    case = cases.create_case(core, title="Vidéosurveillance, Marseille; « VSA »", court_number="2009485")
    hearing = hearings.add_hearing(
        core, case.id, starts_at=datetime(2026, 12, 7, 14, 0, tzinfo=PARIS), court="TA de Marseille", room="Salle 3"
    )
    kept = deadlines.add_deadline(core, case.id, title="Mémoire en réplique", due_on="2026-12-15")
    dropped = deadlines.add_deadline(core, case.id, title="Abandonné", due_on="2026-12-20")
    deadlines.set_status(core, dropped.id, "cancelled")
    target = tmp_path / "agenda.ics"
    count = export_ics(core, target, lang="fr")
    raw = target.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == count
    court_event = events[f"hearing-{hearing.id}@caseapp"]
    assert court_event.decoded("DTSTART") == datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    assert str(court_event["SUMMARY"]).endswith("Vidéosurveillance, Marseille; « VSA »")
    assert str(court_event["LOCATION"]) == "TA de Marseille, Salle 3"
    assert len(court_event.walk("VALARM")) == 2
    due = events[f"deadline-{kept.id}@caseapp"]
    assert due.decoded("DTSTART") == date(2026, 12, 15) and str(due["STATUS"]) == "CONFIRMED"
    assert str(events[f"deadline-{dropped.id}@caseapp"]["STATUS"]) == "CANCELLED"
    # Exporting again after an edit keeps the UIDs, so calendar programs update instead of duplicating.
    hearings.update_hearing(core, hearing.id, room="Salle 4")
    export_ics(core, target, lang="fr")
    again = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert set(again) == set(events)
    assert int(again[f"hearing-{hearing.id}@caseapp"]["SEQUENCE"]) > int(court_event["SEQUENCE"])


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_calendar_to_an_impossible_place(core: Core, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CaseAppError, match=r"not a folder"):
        export_ics(core, blocker / "agenda.ics")


def test_cada_document_becomes_an_exhibit_of_the_linked_case(core: Core, tmp_path: Path) -> None:
    case = cases.create_case(core, title="VSA")
    request = access.add_request(
        core, case_id=case.id, administration="Ville de Marseille", documents="CCTP", sent_on="2026-02-12"
    )
    document = tmp_path / "CCTP vidéosurveillance.pdf"
    document.write_bytes(b"%PDF-1.4 CCTP")
    exhibit = access.document_to_exhibit(core, request.id, document)
    assert exhibit.case_id == case.id and exhibit.number == 1
    assert exhibit.source == "Document communiqué par Ville de Marseille (demande CADA du 12/02/2026)"
    orphan = access.add_request(core, administration="Préfecture", documents="Arrêté")
    with pytest.raises(InvalidInput, match="not linked to a case"):
        access.document_to_exhibit(core, orphan.id, document)
