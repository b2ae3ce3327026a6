"""The example data tells the truth (FACTS.md, issue 13 point 9).

The follow-on Marseille case is La Quadrature du Net's full-jurisdiction action against the refusal to end a
public contract; every court decision of the examples records its court and nature, so the routes shown are the
right ones; invented hearing hours and the illustrative référé say they are examples. A case file that holds an
earlier version of the example data is brought to these facts by ``caseapp demo`` — audited, without touching
what people added or typed — and a second run then changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from caseapp.casefile.core import Core, open_core
from caseapp.config import DB_FILE
from caseapp.domain.enums import DecisionNature, FilingKind, Procedure
from caseapp.domain.routes import MATRIX
from caseapp.services import cases, filings, hearings, routes
from caseapp.services.agenda import agenda
from caseapp.services.demo import CASES, UPCOMING_ROOM, demo_id, load_demo
from caseapp.store import models as m
from tests.core.test_cases import snapshot
from tests.core.test_cli import caseapp

LQDN = "La Quadrature du Net"
LDH = "Ligue des droits de l'Homme"
EXAMPLE = "[Exemple]"

# What the example data said before it was corrected (the records are the same: the same fixed identifiers).
OLD_SNEF_SUBJECT = (
    "Demande du 28/07/2020 à la Ville de Marseille de résilier son contrat avec la SNEF (reçue le "
    "05/08/2020) ; refus implicite né le 05/10/2020."
)
OLD_SNEF_SUMMARY = "Requête déposée le 03/12/2020 à 21h57. Jugement du 02/06/2023 rejetant la requête."
OLD_APPEAL_SUBJECT = "Appel du jugement du TA de Marseille n° 2009485 du 02/06/2023."
OLD_REFERE_TITLE = "Référé — reconnaissance faciale dans les lycées (exemple illustratif)"
OLD_REFERE_SUBJECT = (
    "[Exemple] La conférence évoque « l'audience sur l'urgence » dans cette affaire ; sa date n'est pas "
    "établie. Ce dossier de référé est un exemple."
)


def case_id(key: str) -> uuid.UUID:
    return demo_id(f"case/{key}")


def demo_decisions() -> list[tuple[str, uuid.UUID]]:
    """(case key, filing id) of every court decision of the examples."""
    return [
        (spec["key"], demo_id(f"case/{spec['key']}/filing/{index}"))
        for spec in CASES
        for index, filing in enumerate(spec.get("filings", []))
        if FilingKind(filing[0]).is_court_decision
    ]


def demo_hearings() -> list[uuid.UUID]:
    return [
        demo_id(f"case/{spec['key']}/hearing/{index}")
        for spec in CASES
        for index in range(len(spec.get("hearings", [])))
    ]


def facts(core: Core) -> dict[str, Any]:
    """What a person sees of the example cases (no timestamps, no versions)."""
    seen: dict[str, Any] = {}
    for spec in CASES:
        d = cases.get_case(core, case_id(spec["key"]))
        seen[spec["key"]] = {
            "case": (d.title, d.court, d.court_number, d.procedure, d.status, d.subject, d.summary, d.opened_on),
            "parent": (d.parent_id, d.parent_relation),
            "parties": sorted((p.name, p.role) for p in d.parties),
            "filings": sorted(
                (str(f.id), f.kind, f.title, f.filed_on, f.outcome, f.court_level, f.decision_nature, f.party_name)
                for f in d.filings
            ),
            "hearings": sorted(
                (str(h.id), h.starts_at, h.kind, h.status, h.room, h.outcome, tuple(n.text for n in h.notes))
                for h in d.hearings
            ),
            "evidence": sorted((e.number, e.title) for e in d.evidence),
            "tags": d.tags,
        }
    return seen


def last_event(core: Core) -> int:
    with core.db.reader() as session:
        return session.scalar(select(func.max(m.AuditEvent.seq))) or 0


def write_old_example_data(core: Core) -> None:
    """Put back, behind the services' back, what the earlier example data held."""
    with core.db.writer() as session:
        session.execute(
            update(m.Case)
            .where(m.Case.id == case_id("vsa-snef"))
            .values(procedure=Procedure.EXCES_DE_POUVOIR, subject=OLD_SNEF_SUBJECT, summary=OLD_SNEF_SUMMARY)
        )
        session.execute(update(m.Case).where(m.Case.id == case_id("vsa-snef-appel")).values(subject=OLD_APPEAL_SUBJECT))
        session.execute(
            update(m.Case)
            .where(m.Case.id == case_id("lycees-refere"))
            .values(title=OLD_REFERE_TITLE, subject=OLD_REFERE_SUBJECT, summary=None)
        )
        ldh = session.scalar(select(m.Party.id).where(m.Party.name == LDH))
        for key in ("vsa-snef", "vsa-snef-appel"):
            session.add(
                m.CaseParty(
                    id=demo_id(f"case/{key}/party/{LDH}/applicant"),
                    case_id=case_id(key),
                    party_id=ldh,
                    role="applicant",
                )
            )
        session.execute(
            update(m.Filing)
            .where(m.Filing.id == demo_id("case/vsa-2020/filing/2"))
            .values(title="Nouvelle requête en référé-suspension")
        )
        decisions = [filing_id for _key, filing_id in demo_decisions()]
        session.execute(update(m.Filing).where(m.Filing.id.in_(decisions)).values(decision_nature=None))
        session.execute(update(m.Hearing).where(m.Hearing.id.in_(demo_hearings())).values(room=None, outcome=None))
        session.commit()


