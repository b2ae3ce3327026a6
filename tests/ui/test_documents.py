"""Documents from the window: the print preview of the example case's summary (QtPdf pages, Save as PDF, printing
to a PDF printer), the hearing sheet from the hearings tab, and the Télérecours set with its problems first."""

from __future__ import annotations

import shutil
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from caseapp.services import cases, demo
from tests.ui.conftest import FakePrompts, idle, until
from ui.context import AppContext
from ui.documents.preview import PrintPreviewWindow
from ui.main_window import MainWindow

LYCEES = "Reconnaissance faciale à l'entrée"  # the example case with a hearing and exhibits without files
MARSEILLE = "Vidéosurveillance automatisée à Marseille"  # one exhibit, a file that is not a PDF


def open_example(qtbot: QtBot, window: MainWindow, ctx: AppContext, title_start: str) -> uuid.UUID:
    demo.load_demo(ctx.core)
    case_id = next(row.id for row in cases.list_cases(ctx.core, limit=20) if row.title.startswith(title_start))
    window.open_case(case_id)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case_id)
    idle(qtbot, ctx)
    return case_id


def shown(qtbot: QtBot, preview: PrintPreviewWindow, *, after: object = None) -> int:
    """Wait until the preview shows a (new) document; returns its page count."""
    until(qtbot, lambda: preview.rendered is not None and preview.rendered is not after and not preview.busy, 30_000)
    return preview.pdf.pageCount()


def pages_of(path: Path) -> int:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    count = document.pageCount()
    document.close()
    return count


def test_the_document_entries_follow_the_registry_then_the_telerecours_set(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from caseapp.i18n import _
    from caseapp.services.documents import DOCUMENTS

    keys = list(DOCUMENTS)
    assert window.document_actions == [*(window.document_action[key] for key in keys), window.telerecours_action]
    assert [a.text() for a in window.document_actions[:-1]] == [_(DOCUMENTS[key].menu) for key in keys]
    assert (window.summary_action, window.bordereau_action, window.hearing_sheet_action) == (
        window.document_action["summary"],
        window.document_action["bordereau"],
        window.document_action["hearing_sheet"],
    )
    entries = [a for a in window.file_menu.actions() if not a.isSeparator()]
    first = entries.index(window.document_actions[0])
    assert entries[first : first + len(keys) + 2] == [*window.document_actions, window.export_bundle_action]
    assert not any(a.isEnabled() for a in window.document_actions)  # no case open

    bare = cases.create_case(ctx.core, title="Sans audience")
    window.open_case(bare.id)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == bare.id)
    per_hearing = {window.document_action[key] for key in keys if DOCUMENTS[key].per_hearing}
    assert per_hearing == {window.hearing_sheet_action}
    assert [a.isEnabled() for a in window.document_actions] == [a not in per_hearing for a in window.document_actions]
    open_example(qtbot, window, ctx, LYCEES)  # it has hearings
    assert all(a.isEnabled() for a in window.document_actions)


def test_the_summary_preview_shows_its_pages_saves_a_pdf_and_prints_the_same_pages(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path
) -> None:
    open_example(qtbot, window, ctx, LYCEES)
    assert window.summary_action.isEnabled()
    assert window.summary_action in window.file_menu.actions()
    assert window.file_menu.actions().index(window.summary_action) < window.file_menu.actions().index(
        window.documents_anchor
    )
    window.summary_action.trigger()
    preview = window.preview
    assert isinstance(preview, PrintPreviewWindow)
    pages = shown(qtbot, preview)
    assert pages > 0
    assert preview.request.lang == "fr" and preview.language.currentData() == "fr"  # French by default
    assert preview.notes.isVisible() and preview.notes.isChecked()
    assert preview.pages_label.text() == (f"{pages} pages" if pages > 1 else "1 page")

    prompts.save_path = tmp_path / "synthese.pdf"
    preview.save_action.trigger()
    until(qtbot, lambda: preview.last_saved is not None)
    data = prompts.save_path.read_bytes()
    assert data.startswith(b"%PDF") and data == preview.rendered.path.read_bytes()

    printed = tmp_path / "printed.pdf"

    def fake_dialog(printer: QPrinter) -> bool:  # what the print dialog does when a PDF printer is chosen
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(96)
        return True

    preview.ask_printer = fake_dialog
    preview.print_action.trigger()
    assert printed.read_bytes().startswith(b"%PDF")
    assert pages_of(printed) == pages

    opened: list[str] = []
    preview.open_url = lambda url: opened.append(url.toLocalFile()) or True
    preview.open_action.trigger()
    assert opened and Path(opened[0]).read_bytes() == data
    shutil.rmtree(Path(opened[0]).parent)  # (a real viewer may still be reading it: CaseApp leaves it)

    # English on request, and without the hearing notes: laid out again
    before = preview.rendered
    preview.language.setCurrentIndex(preview.language.findData("en"))
    shown(qtbot, preview, after=before)
    assert preview.request.lang == "en"
    before = preview.rendered
    preview.notes.setChecked(False)
    assert shown(qtbot, preview, after=before) > 0
    assert preview.request.notes is False
    folder = preview.rendered.path.parent
    preview.close()
    assert not folder.exists()  # the temporary PDF goes with the preview
    assert ctx.errors.history == []


