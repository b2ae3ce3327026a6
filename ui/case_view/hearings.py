"""The hearings tab: the hearings of the case, the notes of the selected one, and the way into hearing mode."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from caseapp.domain.enums import HearingKind, HearingStatus
from caseapp.i18n import N_, _
from caseapp.services.views import CaseDetail, HearingView, NoteView
from ui import spacing, style
from ui.actions import make_action
from ui.case_view.base import RecordTab
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values
from ui.dialogs.hearing_dialog import HearingDialog
from ui.formatting import short_datetime
from ui.i18n import label
from ui.models import RECORD_ROLE
from ui.models.notes import NotesModel
from ui.models.table import Column
from ui.operations import records
from ui.undo import push_delete, save_edit


class NoteDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None, save: SaveFn, note: NoteView) -> None:
        super().__init__(ctx, _("Edit note"), parent, save)
        self.text = self.add_row("text", short_datetime(note.at), QPlainTextEdit(note.text, self))

    def collect(self) -> Values:
        return {"text": self.text.toPlainText().strip()}


class HearingsTab(RecordTab):
    tab_id = "hearings"
    kind = records.HEARING
    texts: ClassVar[dict[str, str]] = {
        "add": N_("Add hearing"),
        "edit": N_("Edit hearing"),
        "delete": N_("Delete hearing"),
        "confirm": N_("Delete the hearing of {name} and all its notes?"),
        "empty": N_("No hearings yet. Add one by typing its date as you would say it: “mardi prochain 14h”."),
    }

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        columns: list[Column[HearingView]] = [
            Column(N_("Date and time"), lambda h: short_datetime(h.starts_at), sort=lambda h: h.starts_at),
            Column(N_("Kind"), lambda h: label(HearingKind, h.kind)),
            Column(N_("Status"), lambda h: label(HearingStatus, h.status)),
            Column(N_("Notes"), lambda h: str(len(h.notes)), sort=lambda h: len(h.notes), align_right=True),
            Column(N_("Court"), lambda h: h.court or "—", stretch=True),
            Column(N_("Room"), lambda h: h.room or "—"),
        ]
        super().__init__(ctx, columns, parent)
        self.hearing_window: QWidget | None = None
        self.mode_action = self.extra_action(
            make_action(
                self,
                _("Hearing mode"),
                self.open_hearing_mode,
                icon="hearing",
                tip=_("Take notes during the hearing: one field, Enter saves at once"),
                name="hearing_mode",
            )
        )
        self.sheet_action = self.extra_action(
            make_action(
                self,
                _("Hearing sheet…"),
                self.hearing_sheet,
                icon="print",
                tip=_("Preview and print the sheet of this hearing (with its notes, once taken)"),
                name="hearing_sheet_tab",
            )
        )
        self.preview: QWidget | None = None
        self.notes_model = NotesModel(self)
        self.notes_view = QListView(self)
        self.notes_view.setObjectName("hearing_notes")
        self.notes_view.setModel(self.notes_model)
        self.notes_view.setWordWrap(True)
        self.notes_view.setUniformItemSizes(False)
        self.notes_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.notes_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.notes_view.doubleClicked.connect(lambda _index: self.edit_note())
        edit_note = make_action(self, _("Edit note…"), self.edit_note, icon="edit", name="edit_note")
        delete_note = make_action(self, _("Delete note"), self.delete_note, icon="delete", name="delete_note")
        self.notes_view.addAction(edit_note)
        self.notes_view.addAction(delete_note)
        self.notes_caption = QLabel(_("Notes"), self)
        style.set_muted_style(self.notes_caption)
        notes_box = QWidget(self)
        notes_layout = spacing.flush(QVBoxLayout(notes_box), spacing.TIGHT)
        notes_layout.addWidget(self.notes_caption)
        notes_layout.addWidget(self.notes_view)
        self.layout_.removeWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("hearings_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(notes_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(self.splitter, 1)
        self.table.selection_did_change.connect(self._show_notes)

    def rows(self, case: CaseDetail) -> list[Any]:
        return list(case.hearings)

    def describe(self, record: HearingView) -> str:
        return short_datetime(record.starts_at)

    def make_dialog(self, record: HearingView | None, save: SaveFn) -> FormDialog:
        case = self.case
        return HearingDialog(
            self.ctx,
            self,
            save,
            record,
            default_court=case.court if case else None,
            procedure=case.procedure if case else None,
        )

    def show_case(self, case: CaseDetail) -> None:
        super().show_case(case)
        if self.selected() is None:  # show the notes of the hearing that matters now
            target = self.target_hearing()
            if target is not None:
                self.table.select_id(target.id)
        self._show_notes(self.selected())

    def select_record(self, record_id: uuid.UUID) -> None:
        if self.table.select_id(record_id):
            return
        for hearing in self.case.hearings if self.case else ():  # a note: select its hearing
            if any(note.id == record_id for note in hearing.notes):
                self.table.select_id(hearing.id)

    def _show_notes(self, hearing: HearingView | None) -> None:
        self.notes_model.set_notes(hearing.notes if hearing else ())
        if hearing is None:
            self.notes_caption.setText(_("Notes"))
        else:
            self.notes_caption.setText(
                _("Notes of the hearing of {when}").format(when=short_datetime(hearing.starts_at))
            )

    def update_actions(self) -> None:
        super().update_actions()
        if hasattr(self, "sheet_action"):
            self.mode_action.setEnabled(self.target_hearing() is not None)
            self.sheet_action.setEnabled(self.target_hearing() is not None)

    def target_hearing(self) -> HearingView | None:
        """The selected hearing; otherwise the next one; otherwise the latest."""
        selected = self.selected()
        if selected is not None or self.case is None:
            return selected
        if self.case.next_hearing is not None:
            return self.case.next_hearing
        now = datetime.now(UTC)
        past = [h for h in self.case.hearings if h.starts_at <= now]
        return past[-1] if past else (self.case.hearings[0] if self.case.hearings else None)

    def open_hearing_mode(self) -> None:
        from ui.hearing_mode import HearingModeWindow

        hearing = self.target_hearing()
        if hearing is None or self.case is None:
            return
        window = HearingModeWindow(
            self.ctx, self.case.id, self.case.title, hearing, self.window(), case_court=self.case.court
        )
        self.hearing_window = window
        window.show_and_focus()

    def hearing_sheet(self) -> None:
        from ui.documents.preview import open_preview
        from ui.operations.documents import HEARING_SHEET, DocumentRequest

        hearing = self.target_hearing()
        if hearing is None or self.case is None:
            return
        request = DocumentRequest(HEARING_SHEET, self.case.id, hearing_id=hearing.id)
        self.preview = open_preview(self.ctx, request, self.window())

    def _selected_note(self) -> NoteView | None:
        index = self.notes_view.currentIndex()
        return index.data(RECORD_ROLE) if index.isValid() else None

    def edit_note(self) -> None:
        note = self._selected_note()
        if note is None or self.case is None:
            return
        case_id = self.case.id

        def save(values: Values, ok: Any, fail: Any) -> None:
            save_edit(
                self.ctx,
                records.NOTE,
                record_id=note.id,
                case_id=case_id,
                version=note.version,
                old_values=records.note_values(note),
                new_values=values,
                text=_("Edit note"),
                owner=dialog,
                on_success=ok,
                on_failure=fail,
            )

        dialog = NoteDialog(self.ctx, self, save, note)
        self._open(dialog)

    def delete_note(self) -> None:
        note = self._selected_note()
        if note is None or self.case is None:
            return
        if not self.ctx.prompts.confirm(self, _("Delete note"), _("Delete this note?"), action=_("Delete")):
            return
        push_delete(
            self.ctx, records.NOTE, parent_id=note.hearing_id, case_id=self.case.id, view=note, text=_("Delete note")
        )
