"""What a person reads: moments in local time (never "UTC"), Qt's own dialogs in French, counts with the right
plural, undo and redo named in the history, bundle errors in plain words, sizes with a unit, party roles translated."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel, QTreeWidget, QTreeWidgetItemIterator, QWidget
from pytestqt.qtbot import QtBot

from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
from caseapp.services import hearings
from tests.ui.conftest import FakePrompts, idle, until
from tests.ui.test_bundles import export_from, preview_of
from tests.ui.test_documents import LYCEES, open_example
from ui.context import AppContext, Location, new_context
from ui.main_window import MainWindow
from ui.settings import Settings

HEARING = datetime(2026, 12, 8, 13, 30, tzinfo=UTC)  # 14h30 in Paris


@pytest.fixture(autouse=True)
def keystore() -> Iterator[MemoryKeyStore]:
    store = MemoryKeyStore()
    set_default_keystore(store)
    yield store
    set_default_keystore(None)


def visible_texts(widget: QWidget) -> list[str]:
    """Every text a person can read in ``widget``: labels, tree items (and their tooltips), table cells."""
    from PySide6.QtWidgets import QAbstractItemView

    found: list[str] = []
    for label in widget.findChildren(QLabel):
        found.append(label.text())
    for tree in widget.findChildren(QTreeWidget):
        items = QTreeWidgetItemIterator(tree)
        while items.value():
            item = items.value()
            for column in range(tree.columnCount()):
                found += [item.text(column), item.toolTip(column)]
            items += 1
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or isinstance(view, QTreeWidget):
            continue
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        found.append(value)
    return found


def test_a_hearing_at_13_30_utc_reads_14_30_in_the_history_and_the_import_preview(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path, template_db: Path
) -> None:
    case_id = open_example(qtbot, window, ctx, LYCEES)
    hearings.add_hearing(ctx.core, case_id, starts_at=HEARING, court="Tribunal administratif de Paris")
    idle(qtbot, ctx)
    window.case_view.show_case(case_id, "history")
    idle(qtbot, ctx)
    history = window.case_view.tab("history")
    until(qtbot, lambda: any("Tribunal administratif de Paris" in text for text in visible_texts(history)))
    texts = visible_texts(history)
    assert any("14:30" in text for text in texts if "Tribunal administratif de Paris" in text)
    assert not [text for text in texts if "UTC" in text or "+00:00" in text or "13:30" in text]

    bundle = tmp_path / "lycees.casebundle"
    export_from(qtbot, window, prompts, bundle, sign=False)
    folder = tmp_path / "colleague"
    folder.mkdir()
    shutil.copyfile(template_db, folder / template_db.name)
    other = new_context(
        Settings.open(tmp_path / "colleague-ui.ini"), Location(folder, None, "Colleague"), prompts=FakePrompts()
    )
    until(qtbot, lambda: other.tasks.ready)
    other_window = MainWindow(other)
    qtbot.addWidget(other_window)
    try:
        idle(qtbot, other)
        other_window.handle_arguments([str(bundle)])
        dialog = preview_of(qtbot, other_window)
        texts = visible_texts(dialog)
        assert any("14:30" in text for text in texts if "Tribunal administratif de Paris" in text), texts
        assert not [text for text in texts if "UTC" in text or "+00:00" in text]
        dialog.reject()
        idle(qtbot, other)
    finally:
        other_window.close()
        other.close()


def test_qt_own_dialogs_speak_french_once_the_interface_is_french(qtbot: QtBot) -> None:
    from ui.i18n import QtTranslations

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = QtTranslations()
    try:
        assert translations.apply(app, "fr")
        assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
        assert QCoreApplication.translate("QFileDialog", "Files of type:") != "Files of type:"
    finally:
        translations.apply(app, "en")


def test_an_undo_and_a_redo_say_so_in_the_history(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    from caseapp.services import history
    from tests.ui.test_cases import create_case, hearings_of

    create_case(qtbot, window, ctx)
    case = window.case_view.case
    assert case is not None
    hearing = hearings.add_hearing(ctx.core, case.id, starts_at=HEARING, court="Tribunal administratif de Paris")
    window.case_view.reload()
    window.case_view.set_tab("hearings")
    tab = window.case_view.tab("hearings")
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    tab.table.select_id(hearing.id)
    tab.delete_selected()
    until(qtbot, lambda: hearings_of(ctx, case.id) == ())
    ctx.undo.undo()
    until(qtbot, lambda: len(hearings_of(ctx, case.id)) == 1)
    ctx.undo.redo()
    until(qtbot, lambda: hearings_of(ctx, case.id) == ())
    idle(qtbot, ctx)
    lines = [event.summary for event in history.case_history(ctx.core, case.id) if event.entity == "hearing"]
    assert lines[0].startswith("Redo: ") and lines[1].startswith("Undo: "), lines
    assert not lines[2].startswith(("Redo", "Undo")) and "14:30" in lines[2]
    assert len(set(lines[:3])) == 3
    assert ctx.errors.history == []


def test_a_text_file_named_like_a_bundle_is_explained_without_a_traceback(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from caseapp.errors import BundleError

    notes = tmp_path / "notes.casebundle"
    notes.write_text("Audience du 8 décembre : penser aux pièces.\n" * 20, encoding="utf-8")
    window.handle_arguments([str(notes)])
    until(qtbot, lambda: ctx.errors.history)
    (error,) = ctx.errors.history
    assert isinstance(error, BundleError)
    until(qtbot, lambda: window.findChild(QMessageBox, "error_box") is not None)
    box = window.findChild(QMessageBox, "error_box")
    assert "damaged or incomplete" in box.text()
    details = box.detailedText()
    assert details and "Traceback" not in details and 'File "' not in details
    assert "export the case again" in details
    box.reject()


def test_counts_take_the_form_their_number_needs_in_french_and_english(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from types import SimpleNamespace

    from caseapp.cli.cases import counted
    from caseapp.i18n import set_language
    from caseapp.services.bundles import written_sentence
    from caseapp.services.sizes import human_size
    from tests.ui.test_cases import create_case

    create_case(qtbot, window, ctx)
    until(qtbot, lambda: window.case_list.model.rowCount() == 1)
    idle(qtbot, ctx)
    one = SimpleNamespace(path="a.casebundle", size=195_401 * 1024, records=12, files=1)
    two = SimpleNamespace(path="a.casebundle", size=2048, records=12, files=2)
    try:
        for lang, case_shown, requests, sizes, bundles in [
            (
                "en",
                "1 case shown",
                ("1 CADA request", "2 CADA requests"),
                ("190.8 MB", "2.0 KB", "900 bytes"),
                ("1 evidence file.", "2 evidence files."),
            ),
            (
                "fr",
                "1 affaire affichée",
                ("1 demande CADA", "2 demandes CADA"),
                ("190,8 Mo", "2,0 ko", "900 octets"),
                ("1 fichier de pièces.", "2 fichiers de pièces."),
            ),
        ]:
            set_language(lang)
            window.case_list._update_count()
            assert window.case_list.count.text().startswith(case_shown)
            assert (counted("access requests", 1), counted("access requests", 2)) == requests
            assert (human_size(one.size), human_size(2048), human_size(900)) == sizes
            assert written_sentence(one).endswith(bundles[0]) and sizes[0] in written_sentence(one)
            assert written_sentence(two).endswith(bundles[1])
    finally:
        set_language("en")


def test_party_roles_are_translated_where_records_are_described() -> None:
    from caseapp.casefile.kinds import CASE_PARTY
    from caseapp.i18n import set_language

    describe = CASE_PARTY.describe
    assert describe({"role": "applicant"}) == "Applicant"
    set_language("fr")
    try:
        assert describe({"role": "applicant"}) == "Requérant"
        assert describe({"role": "respondent"}) == "Défendeur"
    finally:
        set_language("en")


def test_one_month_is_not_months() -> None:
    from datetime import date

    from caseapp.services.deadline_plans import _birth

    _born, _fr, english = _birth(date(2026, 1, 5), 1, "Demande", "Request")
    assert "within 1 month," in english[0]
    _born, _fr, english = _birth(date(2026, 1, 5), 2, "Demande", "Request")
    assert "within 2 months," in english[0]


def test_the_history_details_read_14h30_in_french_and_name_no_zone() -> None:
    import uuid

    from caseapp.casefile.views import AuditView
    from caseapp.i18n import set_language
    from ui.case_view.history import _changes

    changes = {"starts_at": "2026-12-08T13:30:00+00:00", "case_id": str(uuid.uuid4()), "court": "TA Paris"}
    event = AuditView(
        uuid.uuid4(), HEARING, "Me Dupont", "create", "hearing", uuid.uuid4(), None,
        "Audience ajoutée : 08/12/2026 14h30 — TA Paris", changes, None,
    )  # fmt: skip
    set_language("fr")
    try:
        text = _changes(event)
    finally:
        set_language("en")
    assert "14h30" in text and "13:30" not in text and "UTC" not in text and "+00:00" not in text
    assert "case_id" not in text and "TA Paris" in text
