"""The list of cases: filter as you type, by status; thousands of cases load a page at a time as you scroll."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caseapp.domain.enums import CaseStatus
from caseapp.i18n import _, ngettext
from caseapp.services.views import CaseRow, Changes
from ui import spacing, style
from ui.context import AppContext
from ui.dialogs.case_dialog import CaseDialog
from ui.dialogs.form import Values
from ui.icons import icon
from ui.models import ID_ROLE
from ui.models.case_list import CaseFilter, CaseListModel
from ui.operations import cases as case_ops
from ui.operations import records
from ui.settings import Settings
from ui.shortcuts import key, let_through
from ui.undo import save_create
from ui.widgets.combos import EnumCombo
from ui.widgets.record_table import configure_table

FILTER_DELAY_MS = 250
FIT_ROWS = 100  # rows measured to size a column from what it holds
HEADER_KEY = "case_table-v3"  # v3: the title takes the room, the other columns are sized to their contents


class CaseListPanel(QWidget):
    case_selected = Signal(object)  # uuid.UUID

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_list")
        self.ctx = ctx
        self.dialog: CaseDialog | None = None
        self._current: uuid.UUID | None = None
        self._open_first = False
        self.model = CaseListModel(self._fetch_page, self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("case_filter")
        self.filter_edit.setPlaceholderText(_("Filter…"))  # short: the box is narrow at 1024 pixels
        self.filter_edit.setToolTip(_("Filter by title, court, number…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(120)
        let_through(self.filter_edit, "edit_case")
        self.status = EnumCombo(CaseStatus, empty=_("All statuses"), parent=self)
        self.status.setObjectName("status_filter")
        self.status.setSizeAdjustPolicy(EnumCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status.setMinimumContentsLength(9)
        self.new_button = QToolButton(self)
        self.new_button.setIcon(icon("add"))
        self.new_button.setText(_("New case"))
        self.new_button.setToolTip(
            _("New case") + " (" + key("new_case").toString(QKeySequence.SequenceFormat.NativeText) + ")"
        )
        self.new_button.setObjectName("new_case_button")
        self.new_button.clicked.connect(self.new_case)
        self.count = QLabel(self)
        style.set_muted_style(self.count)
        self.view = QTableView(self)
        self.view.setObjectName("case_table")
        configure_table(self.view)
        self.view.setModel(self.model)
        # The title takes the room (cut at its end when it must be, whole in its tooltip); the other columns are as
        # wide as what they hold. A title column the person widened or narrowed keeps its width, next start too.
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(FIT_ROWS)
        self._fitting = False  # the title's width is being set here
        self._dragging = False  # the person's mouse is down on the header (dragging an edge)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_title)
        self._title_width_chosen = self._restore_header(ctx.settings)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._section_resized)
        self.view.viewport().installEventFilter(self)
        header.viewport().installEventFilter(self)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        filters = QHBoxLayout()
        spacing.flush(filters)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.status)
        filters.addWidget(self.new_button)
        layout = spacing.flush(QVBoxLayout(self))
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._timer.start())
        self.status.currentIndexChanged.connect(lambda _index: self.apply_filter())
        self.model.rowsInserted.connect(lambda *_: self._after_rows())
        ctx.events.operation_did_execute.connect(self._changed)

    def _restore_header(self, settings: Settings) -> bool:
        state = settings.header(HEADER_KEY)
        return state is not None and self.view.horizontalHeader().restoreState(state)

    # -- the title column's width ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.view.viewport():
            if kind == QEvent.Type.Resize:
                self._refit_later()
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._dragging = True
        elif kind == QEvent.Type.MouseButtonRelease:
            self._dragging = False
        return super().eventFilter(watched, event)

    def _refit_later(self) -> None:
        if not self._fitting and not self._title_width_chosen:
            self._refit.start()

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if self._fitting:
            return
        if section == 0 and self._dragging:  # the person dragged the title's edge: it stays where they put it
            self._title_width_chosen = True
            self.ctx.settings.set_header(HEADER_KEY, self.view.horizontalHeader().saveState())
        else:  # another column grew or shrank with its contents
            self._refit_later()

    def fit_title(self) -> None:
        """The title column gets what the other columns leave, and at least its titles' width (up to the whole
        list's width: in a narrow list the other columns are further right)."""
        if self._title_width_chosen:
            return
        header = self.view.horizontalHeader()
        room = self.view.viewport().width()
        others = sum(header.sectionSize(s) for s in range(1, header.count()) if not header.isSectionHidden(s))
        wanted = max(room - others, min(self.view.sizeHintForColumn(0), room), header.minimumSectionSize())
        if wanted != header.sectionSize(0):
            self._fitting = True
            try:
                header.resizeSection(0, wanted)
            finally:
                self._fitting = False

    # -- data ---------------------------------------------------------------------------------------------------

    def _fetch_page(
        self, case_filter: CaseFilter, offset: int, limit: int, deliver: Callable[[list[CaseRow]], None]
    ) -> None:
        def failed(error: BaseException) -> None:
            self.model.page_failed()
            self.ctx.errors.present(error, self)

        case_ops.case_page(self.ctx, case_filter, offset, limit, owner=self, on_success=deliver, on_failure=failed)

    def start(self) -> None:
        """Load the first page (once the case file is open)."""
        self.model.reload()
        self._update_count()

    def apply_filter(self) -> None:
        self._timer.stop()
        self.model.set_filter(CaseFilter(text=self.filter_edit.text().strip(), status=self.status.value()))

    def open_first(self) -> None:
        """Open the first case as soon as it is listed (after loading the example cases)."""
        self._open_first = True
        if self.model.rowCount():
            self._after_rows()

    def _after_rows(self) -> None:
        self._update_count()
        self._refit_later()
        if self._open_first and self.model.rowCount():
            self._open_first = False
            self.view.selectRow(0)
            return
        if self._current is not None and not self.view.selectionModel().hasSelection():
            self.select_case(self._current, emit=False)

    def _update_count(self) -> None:
        rows = self.model.rowCount()
        more = self.model.canFetchMore(QModelIndex())
        if rows == 0 and not self.model.loading:
            self.count.setText(
                _("No case matches.") if self.model.filter.text or self.model.filter.status else _("No cases yet.")
            )
        else:
            text = ngettext("{count} case shown", "{count} cases shown", rows).format(count=rows)
            self.count.setText(text + (" " + _("(scroll for more)") if more else ""))

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.kinds & {"case", "checkout"}:  # a case, or whether it is taken offline, changed
            self.model.reload()

    # -- selection ----------------------------------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        case_id = current.data(ID_ROLE) if current.isValid() else None
        if case_id is not None and case_id != self._current:
            self._current = case_id
            self.case_selected.emit(case_id)

    def select_case(self, case_id: uuid.UUID, *, emit: bool = False) -> None:
        """Show which case is open (it may not be among the rows loaded yet: then nothing is selected)."""
        self._current = case_id
        row = self.model.row_of(case_id)
        selection = self.view.selectionModel()
        if row < 0:
            selection.clearSelection()
            return
        index = self.model.index(row, 0)
        selection.blockSignals(not emit)
        selection.setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.blockSignals(False)
        self.view.viewport().update()
        self.view.scrollTo(index)

    # -- new case -----------------------------------------------------------------------------------------------

    def new_case(self) -> None:
        case_ops.parent_choices(self.ctx, owner=self, on_success=self._open_new)

    def _open_new(self, choices: list[tuple[uuid.UUID, str]]) -> None:
        def save(values: Values, ok: Any, fail: Any) -> None:
            save_create(
                self.ctx,
                records.CASE,
                parent_id=None,
                case_id=None,
                values=values,
                text=_("Create case"),
                owner=dialog,
                on_success=ok,
                on_failure=fail,
            )

        dialog = CaseDialog(self.ctx, self, save, None, choices)
        self.dialog = dialog

        def finished(result: int) -> None:
            view = dialog.result_view
            if result and view is not None:
                self._current = view.id
                self.ctx.events.open_case(view.id, "overview")
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
