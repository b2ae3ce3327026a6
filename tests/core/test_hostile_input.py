"""Nothing lost, nothing leaked: hostile input, each case of the issue reproduced and answered with a sentence.

Dates outside 1900–2199 (a hearing on 31 December 9999 broke the display and the calendar of every case), NUL
characters and lone surrogates in text, escape sequences in what a bundle says, files that are not regular
files (a named pipe blocks, ``/dev/zero`` never ends), outputs that are links or devices, and arguments no
program expects.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from caseapp import outputs
from caseapp.bundle import inspect_bundle
from caseapp.casefile.core import Core
from caseapp.date_parsing import parse_when
from caseapp.dates import EARLIEST, LATEST, check_plausible, format_date, format_datetime, to_paris
from caseapp.errors import BundleError, InvalidInput, StorageError
from caseapp.identity.keys import MemoryKeyStore
from caseapp.services import cases, deadlines, evidence, hearings
from caseapp.services.demo import demo_id, load_demo
from caseapp.store import models as m
from caseapp.store.files import EvidenceStore, read_input, readable_name
from caseapp.textsafe import for_terminal, json_for_terminal
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import Trace, edit_case_json, rebuild
from tests.core.test_cli_fuzz import HUGE, LONG, Run, _device, isolated_process_state, run_main

alice_template = helpers.alice_template
valid_bundle = helpers.valid_bundle

CASE = "1901249"


class TooSlow(BaseException):
    """Raised by the alarm: a BaseException, so that no ``except Exception`` on the way can swallow it."""


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a read that blocks on a pipe, or never ends on /dev/zero)."""

    def alarm(_signum: int, _frame: object) -> None:
        raise TooSlow(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def cli(data_dir: Path, tmp_path: Path) -> Iterator[Any]:
    """``caseapp`` in this process, on the test's data folder with the example data."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    with isolated_process_state(data_dir, cwd):
        assert run_main(["demo"]).code == 0

        def run(*args: str) -> Run:
            with within(60):
                return run_main(list(args))

        yield run


def one_error_line(run: Run) -> str:
    assert run.code == 1, run
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    return lines[0]


# --- text for a terminal --------------------------------------------------------------------------------------


def test_for_terminal_shows_what_a_terminal_would_act_on() -> None:
    assert for_terminal("\x1b[2J\x1b[Hclear") == "\\x1b[2J\\x1b[Hclear"
    assert for_terminal("\x9b31m") == "\\x9b31m"  # CSI in one character
    assert for_terminal("a\rb\x08c\x7f") == "a\\x0db\\x08c\\x7f"
    assert for_terminal("abc\u202edef\u2066") == "abc\\u202edef\\u2066"
    assert for_terminal("caf\udce9") == "caf\\udce9"
    assert for_terminal("one\ntwo") == "one\\x0atwo"
    assert for_terminal("one\ntwo", multiline=True) == "one\ntwo"
    assert for_terminal("a\u2028b", multiline=True) == "a\\u2028b"
    rows = "\n".join(["Référé\tLycées Nice"] * 100)  # a table: newlines and tabs pass, anything else is shown
    assert for_terminal(rows, multiline=True) == rows
    assert for_terminal(rows + "\n\x1b[2J\tfin", multiline=True) == rows + "\n\\x1b[2J\tfin"
    plain = "Référé — « Région » \u00a0l'été\t🇫🇷 👩\u200d⚖️"
    assert for_terminal(plain) == plain
    assert for_terminal(None) == ""
    assert for_terminal("x" * 1000, limit=10) == "x" * 9 + "…"


def test_json_for_terminal_is_the_same_json() -> None:
    data = {"title": "a\x9bb\u202ec\udcff\u2028", "n": 1}
    text = json_for_terminal(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not any(char in text for char in "\x9b\u202e\udcff\u2028")


# --- dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["9999-12-31T23:30Z", "0001-01-01T00:00+05:00", "9999-12-31", "31/12/9999", "1899-12-31", "2200-01-01"]
)
def test_a_typed_date_outside_the_range_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(InvalidInput, match="not plausible"):
        parse_when(text)


def test_the_range_itself_is_accepted() -> None:
    check_plausible(EARLIEST, "date")
    check_plausible(LATEST, "date")
    check_plausible(datetime(2199, 12, 31, 23, 59, tzinfo=UTC), "date")
    with pytest.raises(InvalidInput, match=r"hearing date \(9999-12-31\) is outside the dates CaseApp accepts"):
        check_plausible(date(9999, 12, 31), "hearing date")


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:30:00+00:00",
        "0001-01-01T00:00:00+05:00",
        datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
    ],
)
def test_a_hearing_outside_the_range_is_refused_naming_the_field(core: Core, value: object) -> None:
    case = cases.create_case(core, title="Dates")
    with pytest.raises(InvalidInput) as caught:
        hearings.add_hearing(core, case.id, starts_at=value, kind="merits", status="scheduled")
    assert caught.value.field == "starts_at"
    assert "outside the dates CaseApp accepts" in caught.value.message


@pytest.mark.parametrize("value", [date(9999, 12, 31), date(1, 1, 1), "9999-12-31", "1850-06-01"])
def test_a_deadline_outside_the_range_is_refused_naming_the_field(core: Core, value: object) -> None:
    case = cases.create_case(core, title="Dates")
    with pytest.raises(InvalidInput) as caught:
        deadlines.add_deadline(core, case.id, title="Réplique", due_on=value)
    assert caught.value.field == "due_on"


def _hearing_at(moment: str) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["records"]["hearings"][0]["starts_at"] = moment

    return edit_case_json(change)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_hearing_at("9999-12-31T23:30:00+00:00"), "starts_at"),
        (_hearing_at("0001-01-01T00:00:00+05:00"), "starts_at"),  # converting it to UTC would overflow
        (edit_case_json(lambda d: d["records"]["filings"][0].update(filed_on="9999-12-31")), "filed_on"),
        (edit_case_json(lambda d: d.update(exported_at="9999-12-31T23:59:59-05:00")), "exported_at"),
    ],
    ids=["hearing-9999", "hearing-year-1", "filing-9999", "exported-at-9999"],
)
def test_a_bundle_with_a_date_outside_the_range_is_refused_before_anything_is_written(
    core: Core, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path, change: Any, field: str
) -> None:
    path = rebuild(valid_bundle[0], tmp_path / "dates.casebundle", change)
    trace = Trace(core)
    with pytest.raises(BundleError, match=f"“{field}” is wrong: .*outside the dates CaseApp accepts"):
        inspect_bundle(core, path, keystore=MemoryKeyStore())
    assert trace.unchanged()


def _store_hearing_in_9999(core: Core) -> uuid.UUID:
    """What an older version let in: a hearing at the very end of the calendar, written straight to the database."""
    hearing_id = demo_id("case/vsa-2020/hearing/0")
    with core.db.writer() as session:
        session.get(m.Hearing, hearing_id).starts_at = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
        session.commit()
    return hearing_id


@pytest.mark.sqlite_only  # the command line runs on the test's SQLite case file
def test_an_out_of_range_date_already_stored_does_not_break_the_display(core: Core, cli: Any) -> None:
    _store_hearing_in_9999(core)
    moment = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    assert to_paris(moment) == moment  # cannot be converted: shown as it is
    assert format_datetime(moment, "fr").endswith("à 23h30")
    assert format_date(moment, "en") == "Friday 31 December 9999"
    case = str(demo_id("case/vsa-2020"))
    for args in (["show", case], ["show", CASE], ["cases"], ["agenda", "--days", "3660"], ["search", "vidéo"]):
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    assert "9999-12-31 23:30" in cli("show", case).out


@pytest.mark.sqlite_only  # the command line runs on the test's SQLite case file
def test_an_out_of_range_date_already_stored_does_not_break_the_calendar(core: Core, cli: Any, tmp_path: Path) -> None:
    _store_hearing_in_9999(core)
    assert cli("ics", "-o", str(tmp_path / "agenda.ics")).code == 0


# --- text: NUL, lone surrogates, escape sequences -------------------------------------------------------------


@pytest.mark.parametrize("text", ["avant\x00après", "caf\udce9", "\ud800"])
def test_a_note_with_nul_or_a_lone_surrogate_is_refused(core: Core, text: str) -> None:
    load_demo(core)
    with pytest.raises(InvalidInput) as caught:
        hearings.add_note(core, demo_id("case/vsa-2020/hearing/0"), text)
    assert caught.value.field == "text"


def test_a_title_with_nul_is_refused_and_escape_codes_are_kept_as_data(core: Core) -> None:
    with pytest.raises(InvalidInput, match="NUL"):
        cases.create_case(core, title="Titre\x00")
    kept = cases.create_case(core, title="Titre \x1b[31mrouge")  # harmless stored, escaped when shown
    assert kept.title == "Titre \x1b[31mrouge"


def _note(text: str) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["records"]["hearing_notes"][0]["text"] = text

    return edit_case_json(change)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_note("le rapporteur\x00public"), "NUL character"),
        (_note("caf\udce9"), "lone surrogate"),
        (edit_case_json(lambda d: d.update(exported_by="Mallory\ud800")), "lone surrogate"),
        (edit_case_json(lambda d: _changes(d).update({"x\udcff": [None, 1]})), "lone surrogate"),
    ],
    ids=["note-nul", "note-surrogate", "exported-by-surrogate", "history-data-surrogate"],
)
def test_a_bundle_carrying_nul_or_lone_surrogates_is_refused_with_a_reason(
    core: Core, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path, change: Any, reason: str
) -> None:
    path = rebuild(valid_bundle[0], tmp_path / "text.casebundle", change)
    trace = Trace(core)
    with pytest.raises(BundleError, match=reason):
        inspect_bundle(core, path, keystore=MemoryKeyStore())
    assert trace.unchanged()


def _changes(document: dict[str, Any]) -> dict[str, Any]:
    """The changes (a JSON column) of the first history event that has some."""
    return next(e["changes"] for e in document["records"]["audit_events"] if isinstance(e["changes"], dict))


FAKE = "\x1b[2J\x1b[HMallory\nSignature: signed by alice (trusted key 0000 0000).\u202e"


def test_verify_shows_what_a_bundle_says_without_obeying_it(
    core: Core, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path, cli: Any
) -> None:
    def change(document: dict[str, Any]) -> None:
        document["exported_by"] = FAKE
        document["records"]["cases"][0]["title"] = "Titre\x1b]0;pwned\x07"

    path = rebuild(valid_bundle[0], tmp_path / "mallory.casebundle", edit_case_json(change))
    result = cli("verify", str(path))
    assert result.code == 0, result.err
    assert not any(char in result.out for char in "\x1b\x07\u202e")
    assert "\\x1b[2J\\x1b[HMallory\\x0aSignature: signed by alice" in result.out  # one line, visibly odd
    assert sum(line.startswith("Signature:") for line in result.out.splitlines()) == 1


@pytest.mark.sqlite_only  # the command line runs on the test's SQLite case file
def test_listings_show_stored_escape_codes_harmlessly(core: Core, cli: Any) -> None:
    created = cases.create_case(core, title="Titre \x1b[2J\u202eévil", court_number="EVIL1")
    hearing = hearings.add_hearing(
        core, created.id, starts_at="2026-03-03T14:30:00+01:00", kind="merits", status="scheduled"
    )
    hearings.add_note(core, hearing.id, "note\x1b[31m rouge\rréécrite")
    for args in (["cases"], ["search", "Titre"], ["show", "EVIL1"], ["cases", "--json"], ["show", "EVIL1", "--json"]):
        result = cli(*args)
        assert result.code == 0, (args, result.err)
        assert not any(char in result.out for char in "\x1b\r\u202e"), args
    assert "Titre \\x1b[2J\\u202eévil" in cli("cases").out
    assert json.loads(cli("cases", "--json").out)[0]["title"] == "Titre \x1b[2J\u202eévil"  # JSON keeps the data


# --- input files: regular files only, bounded ----------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_a_passphrase_or_key_file_that_is_a_device_or_a_pipe_is_refused_at_once(
    cli: Any, tmp_path: Path, fifo: Path, valid_bundle: tuple[Path, MemoryKeyStore]
) -> None:
    out = str(tmp_path / "out.casebundle")
    for bad in ("/dev/zero", str(fifo)):
        line = one_error_line(cli("export", CASE, "-o", out, "--passphrase-file", bad))
        assert "device, a pipe or a socket" in line
        line = one_error_line(cli("verify", str(valid_bundle[0]), "--identity", bad))
        assert "device, a pipe or a socket" in line
        line = one_error_line(cli("keys", "trust", bad))
        assert "device, a pipe or a socket" in line
        assert "device, a pipe or a socket" in one_error_line(cli("verify", bad))
    assert not Path(out).exists()


def test_a_key_file_that_is_not_text_or_too_large_is_refused(cli: Any, tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 10)
    assert "not text" in one_error_line(cli("keys", "trust", str(binary)))
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (64 * 1024 + 1))
    assert "too large" in one_error_line(cli("keys", "trust", str(big)))
    assert "too large" in one_error_line(cli("export", CASE, "-o", str(tmp_path / "o"), "--passphrase-file", str(big)))
    assert "is a folder" in one_error_line(cli("keys", "trust", str(tmp_path)))


def test_read_input_bounds_what_it_reads(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.write_bytes(b"x" * 10)
    assert read_input(small, 10) == b"x" * 10
    with pytest.raises(InvalidInput, match="too large"):
        read_input(small, 9)
    with pytest.raises(InvalidInput, match="does not exist"):
        read_input(tmp_path / "missing", 10)
    with pytest.raises(InvalidInput, match="too long"):
        read_input(tmp_path / ("y" * 300), 10)


def test_evidence_intake_refuses_a_pipe_a_device_and_a_folder_at_once(tmp_path: Path, fifo: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    with within(10):
        for bad, reason in ((fifo, "device, a pipe"), (Path("/dev/zero"), "device, a pipe"), (tmp_path, "folder")):
            with pytest.raises(InvalidInput, match=reason):
                store.add_file(bad)
    assert not any((tmp_path / "evidence").glob("??/??/*"))


def test_evidence_intake_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from caseapp.store import files

    monkeypatch.setattr(files, "MAX_FILE", 1000)
    source = tmp_path / "grows.log"
    source.write_bytes(b"x" * 1001)
    store = EvidenceStore(tmp_path / "evidence")
    with pytest.raises(InvalidInput, match="larger than CaseApp takes in"):
        store.add_file(source)
    assert not list((tmp_path / "evidence" / "tmp").iterdir())


def test_evidence_intake_keeps_a_latin1_name_readable(core: Core, tmp_path: Path) -> None:
    case = cases.create_case(core, title="Noms")
    raw = os.fsencode(tmp_path) + b"/pi\xe8ce n\xb01.pdf"  # Windows-1252 / Latin-1, as old zips write them
    with open(raw, "wb") as handle:
        handle.write(b"%PDF-1.4\n")
    added = evidence.add_evidence_file(core, case.id, Path(os.fsdecode(raw)), title="Pièce")
    assert added.file is not None and added.file.original_name == "pièce n°1.pdf"
    assert readable_name("caf\udce9") == "café"
    assert readable_name("ok é") == "ok é"
    assert readable_name("\ud800x") == "\ufffdx"


# --- outputs: regular files only, atomically ------------------------------------------------------------------


@pytest.fixture
def device(tmp_path: Path) -> str:
    """A character device that a wrong command could only damage in the test's folder (as root), or one that
    nobody but root can replace."""
    return _device(tmp_path / "null", 3, "/dev/null")


def test_check_output_refuses_links_folders_pipes_and_devices(tmp_path: Path, fifo: Path, device: str) -> None:
    target = tmp_path / "real.txt"
    target.write_text("garder")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    for bad, reason in (
        (link, "symbolic link"),
        (tmp_path, "folder"),
        (fifo, "device, a pipe or a socket"),
        (Path(device), "device, a pipe or a socket"),
        (tmp_path / "dangling", None),
    ):
        if reason is None:
            (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
            reason = "symbolic link"
        with pytest.raises(InvalidInput, match=reason):
            outputs.check_output(bad)
    assert outputs.check_output(target) == target
    assert outputs.check_output(tmp_path / "new.txt") == tmp_path / "new.txt"
    with pytest.raises(InvalidInput, match="too long"):
        outputs.check_output(tmp_path / ("y" * 300))
    with pytest.raises(InvalidInput, match="NUL"):
        outputs.check_output("a\x00b")


def test_write_bytes_replaces_a_regular_file_whole_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "card.txt"
    target.write_text("old")
    assert outputs.write_bytes(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.txt"]
    nested = tmp_path / "a" / "b" / "c.txt"  # a slip of the keyboard does not create folders
    with pytest.raises(StorageError, match="does not exist"):
        outputs.write_bytes(nested, b"x")
    assert not (tmp_path / "a").exists()


def test_a_staged_output_that_fails_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "calendar.ics"
    target.write_text("old")
    with pytest.raises(RuntimeError), outputs.staged(target) as staging:
        staging.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calendar.ics"]


@pytest.mark.parametrize(
    "command",
    [["backup"], ["ics", "-o"], ["export", CASE, "-o"], ["keys", "show", "--export"]],
    ids=["backup", "ics", "export", "keys-show-export"],
)
def test_commands_never_write_through_a_link_a_pipe_or_a_device(
    cli: Any, tmp_path: Path, fifo: Path, device: str, command: list[str]
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("do not touch")
    link = tmp_path / "output-link"
    link.symlink_to(precious)
    for bad in (link, fifo, Path(device)):
        before = os.lstat(bad)
        one_error_line(cli(*command, str(bad)))
        after = os.lstat(bad)
        assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino)
    assert precious.read_text() == "do not touch"
    target = tmp_path / "written.out"
    target.write_text("old")
    assert cli(*command, str(target)).code == 0
    assert target.stat().st_size > 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".caseapp-")]


@pytest.mark.parametrize(
    "command",
    [
        ["summary", CASE, "-o", "document.pdf"],
        ["bordereau", CASE, "-o", "document.pdf"],
        ["telerecours", CASE, "--force", "--overwrite", "-o", "exhibits.zip"],
    ],
    ids=["summary", "bordereau", "telerecours"],
)
def test_documents_never_write_through_a_link(cli: Any, tmp_path: Path, command: list[str]) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("do not touch")
    *words, name = command
    link = tmp_path / name
    link.symlink_to(precious)
    one_error_line(cli(*words, str(link)))
    assert link.is_symlink() and precious.read_text() == "do not touch"


def test_backup_into_a_folder_writes_a_new_file_there(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "backups-here"
    folder.mkdir()
    assert cli("backup", str(folder)).code == 0
    assert [p.suffix for p in folder.iterdir()] == [".sqlite3"]


# --- the command line: never a traceback ----------------------------------------------------------------------


def test_huge_numbers_are_usage_errors(cli: Any) -> None:
    for args in (["agenda", "--days", HUGE], ["agenda", "--days", "-1"], ["search", "x", "--limit", HUGE]):
        result = cli(*args)
        assert result.code == 2 and "Traceback" not in result.err
        assert "is not a whole number from" in result.err
    assert cli("agenda", "--days", "3660").code == 0
    assert cli("search", "marché", "--limit", "10000").code == 0


def test_arguments_that_are_not_utf8_text_get_one_line(cli: Any, tmp_path: Path) -> None:
    invalid = os.fsdecode(b"caf\xe9")  # what Python makes of a Latin-1 argument
    for args in (["search", invalid], ["cases", "--tag", invalid], ["show", invalid], ["parse-date", "\ud800"]):
        assert "is not valid UTF-8 text" in one_error_line(cli(*args))
    # a path may be any bytes the system allows: a Latin-1 file name works
    target = os.fsdecode(os.fsencode(tmp_path) + b"/agenda-\xe9t\xe9.ics")
    assert cli("ics", "-o", target).code == 0
    assert Path(target).exists()


def test_a_path_too_long_gets_one_line(cli: Any) -> None:
    for args in (["show", LONG], ["verify", LONG], ["ics", "-o", LONG], ["backup", LONG], ["keys", "trust", LONG]):
        result = cli(*args)
        assert result.code == 1, args
        assert len(result.err.strip().splitlines()) == 1 and len(result.err) < 5000, args


def test_an_unexpected_error_is_one_line_unless_debugging(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from caseapp.cli import deadlines

    def broken(_args: object) -> int:
        raise RuntimeError("boom\x1b[2J")

    monkeypatch.setattr(deadlines, "cmd_rules", broken)
    line = one_error_line(cli("rules"))
    assert "Something unexpected went wrong (RuntimeError: boom\\x1b[2J)" in line
    monkeypatch.setenv("CASEAPP_DEBUG", "1")
    result = cli("rules")
    assert result.code == 1 and "Traceback" in result.err and "RuntimeError" in result.err


@pytest.mark.parametrize(("raised", "code"), [(KeyboardInterrupt, 1), (BrokenPipeError, 0)])
def test_ctrl_c_and_a_closed_pipe_stay_quiet(
    cli: Any, monkeypatch: pytest.MonkeyPatch, raised: type[BaseException], code: int
) -> None:
    from caseapp.cli import deadlines

    def interrupted(_args: object) -> int:
        raise raised()

    monkeypatch.setattr(deadlines, "cmd_rules", interrupted)
    result = cli("rules")
    assert result.code == code and "Traceback" not in result.err
    assert result.err.strip() in ("", "Interrupted.")
