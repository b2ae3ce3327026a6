"""Every icon of the application, in one place.

Icons are line drawings in ``resources/icons/*.svg`` drawn with ``currentColor`` (the few drawn for documents,
bundles and keys are inline below, in the same style). An icon engine paints them with
the colour of the current palette at paint time, so they follow the system's light or dark theme (and grey out
when disabled) without one hard-coded colour.
"""

from __future__ import annotations

from functools import cache, lru_cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from caseapp.services.environment import resource_path

NAMES = (
    "about", "access", "add", "agenda", "cases", "chronology", "deadline", "delete", "demo", "down", "edit", "error",
    "evidence", "filing", "hearing", "history", "link", "note", "ok", "open", "opinion", "overview", "party", "quit",
    "redo", "refresh", "renumber", "search", "settings", "step", "undo", "unlink", "up", "verify", "warning",
    "print", "save", "zoom_in", "zoom_out", "fit", "bundle_export", "bundle_import", "key", "copy", "document",
)  # fmt: skip

_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
    'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{}</svg>'
)
INLINE = {
    "print": '<path d="M7 9V3h10v6"/><rect x="3" y="9" width="18" height="8" rx="1"/><path d="M7 14h10v7H7z"/>',
    "save": '<path d="M5 3h11l3 3v15H5z"/><path d="M8 3v5h7V3M8 21v-7h8v7"/>',
    "zoom_in": '<circle cx="10.5" cy="10.5" r="6"/><path d="M15 15l5.5 5.5M8 10.5h5M10.5 8v5"/>',
    "zoom_out": '<circle cx="10.5" cy="10.5" r="6"/><path d="M15 15l5.5 5.5M8 10.5h5"/>',
    "fit": '<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/>',
    "bundle_export": '<path d="M4 8l8-4 8 4v8l-8 4-8-4z"/><path d="M12 8v8M9 11l3-3 3 3"/>',
    "bundle_import": '<path d="M4 8l8-4 8 4v8l-8 4-8-4z"/><path d="M12 8v8M9 13l3 3 3-3"/>',
    "key": '<circle cx="8" cy="14" r="4"/><path d="M11 11l9-9M16 6l3 3M14 8l2 2"/>',
    "copy": '<rect x="9" y="9" width="11" height="11" rx="1"/><path d="M5 15H4V4h11v1"/>',
    "document": '<path d="M6 3h9l4 4v14H6z"/><path d="M15 3v4h4M9 12h7M9 16h7"/>',
}


@cache
def _template(name: str) -> str:
    if name in INLINE:
        return _SVG.format(INLINE[name])
    return resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    """The parsed drawing of an icon in one colour, kept: icons repaint often (every hover of a list)."""
    return QSvgRenderer(QByteArray(_template(name).replace("currentColor", colour).encode("utf-8")))


@lru_cache(maxsize=1024)
def _image(name: str, colour: str, width: int, height: int, ratio: float) -> QPixmap:
    """An icon drawn once per name, colour, size and screen density: a table repaints its icons on every scroll
    and hover, and drawing a pixmap is much cheaper than drawing the SVG again."""
    pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    _renderer(name, colour).render(painter, QRectF(0, 0, width, height))
    painter.end()
    return pixmap


_colours: dict[QIcon.Mode, str] = {}  # the palette's colour for each mode, until the palette changes


def _colour(mode: QIcon.Mode) -> str:
    colour = _colours.get(mode)
    if colour is not None:
        return colour
    if not _colours:  # first use, or the palette changed: hear of the next change
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and not getattr(app, "_caseapp_icons_follow", False):
            app.paletteChanged.connect(lambda _palette: _colours.clear())
            app._caseapp_icons_follow = True  # type: ignore[attr-defined]
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        colour = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    elif mode == QIcon.Mode.Selected:
        colour = palette.color(QPalette.ColorRole.HighlightedText).name()
    else:
        colour = palette.color(QPalette.ColorRole.WindowText).name()
    _colours[mode] = colour
    return colour


class PaletteIconEngine(QIconEngine):
    """Paints a ``currentColor`` SVG in the palette's text colour of the moment."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(rect, _image(self._name, _colour(mode), rect.width(), rect.height(), ratio))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return QPixmap(_image(self._name, _colour(mode), size.width(), size.height(), 1.0))

    def clone(self) -> QIconEngine:
        return PaletteIconEngine(self._name)


def icon(name: str) -> QIcon:
    """A themed icon by name (see ``NAMES``)."""
    return QIcon(_icon(name))


@cache
def _icon(name: str) -> QIcon:
    if name not in NAMES:
        raise KeyError(name)
    return QIcon(PaletteIconEngine(name))


def app_icon() -> QIcon:
    """The application's own (coloured) icon, for the window and the About box."""
    return QIcon(str(resource_path("icons", "caseapp.svg")))
