"""Fixtures for the interface tests: a fresh data folder, an AppContext on it, the real main window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from caseapp.i18n import set_language
from ui.context import AppContext, Location, new_context
from ui.i18n import QtTranslations
from ui.main_window import MainWindow
from ui.prompts import Prompts
from ui.settings import Settings
from ui.shell import Shell

WAIT_MS = 15_000


class FakePrompts(Prompts):
    """Answers at once: confirms, records what it was told, hands out the files a test chose."""

    def __init__(self) -> None:
        self.confirmations: list[str] = []
        self.messages: list[str] = []
        self.files: list[Path] = []
        self.folder: Path | None = None
        self.answer = True
        self.save_path: Path | None = None  # where "Save as…" writes (None: cancelled)
        self.open_path: Path | None = None  # the file "Open…" picks (None: cancelled)
        self.passphrases: list[str | None] = []  # answers to the passphrase questions, in order
        self.conflict_answer = ""  # RELOAD, OVERWRITE or "" (closed)
        self.conflicts: list[str] = []  # the conflict questions asked

    def confirm(self, parent: QWidget | None, title: str, text: str, *, action: str | None = None) -> bool:
        self.confirmations.append(text)
        return self.answer

    def inform(self, parent: QWidget | None, title: str, text: str, details: str | None = None) -> None:
        self.messages.append(text)

    def open_files(self, parent: QWidget | None, title: str) -> list[Path]:
        return list(self.files)

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> Path | None:
        return self.folder

    def open_file(self, parent: QWidget | None, title: str, name_filter: str = "", *, start: str = "") -> Path | None:
        return self.open_path

    def save_file(self, parent: QWidget | None, title: str, suggested: Path, name_filter: str = "") -> Path | None:
        return self.save_path

    def passphrase(self, parent: QWidget | None, title: str, text: str, *, confirm: bool = False) -> str | None:
        self.messages.append(text)
        return self.passphrases.pop(0) if self.passphrases else None

    def settle_conflict(self, parent: QWidget | None, title: str, text: str, *, deleting: bool) -> str:
        self.conflicts.append(text)
        return self.conflict_answer


@pytest.fixture
def ctx(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> Iterator[AppContext]:
    set_language("en")
    settings = Settings.open(tmp_path / "ui-settings.ini")
    context = new_context(settings, Location(data_dir, None, "Tester"), prompts=FakePrompts())
    qtbot.waitUntil(lambda: context.tasks.ready, timeout=WAIT_MS)
    yield context
    context.close()
    set_language("en")


@pytest.fixture
def prompts(ctx: AppContext) -> FakePrompts:
    assert isinstance(ctx.prompts, FakePrompts)
    return ctx.prompts


@pytest.fixture
def shell(qtbot: QtBot, ctx: AppContext) -> Iterator[Shell]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    the_shell = Shell(app, ctx, QtTranslations())
    the_shell.quit = lambda: None  # type: ignore[method-assign]
    the_shell.start()
    yield the_shell
    if the_shell.window is not None:
        the_shell.window.close()
        the_shell.window.deleteLater()
    QtTranslations().apply(app, "en")


@pytest.fixture
def window(qtbot: QtBot, shell: Shell, ctx: AppContext) -> MainWindow:
    assert shell.window is not None
    idle(qtbot, ctx)
    return shell.window


def idle(qtbot: QtBot, ctx: AppContext) -> None:
    """Wait until the database worker has finished and every result reached the screen."""
    qtbot.waitUntil(lambda: ctx.tasks.idle, timeout=WAIT_MS)
    qtbot.wait(1)
    qtbot.waitUntil(lambda: ctx.tasks.idle, timeout=WAIT_MS)


def until(qtbot: QtBot, condition: Callable[[], Any], timeout: int = WAIT_MS) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def open_dialog(qtbot: QtBot, owner: Any) -> Any:
    """The dialog a tab or panel just opened (dialogs open without blocking)."""
    until(qtbot, lambda: owner.dialog is not None and owner.dialog.isVisible())
    return owner.dialog


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a person, accents included (QTest's key clicks only know ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def gone(widget: QWidget) -> bool:
    """Closed (and maybe already deleted: dialogs delete themselves once finished)."""
    import shiboken6

    return not shiboken6.isValid(widget) or not widget.isVisible()


def shortcut(qtbot: QtBot, window: QWidget, key: Any, modifiers: Any = None) -> None:
    """Press a key combination in an active window, the way shortcuts reach their actions."""
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifiers if modifiers is not None else Qt.KeyboardModifier.NoModifier)
