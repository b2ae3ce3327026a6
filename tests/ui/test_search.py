"""Search as you type, with or without accents; a result opens its case on the right tab."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from caseapp.services import demo
from tests.ui.conftest import idle, type_text, until
from ui.context import AppContext
from ui.main_window import MainWindow

REFERE_CASE = "[Exemple] Référé illustratif — reconnaissance faciale dans les lycées"


def hit_titles(window: MainWindow) -> list[str]:
    model = window.search.results.model
    return [model.record(row).case_title or "" for row in range(model.rowCount())]


def test_refere_finds_the_demo_refere_case_with_or_without_accents(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    demo.load_demo(ctx.core)
    window.find()
    assert window.current_page() == "search"
    type_text(qtbot, window.search.field, "refere")
    until(qtbot, lambda: REFERE_CASE in hit_titles(window))
    plain = {(h.kind, h.record_id) for h in window.search.results.model.rows}

    window.search.field.clear()
    type_text(qtbot, window.search.field, "référé")
    until(qtbot, lambda: REFERE_CASE in hit_titles(window))
    idle(qtbot, ctx)
    accented = {(h.kind, h.record_id) for h in window.search.results.model.rows}
    assert accented == plain
    assert "result" in window.search.summary.text()

    model = window.search.results.model
    row = next(r for r in range(model.rowCount()) if model.record(r).kind == "case"
               and model.record(r).title == REFERE_CASE)  # fmt: skip
    window.search.open_hit(model.record(row))
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.title == REFERE_CASE)
    assert window.current_page() == "cases"
    assert window.case_view.current_tab() == "overview"


def test_a_note_result_opens_the_hearings_tab(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    demo.load_demo(ctx.core)
    window.find()
    type_text(qtbot, window.search.field, "Exemple")
    until(qtbot, lambda: any(h.kind == "note" for h in window.search.results.model.rows))
    hit = next(h for h in window.search.results.model.rows if h.kind == "note")
    window.search.open_hit(hit)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == hit.case_id)
    assert window.case_view.current_tab() == "hearings"
    hearing_tab = window.case_view.tab("hearings")
    assert hearing_tab.selected() is not None
    assert any(n.id == hit.record_id for n in hearing_tab.selected().notes)


def test_nothing_found_says_so(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    window.find()
    type_text(qtbot, window.search.field, "zzzzqx")
    until(qtbot, lambda: "Nothing found" in window.search.summary.text())
    assert window.search.results.model.rowCount() == 0
