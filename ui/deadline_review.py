"""When a new version of CaseApp changes the deadline rules: what recomputing every deadline would add, change and
remove, case by case, applied only once approved.

Deadlines marked done or missed are never changed; one moved by hand keeps its date (the list says so). If the case
file changed between the preview and "Apply" (a colleague recorded a decision…), nothing is applied: the dialog says
so and offers to look at the new preview.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseapp.errors import Conflict
from caseapp.i18n import _
from ui import spacing, style
from ui.context import AppContext
from ui.formatting import short_date
from ui.operations import deadline_review as ops

if TYPE_CHECKING:
    from caseapp.services.deadline_events import DeadlineChange
    from caseapp.services.deadline_review import RecomputePreview


def change_text(change: DeadlineChange) -> str:
    """ "+ added — date", "~ changed: old → new", "− removed (date)"; one moved by hand says it keeps its date."""
    if change.action == "add":
        return f"+ {change.title} — {short_date(change.new_due)}"
    if change.action == "remove":
        return f"− {change.title} ({short_date(change.old_due)})"
    text = f"~ {change.title}: {short_date(change.old_due)} → {short_date(change.new_due)}"
    if change.old_due == change.new_due:
        text = f"~ {change.title} ({short_date(change.new_due)}): " + _("its explanation or flags change")
    if change.overridden:
        text += " — " + _("moved by hand: your date is kept")
    return text


def summary_text(preview: RecomputePreview) -> str:
    return _(
        "{added} to add, {changed} to change, {removed} to remove, in {cases} case(s). Deadlines marked done or "
        "missed are never changed."
    ).format(added=preview.added, changed=preview.changed, removed=preview.removed, cases=len(preview.cases))


class RecomputeDialog(QDialog):
    """Shows a preview (given, or worked out when the dialog opens) and applies it on "Apply"."""

    did_apply = Signal(object)  # RecomputePreview of what was done

    def __init__(self, ctx: AppContext, parent: QWidget | None, preview: RecomputePreview | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recompute_dialog")
        self.ctx = ctx
        self.preview: RecomputePreview | None = None
        self.setWindowTitle(_("Recompute deadlines"))
        self.setMinimumSize(620, 420)
        intro = QLabel(
            _(
                "Deadlines are computed by rules that name their article. Here is what computing every deadline again "
                "with this version's rules would change, case by case."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("recompute_summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("recompute_changes")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.error = QLabel(self)
        self.error.setObjectName("recompute_error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        style.set_error_style(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = self.buttons.addButton(_("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("recompute_apply")
        self.again_button = QPushButton(_("Review again"), self)
        self.again_button.setObjectName("recompute_again")
        self.buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.again_button.setVisible(False)  # after a conflict only (adding it to the box shows it)
        self.again_button.clicked.connect(self.load)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if preview is None:
            self.load()
        else:
            self.show_preview(preview)

    # -- the preview --------------------------------------------------------------------------------------------

    def load(self) -> None:
        self.preview = None
        self.error.setVisible(False)
        self.again_button.setVisible(False)
        self.apply_button.setEnabled(False)
        self.tree.clear()
        self.tree.setVisible(True)
        self.summary.setText(_("Working out what would change…"))
        ops.preview(self.ctx, owner=self, on_success=self.show_preview, on_failure=self._failed)

    def show_preview(self, preview: RecomputePreview) -> None:
        self.preview = preview
        self.tree.clear()
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.tree.setVisible(preview.total > 0)
        if preview.total == 0:
            self.summary.setText(_("Nothing to change: every deadline already follows this version's rules."))
            self.apply_button.setVisible(False)
            cancel.setText(_("Close"))
            return
        self.summary.setText(summary_text(preview))
        self.apply_button.setVisible(True)
        self.apply_button.setEnabled(True)
        cancel.setText(_("Cancel"))
        for case in preview.cases:
            top = QTreeWidgetItem([f"{case.case_title} ({len(case.changes)})"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for change in case.changes:
                item = QTreeWidgetItem([change_text(change)])
                item.setToolTip(0, change_text(change))
                top.addChild(item)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)

    def lines(self) -> list[str]:
        """Every line of the list, cases and their changes (tests read it)."""
        found: list[str] = []
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            found.append(top.text(0))
            found += [top.child(row).text(0) for row in range(top.childCount())]
        return found

    # -- applying -----------------------------------------------------------------------------------------------

    def apply(self) -> None:
        if self.preview is None or self.preview.total == 0:
            self.accept()
            return
        self.apply_button.setEnabled(False)
        self.error.setVisible(False)
        self.summary.setText(_("Recomputing the deadlines…"))
        ops.apply(
            self.ctx, self.preview.token, owner=self, parent=self, on_success=self._applied, on_failure=self._failed
        )

    def _applied(self, done: RecomputePreview) -> None:
        self.did_apply.emit(done)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Conflict):
            self.error.setText(error.message)
            self.error.setVisible(True)
            self.again_button.setVisible(True)
            self.apply_button.setEnabled(False)
            if self.preview is not None:
                self.summary.setText(summary_text(self.preview))
            return
        if self.preview is not None:
            self.summary.setText(summary_text(self.preview))
            self.apply_button.setEnabled(True)
        self.ctx.errors.present(error, self)


def open_review(ctx: AppContext, parent: QWidget | None, preview: RecomputePreview | None = None) -> RecomputeDialog:
    """Open the recompute dialog (with a preview already worked out, or working it out)."""
    dialog = RecomputeDialog(ctx, parent, preview)
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    dialog.open()
    return dialog
