"""``uv run caseapp`` with no sub-command: build the application, open the case file, show the main window.

The window paints first; the case file (and the database libraries) open on the worker thread right after, and the
screens fill in when it is ready. A case file that cannot be opened is explained in a dialog, never a traceback.
``CASEAPP_SMOKE_QUIT_MS`` makes the application quit by itself after that many milliseconds (packaging smoke tests).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ui.context import location_from, new_context, open_case_file, warm_up_date_parser
from ui.errors import install_excepthook
from ui.i18n import QtTranslations, choose_language
from ui.icons import app_icon
from ui.settings import Settings
from ui.shell import Shell


def _setup_logging() -> None:
    try:
        from platformdirs import user_log_dir

        folder = Path(user_log_dir("CaseApp", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(folder / "caseapp-ui.log", encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("caseapp")
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class _FirstPaint(QObject):
    """Calls back once the window has painted: heavy loading waits until the person sees the window."""

    def __init__(self, window: QWidget, then: Callable[[], object]) -> None:
        super().__init__(window)
        self._then: Callable[[], object] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(500, self._fire)  # in case no paint event reaches the filter (minimised start…)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            then()


def after_first_paint(window: QWidget, then: Callable[[], object]) -> None:
    _FirstPaint(window, then)


def run(argv: list[str]) -> int:
    """Start the desktop application; returns the exit code."""
    _setup_logging()
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("CaseApp")
    app.setOrganizationName("CaseApp")
    app.setApplicationDisplayName("CaseApp")
    app.setDesktopFileName("caseapp")
    app.setWindowIcon(app_icon())
    settings = Settings.open()
    translations = QtTranslations()
    translations.apply(app, choose_language(settings.preferences().language))
    ctx = new_context(settings, location_from(settings, dict(os.environ)), open_now=False)
    install_excepthook(ctx.errors)
    shell = Shell(app, ctx, translations)
    window = shell.start()
    after_first_paint(window, lambda: (open_case_file(ctx), warm_up_date_parser()))
    smoke = os.environ.get("CASEAPP_SMOKE_QUIT_MS")
    if smoke:
        with contextlib.suppress(ValueError):
            QTimer.singleShot(max(0, int(smoke)), app.quit)
    try:
        code = app.exec()
    finally:
        if shell.window is not None:
            shell.window.save_state()
        ctx.close()
    return int(code)
