"""A case taken offline to court and brought back: ``caseapp checkout`` writes the case's bundle for a laptop and
marks the case in the team's database; colleagues see the mark (``show``, ``cases``) and can still edit the case;
``caseapp checkin`` (or a plain import of the laptop's bundle) brings the laptop's notes and exhibits back and
clears the mark. The team's database is the ``core`` fixture (SQLite, and PostgreSQL when ``CASEAPP_TEST_PG_URL``
is set); the laptop is a fresh SQLite data folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from caseapp.casefile.core import Core
from caseapp.config import DB_FILE
from caseapp.dates import format_datetime
from caseapp.identity import signing
from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
from caseapp.services import bundles, cases, checkouts, evidence, hearings, history
from caseapp.services.deadlines import add_deadline
from caseapp.services.demo import demo_id, load_demo
from tests.core.test_bundle_helpers import open_sqlite_core
from tests.core.test_cases import snapshot

CASE_KEY = "case/lycees"  # an example case with a hearing
NUMBER = "1901249"  # its court number


@dataclass
class Run:
    code: int
    out: str
    err: str


def caseapp(*args: str) -> Run:
    """``caseapp ARGS`` in this process, on the team's database (the ``core`` fixture's data folder and URL), with
    the key store of the test; nothing is ever asked (stdin is not a terminal)."""
    from caseapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.umask(umask)  # ``main`` sets 077 for the files it writes
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyStore]:
    """This lawyer's keys, the same on the team's database and on the laptop (their own key is trusted)."""
    store = MemoryKeyStore()
    signing.ensure_signer(store)
    set_default_keystore(store)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    yield store
    set_default_keystore(None)


@pytest.fixture
def team(core: Core, keys: MemoryKeyStore) -> Core:
    load_demo(core)
    return core


@pytest.fixture
def laptop(tmp_path: Path, template_db: Path) -> Iterator[Core]:
    """The laptop's own data folder (SQLite), used by the same lawyer."""
    folder = tmp_path / "laptop"
    folder.mkdir()
    shutil.copyfile(template_db, folder / DB_FILE)
    opened = open_sqlite_core(folder, "Tester")
    yield opened
    opened.close()


def events(core: Core, case_id: uuid.UUID, entity: str = checkouts.ENTITY) -> list[str]:
    return [e.action for e in reversed(history.case_history(core, case_id)) if e.entity == entity]


def import_into(core: Core, path: Path, keys: MemoryKeyStore) -> object:
    preview = bundles.inspect(core, path, keystore=keys)
    try:
        return bundles.apply(core, preview)
    finally:
        preview.discard()


def test_checkout_marks_the_case_and_writes_a_bundle_that_verify_accepts(team: Core, tmp_path: Path) -> None:
    case_id = demo_id(CASE_KEY)
    target = tmp_path / "vsa.casebundle"
    done = caseapp("checkout", NUMBER, "-o", str(target))
    assert done.code == 0, done.err
    assert "Signed with your key" in done.out and "Taken offline by Tester on " in done.out
    mark = checkouts.mark_of(team, case_id)
    assert mark is not None and mark.taken_by == "Tester" and mark.bundle_name == "vsa.casebundle"
    assert mark.taken_at.tzinfo is not None
    assert events(team, case_id) == ["checkout"]
    (event,) = [e for e in history.case_history(team, case_id) if e.entity == checkouts.ENTITY]
    assert event.author == "Tester" and event.changes["bundle"] == "vsa.casebundle"

    verified = caseapp("verify", str(target))
    assert verified.code == 0, verified.err
    assert "Every file checks out." in verified.out and "Exported by Tester" in verified.out
    with zipfile.ZipFile(target) as archive:  # the mark is this database's bookkeeping: never in a bundle
        name = next(n for n in archive.namelist() if n.endswith("data/case.json"))
        carried = json.loads(archive.read(name))
    assert "checkouts" not in json.dumps(sorted(carried["records"]))
    assert carried["case_id"] == str(case_id)


def test_show_and_cases_say_who_took_the_case_and_when_in_paris_time(team: Core, tmp_path: Path) -> None:
    case_id = demo_id(CASE_KEY)
    assert caseapp("checkout", NUMBER, "-o", str(tmp_path / "vsa.casebundle")).code == 0
    mark = checkouts.mark_of(team, case_id)
    assert mark is not None
    said = f"Taken offline by Tester on {format_datetime(mark.taken_at, 'en')}"  # Paris time, in words

    shown = caseapp("show", NUMBER)
    assert shown.code == 0 and said in shown.out
    detail = json.loads(caseapp("show", NUMBER, "--json").out)
    assert detail["taken_offline"]["taken_by"] == "Tester"
    assert detail["taken_offline"]["bundle_name"] == "vsa.casebundle"
    rows = {row["id"]: row for row in json.loads(caseapp("cases", "--json").out)}
    assert rows[str(case_id)]["taken_offline"]["taken_by"] == "Tester"
    assert all(row["taken_offline"] is None for key, row in rows.items() if key != str(case_id))
    listed = caseapp("cases")
    assert "Offline" in listed.out.splitlines()[0]
    (line,) = [line for line in listed.out.splitlines() if NUMBER in line]
    assert "Tester, " in line
    other = next(line for line in listed.out.splitlines()[1:] if NUMBER not in line)
    assert "Tester, " not in other

    # nothing is locked: a colleague still edits the case, and the mark stays
    current = cases.get_case(team, case_id)
    cases.update_case(team, case_id, expected_version=current.version, summary="Edited while it is away")
    assert cases.get_case(team, case_id).taken_offline == mark


