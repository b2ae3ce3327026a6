"""The overview tab: everything about the case itself, the case it follows and the ones that follow it — and, first,
what a lawyer should look at in it (a référé-suspension with no main action pending…)."""

from __future__ import annotations

import html as html_module
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from caseapp.domain.enums import CaseStatus, Matter, ParentRelation, Procedure
from caseapp.i18n import _, current_language
from caseapp.services.views import CaseDetail
from ui import spacing, style
from ui.case_view.base import CaseTab
from ui.context import AppContext
from ui.formatting import long_date, short_datetime
from ui.i18n import label
from ui.icons import icon


def _value_label(parent: QWidget, name: str) -> QLabel:
    widget = QLabel(parent)
    widget.setObjectName(name)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    widget.setOpenExternalLinks(False)
    return widget


def escape(text: str) -> str:
    return html_module.escape(text, quote=False)


def _case_link(case_id: uuid.UUID, text: str) -> str:
    return f'<a href="case:{case_id}">{escape(text)}</a>'


class OverviewTab(CaseTab):
    tab_id = "overview"
    edit_requested = Signal()
    delete_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.values: dict[str, QLabel] = {}
        body = QWidget(self)
        form = QFormLayout(body)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(spacing.SPACING)
        rows = [
            ("court", _("Court")),
            ("court_number", _("Case number")),
            ("reference", _("Our reference")),
            ("procedure", _("Procedure")),
            ("matter", _("Matter")),
            ("status", _("Status")),
            ("opened_on", _("Opened on")),
            ("closed_on", _("Closed on")),
            ("parent", _("Follows")),
            ("children", _("Followed by")),
            ("tags", _("Tags")),
            ("subject", _("Subject")),
            ("summary", _("Summary")),
            ("updated", _("Last change")),
        ]
        for name, caption in rows:
            value = _value_label(body, name)
            value.linkActivated.connect(self._link)
            caption_label = QLabel(caption, body)
            style.set_muted_style(caption_label)
            form.addRow(caption_label, value)
            self.values[name] = value
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.edit_button = QPushButton(icon("edit"), _("Edit case…"), self)
        self.edit_button.setObjectName("edit_case_button")
        self.edit_button.clicked.connect(self.edit_requested)
        self.delete_button = QPushButton(icon("delete"), _("Delete case…"), self)
        self.delete_button.clicked.connect(self.delete_requested)
        buttons = QHBoxLayout()
        spacing.flush(buttons)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.checks = QWidget(self)
        self.checks.setObjectName("case_checks")
        self.checks_layout = spacing.flush(QVBoxLayout(self.checks), spacing.TIGHT)
        self.checks.setVisible(False)
        self.check_lines: list[str] = []  # what the warnings say (tests and screen readers read it)
        layout = spacing.flush(QVBoxLayout(self))
        layout.setContentsMargins(0, spacing.SPACING, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.checks)
        layout.addWidget(scroll, 1)

    def show_case(self, case: CaseDetail) -> None:
        super().show_case(case)
        dash = "—"
        parent = dash
        if case.parent_id:
            relation = label(ParentRelation, case.parent_relation, empty=_("Related to"))
            parent = f"{escape(relation)} {_case_link(case.parent_id, case.parent_title or str(case.parent_id))}"
        children = "<br>".join(_case_link(child.id, child.title) for child in case.children) or dash
        texts = {
            "court": escape(case.court or dash),
            "court_number": escape(case.court_number or dash),
            "reference": escape(case.reference or dash),
            "procedure": escape(label(Procedure, case.procedure)),
            "matter": escape(label(Matter, case.matter or Matter.GENERAL.value)),
            "status": escape(label(CaseStatus, case.status)),
            "opened_on": long_date(case.opened_on),
            "closed_on": long_date(case.closed_on),
            "parent": parent,
            "children": children,
            "tags": escape(", ".join(case.tags) or dash),
            "subject": escape(case.subject or dash).replace("\n", "<br>"),
            "summary": escape(case.summary or dash).replace("\n", "<br>"),
            "updated": short_datetime(case.updated_at),
        }
        for name, text in texts.items():
            self.values[name].setText(text)
        self._show_checks(case)

    def _show_checks(self, case: CaseDetail) -> None:
        """One warning line per thing to look at, in the interface language."""
        while self.checks_layout.count():
            item = self.checks_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        lang = current_language()
        self.check_lines = [check.message(lang) for check in case.checks]
        for check in case.checks:
            line = QLabel("⚠ " + check.message(lang), self.checks)
            line.setObjectName(f"check_{check.code}")
            line.setWordWrap(True)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            style.set_error_style(line)
            self.checks_layout.addWidget(line)
        self.checks.setVisible(bool(case.checks))

    def _link(self, href: str) -> None:
        if href.startswith("case:"):
            self.ctx.events.open_case(uuid.UUID(href[5:]))
