"""Every keyboard shortcut of the application, in one table. Menus show them next to their actions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence

StandardKey = QKeySequence.StandardKey

# action id -> the key sequence (a standard key where the platform has one, so it feels native)
KEYS: dict[str, QKeySequence | StandardKey] = {
    "new_case": QKeySequence("Ctrl+N"),
    "load_demo": QKeySequence(),
    "settings": StandardKey.Preferences,
    "quit": StandardKey.Quit,
    "undo": StandardKey.Undo,
    "redo": StandardKey.Redo,
    "edit_case": QKeySequence("Ctrl+E"),
    "delete_case": QKeySequence("Ctrl+Shift+Del"),
    "show_agenda": QKeySequence("Ctrl+1"),
    "show_cases": QKeySequence("Ctrl+2"),
    "show_search": QKeySequence("Ctrl+3"),
    "find": StandardKey.Find,
    "refresh": StandardKey.Refresh,
    "add_party": QKeySequence("Ctrl+Shift+P"),
    "add_filing": QKeySequence("Ctrl+Shift+F"),
    "add_hearing": QKeySequence("Ctrl+Shift+A"),
    "add_deadline": QKeySequence("Ctrl+Shift+D"),
    "add_evidence": QKeySequence("Ctrl+Shift+E"),
    "hearing_mode": QKeySequence("Ctrl+H"),
    "verify_evidence": QKeySequence("Ctrl+Shift+V"),
    "about": QKeySequence(),
    # documents and bundles
    "case_summary": StandardKey.Print,
    "bordereau": QKeySequence("Ctrl+Shift+L"),
    "telerecours": QKeySequence("Ctrl+Shift+T"),
    "hearing_sheet": QKeySequence("Ctrl+Shift+H"),
    "export_bundle": QKeySequence("Ctrl+Shift+B"),
    "import_bundle": QKeySequence("Ctrl+Shift+I"),
    # the print preview
    "print": StandardKey.Print,
    "save_pdf": StandardKey.Save,
    "open_viewer": QKeySequence("Ctrl+Shift+O"),
    "zoom_in": StandardKey.ZoomIn,
    "zoom_out": StandardKey.ZoomOut,
    "fit_width": QKeySequence("Ctrl+0"),
    # inside a table
    "add_record": QKeySequence("Ins"),
    "edit_record": QKeySequence("F2"),
    "delete_record": StandardKey.Delete,
    "move_up": QKeySequence("Alt+Up"),
    "move_down": QKeySequence("Alt+Down"),
    "open_file": QKeySequence("Ctrl+O"),
    # hearing mode
    "to_deadline": QKeySequence("Ctrl+D"),
    "to_next_hearing": QKeySequence("Ctrl+Shift+N"),
    "take_said_date": QKeySequence("Ctrl+Return"),
    "close_window": StandardKey.Close,
}


def key(action_id: str) -> QKeySequence:
    return keys(action_id)[0]


# where a platform has no binding for a standard key (Preferences on most Linux desktops), this one is used
FALLBACKS: dict[str, QKeySequence] = {
    "settings": QKeySequence("Ctrl+,"),
    "case_summary": QKeySequence("Ctrl+P"),
    "print": QKeySequence("Ctrl+P"),
    "save_pdf": QKeySequence("Ctrl+S"),
    "zoom_in": QKeySequence("Ctrl++"),
    "zoom_out": QKeySequence("Ctrl+-"),
}


def keys(action_id: str) -> list[QKeySequence]:
    """All bindings of an action (a standard key may have several on one platform)."""
    value = KEYS[action_id]
    if isinstance(value, QKeySequence):
        return [value]
    bindings = [k for k in QKeySequence.keyBindings(value) if not k.isEmpty()]
    return bindings or [FALLBACKS.get(action_id, QKeySequence())]


class _LetThrough(QObject):
    """Lets the window's shortcuts through a text field that would keep their keys for itself."""

    def __init__(self, parent: QObject, action_ids: tuple[str, ...]) -> None:
        super().__init__(parent)
        self.sequences = [seq for action_id in action_ids for seq in keys(action_id) if not seq.isEmpty()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch for s in self.sequences):
                event.ignore()  # not the field's: the window's action takes it
                return True
        return False


def let_through(field: QObject, *action_ids: str) -> None:
    """A text field gives these actions' keys to the window: Ctrl+E edits the case even from the filter box, where
    Linux text fields otherwise take it as "end of line"."""
    field.installEventFilter(_LetThrough(field, action_ids))
