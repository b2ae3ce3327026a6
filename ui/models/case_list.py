"""The case list: thousands of cases, fetched page by page as the view scrolls (never all at once)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from caseapp.domain.enums import CaseStatus, Procedure
from caseapp.i18n import N_, _
from caseapp.services.views import CaseRow
from ui.formatting import short_date
from ui.i18n import label
from ui.models import ID_ROLE, RECORD_ROLE

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is filtered by: the text typed and a status (None: every status)."""

    text: str = ""
    status: str | None = None


# (filter, offset, limit, deliver) -> None; ``deliver(rows)`` may be called later (from the worker's result)
PageSource = Callable[[CaseFilter, int, int, Callable[[list[CaseRow]], None]], None]

COLUMNS: list[tuple[str, Callable[[CaseRow], str]]] = [
    (N_("Title"), lambda c: c.title),
    (N_("Number"), lambda c: c.court_number or "—"),
    (N_("Status"), lambda c: label(CaseStatus, c.status)),
    (N_("Court"), lambda c: c.court or "—"),
    (N_("Procedure"), lambda c: label(Procedure, c.procedure)),
    (N_("Updated"), lambda c: short_date(c.updated_at)),
]


class CaseListModel(QAbstractTableModel):
    """Rows arrive a page at a time from ``source``; the view asks for more with ``canFetchMore``/``fetchMore``."""

    loading_did_change = Signal(bool)

    def __init__(self, source: PageSource, parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._source = source
        self._page_size = page_size
        self._rows: list[CaseRow] = []
        self._filter = CaseFilter()
        self._exhausted = False
        self._loading = False
        self._generation = 0  # pages asked for under an older filter are dropped when they arrive

    @property
    def filter(self) -> CaseFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    def set_filter(self, case_filter: CaseFilter) -> None:
        self._filter = case_filter
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def record(self, row: int) -> CaseRow:
        return self._rows[row]

    def row_of(self, case_id: uuid.UUID) -> int:
        return next((row for row, case in enumerate(self._rows) if case.id == case_id), -1)

    # -- lazy fetching ------------------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._loading = True
        self.loading_did_change.emit(True)
        generation = self._generation
        self._source(self._filter, len(self._rows), self._page_size, lambda rows: self._arrived(generation, rows))

    def _arrived(self, generation: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if len(rows) < self._page_size:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loading_did_change.emit(False)

    def page_failed(self) -> None:
        """The source could not deliver: stop asking until the next reload."""
        self._loading = False
        self._exhausted = True
        self.loading_did_change.emit(False)

    # -- Qt interface -------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        case = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](case)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            tip = case.title + (f"\n{', '.join(case.tags)}" if case.tags else "")
            if case.taken_offline is not None:
                from caseapp.services.checkouts import describe

                tip += "\n" + describe(case.taken_offline)
            return tip
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole value, when the column is too narrow for it
            text = COLUMNS[index.column()][1](case)
            return text if len(text) > 3 else None
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and case.taken_offline is not None:
            from ui.icons import icon  # a case taken to a laptop: marked, nothing more (it stays editable)

            return icon("bundle_export")
        if role == RECORD_ROLE:
            return case
        if role == ID_ROLE:
            return case.id
        return None
