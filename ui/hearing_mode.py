"""Hearing mode: taking notes in the courtroom, fast, with nothing lost.

One large field. Enter saves the note at once — it is committed to the database before the field clears, so a note
that left the field survives a dead battery. The notes so far are above the field. A date said in court
("renvoi au 12 mars 14h", "mémoire avant le 3 avril") becomes a deadline or the next hearing in one action, and the
hearing's log says so. A note that names one itself ("délibéré le 12 mars", "renvoi à quinzaine", "clôture le 3
avril") offers it under the field: Ctrl+Enter makes the délibéré, the adjourned hearing or the close of the
investigation, with the date counted from the hearing's day, and saves the note. The focus always comes back to the
note field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseapp.domain.enums import HearingStatus
from caseapp.errors import CaseAppError, InvalidInput
from caseapp.i18n import _, ngettext
from caseapp.services.dates import SaidDate, find_said_date
from caseapp.services.views import Changes, HearingView, NoteView
from ui import spacing, style
from ui.actions import make_action
from ui.context import AppContext, warm_up_date_parser
from ui.formatting import long_date, long_datetime, paris, short_time, today
from ui.icons import icon
from ui.models.notes import NotesModel
from ui.operations import records
from ui.operations.base import mutate, remember_version
from ui.operations.lookups import load_hearing
from ui.shortcuts import key
from ui.tasks import Failure
from ui.undo import RecordCommand, save_create
from ui.widgets.date_field import DateField

if TYPE_CHECKING:
    from caseapp.services.core import Core


class NoteField(QPlainTextEdit):
    """Enter sends; Shift+Enter starts a new line; Ctrl+Enter takes the date the note names."""

    submitted = Signal()
    said_date_taken = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            event.accept()
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.said_date_taken.emit()
            else:
                self.submitted.emit()
            return
        super().keyPressEvent(event)


class HearingModeWindow(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        case_id: uuid.UUID,
        case_title: str,
        hearing: HearingView,
        parent: QWidget | None,
        *,
        case_court: str | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        warm_up_date_parser()  # a date said in court is parsed from the notes
        self.setObjectName("hearing_mode")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.case_id = case_id
        self.hearing = hearing
        self.case_court = case_court
        self.saving = False
        self.setWindowTitle(_("Hearing mode — {case}").format(case=case_title))
        title = QLabel(case_title, self)
        title.setWordWrap(True)
        title.setFont(style.scaled_font(self, spacing.TITLE_FONT_SCALE, bold=True))
        where = ", ".join(part for part in (hearing.court, hearing.room) if part)
        self.subtitle = QLabel(
            _("Hearing of {when}").format(when=long_datetime(hearing.starts_at)) + (f" — {where}" if where else ""),
            self,
        )
        style.set_muted_style(self.subtitle)
        self.model = NotesModel(self)
        self.notes = QListView(self)
        self.notes.setObjectName("hearing_mode_notes")
        self.notes.setModel(self.model)
        self.notes.setWordWrap(True)
        self.notes.setUniformItemSizes(False)
        self.notes.setSpacing(2)
        self.notes.setFont(style.scaled_font(self, 1.15))
        self.notes.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.field = NoteField(self)
        self.field.setObjectName("note_field")
        self.field.setFont(style.scaled_font(self, spacing.HEARING_FONT_SCALE))
        self.field.setPlaceholderText(
            _("Type what is said. Enter saves the note at once; Shift+Enter starts a new line.")
        )
        self.field.setTabChangesFocus(True)
        self.field.setFixedHeight(self.field.fontMetrics().lineSpacing() * 3 + 20)
        self.field.submitted.connect(self.save_note)
        self.field.said_date_taken.connect(self.take_said_date)
        # what the note names ("délibéré le 12 mars"), offered in one key; its row keeps its height, so the field
        # does not move as the offer comes and goes
        self.said: SaidDate | None = None
        self.said_button = QPushButton(icon("deadline"), "", self)
        self.said_button.setObjectName("take_said_date")
        self.said_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.said_button.clicked.connect(self.take_said_date)
        self.said_button.setVisible(False)
        said_row = QWidget(self)
        said_row.setFixedHeight(self.said_button.sizeHint().height())
        said_layout = QHBoxLayout(said_row)
        spacing.flush(said_layout)
        said_layout.addWidget(self.said_button, 0, Qt.AlignmentFlag.AlignLeft)
        said_layout.addStretch(1)
        self._said_timer = QTimer(self)
        self._said_timer.setSingleShot(True)
        self._said_timer.setInterval(150)
        self._said_timer.timeout.connect(self._find_said_date)
        self.field.textChanged.connect(self._said_timer.start)
        self.status = QLabel(self)
        self.status.setObjectName("hearing_mode_status")
        style.set_muted_style(self.status)
        self.date_field = DateField("said_date", "any", parent=self, now=self._reference)
        self.date_field.edit.setPlaceholderText(_("“12 mars 14h”, “sous quinzaine”…"))  # whole at 1024 pixels
        self.date_field.edit.setToolTip(_("A date said in court: “12 mars 14h”, “dans quinze jours”…"))
        self.deadline_button = QPushButton(icon("deadline"), _("Make it a deadline"), self)
        self.deadline_button.setObjectName("to_deadline")
        self.deadline_button.setToolTip(
            _("The note field's text, if any, becomes the deadline's title ({key})").format(
                key=key("to_deadline").toString()
            )
        )
        self.deadline_button.clicked.connect(self.make_deadline)
        self.next_button = QPushButton(icon("hearing"), _("Make it the next hearing"), self)
        self.next_button.setObjectName("to_next_hearing")
        self.next_button.setToolTip(key("to_next_hearing").toString())
        self.next_button.clicked.connect(self.make_next_hearing)
        self.sheet_button = QPushButton(icon("print"), _("Hearing sheet…"), self)
        self.sheet_button.setObjectName("hearing_mode_sheet")
        self.sheet_button.setToolTip(_("Preview and print the sheet of this hearing, with the notes so far"))
        self.sheet_button.clicked.connect(self.hearing_sheet)
        self.preview: QWidget | None = None
        said = QHBoxLayout()
        spacing.flush(said)
        said.addWidget(QLabel(_("Date said in court"), self), 0, Qt.AlignmentFlag.AlignTop)
        said.addWidget(self.date_field, 1)
        said.addWidget(self.deadline_button, 0, Qt.AlignmentFlag.AlignTop)
        said.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignTop)
        heading = QHBoxLayout()
        spacing.flush(heading)
        heading.addWidget(title, 1)
        heading.addWidget(self.sheet_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = spacing.page(QVBoxLayout(self))
        layout.addLayout(heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.field)
        layout.addWidget(said_row)
        layout.addWidget(self.status)
        layout.addSpacing(spacing.SPACING)
        layout.addLayout(said)
        for action in (
            make_action(self, _("Make it a deadline"), self.make_deadline, shortcut="to_deadline"),
            make_action(self, _("Make it the next hearing"), self.make_next_hearing, shortcut="to_next_hearing"),
            make_action(self, _("Take the date the note names"), self.take_said_date, shortcut="take_said_date"),
            make_action(self, _("Close"), self.close, shortcut="close_window"),
            make_action(self, _("Undo"), ctx.undo.undo, shortcut="undo"),
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        geometry = ctx.settings.geometry("hearing_mode")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(900, 700)
        ctx.events.operation_did_execute.connect(self._changed)
        self.reload()

    def show_and_focus(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.field.setFocus()

    def hearing_sheet(self) -> None:
        from ui.documents.preview import open_preview
        from ui.operations.documents import HEARING_SHEET, DocumentRequest

        request = DocumentRequest(HEARING_SHEET, self.case_id, hearing_id=self.hearing.id)
        self.preview = open_preview(self.ctx, request, self)

    # -- notes --------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        load_hearing(self.ctx, self.hearing.id, owner=self, on_success=self._loaded)

    def _loaded(self, hearing: HearingView) -> None:
        self.hearing = hearing
        self.model.set_notes(hearing.notes)
        self.notes.scrollToBottom()
        if not self.status.text():
            self.status.setText(
                ngettext("{count} note so far.", "{count} notes so far.", len(hearing.notes)).format(
                    count=len(hearing.notes)
                )
            )

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.case_id == self.case_id and changes.kinds & {"note", "hearing"} and not self.saving:
            self.reload()

    def save_note(self, text: str | None = None, *, clear_field: bool = True) -> None:
        """Save the field's text as a note, timestamped now; the field clears only once it is committed."""
        text = (text if text is not None else self.field.toPlainText()).strip()
        if not text or self.saving:
            return
        self.saving = True
        if clear_field:
            self.field.setReadOnly(True)
        self.status.setText(_("Saving…"))
        at = datetime.now(UTC)

        def saved(note: NoteView) -> None:
            self.saving = False
            self.model.append(note)
            self.notes.scrollToBottom()
            if clear_field:
                self.field.clear()
                self.field.setReadOnly(False)
                self.field.setFocus()
            self.status.setText(_("Saved at {time}.").format(time=short_time(note.at)))
            style.set_muted_style(self.status)

        def failed(error: BaseException) -> None:
            self.saving = False
            self.field.setReadOnly(False)
            message = error.message if isinstance(error, CaseAppError) else str(error)
            self.status.setText(_("NOT SAVED: {reason}").format(reason=message))
            style.set_error_style(self.status)
            if not isinstance(error, CaseAppError):
                self.ctx.errors.present(error, self)

        save_create(
            self.ctx,
            records.NOTE,
            parent_id=self.hearing.id,
            case_id=self.case_id,
            values={"text": text, "at": at},
            text=_("Add note"),
            owner=self,
            on_success=saved,
            on_failure=failed,
        )

    # -- a date said in court -----------------------------------------------------------------------------------

    def _reference(self) -> datetime:
        """What "à quinzaine", "demain" are counted from: the hearing's moment once its day is over (notes typed
        up that evening), now while it is today or ahead."""
        now = datetime.now(UTC)
        return self.hearing.starts_at if paris(self.hearing.starts_at).date() < today() else now

    def _find_said_date(self) -> None:
        """Offer what the note names: "Create the délibéré “Délibéré — 12 mars 2027” (Ctrl+Enter)"."""
        # counted from the hearing itself: "renvoi à quinzaine" is 15 days after it, at its time
        self.said = find_said_date(self.field.toPlainText(), self.hearing.starts_at)
        if self.said is None:
            self.said_button.setVisible(False)
            return
        shortcut = key("take_said_date").toString(QKeySequence.SequenceFormat.NativeText)
        if self.said.kind == "adjournment":
            assert isinstance(self.said.value, datetime)
            when = long_datetime(self.said.value)
            text = (
                _("Create the adjourned hearing: {when} (same time) — {key}")
                if self.said.time_assumed
                else _("Create the adjourned hearing: {when} — {key}")
            ).format(when=when, key=shortcut)
            self.said_button.setIcon(icon("hearing"))
        else:
            text = _("Create the deadline “{title}” — {key}").format(title=self.said.title, key=shortcut)
            self.said_button.setIcon(icon("deadline"))
        self.said_button.setText(text)
        self.said_button.setToolTip(_("Creates it and saves the note; Enter alone only saves the note."))
        self.said_button.setVisible(True)

    def take_said_date(self) -> None:
        """Create what the note names — the délibéré, the adjourned hearing, the close of the investigation — then
        save the note as typed."""
        self._said_timer.stop()
        self._find_said_date()
        said = self.said
        self.field.setFocus()
        if said is None or self.saving:
            if said is None:
                self.status.setText(_("The note names no délibéré, adjournment or closing date."))
                style.set_muted_style(self.status)
            return
        typed = self.field.toPlainText().strip()

        def created(_view: Any) -> None:
            self.said = None
            self.said_button.setVisible(False)
            self.save_note(typed)
            self.field.setFocus()

        def failed(error: BaseException) -> None:
            message = error.message if isinstance(error, CaseAppError) else str(error)
            self.status.setText(_("NOT SAVED: {reason}").format(reason=message))
            style.set_error_style(self.status)
            self.field.setFocus()

        if said.kind == "adjournment":
            assert isinstance(said.value, datetime)
            self._adjourn(said.value, on_success=created, on_failure=failed)
            return
        save_create(
            self.ctx,
            records.DEADLINE,
            parent_id=self.case_id,
            case_id=self.case_id,
            values={"title": said.title, "due_on": said.day},
            text=_("Add deadline"),
            owner=self,
            on_success=created,
            on_failure=failed,
        )

    def _adjourn(self, when: datetime, *, on_success: Callable[[Any], None], on_failure: Failure) -> None:
        """The adjourned hearing, and this one marked postponed ("renvoyée") unless it was cancelled or already
        so: both in one step, undone at once."""
        ctx, case_id, current = self.ctx, self.case_id, self.hearing
        kind = records.HEARING
        new_id = uuid.uuid4()
        values = {
            "starts_at": when,
            "court": current.court or self.case_court,
            "room": current.room,
            "kind": current.kind,
            "status": HearingStatus.SCHEDULED.value,
        }
        before = current.status
        postpone = before in (HearingStatus.SCHEDULED.value, HearingStatus.HELD.value)
        ctx.versions.setdefault(current.id, current.version)

        def mark(core: Core, status: str) -> None:
            remember_version(
                ctx, current.id, kind.update(core, current.id, {"status": status}, ctx.versions.get(current.id))
            )

        def adjourn(core: Core) -> Any:
            view = remember_version(ctx, new_id, kind.create(core, case_id, new_id, values))
            if postpone:
                try:
                    mark(core, HearingStatus.POSTPONED.value)
                except BaseException:  # someone changed this hearing meanwhile: no half-done adjournment
                    kind.delete(core, new_id, ctx.versions.get(new_id))
                    raise
            return view

        def undo(core: Core) -> Any:
            kind.delete(core, new_id, ctx.versions.get(new_id))
            if postpone:
                mark(core, before)

        def done(view: Any) -> None:
            ctx.undo.push(
                RecordCommand(ctx, _("Adjourn the hearing"), case_id=case_id, do=adjourn, undo=undo, already_done=True)
            )
            on_success(view)

        mutate(ctx, adjourn, case_id=case_id, owner=self, on_success=done, on_failure=on_failure, parent=self)

    def _said_date(self) -> date | datetime | None:
        try:
            value = self.date_field.value()
        except InvalidInput as exc:
            self.date_field.show_error(exc.message)
            return None
        if value is None:
            self.date_field.show_error(_("Type the date that was said first."))
        return value

    def make_deadline(self) -> None:
        self.field.setFocus()  # whatever happens, the next words go to the note field
        value = self._said_date()
        if value is None:
            return
        if isinstance(value, datetime):
            self.date_field.show_error(_("A deadline is a day: remove the time."))
            return
        typed = self.field.toPlainText().strip()
        title = typed or _("Deadline set at the hearing of {day}").format(day=long_date(self.hearing.starts_at))

        def created(_view: Any) -> None:
            self.date_field.set_text("")
            # The note names the deadline once: "Délai : Mémoire en réplique — 3 mars", "Délai fixé à l'audience :
            # 3 mars" (not "Délai : Délai fixé à l'audience du … — 3 mars").
            said = (
                _("Deadline: {title} — {day}").format(title=title, day=long_date(value))
                if typed
                else _("Deadline set at the hearing: {day}").format(day=long_date(value))
            )
            self.save_note(said, clear_field=bool(typed))

        save_create(
            self.ctx,
            records.DEADLINE,
            parent_id=self.case_id,
            case_id=self.case_id,
            values={"title": title, "due_on": value},
            text=_("Add deadline"),
            owner=self,
            on_success=created,
            on_failure=lambda error: self.date_field.show_error(str(error)),
        )

    def make_next_hearing(self) -> None:
        self.field.setFocus()
        value = self._said_date()
        if value is None:
            return
        if not isinstance(value, datetime):
            self.date_field.show_error(_("A hearing needs a time too, e.g. “12 mars 14h”."))
            return

        def created(view: HearingView) -> None:
            self.date_field.set_text("")
            self.save_note(_("Next hearing: {when}").format(when=long_datetime(view.starts_at)), clear_field=False)

        save_create(
            self.ctx,
            records.HEARING,
            parent_id=self.case_id,
            case_id=self.case_id,
            values={
                "starts_at": value,
                "court": self.hearing.court or self.case_court,
                "room": self.hearing.room,
                "kind": self.hearing.kind,
                "status": HearingStatus.SCHEDULED.value,
            },
            text=_("Add hearing"),
            owner=self,
            on_success=created,
            on_failure=lambda error: self.date_field.show_error(str(error)),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set_geometry("hearing_mode", self.saveGeometry())
        super().closeEvent(event)
