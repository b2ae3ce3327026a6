"""Evidence: files dropped on a case are hashed, copied and numbered; reordering renumbers; a file changed in the
store is reported plainly by Verify."""

from __future__ import annotations

import stat
import uuid
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from caseapp.services import cases, evidence
from tests.ui.conftest import FakePrompts, idle, until
from ui.context import AppContext
from ui.main_window import MainWindow


def drop_files(widget: object, paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(widget, enter)  # type: ignore[arg-type]
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(widget, drop)  # type: ignore[arg-type]
    return drop


def open_new_case(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> uuid.UUID:
    case = cases.create_case(
        ctx.core, title="Vidéosurveillance automatisée", court="Tribunal administratif de Marseille"
    )
    window.open_case(case.id)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case.id)
    idle(qtbot, ctx)
    return case.id


def two_files(tmp_path: Path) -> list[Path]:
    first = tmp_path / "deliberation-conseil-municipal.txt"
    first.write_text("Délibération du conseil municipal — vidéosurveillance automatisée\n" * 200, encoding="utf-8")
    second = tmp_path / "courrier-cada.txt"
    second.write_text("Demande de communication de documents administratifs\n", encoding="utf-8")
    return [first, second]


def test_dropped_files_become_numbered_exhibits(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    case_id = open_new_case(qtbot, window, ctx)
    paths = two_files(tmp_path)
    drop = drop_files(window.case_view, paths)
    assert drop.isAccepted()
    tab = window.case_view.tab("evidence")
    until(qtbot, lambda: tab.table.model.rowCount() == 2)
    assert window.case_view.current_tab() == "evidence"
    items = evidence.list_evidence(ctx.core, case_id)
    assert [(e.number, e.file.original_name if e.file else None) for e in items] == [
        (1, "deliberation-conseil-municipal.txt"),
        (2, "courrier-cada.txt"),
    ]
    assert [tab.table.model.index(r, 0).data() for r in range(2)] == ["1", "2"]
    assert tab.table.model.index(0, 4).data() == "deliberation-conseil-municipal.txt"
    assert ctx.errors.history == []

    # move the second one up: it becomes n° 1
    tab.table.select_id(items[1].id)
    tab.move(-1)
    until(qtbot, lambda: [e.id for e in evidence.list_evidence(ctx.core, case_id)] == [items[1].id, items[0].id])
    assert [e.number for e in evidence.list_evidence(ctx.core, case_id)] == [1, 2]
    # and undo puts the old order back
    idle(qtbot, ctx)
    ctx.undo.undo()
    until(qtbot, lambda: [e.id for e in evidence.list_evidence(ctx.core, case_id)] == [items[0].id, items[1].id])


def test_undo_the_intake_removes_both_exhibits_and_redo_brings_them_back(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    case_id = open_new_case(qtbot, window, ctx)
    drop_files(window.case_view, two_files(tmp_path))
    until(qtbot, lambda: len(evidence.list_evidence(ctx.core, case_id)) == 2)
    idle(qtbot, ctx)
    ctx.undo.undo()
    until(qtbot, lambda: evidence.list_evidence(ctx.core, case_id) == [])
    idle(qtbot, ctx)
    ctx.undo.redo()
    idle(qtbot, ctx)
    restored = evidence.list_evidence(ctx.core, case_id)
    assert [e.file.original_name if e.file else None for e in restored] == [
        "deliberation-conseil-municipal.txt",
        "courrier-cada.txt",
    ]
    assert ctx.errors.history == []


def test_verify_shows_a_tampered_file_plainly(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    case_id = open_new_case(qtbot, window, ctx)
    prompts = ctx.prompts
    assert isinstance(prompts, FakePrompts)
    prompts.files = two_files(tmp_path)
    tab = window.case_view.tab("evidence")
    tab.pick_files()  # the "Add files…" way
    until(qtbot, lambda: tab.table.model.rowCount() == 2)
    idle(qtbot, ctx)
    tab.verify()
    until(qtbot, lambda: tab.verify_box is not None and tab.verify_box.isVisible())
    assert "exactly as they were" in tab.verify_box.text()
    tab.verify_box.close()

    second = evidence.list_evidence(ctx.core, case_id)[1]
    stored = evidence.file_path(ctx.core, second.id)
    assert stored is not None
    stored.chmod(stored.stat().st_mode | stat.S_IWUSR)
    stored.write_text("Demande de communication — modifiée après coup\n", encoding="utf-8")
    tab.verify_box = None
    tab.verify()
    until(qtbot, lambda: tab.verify_box is not None and tab.verify_box.isVisible())
    text = tab.verify_box.text()
    assert "1 of 2 files no longer match" in text
    assert "Exhibit n° 2" in text and "has changed" in text
    row = tab.table.model.row_of(second.id)
    assert tab.table.model.index(row, 6).data() == "CHANGED"
    assert tab.table.model.index(0 if row else 1, 6).data() == "intact"


def test_open_gives_a_read_only_copy_of_the_stored_file(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path, monkeypatch: object
) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)  # type: ignore[attr-defined]
    case_id = open_new_case(qtbot, window, ctx)
    drop_files(window.case_view, two_files(tmp_path)[:1])
    tab = window.case_view.tab("evidence")
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    item = evidence.list_evidence(ctx.core, case_id)[0]
    tab.table.select_id(item.id)
    tab.open_selected()
    until(qtbot, lambda: opened)
    copy = Path(opened[0])
    assert copy.name == "deliberation-conseil-municipal.txt"
    assert copy.read_bytes() == (tmp_path / "deliberation-conseil-municipal.txt").read_bytes()
    assert not copy.stat().st_mode & stat.S_IWUSR
    assert copy != evidence.file_path(ctx.core, item.id)


def test_an_empty_file_or_one_already_in_the_case_is_asked_about(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path
) -> None:
    case_id = open_new_case(qtbot, window, ctx)
    tab = window.case_view.tab("evidence")
    letter, empty = tmp_path / "courrier-cada.txt", tmp_path / "scan-rate.pdf"
    letter.write_text("Demande de communication de documents administratifs\n", encoding="utf-8")
    empty.write_bytes(b"")
    prompts.answer = False  # "Cancel": leave it out
    drop_files(window.case_view, [letter, empty])
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    until(qtbot, lambda: prompts.confirmations)
    assert "scan-rate.pdf: the file is empty (0 bytes)" in prompts.confirmations[-1]
    idle(qtbot, ctx)
    assert [e.title for e in cases.get_case(ctx.core, case_id).evidence] == ["courrier-cada"]
    # a fresh exhibit was hashed as it came in: it says so, not "not checked"
    model = tab.table.model
    shown = [str(model.index(0, column).data()) for column in range(model.columnCount())]
    assert "checked at intake" in shown

    prompts.answer = True  # the same letter again, kept knowingly
    copy = tmp_path / "courrier-cada (copie).txt"
    copy.write_bytes(letter.read_bytes())
    drop_files(window.case_view, [copy])
    until(qtbot, lambda: len(prompts.confirmations) == 2)
    assert "already holds this file, as exhibit n° 1 — courrier-cada" in prompts.confirmations[-1]
    until(qtbot, lambda: tab.table.model.rowCount() == 2)
    idle(qtbot, ctx)
    assert ctx.errors.history == []
