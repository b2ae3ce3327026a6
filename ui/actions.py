"""Making actions the same way everywhere: translated text, themed icon, shortcut from ui.shortcuts, tooltip."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from ui.icons import icon as themed_icon
from ui.shortcuts import keys


def make_action(
    parent: QObject,
    text: str,
    slot: Callable[[], object],
    *,
    icon: str | None = None,
    shortcut: str | None = None,
    tip: str | None = None,
    name: str | None = None,
) -> QAction:
    action = QAction(text, parent)
    if icon:
        action.setIcon(themed_icon(icon))
    if shortcut:
        bindings = [k for k in keys(shortcut) if not k.isEmpty()]
        if bindings:
            action.setShortcuts(bindings)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.setObjectName(name or (shortcut or text))
    action.triggered.connect(lambda _checked=False: slot())
    return action