def test_a_second_checkout_needs_again_and_a_refusal_changes_nothing(team: Core, tmp_path: Path) -> None:
    case_id = demo_id(CASE_KEY)
    assert caseapp("checkout", NUMBER, "-o", str(tmp_path / "first.casebundle")).code == 0
    first = checkouts.mark_of(team, case_id)
    before = snapshot(team)

    refused = caseapp("checkout", NUMBER, "-o", str(tmp_path / "second.casebundle"))
    assert refused.code == 1 and refused.out == ""
    assert "already taken offline, by Tester" in refused.err and "--again" in refused.err
    assert refused.err.count("\n") == 1
    assert not (tmp_path / "second.casebundle").exists()
    assert snapshot(team) == before and checkouts.mark_of(team, case_id) == first
    with pytest.raises(checkouts.TakenAlready):  # the service refuses too, before writing anything
        checkouts.checkout(team, case_id, tmp_path / "third.casebundle")
    assert not (tmp_path / "third.casebundle").exists() and snapshot(team) == before

    again = caseapp("checkout", NUMBER, "-o", str(tmp_path / "second.casebundle"), "--again")
    assert again.code == 0, again.err
    assert "It was already taken offline by Tester" in again.out
    second = checkouts.mark_of(team, case_id)
    assert first is not None and second is not None
    assert second.taken_at > first.taken_at and second.bundle_name == "second.casebundle"
    assert events(team, case_id) == ["checkout", "checkout"]


def test_round_trip_to_the_laptop_and_back(team: Core, laptop: Core, keys: MemoryKeyStore, tmp_path: Path) -> None:
    """Team database → checkout → the laptop imports it, takes notes and adds an exhibit in court → exports →
    checkin on the team database: the notes and the file are there, the mark is gone, the history tells it."""
    case_id = demo_id(CASE_KEY)
    hearing_id = demo_id(f"{CASE_KEY}/hearing/0")
    out = tmp_path / "to-court.casebundle"
    assert caseapp("checkout", NUMBER, "-o", str(out)).code == 0

    import_into(laptop, out, keys)
    assert checkouts.mark_of(laptop, case_id) is None  # the mark stayed on the team's database
    note = hearings.add_note(laptop, hearing_id, "Le rapporteur public conclut à l'annulation.")
    scan = tmp_path / "plan-des-cameras.pdf"
    content = b"%PDF-1.4\n% the plan handed over at the hearing\n" * 400
    scan.write_bytes(content)
    evidence.add_evidence_file(laptop, case_id, scan, title="Plan des caméras remis à l'audience", source="Audience")
    # meanwhile at the office, a colleague goes on working on the case: nothing is locked
    add_deadline(team, case_id, title="Note en délibéré", due_on=date(2026, 9, 1))
    back = tmp_path / "from-court.casebundle"
    bundles.export(laptop, case_id, back, bundles.ExportOptions(include_pdf=False), keystore=keys)

    checkin = caseapp("checkin", str(back), "--yes")
    assert checkin.code == 0, checkin.err
    assert "Taken offline by Tester on " in checkin.out and "Imported:" in checkin.out
    assert "The case is no longer marked as taken offline" in checkin.out
    assert "Warning" not in checkin.out + checkin.err

    detail = cases.get_case(team, case_id)
    notes = {n.id: n.text for h in detail.hearings for n in h.notes}
    assert notes[note.id] == "Le rapporteur public conclut à l'annulation."
    (exhibit,) = [e for e in detail.evidence if e.title == "Plan des caméras remis à l'audience"]
    assert exhibit.file is not None and exhibit.file.sha256 == hashlib.sha256(content).hexdigest()
    assert team.db.files.path_for(exhibit.file.sha256).read_bytes() == content
    assert any(d.title == "Note en délibéré" for d in detail.deadlines)  # the colleague's work is kept
    assert detail.taken_offline is None and checkouts.mark_of(team, case_id) is None
    assert events(team, case_id) == ["checkout", "checkin"]
    assert "Taken offline" not in caseapp("show", NUMBER).out
    from caseapp.store.history_check import verify_history

    assert verify_history(team.db).problems == []  # the history still holds, the checkout events with it

    again = caseapp("checkin", str(back), "--yes")  # once more: nothing to import, and no mark to clear
    assert again.code == 0 and "not marked as taken offline here" in again.out
    assert events(team, case_id) == ["checkout", "checkin"]


