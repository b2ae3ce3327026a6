"""A table model over a list of read models, described by columns; small tables sort through a proxy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QIcon

from caseapp.i18n import _
from ui.formatting import sort_key
from ui.models import ID_ROLE, RECORD_ROLE, SORT_ROLE

if TYPE_CHECKING:
    import uuid

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

# Roles as plain ints: ``data()`` runs for every visible cell and role on every repaint, and Qt passes ints.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FONT = int(Qt.ItemDataRole.FontRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column of a ``RecordTableModel``: its title, each row's text, and optionally a sort key, tooltip and icon."""

    title: str  # an English msgid (marked with N_), translated when shown
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None  # default: the text
    tooltip: Callable[[T], str | None] | None = None
    icon: Callable[[T], QIcon | None] | None = None
    align_right: bool = False
    stretch: bool = False


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """Rows are read models; ``bold_when`` marks rows that need attention (overdue…) without a colour."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        parent: QObject | None = None,
        *,
        bold_when: Callable[[T], bool] | None = None,
        record_id: Callable[[T], uuid.UUID | None] = lambda row: getattr(row, "id", None),
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = []
        self._bold_when = bold_when
        self._bold: QFont | None = None  # made once, for the rows that need attention
        self._record_id = record_id

    # -- data in ------------------------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def record(self, row: int) -> T:
        return self._rows[row]

    def longest_texts(self, section: int, count: int = 3) -> list[tuple[str, bool]]:
        """The ``count`` longest texts of a column (in characters) over every row, each with whether its row is
        bold: what a width measured on the first rows only must still hold."""
        column, bold = self.columns[section], self._bold_when
        texts = [(column.text(record), record) for record in self._rows]
        texts.sort(key=lambda pair: len(pair[0]), reverse=True)
        return [(text, bold is not None and bool(bold(record))) for text, record in texts[:count]]

    def row_of(self, record_id: uuid.UUID | None) -> int:
        for row, record in enumerate(self._rows):
            if self._record_id(record) == record_id:
                return row
        return -1

    # -- Qt interface -------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].title)
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            return None
        return self._value(self._rows[row], self.columns[index.column()], role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """All the roles a cell is painted with, in one call: the view asks for seven per visible cell, and each
        call from Qt into Python costs more than the answer (a table repaint was ~800 calls)."""
        items = (roleDataSpan,) if isinstance(roleDataSpan, QModelRoleData) else roleDataSpan  # a span of one
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            for item in items:
                item.clearData()
            return
        record = self._rows[row]
        column = self.columns[index.column()]
        for item in items:
            item.setData(self._value(record, column, item.role()))

    def _value(self, record: T, column: Column[T], role: int) -> Any:
        """What a cell shows for one role (None: nothing)."""
        if role == DISPLAY:
            return column.text(record)
        if role == DECORATION:
            return column.icon(record) if column.icon is not None else None
        if role == FONT:
            return self._bold_font() if self._bold_when is not None and self._bold_when(record) else None
        if role == ALIGNMENT:
            return RIGHT if column.align_right else None
        if role == TOOLTIP:
            if column.tooltip is not None:
                return column.tooltip(record)
            text = column.text(record)  # the whole value, for when the column is too narrow and elides it
            return text if len(text) > 3 else None
        if role == SORT_ROLE:
            return sort_key(column.sort(record) if column.sort else column.text(record))
        if role == RECORD_ROLE:
            return record
        if role == ID_ROLE:
            return self._record_id(record)
        return None

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold


class SortProxyModel(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE`` (dates and numbers compare as values, not as displayed text)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """Passed on to the table model in one call (Qt's proxy would ask it role by role)."""
        source = self.sourceModel()
        if isinstance(source, RecordTableModel):
            source.multiData(self.mapToSource(index), roleDataSpan)
        else:
            super().multiData(index, roleDataSpan)
