"""The chronology tab draws the case's events on a time line, in order, readable at 1024×700 in French; the
filter keeps one kind of event. ``CASEAPP_SHOTS`` names a folder to keep the pictures in (to look at them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from caseapp.i18n import set_language
from tests.ui.test_documents import LYCEES, open_example
from ui.case_view.chronology import ChronologyTab, TimelineCanvas
from ui.context import AppContext
from ui.main_window import MainWindow

WIDTH, HEIGHT = 1024, 700


@pytest.fixture
def french(ctx: AppContext) -> Iterator[None]:
    set_language("fr")
    yield


def keep(widget: object, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CASEAPP_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert widget.grab().save(str(path))  # type: ignore[attr-defined]
    return path


def painted_colours(canvas: TimelineCanvas) -> int:
    """How many different colours the drawing holds (a blank or a plain table would hold two or three)."""
    image = canvas.grab().toImage()
    seen: set[int] = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            seen.add(QColor(image.pixel(x, y)).rgb())
    return len(seen)


def test_the_chronology_tab_draws_the_case_in_order_in_french_at_1024_by_700(
    qtbot: QtBot, french: None, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    window.resize(WIDTH, HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    open_example(qtbot, window, ctx, LYCEES)
    view = window.case_view
    view.set_tab("chronology")
    qtbot.wait(50)
    tab = view.tab("chronology")
    assert isinstance(tab, ChronologyTab)
    canvas = tab.canvas
    days = [row.entry.day for row in canvas.rows]
    assert days == sorted(days) and len(days) >= 5
    texts = [row.entry.text for row in canvas.rows]
    assert any(text.startswith("Jugement") for text in texts)  # French, as the interface
    # every event's label starts right of the axis and inside the visible width (no horizontal scrolling)
    assert canvas.axis_x() < canvas.width() / 2
    assert canvas.width() <= tab.scroll.viewport().width()
    assert not tab.scroll.horizontalScrollBar().isVisible()
    # the rows never overlap, and a decision is drawn after the hearing of the same case
    for above, below in zip(canvas.rows, canvas.rows[1:], strict=False):
        assert below.top >= above.top + above.height
    # a picture, not a table: marks in several colours
    assert painted_colours(canvas) > 20
    # every tab of the case still in sight at 1024 pixels
    bar = view.tab_widget.tabBar()
    assert all(bar.tabRect(i).right() <= bar.width() for i in range(bar.count()))
    keep(window, "chronology-window-fr.png", tmp_path)
    assert ctx.errors.history == []


def test_the_filter_keeps_one_kind_of_event(
    qtbot: QtBot, french: None, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    window.resize(WIDTH, HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    open_example(qtbot, window, ctx, LYCEES)
    window.case_view.set_tab("chronology")
    tab = window.case_view.tab("chronology")
    index = tab.filter.findData("decision")
    assert index > 0 and tab.filter.itemText(index) == "Décision"
    tab.filter.setCurrentIndex(index)
    kinds = {row.entry.kind for row in tab.canvas.rows}
    assert kinds == {"decision"}
    assert "événement" in tab.count_label.text()
    keep(tab, "chronology-decisions-fr.png", tmp_path)
    tab.filter.setCurrentIndex(0)
    assert len({row.entry.kind for row in tab.canvas.rows}) > 2
