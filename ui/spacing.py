"""Margins and spacing, in one place so every screen breathes the same way."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout

MARGIN = 12  # around a page or a dialog
SPACING = 8  # between widgets of one group
TIGHT = 4  # inside a compound widget (a field and its echo)
SECTION = 18  # between two groups
BUTTON_SPACING = 6
SIDEBAR_WIDTH = 132
HEARING_FONT_SCALE = 1.6  # the hearing-mode field: readable at arm's length on a laptop
TITLE_FONT_SCALE = 1.35


def page(layout: QLayout) -> QLayout:
    layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
    layout.setSpacing(SPACING)
    return layout


def tight(layout: QLayout) -> QLayout:
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(TIGHT)
    return layout


def flush(layout: QLayout, spacing: int = SPACING) -> QLayout:
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    return layout
