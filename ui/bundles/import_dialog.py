"""Importing a colleague's case bundle: open it (asking the passphrase if it is encrypted), show what importing
would do — who signed it, what will be added, updated, deleted or left unchanged, every conflict with a choice for
each field both sides changed (``ui.bundles.conflicts``) — and import it in one transaction once the person agrees.

A bundle without a trusted signature is imported only after an explicit confirmation, which the history records.
A bundle that fails any check is refused with the reason, in plain words, and leaves nothing behind.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseapp.errors import BundleError, Cancelled
from caseapp.i18n import N_, _, ngettext
from caseapp.services.editing import field_label
from ui import spacing, style
from ui.bundles.conflicts import ConflictsPanel, labels, shown
from ui.context import AppContext
from ui.formatting import one_line, short_datetime
from ui.icons import icon
from ui.operations import bundles as ops

TRUSTED, UNKNOWN, UNSIGNED = "trusted", "unknown", "unsigned"  # caseapp.bundle.importer's signature statuses
EXPANDED = 12  # groups this small are shown open
# caseapp.bundle.crypt's refusal of a wrong passphrase: the question is asked again, with it
WRONG_PASSPHRASE = N_("The passphrase is wrong: the bundle could not be opened.")


def _value(value: Any) -> str:
    """A value on one line of the list of updates (in full in its tooltip)."""
    return one_line(shown(value), 60)


class ImportPreviewDialog(QDialog):
    import_did_finish = Signal(object)  # the ImportReport

    def __init__(self, ctx: AppContext, preview: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_preview")
        self.ctx = ctx
        self.preview = preview
        self.report: Any = None
        self.importing = False
        self.conflicts: ConflictsPanel | None = None
        self.tabs: QTabWidget | None = None
        self.additions_section: QTreeWidgetItem | None = None
        self.setWindowTitle(_("Import case bundle"))
        self.setMinimumSize(720, 560)
        trusted = preview.signature.status == TRUSTED

        title = QLabel(preview.case_title, self)
        title.setObjectName("import_case_title")
        title.setWordWrap(True)
        title.setFont(style.scaled_font(self, spacing.TITLE_FONT_SCALE, bold=True))
        facts = [
            _("Exported by {who} on {when} with CaseApp {version}.").format(
                who=preview.exported_by, when=short_datetime(preview.exported_at), version=preview.app_version
            ),
            _("It was encrypted; it opened and every file checks out.")
            if preview.encryption
            else _("Every file checks out."),
        ]
        self.facts = QLabel(" ".join(facts), self)
        self.facts.setWordWrap(True)
        style.set_muted_style(self.facts)

        self.signature = QLabel(self)
        self.signature.setObjectName("import_signature")
        self.signature.setWordWrap(True)
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signature.setText(self._signature_text())
        badge = QLabel(self)
        badge.setPixmap(icon("ok" if trusted else "warning").pixmap(24, 24))
        badge.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.confirm = QCheckBox(self)
        self.confirm.setObjectName("import_confirm_unsigned")
        self.confirm.setText(
            _(
                "I know where this bundle comes from: import it without a trusted signature "
                "(recorded in the case's history)"
            )
        )
        self.confirm.setVisible(not trusted)
        self.confirm.toggled.connect(self._update)
        signature_box = QFrame(self)
        signature_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(signature_box)
        row = QHBoxLayout()
        row.addWidget(badge, 0)
        row.addWidget(self.signature, 1)
        box.addLayout(row)
        box.addWidget(self.confirm)

        self.summary = QLabel(self)
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.summary.setText(self._summary_text())
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("import_changes")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Record"), _("Details")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setWordWrap(True)
        self._fill_tree()
        self.tree.setVisible(self.tree.topLevelItemCount() > 0)
        changes = self.tree
        if preview.conflicts:
            self.conflicts = ConflictsPanel(preview.conflicts, self)
            changes = self.conflicts
            if self.tree.topLevelItemCount():
                self.tabs = QTabWidget(self)
                self.tabs.setObjectName("import_tabs")
                self.tabs.setDocumentMode(True)
                self.tabs.addTab(
                    self.conflicts, icon("warning"), _("To decide ({count})").format(count=self.conflicts.count)
                )
                others = len(preview.additions) + len(preview.updates) + len(preview.deletions)
                self.tabs.addTab(self.tree, _("Other changes ({count})").format(count=others))
                changes = self.tabs
            self._fit_screen()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("import_apply")
        self.import_button.setIcon(icon("bundle_import"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        if self.nothing_to_change:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))

        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(title)
        layout.addWidget(self.facts)
        layout.addWidget(signature_box)
        layout.addWidget(self.summary)
        layout.addWidget(changes, 1)
        for note in preview.notes:
            extra = QLabel(_("Note: {note}").format(note=note), self)
            extra.setWordWrap(True)
            layout.addWidget(extra)
        if changes is self.tree and self.tree.topLevelItemCount() == 0:
            layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._update()

    # -- what it says -------------------------------------------------------------------------------------------

    def _fit_screen(self) -> None:
        """Room for the conflicts' texts side by side, within the screen (1024×700 included)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        self.resize(min(1000, area.width() - 24), min(760, area.height() - 24))

    @property
    def nothing_to_change(self) -> bool:
        return bool(self.preview.nothing_to_do) and not self.preview.conflicts

    @property
    def needs_confirmation(self) -> bool:
        return self.preview.signature.status != TRUSTED

    def _signature_text(self) -> str:
        signature = self.preview.signature
        if signature.status == TRUSTED:
            return _("Signed by {name}, whose key you trust ({fingerprint}).").format(
                name=signature.name or "—", fingerprint=signature.shown
            )
        if signature.status == UNKNOWN:
            return _(
                "Signed with a key that is not trusted here. Its fingerprint is {fingerprint}: check it with "
                "{name} (by phone, say) before importing, or trust it in File › Bundle keys…"
            ).format(fingerprint=signature.shown, name=signature.name or _("the sender"))
        return _("Not signed: nothing shows who made this bundle. Import it only if you know where it comes from.")

    def _summary_text(self) -> str:
        preview = self.preview
        if self.nothing_to_change:
            return _("Nothing to change: everything in this bundle is already here.")
        parts = [
            _("To add: {count}").format(count=len(preview.additions)),
            _("To update: {count}").format(count=len(preview.updates)),
            _("Conflicts: {count}").format(count=len(preview.conflicts)),
            _("Unchanged: {count}").format(count=preview.unchanged),
        ]
        files = ngettext(
            "Evidence files: {new} of {total} to add; history: {events} new event.",
            "Evidence files: {new} of {total} to add; history: {events} new events.",
            preview.new_history,
        ).format(new=preview.new_files, total=preview.files, events=preview.new_history)
        return " · ".join(parts) + "\n" + files

    def _section(self, text: str, icon_name: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [text])
        item.setIcon(0, icon(icon_name))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        return item

    def _fill_tree(self) -> None:
        preview = self.preview
        if preview.additions:
            section = self._section(_("To add ({count})").format(count=len(preview.additions)), "add")
            self.additions_section = section
            kinds = Counter(change.label for change in preview.additions)
            for label, count in sorted(kinds.items()):
                group = QTreeWidgetItem(section, [f"{count} × {label}"])
                for change in preview.additions:
                    if change.label == label:
                        QTreeWidgetItem(group, [change.label, change.description])
                group.setExpanded(count <= EXPANDED)
            section.setExpanded(True)
        if preview.updates:
            section = self._section(_("To update ({count})").format(count=len(preview.updates)), "edit")
            for change in preview.updates:
                item = QTreeWidgetItem(section, [change.label, change.description])
                for name in change.fields:
                    mine, theirs = change.mine.get(name), change.theirs.get(name)
                    row = QTreeWidgetItem(
                        item,
                        [field_label(name), _("{mine} → {theirs}").format(mine=_value(mine), theirs=_value(theirs))],
                    )
                    row.setToolTip(1, _("{mine} → {theirs}").format(mine=shown(mine), theirs=shown(theirs)))
                if change.kept:
                    QTreeWidgetItem(item, ["", _("Kept as here: {fields}.").format(fields=labels(change.kept))])
                item.setExpanded(len(preview.updates) <= EXPANDED)
            section.setExpanded(True)
        if preview.deletions:
            section = self._section(
                _("To delete, as in the bundle ({count})").format(count=len(preview.deletions)), "delete"
            )
            for change in preview.deletions:
                QTreeWidgetItem(section, [change.label, change.description])
            section.setExpanded(len(preview.deletions) <= EXPANDED)

    def section_texts(self) -> list[str]:
        """The headings of the list, as shown (tests read them)."""
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def addition_texts(self) -> list[str]:
        """Each record to add, as "kind: description" (tests read them)."""
        section = self.additions_section
        if section is None:
            return []
        found = []
        for j in range(section.childCount()):
            group = section.child(j)
            found += [f"{group.child(k).text(0)}: {group.child(k).text(1)}" for k in range(group.childCount())]
        return found

    # -- importing ----------------------------------------------------------------------------------------------

    def _update(self) -> None:
        allowed = not self.nothing_to_change and (self.confirm.isChecked() or not self.needs_confirmation)
        self.import_button.setEnabled(allowed and not self.importing)
        self.import_button.setVisible(not self.nothing_to_change)
        if self.needs_confirmation and not self.confirm.isChecked():
            self.import_button.setToolTip(
                _("Tick the confirmation above to import a bundle without a trusted signature.")
            )
        else:
            self.import_button.setToolTip("")

    def chosen(self) -> dict[Any, str]:
        """The conflicts' choices: ``{(record_id, field): choice}`` per field, ``{record_id: choice}`` for a conflict
        about a whole record."""
        return self.conflicts.chosen() if self.conflicts is not None else {}

    def set_choice(self, record_id: Any, choice: str, name: str | None = None) -> None:
        if self.conflicts is not None:
            self.conflicts.set_choice(record_id, choice, name)

    def apply(self) -> None:
        if not self.import_button.isEnabled():
            return
        self.importing = True
        self._update()
        ops.apply(
            self.ctx,
            self.preview,
            choices=self.chosen(),
            accept_unsigned=self.needs_confirmation and self.confirm.isChecked(),
            parent=self,
            on_success=self._imported,
            on_failure=self._failed,
        )

    def _imported(self, report: Any) -> None:
        self.importing = False
        self.report = report
        self.preview = None  # used up
        self.import_did_finish.emit(report)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.importing = False
        self.preview = None  # the import used it up: open the bundle again to retry
        if not isinstance(error, Cancelled):
            self.ctx.errors.present(error, self.parentWidget())
        self.reject()

    def done(self, result: int) -> None:
        if self.importing:
            return  # the import is running: it finishes (or is cancelled from its progress dialog) first
        if self.preview is not None:
            ops.discard(self.ctx, self.preview)
            self.preview = None
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.importing:
            event.ignore()
            return
        super().closeEvent(event)


