"""Two people on one case file: a colleague (a second core on the same data folder, as on a team's server) changes
a record while it is open here. Saving or deleting it then asks "changed by X at T" — Reload, or Keep mine /
Delete anyway — and each answer does what it says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from caseapp.casefile.core import open_core
from caseapp.services import cases, hearings
from tests.ui.conftest import FakePrompts, gone, idle, open_dialog, until
from tests.ui.test_cases import create_case, save
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.prompts import OVERWRITE, RELOAD


@pytest.fixture
def colleague(data_dir: Path) -> Iterator[Any]:
    core = open_core(data_dir=data_dir, author="Camille Colleague")
    yield core
    core.close()


def edit_title_while_colleague_changes_it(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, colleague: Any
) -> tuple[Any, Any]:
    create_case(qtbot, window, ctx, "Recours contre la vidéosurveillance")
    case = window.case_view.case
    assert case is not None
    window.case_view.edit_case()
    dialog = open_dialog(qtbot, window.case_view)
    cases.update_case(colleague, case.id, expected_version=case.version, summary="Leur résumé")  # meanwhile…
    dialog.title_edit.setText("Recours contre la VSA")
    save(qtbot, dialog)
    return case, dialog


def test_keep_mine_saves_my_edit_over_the_colleagues_knowingly(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, colleague: Any
) -> None:
    prompts.conflict_answer = OVERWRITE
    case, dialog = edit_title_while_colleague_changes_it(qtbot, window, ctx, colleague)
    until(qtbot, lambda: gone(dialog))
    stored = cases.get_case(ctx.core, case.id)
    assert stored.title == "Recours contre la VSA"  # mine…
    assert stored.summary == "Leur résumé"  # …over theirs, which I did not touch
    (question,) = prompts.conflicts
    assert question.startswith("Camille Colleague changed this record at ")
    idle(qtbot, ctx)
    assert window.case_view.header.title.text() == "Recours contre la VSA"
    assert window.undo_action.text() == "Undo Edit case"  # and it can be undone like any edit
    assert ctx.errors.history == []


def test_reload_drops_my_edit_and_shows_theirs(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, colleague: Any
) -> None:
    prompts.conflict_answer = RELOAD
    case, dialog = edit_title_while_colleague_changes_it(qtbot, window, ctx, colleague)
    until(qtbot, lambda: gone(dialog))
    stored = cases.get_case(ctx.core, case.id)
    assert stored.title == "Recours contre la vidéosurveillance" and stored.summary == "Leur résumé"
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.summary == "Leur résumé")
    assert len(prompts.conflicts) == 1 and ctx.errors.history == []


def test_closing_the_question_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, colleague: Any
) -> None:
    prompts.conflict_answer = ""
    case, dialog = edit_title_while_colleague_changes_it(qtbot, window, ctx, colleague)
    until(qtbot, lambda: dialog.general_error.isVisible())
    assert "Camille Colleague" in dialog.general_error.text()
    assert dialog.isVisible() and dialog.title_edit.text() == "Recours contre la VSA"  # nothing typed is lost
    assert cases.get_case(ctx.core, case.id).title == "Recours contre la vidéosurveillance"
    dialog.reject()


@pytest.mark.parametrize("answer", [RELOAD, OVERWRITE])
def test_deleting_a_hearing_the_colleague_changed_asks_first(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, colleague: Any, answer: str
) -> None:
    create_case(qtbot, window, ctx)
    case = window.case_view.case
    assert case is not None
    hearing = hearings.add_hearing(ctx.core, case.id, starts_at="03/03/2026 14h")
    window.case_view.reload()
    window.case_view.set_tab("hearings")
    tab = window.case_view.tab("hearings")
    until(qtbot, lambda: tab.table.model.rowCount() == 1)
    hearings.update_hearing(colleague, hearing.id, expected_version=hearing.version, room="Salle 2")
    tab.table.select_id(hearing.id)
    prompts.conflict_answer = answer
    tab.delete_selected()
    until(qtbot, lambda: prompts.conflicts)
    idle(qtbot, ctx)
    remaining = cases.get_case(ctx.core, case.id).hearings
    if answer == RELOAD:
        assert [h.room for h in remaining] == ["Salle 2"]  # theirs, shown
        until(qtbot, lambda: tab.table.model.rowCount() == 1 and tab.table.model.rows[0].room == "Salle 2")
        assert not window.undo_action.isEnabled()  # the undo history no longer described the data
    else:
        assert remaining == ()  # deleted anyway, knowingly
        until(qtbot, lambda: tab.table.model.rowCount() == 0)
        ctx.undo.undo()  # and the deletion can still be undone
        until(qtbot, lambda: len(cases.get_case(ctx.core, case.id).hearings) == 1)
    assert "Camille Colleague changed this record" in prompts.conflicts[0]
    assert ctx.errors.history == []
