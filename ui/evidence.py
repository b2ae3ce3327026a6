"""The evidence tab: numbered exhibits, files dropped or picked, taken in with proof of integrity.

Files are hashed and copied into the store in the background (progress with Cancel after a moment); each gets the
next number. Exhibits can be moved up or down (which renumbers them 1, 2, 3…), opened read-only, and verified:
every stored file is hashed again and any mismatch is said in plain words.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from caseapp.i18n import N_, _, ngettext
from caseapp.services.views import CaseDetail, EvidenceView
from ui.actions import make_action
from ui.case_view.base import RecordTab
from ui.context import AppContext
from ui.dialogs.evidence_dialog import EvidenceDialog
from ui.dialogs.form import FormDialog, SaveFn
from ui.formatting import file_size, short_date, short_datetime
from ui.icons import icon
from ui.models.table import Column
from ui.operations import evidence as ops
from ui.operations import records

NOT_CHECKED = object()


class EvidenceTab(RecordTab):
    tab_id = "evidence"
    kind = records.EVIDENCE
    sortable = False  # the order is the exhibits' numbering
    texts: ClassVar[dict[str, str]] = {
        "add": N_("Add exhibit"),
        "edit": N_("Edit exhibit"),
        "delete": N_("Delete exhibit"),
        "confirm": N_("Delete exhibit {name}? Its file stays in the evidence store."),
        "empty": N_("No exhibits yet. Drop files anywhere on this case, or use Add files…"),
    }

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        self.checks: dict[uuid.UUID, str | None] = {}  # exhibit -> problem (None = intact), after "Verify"
        columns: list[Column[EvidenceView]] = [
            Column(N_("No."), lambda e: str(e.number), sort=lambda e: e.number, align_right=True),
            Column(N_("Title"), lambda e: e.title, stretch=True),
            Column(N_("Date"), lambda e: short_date(e.document_date), sort=lambda e: e.document_date),
            Column(N_("Source"), lambda e: e.source or "—"),
            Column(N_("File"), lambda e: e.file.original_name if e.file else _("no file")),
            Column(
                N_("Size"),
                lambda e: file_size(e.file.size) if e.file else "—",
                sort=lambda e: e.file.size if e.file else -1,
                align_right=True,
            ),
            Column(N_("Integrity"), self._integrity_text, icon=self._integrity_icon, tooltip=self._integrity_tip),
        ]
        super().__init__(ctx, columns, parent)
        self.add_action.setText(_("Add without file…"))
        self.files_action = self.extra_action(
            make_action(self, _("Add files…"), self.pick_files, icon="evidence", name="evidence_files")
        )
        self.text_kept.append(self.files_action)
        self.up_action = self.extra_action(
            make_action(self, _("Move up"), lambda: self.move(-1), icon="up", name="evidence_up")
        )
        self.down_action = self.extra_action(
            make_action(self, _("Move down"), lambda: self.move(1), icon="down", name="evidence_down")
        )
        self.renumber_action = self.extra_action(
            make_action(
                self,
                _("Renumber"),
                self.renumber,
                icon="renumber",
                name="evidence_renumber",
                tip=_("Number the exhibits 1, 2, 3… in their current order, closing gaps"),
            ),
        )
        self.open_action = self.extra_action(
            make_action(
                self,
                _("Open"),
                self.open_selected,
                icon="open",
                name="evidence_open",
                tip=_("Open a read-only copy of the file"),
            )
        )
        self.verify_action = self.table.add_side_action(  # in sight, never folded into the tool row's »
            make_action(
                self,
                _("Verify"),
                self.verify,
                icon="verify",
                name="evidence_verify",
                tip=_("Hash every stored file again and compare with the intake"),
            )
        )
        for action in (self.up_action, self.down_action):  # their icons say it (the text is in their tooltip)
            action.setPriority(QAction.Priority.LowPriority)
        self.last_intake: ops.IntakeResult | None = None
        self.verify_box: QMessageBox | None = None
        self.opened: list[Path] = []

    # -- table --------------------------------------------------------------------------------------------------

    def rows(self, case: CaseDetail) -> list[Any]:
        return sorted(case.evidence, key=lambda e: e.number)

    def describe(self, record: EvidenceView) -> str:
        return f"n° {record.number} — {record.title}"

    def make_dialog(self, record: EvidenceView | None, save: SaveFn) -> FormDialog:
        filings = [(f.id, f.title or f.kind) for f in self.case.filings] if self.case else []
        return EvidenceDialog(self.ctx, self, save, record, filings)

    def needs_attention(self, record: EvidenceView) -> bool:
        return self.checks.get(record.id, NOT_CHECKED) not in (None, NOT_CHECKED)

    def _ask_about(self, held_back: list[tuple[Path, str]]) -> None:
        """An empty file or one the case already holds: skipped unless the person keeps it knowingly."""
        lines = "\n".join(f"• {path.name}: {why}" for path, why in held_back)
        question = ngettext(
            "This file was not added:\n{files}\n\nAdd it anyway, as a new exhibit?",
            "These {count} files were not added:\n{files}\n\nAdd them anyway, as new exhibits?",
            len(held_back),
        ).format(count=len(held_back), files=lines)
        keep = ngettext("Add it anyway", "Add them anyway", len(held_back))
        if self.ctx.prompts.confirm(self, _("Adding exhibits"), question, action=keep):
            self.take_in([path for path, _why in held_back], keep_doubtful=True)

    def _integrity_text(self, record: EvidenceView) -> str:
        if record.file is None:
            return "—"
        state = self.checks.get(record.id, NOT_CHECKED)
        if state is NOT_CHECKED:
            return _("checked at intake")  # its SHA-256 was taken as it came in; Verify compares it again
        return _("intact") if state is None else _("CHANGED")

    def _integrity_icon(self, record: EvidenceView) -> Any:
        state = self.checks.get(record.id, NOT_CHECKED)
        if record.file is None or state is NOT_CHECKED:
            return None
        return icon("ok") if state is None else icon("warning")

    def _integrity_tip(self, record: EvidenceView) -> str | None:
        state = self.checks.get(record.id, NOT_CHECKED)
        sha = f"SHA-256 {record.file.sha256}" if record.file else None
        if isinstance(state, str):
            return f"{state}\n{sha}"
        if state is NOT_CHECKED and record.file is not None:
            taken = _("Hashed when it was taken in ({when}); Verify compares the stored file with it again.").format(
                when=short_datetime(record.file.added_at)
            )
            return f"{taken}\n{sha}"
        return sha

    def update_actions(self) -> None:
        super().update_actions()
        if not hasattr(self, "verify_action"):
            return
        record = self.selected()
        items = self.table.model.rows
        row = self.table.model.row_of(record.id) if record else -1
        self.files_action.setEnabled(self.case is not None)
        self.up_action.setEnabled(row > 0)
        self.down_action.setEnabled(0 <= row < len(items) - 1)
        self.renumber_action.setEnabled(bool(items))
        self.open_action.setEnabled(record is not None and record.file is not None)
        self.verify_action.setEnabled(any(e.file for e in items))

    # -- taking files in ----------------------------------------------------------------------------------------

    def pick_files(self) -> None:
        paths = self.ctx.prompts.open_files(self, _("Add files as exhibits"))
        if paths:
            self.take_in(paths)

    def take_in(self, paths: list[Path], *, keep_doubtful: bool = False) -> None:
        if self.case is None or not paths:
            return
        ops.take_in_files(
            self.ctx, self.case.id, paths, parent=self.window(), on_done=self._taken_in, keep_doubtful=keep_doubtful
        )

    def _taken_in(self, result: ops.IntakeResult) -> None:
        self.last_intake = result
        if result.held_back and not result.cancelled:
            self._ask_about(result.held_back)
        if result.added:
            self.table.select_id(result.added[-1].id)
        lines = [f"{name}: {why}" for name, why in result.refused]
        if result.cancelled:
            lines.insert(0, _("Cancelled: no exhibit was added."))
        if lines:
            self.ctx.prompts.inform(self, _("Adding exhibits"), "\n".join(lines))
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if result.added and callable(bar):
            bar().showMessage(
                ngettext("{count} exhibit added.", "{count} exhibits added.", len(result.added)).format(
                    count=len(result.added)
                ),
                5000,
            )

    # -- order --------------------------------------------------------------------------------------------------

    def move(self, step: int) -> None:
        record = self.selected()
        if record is None or self.case is None:
            return
        order = [e.id for e in self.table.model.rows]
        row = order.index(record.id)
        target = row + step
        if not 0 <= target < len(order):
            return
        new_order = list(order)
        new_order[row], new_order[target] = new_order[target], new_order[row]
        ops.renumber(self.ctx, self.case.id, new_order, order, text=_("Move exhibit"))

    def renumber(self) -> None:
        if self.case is None:
            return
        order = [e.id for e in self.table.model.rows]
        ops.renumber(self.ctx, self.case.id, None, order, text=_("Renumber exhibits"))

    # -- files --------------------------------------------------------------------------------------------------

    def open_selected(self) -> None:
        record = self.selected()
        if record is None or record.file is None:
            return
        ops.prepare_to_open(self.ctx, record, parent=self, on_success=self._open_path)

    def _open_path(self, path: Path | None) -> None:
        if path is None:
            return
        self.opened.append(path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def verify(self) -> None:
        if self.case is None:
            return
        ops.verify(self.ctx, self.case.id, parent=self, on_done=self._verified)

    def _verified(self, results: list[Any]) -> None:
        self.checks = {r.evidence.id: r.problem for r in results}
        self.table.model.layoutChanged.emit()
        problems = [r for r in results if r.problem]
        box = QMessageBox(self)
        box.setObjectName("verify_result")
        box.setWindowTitle(_("Verify exhibits"))
        if not results:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText(_("No exhibit of this case has a file to check."))
        elif not problems:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText(
                ngettext(
                    "The file is exactly as it was when taken in.",
                    "All {count} files are exactly as they were when taken in.",
                    len(results),
                ).format(count=len(results))
            )
        else:
            box.setIcon(QMessageBox.Icon.Warning)
            lines = [
                _("Exhibit n° {number} — {title}: {problem}").format(
                    number=r.evidence.number, title=r.evidence.title, problem=r.problem
                )
                for r in problems
            ]
            box.setText(
                _("{bad} of {count} files no longer match what was taken in:").format(
                    bad=len(problems), count=len(results)
                )
                + "\n\n"
                + "\n".join(lines)
            )
        details = [
            f"n° {r.evidence.number}  {r.evidence.file.sha256 if r.evidence.file else ''}  "
            + (r.problem or _("intact"))
            for r in results
        ]
        box.setDetailedText("\n".join(details))
        self.verify_box = box
        box.open()