def report_text(report: Any) -> str:
    from caseapp.services.bundles import report_sentence

    return report_sentence(report, title=True)


class BundleImport(QObject):
    """One import, from the file to the preview dialog: asks the passphrase when the bundle needs one (again,
    with the reason, when it was wrong) and explains a refused bundle plainly."""

    preview_did_open = Signal(object)  # the ImportPreviewDialog

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.parent_widget = parent
        self.dialog: ImportPreviewDialog | None = None
        self.error: BaseException | None = None
        self.finished = False

    def start(self) -> None:
        ops.encryption_of(self.ctx, self.path, owner=self, on_success=self._encryption_known, on_failure=self._refused)

    def _encryption_known(self, encryption: str | None, problem: str | None = None) -> None:
        passphrase = None
        if encryption == "passphrase":
            text = _("“{name}” is encrypted with a passphrase. Type it to open the bundle.").format(name=self.path.name)
            if problem:
                text = problem + "\n\n" + text
            passphrase = self.ctx.prompts.passphrase(self.parent_widget, _("Open case bundle"), text)
            if passphrase is None:
                self._finish()
                return

        def refused(error: BaseException) -> None:
            wrong = isinstance(error, BundleError) and error.message in (WRONG_PASSPHRASE, _(WRONG_PASSPHRASE))
            if encryption == "passphrase" and wrong:
                self._encryption_known(encryption, error.message)  # a typo: ask again, saying why
                return
            self._refused(error)

        ops.open_bundle(
            self.ctx,
            self.path,
            passphrase=passphrase,
            parent=self.parent_widget,
            owner=self,
            on_success=self._opened,
            on_failure=refused,
        )

    def _opened(self, preview: Any) -> None:
        dialog = ImportPreviewDialog(self.ctx, preview, self.parent_widget)
        self.dialog = dialog
        dialog.import_did_finish.connect(self._imported)
        dialog.finished.connect(lambda _result: self._finish())
        dialog.open()
        self.preview_did_open.emit(dialog)

    def _imported(self, report: Any) -> None:
        self.ctx.prompts.inform(self.parent_widget, _("Import case bundle"), report_text(report))
        self.ctx.events.open_case(report.case_id)

    def _refused(self, error: BaseException) -> None:
        self.error = error
        if not isinstance(error, Cancelled):
            self.ctx.errors.present(error, self.parent_widget)
        self._finish()

    def _finish(self) -> None:
        self.finished = True
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None


def start_import(ctx: AppContext, path: Path, parent: QWidget | None) -> BundleImport:
    flow = BundleImport(ctx, path, parent)
    flow.start()
    return flow
