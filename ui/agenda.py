"""The first screen: what is coming across all cases — overdue deadlines first, then hearings and deadlines by
date — and the active cases with nothing coming, which deserve a look. An empty case file offers the examples.

Deadlines overdue by more than ``RECENT_OVERDUE_DAYS`` are counted, not listed (years of deadlines never marked done
would bury this week); a line under the title says how many, and one click lists them too, to review and close.

Once the agenda is on screen, it checks whether this version of CaseApp computes deadlines by other rules than the
case file's: if so, a banner says how many deadlines would change and opens the review (``ui.deadline_review``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseapp.i18n import N_, _, ngettext
from ui import spacing, style
from ui.actions import make_action
from ui.context import AppContext
from ui.deadline_kinds import BIRTH, CLOSING, COURT, EXPECTED, born_on, date_kind_of, is_users_task
from ui.formatting import short_date, short_time, today
from ui.i18n import label
from ui.icons import icon
from ui.models.table import Column, RecordTableModel
from ui.operations import cases as case_ops
from ui.operations import deadline_review as review_ops
from ui.operations.lookups import kept_agenda, load_agenda
from ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from caseapp.services.deadline_review import RecomputePreview
    from caseapp.services.views import CaseRow, Changes

HORIZONS = (
    (14, N_("Next 2 weeks")),
    (30, N_("Next 30 days")),
    (60, N_("Next 60 days")),
    (90, N_("Next 3 months")),
    (365, N_("Next 12 months")),
)
REFRESH_KINDS = {"case", "hearing", "deadline", "filing", "access_request"}
RECENT_OVERDUE_DAYS = 90
ALL_OVERDUE_DAYS = 365 * 100


def _when(day: date) -> str:
    now = today()
    delta = (day - now).days
    if delta == 0:
        return _("Today")
    if delta == 1:
        return _("Tomorrow")
    return short_date(day)


def _status_text(case: CaseRow) -> str:
    from caseapp.domain.enums import CaseStatus

    return label(CaseStatus, case.status)


def overdue(item: Any) -> bool:
    """Past and still to act on: the day an implicit decision is born, or the court's own duty, never is."""
    return bool(item.overdue) and (item.kind == "hearing" or is_users_task(item))


def _kind_text(item: Any) -> str:
    if item.kind == "hearing":
        return _("Hearing")
    kind = date_kind_of(item)
    if kind == BIRTH:
        return born_on(short_date(item.day))
    if kind == COURT:
        return _("For the court")
    if kind == EXPECTED:
        return _("Answer expected")
    if kind == CLOSING:
        return _("Investigation closes")
    return _("Overdue deadline") if overdue(item) else _("Deadline")


def _in_order(items: Any) -> list[Any]:
    """Overdue first, then by date (the service puts every past date first; a birth is not overdue)."""
    return sorted(items, key=lambda i: not overdue(i))