# --- what the examples say --------------------------------------------------------------------------------------


def test_the_follow_on_case_is_la_quadrature_s_full_jurisdiction_action(core: Core) -> None:
    load_demo(core)
    tribunal = cases.get_case(core, case_id("vsa-snef"))
    appeal = cases.get_case(core, case_id("vsa-snef-appel"))
    assert tribunal.court_number == "2009485" and appeal.court_number == "23MA02036"
    for detail in (tribunal, appeal):
        assert [p.name for p in detail.parties if p.role == "applicant"] == [LQDN]
        assert LDH not in {p.name for p in detail.parties}
    assert tribunal.procedure == "plein_contentieux"
    described = f"{tribunal.subject} {tribunal.summary}"
    assert "398445" in described and "30 juin 2017" in described
    assert "pleine juridiction" in described and "résili" in described
    assert "excès de pouvoir" not in described
    (judgment,) = [f for f in tribunal.filings if f.is_decision]
    assert (judgment.filed_on, judgment.outcome, judgment.court_level, judgment.decision_nature) == (
        date(2023, 6, 2),
        "rejected",
        "ta",
        "jugement",
    )
    (ruling,) = [f for f in appeal.filings if f.is_decision]
    assert (ruling.filed_on, ruling.court_level, ruling.decision_nature) == (date(2024, 10, 14), "caa", "arret")
    assert ruling.outcome is None  # ⚠ the outcome is not confirmed: not stated
    assert "non confirmé" in (ruling.title or "") and "non confirmé" in (appeal.summary or "")


def test_every_example_decision_records_its_court_and_nature(core: Core) -> None:
    load_demo(core)
    for key, filing_id in demo_decisions():
        filing = filings.get_filing(core, filing_id)
        assert filing.court_level and filing.decision_nature, (key, filing.title)
        answer = routes.decision_routes(
            core,
            case_id(key),
            kind=filing.kind,
            court_level=filing.court_level,
            decision_nature=filing.decision_nature,
            notified_on=filing.filed_on,
        )
        assert answer.problem is None and not answer.assumed, (key, filing.title, answer)
        if DecisionNature(filing.decision_nature).is_refere:
            assert not [r for r in answer.ordinary if r.kind == "appeal" and r.court == "caa"], filing.title
            assert [r.rule_id for r in answer.ordinary] == ["refere-cassation"], filing.title
    vsa = cases.get_case(core, case_id("vsa-2020"))
    decided = {f.filed_on: (f.decision_nature, f.court_level, f.outcome) for f in vsa.filings if f.is_decision}
    assert decided == {
        date(2020, 2, 7): ("refere_suspension", "ta", "rejected"),
        date(2020, 3, 11): ("refere_suspension", "ta", "rejected"),
        date(2020, 5, 14): ("ordonnance", "ta", "rejected"),  # the president's order rejecting the annulment action
    }
    lycees = cases.get_case(core, case_id("lycees"))
    assert [(f.decision_nature, f.court_level, f.outcome) for f in lycees.filings if f.is_decision] == [
        ("jugement", "ta", "granted")
    ]


