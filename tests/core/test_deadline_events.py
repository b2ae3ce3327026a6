"""Deadlines that appear, move and disappear with the events that start them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text, update

from caseapp.casefile.core import Core
from caseapp.casefile.views import DeadlineView
from caseapp.errors import InvalidInput
from caseapp.services import access, cases, deadlines, filings, hearings, history, parties
from caseapp.store import models as m

PARIS = ZoneInfo("Europe/Paris")


def case_deadlines(core: Core, case_id: uuid.UUID) -> dict[str, DeadlineView]:
    return {d.rule_id or d.title: d for d in cases.get_case(core, case_id).deadlines}


@pytest.fixture
def lycees(core: Core) -> uuid.UUID:
    case = cases.create_case(
        core, title="Lycées", court="Tribunal administratif de Marseille", procedure="exces_de_pouvoir"
    )
    parties.add_party(core, case.id, name="La Quadrature du Net", role="applicant")
    return case.id


def test_judgment_notified_creates_the_appeal_deadline_with_its_reasoning(core: Core, lycees: uuid.UUID) -> None:
    filings.add_filing(core, lycees, kind="jugement", filed_on="2020-02-27", notified_on="2020-02-28")
    appeal = case_deadlines(core, lycees)["appeal"]
    # 2 months from Fri 28 Feb 2020 → 28 Apr; franc → Wed 29 Apr 2020.
    assert appeal.due_on == date(2020, 4, 29)
    assert appeal.legal_basis == "CJA R811-2" and appeal.status == "open"
    assert "to_verify" in appeal.flags  # the rule's text was read only in an older consolidation
    assert appeal.explanation_fr and "29 avril 2020" in appeal.explanation_fr
    assert appeal.explanation_en and "29 April 2020" in appeal.explanation_en
    assert appeal.trigger_on == date(2020, 2, 28)


def test_changing_and_deleting_the_trigger_moves_then_removes_the_deadline(core: Core, lycees: uuid.UUID) -> None:
    judgment = filings.add_filing(core, lycees, kind="jugement", notified_on="2020-02-28")
    filings.update_filing(core, judgment.id, notified_on="2020-03-02")
    # 2 Mar → 2 May (Sat) → franc 3 May (Sun) → Mon 4 May 2020.
    assert case_deadlines(core, lycees)["appeal"].due_on == date(2020, 5, 4)
    filings.delete_filing(core, judgment.id)
    assert case_deadlines(core, lycees) == {}
    actions = [(e.entity, e.action) for e in history.case_history(core, lycees)]
    assert ("deadline", "recompute") in actions and ("deadline", "delete") in actions


def test_implicit_rejection_of_a_prior_request(core: Core) -> None:
    """The SNEF case: request received 5 Aug 2020, rejection born 5 Oct 2020, action by Mon 7 Dec 2020."""
    case = cases.create_case(core, title="SNEF", court="Tribunal administratif de Marseille")
    filings.add_filing(core, case.id, kind="demande_prealable", filed_on="2020-07-28", received_on="2020-08-05")
    deadline = case_deadlines(core, case.id)["rep-implicit"]
    assert deadline.trigger_on == date(2020, 10, 5)
    assert deadline.due_on == date(2020, 12, 7)
    assert deadline.explanation_fr and "5 octobre 2020" in deadline.explanation_fr.splitlines()[0]


def test_no_routes_of_appeal_means_no_two_month_date(core: Core, lycees: uuid.UUID) -> None:
    filings.add_filing(core, lycees, kind="decision", notified_on="2020-01-10", appeal_routes_stated=False)
    deadline = case_deadlines(core, lycees)["rep"]
    assert "no_appeal_routes" in deadline.flags
    assert deadline.due_on == date(2021, 1, 10)  # the reasonable time of one year (Czabaj), flagged


def test_distance_extension_for_applicants_living_abroad(core: Core) -> None:
    case = cases.create_case(core, title="Appel", court="Tribunal administratif de Marseille")
    filings.add_filing(core, case.id, kind="jugement", notified_on="2020-02-28")
    assert case_deadlines(core, case.id)["appeal"].due_on == date(2020, 4, 29)
    parties.add_party(core, case.id, name="Association genevoise", role="applicant", residence="abroad")
    # +2 months: 4 months from 28 Feb → Sun 28 Jun; franc → Mon 29 Jun 2020.
    assert case_deadlines(core, case.id)["appeal"].due_on == date(2020, 6, 29)


def test_referé_orders_follow_the_procedure(core: Core) -> None:
    liberte = cases.create_case(core, title="Référé-liberté", procedure="refere_liberte")
    suspension = cases.create_case(core, title="Référé-suspension", procedure="refere_suspension")
    filings.add_filing(core, liberte.id, kind="ordonnance", notified_on="2022-12-20")
    filings.add_filing(core, suspension.id, kind="ordonnance", notified_on="2022-12-20")
    # Tue 20 Dec 2022 + 15 days → 4 Jan 2023; franc → Thu 5 Jan 2023 (the case law example).
    assert case_deadlines(core, liberte.id)["refere-liberte-appeal"].due_on == date(2023, 1, 5)
    assert case_deadlines(core, suspension.id)["refere-cassation"].due_on == date(2023, 1, 5)


def test_hearing_date_gives_the_notice_and_closing_dates(core: Core, lycees: uuid.UUID) -> None:
    hearing = hearings.add_hearing(core, lycees, starts_at=datetime(2020, 3, 2, 14, 0, tzinfo=PARIS))
    found = case_deadlines(core, lycees)
    assert found["hearing-notice"].due_on == date(2020, 2, 24)  # 7 days before Mon 2 Mar 2020
    assert found["instruction-closing"].due_on < date(2020, 3, 2)
    hearings.update_hearing(core, hearing.id, status="cancelled")
    assert case_deadlines(core, lycees) == {}


def test_the_cada_chain_end_to_end(core: Core, lycees: uuid.UUID) -> None:
    request = access.add_request(
        core,
        case_id=lycees,
        administration="Ville de Marseille",
        documents="CCTP",
        sent_on="2026-02-12",
        received_on="2026-02-16",
    )
    found = case_deadlines(core, lycees)
    assert found["cada-silence"].due_on == date(2026, 3, 16)  # refusal born, never moved
    assert found["cada-referral"].due_on == date(2026, 5, 15)  # safe day: anniversary − 1
    assert found["cada-referral"].arguable_on is not None and found["cada-referral"].arguable_on > date(2026, 5, 15)
    access.record_step(core, request.id, "referred_to_cada", date(2026, 5, 11))
    found = case_deadlines(core, lycees)
    assert "cada-referral" not in found
    assert found["cada-opinion"].due_on == date(2026, 6, 11)
    assert found["cada-confirmation"].due_on == date(2026, 7, 11)
    access.record_step(core, request.id, "refusal_confirmed", date(2026, 7, 11))
    found = case_deadlines(core, lycees)
    # Sat 11 Jul 2026 + 2 months → Fri 11 Sep; franc → Sat 12 Sep → Mon 14 Sep 2026.
    assert found["cada-court"].due_on == date(2026, 9, 14)
    assert "cada-opinion" not in found
    access.record_step(core, request.id, "documents_received", date(2026, 8, 1))
    assert case_deadlines(core, lycees) == {}  # the documents came: nothing left to watch


def test_override_by_hand_keeps_the_reason_and_survives_recomputation(core: Core, lycees: uuid.UUID) -> None:
    judgment = filings.add_filing(core, lycees, kind="jugement", notified_on="2020-02-28")
    appeal = case_deadlines(core, lycees)["appeal"]
    with pytest.raises(InvalidInput, match="reason"):
        deadlines.override_deadline(core, appeal.id, "2020-06-24", "  ")
    moved = deadlines.override_deadline(core, appeal.id, "2020-06-24", "Ordonnance n° 2020-305 (état d'urgence)")
    assert moved.due_on == date(2020, 6, 24) and moved.computed_due_on == date(2020, 4, 29)
    filings.update_filing(core, judgment.id, notified_on="2020-03-02")
    again = case_deadlines(core, lycees)["appeal"]
    assert again.due_on == date(2020, 6, 24) and again.computed_due_on == date(2020, 5, 4)
    event = next(e for e in history.case_history(core, lycees) if e.action == "override")
    assert event.changes["reason"] == "Ordonnance n° 2020-305 (état d'urgence)"
    restored = deadlines.clear_override(core, appeal.id)
    assert restored.due_on == date(2020, 5, 4) and restored.override_reason is None


def test_done_stays_done_and_deleting_a_rule_deadline_is_refused(core: Core, lycees: uuid.UUID) -> None:
    judgment = filings.add_filing(core, lycees, kind="jugement", notified_on="2020-02-28")
    appeal = case_deadlines(core, lycees)["appeal"]
    deadlines.set_status(core, appeal.id, "done")
    filings.update_filing(core, judgment.id, notified_on="2020-03-02")
    assert case_deadlines(core, lycees)["appeal"].status == "done"
    with pytest.raises(InvalidInput, match="comes from a rule"):
        deadlines.delete_deadline(core, appeal.id)


def test_recompute_all_repairs_and_is_otherwise_a_no_op(core: Core, lycees: uuid.UUID) -> None:
    filings.add_filing(core, lycees, kind="jugement", notified_on="2020-02-28")
    hearings.add_hearing(core, lycees, starts_at=datetime(2020, 3, 2, 14, 0, tzinfo=PARIS))
    assert deadlines.recompute_all(core) == 0
    with core.db.writer() as session:
        session.execute(update(m.Deadline).where(m.Deadline.rule_id == "appeal").values(due_on=date(2030, 1, 1)))
        session.commit()
    assert deadlines.recompute_all(core) == 1
    assert case_deadlines(core, lycees)["appeal"].due_on == date(2020, 4, 29)

    other = cases.create_case(core, title="Une autre affaire")
    with core.db.writer() as session:  # a computed deadline filed under another case than its judgment's
        session.execute(update(m.Deadline).where(m.Deadline.rule_id == "appeal").values(case_id=other.id))
        session.commit()
    assert deadlines.recompute_all(core) == 1
    assert case_deadlines(core, lycees)["appeal"].due_on == date(2020, 4, 29)
    assert not cases.get_case(core, other.id).deadlines


def test_recompute_all_compares_every_stored_value(core: Core, lycees: uuid.UUID) -> None:
    """The recomputation of every case plans events with the same facts once, and compares each stored deadline
    with what its plan gives: a value stored another way is the same value; any other difference is repaired."""
    judgment = filings.add_filing(core, lycees, kind="jugement", notified_on="2020-02-28")
    at = datetime(2020, 3, 2, 14, 0, tzinfo=PARIS)
    rules = ("hearing-notice", "instruction-closing")
    first, second = (hearings.add_hearing(core, lycees, starts_at=at) for _ in range(2))
    expected = {(d.trigger_id, d.rule_id): d for d in cases.get_case(core, lycees).deadlines}
    assert {trigger for trigger, _rule in expected} == {judgment.id, first.id, second.id}  # each its own deadlines
    appeal = expected[judgment.id, "appeal"]
    flags = "[ " + " , ".join(f'"{flag}"' for flag in appeal.flags) + " ]"
    with core.db.writer() as session:
        session.execute(text("UPDATE deadlines SET flags = :flags WHERE rule_id = 'appeal'"), {"flags": flags})
        session.commit()
    assert deadlines.recompute_all(core) == 0  # the same flags, written another way
    deadlines.override_deadline(core, appeal.id, "2020-06-24", "Ordonnance du juge")
    notice, done, other = (expected[key] for key in [(first.id, "hearing-notice"), *((second.id, r) for r in rules)])
    deadlines.set_status(core, done.id, "done")
    D = m.Deadline
    with core.db.writer() as session:
        session.execute(update(D).where(D.id == appeal.id).values(computed_due_on=date(2030, 1, 1)))
        session.execute(update(D).where(D.id == notice.id).values(explanation_en="x", arguable_on=date(2020, 3, 1)))
        session.execute(update(D).where(D.id == done.id).values(rule_id="appeal"))
        session.execute(update(D).where(D.id == other.id).values(rule_id="cassation"))
        session.commit()
    # The appeal's computed date; the notice's explanation and date; the second hearing's open deadline that no rule
    # gives (its done one stays), and both of its own, back.
    assert deadlines.recompute_all(core) == 5
    found = {(d.trigger_id, d.rule_id, d.status): d for d in cases.get_case(core, lycees).deadlines}
    moved = found[judgment.id, "appeal", "open"]
    assert moved.due_on == date(2020, 6, 24) and moved.computed_due_on == date(2020, 4, 29)
    repaired = found[first.id, "hearing-notice", "open"]
    assert repaired.explanation_en == notice.explanation_en and repaired.arguable_on is None
    assert (second.id, "appeal", "done") in found
    assert {(trigger, rule) for trigger, rule, status in found if status == "open"} == set(expected)
    assert deadlines.recompute_all(core) == 0


def test_recompute_all_removes_what_events_changed_behind_its_back_no_longer_start(
    core: Core, lycees: uuid.UUID
) -> None:
    """An event that no longer starts a time limit is still read again when it started one before: a judgment
    whose notification was cleared, a hearing cancelled, both in SQL, lose their open deadlines; the others stay."""
    judgment = filings.add_filing(core, lycees, kind="jugement", notified_on="2020-02-28")
    kept = filings.add_filing(core, lycees, kind="ordonnance", notified_on="2020-03-10")
    hearing = hearings.add_hearing(core, lycees, starts_at=datetime(2020, 3, 2, 14, 0, tzinfo=PARIS))
    before = {(d.trigger_id, d.rule_id) for d in cases.get_case(core, lycees).deadlines}
    assert {trigger for trigger, _rule in before} == {judgment.id, kept.id, hearing.id}
    with core.db.writer() as session:
        session.execute(update(m.Filing).where(m.Filing.id == judgment.id).values(notified_on=None))
        session.execute(update(m.Hearing).where(m.Hearing.id == hearing.id).values(status="cancelled"))
        session.commit()
    removed = {(t, r) for t, r in before if t in (judgment.id, hearing.id)}
    assert deadlines.recompute_all(core) == len(removed) == 3
    after = {(d.trigger_id, d.rule_id) for d in cases.get_case(core, lycees).deadlines}
    assert after == before - removed
    assert deadlines.recompute_all(core) == 0
