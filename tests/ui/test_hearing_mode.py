"""Hearing mode: Enter commits a note before the field clears; notes are there after closing and reopening; a
date said in court becomes a deadline or the next hearing in one action."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from caseapp.domain.enums import HearingStatus
from caseapp.services import cases, hearings
from tests.ui.conftest import idle, shortcut, type_text, until
from ui.context import AppContext
from ui.hearing_mode import HearingModeWindow
from ui.main_window import MainWindow

PARIS = ZoneInfo("Europe/Paris")


def case_with_hearing(ctx: AppContext) -> tuple[uuid.UUID, uuid.UUID]:
    case = cases.create_case(ctx.core, title="Référé-liberté — drones", court="Tribunal administratif de Marseille")
    hearing = hearings.add_hearing(ctx.core, case.id, starts_at=datetime.now(PARIS) + timedelta(hours=1))
    return case.id, hearing.id


def open_mode(qtbot: QtBot, window: MainWindow, ctx: AppContext, case_id: uuid.UUID) -> HearingModeWindow:
    window.open_case(case_id, "hearings")
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case_id)
    idle(qtbot, ctx)
    window.case_view.tab_widget.setFocus()
    shortcut(qtbot, window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    until(qtbot, lambda: window.hearing_window is not None and window.hearing_window.isVisible())
    mode = window.hearing_window
    assert isinstance(mode, HearingModeWindow)
    idle(qtbot, ctx)
    return mode


def test_three_notes_are_committed_as_enter_is_pressed_and_survive_reopening(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case_id, hearing_id = case_with_hearing(ctx)
    mode = open_mode(qtbot, window, ctx, case_id)
    said = ["Le rapporteur public conclut à la suspension", "La Ville invoque l'urgence", "Délibéré à 16h"]
    for count, text in enumerate(said, start=1):
        type_text(qtbot, mode.field, text)
        qtbot.keyClick(mode.field, Qt.Key.Key_Return)
        # the field clears only once the note is in the database
        until(qtbot, lambda: mode.field.toPlainText() == "")
        stored = hearings.get_hearing(ctx.core, hearing_id).notes
        assert [n.text for n in stored] == said[:count]
        assert mode.model.rowCount() == count
    assert mode.status.text().startswith("Saved at")
    mode.close()
    idle(qtbot, ctx)

    again = open_mode(qtbot, window, ctx, case_id)
    until(qtbot, lambda: again.model.rowCount() == 3)
    assert [n.text for n in again.model.notes] == said
    assert "Délibéré à 16h" in again.model.index(2).data()
    assert ctx.errors.history == []


def test_shift_enter_keeps_writing_and_an_empty_note_is_not_saved(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case_id, hearing_id = case_with_hearing(ctx)
    mode = open_mode(qtbot, window, ctx, case_id)
    qtbot.keyClick(mode.field, Qt.Key.Key_Return)
    idle(qtbot, ctx)
    assert hearings.get_hearing(ctx.core, hearing_id).notes == ()
    type_text(qtbot, mode.field, "Première ligne")
    qtbot.keyClick(mode.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(qtbot, mode.field, "seconde ligne")
    assert hearings.get_hearing(ctx.core, hearing_id).notes == ()
    qtbot.keyClick(mode.field, Qt.Key.Key_Return)
    until(qtbot, lambda: mode.field.toPlainText() == "")
    (note,) = hearings.get_hearing(ctx.core, hearing_id).notes
    assert note.text == "Première ligne\nseconde ligne"


def test_a_date_said_in_court_becomes_a_deadline_or_the_next_hearing(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case_id, hearing_id = case_with_hearing(ctx)
    mode = open_mode(qtbot, window, ctx, case_id)
    type_text(qtbot, mode.field, "Mémoire en réplique")
    type_text(qtbot, mode.date_field.edit, "dans deux semaines")
    assert mode.date_field.echo.text().startswith("✓")
    qtbot.mouseClick(mode.deadline_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: any(d.title == "Mémoire en réplique" for d in cases.get_case(ctx.core, case_id).deadlines))
    deadline = next(d for d in cases.get_case(ctx.core, case_id).deadlines if d.title == "Mémoire en réplique")
    assert deadline.due_on == datetime.now(PARIS).date() + timedelta(days=14)
    until(qtbot, lambda: mode.field.toPlainText() == "")  # its text became the deadline's title
    until(qtbot, lambda: any("Mémoire en réplique" in n.text for n in hearings.get_hearing(ctx.core, hearing_id).notes))

    type_text(qtbot, mode.date_field.edit, "12/03/2030")
    qtbot.mouseClick(mode.next_button, Qt.MouseButton.LeftButton)
    assert "time" in mode.date_field.echo.text()  # a hearing needs its time: refused, nothing created
    type_text(qtbot, mode.date_field.edit, " 14h")
    qtbot.mouseClick(mode.next_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: len(cases.get_case(ctx.core, case_id).hearings) == 2)
    new = max(cases.get_case(ctx.core, case_id).hearings, key=lambda h: h.starts_at)
    assert new.starts_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") == "12/03/2030 14:00"
    assert new.court == "Tribunal administratif de Marseille"
    idle(qtbot, ctx)
    assert ctx.errors.history == []


def test_undo_the_last_note(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    case_id, hearing_id = case_with_hearing(ctx)
    mode = open_mode(qtbot, window, ctx, case_id)
    type_text(qtbot, mode.field, "Une note de trop")
    qtbot.keyClick(mode.field, Qt.Key.Key_Return)
    until(qtbot, lambda: len(hearings.get_hearing(ctx.core, hearing_id).notes) == 1)
    idle(qtbot, ctx)
    ctx.undo.undo()
    until(qtbot, lambda: hearings.get_hearing(ctx.core, hearing_id).notes == ())
    until(qtbot, lambda: mode.model.rowCount() == 0)


def test_a_note_naming_a_date_offers_it_and_ctrl_enter_makes_it(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case_id, hearing_id = case_with_hearing(ctx)
    mode = open_mode(qtbot, window, ctx, case_id)
    hearing_at = hearings.get_hearing(ctx.core, hearing_id).starts_at.astimezone(PARIS)
    march_12 = datetime(hearing_at.year, 3, 12).date()
    if march_12 < hearing_at.date():
        march_12 = march_12.replace(year=march_12.year + 1)
    field_before = mode.field.geometry()

    type_text(qtbot, mode.field, "Délibéré le 12 mars")
    # offered under the field, with the title it will carry and its key; the field did not move
    until(qtbot, lambda: mode.said_button.isVisible())
    title = f"Decision to be delivered — 12 March {march_12.year}"
    assert f"“{title}”" in mode.said_button.text()
    from PySide6.QtGui import QKeySequence

    # the key as Qt writes it for people (another test of the same process may have put Qt in French: "Retour")
    shown = QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText)
    assert shown in mode.said_button.text()
    assert mode.field.geometry() == field_before
    shortcut(qtbot, mode, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(qtbot, lambda: any(d.title == title for d in cases.get_case(ctx.core, case_id).deadlines))
    deadline = next(d for d in cases.get_case(ctx.core, case_id).deadlines if d.title == title)
    assert deadline.due_on == march_12
    # the note itself is kept as said, the field is ready for the next words
    until(qtbot, lambda: [n.text for n in hearings.get_hearing(ctx.core, hearing_id).notes] == ["Délibéré le 12 mars"])
    until(qtbot, lambda: mode.field.toPlainText() == "")
    assert not mode.said_button.isVisible()
    assert mode.field.hasFocus()

    # "à quinzaine" is fifteen days after the hearing, at its time (none was said)
    type_text(qtbot, mode.field, "Renvoi à quinzaine")
    until(qtbot, lambda: mode.said_button.isVisible() and "same time" in mode.said_button.text())
    qtbot.mouseClick(mode.said_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: len(cases.get_case(ctx.core, case_id).hearings) == 2)
    new = max(cases.get_case(ctx.core, case_id).hearings, key=lambda h: h.starts_at)
    assert new.starts_at.astimezone(PARIS) == hearing_at + timedelta(days=15)
    assert new.court == "Tribunal administratif de Marseille"
    until(qtbot, lambda: len(hearings.get_hearing(ctx.core, hearing_id).notes) == 2)
    assert mode.field.hasFocus()

    # a plain note offers nothing; Enter only saves it
    type_text(qtbot, mode.field, "La Ville invoque l'urgence")
    qtbot.wait(300)
    assert not mode.said_button.isVisible()
    idle(qtbot, ctx)
    assert ctx.errors.history == []


def test_the_focus_comes_back_to_the_note_field_after_the_buttons(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case_id, _hearing_id = case_with_hearing(ctx)
    mode = open_mode(qtbot, window, ctx, case_id)
    type_text(qtbot, mode.date_field.edit, "sous huitaine")
    assert mode.date_field.echo.text().startswith("✓")
    qtbot.mouseClick(mode.deadline_button, Qt.MouseButton.LeftButton)
    set_here = lambda: [d for d in cases.get_case(ctx.core, case_id).deadlines if "set at the hearing" in d.title]  # noqa: E731
    until(qtbot, set_here)
    (deadline,) = set_here()
    assert deadline.due_on == datetime.now(PARIS).date() + timedelta(days=8)
    until(qtbot, lambda: mode.focusWidget() is mode.field)  # the next words go to the note, not the date


def test_a_renvoi_marks_this_hearing_postponed_and_one_undo_takes_it_all_back(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    case_id, hearing_id = case_with_hearing(ctx)
    mode = open_mode(qtbot, window, ctx, case_id)
    type_text(qtbot, mode.field, "Renvoi à quinzaine")
    until(qtbot, lambda: mode.said_button.isVisible())
    shortcut(qtbot, mode, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(qtbot, lambda: len(cases.get_case(ctx.core, case_id).hearings) == 2)
    until(qtbot, lambda: len(hearings.get_hearing(ctx.core, hearing_id).notes) == 1)
    idle(qtbot, ctx)
    assert hearings.get_hearing(ctx.core, hearing_id).status == HearingStatus.POSTPONED
    new = next(h for h in cases.get_case(ctx.core, case_id).hearings if h.id != hearing_id)
    assert new.status == HearingStatus.SCHEDULED

    ctx.undo.undo()  # the note
    until(qtbot, lambda: hearings.get_hearing(ctx.core, hearing_id).notes == ())
    idle(qtbot, ctx)
    ctx.undo.undo()  # the adjournment: the new hearing and the status, together
    until(qtbot, lambda: len(cases.get_case(ctx.core, case_id).hearings) == 1)
    idle(qtbot, ctx)
    assert hearings.get_hearing(ctx.core, hearing_id).status == HearingStatus.SCHEDULED
    ctx.undo.redo()
    until(qtbot, lambda: len(cases.get_case(ctx.core, case_id).hearings) == 2)
    idle(qtbot, ctx)
    assert hearings.get_hearing(ctx.core, hearing_id).status == HearingStatus.POSTPONED
    assert ctx.errors.history == []
