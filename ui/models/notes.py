"""Hearing notes as a list: time, then what was said."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from caseapp.services.views import NoteView
from ui.formatting import short_datetime, short_time
from ui.models import ID_ROLE, RECORD_ROLE

Index = QModelIndex | QPersistentModelIndex


class NotesModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None, *, with_day: bool = False) -> None:
        super().__init__(parent)
        self._notes: list[NoteView] = []
        self._with_day = with_day

    def set_notes(self, notes: list[NoteView] | tuple[NoteView, ...]) -> None:
        self.beginResetModel()
        self._notes = sorted(notes, key=lambda n: n.at)
        self.endResetModel()

    def append(self, note: NoteView) -> None:
        if any(n.id == note.id for n in self._notes):
            return
        row = len(self._notes)
        self.beginInsertRows(QModelIndex(), row, row)
        self._notes.append(note)
        self.endInsertRows()

    def remove(self, note_id: uuid.UUID) -> None:
        for row, note in enumerate(self._notes):
            if note.id == note_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._notes[row]
                self.endRemoveRows()
                return

    @property
    def notes(self) -> list[NoteView]:
        return list(self._notes)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._notes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._notes):
            return None
        note = self._notes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = short_datetime(note.at) if self._with_day else short_time(note.at)
            return f"{when} — {note.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{short_datetime(note.at)} · {note.author}"
        if role == RECORD_ROLE:
            return note
        if role == ID_ROLE:
            return note.id
        return None
