"""Every icon of the application, in one place.

Icons are line drawings in ``resources/icons/*.svg`` drawn with ``currentColor``. An icon engine paints them with
the colour of the current palette at paint time, so they follow the system's light or dark theme (and grey out
when disabled) without one hard-coded colour.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from caseapp.resources import resource_path

NAMES = (
    "about", "access", "add", "agenda", "cases", "deadline", "delete", "demo", "down", "edit", "error", "evidence",
    "filing", "hearing", "history", "link", "note", "ok", "open", "opinion", "overview", "party", "quit", "redo",
    "refresh", "renumber", "search", "settings", "step", "undo", "unlink", "up", "verify", "warning",
)  # fmt: skip


@cache
def _template(name: str) -> str:
    return resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")


def _colour(mode: QIcon.Mode) -> str:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorRole.HighlightedText).name()
    return palette.color(QPalette.ColorRole.WindowText).name()


class PaletteIconEngine(QIconEngine):
    """Paints a ``currentColor`` SVG in the palette's text colour of the moment."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        svg = _template(self._name).replace("currentColor", _colour(mode))
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        renderer.render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return PaletteIconEngine(self._name)


def icon(name: str) -> QIcon:
    """A themed icon by name (see ``NAMES``)."""
    if name not in NAMES:
        raise KeyError(name)
    return QIcon(PaletteIconEngine(name))


def app_icon() -> QIcon:
    """The application's own (coloured) icon, for the window and the About box."""
    return QIcon(str(resource_path("icons", "caseapp.svg")))
