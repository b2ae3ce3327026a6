"""The history tab: every change to the case, who made it and when (the audit log, read-only)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from caseapp.i18n import N_, _
from caseapp.services.bundles import value_for_people
from caseapp.services.editing import field_label
from caseapp.services.views import AuditView, CaseDetail
from ui import spacing
from ui.case_view.base import CaseTab
from ui.context import AppContext
from ui.formatting import short_datetime
from ui.models.table import Column, RecordTableModel
from ui.operations.cases import case_history
from ui.widgets.record_table import RecordTable

ACTIONS = {
    "create": N_("added"),
    "update": N_("edited"),
    "delete": N_("deleted"),
    "link": N_("linked"),
    "unlink": N_("unlinked"),
    "renumber": N_("renumbered"),
    "step": N_("step"),
    "checkout": N_("taken offline"),
    "checkin": N_("brought back"),
}


def _changes(event: AuditView) -> str:
    text = event.summary
    if event.origin is not None:
        text += "\n\n" + (event.origin.description or _("Imported from a bundle."))
    if not event.changes:
        return text
    return text + "\n\n" + "\n".join(_change_lines(event))[:2000]


def _change_lines(event: AuditView) -> list[str]:
    """What the event changed, field by field, as people read it: moments in local time, dates in words, no
    identifiers (never a stored form such as "2026-12-08T13:30:00+00:00")."""
    lines = []
    for name, value in event.changes.items():
        if name == "id" or name.endswith("_id"):
            continue
        if isinstance(value, dict):
            shown = json.dumps(value, ensure_ascii=False, default=str)
        elif event.action == "update" and isinstance(value, list) and len(value) == 2:
            shown = _("{mine} → {theirs}").format(mine=value_for_people(value[0]), theirs=value_for_people(value[1]))
        else:
            shown = value_for_people(value)
        lines.append(f"{field_label(name)}: {shown}")
    return lines


def _who(event: AuditView) -> str:
    """The author, and for an event that came in a bundle, that it did: an imported event never passes for one
    written here (and one that looks forged says so)."""
    if event.origin is None:
        return event.author
    if event.origin.suspicious:
        return _("{author} (imported — to check)").format(author=event.author)
    return _("{author} (imported)").format(author=event.author)


class HistoryTab(CaseTab):
    tab_id = "history"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        columns: list[Column[AuditView]] = [
            Column(N_("When"), lambda e: short_datetime(e.at), sort=lambda e: e.at),
            Column(N_("Who"), _who, tooltip=_changes),
            Column(N_("Action"), lambda e: _(ACTIONS.get(e.action, e.action))),
            Column(N_("What"), lambda e: e.summary, tooltip=_changes, stretch=True),
        ]
        self.table = RecordTable(
            RecordTableModel(columns, self), name="history_table", settings=ctx.settings, parent=self
        )
        self.table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        layout = spacing.flush(QVBoxLayout(self))
        layout.setContentsMargins(0, spacing.SPACING, 0, 0)
        layout.addWidget(self.table)
        self._loaded_for: object = None

    def show_case(self, case: CaseDetail) -> None:
        super().show_case(case)
        if self.isVisible():
            self.reload()
        else:
            self._loaded_for = None  # loaded when the tab is shown

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self.case is not None and self._loaded_for != (self.case.id, self.case.version, self.case.updated_at):
            self.reload()

    def reload(self) -> None:
        if self.case is None:
            return
        self._loaded_for = (self.case.id, self.case.version, self.case.updated_at)
        case_history(self.ctx, self.case.id, owner=self, on_success=self.table.set_rows)
