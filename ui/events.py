"""Application-wide signals: one broadcast after every change, so each screen decides whether to refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    import uuid


class Events(QObject):
    # (Changes, initiator): what kind of data changed, in which case, and which widget asked for it
    operation_did_execute = Signal(object, object)
    # (case_id, tab, record_id): someone wants a case shown, on a tab, with a record selected
    case_open_requested = Signal(object, str, object)
    # the interface language changed: windows rebuild themselves
    language_did_change = Signal(str)

    def broadcast(self, changes: object, initiator: object = None) -> None:
        """Say what an action changed (``caseapp.services.changes.Changes``, as its transactions reported it)."""
        self.operation_did_execute.emit(changes, initiator)

    def open_case(self, case_id: uuid.UUID, tab: str = "overview", record_id: uuid.UUID | None = None) -> None:
        self.case_open_requested.emit(case_id, tab, record_id)
