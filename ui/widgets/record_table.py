"""A table of records with its actions (add, edit, delete…) in a tool row and a context menu."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caseapp.i18n import _
from ui import spacing, style
from ui.models import ID_ROLE, RECORD_ROLE
from ui.models.table import RecordTableModel, SortProxyModel
from ui.settings import Settings

WHOLE_SAMPLE = "00/00/0000 00h00"  # a date and time: values up to its width are never cut to fit
FIT_ROWS = 30  # rows measured past those in sight to size a column (Qt's default, 1,000, measures every agenda row);
# the longest texts of every row are measured by their text (``_longest_text``)

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
        self._name = f"{name}-{signature:04x}-fit"
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
        self.side_buttons = QHBoxLayout()  # actions kept in sight at the right of the tool row (never in its »)
        spacing.flush(self.side_buttons)
        tools_row = QHBoxLayout()
        spacing.flush(tools_row)
        tools_row.addWidget(self.tools, 1)
        tools_row.addLayout(self.side_buttons)
        self.empty_label = QLabel(empty_text, self)
        self.empty_label.setObjectName(f"{name}_empty")
        self.empty_label.setWordWrap(True)
        style.set_muted_style(self.empty_label)
        layout = spacing.flush(QVBoxLayout(self))
        layout.addLayout(tools_row)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_did_change.emit(self.selected()))
        self._restored_header = False
        self._sized = False
        self._fitting = False  # the widths are being set here (not by the person dragging a column's edge)
        # The contents' widths, measured once per set of rows on at most FIT_ROWS rows: a resize only shares them
        # out again (measuring 500 agenda rows at each of the start's resizes took seconds on the GUI thread).
        self._contents: dict[int, int] = {}
        self.view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self._stretch = next((i for i, c in enumerate(model.columns) if c.stretch), len(model.columns) - 1)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self._save_header)
        self._restore_header()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self._stretch, QHeaderView.ResizeMode.Stretch)  # the long text takes the rest
        self.view.verticalHeader().setResizeContentsPrecision(200)  # widths from the first rows: resizing stays quick
        self.view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._resized)
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

    def add_side_action(self, action: QAction) -> QAction:
        """The action in the table's shortcuts and context menu, with its button at the right of the tool row,
        always in sight (a narrow window folds the tool bar's last buttons into its » menu, never this one)."""
        self.add_action(action, button=False)
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setIconSize(QSize(16, 16))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setObjectName(f"{action.objectName() or 'side'}_button")
        self.side_buttons.addWidget(button)
        self.tools.setVisible(True)
        return action

    # -- rows and selection -------------------------------------------------------------------------------------

    def set_rows(self, rows: list[Any]) -> None:
        keep = self.selected_id()
        self.model.set_rows(rows)
        self._contents.clear()
        if not self._restored_header and not self._sized and rows:
            self._sized = True
            self._fit()
        if keep is not None:
            self.select_id(keep)
        self._update_empty()

    def _fit(self) -> None:
        """Widths from the contents (dates, numbers, kinds whole), fitted to the table's width: the long text
        column takes what is left and elides, so that no column ends up beyond the right edge."""
        header = self.view.horizontalHeader()
        available = self.view.viewport().width()
        self._fitting = True
        try:
            others = [s for s in range(header.count()) if s != self._stretch and not header.isSectionHidden(s)]

            def contents(section: int) -> int:
                if section not in self._contents:
                    self._contents[section] = max(
                        self.view.sizeHintForColumn(section),
                        self._longest_text(section),
                        header.sectionSizeFromContents(section).width(),
                    )
                return self._contents[section]

            wanted = {s: contents(s) for s in others}
            # short values (dates and times, numbers, kinds) stay whole; longer ones give way down to their title
            # (or 80)
            short = max(80, self.view.fontMetrics().horizontalAdvance(WHOLE_SAMPLE) + 16)
            floors = {
                s: max(min(header.sectionSizeFromContents(s).width(), 80), w if w <= short else min(w, 80))
                for s, w in wanted.items()
            }
            reserve = min(contents(self._stretch), 160)  # what the text column keeps at the least
            if sum(floors.values()) > available - reserve:
                reserve = max(60, available - sum(floors.values()))
            room = max(0, available - reserve)
            limit = max(wanted.values(), default=0)
            while limit > 40 and sum(max(min(w, limit), floors[s]) for s, w in wanted.items()) > room:
                limit -= 10  # the widest columns give way first (down to their title), and elide
            wanted = {s: max(min(w, limit), floors[s]) for s, w in wanted.items()}
            for section, width in wanted.items():
                header.resizeSection(section, width)
            header.setSectionResizeMode(self._stretch, QHeaderView.ResizeMode.Stretch)
        finally:
            self._fitting = False

    def _longest_text(self, section: int) -> int:
        """The width the column's longest texts need, over every row. Qt measures the rows in sight and FIT_ROWS
        more (measuring all 500 rows of an agenda through Python took a tenth of a second at each start); a longer
        value further down is measured here by its text alone, with the cell's margins and, if the column has
        them, an icon's room."""
        longest = self.model.longest_texts(section)
        if not longest:
            return 0
        plain = self.view.fontMetrics()
        bold_font = self.view.font()
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        margin = self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1
        room = 2 * margin + 1  # both sides of the text, and the grid line
        if self.model.columns[section].icon is not None:
            room += self.view.iconSize().width() if self.view.iconSize().isValid() else 16
            room += 4
        return max((bold if is_bold else plain).horizontalAdvance(text) for text, is_bold in longest) + room

    def _resized(self, section: int, _old: int, _new: int) -> None:
        if not self._fitting and section != self._stretch:  # a person set a width: kept (and remembered)
            self._sized = True
            self._save_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = event.type() == QEvent.Type.Resize and watched is self.view.viewport()
        if resized and not self._restored_header and not self._save_timer.isActive() and not self._user_widths():
            self._fit()  # widths of its own (nobody set any): fitted again to the new width
        return super().eventFilter(watched, event)

    def _user_widths(self) -> bool:
        return self._settings is not None and self._settings.header(self._name) is not None

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
            if self._restored_header:  # the text column still takes what the others leave
                self.view.horizontalHeader().setSectionResizeMode(self._stretch, QHeaderView.ResizeMode.Stretch)

    def _save_header(self) -> None:
        if self._settings is not None and (self._sized or self._restored_header):
            self._settings.set_header(self._name, self.view.horizontalHeader().saveState())
