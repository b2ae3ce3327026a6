"""Reminders on an injected clock (no sleeping): a hearing tomorrow, deadlines at 7 / 3 / 1 days and on the day, an
overdue one — each given once, remembered across restarts; the daily digest; quiet hours; ``caseapp remind``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from caseapp.casefile.core import Core, open_core
from caseapp.errors import InvalidInput
from caseapp.services import cases, deadlines, hearings, reminders
from caseapp.services.reminders import ReminderSettings, parse_lead_days, parse_quiet_hours, take_pending

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2027, 3, 1)
ROOT = Path(__file__).resolve().parents[2]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def a_busy_week(core: Core) -> dict[str, object]:
    case = cases.create_case(core, title="Reconnaissance faciale — lycées", court_number="1901249")
    hearing = hearings.add_hearing(core, case.id, starts_at=at(MONDAY + timedelta(days=1), 14, 30), room="Salle 2")
    made = {"case": case, "hearing": hearing}
    for name, days in (("J+7", 7), ("J+5", 5), ("J+3", 3), ("J+1", 1), ("J", 0), ("J-2", -2), ("J+20", 20)):
        made[name] = deadlines.add_deadline(
            core, case.id, title=f"Mémoire {name}", due_on=MONDAY + timedelta(days=days)
        )
    done = deadlines.add_deadline(core, case.id, title="Mémoire déjà déposé", due_on=MONDAY + timedelta(days=1))
    deadlines.set_status(core, done.id, "done")
    return made


def texts(pending: reminders.Pending) -> list[str]:
    return [r.text for r in pending.reminders]


def mine(pending: reminders.Pending) -> list[str]:
    """The reminders of the test's own records (a hearing also brings the court's computed dates)."""
    return [t for t in texts(pending) if "Mémoire" in t or "Hearing" in t]


def test_each_reminder_comes_once_at_its_stage_and_is_remembered_across_restarts(core: Core, data_dir: Path) -> None:
    a_busy_week(core)
    first = take_pending(core, now=at(MONDAY, 9))
    assert first.digest is not None
    # Overdue: "Mémoire J-2" and the close of the investigation the hearing brought (3 days before it).
    assert first.digest.text == "This week: 1 hearing, 4 deadlines, 2 overdue"
    said = mine(first)
    assert "Hearing tomorrow at 14:30 (Salle 2) — Reconnaissance faciale — lycées" in said
    assert "Overdue by 2 days: Mémoire J-2 — Reconnaissance faciale — lycées" in said
    assert "Deadline today: Mémoire J — Reconnaissance faciale — lycées" in said
    assert "Deadline tomorrow: Mémoire J+1 — Reconnaissance faciale — lycées" in said
    assert any(t.startswith("Deadline in 3 days: Mémoire J+3 (Thursday 4 March 2027)") for t in said)
    assert any(t.startswith("Deadline in 5 days: Mémoire J+5") for t in said)  # past the 7-day mark already
    assert any(t.startswith("Deadline in 7 days: Mémoire J+7") for t in said)
    assert not any("J+20" in t or "déjà déposé" in t for t in said)  # too far; done
    stages = {r.title: r.stage for r in first.reminders if r.kind == "deadline"}
    assert stages["Mémoire J+5"] == "7" and stages["Mémoire J+3"] == "3" and stages["Mémoire J-2"] == "overdue"

    assert take_pending(core, now=at(MONDAY, 9, 5)).empty  # given once
    assert take_pending(core, now=at(MONDAY, 17)).empty

    core.close()  # CaseApp quits; the next start (same day) gives nothing again
    again = open_core(data_dir=data_dir)
    try:
        assert take_pending(again, now=at(MONDAY, 18)).empty
        tuesday = take_pending(again, now=at(MONDAY + timedelta(days=1), 8))
        assert tuesday.digest is not None  # the first start of the next day
        said = mine(tuesday)
        assert "Deadline today: Mémoire J+1 — Reconnaissance faciale — lycées" in said
        assert "Overdue by 1 day: Mémoire J — Reconnaissance faciale — lycées" in said
        assert not any("J-2" in t or "Hearing" in t or "J+5" in t for t in said)  # already given at their stage
        friday = mine(take_pending(again, now=at(MONDAY + timedelta(days=4), 8)))
        assert any(t.startswith("Deadline in 3 days: Mémoire J+7") for t in friday)
        assert any(t.startswith("Deadline tomorrow: Mémoire J+5") for t in friday)
    finally:
        again.close()


def test_a_moved_hearing_or_deadline_is_reminded_again_for_its_new_date(core: Core) -> None:
    made = a_busy_week(core)
    take_pending(core, now=at(MONDAY, 9))
    hearings.update_hearing(core, made["hearing"].id, starts_at=at(MONDAY + timedelta(days=2), 10))  # type: ignore[attr-defined]
    deadlines.update_deadline(core, made["J+20"].id, due_on=MONDAY + timedelta(days=2))  # type: ignore[attr-defined]
    assert mine(take_pending(core, now=at(MONDAY, 10))) == [
        "Deadline in 2 days: Mémoire J+20 (Wednesday 3 March 2027) — Reconnaissance faciale — lycées"
    ]
    tuesday = mine(take_pending(core, now=at(MONDAY + timedelta(days=1), 9)))
    assert "Hearing tomorrow at 10:00 (Salle 2) — Reconnaissance faciale — lycées" in tuesday


def test_quiet_hours_hold_reminders_back_until_they_end_and_the_settings_turn_them_off(
    core: Core, data_dir: Path
) -> None:
    a_busy_week(core)
    ReminderSettings(enabled=True, lead_days=(3, 0), quiet=parse_quiet_hours("20:00-08:00")).save(data_dir)
    settings = ReminderSettings.load(data_dir)
    assert settings.lead_days == (3, 0) and settings.quiet == (time(20), time(8))
    night = take_pending(core, now=at(MONDAY, 22, 30))
    assert night.quiet and night.empty
    assert take_pending(core, now=at(MONDAY + timedelta(days=1), 7, 59)).quiet
    morning = take_pending(core, now=at(MONDAY + timedelta(days=1), 8, 0))
    assert not morning.quiet and morning.digest is not None
    said = mine(morning)
    assert any(t.startswith("Deadline in 2 days: Mémoire J+3") for t in said)  # lead times 3 and 0 only
    assert not any("J+7" in t or "J+5" in t for t in said)

    ReminderSettings(enabled=False).save(data_dir)
    assert take_pending(core, now=at(MONDAY + timedelta(days=6), 9)).empty


def test_lead_times_and_quiet_hours_are_checked_as_typed() -> None:
    assert parse_lead_days("7, 3, 1, 0") == (7, 3, 1, 0)
    assert parse_lead_days("1 14") == (14, 1)
    assert parse_lead_days("") == reminders.LEAD_DAYS
    with pytest.raises(InvalidInput, match="not a number of days"):
        parse_lead_days("7, trois")
    assert parse_quiet_hours("22h-7h") == (time(22), time(7))
    assert parse_quiet_hours("") is None
    with pytest.raises(InvalidInput, match="not a span of hours"):
        parse_quiet_hours("after dinner")
    across = ReminderSettings(quiet=(time(22), time(7)))
    assert across.is_quiet(at(MONDAY, 23)) and across.is_quiet(at(MONDAY, 6, 59)) and not across.is_quiet(at(MONDAY, 7))


def caseapp(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environment = os.environ | {"CASEAPP_DATA_DIR": str(data), "CASEAPP_LANG": "en"} | (env or {})
    environment.pop("CASEAPP_DB_URL", None)
    environment.pop("DBUS_SESSION_BUS_ADDRESS", None)  # no notification service: printed instead
    return subprocess.run(
        [sys.executable, "-m", "caseapp.cli", *args], capture_output=True, text=True, env=environment, cwd=ROOT
    )


@pytest.mark.sqlite_only
def test_caseapp_remind_prints_what_is_due_and_loads_nothing_it_does_not_need(core: Core, data_dir: Path) -> None:
    today = datetime.now(PARIS).date()
    case = cases.create_case(core, title="Vidéosurveillance algorithmique")
    deadlines.add_deadline(core, case.id, title="Requête d'appel", due_on=today + timedelta(days=3))
    deadlines.add_deadline(core, case.id, title="Oubliée", due_on=today - timedelta(days=1))
    deadlines.add_deadline(core, case.id, title="Plus tard", due_on=today + timedelta(days=30))
    core.close()

    listed = caseapp(data_dir, "remind")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "This week: 0 hearings, 1 deadline, 1 overdue"
    assert lines[1] == "OVERDUE Overdue by 1 day: Oubliée — Vidéosurveillance algorithmique"
    assert lines[2].startswith("Deadline in 3 days: Requête d'appel (")
    assert "Plus tard" not in listed.stdout
    wider = json.loads(caseapp(data_dir, "remind", "--days", "40", "--json").stdout)
    assert [i["title"] for i in wider["items"]] == ["Oubliée", "Requête d'appel", "Plus tard"]
    assert wider["items"][0]["overdue"] is True and wider["digest"]["deadlines"] == 1

    notified = caseapp(data_dir, "remind", "--notify")
    assert notified.returncode == 0 and "Traceback" not in notified.stderr
    assert "CaseApp reminder: Overdue by 1 day: Oubliée" in notified.stdout
    if "not available" in notified.stderr:  # printed only: kept for the window to give
        assert not (data_dir / reminders.LOG_FILE).exists()
    else:
        assert caseapp(data_dir, "remind", "--notify").stdout.strip() == "No new reminder."

    script = (
        "import sys\nfrom caseapp.cli import main\nmain(['remind'])\n"
        "big = ('caldav', 'reportlab', 'pypdf', 'desktop_notifier')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in big"
        " or m.startswith(('caseapp.bundle', 'caseapp.reports', 'caseapp.cli.documents', 'caseapp.cli.bundles')))\n"
        "print('HEAVY', heavy)\n"
    )
    probe = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, "CASEAPP_DATA_DIR": str(data_dir), "CASEAPP_LANG": "en"},
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.splitlines()[-1] == "HEAVY []"
