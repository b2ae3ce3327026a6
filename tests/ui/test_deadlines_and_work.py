"""A decision's notification brings its deadline; moving a computed deadline needs a reason; long work shows a
progress dialog with Cancel only when slow; errors reach people as sentences with details on demand."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from caseapp.errors import Cancelled, StorageError
from caseapp.services import cases
from tests.ui.conftest import gone, idle, open_dialog, type_text, until
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.progress import Progress


def save(qtbot: QtBot, dialog: Any) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_a_notified_judgment_brings_its_appeal_deadline_which_moves_only_with_a_reason(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Recours contre l'arrêté", court="Tribunal administratif de Marseille",
                             procedure="exces_de_pouvoir")  # fmt: skip
    window.open_case(case.id, "filings")
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case.id)
    filings = window.case_view.tab("filings")
    filings.add()
    dialog = open_dialog(qtbot, filings)
    dialog.kind.set_value("jugement")
    assert dialog.notified_on.isVisibleTo(dialog) and not dialog.received_on.isVisibleTo(dialog)  # fields of the kind
    qtbot.keyClicks(dialog.filed_on.edit, "02/03/2026")
    qtbot.keyClicks(dialog.notified_on.edit, "05/03/2026")
    dialog.outcome.set_value("rejected")
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    until(qtbot, lambda: any(d.rule_id for d in cases.get_case(ctx.core, case.id).deadlines))
    idle(qtbot, ctx)
    deadline = next(d for d in cases.get_case(ctx.core, case.id).deadlines if d.rule_id)
    tab = window.case_view.tab("deadlines")
    until(qtbot, lambda: tab.table.model.row_of(deadline.id) >= 0)
    tab.table.select_id(deadline.id)
    assert not tab.delete_action.isEnabled()  # a computed deadline follows its event

    tab.edit(deadline)
    dialog = open_dialog(qtbot, tab)
    dialog.due_on.edit.clear()
    qtbot.keyClicks(dialog.due_on.edit, "15/06/2026")
    save(qtbot, dialog)
    qtbot.wait(50)
    assert "reason" in dialog.field_error("override_reason")
    assert dialog.due_on.text() == "15/06/2026"
    type_text(qtbot, dialog.reason, "Ordonnance du président prorogeant le délai")
    save(qtbot, dialog)
    until(qtbot, lambda: gone(dialog))
    moved = next(d for d in cases.get_case(ctx.core, case.id).deadlines if d.id == deadline.id)
    assert moved.due_on == date(2026, 6, 15)
    assert moved.override_reason == "Ordonnance du président prorogeant le délai"
    assert moved.computed_due_on == deadline.due_on
    idle(qtbot, ctx)
    ctx.undo.undo()  # back to the computed date
    until(qtbot, lambda: next(d for d in cases.get_case(ctx.core, case.id).deadlines if d.id == deadline.id).due_on
          == deadline.due_on)  # fmt: skip
    assert ctx.errors.history == []


def test_slow_work_shows_progress_with_cancel_and_cancelling_is_quiet(qtbot: QtBot, ctx: AppContext) -> None:
    progress = Progress("Copying a large file…")
    results: list[object] = []

    def slow(_core: Any) -> str:
        for step in range(200):
            if progress.cancelled():
                raise Cancelled()
            progress(step, 200)
            time.sleep(0.02)
        return "done"

    ctx.tasks.run(slow, on_success=results.append, progress=progress)
    qtbot.wait(300)
    assert QApplication.activeModalWidget() is None  # quick work never flashes a dialog
    until(qtbot, lambda: any(w.objectName() == "progress_dialog" and w.isVisible()
                             for w in QApplication.topLevelWidgets()))  # fmt: skip
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "progress_dialog")
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: ctx.tasks.idle)
    assert results == []
    assert ctx.errors.history == []  # Cancelled is swallowed
    assert progress.cancelled()


def error_box(containing: str) -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == "error_box" and containing in widget.text():
            return widget
    return None


def test_errors_are_sentences_with_details_on_demand(qtbot: QtBot, ctx: AppContext) -> None:
    def broken(_core: Any) -> None:
        raise StorageError("The disk could not be written: nothing was saved (disk full).", detail="errno 28")

    ctx.tasks.run(broken)
    until(qtbot, lambda: error_box("disk"))
    box = error_box("disk")
    assert box is not None
    assert box.text() == "The disk could not be written: nothing was saved (disk full)."
    assert "errno 28" in box.detailedText() and "Traceback" in box.detailedText()
    box.close()

    def bug(_core: Any) -> None:
        raise ZeroDivisionError("division by zero")

    ctx.tasks.run(bug)
    until(qtbot, lambda: error_box("unexpected"))
    box = error_box("unexpected")
    assert box is not None
    assert "ZeroDivisionError" in box.detailedText()
    box.close()


def test_the_case_list_loads_a_page_at_a_time_in_the_window(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    for number in range(230):
        cases.create_case(ctx.core, title=f"Affaire n° {number:03d}", court="Conseil d'État")
    window.show_page("cases")
    window.case_list.model.reload()
    until(qtbot, lambda: window.case_list.model.rowCount() == 200)
    idle(qtbot, ctx)
    assert window.case_list.model.rowCount() == 200
    assert "scroll for more" in window.case_list.count.text()
    window.case_list.view.scrollToBottom()
    until(qtbot, lambda: window.case_list.model.rowCount() == 230)
    window.case_list.filter_edit.setText("n° 012")
    until(qtbot, lambda: window.case_list.model.rowCount() == 1)
    assert window.case_list.model.record(0).title == "Affaire n° 012"


def test_the_last_resort_hook_logs_and_shows_what_nobody_caught(
    qtbot: QtBot, ctx: AppContext, monkeypatch: Any
) -> None:
    import sys

    from ui.errors import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(ctx.errors)
    try:
        raise KeyError("a bug in a slot")
    except KeyError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert isinstance(ctx.errors.history[-1], KeyError)
    until(qtbot, lambda: error_box("unexpected"))
    box = error_box("unexpected")
    assert box is not None
    box.close()
