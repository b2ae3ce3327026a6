"""What every record tab of the case view shares: a table, Add / Edit / Delete, dialogs that save with undo."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QVBoxLayout, QWidget

from caseapp.i18n import _
from caseapp.services.views import CaseDetail
from ui import spacing
from ui.actions import make_action
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values
from ui.models.table import Column, RecordTableModel
from ui.operations.records import RecordKind
from ui.undo import push_delete, save_create, save_edit
from ui.widgets.record_table import RecordTable


class CaseTab(QWidget):
    """A tab of the case view; ``show_case`` is called with fresh data after every change."""

    tab_id = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseDetail | None = None

    def show_case(self, case: CaseDetail) -> None:
        self.case = case

    def select_record(self, record_id: uuid.UUID) -> None:
        """Show one record (a search result, an agenda line)."""


class RecordTab(CaseTab):
    kind: RecordKind
    texts: ClassVar[dict[str, str]] = {}
    sortable: ClassVar[bool] = True  # add, edit, delete, confirm (with {name}), empty — msgids translated on use

    def __init__(self, ctx: AppContext, columns: list[Column[Any]], parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog: FormDialog | None = None
        self.table = RecordTable(
            RecordTableModel(columns, self, bold_when=self.needs_attention),
            name=f"{self.tab_id}_table",
            settings=ctx.settings,
            empty_text=_(self.texts.get("empty", "")),
            sortable=self.sortable,
            parent=self,
        )
        self.add_action = self.table.add_action(
            make_action(self, _("Add…"), self.add, icon="add", name=f"{self.tab_id}_add")
        )
        self.edit_action = self.table.add_action(
            make_action(self, _("Edit…"), self.edit_selected, icon="edit", name=f"{self.tab_id}_edit")
        )
        self.delete_action = self.table.add_action(
            make_action(self, _("Delete"), self.delete_selected, icon="delete", name=f"{self.tab_id}_delete")
        )
        self.text_kept: list[QAction] = [self.add_action]  # buttons that keep their text in a narrow window
        self._compact: list[QAction] = []  # buttons showing their icon alone for now (text in their tooltip)
        self.table.tools.installEventFilter(self)
        self.table.record_activated.connect(self.edit)
        self.table.selection_did_change.connect(lambda _record: self.update_actions())
        self.layout_ = spacing.flush(QVBoxLayout(self))
        self.layout_.setContentsMargins(0, spacing.SPACING, 0, 0)
        self.layout_.addWidget(self.table, 1)
        self.update_actions()

    # -- to fill in by each tab ---------------------------------------------------------------------------------

    def rows(self, case: CaseDetail) -> list[Any]:
        raise NotImplementedError

    def make_dialog(self, record: Any | None, save: SaveFn) -> FormDialog:
        raise NotImplementedError

    def describe(self, record: Any) -> str:
        return str(getattr(record, "title", "") or "")

    def needs_attention(self, _record: Any) -> bool:
        return False

    def parent_id(self, _record: Any | None) -> uuid.UUID | None:
        return self.case.id if self.case else None

    # -- shared behaviour ---------------------------------------------------------------------------------------

    def show_case(self, case: CaseDetail) -> None:
        super().show_case(case)
        self.table.set_rows(self.rows(case))
        self.update_actions()

    def select_record(self, record_id: uuid.UUID) -> None:
        self.table.select_id(record_id)

    def selected(self) -> Any | None:
        return self.table.selected()

    def update_actions(self) -> None:
        has_case = self.case is not None
        chosen = self.selected() is not None
        self.add_action.setEnabled(has_case)
        self.edit_action.setEnabled(has_case and chosen)
        self.delete_action.setEnabled(has_case and chosen)

    def extra_action(self, action: QAction, *, button: bool = True) -> QAction:
        return self.table.add_action(action, button=button)

    # -- a narrow window ----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.tools and event.type() == QEvent.Type.Resize:
            self.fit_tools()
        return super().eventFilter(watched, event)

    def fit_tools(self) -> None:
        """When the tool row is too narrow for every button with its text, the secondary ones show their icon
        alone (their text in the tooltip) rather than fold into the row's » menu, out of sight."""
        bar = self.table.tools
        if self._compact:
            back = sum(bar.fontMetrics().horizontalAdvance(a.iconText()) + 8 for a in self._compact)
            if bar.sizeHint().width() + back <= bar.width():  # room again for their text
                for action in self._compact:
                    action.setPriority(QAction.Priority.NormalPriority)
                self._compact = []
            return
        if bar.sizeHint().width() > bar.width():
            self._compact = [
                a
                for a in bar.actions()
                if not a.isSeparator() and a not in self.text_kept and a.priority() == QAction.Priority.NormalPriority
            ]
            for action in self._compact:
                action.setPriority(QAction.Priority.LowPriority)

    def add(self) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        parent_id = self.parent_id(None)

        def save(values: Values, ok: Any, fail: Any) -> None:
            save_create(
                self.ctx,
                self.kind,
                parent_id=parent_id,
                case_id=case_id,
                values=values,
                text=_(self.texts["add"]),
                owner=dialog,
                on_success=ok,
                on_failure=fail,
            )

        dialog = self.make_dialog(None, save)
        self._open(dialog)

    def edit_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.edit(record)

    def edit(self, record: Any) -> None:
        if self.case is None:
            return
        case_id = self.case.id

        def save(values: Values, ok: Any, fail: Any) -> None:
            save_edit(
                self.ctx,
                self.kind,
                record_id=record.id,
                case_id=case_id,
                version=record.version,
                old_values=self.kind.values_of(record),
                new_values=values,
                text=_(self.texts["edit"]),
                owner=dialog,
                on_success=ok,
                on_failure=fail,
            )

        dialog = self.make_dialog(record, save)
        self._open(dialog)

    def _open(self, dialog: FormDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None or self.case is None:
            return
        question = _(self.texts["confirm"]).format(name=self.describe(record))
        if not self.ctx.prompts.confirm(self, _(self.texts["delete"]), question, action=_("Delete")):
            return
        push_delete(
            self.ctx,
            self.kind,
            parent_id=self.parent_id(record),
            case_id=self.case.id,
            view=record,
            text=_(self.texts["delete"]),
        )