def test_no_deadline_of_the_examples_is_a_caa_appeal_of_a_refere_order(core: Core) -> None:
    """The examples record no notification (FACTS gives none); once a user records them, each decision gets the
    route its court and nature give — a référé-suspension order goes to the Conseil d'État within 15 days."""

    referes = [nature for nature in DecisionNature if nature.is_refere]
    caa_appeals = {r.rule_id for found in MATRIX.values() for r in found if (r.kind, r.court) == ("appeal", "caa")}

    def refere_appeals() -> list[Any]:
        with core.db.reader() as session:
            return list(
                session.execute(
                    select(m.Deadline.title, m.Filing.title)
                    .join(m.Filing, m.Filing.id == m.Deadline.trigger_id)
                    .where(m.Filing.decision_nature.in_(referes), m.Deadline.rule_id.in_(caa_appeals))
                )
            )

    load_demo(core)
    assert refere_appeals() == []
    for _key, filing_id in demo_decisions():
        filing = filings.get_filing(core, filing_id)
        filings.update_filing(core, filing_id, notified_on=filing.filed_on + timedelta(days=3))
    assert refere_appeals() == []
    planned = {}
    for key, filing_id in demo_decisions():
        detail = cases.get_case(core, case_id(key))
        planned[filings.get_filing(core, filing_id).filed_on] = sorted(
            d.rule_id for d in detail.deadlines if d.trigger_id == filing_id
        )
    assert planned == {
        date(2020, 2, 27): ["appeal"],  # lycées: judgment of the tribunal
        date(2020, 2, 7): ["refere-cassation", "refere-confirm-main-action"],
        date(2020, 3, 11): ["refere-cassation", "refere-confirm-main-action"],
        date(2020, 5, 14): ["appeal"],  # president's order in a general matter
        date(2023, 6, 2): ["appeal"],
        date(2024, 10, 14): ["cassation"],
    }


def test_every_invented_hearing_hour_is_marked_as_an_example(core: Core) -> None:
    """FACTS gives the days of the hearings, never their hours: every example hearing says its hour is one."""
    load_demo(core)
    seen = [hearings.get_hearing(core, hearing_id) for hearing_id in demo_hearings()]
    assert {h.starts_at.date() for h in seen} == {date(2020, 2, 3), date(2020, 3, 2)}
    for hearing in seen:
        assert (hearing.room or "").startswith(EXAMPLE) and "heure d'exemple" in (hearing.room or ""), hearing
        assert (hearing.outcome or "").startswith(EXAMPLE), hearing
        assert "heure d'exemple" in (hearing.outcome or "").lower(), hearing
        assert all(note.text.startswith(EXAMPLE) for note in hearing.notes)
    vsa = cases.get_case(core, case_id("vsa-2020"))
    assert [h.kind for h in vsa.hearings] == ["urgent"]  # the référé hearing of 2 Mar 2020


def test_the_illustrative_refere_says_so_and_is_no_fact_of_1901249(core: Core) -> None:
    load_demo(core)
    refere = cases.get_case(core, case_id("lycees-refere"))
    assert refere.example and refere.title.startswith(EXAMPLE)
    assert refere.court_number is None and refere.reference is None
    assert (refere.subject or "").startswith(EXAMPLE) and "illustrati" in (refere.subject or "").lower()
    assert (refere.summary or "").startswith(EXAMPLE)
    assert not refere.filings and refere.opened_on is None  # nothing dated as a fact
    # its only hearing is the fictitious one that shows what the agenda is for, and it says so
    assert all(h.room == UPCOMING_ROOM and (h.outcome or "").startswith(EXAMPLE) for h in refere.hearings)
    lycees = cases.get_case(core, case_id("lycees"))
    assert lycees.children and all(child.title.startswith(EXAMPLE) for child in lycees.children)
    assert not [f for f in lycees.filings if "référé" in (f.title or "").lower()]
    assert not [h for h in lycees.hearings if h.kind == "urgent"]


def test_loading_twice_changes_nothing(core: Core) -> None:
    first = load_demo(core)
    assert first.total > 0
    before, seq, seen = snapshot(core), last_event(core), facts(core)
    second = load_demo(core)
    assert second.total == 0 and second.added == {}
    assert (snapshot(core), last_event(core), facts(core)) == (before, seq, seen)


# --- a case file holding the earlier example data ---------------------------------------------------------------


def test_the_earlier_example_data_is_brought_to_the_facts_and_audited(core: Core) -> None:
    load_demo(core)
    expected = facts(core)
    write_old_example_data(core)
    assert facts(core) != expected
    seq = last_event(core)
    report = load_demo(core)
    assert report.total > 0 and not report.kept
    assert facts(core) == expected
    with core.db.reader() as session:
        events = list(session.execute(select(m.AuditEvent.action, m.AuditEvent.entity).where(m.AuditEvent.seq > seq)))
    assert ("update", "case") in events and ("update", "filing") in events and ("update", "hearing") in events
    assert ("delete", "case_party") in events
    assert load_demo(core).total == 0


