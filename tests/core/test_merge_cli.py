"""Two colleagues, one case, the command line only: what each wrote arrives, field by field.

Alice exports a case; Bob imports it. Bob rewrites the summary; Alice, meanwhile, sets the court number and
rewrites the summary too. Bob imports Alice's new bundle: the court number (changed by Alice only) is taken without
asking; the summary is one conflict, printed in full with both versions and what both had; Bob decides it with
``--prefer``, a decisions file, or not at all (his is kept) — and the value not chosen is in the history.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LONG_BOB = "Recours pour excès de pouvoir. " * 12 + "Bob ajoute : audience de référé fixée au 8 décembre."
LONG_ALICE = "Recours pour excès de pouvoir. " * 12 + "Alice ajoute : la Région a répondu le 12 mars."


def caseapp(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"CASEAPP_DATA_DIR": str(data), "CASEAPP_LANG": "en", "CASEAPP_AUTHOR": data.name}
    env.pop("CASEAPP_DB_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "caseapp.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return result


def ok(data: Path, *args: str) -> str:
    result = caseapp(data, *args)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def show(data: Path, case: str) -> dict[str, Any]:
    detail: dict[str, Any] = json.loads(ok(data, "show", case, "--json"))
    return detail


@pytest.fixture(scope="module")
def exchanged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The scenario up to Alice's second bundle, played once for the module (real processes throughout)."""
    tmp = tmp_path_factory.mktemp("two-colleagues")
    alice, bob = tmp / "Alice", tmp / "Bob"
    ok(alice, "demo")
    case = "1901249"
    case_id = show(alice, case)["id"]
    ok(alice, "export", case, "-o", str(tmp / "v1.casebundle"), "--no-sign", "--no-pdf")
    ok(bob, "import", str(tmp / "v1.casebundle"), "--yes", "--accept-unsigned")
    ok(bob, "set", case_id, f"summary={LONG_BOB}")
    ok(alice, "set", case_id, "court_number=1901250", f"summary={LONG_ALICE}")
    ok(alice, "export", case_id, "-o", str(tmp / "v2.casebundle"), "--no-sign", "--no-pdf")
    return {"alice": alice, "bob": bob, "case_id": case_id, "bundle": tmp / "v2.casebundle"}


@pytest.fixture
def scenario(exchanged: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """A fresh copy of both colleagues' data folders for each test."""
    alice, bob = tmp_path / "Alice", tmp_path / "Bob"
    shutil.copytree(exchanged["alice"], alice)
    shutil.copytree(exchanged["bob"], bob)
    return dict(exchanged, alice=alice, bob=bob, tmp=tmp_path)


def test_the_preview_shows_one_conflict_for_the_summary_in_full_and_takes_the_court_number(
    scenario: dict[str, Any],
) -> None:
    out = ok(scenario["bob"], "import", str(scenario["bundle"]), "--dry-run", "--accept-unsigned")
    assert "Conflicts to decide — fields: 1; records: 1." in out
    assert f"[{scenario['case_id']}/summary]" in out
    assert LONG_BOB in out and LONG_ALICE in out and "…" not in out.split("Conflicts to decide")[1]
    assert "Also taken from the bundle, changed there only: court number." in out
    assert "UTC" not in out


def test_keep_mine_by_default_still_takes_the_court_number_and_keeps_theirs_in_the_history(
    scenario: dict[str, Any],
) -> None:
    bob, case_id = scenario["bob"], scenario["case_id"]
    out = ok(bob, "import", str(scenario["bundle"]), "--yes", "--accept-unsigned")
    assert "1 conflicts kept as here" in out
    detail = show(bob, case_id)
    assert detail["court_number"] == "1901250" and detail["summary"] == LONG_BOB
    again = ok(bob, "import", str(scenario["bundle"]), "--dry-run", "--accept-unsigned")
    assert "Conflicts to decide" not in again  # decided once, not asked again
    from caseapp.casefile.core import open_core
    from caseapp.services.history import case_history

    core = open_core(data_dir=bob, author="test")
    try:
        merges = [e for e in case_history(core, uuid.UUID(case_id)) if e.action == "merge"]
    finally:
        core.close()
    assert [e.changes for e in merges] == [{"summary": [LONG_ALICE, LONG_BOB, "mine"]}]


def test_prefer_theirs_and_a_decisions_file_decide_the_field(scenario: dict[str, Any]) -> None:
    bob, case_id, tmp = scenario["bob"], scenario["case_id"], scenario["tmp"]
    decisions = tmp / "decisions.json"
    decisions.write_text(json.dumps({f"{case_id}/summary": "theirs"}), encoding="utf-8")
    ok(bob, "import", str(scenario["bundle"]), "--yes", "--accept-unsigned", "--decisions", str(decisions))
    detail = show(bob, case_id)
    assert detail["court_number"] == "1901250" and detail["summary"] == LONG_ALICE


def test_a_decisions_file_that_names_a_field_not_in_conflict_is_refused_and_nothing_changes(
    scenario: dict[str, Any],
) -> None:
    bob, case_id, tmp = scenario["bob"], scenario["case_id"], scenario["tmp"]
    before, bundle = show(bob, case_id), str(scenario["bundle"])
    decisions = tmp / "decisions.json"
    decisions.write_text(json.dumps({f"{case_id}/title": "theirs"}), encoding="utf-8")
    result = caseapp(bob, "import", bundle, "--yes", "--accept-unsigned", "--decisions", str(decisions))
    assert result.returncode == 1 and "is not in conflict" in result.stderr
    decisions.write_text("{not json", encoding="utf-8")
    result = caseapp(bob, "import", bundle, "--yes", "--accept-unsigned", "--decisions", str(decisions))
    assert result.returncode == 1 and "not JSON" in result.stderr
    assert show(bob, case_id) == before


def test_alice_gets_bobs_summary_back_once_he_sends_his_merge(scenario: dict[str, Any]) -> None:
    """After Bob kept his summary, his bundle brings it to Alice without a new conflict: his decision is newer."""
    alice, bob, case_id, tmp = scenario["alice"], scenario["bob"], scenario["case_id"], scenario["tmp"]
    ok(bob, "import", str(scenario["bundle"]), "--yes", "--accept-unsigned")
    ok(bob, "export", case_id, "-o", str(tmp / "v3.casebundle"), "--no-sign", "--no-pdf")
    out = ok(alice, "import", str(tmp / "v3.casebundle"), "--dry-run", "--accept-unsigned")
    assert "Conflicts to decide" not in out, out
    ok(alice, "import", str(tmp / "v3.casebundle"), "--yes", "--accept-unsigned")
    assert show(alice, case_id)["summary"] == LONG_BOB and show(alice, case_id)["court_number"] == "1901250"
