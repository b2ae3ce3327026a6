"""The parties, filings and deadlines tabs."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from PySide6.QtWidgets import QLabel, QWidget

from caseapp.domain.enums import DeadlineStatus, FilingKind, Outcome, PartyKind, PartyRole
from caseapp.i18n import N_, _, current_language
from caseapp.services.views import CaseDetail, DeadlineView, FilingView, PartyView
from ui import style
from ui.actions import make_action
from ui.case_view.base import RecordTab
from ui.context import AppContext
from ui.deadline_kinds import BIRTH, COURT, EXPECTED, born_on, date_kind_of, is_users_task, titled
from ui.dialogs.deadline_dialog import DeadlineDialog
from ui.dialogs.filing_dialog import FilingDialog
from ui.dialogs.form import FormDialog, SaveFn
from ui.dialogs.party_dialog import PartyDialog
from ui.formatting import long_date, one_line, short_date, today
from ui.i18n import label
from ui.models.table import Column
from ui.operations import records
from ui.operations.lookups import known_parties
from ui.undo import save_edit


class PartiesTab(RecordTab):
    tab_id = "parties"
    kind = records.PARTY
    texts: ClassVar[dict[str, str]] = {
        "add": N_("Add party"),
        "edit": N_("Edit party"),
        "delete": N_("Remove party"),
        "confirm": N_("Remove {name} from this case? The party stays known for other cases."),
        "empty": N_("No parties yet. Add the applicants, the respondent and any interveners."),
    }

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        columns: list[Column[PartyView]] = [
            Column(N_("Name"), lambda p: p.name, stretch=True),
            Column(N_("Role"), lambda p: label(PartyRole, p.role)),
            Column(N_("Kind"), lambda p: label(PartyKind, p.kind)),
            Column(N_("Counsel"), lambda p: p.counsel or "—"),
            Column(N_("Counsel's contact"), lambda p: p.counsel_contact or "—"),
        ]
        super().__init__(ctx, columns, parent)
        self.known: list[tuple[uuid.UUID, str]] = []

    def rows(self, case: CaseDetail) -> list[Any]:
        return list(case.parties)

    def describe(self, record: PartyView) -> str:
        return record.name

    def show_case(self, case: CaseDetail) -> None:
        super().show_case(case)
        known_parties(self.ctx, owner=self, on_success=self._known)

    def _known(self, known: list[tuple[uuid.UUID, str]]) -> None:
        self.known = known

    def make_dialog(self, record: PartyView | None, save: SaveFn) -> FormDialog:
        return PartyDialog(self.ctx, self, save, record, self.known)


def filing_title(filing: FilingView) -> str:
    return filing.title or label(FilingKind, filing.kind)


class FilingsTab(RecordTab):
    tab_id = "filings"
    kind = records.FILING
    texts: ClassVar[dict[str, str]] = {
        "add": N_("Add filing"),
        "edit": N_("Edit filing"),
        "delete": N_("Delete filing"),
        "confirm": N_("Delete the filing “{name}”? Deadlines it started are recomputed."),
        "empty": N_("No filings yet: the application, briefs, and the decisions with their notification."),
    }

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        columns: list[Column[FilingView]] = [
            Column(N_("Date"), lambda f: short_date(f.filed_on), sort=lambda f: f.filed_on),
            Column(N_("Kind"), lambda f: label(FilingKind, f.kind)),
            Column(N_("Title"), filing_title, stretch=True),
            Column(N_("By"), lambda f: f.party_name or "—"),
            Column(N_("Outcome"), lambda f: label(Outcome, f.outcome)),
            Column(N_("Notified on"), lambda f: short_date(f.notified_on), sort=lambda f: f.notified_on),
        ]
        super().__init__(ctx, columns, parent)

    def rows(self, case: CaseDetail) -> list[Any]:
        return list(case.filings)

    def describe(self, record: FilingView) -> str:
        return filing_title(record)

    def make_dialog(self, record: FilingView | None, save: SaveFn) -> FormDialog:
        parties = [(p.party_id, p.name) for p in self.case.parties] if self.case else []
        unique = list(dict(parties).items())
        return FilingDialog(self.ctx, self, save, record, unique, case=self.case)


class DeadlinesTab(RecordTab):
    tab_id = "deadlines"
    kind = records.DEADLINE
    texts: ClassVar[dict[str, str]] = {
        "add": N_("Add deadline"),
        "edit": N_("Edit deadline"),
        "delete": N_("Delete deadline"),
        "confirm": N_("Delete the deadline “{name}”?"),
        "empty": N_("No deadlines. Deadlines set by law appear here when the event that starts them is recorded."),
    }

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        columns: list[Column[DeadlineView]] = [
            # a date is a last day to act, or the day an implicit decision is born, or the court's duty
            Column(N_("Date"), lambda d: short_date(d.due_on), sort=lambda d: d.due_on),
            Column(N_("What"), lambda d: titled(d, d.title, short_date(d.due_on)), stretch=True),
            Column(N_("Status"), lambda d: label(DeadlineStatus, d.status)),
            Column(N_("Legal basis"), lambda d: d.legal_basis or "—"),
            Column(N_("From"), lambda d: short_date(d.trigger_on) if d.trigger_on else _("entered by hand")),
        ]
        super().__init__(ctx, columns, parent)
        self.done_action = self.extra_action(
            make_action(self, _("Mark done"), self.mark_done, icon="ok", name="deadlines_done")
        )
        self.explanation = QLabel(self)
        self.explanation.setObjectName("deadline_explanation")
        self.explanation.setWordWrap(True)
        style.set_muted_style(self.explanation)
        self.layout_.addWidget(self.explanation)
        self.table.selection_did_change.connect(self._explain)

    def rows(self, case: CaseDetail) -> list[Any]:
        return list(case.deadlines)

    def needs_attention(self, record: DeadlineView) -> bool:
        """An open last day to act that has come: a birth or the court's duty never is the user's overdue task."""
        return record.status == DeadlineStatus.OPEN.value and is_users_task(record) and record.due_on <= today()

    def make_dialog(self, record: DeadlineView | None, save: SaveFn) -> FormDialog:
        return DeadlineDialog(self.ctx, self, save, record)

    def update_actions(self) -> None:
        super().update_actions()
        if hasattr(self, "done_action"):
            record = self.selected()
            self.done_action.setEnabled(record is not None and record.status == DeadlineStatus.OPEN.value)
            # a deadline set by a rule follows its event: it is cancelled or moved, not deleted
            self.delete_action.setEnabled(record is not None and not record.rule_id)

    def _explain(self, record: DeadlineView | None) -> None:
        if record is None:
            self.explanation.clear()
            return
        text = record.explanation_fr if current_language() == "fr" else record.explanation_en
        parts = []
        kind = date_kind_of(record)
        if kind == BIRTH:
            parts.append(born_on(long_date(record.due_on)) + ".")
        elif kind == COURT:
            parts.append(_("This date is for the court to keep, not a last day for you."))
        elif kind == EXPECTED:
            parts.append(_("An answer is expected from the authority by this date: it is not a last day for you."))
        parts.append(one_line(text, 600))
        if record.arguable_on:
            parts.append(_("Arguably due on {day}.").format(day=short_date(record.arguable_on)))
        if record.override_reason:
            parts.append(_("Changed by hand: {reason}").format(reason=record.override_reason))
        self.explanation.setText("  ".join(p for p in parts if p))

    def mark_done(self) -> None:
        record = self.selected()
        if record is None or self.case is None:
            return
        save_edit(
            self.ctx,
            self.kind,
            record_id=record.id,
            case_id=self.case.id,
            version=record.version,
            old_values=records.deadline_values(record),
            new_values=records.deadline_values(record) | {"status": DeadlineStatus.DONE.value},
            text=_("Mark deadline done"),
            owner=self,
            on_success=lambda _view: None,
            on_failure=lambda error: self.ctx.errors.present(error, self),
        )
