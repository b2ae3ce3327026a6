"""Backups from the window: the daily backup when the window opens the case file, File › Back up now, File ›
Restore a backup…, and a damaged case file restored from its newest good backup in one click."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from caseapp.casefile.core import open_core
from caseapp.services import cases, hearings
from tests.ui.conftest import WAIT_MS, FakePrompts, idle, until
from ui.context import AppContext, Location, new_context
from ui.i18n import QtTranslations
from ui.settings import Settings
from ui.shell import Shell


def _seed(folder: Path) -> None:
    core = open_core(data_dir=folder, author="Tester")
    try:
        case = cases.create_case(core, title="Lycées", court="TA de Marseille")
        hearing = hearings.add_hearing(core, case.id, starts_at=datetime(2026, 12, 8, 13, 30, tzinfo=UTC))
        hearings.add_note(core, hearing.id, "Avant la sauvegarde")
    finally:
        core.close()


def _context(folder: Path, tmp_path: Path) -> AppContext:
    return new_context(Settings.open(tmp_path / "ui.ini"), Location(folder, None, "Tester"), prompts=FakePrompts())


def _notes(ctx: AppContext) -> list[str]:
    core = ctx.core
    (row,) = cases.list_cases(core)
    return [n.text for h in cases.get_case(core, row.id).hearings for n in h.notes]


def test_the_window_takes_the_daily_backup(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    _seed(folder)
    assert not list((folder / "backups").glob("daily-*.sqlite3"))
    ctx = _context(folder, tmp_path)
    try:
        qtbot.waitUntil(lambda: ctx.tasks.ready, timeout=WAIT_MS)
        assert len(list((folder / "backups").glob("daily-*.sqlite3"))) == 1
    finally:
        ctx.close()


def test_back_up_now_then_restore_from_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    _seed(folder)
    ctx = _context(folder, tmp_path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shell = Shell(app, ctx, QtTranslations())
    shell.quit = lambda: None  # type: ignore[method-assign]
    window = shell.start()
    try:
        idle(qtbot, ctx)
        window.safekeeping.back_up()
        until(qtbot, lambda: "Backup written" in window.statusBar().currentMessage())
        manual = [p for p in (folder / "backups").glob("caseapp-*.sqlite3")]
        assert len(manual) == 1
        (case,) = cases.list_cases(ctx.core)
        (hearing,) = cases.get_case(ctx.core, case.id).hearings
        hearings.add_note(ctx.core, hearing.id, "Après la sauvegarde")
        dialog = window.safekeeping.choose_backup()
        rows = [dialog.list.item(i).data(256) for i in range(dialog.list.count())]
        assert str(manual[0]) in rows
        dialog.list.setCurrentRow(rows.index(str(manual[0])))
        dialog.accept()
        prompts = ctx.prompts
        assert isinstance(prompts, FakePrompts)
        until(qtbot, lambda: any("was kept as" in m for m in prompts.messages))
        idle(qtbot, ctx)
        assert _notes(ctx) == ["Avant la sauvegarde"]
        assert list(folder.glob("caseapp.sqlite3.replaced-*"))  # the replaced file is kept
    finally:
        window.close()
        ctx.close()


def test_a_damaged_case_file_is_restored_from_the_window(qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "data"
    _seed(folder)
    core = open_core(data_dir=folder, author="Tester", daily_backup=True)
    core.close()
    database = folder / "caseapp.sqlite3"
    raw = bytearray(database.read_bytes())
    raw[:100] = bytes(100)
    database.write_bytes(bytes(raw))

    answered: list[str] = []

    def exec_(box: QMessageBox) -> int:
        answered.append(box.text())
        restore = next(b for b in box.buttons() if b.text() == "Restore this backup")
        box.setProperty("clicked", True)
        monkeypatch.setattr(box, "clickedButton", lambda: restore)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    ctx = _context(folder, tmp_path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shell = Shell(app, ctx, QtTranslations())
    shell.quit = lambda: None  # type: ignore[method-assign]
    window = shell.start()
    try:
        until(qtbot, lambda: ctx.tasks.ready)
        idle(qtbot, ctx)
        assert answered and "damaged" in answered[0] and "caseapp restore" in answered[0]
        assert _notes(ctx) == ["Avant la sauvegarde"]
        assert list(folder.glob("caseapp.sqlite3.replaced-*"))
    finally:
        window.close()
        ctx.close()
