"""``caseapp set`` and ``caseapp note add``, run as a person runs them: real processes on a copy of the example
data, then ``caseapp show`` and the history to see what they did (and, when they refuse, that they did nothing)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASE = "1901249"  # a court number of the example data


def caseapp(data: Path, *args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"CASEAPP_DATA_DIR": str(data), "CASEAPP_LANG": "en"}
    env.pop("CASEAPP_DB_URL", None)
    given = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run(
        [sys.executable, "-m", "caseapp.cli", *args], capture_output=True, input=given, env=env, cwd=ROOT, check=False
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    )


@pytest.fixture(scope="module")
def example_data(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    from caseapp.config import DB_FILE

    data = tmp_path_factory.mktemp("examples") / "data"
    data.mkdir()
    shutil.copyfile(template_db, data / DB_FILE)
    result = caseapp(data, "demo")
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def data(example_data: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the example data for each test: what one test edits, the next does not see."""
    copy = tmp_path / "data"
    shutil.copytree(example_data, copy)
    yield copy


def show(data: Path) -> dict[str, Any]:
    result = caseapp(data, "show", CASE, "--json")
    assert result.returncode == 0, result.stderr
    detail: dict[str, Any] = json.loads(result.stdout)
    return detail


def history(data: Path, case_id: str) -> list[Any]:
    """The case's history, newest first, read as the window reads it."""
    from caseapp.casefile.core import open_core
    from caseapp.services.history import case_history

    core = open_core(data_dir=data)
    try:
        return case_history(core, uuid.UUID(case_id))
    finally:
        core.close()


def refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr, result.stderr


# --- set ---------------------------------------------------------------------------------------------------------


def test_set_two_fields_in_one_edit_shows_them_and_records_one_event(data: Path) -> None:
    before = show(data)
    events = len(history(data, before["id"]))
    result = caseapp(data, "set", CASE, "reference=2019-LQDN-07", "status=appealed")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Reference: — → 2019-LQDN-07", "Status: Decided → Under appeal"]
    after = show(data)
    assert (after["reference"], after["status"]) == ("2019-LQDN-07", "appealed")
    assert after["title"] == before["title"] and after["version"] == before["version"] + 1
    recorded = history(data, before["id"])
    assert len(recorded) == events + 1  # one edit, one event, carrying both fields
    assert (recorded[0].action, recorded[0].entity) == ("update", "case")
    assert recorded[0].changes == {"reference": [None, "2019-LQDN-07"], "status": ["decided", "appealed"]}


def test_set_clears_a_field_and_takes_a_french_date_and_tags(data: Path) -> None:
    result = caseapp(data, "set", CASE, "court=", "opened_on=27/02/2020", "tags=RGPD, biométrie")
    assert result.returncode == 0, result.stderr
    assert "Court: Tribunal administratif de Marseille → —" in result.stdout
    assert "Opening date: 2019-02-14 → 2020-02-27" in result.stdout
    after = show(data)
    assert after["court"] is None and after["opened_on"] == "2020-02-27"
    assert sorted(after["tags"]) == ["RGPD", "biométrie"]


def test_set_json_prints_the_case_after_the_edit(data: Path) -> None:
    result = caseapp(data, "set", CASE, "summary=Un résumé.", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == show(data)
    assert show(data)["summary"] == "Un résumé."


def test_setting_what_is_already_there_changes_nothing(data: Path) -> None:
    before = show(data)
    result = caseapp(data, "set", CASE, f"title={before['title']}", "status=decided")
    assert result.returncode == 0 and result.stdout.strip() == "Nothing changed."
    assert show(data)["version"] == before["version"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["title=Nouveau titre", "judge=X"], "Unknown field “judge”. The fields that can be set: title, reference,"),
        (["title=Nouveau titre", "opened_on=31/02/2020"], "is not a date"),
        (["title=Nouveau titre", "status=lost"], "“lost” is not a valid status. Choose one of: open,"),
        (["title=Nouveau titre", "title="], "The field title is given twice."),
        (["title="], "The title cannot be empty."),
        (["title=Nouveau titre", "tags=a/b"], "“a/b” is not a valid tag"),
        (["title Nouveau titre"], "is not FIELD=VALUE. The fields that can be set:"),
    ],
)
def test_an_unknown_field_or_a_bad_value_changes_nothing(data: Path, args: list[str], message: str) -> None:
    before = show(data)
    events = len(history(data, before["id"]))
    refused(caseapp(data, "set", CASE, *args), message)
    assert show(data) == before  # not even the valid title: all or nothing
    assert len(history(data, before["id"])) == events


