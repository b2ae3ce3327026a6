"""Reminders in the window, on an injected clock (nothing sleeps): the notification says what is due, once, and a
click opens the case; quiet hours; Settings › Reminders and the team's calendar, connected and kept in step with a
real CalDAV server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from caseapp.secrets import Secrets, use_secrets
from caseapp.services import calendar_sync, cases, deadlines, hearings
from caseapp.services.reminders import ReminderSettings
from tests.support.memory_keyring import MemoryKeyring
from tests.support.radicale import RadicaleServer
from tests.ui.conftest import WAIT_MS, FakePrompts, idle, until
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.reminders import Reminders
from ui.shell import Shell

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2027, 3, 1)


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


@pytest.fixture
def keyring_store() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    use_secrets(Secrets(backend))
    yield backend
    use_secrets(None)


def checked(qtbot: QtBot, reminders: Reminders) -> None:
    with qtbot.waitSignal(reminders.check_did_finish, timeout=WAIT_MS):
        reminders.check()


def test_reminders_say_what_is_due_once_and_a_click_opens_the_case(
    qtbot: QtBot, ctx: AppContext, window: MainWindow
) -> None:
    case = cases.create_case(ctx.core, title="Reconnaissance faciale — lycées")
    other = cases.create_case(ctx.core, title="Vidéosurveillance algorithmique")
    hearings.add_hearing(ctx.core, other.id, starts_at=at(MONDAY + timedelta(days=9), 10))
    deadlines.add_deadline(ctx.core, case.id, title="Mémoire en réplique", due_on=MONDAY - timedelta(days=1))
    deadlines.add_deadline(ctx.core, case.id, title="Pièces", due_on=MONDAY + timedelta(days=3))
    clock = Clock(at(MONDAY, 9))
    reminders = Reminders(ctx, window, clock=clock, interval_ms=60_000)
    with qtbot.waitSignal(reminders.reminders_did_show, timeout=WAIT_MS):
        reminders.start()
    assert reminders.timer.isActive()
    # The hearing on the 10th closes the investigation on the 6th (R613-2): a deadline of the week too.
    assert reminders.shown[0] == ("CaseApp — this week", "This week: 0 hearings, 2 deadlines, 1 overdue")
    title, text = reminders.shown[1]
    assert title == "3 reminders"
    assert text.splitlines()[:2] == [
        "Overdue by 1 day: Mémoire en réplique — Reconnaissance faciale — lycées",
        "Deadline in 3 days: Pièces (Thursday 4 March 2027) — Reconnaissance faciale — lycées",
    ]
    assert text.splitlines()[2].startswith("Deadline in 5 days: Close of the investigation")

    window.show_page("agenda")
    reminders.tray.messageClicked.emit()  # the person clicks the notification
    until(qtbot, lambda: window.current_case() is not None and window.current_case().id == case.id)  # type: ignore[union-attr]
    assert window.current_page() == "cases"

    clock.moment = at(MONDAY, 11)
    checked(qtbot, reminders)
    assert len(reminders.shown) == 2  # each reminder once

    clock.moment = at(MONDAY + timedelta(days=8), 9)  # a week later: the hearing is tomorrow
    checked(qtbot, reminders)
    said = "\n".join(text for _title, text in reminders.shown[2:])
    assert "Hearing tomorrow at 10:00 — Vidéosurveillance algorithmique" in said
    reminders.stop()


def test_quiet_hours_and_lead_times_come_from_settings(
    qtbot: QtBot, ctx: AppContext, data_dir: Path, shell: Shell, window: MainWindow, prompts: FakePrompts
) -> None:
    dialog = shell.open_settings(window)
    section = dialog.calendar
    section.lead_days.setText("7, trois")
    dialog.accept()
    assert prompts.messages[-1].startswith("“trois” is not a number of days") and dialog.isVisible()
    section.lead_days.setText("2, 0")
    section.quiet.setChecked(True)
    section.quiet_from.setTime(section.quiet_from.time().fromString("21:30", "HH:mm"))
    section.quiet_to.setTime(section.quiet_to.time().fromString("07:00", "HH:mm"))
    dialog.accept()
    idle(qtbot, ctx)
    saved = ReminderSettings.load(data_dir)
    assert saved.lead_days == (2, 0) and saved.quiet == (time(21, 30), time(7))

    case = cases.create_case(ctx.core, title="Lycées")
    deadlines.add_deadline(ctx.core, case.id, title="Réplique", due_on=MONDAY + timedelta(days=5))
    deadlines.add_deadline(ctx.core, case.id, title="Appel", due_on=MONDAY + timedelta(days=2))
    clock = Clock(at(MONDAY, 22))
    reminders = Reminders(ctx, window, clock=clock)
    checked(qtbot, reminders)
    assert reminders.shown == []  # quiet hours
    clock.moment = at(MONDAY + timedelta(days=1), 7, 0)
    checked(qtbot, reminders)
    assert [t for _title, t in reminders.shown if "Réplique" in t or "Appel" in t] == [
        "Deadline tomorrow: Appel — Lycées"  # lead times 2 and 0: not yet for the one in 4 days
    ]


def test_settings_connect_the_team_calendar_and_the_window_keeps_it_in_step(
    qtbot: QtBot,
    ctx: AppContext,
    data_dir: Path,
    shell: Shell,
    window: MainWindow,
    tmp_path: Path,
    keyring_store: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(calendar_sync.PASSWORD_ENV, raising=False)
    folder = tmp_path / "radicale"
    folder.mkdir()
    server = RadicaleServer(folder, {"avocate": "secret-du-cabinet"})
    server.start()
    try:
        case = cases.create_case(ctx.core, title="Lycées")
        deadline = deadlines.add_deadline(ctx.core, case.id, title="Réplique", due_on=MONDAY + timedelta(days=5))
        dialog = shell.open_settings(window)
        section = dialog.calendar
        assert section.status.text().startswith("Not connected.")
        section.url.setText(server.url)
        section.user.setText("avocate")
        section.password.setText("wrong")
        section.connect_button.click()
        until(qtbot, lambda: "refused the user name or the password" in section.status.text())
        section.password.setText("secret-du-cabinet")
        section.connect_button.click()
        until(qtbot, lambda: section.status.text().startswith("Connected to"))
        assert section.password.text() == "" and keyring_store.store  # the password went to the keyring
        dialog.accept()

        reminders = Reminders(ctx, window, clock=Clock(at(MONDAY, 9)))
        with qtbot.waitSignal(reminders.calendar_did_sync, timeout=WAIT_MS) as synced:
            reminders.check()
        assert synced.args[0].added >= 1
        uids = set(server.files("avocate"))
        assert f"deadline-{deadline.id}@caseapp" in uids

        deadlines.set_status(ctx.core, deadline.id, "done")
        with qtbot.waitSignal(reminders.calendar_did_sync, timeout=WAIT_MS) as again:
            reminders.check()
        assert again.args[0].removed == 1
        assert f"deadline-{deadline.id}@caseapp" not in set(server.files("avocate"))

        server.stop()  # the server goes away: said, nothing lost
        with qtbot.waitSignal(reminders.calendar_did_fail, timeout=WAIT_MS) as failed:
            reminders.check()
        assert "cannot be reached" in failed.args[0]
    finally:
        server.stop()
