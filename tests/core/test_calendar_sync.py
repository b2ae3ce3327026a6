"""The team's CalDAV calendar against a real server (Radicale on a free port): what it holds is read back with the
CalDAV client and, from the server's own files, with icalendar — never through CaseApp's code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import caldav
import icalendar
import pytest

from caseapp.casefile.core import Core
from caseapp.secrets import Secrets, use_secrets
from caseapp.services import calendar_sync, cases, deadlines, hearings
from caseapp.services.calendar_sync import CalendarError
from caseapp.settings import load_settings
from tests.support.memory_keyring import MemoryKeyring
from tests.support.radicale import RadicaleServer

PARIS = ZoneInfo("Europe/Paris")
USER, PASSWORD = "avocate", "mot-de-passe-du-cabinet"


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[RadicaleServer]:
    folder = tmp_path / "radicale"
    folder.mkdir()
    server = RadicaleServer(folder, {USER: PASSWORD})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def keyring_store() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    use_secrets(Secrets(backend))
    yield backend
    use_secrets(None)


@pytest.fixture(autouse=True)
def no_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(calendar_sync.PASSWORD_ENV, raising=False)


def expected(core: Core) -> dict[str, str]:
    """What CaseApp says the calendar must hold, from its read models: UID → start (hearings not cancelled and
    open deadlines of every case)."""
    wanted: dict[str, str] = {}
    for row in cases.list_cases(core):
        detail = cases.get_case(core, row.id)
        for h in detail.hearings:
            if h.status != "cancelled":
                wanted[f"hearing-{h.id}@caseapp"] = h.starts_at.astimezone(UTC).isoformat()
        for d in detail.deadlines:
            if d.status == "open":
                wanted[f"deadline-{d.id}@caseapp"] = d.due_on.isoformat()
    return wanted


def start_of(event: icalendar.cal.Component) -> str:
    value = event.decoded("DTSTART")
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value.isoformat()


def client_view(url: str, calendar_url: str) -> dict[str, icalendar.cal.Component]:
    """The events of the calendar as the CalDAV client library reads them (a fresh connection)."""
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD)
    calendar = caldav.Calendar(client=client, url=calendar_url)
    found: dict[str, icalendar.cal.Component] = {}
    for resource in calendar.get_events():
        for event in icalendar.Calendar.from_ical(resource.data).walk("VEVENT"):
            found[str(event["UID"])] = event
    return found


def disk_view(server: RadicaleServer) -> dict[str, icalendar.cal.Component]:
    """The events as the server keeps them in its files, read with icalendar."""
    found: dict[str, icalendar.cal.Component] = {}
    for uid, path in server.files(USER).items():
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            found[uid] = event
    return found


def ours(events: dict[str, icalendar.cal.Component]) -> dict[str, str]:
    return {uid: start_of(e) for uid, e in events.items() if uid.endswith("@caseapp")}


def etags(url: str, calendar_url: str) -> dict[str, str]:
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD)
    calendar = caldav.Calendar(client=client, url=calendar_url)
    found: dict[str, str] = {}
    for resource in calendar.get_events():
        uid = str(icalendar.Calendar.from_ical(resource.data).walk("VEVENT")[0]["UID"])
        found[uid] = str(resource.props.get("{DAV:}getetag"))
    return found


def a_team_with_two_cases(core: Core) -> dict[str, object]:
    lycees = cases.create_case(core, title="Reconnaissance faciale — lycées", court_number="1901249")
    vsa = cases.create_case(core, title="Vidéosurveillance algorithmique", court_number="2009485")
    hearing = hearings.add_hearing(
        core, lycees.id, starts_at=datetime(2027, 3, 9, 14, 0, tzinfo=PARIS), court="TA de Marseille", room="Salle 2"
    )
    replique = deadlines.add_deadline(core, lycees.id, title="Mémoire en réplique", due_on="2027-03-01")
    pieces = deadlines.add_deadline(core, lycees.id, title="Pièces complémentaires", due_on="2027-03-05")
    vsa_hearing = hearings.add_hearing(core, vsa.id, starts_at=datetime(2027, 4, 2, 10, 0, tzinfo=PARIS))
    vsa_deadline = deadlines.add_deadline(core, vsa.id, title="Requête d'appel", due_on="2027-04-20")
    return {
        "lycees": lycees,
        "vsa": vsa,
        "hearing": hearing,
        "replique": replique,
        "pieces": pieces,
        "vsa_hearing": vsa_hearing,
        "vsa_deadline": vsa_deadline,
    }


def a_colleagues_own_event(url: str, calendar_url: str) -> None:
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD)
    caldav.Calendar(client=client, url=calendar_url).add_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\nBEGIN:VEVENT\r\nUID:lunch-42@example.org\r\n"
        "DTSTAMP:20270101T000000Z\r\nDTSTART:20270305T110000Z\r\nDTEND:20270305T120000Z\r\n"
        "SUMMARY:Déjeuner avec la CNIL\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_the_calendar_holds_exactly_what_caseapp_says_after_moves_done_and_deletions(
    core: Core, data_dir: Path, radicale: RadicaleServer, keyring_store: MemoryKeyring
) -> None:
    team = a_team_with_two_cases(core)
    connected = calendar_sync.connect(data_dir, radicale.url, USER, PASSWORD)
    assert connected.made and connected.password_kept
    assert load_settings(data_dir).calendar_url == connected.calendar
    assert PASSWORD not in (data_dir / "settings.json").read_text(encoding="utf-8")  # the keyring has it
    a_colleagues_own_event(radicale.url, connected.calendar)

    first = calendar_sync.sync(core)
    assert first.added == len(expected(core)) and first.updated == first.removed == 0
    assert ours(client_view(radicale.url, connected.calendar)) == expected(core)
    assert ours(disk_view(radicale)) == expected(core)
    hearing_uid = f"hearing-{team['hearing'].id}@caseapp"  # type: ignore[attr-defined]
    event = client_view(radicale.url, connected.calendar)[hearing_uid]
    assert str(event["SUMMARY"]).endswith("Reconnaissance faciale — lycées")
    assert str(event["LOCATION"]) == "TA de Marseille, Salle 2"

    # The hearing is moved, a deadline is done, a whole case is deleted.
    hearings.update_hearing(core, team["hearing"].id, starts_at=datetime(2027, 3, 16, 9, 30, tzinfo=PARIS))  # type: ignore[attr-defined]
    deadlines.set_status(core, team["replique"].id, "done")  # type: ignore[attr-defined]
    cases.delete_case(core, team["vsa"].id)  # type: ignore[attr-defined]
    before = etags(radicale.url, connected.calendar)

    preview = calendar_sync.sync(core, dry_run=True)
    assert preview.dry_run and preview.updated >= 1 and preview.removed >= 3
    assert etags(radicale.url, connected.calendar) == before  # a dry run changes nothing on the server

    second = calendar_sync.sync(core)
    assert (second.updated, second.removed) == (preview.updated, preview.removed)
    assert second.edits == ()
    for view in (client_view(radicale.url, connected.calendar), disk_view(radicale)):
        assert ours(view) == expected(core)  # exactly: nothing left behind, nothing missing
        assert start_of(view[hearing_uid]) == "2027-03-16T08:30:00+00:00"
        assert f"deadline-{team['replique'].id}@caseapp" not in view  # type: ignore[attr-defined]
        assert f"hearing-{team['vsa_hearing'].id}@caseapp" not in view  # type: ignore[attr-defined]
        assert "lunch-42@example.org" in view  # a person's own event is never touched

    again = calendar_sync.sync(core)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    assert again.unchanged == len(expected(core))


def test_edits_made_in_the_calendar_are_reported_not_applied_and_repair_fixes_only_the_differences(
    core: Core, data_dir: Path, radicale: RadicaleServer, keyring_store: MemoryKeyring
) -> None:
    team = a_team_with_two_cases(core)
    connected = calendar_sync.connect(data_dir, radicale.url, USER, PASSWORD)
    a_colleagues_own_event(radicale.url, connected.calendar)
    calendar_sync.sync(core)
    hearing_uid = f"hearing-{team['hearing'].id}@caseapp"  # type: ignore[attr-defined]
    pieces_uid = f"deadline-{team['pieces'].id}@caseapp"  # type: ignore[attr-defined]
    appeal_uid = f"deadline-{team['vsa_deadline'].id}@caseapp"  # type: ignore[attr-defined]

    # Someone moves the hearing in their calendar program and deletes a deadline there…
    client = caldav.DAVClient(url=radicale.url, username=USER, password=PASSWORD)
    calendar = caldav.Calendar(client=client, url=connected.calendar)
    for resource in calendar.get_events():
        uid = str(icalendar.Calendar.from_ical(resource.data).walk("VEVENT")[0]["UID"])
        if uid == hearing_uid:
            resource.data = resource.data.replace("DTSTART:20270309T130000Z", "DTSTART:20270310T130000Z")
            resource.save(increase_seqno=False)
        elif uid == pieces_uid:
            resource.delete()
    # … and the server's file of another one is edited by hand.
    path = radicale.files(USER)[appeal_uid]
    path.write_bytes(path.read_bytes().replace(b"Requ\xc3\xaate d'appel", b"Appel (fait ?)"))

    report = calendar_sync.sync(core)
    said = {(e.what, e.uid) for e in report.edits}
    assert said == {
        (calendar_sync.EDITED, hearing_uid),
        (calendar_sync.DELETED, pieces_uid),
        (calendar_sync.EDITED, appeal_uid),
    }
    assert report.changes == ()
    moved = next(e for e in report.edits if e.uid == hearing_uid)
    assert "2027-03-10 14:00" in moved.calendar and "2027-03-09 14:00" in moved.caseapp
    # Nothing was applied either way: CaseApp keeps its date, the calendar keeps the person's edit.
    assert hearings.get_hearing(core, team["hearing"].id).starts_at == datetime(2027, 3, 9, 13, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    view = client_view(radicale.url, connected.calendar)
    assert start_of(view[hearing_uid]) == "2027-03-10T13:00:00+00:00" and pieces_uid not in view
    assert calendar_sync.sync(core).edits == report.edits  # still reported until dealt with

    untouched = {uid: tag for uid, tag in etags(radicale.url, connected.calendar).items()}
    preview = calendar_sync.repair(core, dry_run=True)
    assert {(c.action, c.uid) for c in preview.changes} == {
        (calendar_sync.UPDATE, hearing_uid),
        (calendar_sync.ADD, pieces_uid),
        (calendar_sync.UPDATE, appeal_uid),
    }
    assert etags(radicale.url, connected.calendar) == untouched

    fixed = calendar_sync.repair(core)
    assert (fixed.added, fixed.updated, fixed.removed) == (1, 2, 0)
    assert ours(client_view(radicale.url, connected.calendar)) == expected(core)
    assert ours(disk_view(radicale)) == expected(core)
    assert str(disk_view(radicale)[appeal_uid]["SUMMARY"]).startswith("⚖ Requête d'appel")
    after = etags(radicale.url, connected.calendar)
    for uid, tag in untouched.items():  # only the differences were written: every other event is as it was
        if uid not in (hearing_uid, appeal_uid):
            assert after[uid] == tag, uid
    assert "lunch-42@example.org" in after
    quiet = calendar_sync.sync(core)
    assert quiet.changes == () and quiet.edits == ()


def test_a_server_stopped_in_the_middle_of_a_sync_loses_nothing_and_the_next_sync_catches_up(
    core: Core, data_dir: Path, radicale: RadicaleServer, keyring_store: MemoryKeyring
) -> None:
    a_team_with_two_cases(core)
    connected = calendar_sync.connect(data_dir, radicale.url, USER, PASSWORD)
    total = len(expected(core))
    assert total > 4

    def stop_after_two(done: int, _total: int) -> None:
        if done == 2:
            radicale.stop()

    with pytest.raises(CalendarError) as stopped:
        calendar_sync.sync(core, progress=stop_after_two)
    assert "cannot be reached" in stopped.value.message
    assert f"2 of {total} changes were made" in stopped.value.message
    assert len(expected(core)) == total  # CaseApp itself is unchanged

    with pytest.raises(CalendarError) as down:  # still down: said plainly, again
        calendar_sync.sync(core)
    assert "cannot be reached (connection refused)" in down.value.message

    radicale.start()
    caught_up = calendar_sync.sync(core)
    assert caught_up.added == total - 2 and caught_up.edits == ()
    assert ours(client_view(radicale.url, connected.calendar)) == expected(core)
    assert ours(disk_view(radicale)) == expected(core)


def test_a_wrong_password_is_refused_in_plain_words_and_changes_nothing(
    core: Core, data_dir: Path, radicale: RadicaleServer, keyring_store: MemoryKeyring
) -> None:
    a_team_with_two_cases(core)
    with pytest.raises(CalendarError) as refused:
        calendar_sync.connect(data_dir, radicale.url, USER, "not-the-password")
    assert "refused the user name or the password" in refused.value.message
    assert load_settings(data_dir).calendar_url is None and keyring_store.store == {}

    connected = calendar_sync.connect(data_dir, radicale.url, USER, PASSWORD)
    calendar_sync.sync(core)
    keyring_store.store[("CaseApp", calendar_sync.password_key(USER, connected.calendar))] = "changed-since"
    hearings.add_hearing(core, cases.list_cases(core)[0].id, starts_at=datetime(2027, 5, 5, 9, 0, tzinfo=PARIS))
    with pytest.raises(CalendarError) as later:
        calendar_sync.sync(core)
    assert "refused the user name or the password" in later.value.message
    keyring_store.store[("CaseApp", calendar_sync.password_key(USER, connected.calendar))] = PASSWORD
    assert calendar_sync.sync(core).added >= 1  # the hearing added meanwhile is not lost
    assert ours(client_view(radicale.url, connected.calendar)) == expected(core)


def test_the_command_line_connects_syncs_repairs_and_disconnects(
    core: Core,
    data_dir: Path,
    radicale: RadicaleServer,
    keyring_store: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from caseapp.cli import main

    team = a_team_with_two_cases(core)
    with pytest.raises(SystemExit) as usage:  # the password is never an argument
        main(["calendar", "connect", radicale.url, "--user", USER, "--password", PASSWORD])
    assert usage.value.code == 2
    capsys.readouterr()
    monkeypatch.setenv(calendar_sync.PASSWORD_ENV, PASSWORD)
    lycees = str(team["lycees"].id)  # type: ignore[attr-defined]
    assert main(["calendar", "connect", radicale.url, "--user", USER, "--case", lycees[:8]]) == 0
    out = capsys.readouterr().out
    assert "A calendar named “CaseApp” was made" in out and "Only 1 case is published." in out
    monkeypatch.delenv(calendar_sync.PASSWORD_ENV)  # from now on, from the keyring

    assert main(["calendar", "sync", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dry run — nothing was changed.")
    calendar_url = load_settings(data_dir).calendar_url
    assert calendar_url is not None and ours(client_view(radicale.url, calendar_url)) == {}

    assert main(["calendar", "sync"]) == 0
    out = capsys.readouterr().out
    lycees_only = {
        uid: start
        for uid, start in expected(core).items()
        if uid
        in {f"hearing-{h.id}@caseapp" for h in cases.get_case(core, team["lycees"].id).hearings}  # type: ignore[attr-defined]
        | {f"deadline-{d.id}@caseapp" for d in cases.get_case(core, team["lycees"].id).deadlines}  # type: ignore[attr-defined]
    }
    assert f"synced: {len(lycees_only)} added, 0 updated, 0 removed, 0 unchanged" in out
    assert ours(client_view(radicale.url, calendar_url)) == lycees_only  # only the chosen case

    assert main(["calendar", "repair", "--json"]) == 0
    assert '"added": 0' in capsys.readouterr().out
    assert main(["calendar", "status"]) == 0
    assert "Cases published: 1 chosen" in capsys.readouterr().out

    assert main(["calendar", "disconnect"]) == 0
    assert "The events already in the calendar stay there." in capsys.readouterr().out
    assert load_settings(data_dir).calendar_url is None and keyring_store.store == {}
    assert not (data_dir / calendar_sync.STATE_FILE).exists()
    assert main(["calendar", "sync"]) == 1
    assert "not connected to a calendar" in capsys.readouterr().err
    assert os.environ.get(calendar_sync.PASSWORD_ENV) is None