def test_a_plain_import_of_the_laptops_bundle_clears_the_mark_but_not_a_colleagues(
    team: Core, laptop: Core, keys: MemoryKeyStore, tmp_path: Path, template_db: Path
) -> None:
    case_id = demo_id(CASE_KEY)
    out = tmp_path / "to-court.casebundle"
    taken = checkouts.checkout(team, case_id, out, bundles.ExportOptions(include_pdf=False), keystore=keys)
    assert taken.mark.taken_by == "Tester" and taken.previous is None and out.is_file()

    # a colleague's bundle of the same case, written after the checkout: imported, the mark stays
    folder = tmp_path / "colleague"
    folder.mkdir()
    shutil.copyfile(template_db, folder / DB_FILE)
    colleague = open_sqlite_core(folder, "Colleague")
    try:
        import_into(colleague, out, keys)
        hearings.add_note(colleague, demo_id(f"{CASE_KEY}/hearing/0"), "Vu par la collègue.")
        theirs = tmp_path / "colleague.casebundle"
        bundles.export(colleague, case_id, theirs, bundles.ExportOptions(include_pdf=False), keystore=keys)
    finally:
        colleague.close()
    import_into(team, theirs, keys)
    assert checkouts.mark_of(team, case_id) == taken.mark
    # re-importing the checkout's own bundle (written before the mark) does not clear it either
    assert import_into(team, out, keys) is not None
    assert checkouts.mark_of(team, case_id) == taken.mark

    import_into(laptop, out, keys)
    hearings.add_note(laptop, demo_id(f"{CASE_KEY}/hearing/0"), "Noté au tribunal.")
    back = tmp_path / "from-court.casebundle"
    bundles.export(laptop, case_id, back, bundles.ExportOptions(include_pdf=False), keystore=keys)
    report = import_into(team, back, keys)
    assert getattr(report, "changed", False)
    assert checkouts.mark_of(team, case_id) is None
    assert events(team, case_id) == ["checkout", "checkin"]
    texts = [n.text for h in cases.get_case(team, case_id).hearings for n in h.notes]
    assert "Noté au tribunal." in texts and "Vu par la collègue." in texts


def test_checkin_of_a_case_that_is_not_taken_just_imports(
    team: Core, laptop: Core, keys: MemoryKeyStore, tmp_path: Path
) -> None:
    case_id = demo_id(CASE_KEY)
    sent = bundles.export(team, case_id, tmp_path / "sent.casebundle", bundles.ExportOptions(include_pdf=False))
    import_into(laptop, sent.path, keys)
    hearings.add_note(laptop, demo_id(f"{CASE_KEY}/hearing/0"), "Sans sortie déclarée.")
    back = tmp_path / "back.casebundle"
    bundles.export(laptop, case_id, back, bundles.ExportOptions(include_pdf=False), keystore=keys)

    done = caseapp("checkin", str(back), "--yes")
    assert done.code == 0, done.err
    assert "This case is not marked as taken offline here" in done.out and "Imported:" in done.out
    assert "no longer marked" not in done.out
    assert events(team, case_id) == []
    assert "Sans sortie déclarée." in [n.text for h in cases.get_case(team, case_id).hearings for n in h.notes]


def test_deleting_a_case_taken_offline_removes_its_mark(team: Core, tmp_path: Path) -> None:
    case_id = demo_id(CASE_KEY)
    checkouts.checkout(team, case_id, tmp_path / "vsa.casebundle", bundles.ExportOptions(include_pdf=False))
    assert checkouts.marks(team).keys() == {case_id}
    cases.delete_case(team, case_id)
    assert checkouts.marks(team) == {}


def test_checkin_of_the_bundle_written_before_the_checkout_warns_then_clears(team: Core, tmp_path: Path) -> None:
    """The checkout's own bundle holds nothing done on the laptop: checkin says so before clearing the mark (it is
    what checkin is asked to do: the case is back)."""
    case_id = demo_id(CASE_KEY)
    out = tmp_path / "to-court.casebundle"
    assert caseapp("checkout", NUMBER, "-o", str(out)).code == 0
    done = caseapp("checkin", str(out))
    assert done.code == 0, done.err
    assert "Warning: this bundle was written before the case was taken offline" in done.out
    assert "The case is no longer marked as taken offline" in done.out
    assert checkouts.mark_of(team, case_id) is None and events(team, case_id) == ["checkout", "checkin"]
