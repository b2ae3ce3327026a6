"""Doing something right after a window first appears on screen.

Start-up is in two stages: what the first frame shows is built before it (the main window, its sidebar, menus and
status line), and everything else — the page's tables, the case file, the socket for other CaseApps — right after,
so a person sees the window as soon as a bare Qt window would appear. ``after_first_paint`` is the hinge.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 500  # no paint event reaches the filter (a minimised start, a window manager that withholds it…)


class _FirstPaint(QObject):
    """Calls back once, on the next turn of the event loop after the window's first paint."""

    def __init__(self, window: QWidget, then: Callable[[], object]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], object] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._then is not None and event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            self._window.removeEventFilter(self)  # no Python call for every later event of the window
            then()


def after_first_paint(window: QWidget, then: Callable[[], object]) -> None:
    _FirstPaint(window, then)
