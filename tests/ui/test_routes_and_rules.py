"""Deadlines that know the procedure, as people see them: the routes of appeal worked out in the decision's dialog
while it is typed; the natures a court gives; undo keeping a decision's court, nature and Télérecours dates; the day
an implicit decision is born never shown as an overdue last day; the case's matter and checks; and the review of
what a change of rules would do to existing deadlines, applied only once approved."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, update

from caseapp.casefile.views import AccessRequestView, FilingView
from caseapp.services import cases, deadline_review, filings
from caseapp.services.routes import natures_of
from caseapp.store import models as m
from tests.ui.conftest import gone, idle, open_dialog, until
from ui.context import AppContext
from ui.dialogs.filing_dialog import default_nature
from ui.formatting import today
from ui.main_window import MainWindow
from ui.models.table import FONT
from ui.operations import records


def save(qtbot: QtBot, dialog: Any) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def pick(combo: Any, value: str | None) -> None:
    """Choose an entry the way a person does (``activated`` is what a click sends); None is the empty entry."""
    index = 0 if value is None else combo.findData(value)
    assert index >= 0, f"{value} is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def open_case(qtbot: QtBot, window: MainWindow, case_id: Any, tab: str) -> Any:
    window.open_case(case_id, tab)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case_id)
    return window.case_view.tab(tab)


def add_filing_dialog(qtbot: QtBot, window: MainWindow, case_id: Any) -> Any:
    tab = open_case(qtbot, window, case_id, "filings")
    tab.add()
    return open_dialog(qtbot, tab)


def routes_shown(qtbot: QtBot, dialog: Any) -> list[str]:
    """Wait for the answer to what was typed (after the pause the dialog waits for), then read the panel."""
    until(qtbot, lambda: not dialog.routes_pending())
    until(qtbot, lambda: dialog.routes_panel.view is not None and dialog.routes_panel.view.notified_on is not None)
    return dialog.routes_panel.texts()


# -- the routes panel -----------------------------------------------------------------------------------------------


def test_a_suspension_order_in_an_annulment_case_shows_cassation_within_15_days_and_no_appeal(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="VSA Marseille", court="Tribunal administratif de Marseille",
                             procedure="exces_de_pouvoir")  # fmt: skip
    dialog = add_filing_dialog(qtbot, window, case.id)
    dialog.kind.set_value("ordonnance")
    assert dialog.court_level.value() == "ta"  # from the case's court
    assert dialog.nature.value() is None  # an order in a main action: its nature is to be recorded
    assert dialog.field("decision_nature").isVisibleTo(dialog)
    assert not dialog.field("received_on").isVisibleTo(dialog)  # only the fields of a court decision
    pick(dialog.nature, "refere_suspension")
    qtbot.keyClicks(dialog.notified_on.edit, "11/03/2020")
    assert dialog.routes_pending()  # worked out once typing pauses, not at every key
    texts = routes_shown(qtbot, dialog)
    view = dialog.routes_panel.view
    assert [(r.kind, r.court, r.last_day) for r in view.ordinary] == [("cassation", "ce", date(2020, 3, 27))]
    line = next(text for text in texts if text.startswith("Cassation → Conseil d'État"))
    assert "last day Friday 27 March 2020 (CJA L523-1 al. 1 ; R523-1)" in line
    assert not any(r.court == "caa" for r in view.routes)
    assert not any("court of appeal" in text.lower() for text in texts)
    assert dialog.routes_panel.warnings() == []
    route_label = dialog.routes_panel.findChild(type(dialog.routes_panel.title), "routes_route")
    assert "15" in route_label.toolTip() or "quinze" in route_label.toolTip()  # the reasoning, on demand

    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    (order,) = cases.get_case(ctx.core, case.id).filings
    assert (order.court_level, order.decision_nature, order.notified_on) == ("ta", "refere_suspension",
                                                                             date(2020, 3, 11))  # fmt: skip
    assert ctx.errors.history == []


def test_a_conseil_d_etat_decision_shows_no_appeal_and_the_exceptional_remedies(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="LQDN c/ Premier ministre", court="Conseil d'État",
                             procedure="exces_de_pouvoir")  # fmt: skip
    dialog = add_filing_dialog(qtbot, window, case.id)
    dialog.kind.set_value("arret")
    assert (dialog.court_level.value(), dialog.nature.value()) == ("ce", "decision_ce")
    qtbot.keyClicks(dialog.notified_on.edit, "10/07/2020")
    texts = routes_shown(qtbot, dialog)
    assert "No appeal or cassation lies against this decision." in texts
    assert dialog.routes_panel.view.ordinary == ()
    remedies = texts[texts.index("Exceptional remedies") + 1 :]
    assert any(text.startswith("Application for revision → Conseil d'État") for text in remedies)
    assert any("Application to correct a clerical error" in text and "last day" in text for text in remedies)


def test_the_nature_offered_is_only_what_the_chosen_court_gives_and_unknown_facts_are_warned_about(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Sans juridiction", procedure="exces_de_pouvoir")
    dialog = add_filing_dialog(qtbot, window, case.id)
    dialog.kind.set_value("jugement")
    assert dialog.court_level.value() is None  # the case names no court
    for level in ("ta", "caa", "ce"):
        pick(dialog.court_level, level)
        assert dialog.natures_offered() == list(natures_of(level))
    assert "jugement" not in dialog.natures_offered() and "decision_ce" in dialog.natures_offered()
    pick(dialog.court_level, "caa")
    assert dialog.nature.value() is None  # a judgment is no nature a court of appeal gives: to record
    assert "decision_ce" not in dialog.natures_offered() and "arret" in dialog.natures_offered()
    pick(dialog.court_level, None)  # not known: the court is assumed, and the panel says so
    dialog.kind.set_value("ordonnance")
    pick(dialog.nature, None)
    qtbot.keyClicks(dialog.notified_on.edit, "11/03/2020")
    routes_shown(qtbot, dialog)
    assert dialog.routes_panel.warnings()  # the court (and the nature) had to be assumed

    dialog.kind.set_value("requete")  # another kind: other fields, and no routes
    assert dialog.field("brief_announced").isVisibleTo(dialog)
    assert not dialog.field("decision_nature").isVisibleTo(dialog)
    assert "court decision" in dialog.routes_panel.texts()[0]
    dialog.kind.set_value("mise_en_demeure")  # the date the court set is required, and marked so
    assert dialog.field("court_set_on").isVisibleTo(dialog)
    save(qtbot, dialog)
    qtbot.wait(50)
    assert "required" in dialog.field_error("court_set_on")


def test_a_court_decision_s_nature_defaults_to_what_it_most_likely_is() -> None:
    assert default_nature("jugement", "ta", "exces_de_pouvoir") == "jugement"
    assert default_nature("arret", "caa", "appel") == "arret"
    assert default_nature("ordonnance", "ta", "refere_liberte") == "refere_liberte"  # an order in a référé case
    assert default_nature("arret", "ce", "cassation") == "decision_ce"
    assert default_nature("ordonnance", "ta", "exces_de_pouvoir") is None  # president's or référé order: to record
    assert default_nature("jugement", "caa", None) is None  # not a nature that court gives
    assert default_nature("requete", "ta", None) is None


# -- undo keeps every field ---------------------------------------------------------------------------------------


def test_the_values_undo_writes_back_carry_every_field_of_a_filing_and_a_request() -> None:
    kept_out = {"id", "case_id", "is_decision", "party_name", "version"}
    assert {f.name for f in dataclasses.fields(FilingView)} - kept_out == set(records.filing_values(_blank(FilingView)))
    kept_out = {"id", "case_id", "example", "version", "steps"}
    assert {f.name for f in dataclasses.fields(AccessRequestView)} - kept_out == set(
        records.request_values(_blank(AccessRequestView))
    )


def _blank(cls: Any) -> Any:
    return cls(**{f.name: None for f in dataclasses.fields(cls)})


def test_undo_and_redo_of_a_decision_edit_keep_its_court_nature_and_telerecours_dates(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="VSA Marseille", court="Tribunal administratif de Marseille",
                             procedure="exces_de_pouvoir")  # fmt: skip
    judgment = filings.add_filing(ctx.core, case.id, kind="jugement", decision_nature="jugement", court_level="ta",
                                  filed_on="2020-05-10", made_available_on="2020-05-12",
                                  consulted_on="2020-05-13", title="Jugement n° 1")  # fmt: skip
    tab = open_case(qtbot, window, case.id, "filings")
    until(qtbot, lambda: tab.table.model.row_of(judgment.id) >= 0)
    tab.edit(judgment)
    dialog = open_dialog(qtbot, tab)
    assert (dialog.nature.value(), dialog.made_available_on.text(), dialog.consulted_on.text()) == (
        "jugement", "12/05/2020", "13/05/2020")  # fmt: skip
    dialog.title_edit.setText("Jugement n° 2001234")
    dialog.consulted_on.set_text("14/05/2020")
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))

    def now() -> FilingView:
        return filings.get_filing(ctx.core, judgment.id)

    edited = now()
    assert (edited.title, edited.consulted_on, edited.decision_nature, edited.court_level) == (
        "Jugement n° 2001234", date(2020, 5, 14), "jugement", "ta")  # fmt: skip
    idle(qtbot, ctx)
    ctx.undo.undo()
    until(qtbot, lambda: now().title == "Jugement n° 1")
    back = now()
    assert (back.consulted_on, back.made_available_on, back.decision_nature, back.court_level) == (
        date(2020, 5, 13), date(2020, 5, 12), "jugement", "ta")  # fmt: skip
    idle(qtbot, ctx)
    ctx.undo.redo()
    until(qtbot, lambda: now().title == "Jugement n° 2001234")
    again = now()
    assert (again.consulted_on, again.made_available_on, again.decision_nature) == (
        date(2020, 5, 14), date(2020, 5, 12), "jugement")  # fmt: skip
    idle(qtbot, ctx)
    until(qtbot, lambda: tab.table.model.row_of(judgment.id) >= 0)
    tab.table.select_id(judgment.id)
    tab.delete_selected()  # and a deleted decision comes back whole
    until(qtbot, lambda: not cases.get_case(ctx.core, case.id).filings)
    idle(qtbot, ctx)
    ctx.undo.undo()
    until(qtbot, lambda: cases.get_case(ctx.core, case.id).filings)
    restored = now()
    assert dataclasses.replace(restored, version=0) == dataclasses.replace(again, version=0)
    assert ctx.errors.history == []


# -- births are not last days -------------------------------------------------------------------------------------


def test_the_day_an_implicit_decision_is_born_is_labelled_so_and_never_overdue(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Plainte CNIL — caméras", court="Conseil d'État")
    lodged = today() - timedelta(days=100)  # three months of silence: the rejection was born a week or so ago
    filings.add_filing(ctx.core, case.id, kind="plainte_cnil", filed_on=lodged, progress_reported=False)
    detail = cases.get_case(ctx.core, case.id)
    birth = next(d for d in detail.deadlines if d.is_birth)
    assert birth.due_on < today()
    tab = open_case(qtbot, window, case.id, "deadlines")
    model = tab.table.model
    until(qtbot, lambda: model.row_of(birth.id) >= 0)
    row = model.row_of(birth.id)
    what = model.data(model.index(row, 1))
    assert what.startswith("Implicit decision born on ") and birth.title in what
    assert model.data(model.index(row, 1), FONT) is None  # not bold: nothing to do by that day
    tab.table.select_id(birth.id)
    assert tab.explanation.text().startswith("Implicit decision born on ")
    header = window.case_view.header.next_deadline
    assert header.text().startswith("Implicit decision born on ")
    assert "overdue" not in header.text() and not header.font().bold()

    window.show_page("agenda")
    window.agenda.refresh()
    items = window.agenda.items.model
    until(qtbot, lambda: items.row_of(birth.id) >= 0)
    agenda_row = items.row_of(birth.id)
    assert items.data(items.index(agenda_row, 2)).startswith("Implicit decision born on ")
    assert items.data(items.index(agenda_row, 0), FONT) is None
    assert items.data(items.index(agenda_row, 0), int(Qt.ItemDataRole.DecorationRole)) is None
    assert "overdue" not in window.agenda.summary.text()


# -- the case: matter, checks; the request: routes told ---------------------------------------------------------


def test_the_matter_and_whether_the_requester_was_told_of_the_routes_save_and_reload(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Demande CADA — caméras", court="Tribunal administratif de Nice")
    open_case(qtbot, window, case.id, "overview")
    window.case_view.edit_case()
    dialog = open_dialog(qtbot, window.case_view)
    assert dialog.matter.value() is None  # the general matter
    pick(dialog.matter, "cada")
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    assert cases.get_case(ctx.core, case.id).matter == "cada"
    overview = window.case_view.tab("overview")
    until(qtbot, lambda: "Access to administrative documents" in overview.values["matter"].text())
    window.case_view.dialog = None  # the next one opens once the cases it may follow are read
    window.case_view.edit_case()
    dialog = open_dialog(qtbot, window.case_view)
    assert dialog.matter.value() == "cada"
    dialog.reject()
    idle(qtbot, ctx)
    ctx.undo.undo()
    until(qtbot, lambda: cases.get_case(ctx.core, case.id).matter is None)

    tab = window.case_view.tab("access")
    window.case_view.set_tab("access")
    tab.add()
    dialog = open_dialog(qtbot, tab)
    assert dialog.routes_informed.checkState() == Qt.CheckState.PartiallyChecked  # not known yet
    dialog.administration.setText("Métropole Nice Côte d'Azur")
    dialog.documents.setPlainText("Convention d'expérimentation")
    dialog.routes_informed.setCheckState(Qt.CheckState.Unchecked)
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    (request,) = cases.get_case(ctx.core, case.id).access_requests
    assert request.routes_informed is False
    until(qtbot, lambda: tab.table.model.row_of(request.id) >= 0)
    tab.edit(request)
    dialog = open_dialog(qtbot, tab)
    assert dialog.routes_informed.checkState() == Qt.CheckState.Unchecked
    dialog.routes_informed.setCheckState(Qt.CheckState.Checked)
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    assert cases.get_case(ctx.core, case.id).access_requests[0].routes_informed is True
    idle(qtbot, ctx)
    ctx.undo.undo()
    until(qtbot, lambda: cases.get_case(ctx.core, case.id).access_requests[0].routes_informed is False)
    assert ctx.errors.history == []


def test_what_the_lawyer_should_look_at_is_shown_on_the_overview(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Référé VSA", court="Tribunal administratif de Marseille",
                             procedure="refere_suspension")  # fmt: skip
    overview = open_case(qtbot, window, case.id, "overview")
    until(qtbot, lambda: overview.check_lines)
    assert "needs a pending main action (CJA L521-1)" in overview.check_lines[0]
    assert overview.checks.isVisibleTo(overview)


# -- the rules changed with this version ----------------------------------------------------------------------------


def _older_rules(ctx: AppContext, case_id: Any) -> None:
    """What an older version left: a référé order given the appeal route, and no record of the rules used."""
    with ctx.core.db.writer() as session:
        session.execute(
            update(m.Deadline)
            .where(m.Deadline.case_id == case_id, m.Deadline.rule_id == "refere-cassation")
            .values(rule_id="appeal")
        )
        session.execute(delete(m.AppState))
        session.commit()


def test_the_agenda_says_when_the_rules_changed_and_the_review_applies_what_was_shown(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="VSA Marseille", court="Tribunal administratif de Marseille",
                             procedure="exces_de_pouvoir")  # fmt: skip
    order = filings.add_filing(ctx.core, case.id, kind="ordonnance", decision_nature="refere_suspension",
                               notified_on=today() - timedelta(days=3))  # fmt: skip
    _older_rules(ctx, case.id)
    window.show_page("agenda")
    agenda = window.agenda
    agenda.check_rules()  # what the agenda does once it is first on screen
    until(qtbot, lambda: agenda.rules_banner.isVisible())
    assert "The deadline rules changed with this version of CaseApp: 2 deadline(s) would change" in (
        agenda.rules_banner.text())  # fmt: skip
    agenda.rules_banner.linkActivated.emit("review")  # what clicking "Review…" does
    until(qtbot, lambda: agenda.review_dialog is not None and agenda.review_dialog.isVisible())
    dialog = agenda.review_dialog
    lines = dialog.lines()
    assert lines[0] == "VSA Marseille (2)"
    assert any(line.startswith("+ ") for line in lines[1:])
    assert any(line.startswith("− ") for line in lines[1:])
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: gone(dialog))
    until(qtbot, lambda: not agenda.rules_banner.isVisible())
    assert deadline_review.rules_changed(ctx.core) is False
    rules = {d.rule_id for d in cases.get_case(ctx.core, case.id).deadlines if d.trigger_id == order.id}
    assert rules == {"refere-cassation"}

    window.recompute_action.trigger()  # the menu's way in: nothing left to change
    until(qtbot, lambda: window.dialog is not None and "Nothing to change" in window.dialog.summary.text())
    assert not window.dialog.apply_button.isVisible()
    window.dialog.reject()
    assert ctx.errors.history == []


def test_a_preview_overtaken_by_a_change_is_not_applied_and_can_be_reviewed_again(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="VSA Marseille", court="Tribunal administratif de Marseille",
                             procedure="exces_de_pouvoir")  # fmt: skip
    filings.add_filing(ctx.core, case.id, kind="ordonnance", decision_nature="refere_suspension",
                       notified_on="2020-03-11")  # fmt: skip
    _older_rules(ctx, case.id)
    window.recompute_action.trigger()
    until(qtbot, lambda: window.dialog is not None and window.dialog.apply_button.isEnabled())
    dialog = window.dialog
    filings.add_filing(ctx.core, case.id, kind="jugement", notified_on="2021-01-04")  # a colleague, meanwhile
    with ctx.core.db.writer() as session:
        session.execute(update(m.Deadline).where(m.Deadline.rule_id == "appeal").values(due_on=date(2031, 1, 1)))
        session.commit()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: dialog.error.isVisible())
    assert "changed since the preview" in dialog.error.text()
    assert dialog.again_button.isVisible() and not dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: dialog.apply_button.isEnabled())
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: gone(dialog))
    assert deadline_review.rules_changed(ctx.core) is False
    assert ctx.errors.history == []
