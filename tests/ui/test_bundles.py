"""Case bundles through the dialogs: export the example case, import it into a second data folder (the preview lists
what it adds; an unsigned bundle needs the explicit confirmation), import it again ("nothing to change"), a
dropped bundle, a hostile file refused plainly, and the keys dialog."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QTextBrowser
from pytestqt.qtbot import QtBot

from caseapp.errors import BundleError
from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
from caseapp.services import cases, evidence, history
from tests.ui.conftest import FakePrompts, idle, until
from tests.ui.test_documents import LYCEES, open_example
from ui.bundles.export_dialog import ExportBundleDialog
from ui.bundles.import_dialog import ImportPreviewDialog
from ui.bundles.keys_dialog import KeysDialog
from ui.context import AppContext, Location, new_context
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture(autouse=True)
def keystore() -> Iterator[MemoryKeyStore]:
    store = MemoryKeyStore()
    set_default_keystore(store)
    yield store
    set_default_keystore(None)


@pytest.fixture
def colleague(qtbot: QtBot, tmp_path: Path, template_db: Path) -> Iterator[tuple[AppContext, MainWindow]]:
    """A second CaseApp on its own data folder: the colleague who receives the bundle."""
    folder = tmp_path / "colleague"
    folder.mkdir()
    shutil.copyfile(template_db, folder / template_db.name)
    other = new_context(
        Settings.open(tmp_path / "colleague-ui.ini"), Location(folder, None, "Colleague"), prompts=FakePrompts()
    )
    until(qtbot, lambda: other.tasks.ready)
    window = MainWindow(other)
    qtbot.addWidget(window)
    idle(qtbot, other)
    yield other, window
    window.close()
    other.close()


def export_from(qtbot: QtBot, window: MainWindow, prompts: FakePrompts, target: Path, *, sign: bool) -> None:
    window.export_bundle_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, ExportBundleDialog)
    until(qtbot, lambda: dialog.keys is not None)
    dialog.sign.setChecked(sign)
    assert dialog.include_pdf.isChecked()
    prompts.save_path = target
    dialog.export_button.click()
    until(qtbot, lambda: dialog.report is not None, 30_000)
    assert target.is_file()


def preview_of(qtbot: QtBot, window: MainWindow) -> ImportPreviewDialog:
    until(qtbot, lambda: window.bundle_import is not None and window.bundle_import.dialog is not None, 30_000)
    dialog = window.bundle_import.dialog
    assert isinstance(dialog, ImportPreviewDialog)
    return dialog


def drop(window: MainWindow, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)


def test_export_then_import_into_another_data_folder_then_again_changes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    prompts: FakePrompts,
    colleague: tuple[AppContext, MainWindow],
    tmp_path: Path,
) -> None:
    case_id = open_example(qtbot, window, ctx, LYCEES)
    bundle = tmp_path / "lycees.casebundle"
    export_from(qtbot, window, prompts, bundle, sign=False)
    assert "Not signed." in prompts.messages[-1]

    other, other_window = colleague
    other_prompts = other.prompts
    assert isinstance(other_prompts, FakePrompts)
    other_prompts.open_path = bundle
    other_window.import_bundle_action.trigger()
    dialog = preview_of(qtbot, other_window)
    assert dialog.preview.case_id == case_id
    assert "Not signed" in dialog.signature.text()
    sections = dialog.section_texts()
    assert sections[0].startswith("To add (") and len(sections) == 1
    additions = dialog.addition_texts()
    assert any(text.startswith("case: Reconnaissance faciale") for text in additions)
    assert any(text.startswith("hearing:") for text in additions)
    # unsigned: no import until the confirmation is ticked
    assert dialog.confirm.isVisible() and not dialog.import_button.isEnabled()
    dialog.apply()
    assert dialog.report is None
    dialog.confirm.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    until(qtbot, lambda: dialog.report is not None, 30_000)
    assert dialog.report.changed and dialog.report.accepted_unsigned
    imported = cases.get_case(other.core, case_id)
    assert imported.title.startswith("Reconnaissance faciale") and len(imported.evidence) == 2
    assert other_prompts.messages[-1].startswith("Imported “Reconnaissance faciale")
    until(qtbot, lambda: other_window.case_view.case is not None and other_window.case_view.case.id == case_id)

    # again, signed this time and dropped on the window: everything is already there
    export_from(qtbot, window, prompts, bundle, sign=True)
    drop(other_window, bundle)
    again = preview_of(qtbot, other_window)
    assert again is not dialog
    assert again.summary.text().startswith("Nothing to change")
    assert not again.import_button.isVisible() and not again.tree.isVisible()
    assert "whose key you trust" in again.signature.text() and not again.confirm.isVisible()
    again.reject()
    idle(qtbot, other)
    assert other.errors.history == [] and ctx.errors.history == []


@dataclass(frozen=True)
class Scenario:
    case_id: uuid.UUID
    base: str  # the summary both had
    mine: str  # B's summary
    theirs: str  # A's
    dialog: ImportPreviewDialog


def both_edit_the_summary(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    prompts: FakePrompts,
    colleague: tuple[AppContext, MainWindow],
    tmp_path: Path,
    *,
    clash: bool = False,
) -> Scenario:
    """A exports; B imports; B edits the case's summary; A sets the court number and edits the summary otherwise
    (and, with ``clash``, each adds an exhibit: both get the same number), and exports again; B opens A's new
    bundle."""
    case_id = open_example(qtbot, window, ctx, LYCEES)
    bundle = tmp_path / "lycees.casebundle"
    export_from(qtbot, window, prompts, bundle, sign=True)
    other, other_window = colleague
    from caseapp.bundle.importer import apply_import, inspect_bundle

    apply_import(other.core, inspect_bundle(other.core, bundle), accept_unsigned=True)
    base = cases.get_case(other.core, case_id).summary or ""
    assert len(base) > 200 and "Jugement" in base
    mine = base + "\nMe Durand : le conseil régional a répondu le 12 mars."
    theirs = base.replace("Jugement", "Décision", 1) + " Audience fixée au printemps."
    here = cases.get_case(other.core, case_id)
    cases.update_case(other.core, case_id, expected_version=here.version, summary=mine)
    there = cases.get_case(ctx.core, case_id)
    cases.update_case(ctx.core, case_id, expected_version=there.version, court_number="2002345", summary=theirs)
    if clash:
        evidence.add_evidence(other.core, case_id, title="Pièce de B")
        evidence.add_evidence(ctx.core, case_id, title="Pièce de A")
    export_from(qtbot, window, prompts, bundle, sign=True)
    other_window.import_bundle(bundle)
    return Scenario(case_id, base, mine, theirs, preview_of(qtbot, other_window))


def marks(box: QTextBrowser, word: str) -> tuple[bool, bool]:
    """Whether ``word`` is struck out, and whether it is underlined, where the box shows it."""
    cursor = box.document().find(word)
    assert not cursor.isNull(), word
    shape = cursor.charFormat()
    return shape.fontStrikeOut(), shape.fontUnderline()


def test_a_field_changed_on_both_sides_is_shown_in_full_and_taking_theirs_keeps_mine_in_the_history(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    prompts: FakePrompts,
    colleague: tuple[AppContext, MainWindow],
    tmp_path: Path,
) -> None:
    scenario = both_edit_the_summary(qtbot, window, ctx, prompts, colleague, tmp_path)
    dialog, case_id = scenario.dialog, scenario.case_id
    panel = dialog.conflicts
    assert panel is not None and panel.isVisible()
    assert list(panel.fields) == [(case_id, "summary")] and panel.whole == {}  # one field, not the whole record
    field = panel.fields[(case_id, "summary")]
    assert field.findChild(QLabel, "conflict_field").text() == "Summary"
    shown = field.shown_texts()
    assert shown == {"mine": scenario.mine, "theirs": scenario.theirs, "base": scenario.base}  # in full
    assert not any("…" in text for text in shown.values())
    mine_box, theirs_box, base_box = field.values
    assert isinstance(mine_box, QTextBrowser) and isinstance(theirs_box, QTextBrowser)
    assert isinstance(base_box, QTextBrowser)
    assert marks(mine_box, "Jugement") == (True, False)  # only here: struck out
    assert marks(mine_box, "conseil") == (True, False)
    assert marks(theirs_box, "Décision") == (False, True)  # only in the bundle: underlined
    assert marks(theirs_box, "printemps") == (False, True)
    assert marks(theirs_box, "Recours") == (False, False)  # common to both: as it is
    (record,) = panel.records
    assert record.automatic.isVisible()
    assert record.automatic.text() == "Also taken from the bundle: court number."
    assert "kept in the case's history" in panel.note.text()
    assert dialog.chosen() == {(case_id, "summary"): "mine"}  # keep mine unless told otherwise

    field.choice.theirs.click()
    assert dialog.chosen() == {(case_id, "summary"): "theirs"}
    dialog.confirm.setChecked(True)
    dialog.import_button.click()
    until(qtbot, lambda: dialog.report is not None, 30_000)
    assert (dialog.report.conflicts_taken, dialog.report.conflicts_kept) == (1, 0)
    other = colleague[0]
    case = cases.get_case(other.core, case_id)
    assert case.court_number == "2002345" and case.summary == scenario.theirs
    merges = [event.changes for event in history.case_history(other.core, case_id) if event.action == "merge"]
    assert merges == [{"summary": [scenario.mine, scenario.theirs, "theirs"]}]  # B's summary, kept to be restored
    assert other.errors.history == []


def test_by_default_a_conflict_keeps_mine_and_still_takes_what_only_the_bundle_changed(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    prompts: FakePrompts,
    colleague: tuple[AppContext, MainWindow],
    tmp_path: Path,
) -> None:
    scenario = both_edit_the_summary(qtbot, window, ctx, prompts, colleague, tmp_path, clash=True)
    dialog, case_id = scenario.dialog, scenario.case_id
    panel = dialog.conflicts
    assert panel is not None and dialog.tabs is not None  # the exhibit to add is in the other tab
    assert dialog.tabs.tabText(0) == "To decide (2)" and dialog.tabs.tabText(1) == "Other changes (1)"
    ((exhibit_id, number_choice),) = panel.whole.items()  # the number clash: one choice for the exhibit
    assert number_choice.choice.theirs.text().startswith("Give n° ")
    panel.take_all.click()
    assert dialog.chosen() == {(case_id, "summary"): "theirs", exhibit_id: "theirs"}
    panel.keep_all.click()
    assert dialog.chosen() == {(case_id, "summary"): "mine", exhibit_id: "mine"}
    dialog.confirm.setChecked(True)
    dialog.import_button.click()
    until(qtbot, lambda: dialog.report is not None, 30_000)
    assert (dialog.report.conflicts_taken, dialog.report.conflicts_kept) == (0, 1)  # a number clash renumbers
    assert dialog.report.renumbered == 1
    other = colleague[0]
    case = cases.get_case(other.core, case_id)
    assert case.summary == scenario.mine and case.court_number == "2002345"
    numbers = {e.title: e.number for e in evidence.list_evidence(other.core, case_id)}
    assert numbers["Pièce de A"] == numbers["Pièce de B"] + 1  # B's exhibit kept its number
    merges = [event.changes for event in history.case_history(other.core, case_id) if event.action == "merge"]
    assert merges == [{"summary": [scenario.theirs, scenario.mine, "mine"]}]  # A's summary, kept to be restored


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        ("2020-03-02T13:05:00.000000+00:00", "2 Mar 2020 14:05", "02/03/2020 14h05"),  # Paris time
        ("2020-07-14", "14 Jul 2020", "14/07/2020"),
        (None, "—", "—"),
        ("", "—", "—"),
        (True, "Yes", "Oui"),
        (False, "No", "Non"),
        (["cnil", "lycées"], "cnil, lycées", "cnil, lycées"),
        ("x" * 300, "x" * 300, "x" * 300),  # never cut
    ],
)
def test_values_in_conflict_are_shown_as_people_read_them(value: Any, english: str, french: str) -> None:
    from caseapp.i18n import set_language
    from ui.bundles.conflicts import shown

    assert shown(value) == english
    set_language("fr")
    try:
        assert shown(value) == french
    finally:
        set_language("en")


def test_a_file_that_is_not_a_bundle_is_refused_in_plain_words(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    hostile = tmp_path / "facture.casebundle"
    hostile.write_bytes(b"MZ this is not a zip at all" * 100)
    window.handle_arguments([str(hostile)])
    until(qtbot, lambda: ctx.errors.history)
    (error,) = ctx.errors.history
    assert isinstance(error, BundleError)
    assert window.bundle_import.finished and window.bundle_import.dialog is None


def test_an_encrypted_bundle_asks_its_passphrase_again_when_it_is_wrong(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    prompts: FakePrompts,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from caseapp.bundle import crypt

    monkeypatch.setattr(crypt, "SCRYPT_WORK_FACTOR", 10)  # the real factor costs a second per try
    open_example(qtbot, window, ctx, LYCEES)
    window.export_bundle()
    dialog = window.dialog
    assert isinstance(dialog, ExportBundleDialog)
    until(qtbot, lambda: dialog.keys is not None)
    dialog.by_passphrase.setChecked(True)
    dialog.passphrase.setText("correct horse")
    dialog.passphrase_again.setText("correct hose")
    dialog.export_button.click()
    assert dialog.error.text() == "The two passphrases differ." and dialog.report is None
    dialog.passphrase_again.setText("correct horse")
    target = tmp_path / "secret.casebundle"
    prompts.save_path = target
    dialog.export_button.click()
    until(qtbot, lambda: dialog.report is not None, 30_000)
    assert dialog.report.encryption == "passphrase"

    prompts.passphrases = ["wrong", "correct horse"]
    window.import_bundle(target)
    preview = preview_of(qtbot, window)
    assert prompts.passphrases == []
    assert any(message.startswith("The passphrase is wrong") for message in prompts.messages)
    assert preview.summary.text().startswith("Nothing to change")  # it is this very case file's own case
    preview.reject()


def test_the_keys_dialog_shows_my_fingerprint_and_manages_trusted_colleagues(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path
) -> None:
    window.keys_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, KeysDialog)
    until(qtbot, lambda: dialog.info is not None)
    assert dialog.info.fingerprint is None and dialog.create_button.isVisible()
    dialog.create_button.click()
    until(qtbot, lambda: dialog.info.fingerprint is not None)
    assert dialog.fingerprint.text() == dialog.info.shown and len(dialog.info.shown.replace(" ", "")) == 40
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == dialog.info.shown

    prompts.save_path = tmp_path / "card.txt"
    dialog.card_button.click()
    until(qtbot, lambda: (tmp_path / "card.txt").is_file())

    fingerprint = (uuid.uuid4().hex + uuid.uuid4().hex)[:40].upper()
    dialog.trust()
    trust = dialog.trust_dialog
    assert trust is not None
    trust.fingerprint.setText("not a fingerprint")
    trust.trust_button.click()
    until(qtbot, lambda: trust.error.isVisible())
    assert "is not a key fingerprint" in trust.error.text()
    trust.fingerprint.setText(fingerprint)
    trust.name.setText("Me Dupont")
    trust.trust_button.click()
    until(qtbot, lambda: dialog.table.rowCount() == 1)
    assert dialog.table.item(0, 0).text() == "Me Dupont"
    dialog.table.selectRow(0)
    dialog.remove_button.click()
    until(qtbot, lambda: dialog.table.rowCount() == 0)
    assert "Stop trusting the key of Me Dupont" in prompts.confirmations[-1]
    dialog.reject()


def test_a_bundle_given_at_start_opens_its_preview_once_the_case_file_is_open(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    from caseapp.bundle.export import export_bundle
    from caseapp.casefile.core import open_core
    from caseapp.services import demo

    sender = open_core(data_dir=data_dir, author="Me Martin")
    demo.load_demo(sender)
    case_id = cases.list_cases(sender, limit=1)[0].id
    bundle = tmp_path / "start.casebundle"
    export_bundle(sender, case_id, bundle, include_pdf=False)
    sender.close()
    late = new_context(
        Settings.open(tmp_path / "late.ini"), Location(data_dir, None, "Tester"), prompts=FakePrompts(), open_now=False
    )
    window = MainWindow(late)
    qtbot.addWidget(window)
    window.handle_arguments(["--some-option", str(bundle)])  # what run(argv) does, before the case file is open
    assert window.bundle_import is None
    from ui.context import open_case_file

    open_case_file(late)
    dialog = preview_of(qtbot, window)
    assert dialog.preview.source == bundle and dialog.nothing_to_change
    dialog.reject()
    window.close()
    late.close()