def test_what_people_added_or_typed_is_left_alone(core: Core) -> None:
    load_demo(core)
    write_old_example_data(core)
    snef = case_id("vsa-snef")
    # A user's own records, in an example case and beside them; and a summary they rewrote.
    own_case = cases.create_case(core, title="Mon affaire", court="Tribunal administratif de Lyon")
    own_order = filings.add_filing(core, case_id("vsa-2020"), kind="ordonnance", title="Ordonnance de tri")
    own_brief = filings.add_filing(core, snef, kind="memoire", title="Mémoire complémentaire")
    note = hearings.add_note(core, demo_id("case/vsa-2020/hearing/0"), "Ma note d'audience")
    cases.update_case(core, snef, summary="Mon résumé")
    own = (
        cases.get_case(core, own_case.id),
        filings.get_filing(core, own_order.id),
        filings.get_filing(core, own_brief.id),
    )

    report = load_demo(core)

    assert cases.get_case(core, own_case.id) == own[0]
    assert (filings.get_filing(core, own_order.id), filings.get_filing(core, own_brief.id)) == own[1:]
    assert own[1].decision_nature is None  # a decision the user recorded is not given a nature by the examples
    assert [n.text for n in hearings.get_hearing(core, note.hearing_id).notes if not n.text.startswith(EXAMPLE)] == [
        "Ma note d'audience"
    ]
    detail = cases.get_case(core, snef)
    assert detail.summary == "Mon résumé"  # typed by the user: kept
    assert detail.procedure == "plein_contentieux" and "398445" in (detail.subject or "")  # still the shipped values
    assert [p.name for p in detail.parties if p.role == "applicant"] == [LQDN]
    assert any("summary" in kept for kept in report.kept)
    assert load_demo(core).total == 0


def test_a_co_applicant_the_user_relies_on_is_not_taken_out(core: Core) -> None:
    """The LDH link of the earlier examples is taken out only if nothing of the user's names it."""
    load_demo(core)
    write_old_example_data(core)
    appeal = case_id("vsa-snef-appel")
    with core.db.reader() as session:
        ldh = session.scalar(select(m.Party.id).where(m.Party.name == LDH))
    brief = filings.add_filing(core, appeal, kind="memoire", title="Mémoire de la LDH", party_id=ldh)
    report = load_demo(core)
    assert filings.get_filing(core, brief.id).party_id == ldh
    assert LDH in {p.name for p in cases.get_case(core, appeal).parties}
    assert LDH not in {p.name for p in cases.get_case(core, case_id("vsa-snef")).parties}
    assert any(LDH in kept for kept in report.kept)
    assert load_demo(core).total == 0


def test_caseapp_demo_corrects_an_old_case_file_then_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    core = open_core(data_dir=data, url=f"sqlite:///{data / DB_FILE}", author="Tester")
    try:
        expected = facts(core)
        write_old_example_data(core)
    finally:
        core.close()
    corrected = caseapp(data, "demo")
    assert corrected.returncode == 0, corrected.stderr
    assert "example records corrected" in corrected.stdout
    again = caseapp(data, "demo")
    assert again.returncode == 0 and "nothing changed" in again.stdout
    shown = caseapp(data, "show", "2009485")
    assert "Full jurisdiction action" in shown.stdout and LDH not in shown.stdout
    core = open_core(data_dir=data, url=f"sqlite:///{data / DB_FILE}", author="Tester")
    try:
        assert facts(core) == expected
    finally:
        core.close()


def test_the_agenda_of_the_examples_shows_upcoming_items_marked_as_fictitious(core: Core) -> None:
    """The real cases are over; the agenda still shows what it is for, with nothing passed off as a court's date."""
    load_demo(core)
    today = date.today()
    upcoming = [item for item in agenda(core).items if item.day >= today]
    assert {item.kind for item in upcoming} == {"hearing", "deadline"}
    refere = case_id("lycees-refere")
    (hearing,) = [item for item in upcoming if item.hearing]
    for item in upcoming:
        assert item.case_id == refere and (item.case_title or "").startswith(EXAMPLE)
        if item.deadline is not None and item.deadline.rule_id:
            assert item.day == hearing.day  # what the law makes of the fictitious hearing (R522-8), on its day
            continue
        marked = item.hearing.room if item.hearing else item.title
        assert (marked or "").startswith(EXAMPLE) and "fictive" in (marked or ""), item
        assert today < item.day <= today + timedelta(days=14)
        assert item.day.weekday() < 5  # a working day, as a court's would be
