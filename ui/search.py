"""Search everything as you type: cases, hearing notes, filings, opinions, exhibits, CADA requests.

Accents do not matter ("refere" finds "référé"); the last word is matched as a prefix, so results come while the
word is being typed. A result opens its case on the right tab with the record selected.

Every key starts a search at once (the keys of one turn of the event loop — a paste, a held key — make one
search): a search takes a few milliseconds even on 10,000 cases, so waiting for a pause in the typing would
only add its own delay. An answer is shown only if nothing was typed since it was asked.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from caseapp.i18n import N_, _, ngettext
from caseapp.services.views import SearchHit
from ui import spacing, style
from ui.context import AppContext
from ui.icons import icon
from ui.models.table import Column, RecordTableModel
from ui.operations.lookups import opinion_cases, search
from ui.shortcuts import let_through
from ui.widgets.record_table import RecordTable

TYPING_DELAY_MS = 0  # the next turn of the event loop
KIND_LABELS = {
    "case": N_("Case"),
    "filing": N_("Filing"),
    "note": N_("Hearing note"),
    "opinion": N_("Opinion"),
    "evidence": N_("Exhibit"),
    "access_request": N_("CADA request"),
}
KIND_ICONS = {
    "case": "cases",
    "filing": "filing",
    "note": "note",
    "opinion": "opinion",
    "evidence": "evidence",
    "access_request": "access",
}
KIND_TABS = {
    "case": "overview",
    "filing": "filings",
    "note": "hearings",
    "opinion": "opinions",
    "evidence": "evidence",
    "access_request": "access",
}


# the keys that move through the results from the search field, and by how many rows
_STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}


class SearchPage(QWidget):
    search_started = Signal(str)  # the text sent to the worker ("" when the field was cleared)
    results_shown = Signal(str)  # the text whose results the table now shows

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_page")
        self.ctx = ctx
        self._asked = 0  # number of the latest query; older answers are dropped
        self._shown = 0
        self.field = QLineEdit(self)
        self.field.setObjectName("search_field")
        self.field.setPlaceholderText(_("Search cases, notes, filings, opinions, exhibits… (accents optional)"))
        self.field.setClearButtonEnabled(True)
        self.field.setFont(style.scaled_font(self, 1.2))
        self.field.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.summary = QLabel(self)
        self.summary.setObjectName("search_summary")
        style.set_muted_style(self.summary)
        columns: list[Column[SearchHit]] = [
            Column(
                N_("Found in"),
                lambda h: _(KIND_LABELS.get(h.kind, h.kind)),
                icon=lambda h: icon(KIND_ICONS.get(h.kind, "search")),
            ),
            Column(N_("Title"), lambda h: h.title),
            Column(N_("Extract"), lambda h: " ".join(h.snippet.split()), stretch=True),
            Column(N_("Case"), lambda h: h.case_title or "—"),
        ]
        self.results = RecordTable(
            RecordTableModel(columns, self, record_id=lambda h: h.record_id),
            name="search_results",
            settings=ctx.settings,
            parent=self,
        )
        self.results.record_activated.connect(self.open_hit)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(self.field)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.returnPressed.connect(self._open_first)
        self.field.installEventFilter(self)  # the arrow keys walk the results while typing goes on in the field
        let_through(self.field, "edit_case")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = _STEPS.get(Qt.Key(event.key()))
            if step is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self.move_selection(step)
                return True
        return super().eventFilter(watched, event)

    def move_selection(self, step: int) -> None:
        """Select the result ``step`` rows down (up when negative), staying in the list; Enter opens it."""
        count = self.results.proxy.rowCount()
        if not count:
            return
        current = self.results.view.currentIndex().row()
        row = max(0, min(count - 1, (current if current >= 0 else -1 if step > 0 else count) + step))
        self.results.select_row(row)
        self.results.view.scrollTo(self.results.proxy.index(row, 0))

    def focus_field(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    @property
    def answered(self) -> bool:
        """The table shows the results of what is in the field (no search waiting or running)."""
        return not self._timer.isActive() and self._shown == self._asked

    def run_search(self) -> None:
        self._timer.stop()
        text = self.field.text().strip()
        self._asked += 1
        number = self._asked
        self.search_started.emit(text)
        if not text:
            self._show(number, text, [])
            return
        search(self.ctx, text, owner=self, on_success=lambda hits: self._show(number, text, hits))

    def _show(self, number: int, text: str, hits: list[SearchHit]) -> None:
        if number != self._asked:
            return  # something was typed since: its own answer follows
        self._shown = number
        self.results.set_rows(hits)
        if not text:
            self.summary.setText("")
        elif hits:
            self.summary.setText(
                ngettext("{count} result for “{text}”", "{count} results for “{text}”", len(hits)).format(
                    count=len(hits), text=text
                )
            )
        else:
            self.summary.setText(_("Nothing found for “{text}”.").format(text=text))
        if hits and self.results.selected() is None:
            self.results.select_row(0)
        self.results_shown.emit(text)

    def _open_first(self) -> None:
        self.run_search() if self._timer.isActive() else None
        hit = self.results.selected()
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        tab = KIND_TABS.get(hit.kind, "overview")
        if hit.case_id is not None:
            self.ctx.events.open_case(hit.case_id, tab, hit.record_id)
            return
        if hit.kind == "opinion":  # opinions are shared: open the first case it bears on
            opinion_cases(
                self.ctx,
                hit.record_id,
                owner=self,
                on_success=lambda case_ids: self._open_opinion(hit, case_ids),
            )

    def _open_opinion(self, hit: SearchHit, case_ids: tuple[object, ...]) -> None:
        if case_ids:
            self.ctx.events.open_case(case_ids[0], "opinions", hit.record_id)  # type: ignore[arg-type]
        else:
            self.summary.setText(_("This opinion is not linked to any case yet."))
