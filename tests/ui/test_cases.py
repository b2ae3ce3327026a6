"""Cases and their records through the real window: create, add a party, refuse a bad date, undo an edit."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from caseapp.services import cases, hearings
from caseapp.services.views import Changes
from tests.ui.conftest import gone, idle, open_dialog, shortcut, type_text, until
from ui.context import AppContext
from ui.main_window import MainWindow

PARIS = ZoneInfo("Europe/Paris")


def save(qtbot: QtBot, dialog: object) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def create_case(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, title: str = "Référé-liberté contre le drone"
) -> None:
    window.new_case()
    dialog = open_dialog(qtbot, window.case_list)
    type_text(qtbot, dialog.title_edit, title)
    dialog.court.setCurrentText("Tribunal administratif de Marseille")
    qtbot.keyClicks(dialog.court_number, "2601234")
    qtbot.keyClicks(dialog.opened_on.edit, "03/03/2026")
    save(qtbot, dialog)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.title == title)
    idle(qtbot, ctx)


def test_first_start_offers_the_example_cases(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    assert window.current_page() == "agenda"
    until(qtbot, lambda: window.agenda.stack.currentWidget() is window.agenda.welcome)
    qtbot.mouseClick(window.agenda.demo_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: cases.count_cases(ctx.core) == 5)
    idle(qtbot, ctx)
    assert window.agenda.stack.currentWidget() is window.agenda.splitter
    until(qtbot, lambda: window.case_list.model.rowCount() == 5)
    assert ctx.errors.history == []


def test_create_a_case_then_add_a_party(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    create_case(qtbot, window, ctx)
    case = window.case_view.case
    assert case is not None and case.court_number == "2601234"
    assert window.case_view.header.title.text() == "Référé-liberté contre le drone"
    assert "2601234" in window.case_view.header.facts.text()
    until(qtbot, lambda: window.case_list.model.rowCount() == 1)

    window.case_view.set_tab("parties")
    tab = window.case_view.tab("parties")
    tab.add()
    dialog = open_dialog(qtbot, tab)
    qtbot.keyClicks(dialog.name, "La Quadrature du Net")
    dialog.role.set_value("applicant")
    qtbot.keyClicks(dialog.counsel, "Me Dupont")
    save(qtbot, dialog)
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    stored = cases.get_case(ctx.core, case.id).parties
    assert [(p.name, p.role, p.counsel) for p in stored] == [("La Quadrature du Net", "applicant", "Me Dupont")]
    assert tab.table.model.index(0, 1).data() == "Applicant"
    assert window.case_view.tab_widget.tabText(1) == "Parties (1)"
    assert ctx.errors.history == []


def test_an_impossible_date_is_refused_with_its_reason_and_nothing_typed_is_lost(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    create_case(qtbot, window, ctx)
    case = window.case_view.case
    assert case is not None
    tab = window.case_view.tab("hearings")
    window.case_view.set_tab("hearings")
    tab.add()
    dialog = open_dialog(qtbot, tab)
    qtbot.keyClicks(dialog.room, "Salle 3")
    qtbot.keyClicks(dialog.starts_at.edit, "31/02/2026 14h")
    assert "no day 31" in dialog.starts_at.echo.text()  # shown live, before saving
    save(qtbot, dialog)
    qtbot.wait(50)
    assert dialog.isVisible()
    assert "no day 31" in dialog.field_error("starts_at")
    assert dialog.room.text() == "Salle 3"
    assert dialog.starts_at.text() == "31/02/2026 14h"
    assert cases.get_case(ctx.core, case.id).hearings == ()

    dialog.starts_at.edit.clear()
    qtbot.keyClicks(dialog.starts_at.edit, "3 mars 2026")  # a hearing needs a time too
    assert "has no time" in dialog.starts_at.echo.text()
    qtbot.keyClicks(dialog.starts_at.edit, " 9h30")
    assert "9" in dialog.starts_at.echo.text() and "✓" in dialog.starts_at.echo.text()
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    (hearing,) = cases.get_case(ctx.core, case.id).hearings
    assert hearing.room == "Salle 3"
    assert hearing.starts_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == "2026-03-03 09:30"


def test_add_a_hearing_by_saying_tomorrow_2pm(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    create_case(qtbot, window, ctx)
    case = window.case_view.case
    assert case is not None
    window.case_view.set_tab("hearings")
    tab = window.case_view.tab("hearings")
    shortcut(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = open_dialog(qtbot, tab)
    qtbot.keyClicks(dialog.starts_at.edit, "demain 14h")
    tomorrow = (datetime.now(PARIS) + timedelta(days=1)).date()
    assert dialog.starts_at.echo.text().startswith("✓")
    save(qtbot, dialog)
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    (hearing,) = hearings_of(ctx, case.id)
    local = hearing.starts_at.astimezone(PARIS)
    assert (local.date(), local.hour, local.minute) == (tomorrow, 14, 0)
    assert hearing.court == "Tribunal administratif de Marseille"  # the case's court by default
    idle(qtbot, ctx)
    assert "tomorrow" in window.case_view.header.next_hearing.text()


def hearings_of(ctx: AppContext, case_id: object) -> tuple[object, ...]:
    return cases.get_case(ctx.core, case_id).hearings  # type: ignore[arg-type]


def test_undo_and_redo_an_edit_of_the_case(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    create_case(qtbot, window, ctx, "Recours contre la vidéosurveillance")
    case = window.case_view.case
    assert case is not None
    window.case_view.edit_case()
    dialog = open_dialog(qtbot, window.case_view)
    dialog.title_edit.clear()
    type_text(qtbot, dialog.title_edit, "Recours contre la VSA")
    dialog.status.set_value("pending_decision")
    save(qtbot, dialog)
    until(qtbot, lambda: cases.get_case(ctx.core, case.id).title == "Recours contre la VSA")
    idle(qtbot, ctx)
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "Undo Edit case"

    window.case_view.tab_widget.setFocus()  # (in a text field, Ctrl+Z undoes the typing instead)
    shortcut(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    until(qtbot, lambda: cases.get_case(ctx.core, case.id).title == "Recours contre la vidéosurveillance")
    assert cases.get_case(ctx.core, case.id).status == "open"
    idle(qtbot, ctx)
    assert window.case_view.header.title.text() == "Recours contre la vidéosurveillance"

    ctx.undo.redo()
    until(qtbot, lambda: cases.get_case(ctx.core, case.id).status == "pending_decision")
    assert ctx.errors.history == []


def test_undo_deleting_a_hearing_brings_it_back_with_its_notes(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    create_case(qtbot, window, ctx)
    case = window.case_view.case
    assert case is not None
    hearing = hearings.add_hearing(ctx.core, case.id, starts_at="03/03/2026 14h")
    hearings.add_note(ctx.core, hearing.id, "Le rapporteur public conclut au rejet")
    window.case_view.reload()
    window.case_view.set_tab("hearings")
    tab = window.case_view.tab("hearings")
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    tab.table.select_id(hearing.id)
    tab.delete_selected()
    until(qtbot, lambda: tab.table.model.rowCount() == 0)
    assert hearings_of(ctx, case.id) == ()
    ctx.undo.undo()
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    (back,) = hearings_of(ctx, case.id)
    assert back.id == hearing.id
    assert [n.text for n in back.notes] == ["Le rapporteur public conclut au rejet"]
    assert ctx.errors.history == []


def test_the_menus_list_the_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    from ui.main_window import menu_entries

    menus = {menu.title().replace("&", ""): menu for menu in window.menuBar().findChildren(type(window.file_menu))}
    file_entries = dict(menu_entries(menus["File"]))
    assert file_entries["New case…"] == "Ctrl+N"
    case_entries = dict(menu_entries(menus["Case"]))
    assert case_entries["Hearing mode"] == "Ctrl+H"
    assert case_entries["Add files as exhibits…"] == "Ctrl+Shift+E"
    edit_entries = dict(menu_entries(menus["Edit"]))
    assert edit_entries["Edit case…"] == "Ctrl+E"


def test_a_new_case_opens_once_saved_while_another_was_open(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    create_case(qtbot, window, ctx, "Affaire A")
    first = window.case_view.case
    assert first is not None
    window.case_view.set_tab("parties")
    until(qtbot, lambda: window.case_list.model.rowCount() == 1)
    table = window.case_list.view  # case A chosen in the list, as a person does
    window.activateWindow()
    until(qtbot, window.isActiveWindow)
    table.setFocus()
    rect = table.visualRect(window.case_list.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    idle(qtbot, ctx)

    window.case_list.dialog = None
    qtbot.mouseClick(window.case_list.new_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, window.case_list)
    dialog.activateWindow()
    type_text(qtbot, dialog.title_edit, "Affaire B")
    dialog.parent_case.set_value(first.id)  # B follows A (an appeal)
    dialog.relation.set_value("appeal_of")

    def meanwhile(*_args: object) -> None:  # a change to A arrives while B is loading (a colleague, an undo)
        ctx.events.case_open_requested.disconnect(meanwhile)
        ctx.events.broadcast(Changes(frozenset({"party"}), first.id, frozenset({first.id})))

    ctx.events.case_open_requested.connect(meanwhile)
    save(qtbot, dialog)
    window.activateWindow()  # the dialog closed: the window, and its case list, have the focus again
    until(qtbot, lambda: window.case_list.model.rowCount() == 2)
    idle(qtbot, ctx)
    qtbot.wait(50)
    idle(qtbot, ctx)

    case = window.case_view.case
    assert case is not None and case.title == "Affaire B"
    assert window.current_case() is case
    assert window.case_view.header.title.text() == "Affaire B"
    assert window.case_view.tab("parties").case.id == case.id
    assert window.case_list.view.currentIndex().data() == "Affaire B"

    window.case_view.set_tab("parties")
    tab = window.case_view.tab("parties")
    tab.add()
    dialog = open_dialog(qtbot, tab)
    qtbot.keyClicks(dialog.name, "Commune de Nice")
    dialog.role.set_value("respondent")
    save(qtbot, dialog)
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    idle(qtbot, ctx)
    assert [p.name for p in cases.get_case(ctx.core, case.id).parties] == ["Commune de Nice"]
    assert cases.get_case(ctx.core, first.id).parties == ()
    assert window.case_view.case.id == case.id
    assert ctx.errors.history == []
