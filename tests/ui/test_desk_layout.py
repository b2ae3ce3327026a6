"""The lawyer's desk at 1024×700 in French: tables that fit and say what they cut, widths remembered, tabs and the
evidence tab's "Verify" in sight, and text that fits its dialog (the bundle export, the print preview)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QLabel, QTableView, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from caseapp.i18n import set_language
from caseapp.identity.keys import MemoryKeyStore, no_keyring_warning, set_default_keystore
from tests.ui.conftest import idle, until
from tests.ui.test_documents import LYCEES, open_example, shown
from ui.bundles.export_dialog import ExportBundleDialog
from ui.context import AppContext
from ui.documents.preview import PrintPreviewWindow
from ui.main_window import MainWindow
from ui.models.table import Column, RecordTableModel
from ui.settings import Settings
from ui.widgets.record_table import RecordTable

WIDTH, HEIGHT = 1024, 700


@pytest.fixture
def french(ctx: AppContext) -> Iterator[None]:
    """The interface in French (asked for before the window is built; the ``ctx`` fixture sets English back)."""
    set_language("fr")
    yield


@pytest.fixture(autouse=True)
def keystore() -> Iterator[MemoryKeyStore]:
    store = MemoryKeyStore(warning=no_keyring_warning())  # no system keyring: the longest note of the dialog
    set_default_keystore(store)
    yield store
    set_default_keystore(None)


def desk(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    window.resize(WIDTH, HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    open_example(qtbot, window, ctx, LYCEES)
    qtbot.wait(50)


def cut_labels(root: QWidget) -> list[str]:
    """The visible labels whose text needs more height than they were given."""
    cut = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text():
            continue
        needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
        if needed > label.height():
            cut.append(f"{label.text()[:60]!r}: {needed} > {label.height()}")
    return cut


def test_the_case_tables_fit_the_window_and_verify_is_in_sight(
    qtbot: QtBot, french: None, window: MainWindow, ctx: AppContext
) -> None:
    desk(qtbot, window, ctx)
    view = window.case_view
    for tab_id in ("filings", "parties", "evidence"):
        view.set_tab(tab_id)
        qtbot.wait(20)
        table: QTableView = view.tab(tab_id).table.view
        header = table.horizontalHeader()
        right = max(header.sectionViewportPosition(s) + header.sectionSize(s) for s in range(header.count()))
        assert right <= table.viewport().width(), tab_id  # "Intégrité" and the others are on screen
        assert not table.horizontalScrollBar().isVisible(), tab_id
    evidence = view.tab("evidence")
    assert evidence.table.model.headerData(6, Qt.Orientation.Horizontal) == "Intégrité"
    buttons = [b for b in evidence.table.findChildren(QToolButton) if b.defaultAction() is evidence.verify_action]
    assert buttons and buttons[0].isVisible() and buttons[0].text() == "Vérifier"
    # every tab of the case in sight (none scrolled away), each titled in its tooltip
    bar = view.tab_widget.tabBar()
    assert all(bar.tabRect(i).right() <= bar.width() for i in range(bar.count()))
    assert bar.tabToolTip(0) == "Aperçu"
    assert ctx.errors.history == []


def test_cut_text_shows_whole_in_a_tooltip_and_titles_that_begin_alike_stay_apart(
    qtbot: QtBot, french: None, window: MainWindow, ctx: AppContext
) -> None:
    desk(qtbot, window, ctx)
    model = window.case_view.tab("evidence").table.model
    title = model.record(0).title
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == title
    window.show_page("cases")
    cases = window.case_list
    until(qtbot, lambda: cases.model.rowCount() == 5)
    # the title is cut at its end only when it must be, whole in its tooltip; it has the room the others leave
    assert cases.view.textElideMode() == Qt.TextElideMode.ElideRight
    assert cases.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole).startswith(cases.model.index(0, 0).data())
    header = cases.view.horizontalHeader()
    until(qtbot, lambda: header.sectionSize(0) >= min(cases.view.sizeHintForColumn(0), cases.view.viewport().width()))
    for column in range(1, header.count()):
        assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.ResizeToContents
    court = cases.model.index(0, 3).data()
    assert court and cases.model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == court


def test_a_table_s_widths_are_the_user_s_and_come_back_at_the_next_start(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "ui-settings.ini"
    settings = Settings.open(path)
    columns = [Column("Date", lambda r: r), Column("Title", lambda r: r * 5, stretch=True), Column("By", str)]

    def table() -> RecordTable:
        made = RecordTable(RecordTableModel(columns), name="widths", settings=settings)
        qtbot.addWidget(made)
        made.resize(600, 300)
        made.show()
        made.set_rows(["x", "yy"])
        return made

    first = table()
    header = first.view.horizontalHeader()
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch  # the long text takes the rest
    header.resizeSection(2, 177)  # the person drags the edge of "By"
    qtbot.wait(600)
    settings.sync()
    settings = Settings.open(path)  # the next start
    again = table()
    assert again.view.horizontalHeader().sectionSize(2) == 177


def test_the_export_dialog_and_the_preview_fit_in_french_at_1024_by_700(
    qtbot: QtBot, french: None, window: MainWindow, ctx: AppContext
) -> None:
    desk(qtbot, window, ctx)
    set_default_keystore(MemoryKeyStore(warning=no_keyring_warning()))  # its note in French too
    window.export_bundle_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, ExportBundleDialog)
    until(qtbot, lambda: dialog.keys is not None and dialog.isVisible())
    qtbot.wait(50)
    assert "trousseau" in dialog.sign_note.text()  # the long note about keys and the keyring
    assert cut_labels(dialog) == []
    dialog.by_passphrase.setChecked(True)  # the passphrase fields and their hint
    qtbot.wait(20)
    assert cut_labels(dialog) == []
    dialog.reject()

    window.summary_action.trigger()
    preview = window.preview
    assert isinstance(preview, PrintPreviewWindow)
    shown(qtbot, preview)
    screen = preview.screen() or QApplication.primaryScreen()
    area = screen.availableGeometry()
    assert area.contains(preview.frameGeometry()) and area.contains(preview.geometry())
    assert preview.height() <= area.height() * 0.9
    assert cut_labels(preview) == []
    preview.close()
    idle(qtbot, ctx)


def test_a_long_value_far_down_the_rows_is_measured_too(qtbot: QtBot, tmp_path: Path) -> None:
    """Qt measures only the rows in sight and FIT_ROWS more: a longer kind, 400 rows down and in a bold (overdue)
    row, must still get its whole width rather than be cut to "Référé-suspe…"."""
    from ui.widgets.record_table import FIT_ROWS

    long_kind = "Référé-suspension — ordonnance du juge des référés (L521-1 CJA)"
    rows = [f"{n:03d}" for n in range(500)]
    columns = [
        Column("Date", lambda r: "12/03/2027"),
        Column("Kind", lambda r: long_kind if r == "400" else "Audience"),
        Column("Case", lambda r: f"Association c/ Région — dossier {r}", stretch=True),
    ]
    model = RecordTableModel(columns, bold_when=lambda r: r == "400")
    made = RecordTable(model, name="far_down", settings=Settings.open(tmp_path / "ui.ini"))
    qtbot.addWidget(made)
    made.resize(1400, 400)
    made.show()
    qtbot.waitExposed(made)
    made.set_rows(rows)
    assert FIT_ROWS + 40 < 400  # the row is beyond what Qt measures
    bold = made.view.font()
    bold.setBold(True)
    from PySide6.QtGui import QFontMetrics

    needed = QFontMetrics(bold).horizontalAdvance(long_kind)
    until(qtbot, lambda: made.view.horizontalHeader().sectionSize(1) > needed)