def test_the_unknown_field_message_lists_every_field_of_the_case_form(data: Path) -> None:
    from caseapp.casefile.kinds import CASE as CASE_KIND

    result = caseapp(data, "set", CASE, "nope=1")
    listed = result.stderr.split("can be set: ", 1)[1].strip().rstrip(".").split(", ")
    assert listed == [*CASE_KIND.editable, "tags"]
    assert "tags" in caseapp(data, "set", "--help").stdout


def test_set_on_an_unknown_case_exits_1(data: Path) -> None:
    refused(caseapp(data, "set", "ffffffff", "title=x"), "No case matches “ffffffff”")


# --- note add ----------------------------------------------------------------------------------------------------


def notes(data: Path) -> list[str]:
    return [note["text"] for hearing in show(data)["hearings"] for note in hearing["notes"]]


def hearing_of(data: Path) -> str:
    """The example case's hearing (on 3 February 2020 at 10:00, Paris time)."""
    hearing: str = show(data)["hearings"][0]["id"]
    return hearing


def test_note_add_with_text_then_from_standard_input(data: Path) -> None:
    hearing = hearing_of(data)
    result = caseapp(data, "note", "add", hearing[:8], "Le rapporteur public conclut au rejet.")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Note saved: ") and "(Paris time)" in result.stdout
    assert "hearing of 2020-02-03 10:00" in result.stdout and CASE in result.stdout
    piped = caseapp(data, "note", "add", hearing, "-", stdin="Deux lignes\net une suite.\n")
    assert piped.returncode == 0, piped.stderr
    taken = notes(data)
    assert "Le rapporteur public conclut au rejet." in taken and "Deux lignes\net une suite." in taken
    assert "Le rapporteur public conclut au rejet." in caseapp(data, "show", CASE).stdout


def test_note_add_refuses_empty_text_and_an_unknown_hearing(data: Path) -> None:
    hearing = hearing_of(data)
    before = notes(data)
    refused(caseapp(data, "note", "add", hearing, "  "), "The note is empty")
    refused(caseapp(data, "note", "add", hearing, "-", stdin=" \n"), "The note is empty")
    refused(caseapp(data, "note", "add", hearing, "-", stdin=b"\xff\xfe"), "not valid UTF-8")
    refused(caseapp(data, "note", "add", "abcdef12", "texte"), "No hearing matches “abcdef12”.")
    refused(caseapp(data, "note", "add", "abc", "texte"), "is not a hearing identifier")
    assert notes(data) == before


# --- hostile values, in this process (as the fuzz test runs every command) -------------------------------------

HOSTILE = ["\x1b[2J\x1b[H", "\u202eevil", "a\nb", "\x00", "\ud800", "9999-12-31", "0001-01-01", "31/12/9999", "1e400"]
HOSTILE += ["dans 99999999999 ans", "x" * 120_000, "-", ""]


def test_hostile_values_never_crash_set_or_note_add(data: Path, tmp_path: Path) -> None:
    """The fuzz test gives ``set`` no FIELD=VALUE it could apply; here every field gets every hostile value."""
    from caseapp.casefile.kinds import CASE as CASE_KIND
    from tests.core.test_cli_fuzz import check_answer, isolated_process_state, run_main

    hearing = hearing_of(data)
    with isolated_process_state(data, tmp_path):
        for field in (*CASE_KIND.editable, "tags"):
            for value in HOSTILE:
                args = ["set", CASE, f"{field}={value}"]
                check_answer(args, run_main(args))
        for args in (["set", value, "summary=x"] for value in HOSTILE):
            check_answer(args, run_main(args))
        for value in HOSTILE:
            for args in (["note", "add", hearing, value], ["note", "add", value, "texte"]):
                check_answer(args, run_main(args))
