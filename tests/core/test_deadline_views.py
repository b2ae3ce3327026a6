"""A date that is not a last day to act is never shown as one: the day an implicit decision is born reads "Décision
implicite née le …" in the documents, the calendar, ``caseapp show`` and ``caseapp agenda``, and is never overdue;
the court's own duty is not the user's; a référé hearing follows R522-6 and R522-8, not R711-2 and R613-2; the
case's points to check come first. Checked as people get them: real PDFs through pdftotext, the calendar through an
independent parser, the CLI as a real process."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import update

from caseapp.casefile import views as v
from caseapp.casefile.core import Core
from caseapp.casefile.uow import UnitOfWork
from caseapp.dates import format_date
from caseapp.reports.hearing_sheet import render_hearing_sheet
from caseapp.reports.summary import render_summary
from caseapp.services import access, cases, deadlines, hearings
from caseapp.services.agenda import agenda
from caseapp.services.ics import export_ics
from caseapp.store import models as m
from tests.core.test_reports import flat, needs_poppler, pdf_text

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[2]
# A CADA request received on Monday 16 February 2026: one month of silence, the refusal is born on Monday
# 16 March 2026 (CRPA R311-13, same date, never moved); the CADA must be seized by Friday 15 May 2026.
RECEIVED = "2026-02-16"
BORN = date(2026, 3, 16)
AFTER_BIRTH = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)  # the PDFs are dated after the birth: it is past
REFERE_RULES = "R522-6", "R522-8"


def by_rule(detail: v.CaseDetail) -> dict[str, v.DeadlineView]:
    return {d.rule_id or d.title: d for d in detail.deadlines}


@pytest.fixture
def cada_case(core: Core) -> v.CaseDetail:
    case = cases.create_case(
        core, title="VSA Marseille", court="Tribunal administratif de Marseille", procedure="exces_de_pouvoir"
    )
    access.add_request(
        core, case_id=case.id, administration="Ville de Marseille", documents="CCTP", received_on=RECEIVED
    )
    detail = cases.get_case(core, case.id)
    assert by_rule(detail)["cada-silence"].due_on == BORN and by_rule(detail)["cada-silence"].is_birth
    return detail


@pytest.fixture
def refere_case(core: Core) -> tuple[v.CaseDetail, v.HearingView]:
    """A référé-suspension with no main action attached (a point to check) and its hearing on Mon 2 March 2026."""
    case = cases.create_case(
        core, title="Référé VSA", court="TA de Marseille", procedure="refere_suspension", court_number="2009486"
    )
    hearing = hearings.add_hearing(core, case.id, starts_at=datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), kind="urgent")
    detail = cases.get_case(core, case.id)
    assert set(by_rule(detail)) == {"refere-hearing"}
    assert [c.code for c in detail.checks] == ["refere_without_main_action"]
    return detail, hearing


def stale_ordinary_dates(detail: v.CaseDetail, hearing: v.HearingView) -> v.CaseDetail:
    """The case as an earlier version left it: R711-2 and R613-2 dates computed for its référé hearing."""

    def stale(rule_id: str, due: date, basis: str, kind: str) -> v.DeadlineView:
        return v.DeadlineView(
            id=uuid.uuid4(),
            case_id=detail.id,
            request_id=None,
            due_on=due,
            arguable_on=None,
            title=rule_id,
            rule_id=rule_id,
            legal_basis=basis,
            status="open",
            trigger_kind="hearing",
            trigger_id=hearing.id,
            trigger_on=date(2026, 3, 2),
            explanation_fr="Clôture de l'instruction 3 jours francs avant l'audience (CJA R613-2).",
            explanation_en="The investigation closes three clear days before the hearing (CJA R613-2).",
            flags=(),
            override_reason=None,
            computed_due_on=due,
            version=1,
            date_kind=kind,
        )

    old = (
        stale("hearing-notice", date(2026, 2, 23), "CJA R711-2", "court"),
        stale("instruction-closing", date(2026, 2, 26), "CJA R613-2", "closing"),
    )
    return dataclasses.replace(detail, deadlines=detail.deadlines + old)


# --- documents ------------------------------------------------------------------------------------------------


@needs_poppler
def test_the_summary_says_when_an_implicit_decision_is_born_never_a_last_day(
    cada_case: v.CaseDetail, tmp_path: Path
) -> None:
    render_summary(cada_case, tmp_path / "synthese.pdf", generated_at=AFTER_BIRTH)
    text = flat(pdf_text(tmp_path / "synthese.pdf"))
    assert "Décision implicite née le lundi 16 mars 2026" in text
    assert "Prochaine échéance Décision implicite née le lundi 16 mars 2026 : Refus implicite de communication" in text
    assert "Dernier jour" not in text and "dernier jour pour agir" not in text
    assert "dépassée" not in text  # the birth is past, but nothing was due that day
    assert "15 mai 2026 Saisine de la CADA" in text  # the referral stays a date to meet
    render_summary(cada_case, tmp_path / "summary.pdf", lang="en", generated_at=AFTER_BIRTH)
    english = flat(pdf_text(tmp_path / "summary.pdf"))
    assert "Implicit decision born on Monday 16 March 2026" in english and "overdue" not in english


@needs_poppler
def test_the_courts_duty_and_the_closing_say_what_they_are(core: Core, cada_case: v.CaseDetail, tmp_path: Path) -> None:
    hearing = hearings.add_hearing(core, cada_case.id, starts_at=datetime(2026, 6, 2, 10, 0, tzinfo=PARIS))
    detail = cases.get_case(core, cada_case.id)
    late = datetime(2026, 5, 27, 9, 0, tzinfo=UTC)  # the day after the notice was due from the court
    render_hearing_sheet(detail, hearing, tmp_path / "fiche.pdf", generated_at=late)
    text = flat(pdf_text(tmp_path / "fiche.pdf"))
    # An ordinary hearing keeps its R711-2 and R613-2 dates, said as what they are.
    assert "Avis d'audience à envoyer par le greffe au plus tard le mardi 26 mai 2026" in text
    assert "Clôture de l'instruction à la fin du vendredi 29 mai 2026" in text
    assert "CJA R711-2" in text and "CJA R613-2" in text
    assert "convoquées sans délai" not in text
    # Past by a day: the notice is the court's, not the user's, so it is not "dépassée"; the referral is.
    assert text.count("dépassée") == 1 and "15 mai 2026 dépassée Saisine de la CADA" in text


@needs_poppler
def test_a_refere_hearing_sheet_gives_the_refere_rules_and_never_r711_2_or_r613_2(
    refere_case: tuple[v.CaseDetail, v.HearingView], tmp_path: Path
) -> None:
    detail, hearing = refere_case
    render_hearing_sheet(detail, hearing, tmp_path / "fiche.pdf", generated_at=datetime(2026, 2, 27, tzinfo=UTC))
    text = flat(pdf_text(tmp_path / "fiche.pdf"))
    assert "Audience de référé : les parties sont convoquées sans délai (CJA R522-6)" in text
    assert "l'instruction est close à l'issue de l'audience, sauf si le juge en reporte la clôture (CJA R522-8)" in text
    assert "Clôture de l'instruction à l'issue de l'audience du lundi 2 mars 2026" in text
    assert "CJA R711-2" not in text and "CJA R613-2" not in text and "Avis d'audience à envoyer" not in text
    # Dates an earlier version computed by the ordinary rules are left out, and the reader told how to clear them.
    stale = stale_ordinary_dates(detail, hearing)
    render_hearing_sheet(stale, hearing, tmp_path / "ancienne.pdf", generated_at=datetime(2026, 2, 20, tzinfo=UTC))
    old = flat(pdf_text(tmp_path / "ancienne.pdf"))
    assert "Avis d'audience à envoyer" not in old and "3 jours francs avant l'audience" not in old
    assert "23 février 2026" not in old and "26 février 2026" not in old
    assert "Non reprises : 2 dates de la procédure ordinaire" in old and "caseapp deadline recompute" in old
    render_hearing_sheet(stale, hearing, tmp_path / "sheet.pdf", lang="en")
    english = flat(pdf_text(tmp_path / "sheet.pdf"))
    assert "the parties are convened without delay (CJA R522-6)" in english and "R522-8" in english
    assert "CJA R711-2 ;" not in english and "Hearing notice due from the court" not in english


@needs_poppler
def test_the_summary_of_a_refere_puts_the_points_to_check_first_and_follows_the_refere_rules(
    refere_case: tuple[v.CaseDetail, v.HearingView], tmp_path: Path
) -> None:
    detail, hearing = refere_case
    render_summary(stale_ordinary_dates(detail, hearing), tmp_path / "synthese.pdf", generated_at=AFTER_BIRTH)
    text = flat(pdf_text(tmp_path / "synthese.pdf"))
    chronology = text.index("Chronologie")  # the chronology follows the cover on the same page when it fits
    cover, rest = text[:chronology], text[chronology:]
    assert "Points à vérifier" in cover
    assert "Un référé-suspension suppose une requête au fond pendante (CJA L521-1)" in cover
    assert cover.index("Points à vérifier") < cover.index("Juridiction")  # near the top, before the facts
    assert "Prochaine échéance Clôture de l'instruction à l'issue de l'audience du lundi 2 mars 2026" in cover
    assert all(rule in rest for rule in REFERE_RULES) and "convoquées sans délai" in rest
    assert "CJA R711-2 ;" not in rest and "Avis d'audience à envoyer" not in rest and "26 février 2026" not in rest
    assert "Non reprises : 2 dates" in rest
    render_summary(detail, tmp_path / "summary.pdf", lang="en", generated_at=AFTER_BIRTH)
    english = flat(pdf_text(tmp_path / "summary.pdf").split("\f")[0])
    assert "Points to check" in english and "A suspension application needs a pending main action" in english


@needs_poppler
def test_a_case_with_nothing_to_check_has_no_box(cada_case: v.CaseDetail, tmp_path: Path) -> None:
    render_summary(cada_case, tmp_path / "synthese.pdf", generated_at=AFTER_BIRTH)
    assert "Points à vérifier" not in pdf_text(tmp_path / "synthese.pdf")


# --- calendar -------------------------------------------------------------------------------------------------


def test_the_calendar_says_born_on_and_sets_no_reminder_to_act_before_a_birth(
    core: Core, cada_case: v.CaseDetail, tmp_path: Path
) -> None:
    hearings.add_hearing(core, cada_case.id, starts_at=datetime(2026, 6, 2, 10, 0, tzinfo=PARIS))
    target = tmp_path / "agenda.ics"
    export_ics(core, target, lang="fr")
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    born = next(e for s, e in events.items() if "Décision implicite née" in s)
    assert str(born["SUMMARY"]).startswith("⚖ Décision implicite née le lundi 16 mars 2026 — Refus implicite")
    assert born.decoded("DTSTART") == BORN and born.walk("VALARM") == []
    description = str(born["DESCRIPTION"])
    assert description.startswith("Décision implicite née le lundi 16 mars 2026. Cette date n'est pas un délai")
    assert "Dernier jour" not in description and "Dernier jour" not in str(born["SUMMARY"])
    assert str(born["CATEGORIES"].to_ical().decode()) == "Décision implicite"
    notice = next(e for s, e in events.items() if "Avis d'audience" in s)
    assert str(notice["SUMMARY"]).startswith("⚖ Avis d'audience à envoyer par le greffe au plus tard le mardi 26 mai")
    assert notice.walk("VALARM") == [] and "incombe à la juridiction" in str(notice["DESCRIPTION"])
    closing = next(e for s, e in events.items() if "Clôture de l'instruction" in s)
    assert len(closing.walk("VALARM")) == 2  # nothing can be filed after it: the user is reminded
    referral = next(e for s, e in events.items() if "Saisine de la CADA" in s)
    assert len(referral.walk("VALARM")) == 2 and "Décision implicite" not in str(referral["SUMMARY"])
    export_ics(core, target, lang="en")
    english = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")]
    assert any(s.startswith("⚖ Implicit decision born on Monday 16 March 2026 — Implicit refusal") for s in english)
    assert any(s.startswith("⚖ Hearing notice due from the court by Tuesday 26 May 2026") for s in english)


# --- agenda ---------------------------------------------------------------------------------------------------


def test_a_past_birth_or_court_duty_is_never_overdue_in_the_agenda(core: Core, cada_case: v.CaseDetail) -> None:
    hearings.add_hearing(core, cada_case.id, starts_at=datetime(2026, 3, 25, 10, 0, tzinfo=PARIS))
    deadlines.add_deadline(core, cada_case.id, title="Mémoire en réplique", due_on="2026-03-18")
    result = agenda(core, today=date(2026, 3, 20))
    items = {i.deadline.rule_id or i.deadline.title: i for i in result.items if i.deadline}
    assert items["cada-silence"].date_kind == "birth" and not items["cada-silence"].overdue
    assert items["hearing-notice"].date_kind == "court" and not items["hearing-notice"].overdue
    assert items["hearing-notice"].day == date(2026, 3, 18)
    assert items["Mémoire en réplique"].overdue and items["Mémoire en réplique"].date_kind == "act"
    assert items["instruction-closing"].date_kind == "closing"
    assert [i.kind for i in result.items if i.overdue] == ["deadline"]
    assert next(i for i in result.items if i.kind == "hearing").date_kind == "hearing"
    # Months later, births and the court's duties are not among the old deadlines to mark done or missed.
    later = agenda(core, today=date(2026, 8, 1))
    assert later.older_overdue == 2  # the hand-made brief and the closing of the investigation


# --- the command line, run as people run it -------------------------------------------------------------------


def caseapp(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"CASEAPP_DATA_DIR": str(data), "CASEAPP_LANG": "en"}
    env.pop("CASEAPP_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "caseapp.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def month_before(day: date) -> date:
    return day.replace(year=day.year - 1, month=12) if day.month == 1 else day.replace(month=day.month - 1)


@pytest.fixture
def cli_data(data_dir: Path) -> tuple[Path, date]:
    """A case file on disk with a CADA refusal born ten days ago (so in the agenda's overdue window) and a
    référé-suspension with nothing attached; closed before the CLI opens it."""
    from caseapp.casefile.core import open_core

    born = datetime.now(PARIS).date() - timedelta(days=10)
    while born.day > 28:  # one month back must land on the same date
        born -= timedelta(days=1)
    core = open_core(data_dir=data_dir, author="Tester")
    try:
        case = cases.create_case(core, title="Accès aux CCTP", court_number="2600001")
        access.add_request(
            core, case_id=case.id, administration="Ville de Marseille", documents="CCTP", received_on=month_before(born)
        )
        cases.create_case(core, title="Référé sans fond", procedure="refere_suspension", court_number="2600002")
    finally:
        core.close()
    return data_dir, born


def test_a_past_birth_is_not_overdue_in_caseapp_agenda(cli_data: tuple[Path, date]) -> None:
    data, born = cli_data
    result = caseapp(data, "agenda")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "Implicit refusal of access" in line)
    assert "OVERDUE" not in line
    assert f"Implicit decision born on {format_date(born, 'en')}: Implicit refusal of access — Accès aux CCTP" in line
    assert "recompute" not in result.stdout  # the rules did not change
    listed = json.loads(caseapp(data, "agenda", "--json").stdout)
    assert listed["rules_changed"] is False
    item = next(i for i in listed["items"] if i["deadline"] and i["deadline"]["rule_id"] == "cada-silence")
    assert item["date_kind"] == "birth" and item["overdue"] is False


def test_caseapp_agenda_says_when_the_rules_changed(cli_data: tuple[Path, date]) -> None:
    from caseapp.casefile.core import open_core
    from caseapp.domain.fingerprint import STATE_KEY

    data, _born = cli_data
    core = open_core(data_dir=data, author="Tester")
    try:
        with UnitOfWork(core) as uow:
            uow.session.execute(update(m.AppState).where(m.AppState.key == STATE_KEY).values(value="older rules"))
            uow.commit()
    finally:
        core.close()
    result = caseapp(data, "agenda")
    assert result.returncode == 0, result.stderr
    expected = (
        "The deadline rules changed with this version of CaseApp: run “caseapp deadline recompute” to see what "
        "would change."
    )
    assert result.stdout.rstrip().splitlines()[-1] == expected and result.stdout.count(expected) == 1
    assert json.loads(caseapp(data, "agenda", "--json").stdout)["rules_changed"] is True


def test_caseapp_show_gives_the_points_to_check_and_the_birth(cli_data: tuple[Path, date]) -> None:
    data, born = cli_data
    shown = caseapp(data, "show", "2600002")
    assert shown.returncode == 0, shown.stderr
    assert "Points to check" in shown.stdout
    assert "  ! A suspension application needs a pending main action (CJA L521-1)" in shown.stdout
    detail = json.loads(caseapp(data, "show", "2600002", "--json").stdout)
    assert [c["code"] for c in detail["checks"]] == ["refere_without_main_action"]
    assert detail["checks"][0]["message_fr"].startswith("Un référé-suspension suppose une requête au fond pendante")
    cada = caseapp(data, "show", "2600001")
    assert f"Implicit decision born on {format_date(born, 'en')} — Implicit refusal of access — Open" in cada.stdout
    assert "Points to check" not in cada.stdout
    deadlines_json = json.loads(caseapp(data, "show", "2600001", "--json").stdout)["deadlines"]
    assert {d["rule_id"]: d["date_kind"] for d in deadlines_json}["cada-silence"] == "birth"