class AgendaPage(QWidget):
    hearing_mode_requested = Signal(object)  # AgendaItem of a hearing

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agenda_page")
        self.ctx = ctx
        self.agenda: Any = None
        self.all_overdue = False  # list every overdue deadline, not only the recent ones
        title = QLabel(_("Agenda"), self)
        title.setFont(style.scaled_font(self, spacing.TITLE_FONT_SCALE, bold=True))
        self.summary = QLabel(self)
        self.summary.setObjectName("agenda_summary")
        self.summary.setWordWrap(True)  # a busy agenda's counts wrap rather than widen the window past a small screen
        style.set_muted_style(self.summary)
        self.horizon = QComboBox(self)
        self.horizon.setObjectName("agenda_horizon")
        for days, text in HORIZONS:
            self.horizon.addItem(_(text), days)
        self.horizon.setCurrentIndex(max(0, self.horizon.findData(ctx.settings.agenda_days)))
        self.horizon.currentIndexChanged.connect(self._horizon_changed)
        top = QHBoxLayout()
        spacing.flush(top)
        top.addWidget(title)
        top.addSpacing(spacing.SECTION)
        top.addWidget(self.summary, 1)
        top.addWidget(self.horizon)
        self.notice = QLabel(self)
        self.notice.setObjectName("agenda_notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.notice.linkActivated.connect(lambda _link: self.show_all_overdue(not self.all_overdue))
        self.rules_banner = QLabel(self)
        self.rules_banner.setObjectName("rules_banner")
        self.rules_banner.setWordWrap(True)
        self.rules_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.rules_banner.setMargin(spacing.SPACING)
        self.rules_banner.setVisible(False)
        self.rules_banner.linkActivated.connect(lambda _link: self.review_rules())
        self.rules_preview: RecomputePreview | None = None
        self.review_dialog: QWidget | None = None
        self._rules_checked = False  # once per start, after the first agenda is on screen
        item_columns: list[Column[Any]] = [
            Column(
                N_("Date"),
                lambda i: _when(i.day),
                sort=lambda i: (not overdue(i), i.day.isoformat()),
                icon=lambda i: icon("warning") if overdue(i) else None,
            ),
            Column(N_("Time"), lambda i: short_time(i.at) if i.at else "", sort=lambda i: i.at),
            Column(N_("What"), _kind_text, icon=lambda i: icon("hearing" if i.kind == "hearing" else "deadline")),
            Column(N_("Case"), lambda i: i.case_title or "—"),
            Column(N_("Number"), lambda i: i.court_number or "—"),
            Column(N_("Details"), lambda i: i.title or "—", stretch=True),
        ]
        self.items = RecordTable(
            RecordTableModel(
                item_columns,
                self,
                bold_when=overdue,
                record_id=lambda i: (i.hearing or i.deadline).id if (i.hearing or i.deadline) else None,
            ),
            name="agenda_items",
            settings=ctx.settings,
            empty_text=_("Nothing scheduled in this period."),
            sortable=False,
            parent=self,
        )
        self.mode_action = self.items.add_action(
            make_action(self, _("Hearing mode"), self._hearing_mode, icon="hearing", name="agenda_hearing_mode")
        )
        self.items.record_activated.connect(self._open_item)
        self.items.selection_did_change.connect(self._selection)
        idle_columns: list[Column[CaseRow]] = [
            Column(N_("Case"), lambda c: c.title, stretch=True),
            Column(N_("Court"), lambda c: c.court or "—"),
            Column(N_("Number"), lambda c: c.court_number or "—"),
            Column(N_("Status"), _status_text),
        ]
        self.idle = RecordTable(
            RecordTableModel(idle_columns, self),
            name="agenda_idle",
            settings=ctx.settings,
            empty_text=_("Every active case has a hearing or a deadline coming."),
            parent=self,
        )
        self.idle.record_activated.connect(lambda case: ctx.events.open_case(case.id, "overview"))
        idle_box = QWidget(self)
        idle_layout = spacing.flush(QVBoxLayout(idle_box), spacing.TIGHT)
        idle_caption = QLabel(_("Active cases with nothing coming"), self)
        idle_caption.setFont(style.scaled_font(self, 1.1, bold=True))
        idle_layout.addWidget(idle_caption)
        idle_layout.addWidget(self.idle)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("agenda_splitter")
        self.splitter.addWidget(self.items)
        self.splitter.addWidget(idle_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.welcome = self._welcome()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.welcome)
        layout = spacing.page(QVBoxLayout(self))
        layout.addLayout(top)
        layout.addWidget(self.rules_banner)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        ctx.events.operation_did_execute.connect(self._changed)
        self._selection(None)

    def _welcome(self) -> QWidget:
        box = QWidget(self)
        box.setObjectName("welcome")
        card = QWidget(box)
        card.setMaximumWidth(640)
        text = QLabel(
            _(
                "<h2>Welcome to CaseApp</h2><p>Your case file is empty. You can look around with a few real, public "
                "cases (the facial-recognition experiment in two high schools and the automated video surveillance "
                "in Marseille), marked as examples, or start with your own case.</p>"
            ),
            card,
        )
        text.setWordWrap(True)
        self.demo_button = QPushButton(icon("demo"), _("Load example cases"), card)
        self.demo_button.setObjectName("load_demo_button")
        self.demo_button.setDefault(True)
        self.new_case_button = QPushButton(icon("add"), _("Create a case"), card)
        self.new_case_button.setObjectName("create_case_button")
        buttons = QHBoxLayout()
        spacing.flush(buttons)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.new_case_button)
        buttons.addStretch(1)
        card_layout = spacing.flush(QVBoxLayout(card), spacing.SECTION)
        card_layout.addWidget(text)
        card_layout.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return box

    # -- data ---------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        days = int(self.horizon.currentData() or 60)
        overdue_days = ALL_OVERDUE_DAYS if self.all_overdue else RECENT_OVERDUE_DAYS
        load_agenda(self.ctx, days, overdue_days=overdue_days, owner=self, on_success=self._loaded)
        case_ops.count_cases(self.ctx, owner=self, on_success=self._counted)

    def show_kept(self) -> None:
        """While the case file opens: the agenda the last start kept, if nothing changed since (the one read from
        the case file replaces it)."""
        days = int(self.horizon.currentData() or 60)
        overdue_days = ALL_OVERDUE_DAYS if self.all_overdue else RECENT_OVERDUE_DAYS
        kept = kept_agenda(self.ctx, days, overdue_days=overdue_days)
        if kept is not None:
            self._loaded(kept, kept=True)

    def _loaded(self, agenda: Any, *, kept: bool = False) -> None:
        self.agenda = agenda
        self.items.set_rows(_in_order(agenda.items))
        self.idle.set_rows(list(agenda.idle_cases))
        late = sum(1 for item in agenda.items if overdue(item))
        hearings = sum(1 for item in agenda.items if item.kind == "hearing")
        deadlines = len(agenda.items) - hearings
        parts = [
            ngettext("{count} hearing", "{count} hearings", hearings).format(count=hearings),
            ngettext("{count} deadline", "{count} deadlines", deadlines).format(count=deadlines),
        ]
        if late:
            parts.insert(0, _("{count} overdue").format(count=late))
        if agenda.more:
            parts.append(_("{count} more not shown: choose a shorter period").format(count=agenda.more))
        self.summary.setText(" · ".join(parts))
        self._show_notice(agenda.older_overdue)
        if not self._rules_checked and not kept:  # the case file is open: the kept agenda comes before it
            self._rules_checked = True
            QTimer.singleShot(0, self.check_rules)  # after this agenda has painted

    def _show_notice(self, older: int) -> None:
        """The line about deadlines overdue for long: how many are hidden, or that they are listed."""
        if self.all_overdue:
            text = _('Every overdue deadline is listed, however old. <a href="hide">Show only the last {days} days</a>')
        elif older:
            text = ngettext(
                "{count} open deadline passed more than {days} days ago and is not listed: mark it done or missed "
                'in its case. <a href="show">List it</a>',
                "{count} open deadlines passed more than {days} days ago and are not listed: mark each one done "
                'or missed in its case. <a href="show">List them</a>',
                older,
            )
        else:
            self.notice.setVisible(False)
            return
        self.notice.setText(text.format(count=older, days=RECENT_OVERDUE_DAYS))
        self.notice.setVisible(True)

    def show_all_overdue(self, listed: bool) -> None:
        """List every overdue deadline (``True``) or only those of the last ``RECENT_OVERDUE_DAYS`` days."""
        self.all_overdue = listed
        self.refresh()

    def _counted(self, count: int) -> None:
        self.stack.setCurrentWidget(self.welcome if count == 0 else self.splitter)
        self.summary.setVisible(count > 0)
        self.horizon.setVisible(count > 0)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.kinds & REFRESH_KINDS:
            self.refresh()
        if "deadline" in changes.kinds and self.rules_banner.isVisible():
            review_ops.rules_changed(self.ctx, owner=self, on_success=self._still_changed)

    # -- rules changed with this version ------------------------------------------------------------------------

    def check_rules(self) -> None:
        """Whether the case file's deadlines were computed by other rules; if so, what recomputing would change."""
        review_ops.rules_changed(self.ctx, owner=self, on_success=self._rules_answer)

    def _rules_answer(self, changed: bool) -> None:
        if changed:
            review_ops.preview(self.ctx, owner=self, on_success=self._rules_preview)

    def _rules_preview(self, preview: RecomputePreview) -> None:
        if preview.total == 0:  # nothing would change: the case file simply takes this version's rules
            review_ops.apply(self.ctx, preview.token, owner=self, on_failure=lambda _error: None)
            return
        self.rules_preview = preview
        text = _(
            "⚠ The deadline rules changed with this version of CaseApp: {count} deadline(s) would change. "
            '<a href="review">Review…</a>'
        ).format(count=preview.total)
        self.rules_banner.setText(text)
        self.rules_banner.setVisible(True)

    def _still_changed(self, changed: bool) -> None:
        if not changed:
            self.rules_banner.setVisible(False)
            self.rules_preview = None

    def review_rules(self) -> None:
        from ui.deadline_review import open_review

        dialog = open_review(self.ctx, self, self.rules_preview)
        dialog.did_apply.connect(lambda _done: self._still_changed(False))
        self.review_dialog = dialog

    def _horizon_changed(self) -> None:
        self.ctx.settings.agenda_days = int(self.horizon.currentData() or 60)
        self.refresh()

    # -- opening ------------------------------------------------------------------------------------------------

    def _open_item(self, item: Any) -> None:
        if item.case_id is None:
            return
        if item.kind == "hearing":
            self.ctx.events.open_case(item.case_id, "hearings", item.hearing.id if item.hearing else None)
        else:
            self.ctx.events.open_case(item.case_id, "deadlines", item.deadline.id if item.deadline else None)

    def _selection(self, item: Any) -> None:
        self.mode_action.setEnabled(item is not None and item.kind == "hearing")

    def _hearing_mode(self) -> None:
        item = self.items.selected()
        if item is not None and item.kind == "hearing":
            self.hearing_mode_requested.emit(item)
