"""The case header: title, court, number, status, whether someone took the case offline, and the next hearing and
deadline at a glance."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from caseapp.domain.enums import CaseStatus, Procedure
from caseapp.i18n import _, ngettext
from caseapp.services.views import CaseDetail
from ui import spacing, style
from ui.deadline_kinds import BIRTH, COURT, EXPECTED, born_on, date_kind_of, is_overdue, is_users_task
from ui.formatting import long_date, long_datetime, paris_zone, today
from ui.i18n import label
from ui.icons import icon


def _days_until(day: date, *, task: bool = True) -> str:
    """How far the day is; a past day is "overdue" only when it was the user's to act by."""
    now = today()
    delta = (day - now).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if delta < 0:
        return (
            ngettext("overdue by {days} day", "overdue by {days} days", -delta).format(days=-delta)
            if task
            else ngettext("{days} day ago", "{days} days ago", -delta).format(days=-delta)
        )
    return ngettext("in {days} day", "in {days} days", delta).format(days=delta)


class CaseHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setObjectName("case_title")
        self.title.setWordWrap(True)
        self.title.setFont(style.scaled_font(self, spacing.TITLE_FONT_SCALE, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel(self)
        self.facts.setObjectName("case_facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.taken_offline = QLabel(self)  # "Taken offline by … on …": a plain line, nothing is locked
        self.taken_offline.setObjectName("taken_offline")
        self.taken_offline.setWordWrap(True)
        self.taken_offline.setVisible(False)
        self.next_hearing_label = QLabel(_("Next hearing"), self)
        self.next_hearing = QLabel(self)
        self.next_hearing.setObjectName("next_hearing")
        self.next_hearing.setWordWrap(True)
        self.next_deadline_label = QLabel(_("Next deadline"), self)
        self.next_deadline = QLabel(self)
        self.next_deadline.setObjectName("next_deadline")
        self.next_deadline.setWordWrap(True)
        for caption in (self.next_hearing_label, self.next_deadline_label):
            style.set_muted_style(caption)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(spacing.SECTION)
        grid.addWidget(self.next_hearing_label, 0, 0)
        grid.addWidget(self.next_hearing, 0, 1)
        grid.addWidget(self.next_deadline_label, 1, 0)
        grid.addWidget(self.next_deadline, 1, 1)
        grid.setColumnStretch(1, 1)
        self.documents_button = QToolButton(self)
        self.documents_button.setObjectName("documents_button")
        self.documents_button.setText(_("Documents"))
        self.documents_button.setIcon(icon("print"))
        self.documents_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.documents_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.documents_button.setVisible(False)
        self.bundle_button = QToolButton(self)
        self.bundle_button.setObjectName("bundle_button")
        self.bundle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.bundle_button.setVisible(False)
        title_row = QHBoxLayout()
        spacing.flush(title_row)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.documents_button, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.bundle_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = spacing.flush(QVBoxLayout(self), spacing.TIGHT)
        layout.addLayout(title_row)
        layout.addWidget(self.facts)
        layout.addWidget(self.taken_offline)
        layout.addSpacing(spacing.TIGHT)
        layout.addLayout(grid)

    def set_actions(self, documents: list[QAction], bundle: QAction | None) -> None:
        """The case's documents (a menu on the Documents button) and the bundle export, next to the title."""
        menu = QMenu(self.documents_button)
        for action in documents:
            menu.addAction(action)
        self.documents_button.setMenu(menu)
        self.documents_button.setVisible(bool(documents))
        if bundle is not None:
            self.bundle_button.setDefaultAction(bundle)
            self.bundle_button.setVisible(True)

    def show_case(self, case: CaseDetail) -> None:
        title = case.title + (f"  [{_('example')}]" if case.example else "")
        self.title.setText(title)
        facts = [
            case.court or _("No court yet"),
            _("No. {number}").format(number=case.court_number) if case.court_number else _("No number yet"),
            label(CaseStatus, case.status),
        ]
        if case.procedure:
            facts.append(label(Procedure, case.procedure))
        self.facts.setText("  ·  ".join(facts))
        mark = case.taken_offline
        if mark is not None:
            from caseapp.services.checkouts import describe

            self.taken_offline.setText(describe(mark))
        self.taken_offline.setVisible(mark is not None)
        hearing = case.next_hearing
        if hearing is None:
            self.next_hearing.setText(_("None scheduled"))
        else:
            where = ", ".join(part for part in (hearing.court, hearing.room) if part)
            when = long_datetime(hearing.starts_at)
            self.next_hearing.setText(
                f"{when} ({_days_until(hearing.starts_at.astimezone(paris_zone()).date())})"
                + (f" — {where}" if where else "")
            )
        deadline = case.next_deadline
        if deadline is None:
            self.next_deadline.setText(_("None open"))
        else:
            kind = date_kind_of(deadline)
            when = f"{long_date(deadline.due_on)} ({_days_until(deadline.due_on, task=is_users_task(deadline))})"
            if kind == BIRTH:  # never a last day
                when = born_on(when)
                text = f"{when} — {deadline.title}"
            elif kind == COURT:
                text = f"{when} — " + _("For the court: {title}").format(title=deadline.title)
            elif kind == EXPECTED:
                text = f"{when} — " + _("Answer expected: {title}").format(title=deadline.title)
            else:
                text = f"{when} — {deadline.title}"
            self.next_deadline.setText(text)
        overdue = deadline is not None and is_overdue(deadline, deadline.due_on, today())
        font = self.next_deadline.font()
        font.setBold(overdue)
        self.next_deadline.setFont(font)
