"""Forms, as a lawyer fills them in: what is required says so before saving, an error goes away once the field is
fixed, a case cannot close before it opens (the core refuses it, so the command line does too), an empty filing is
refused, a référé case's hearing is a référé hearing, and a date's echo line does not push the fields below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from caseapp.errors import InvalidInput
from caseapp.services import cases
from tests.ui.conftest import gone, idle, open_dialog, type_text, until
from ui.context import AppContext
from ui.main_window import MainWindow


def save(qtbot: QtBot, dialog: object) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def label_of(dialog: object, name: str) -> QLabel:
    label = dialog.findChild(QLabel, f"{name}_label")  # type: ignore[attr-defined]
    assert isinstance(label, QLabel)
    return label


def test_the_title_is_marked_required_and_its_error_clears_once_typed(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    window.new_case()
    dialog = open_dialog(qtbot, window.case_list)
    # marked before anything is saved, for the eye and for a screen reader
    assert label_of(dialog, "title").text() == "Title *"
    assert dialog.title_edit.accessibleName() == "Title (required)"
    assert dialog.required_legend.isVisible() and dialog.required_legend.text() == "* required"
    assert label_of(dialog, "court").text() == "Court"  # an optional field is not marked

    save(qtbot, dialog)
    until(qtbot, lambda: "cannot be empty" in dialog.field_error("title"))
    assert dialog.isVisible()
    type_text(qtbot, dialog.title_edit, "R")
    assert dialog.field_error("title") == ""  # gone at the first letter, not at the next save
    assert cases.count_cases(ctx.core) == 0


def test_a_case_cannot_close_before_it_opens_in_the_window_or_the_core(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    window.new_case()
    dialog = open_dialog(qtbot, window.case_list)
    type_text(qtbot, dialog.title_edit, "Vidéosurveillance automatisée")
    qtbot.keyClicks(dialog.opened_on.edit, "17/01/2020")
    qtbot.keyClicks(dialog.closed_on.edit, "14/05/2019")
    save(qtbot, dialog)
    until(qtbot, lambda: "before the opening date" in dialog.field_error("closed_on"))
    assert "Tuesday 14 May 2019" in dialog.field_error("closed_on")
    assert dialog.isVisible() and cases.count_cases(ctx.core) == 0
    dialog.closed_on.edit.clear()
    qtbot.keyClicks(dialog.closed_on.edit, "14/05/2020")
    assert dialog.field_error("closed_on") == ""
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    idle(qtbot, ctx)

    # the rule is the core's: an edit that does not go through the window is refused the same way
    (case,) = cases.list_cases(ctx.core)
    try:
        cases.update_case(ctx.core, case.id, closed_on="2019-05-14")
    except InvalidInput as exc:
        assert exc.field == "closed_on"
    else:
        raise AssertionError("a closing date before the opening date was accepted")
    assert cases.get_case(ctx.core, case.id).closed_on is not None


def test_an_empty_filing_is_refused(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    case = cases.create_case(ctx.core, title="Référé-suspension — VSA", procedure="refere_suspension")
    window.open_case(case.id, "filings")
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case.id)
    idle(qtbot, ctx)
    tab = window.case_view.tab("filings")
    tab.add()
    dialog = open_dialog(qtbot, tab)
    save(qtbot, dialog)
    until(qtbot, lambda: "empty" in dialog.field_error("filed_on"))
    assert dialog.isVisible()
    assert cases.get_case(ctx.core, case.id).filings == ()
    qtbot.keyClicks(dialog.filed_on.edit, "17/01/2020")
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    until(qtbot, lambda: len(cases.get_case(ctx.core, case.id).filings) == 1)


def test_a_refere_case_gets_a_refere_hearing_and_the_echo_does_not_move_the_fields(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Référé-liberté — drones", procedure="refere_liberte")
    window.open_case(case.id, "hearings")
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case.id)
    idle(qtbot, ctx)
    tab = window.case_view.tab("hearings")
    tab.add()
    dialog = open_dialog(qtbot, tab)
    assert dialog.kind.value() == "urgent"
    assert dialog.kind.currentText() == "Urgent applications hearing"
    qtbot.wait(50)
    below = dialog.room.mapTo(dialog, dialog.room.rect().topLeft())
    qtbot.keyClicks(dialog.starts_at.edit, "demain 14h")
    assert dialog.starts_at.echo.text().startswith("✓")
    qtbot.wait(50)
    assert dialog.room.mapTo(dialog, dialog.room.rect().topLeft()) == below
    dialog.reject()
