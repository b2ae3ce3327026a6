"""File › Take this case offline…: disabled without a case; writes the case's bundle for a laptop and marks the case,
which the case header and the case list then show; taking it again asks first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
from caseapp.services import checkouts, history
from tests.ui.conftest import FakePrompts, idle, until
from tests.ui.test_documents import LYCEES, open_example
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def keystore() -> Iterator[MemoryKeyStore]:
    store = MemoryKeyStore()
    set_default_keystore(store)
    yield store
    set_default_keystore(None)


def test_take_this_case_offline_writes_the_bundle_and_shows_the_mark(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path
) -> None:
    action = window.take_offline_action
    assert action in window.file_menu.actions() and action.text() == "Take this case offline…"
    assert not action.isEnabled()  # no case open
    case_id = open_example(qtbot, window, ctx, LYCEES)
    assert action.isEnabled()
    header = window.case_view.header
    assert not header.taken_offline.isVisibleTo(header)

    prompts.save_path = None  # "Save as…" cancelled: nothing happens
    action.trigger()
    idle(qtbot, ctx)
    assert window.bundles.taken is None and checkouts.mark_of(ctx.core, case_id) is None

    target = tmp_path / "to-court.casebundle"
    prompts.save_path = target
    action.trigger()
    until(qtbot, lambda: window.bundles.taken is not None, 30_000)
    assert target.is_file()
    mark = checkouts.mark_of(ctx.core, case_id)
    assert mark is not None and mark.taken_by == "Tester" and mark.bundle_name == "to-court.casebundle"
    assert "Taken offline by Tester on " in prompts.messages[-1]
    until(qtbot, lambda: header.taken_offline.isVisibleTo(header))
    assert header.taken_offline.text() == checkouts.describe(mark)
    assert [e.action for e in history.case_history(ctx.core, case_id) if e.entity == checkouts.ENTITY] == ["checkout"]

    # the case list marks it (an icon, and the line in the tooltip)
    model = window.case_list.model
    until(qtbot, lambda: model.row_of(case_id) >= 0 and model.record(model.row_of(case_id)).taken_offline is not None)
    index = model.index(model.row_of(case_id), 0)
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    assert checkouts.describe(mark) in model.data(index, Qt.ItemDataRole.ToolTipRole)

    # taken again: asked first; "no" changes nothing
    first = window.bundles.taken
    prompts.answer = False
    action.trigger()
    idle(qtbot, ctx)
    assert (
        "Take it offline again?" in prompts.confirmations[-1] and "Taken offline by Tester" in prompts.confirmations[-1]
    )
    assert window.bundles.taken is first and checkouts.mark_of(ctx.core, case_id) == mark
    prompts.answer = True
    prompts.save_path = tmp_path / "again.casebundle"
    action.trigger()
    until(qtbot, lambda: window.bundles.taken is not first, 30_000)
    again = checkouts.mark_of(ctx.core, case_id)
    assert again is not None and again.bundle_name == "again.casebundle" and again.taken_at > mark.taken_at
    assert ctx.errors.history == []


def test_a_case_a_colleague_took_meanwhile_is_taken_again_only_once_confirmed(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, prompts: FakePrompts, tmp_path: Path
) -> None:
    from caseapp.services.bundles import ExportOptions

    case_id = open_example(qtbot, window, ctx, LYCEES)
    # taken from another window (no change reached this one: its header still shows the case as here)
    checkouts.checkout(ctx.core, case_id, tmp_path / "elsewhere.casebundle", ExportOptions(include_pdf=False))
    shown = window.current_case()
    assert shown is not None and shown.taken_offline is None
    prompts.answer = False
    prompts.save_path = tmp_path / "mine.casebundle"
    window.take_offline_action.trigger()
    until(qtbot, lambda: prompts.confirmations)
    idle(qtbot, ctx)
    assert "Take it offline again?" in prompts.confirmations[-1]
    assert not (tmp_path / "mine.casebundle").exists() and window.bundles.taken is None
    mark = checkouts.mark_of(ctx.core, case_id)
    assert mark is not None and mark.bundle_name == "elsewhere.casebundle"
    assert ctx.errors.history == []
