"""A table of records with its actions (add, edit, delete…) in a tool row and a context menu."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from caseapp.i18n import _
from ui import spacing, style
from ui.models import ID_ROLE, RECORD_ROLE
from ui.models.table import RecordTableModel, SortProxyModel
from ui.settings import Settings

if TYPE_CHECKING:
    import uuid


def configure_table(view: QTableView) -> None:
    """The look every table shares: whole rows selected, readable row height, long text elided."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)


class RecordTable(QWidget):
    record_activated = Signal(object)  # a row was double-clicked or Enter was pressed on it
    selection_did_change = Signal(object)  # the selected record, or None

    def __init__(
        self,
        model: RecordTableModel[Any],
        *,
        name: str,
        settings: Settings | None = None,
        empty_text: str = "",
        sortable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model = model
        # the saved column widths belong to this set of columns: a new version's columns start fresh
        signature = zlib.crc32("|".join(_(c.title) for c in model.columns).encode()) & 0xFFFF
        self._name = f"{name}-{signature:04x}"
        self._settings = settings
        self.proxy = SortProxyModel(self)
        self.proxy.setSourceModel(model)
        self.view = QTableView(self)
        self.view.setObjectName(f"{name}_view")
        configure_table(self.view)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(sortable)
        # the order the service gave (by date, by number, by role…) until someone clicks a column
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.tools = QToolBar(self)
        self.tools.setObjectName(f"{name}_tools")
        self.tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.tools.setIconSize(QSize(16, 16))
        self.tools.setVisible(False)  # until it has an action
        self.empty_label = QLabel(empty_text, self)
        self.empty_label.setObjectName(f"{name}_empty")
        self.empty_label.setWordWrap(True)
        style.set_muted_style(self.empty_label)
        layout = spacing.flush(QVBoxLayout(self))
        layout.addWidget(self.tools)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_did_change.emit(self.selected()))
        self._restored_header = False
        self._sized = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self._save_header)
        self._restore_header()
        header = self.view.horizontalHeader()
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        header.sectionMoved.connect(lambda *_: self._save_timer.start())
        header.sortIndicatorChanged.connect(lambda *_: self._save_timer.start())
        self._update_empty()

    # -- actions ------------------------------------------------------------------------------------------------

    def add_action(self, action: QAction, *, button: bool = True) -> QAction:
        """The action goes in the tool row, in the table's context menu, and its shortcut works in the table."""
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        self.view.addAction(action)
        if button:  # a narrow window folds the last ones into the tool bar's » menu
            self.tools.addAction(action)
            self.tools.setVisible(True)
        return action

    # -- rows and selection -------------------------------------------------------------------------------------

    def set_rows(self, rows: list[Any]) -> None:
        keep = self.selected_id()
        self.model.set_rows(rows)
        if not self._restored_header and not self._sized and rows:
            self._sized = True
            self.view.resizeColumnsToContents()
            self._cap_widths()
        if keep is not None:
            self.select_id(keep)
        self._update_empty()

    def _cap_widths(self) -> None:
        header = self.view.horizontalHeader()
        limit = max(200, self.view.viewport().width() // 3)
        for section in range(header.count()):
            if header.sectionSize(section) > limit:
                header.resizeSection(section, limit)

    def _update_empty(self) -> None:
        self.empty_label.setVisible(self.model.rowCount() == 0 and bool(self.empty_label.text()))

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(RECORD_ROLE) if rows else None

    def selected_id(self) -> uuid.UUID | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(ID_ROLE) if rows else None

    def select_id(self, record_id: uuid.UUID | None) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)
        return True

    def select_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if record is not None:
            self.record_activated.emit(record)

    # -- remembered column widths -------------------------------------------------------------------------------

    def _restore_header(self) -> None:
        if self._settings is None:
            return
        state = self._settings.header(self._name)
        if state is not None:
            self._restored_header = self.view.horizontalHeader().restoreState(state)

    def _save_header(self) -> None:
        if self._settings is not None and (self._sized or self._restored_header):
            self._settings.set_header(self._name, self.view.horizontalHeader().saveState())
