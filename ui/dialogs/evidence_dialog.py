"""Describe an exhibit: number, title, the document's date, where it came from, the filing it supports."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from caseapp.i18n import _
from caseapp.services.views import EvidenceView
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, long_text, text_or_none
from ui.formatting import file_size
from ui.widgets.combos import RecordCombo
from ui.widgets.date_field import DateField


class EvidenceDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        save: SaveFn,
        item: EvidenceView | None = None,
        filings: list[tuple[uuid.UUID, str]] | None = None,
    ) -> None:
        super().__init__(ctx, _("Edit exhibit") if item else _("Add an exhibit without a file"), parent, save)
        self.number = self.add_row("number", _("Number"), QLineEdit(str(item.number) if item else "", self))
        self.number.setPlaceholderText(_("next free number"))
        self.title_edit = self.add_row("title", _("Title"), QLineEdit(item.title if item else "", self), required=True)
        self.document_date = self.add_row(
            "document_date", _("Document date"), DateField("document_date", "date", parent=self)
        )
        self.source = self.add_row("source", _("Source"), long_text(self, lines=2))
        self.filing = self.add_row("filing_id", _("Filed with"), RecordCombo(empty="—", parent=self))
        self.description = self.add_row("description", _("Description"), long_text(self, lines=3))
        self.filing.set_choices(filings or [], item.filing_id if item else None)
        if item:
            self.document_date.set_value(item.document_date)
            self.source.setPlainText(item.source or "")
            self.description.setPlainText(item.description or "")
            if item.file:
                info = QLabel(
                    f"{item.file.original_name} — {file_size(item.file.size)}\nSHA-256 {item.file.sha256}", self
                )
                info.setWordWrap(True)
                info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.form.addRow(_("File"), info)
        self.title_edit.setFocus()

    def collect(self) -> Values:
        return {
            "number": self.number.text().strip() or None,
            "title": self.title_edit.text().strip(),
            "document_date": self.document_date.value(),
            "source": text_or_none(self.source),
            "filing_id": self.filing.value(),
            "description": text_or_none(self.description),
        }
