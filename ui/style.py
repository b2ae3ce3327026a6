"""The few colours the interface needs, derived from the system palette so light and dark themes both read well."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_colour(palette: QPalette) -> QColor:
    """A red that keeps its contrast on the palette's window colour."""
    return QColor.fromHsl(3, 200, 170 if is_dark(palette) else 95)


def muted_colour(palette: QPalette) -> QColor:
    """Secondary text: the text colour moved a third of the way towards the background (readable in both themes)."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mix = 0.38
    return QColor(
        round(text.red() + (back.red() - text.red()) * mix),
        round(text.green() + (back.green() - text.green()) * mix),
        round(text.blue() + (back.blue() - text.blue()) * mix),
    )


def _base() -> QPalette:
    """The application's palette (the system's light or dark one), not a label's already-tinted copy."""
    return QPalette(QGuiApplication.palette())


def set_error_style(label: QLabel) -> None:
    palette = _base()
    palette.setColor(QPalette.ColorRole.WindowText, error_colour(palette))
    label.setPalette(palette)


def set_muted_style(label: QLabel) -> None:
    palette = _base()
    palette.setColor(QPalette.ColorRole.WindowText, muted_colour(palette))
    label.setPalette(palette)


def reset_style(label: QLabel) -> None:
    label.setPalette(QPalette())


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def small_font(widget: QWidget) -> QFont:
    return scaled_font(widget, 0.9)