def test_the_hearing_sheet_opens_from_the_hearings_tab(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    open_example(qtbot, window, ctx, LYCEES)
    window.case_view.set_tab("hearings")
    tab = window.case_view.tab("hearings")
    assert tab.sheet_action.isEnabled()
    tab.sheet_action.trigger()
    preview = tab.preview
    assert isinstance(preview, PrintPreviewWindow)
    assert shown(qtbot, preview) > 0
    assert preview.request.kind == "hearing_sheet" and preview.request.hearing_id is not None
    assert not preview.notes.isVisible()  # only the summary leaves notes out
    preview.close()


def test_the_telerecours_set_lists_its_problems_first_and_blocks_until_forced(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path
) -> None:
    open_example(qtbot, window, ctx, LYCEES)
    window.telerecours_action.trigger()
    until(qtbot, lambda: window.dialog is not None and window.dialog.dialog is not None)
    dialog = window.dialog.dialog
    texts = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert texts and all(text.startswith("Blocking") for text in texts)  # two exhibits without a file
    assert "has no file" in texts[0]
    assert not dialog.export_button.isEnabled()
    dialog.force.setChecked(True)
    assert dialog.export_button.isEnabled()
    dialog.as_zip.setChecked(True)
    prompts.save_path = tmp_path / "pieces.zip"
    dialog.export_button.click()
    until(qtbot, lambda: dialog.result_value is not None)
    with zipfile.ZipFile(prompts.save_path) as archive:
        names = archive.namelist()
    assert any("ordereau" in name for name in names)  # the bordereau, even when every exhibit was left out
    assert dialog.result_value.skipped == (1, 2)
    assert "(1 file)" in prompts.messages[-1]  # the bordereau alone, said in the singular


def test_a_file_that_is_not_a_pdf_blocks_until_forced_then_is_exported_as_it_is_into_a_new_folder(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path
) -> None:
    open_example(qtbot, window, ctx, MARSEILLE)
    window.telerecours()
    until(qtbot, lambda: window.dialog is not None and window.dialog.dialog is not None)
    dialog = window.dialog.dialog
    first = dialog.problems.item(0).text()
    assert first.startswith("Blocking") and "Télérecours will refuse it" in first  # converted by nobody
    assert not dialog.export_button.isEnabled() and not dialog.force.isHidden()
    dialog.force.setChecked(True)
    prompts.folder = tmp_path
    dialog.export_button.click()
    until(qtbot, lambda: dialog.result_value is not None)
    written = sorted(p.name for p in dialog.result_value.path.iterdir())
    assert dialog.result_value.path.parent == tmp_path and len(written) == 2
    assert written[0].startswith("01")


def test_cancelling_the_first_rendering_closes_the_preview_and_leaves_no_file(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    import ui.documents.preview as preview_module

    render = preview_module.ops.render

    def cancelled_at_once(*args: Any, **kwargs: Any) -> Any:
        progress = render(*args, **kwargs)
        progress.cancel()  # what the progress dialog's Cancel does, before the rendering can finish
        return progress

    monkeypatch.setattr(preview_module.ops, "render", cancelled_at_once)
    open_example(qtbot, window, ctx, LYCEES)
    before = set(Path(tempfile.gettempdir()).glob("caseapp-document-*"))
    window.bordereau()
    preview = window.preview
    assert isinstance(preview, PrintPreviewWindow)
    closed: list[bool] = []
    preview.destroyed.connect(lambda: closed.append(True))
    until(qtbot, lambda: closed)
    idle(qtbot, ctx)
    assert set(Path(tempfile.gettempdir()).glob("caseapp-document-*")) == before
    assert ctx.errors.history == []


def test_the_whole_case_as_one_pdf_opens_in_the_preview(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    """The registry's entry is in the File menu and opens the preview; the notes are left out unless asked for,
    and the Télérecours single file is one tick away (the document is made again each time)."""
    from caseapp.i18n import _
    from caseapp.services.documents import CASE_PDF, DOCUMENTS

    open_example(qtbot, window, ctx, MARSEILLE)
    action = window.document_action[CASE_PDF]
    assert action.text() == _(DOCUMENTS[CASE_PDF].menu) and action in window.file_menu.actions()
    assert action.isEnabled()
    action.trigger()
    preview = window.preview
    assert isinstance(preview, PrintPreviewWindow)
    assert shown(qtbot, preview) >= 3  # the contents, the summary, the bordereau (its exhibit's file is no PDF)
    assert preview.request.kind == CASE_PDF and not preview.request.include_privileged
    assert preview.notes.isVisible() and not preview.notes.isChecked()
    assert preview.telerecours.isVisible() and not preview.telerecours.isChecked()
    before = preview.rendered
    preview.notes.setChecked(True)
    shown(qtbot, preview, after=before)
    assert preview.request.include_privileged and preview.request.notes
    before = preview.rendered
    preview.telerecours.setChecked(True)
    assert shown(qtbot, preview, after=before) >= 1
    assert preview.request.telerecours and not preview.notes.isEnabled()
    assert preview.rendered is not None and preview.rendered.suggested_name.startswith("Pieces - ")
    preview.close()
    assert ctx.errors.history == []
