"""Parties, filings, hearings and their notes, opinions, CADA requests and manual deadlines."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from caseapp.casefile.core import Core
from caseapp.errors import Conflict, InvalidInput
from caseapp.services import access, cases, deadlines, filings, hearings, history, opinions, parties
from tests.core.test_cases import snapshot

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def case_id(core: Core) -> uuid.UUID:
    return cases.create_case(core, title="Lycées", court="TA de Marseille", court_number="1901249").id


def test_parties_are_shared_between_cases_with_their_own_role(core: Core, case_id: uuid.UUID) -> None:
    other = cases.create_case(core, title="VSA").id
    first = parties.add_party(core, case_id, name="La Quadrature du Net", role="applicant", counsel="Me X")
    second = parties.add_party(core, other, name="la quadrature du net", role="requérant")
    assert first.party_id == second.party_id  # one association, two cases
    assert first.counsel == "Me X" and second.counsel is None
    with pytest.raises(InvalidInput, match="already in this case"):
        parties.add_party(core, case_id, name="La Quadrature du Net", role="applicant")
    updated = parties.update_party_role(core, first.id, expected_version=1, counsel="Me Y")
    assert updated.counsel == "Me Y"
    parties.remove_party(core, first.id)
    assert cases.get_case(core, case_id).parties == ()
    assert [p.role for p in cases.get_case(core, other).parties] == ["applicant"]


def test_party_role_must_be_known(core: Core, case_id: uuid.UUID) -> None:
    before = snapshot(core)
    with pytest.raises(InvalidInput, match="not a valid role") as caught:
        parties.add_party(core, case_id, name="Région", role="judge")
    assert caught.value.field == "role"
    assert snapshot(core) == before


def test_filings_and_decisions(core: Core, case_id: uuid.UUID) -> None:
    applicant = parties.add_party(core, case_id, name="LQDN", role="applicant")
    requete = filings.add_filing(core, case_id, kind="requete", filed_on=date(2019, 2, 14), party_id=applicant.party_id)
    assert requete.party_name == "LQDN"
    judgment = filings.add_filing(
        core, case_id, kind="jugement", filed_on="2020-02-27", outcome="granted", notified_on="2020-02-28"
    )
    assert judgment.is_decision and judgment.outcome == "granted"
    with pytest.raises(InvalidInput, match="Only a decision"):
        filings.add_filing(core, case_id, kind="memoire", outcome="rejected")
    with pytest.raises(InvalidInput, match="notified before"):
        filings.update_filing(core, judgment.id, notified_on="2020-01-01")
    assert [f.kind for f in cases.get_case(core, case_id).filings] == ["requete", "jugement"]


def test_hearing_times_are_aware_and_notes_are_kept_in_order(core: Core, case_id: uuid.UUID) -> None:
    starts = datetime(2020, 2, 3, 10, 0, tzinfo=PARIS)
    hearing = hearings.add_hearing(core, case_id, starts_at=starts, room="Salle 1")
    assert hearing.starts_at == starts and hearing.starts_at.tzinfo is not None
    assert hearing.status == "scheduled"
    hearings.add_note(core, hearing.id, "Le rapporteur public conclut à l'annulation.")
    hearings.add_note(core, hearing.id, "La Région demande le rejet.")
    notes = hearings.get_hearing(core, hearing.id).notes
    assert [n.text for n in notes] == ["Le rapporteur public conclut à l'annulation.", "La Région demande le rejet."]
    assert all(n.author == "Tester" and n.at.tzinfo is not None for n in notes)
    with pytest.raises(InvalidInput, match="cannot be empty"):
        hearings.add_note(core, hearing.id, "   ")
    with pytest.raises(InvalidInput, match="hearing does not exist"):
        hearings.add_note(core, uuid.uuid4(), "Lost note")
    with pytest.raises(InvalidInput, match="time zone"):
        hearings.add_hearing(core, case_id, starts_at=datetime(2020, 3, 2, 14, 0))
    with pytest.raises(InvalidInput, match="not a valid status"):
        hearings.update_hearing(core, hearing.id, status="adjourned-forever")


def test_deleting_a_hearing_deletes_its_notes(core: Core, case_id: uuid.UUID) -> None:
    hearing = hearings.add_hearing(core, case_id, starts_at=datetime(2020, 3, 2, 13, 0, tzinfo=UTC))
    hearings.add_note(core, hearing.id, "note")
    hearings.delete_hearing(core, hearing.id)
    assert cases.get_case(core, case_id).hearings == ()


def test_opinion_linked_to_several_cases(core: Core, case_id: uuid.UUID) -> None:
    other = cases.create_case(core, title="Référé").id
    opinion = opinions.add_opinion(
        core,
        authority="cnil",
        title="Reconnaissance faciale dans les lycées",
        position="défavorable",
        case_ids=[case_id],
    )
    assert opinion.position == "unfavourable"
    opinions.link_opinion(core, opinion.id, other)
    opinions.link_opinion(core, opinion.id, other)  # twice: no change
    assert set(opinions.get_opinion(core, opinion.id).case_ids) == {case_id, other}
    assert [o.title for o in cases.get_case(core, other).opinions] == ["Reconnaissance faciale dans les lycées"]
    opinions.unlink_opinion(core, opinion.id, case_id)
    assert cases.get_case(core, case_id).opinions == ()
    with pytest.raises(InvalidInput, match="not a valid authority"):
        opinions.add_opinion(core, authority="ARCOM?", title="x")


def test_access_request_steps(core: Core, case_id: uuid.UUID) -> None:
    request = access.add_request(
        core, case_id=case_id, administration="Ville de Marseille", documents="CCTP", sent_on="2026-02-12"
    )
    assert request.status == "sent"
    request = access.record_step(core, request.id, "implicit_refusal", date(2026, 3, 16))
    assert request.status == "implicit_refusal"
    assert [s.status for s in request.steps] == ["implicit_refusal"]
    with pytest.raises(InvalidInput, match="before the request was sent"):
        access.record_step(core, request.id, "referred_to_cada", date(2026, 1, 1))
    with pytest.raises(InvalidInput, match="received before"):
        access.update_request(core, request.id, received_on="2026-02-01")


def test_manual_deadline_and_status(core: Core, case_id: uuid.UUID) -> None:
    deadline = deadlines.add_deadline(core, case_id, title="Mémoire en réplique", due_on="2026-12-15")
    assert deadline.status == "open" and deadline.rule_id is None
    assert cases.get_case(core, case_id).next_deadline == deadline
    done = deadlines.set_status(core, deadline.id, "done")
    assert done.status == "done"
    with pytest.raises(Conflict):
        deadlines.update_deadline(core, deadline.id, expected_version=1, title="Stale edit")


def test_every_change_is_in_the_history(core: Core, case_id: uuid.UUID) -> None:
    hearing = hearings.add_hearing(core, case_id, starts_at=datetime(2020, 2, 3, 9, 0, tzinfo=UTC))
    hearings.add_note(core, hearing.id, "note")
    filings.add_filing(core, case_id, kind="requete")
    entities = [e.entity for e in history.case_history(core, case_id)]
    assert entities.count("hearing") == 1 and entities.count("note") == 1 and entities.count("filing") == 1


def test_case_list_sorts_and_counts_in_the_database(core: Core) -> None:
    for title, status in (("Bravo", "open"), ("alpha", "closed"), ("Charlie", "open")):
        cases.create_case(core, title=title, status=status)
    assert [r.title for r in cases.list_cases(core, order_by="title", descending=False)] == [
        "alpha",
        "Bravo",
        "Charlie",
    ]
    assert [r.title for r in cases.list_cases(core, order_by="title", limit=1)] == ["Charlie"]
    assert cases.count_cases(core) == 3 and cases.count_cases(core, status="open") == 2
    assert cases.count_cases(core, text="char") == 1
    with pytest.raises(InvalidInput, match="cannot be sorted"):
        cases.list_cases(core, order_by="colour")


def test_a_deleted_exhibit_comes_back_with_its_file(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    from caseapp.services import evidence

    source = tmp_path / "piece.pdf"
    source.write_bytes(b"%PDF-1.4 piece")
    item = evidence.add_evidence_file(core, case_id, source, number=4)
    evidence.delete_evidence(core, item.id)
    back = evidence.restore_evidence(core, item)
    assert (back.id, back.number, back.file and back.file.sha256) == (item.id, 4, item.file and item.file.sha256)
    with pytest.raises(InvalidInput, match="already exists"):
        evidence.restore_evidence(core, item)


def test_a_step_recorded_by_mistake_can_be_removed(core: Core, case_id: uuid.UUID) -> None:
    request = access.add_request(core, case_id=case_id, administration="Ville", documents="CCTP", sent_on="2026-02-12")
    request = access.record_step(core, request.id, "implicit_refusal", date(2026, 3, 16))
    request = access.delete_step(core, request.steps[0].id)
    assert request.status == "sent" and request.steps == ()


def test_notes_can_keep_their_author_and_rule_deadlines_speak_the_readers_language(
    core: Core, case_id: uuid.UUID
) -> None:
    from caseapp.i18n import set_language

    hearing = hearings.add_hearing(core, case_id, starts_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert hearings.add_note(core, hearing.id, "restored", author="Me Dupont").author == "Me Dupont"
    filings.add_filing(core, case_id, kind="jugement", notified_on="2026-11-02")
    try:
        set_language("fr")
        assert {d.title for d in cases.get_case(core, case_id).deadlines} >= {
            "Appel devant la cour administrative d'appel"
        }
        set_language("en")
        assert {d.title for d in cases.get_case(core, case_id).deadlines} >= {
            "Appeal to the administrative court of appeal"
        }
    finally:
        set_language("en")


def test_accented_names_match_whatever_their_case_or_accents(core: Core) -> None:
    first = cases.create_case(core, title="Capteurs sonores", court="Conseil d'État")
    second = cases.create_case(core, title="Autre affaire")
    one = parties.add_party(core, first.id, name="Ville de Saint-Étienne", role="respondent")
    two = parties.add_party(core, second.id, name="VILLE DE SAINT-ÉTIENNE", role="respondent")
    assert one.party_id == two.party_id  # one city, not two
    assert [r.title for r in cases.list_cases(core, text="etat")] == ["Capteurs sonores"]
    assert [r.title for r in cases.list_cases(core, text="ÉTAT")] == ["Capteurs sonores"]
