"""The keyboard, as a lawyer uses it: the arrow keys walk the search results from the search box and Enter opens
the one chosen; Ctrl+E edits the case even from the filter box; a dialog closed with the keyboard gives the focus
back to what opened it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from caseapp.services import cases
from tests.ui.conftest import gone, idle, open_dialog, shortcut, type_text, until
from ui.context import AppContext
from ui.main_window import MainWindow


def test_arrow_keys_walk_the_results_from_the_search_box_and_enter_opens(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    titles = ["Référé-liberté — drones", "Référé-suspension — VSA", "Référé mesures utiles — CADA"]
    for title in titles:
        cases.create_case(ctx.core, title=title)
    window.find()
    type_text(qtbot, window.search.field, "refere")
    until(qtbot, lambda: window.search.answered and window.search.results.model.rowCount() == 3)
    view = window.search.results.view
    assert view.currentIndex().row() == 0
    qtbot.keyClick(window.search.field, Qt.Key.Key_Down)
    qtbot.keyClick(window.search.field, Qt.Key.Key_Down)
    qtbot.keyClick(window.search.field, Qt.Key.Key_Down)  # stays on the last one
    assert view.currentIndex().row() == 2
    qtbot.keyClick(window.search.field, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 1
    chosen = window.search.results.selected()
    assert chosen is not None
    assert window.search.field.text() == "refere"  # the text did not move: the keys went to the results
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == chosen.case_id)
    assert window.current_page() == "cases"


def test_ctrl_e_edits_the_case_from_the_filter_box_and_esc_gives_the_focus_back(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Vidéosurveillance automatisée")
    window.open_case(case.id)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case.id)
    idle(qtbot, ctx)
    window.activateWindow()
    until(qtbot, window.isActiveWindow)
    window.case_list.filter_edit.setFocus()
    until(qtbot, window.case_list.filter_edit.hasFocus)
    shortcut(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(qtbot, window.case_view)
    assert dialog.title_edit.text() == "Vidéosurveillance automatisée"
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    until(qtbot, lambda: gone(dialog))
    until(qtbot, lambda: QApplication.focusWidget() is window.case_list.filter_edit)
