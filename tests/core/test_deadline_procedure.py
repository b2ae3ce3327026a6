"""Deadlines that follow the procedure, tried as a lawyer records events: the route follows the decision and the
court, référés keep their own rules, chains run by themselves, births are not last days, and rule changes are
shown before they are applied."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, update

from caseapp.casefile.core import Core
from caseapp.casefile.views import DeadlineView
from caseapp.errors import Conflict, InvalidInput
from caseapp.services import access, cases, deadline_review, deadlines, filings, hearings, parties
from caseapp.store import models as m

PARIS = ZoneInfo("Europe/Paris")


def found(core: Core, case_id: uuid.UUID) -> dict[str, DeadlineView]:
    return {d.rule_id or d.title: d for d in cases.get_case(core, case_id).deadlines}


@pytest.fixture
def annulment(core: Core) -> uuid.UUID:
    case = cases.create_case(
        core, title="VSA Marseille", court="Tribunal administratif de Marseille", procedure="exces_de_pouvoir"
    )
    parties.add_party(core, case.id, name="La Quadrature du Net", role="applicant", kind="organisation")
    return case.id


# --- the route follows the decision ---------------------------------------------------------------------------


def test_a_suspension_order_filed_in_an_annulment_case_gives_cassation_in_fifteen_days(
    core: Core, annulment: uuid.UUID
) -> None:
    order = filings.add_filing(
        core,
        annulment,
        kind="ordonnance",
        decision_nature="refere_suspension",
        outcome="rejected",
        filed_on="2020-03-11",
        notified_on="2020-03-11",
    )
    assert order.court_level == "ta"  # taken from the case's court
    deadlines_now = found(core, annulment)
    assert "appeal" not in deadlines_now  # no appeal to the CAA against a référé-suspension order
    assert deadlines_now["refere-cassation"].due_on == date(2020, 3, 27)
    assert deadlines_now["refere-cassation"].legal_basis == "CJA L523-1 al. 1 ; R523-1"
    # Rejected: confirm the main action within a month (R612-5-2), the safe day being the eve of 11 April.
    confirm = deadlines_now["refere-confirm-main-action"]
    assert confirm.due_on == date(2020, 4, 10) and "refere_confirmation" in confirm.flags


def test_an_order_of_unknown_nature_in_a_main_action_shows_the_shortest_delay(core: Core, annulment: uuid.UUID) -> None:
    filings.add_filing(core, annulment, kind="ordonnance", notified_on="2020-05-14")
    (only,) = found(core, annulment).values()
    # Thu 14 May 2020 + 15 = Fri 29 May; franc → Sat 30 → Sun 31 → Mon 1 Jun (Whit Monday) → Tue 2 Jun 2020.
    assert only.rule_id == "order-nature-unknown" and only.due_on == date(2020, 6, 2)
    assert "nature_unknown" in only.flags
    filings.update_filing(core, next(iter(cases.get_case(core, annulment).filings)).id, decision_nature="ordonnance")
    (appeal,) = found(core, annulment).values()
    assert appeal.rule_id == "appeal" and appeal.due_on == date(2020, 7, 15)  # 14 Jul is a holiday


def test_expertise_and_provision_orders_are_appealed_in_fifteen_days(core: Core, annulment: uuid.UUID) -> None:
    filings.add_filing(
        core, annulment, kind="ordonnance", decision_nature="refere_instruction", notified_on="2025-07-07"
    )
    filings.add_filing(core, annulment, kind="ordonnance", decision_nature="refere_provision", notified_on="2025-12-16")
    got = found(core, annulment)
    assert got["refere-instruction-appeal"].due_on == date(2025, 7, 23)
    assert got["refere-provision-appeal"].due_on == date(2026, 1, 2)
    assert "appeal" not in got


def test_a_conseil_d_etat_decision_starts_no_deadline(core: Core) -> None:
    case = cases.create_case(core, title="Pourvoi", court="Conseil d'État", procedure="cassation")
    decision = filings.add_filing(core, case.id, kind="jugement", notified_on="2021-03-01")
    assert decision.court_level == "ce" and found(core, case.id) == {}
    liberte = cases.create_case(core, title="Appel référé-liberté", court="Conseil d'État", procedure="refere_liberte")
    filings.add_filing(core, liberte.id, kind="ordonnance", notified_on="2020-05-18")
    assert found(core, liberte.id) == {}


def test_a_last_resort_judgment_goes_to_cassation(core: Core) -> None:
    case = cases.create_case(
        core, title="Communication du CCTP", court="TA de Marseille", procedure="exces_de_pouvoir", matter="cada"
    )
    filings.add_filing(core, case.id, kind="jugement", notified_on="2020-02-28")
    got = found(core, case.id)
    assert set(got) == {"cassation-last-resort"} and got["cassation-last-resort"].due_on == date(2020, 4, 29)
    cases.update_case(core, case.id, matter="general")  # the matter changes: the route follows
    assert set(found(core, case.id)) == {"appeal"}


def test_a_nature_the_court_does_not_give_is_refused(core: Core, annulment: uuid.UUID) -> None:
    with pytest.raises(InvalidInput, match="does not give") as refused:
        filings.add_filing(core, annulment, kind="arret", decision_nature="arret", notified_on="2020-01-01")
    assert refused.value.field == "decision_nature"
    with pytest.raises(InvalidInput) as refused:
        filings.add_filing(core, annulment, kind="requete", decision_nature="jugement")
    assert refused.value.field == "decision_nature"
    assert cases.get_case(core, annulment).filings == ()


def test_decisions_follow_the_case_to_its_corrected_court(core: Core) -> None:
    case = cases.create_case(core, title="Appel", court="TA de Marseille")
    filings.add_filing(core, case.id, kind="ordonnance", decision_nature="ordonnance", notified_on="2024-10-31")
    assert set(found(core, case.id)) == {"appeal"}
    cases.update_case(core, case.id, court="CAA de Marseille")
    (decision,) = cases.get_case(core, case.id).filings
    assert decision.court_level == "caa"
    assert {k: v.due_on for k, v in found(core, case.id).items()} == {"cassation": date(2025, 1, 2)}


def test_telerecours_deemed_notification_starts_the_delay(core: Core, annulment: uuid.UUID) -> None:
    # Made available Fri 4 Dec 2026, not consulted: deemed notified after two working days, Tue 8 Dec 2026.
    filings.add_filing(core, annulment, kind="jugement", made_available_on="2026-12-04")
    appeal = found(core, annulment)["appeal"]
    assert appeal.trigger_on == date(2026, 12, 8) and appeal.due_on == date(2027, 2, 9)
    assert appeal.explanation_fr and "R611-8-6" in appeal.explanation_fr
    with pytest.raises(InvalidInput) as refused:
        filings.add_filing(core, annulment, kind="jugement", made_available_on="2026-12-04", consulted_on="2026-12-01")
    assert refused.value.field == "consulted_on"


# --- référés keep their own rules -----------------------------------------------------------------------------


def test_a_refere_hearing_has_no_ordinary_procedure_deadline(core: Core, annulment: uuid.UUID) -> None:
    refere = cases.create_case(core, title="Référé", court="TA de Marseille", procedure="refere_suspension")
    hearings.add_hearing(core, refere.id, starts_at=datetime(2020, 3, 2, 10, 0, tzinfo=PARIS), kind="urgent")
    got = found(core, refere.id)
    assert set(got) == {"refere-hearing"}
    assert got["refere-hearing"].due_on == date(2020, 3, 2) and got["refere-hearing"].date_kind == "closing"
    assert "R522-8" in (got["refere-hearing"].explanation_fr or "")
    # An urgent-applications hearing in the main action is a référé hearing too.
    hearings.add_hearing(core, annulment, starts_at=datetime(2020, 2, 3, 10, 0, tzinfo=PARIS), kind="urgent")
    assert set(found(core, annulment)) == {"refere-hearing"}
    # A hearing on the merits keeps R711-2 and R613-2.
    hearings.add_hearing(core, annulment, starts_at=datetime(2020, 6, 3, 10, 0, tzinfo=PARIS), kind="merits")
    assert set(found(core, annulment)) == {"refere-hearing", "hearing-notice", "instruction-closing"}


def test_a_refere_suspension_without_a_main_action_is_pointed_out(core: Core, annulment: uuid.UUID) -> None:
    refere = cases.create_case(core, title="Référé", court="TA de Marseille", procedure="refere_suspension")
    assert [c.code for c in cases.get_case(core, refere.id).checks] == ["refere_without_main_action"]
    cases.update_case(core, refere.id, parent_id=annulment, parent_relation="refere_of")
    assert cases.get_case(core, refere.id).checks == ()
    cases.update_case(core, annulment, status="closed")
    assert [c.code for c in cases.get_case(core, refere.id).checks] == ["refere_main_action_ended"]


# --- chains that run by themselves ----------------------------------------------------------------------------


def test_a_cada_referral_left_unanswered_gives_the_court_deadline(core: Core, annulment: uuid.UUID) -> None:
    request = access.add_request(
        core, case_id=annulment, administration="Ville de Marseille", documents="CCTP", received_on="2026-02-16"
    )
    access.record_step(core, request.id, "referred_to_cada", date(2026, 5, 11))
    got = found(core, annulment)
    # Referral registered Mon 11 May 2026; refusal confirmed by silence Sat 11 Jul 2026 (R343-5); two months
    # franc: 11 Sep (Fri) + 1 = Sat 12 → Mon 14 Sep 2026 — with nobody recording the confirmation.
    court = got["cada-court"]
    assert court.trigger_on == date(2026, 7, 11) and court.due_on == date(2026, 9, 14)
    assert "cada_information_unknown" in court.flags and "488227" in (court.explanation_fr or "")
    access.update_request(core, request.id, routes_informed=False)
    court = found(core, annulment)["cada-court"]
    assert "cada_not_informed" in court.flags and "no_appeal_routes" in court.flags
    access.update_request(core, request.id, routes_informed=True)
    assert found(core, annulment)["cada-court"].flags == ()


def test_a_cnil_complaint_gives_the_conseil_d_etat_deadline_unless_progress_was_reported(core: Core) -> None:
    case = cases.create_case(core, title="Plainte CNIL")
    complaint = filings.add_filing(core, case.id, kind="plainte_cnil", filed_on="2025-01-15")
    got = found(core, case.id)
    assert got["cnil-complaint"].due_on == date(2025, 4, 15) and got["cnil-complaint"].is_birth
    # Born Tue 15 Apr 2025; two months franc: 15 Jun (Sun) + 1 = Mon 16 Jun 2025.
    assert got["cnil-court"].due_on == date(2025, 6, 16) and "cnil_progress_unknown" in got["cnil-court"].flags
    filings.update_filing(core, complaint.id, progress_reported=True)
    assert found(core, case.id) == {}


def test_silence_may_mean_acceptance(core: Core) -> None:
    case = cases.create_case(core, title="Demande", court="TA de Nice")
    request = filings.add_filing(core, case.id, kind="demande_prealable", received_on="2020-08-05")
    assert "silence_meaning_unknown" in found(core, case.id)["rep-implicit"].flags
    filings.update_filing(core, request.id, silence_means="acceptance")
    got = found(core, case.id)
    assert set(got) == {"silence-acceptance"}
    assert got["silence-acceptance"].due_on == date(2020, 10, 5) and got["silence-acceptance"].is_birth
    filings.update_filing(core, request.id, silence_means="rejection", acknowledged=True)
    assert found(core, case.id)["rep-implicit"].flags == ()


def test_no_reasonable_time_for_a_liability_action(core: Core) -> None:
    case = cases.create_case(core, title="Indemnisation", court="TA de Nice", procedure="indemnitaire")
    filings.add_filing(core, case.id, kind="demande_prealable", received_on="2020-08-05", acknowledged=False)
    assert found(core, case.id) == {}  # CE 17 Jun 2019 n° 413097: only the four-year prescription
    other = cases.create_case(core, title="Annulation", court="TA de Nice", procedure="exces_de_pouvoir")
    filings.add_filing(core, other.id, kind="demande_prealable", received_on="2020-08-05", acknowledged=False)
    assert found(core, other.id)["rep-implicit"].due_on == date(2021, 10, 5)  # Czabaj: one year, flagged


def test_a_published_act_runs_from_publication_without_the_r421_5_check(core: Core, annulment: uuid.UUID) -> None:
    filings.add_filing(core, annulment, kind="decision", notified_on="2018-12-14", published=True)
    rep = found(core, annulment)["rep"]
    assert rep.due_on == date(2019, 2, 15) and "no_appeal_routes" not in rep.flags


def test_dates_set_by_the_court_and_the_supplementary_brief(core: Core) -> None:
    case = cases.create_case(core, title="Pourvoi", court="Conseil d'État", procedure="cassation")
    filings.add_filing(core, case.id, kind="requete", filed_on="2026-01-15", brief_announced=True)
    filings.add_filing(core, case.id, kind="mise_en_demeure", filed_on="2026-02-01", court_set_on="2026-03-02")
    got = found(core, case.id)
    # Registered Thu 15 Jan 2026; three months → 15 Apr; the safe day is the eve, Tue 14 Apr 2026.
    assert got["cassation-supplementary-brief"].due_on == date(2026, 4, 14)
    assert got["court-set-notice"].due_on == date(2026, 3, 2)  # a set date is never moved
    with pytest.raises(InvalidInput) as refused:
        filings.add_filing(core, case.id, kind="ordonnance_cloture", filed_on="2026-02-01")
    assert refused.value.field == "court_set_on"


# --- rule changes are shown before they are applied -----------------------------------------------------------


def test_recomputing_after_a_rule_change_is_previewed_then_applied(core: Core, annulment: uuid.UUID) -> None:
    order = filings.add_filing(
        core, annulment, kind="ordonnance", decision_nature="refere_suspension", notified_on="2020-03-11"
    )
    merits = filings.add_filing(core, annulment, kind="jugement", notified_on="2020-05-14")
    assert deadline_review.rules_changed(core) is False  # a file that follows these rules
    done = found(core, annulment)["appeal"]
    deadlines.set_status(core, done.id, "done")
    # What an older version left: the wrong route for the order, a stale date, and a done deadline it got wrong.
    with core.db.writer() as session:
        session.execute(update(m.Deadline).where(m.Deadline.rule_id == "refere-cassation").values(rule_id="appeal"))
        session.execute(update(m.Deadline).where(m.Deadline.id == done.id).values(due_on=date(2030, 1, 1)))
        session.execute(delete(m.AppState))
        session.commit()
    assert deadline_review.rules_changed(core) is True
    preview = deadline_review.preview_recompute(core)
    assert (preview.added, preview.changed, preview.removed) == (1, 0, 1)
    (case_changes,) = preview.cases
    assert case_changes.case_title == "VSA Marseille"
    assert {(c.action, c.rule_id) for c in case_changes.changes} == {("add", "refere-cassation"), ("remove", "appeal")}
    assert set(found(core, annulment)) == {"appeal"}  # nothing written by the preview
    applied = deadline_review.apply_recompute(core, preview.token)
    assert applied.total == 2 and deadline_review.rules_changed(core) is False
    got = {(d.rule_id, d.status, d.trigger_id): d.due_on for d in cases.get_case(core, annulment).deadlines}
    assert got[("refere-cassation", "open", order.id)] == date(2020, 3, 27)
    assert got[("appeal", "done", merits.id)] == date(2030, 1, 1)  # done: never touched, even when wrong


def test_applying_a_stale_preview_is_refused(core: Core, annulment: uuid.UUID) -> None:
    filings.add_filing(core, annulment, kind="jugement", notified_on="2020-05-14")
    with core.db.writer() as session:
        session.execute(update(m.Deadline).values(due_on=date(2030, 1, 1)))
        session.commit()
    preview = deadline_review.preview_recompute(core)
    assert preview.changed == 1
    filings.add_filing(core, annulment, kind="jugement", notified_on="2021-01-04")  # the file moved meanwhile
    with core.db.writer() as session:
        session.execute(update(m.Deadline).values(due_on=date(2031, 1, 1)))
        session.commit()
    with pytest.raises(Conflict, match="changed since the preview"):
        deadline_review.apply_recompute(core, preview.token)
    assert {d.due_on for d in cases.get_case(core, annulment).deadlines} == {date(2031, 1, 1)}


def test_an_overridden_deadline_keeps_its_date_and_the_preview_says_so(core: Core, annulment: uuid.UUID) -> None:
    filings.add_filing(core, annulment, kind="jugement", notified_on="2020-02-28")
    appeal = found(core, annulment)["appeal"]
    deadlines.override_deadline(core, appeal.id, "2020-06-24", "Ordonnance n° 2020-305")
    with core.db.writer() as session:
        session.execute(update(m.Deadline).values(computed_due_on=date(2020, 1, 1)))
        session.commit()
    (change,) = deadline_review.preview_recompute(core).cases[0].changes
    assert change.overridden and change.old_due == date(2020, 1, 1) and change.new_due == date(2020, 4, 29)
    deadline_review.apply_recompute(core, deadline_review.preview_recompute(core).token)
    again = found(core, annulment)["appeal"]
    assert again.due_on == date(2020, 6, 24) and again.computed_due_on == date(2020, 4, 29)
