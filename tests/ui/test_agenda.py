"""The agenda lists recent overdue deadlines and what is coming; deadlines overdue for long are counted in a line
that lists them on request, so they are reviewed rather than forgotten or burying this week."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from caseapp.services import cases, deadlines
from tests.ui.conftest import idle, until
from ui.agenda import RECENT_OVERDUE_DAYS
from ui.context import AppContext
from ui.formatting import today
from ui.main_window import MainWindow


def titles(window: MainWindow) -> list[str]:
    model = window.agenda.items.model
    return [item.title for item in model.rows]


def test_deadlines_overdue_for_long_are_counted_then_listed_on_request(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case = cases.create_case(ctx.core, title="Demande CADA — lycée", court="Tribunal administratif de Nice")
    now = today()
    deadlines.add_deadline(ctx.core, case.id, title="Saisir la CADA", due_on=now - timedelta(days=200))
    deadlines.add_deadline(ctx.core, case.id, title="Relancer l'administration", due_on=now - timedelta(days=400))
    deadlines.add_deadline(ctx.core, case.id, title="Mémoire en réplique", due_on=now - timedelta(days=3))
    deadlines.add_deadline(ctx.core, case.id, title="Audience de référé", due_on=now + timedelta(days=5))
    window.show_page("agenda")
    window.agenda.refresh()
    until(qtbot, lambda: window.agenda.agenda is not None and len(titles(window)) == 2)
    idle(qtbot, ctx)
    assert titles(window) == ["Mémoire en réplique", "Audience de référé"]  # the overdue one first
    notice = window.agenda.notice
    assert notice.isVisible()
    assert f"2 open deadlines passed more than {RECENT_OVERDUE_DAYS} days ago" in notice.text()

    notice.linkActivated.emit("show")  # what clicking "List them" does
    until(qtbot, lambda: len(titles(window)) == 4)
    assert titles(window)[:3] == ["Relancer l'administration", "Saisir la CADA", "Mémoire en réplique"]
    assert "Every overdue deadline is listed" in notice.text()

    notice.linkActivated.emit("hide")
    until(qtbot, lambda: len(titles(window)) == 2)
    assert "2 open deadlines" in notice.text()

    for old in deadlines.open_deadlines(ctx.core, case.id):
        if old.due_on < now - timedelta(days=RECENT_OVERDUE_DAYS):
            deadlines.set_status(ctx.core, old.id, "done")
    window.agenda.refresh()
    until(qtbot, lambda: not notice.isVisible())


def test_a_busy_agenda_s_summary_wraps_rather_than_widen_the_window_past_a_small_screen(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    """With hundreds of items the line under the title ("112 overdue · 77 hearings · 423 deadlines · 397 more not
    shown: choose a shorter period") was wider than a 1024-pixel screen, and the window with it."""
    window.show_page("agenda")
    until(qtbot, lambda: window.agenda.agenda is not None)
    page = window.agenda
    page.summary.setText(
        " · ".join(["112 en retard", "77 audiences", "423 délais", "397 autres non affichés : choisissez une période"])
        + " plus courte"
    )
    page.summary.setVisible(True)
    assert window.minimumSizeHint().width() <= 1024
    assert page.summary.minimumSizeHint().width() < 400
