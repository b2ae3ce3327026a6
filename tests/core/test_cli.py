"""The headless CLI, run as a person runs it: real processes, a fresh data folder, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseapp.domain.deadline_rules import RULES

ROOT = Path(__file__).resolve().parents[2]


def caseapp(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"CASEAPP_DATA_DIR": str(data), "CASEAPP_LANG": "en"}
    env.pop("CASEAPP_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "caseapp.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "data"
    result = caseapp(data, "demo")
    assert result.returncode == 0, result.stderr
    assert "Example data loaded" in result.stdout
    return data


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "caseapp.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("CaseApp ")


def test_demo_twice_changes_nothing(demo_dir: Path) -> None:
    before = json.loads(caseapp(demo_dir, "cases", "--json").stdout)
    again = caseapp(demo_dir, "demo")
    assert again.returncode == 0 and "nothing changed" in again.stdout
    assert json.loads(caseapp(demo_dir, "cases", "--json").stdout) == before


def test_cases_lists_the_example_cases(demo_dir: Path) -> None:
    result = caseapp(demo_dir, "cases")
    assert result.returncode == 0
    assert "1901249" in result.stdout and "23MA02036" in result.stdout
    rows = json.loads(caseapp(demo_dir, "cases", "--status", "decided", "--json").stdout)
    assert {row["court_number"] for row in rows} == {"1901249", "23MA02036"}
    found = json.loads(caseapp(demo_dir, "cases", "--search", "SNEF", "--json").stdout)
    assert len(found) == 2


def test_show_by_court_number_prefix_and_json(demo_dir: Path) -> None:
    shown = caseapp(demo_dir, "show", "1901249")
    assert shown.returncode == 0
    assert "La Quadrature du Net" in shown.stdout and "Judgment" in shown.stdout
    detail = json.loads(caseapp(demo_dir, "show", "1901249", "--json").stdout)
    prefix = detail["id"][:8]
    again = json.loads(caseapp(demo_dir, "show", prefix, "--json").stdout)
    assert again["id"] == detail["id"] and again["court_number"] == "1901249"
    assert {p["name"] for p in detail["parties"]} >= {"La Quadrature du Net", "Région Provence-Alpes-Côte d'Azur"}


def test_search_without_accents(demo_dir: Path) -> None:
    result = caseapp(demo_dir, "search", "refere", "--json")
    hits = json.loads(result.stdout)
    assert any(hit["kind"] == "case" and "Référé" in hit["title"] for hit in hits)


def test_user_errors_exit_1_with_one_line(demo_dir: Path) -> None:
    result = caseapp(demo_dir, "show", "no-such-case")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("Error: No case matches")
    assert result.stdout == ""


def test_bad_usage_exits_2(demo_dir: Path) -> None:
    assert caseapp(demo_dir, "cases", "--status", "whatever").returncode == 2
    assert caseapp(demo_dir, "no-such-command").returncode == 2


def test_not_a_database_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "caseapp.sqlite3").write_text("not a database")
    result = caseapp(tmp_path, "cases")
    assert result.returncode == 1 and "not a CaseApp database" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_and_backup(demo_dir: Path, tmp_path: Path) -> None:
    upgrade = caseapp(demo_dir, "db", "upgrade")
    assert upgrade.returncode == 0 and "up to date" in upgrade.stdout
    target = tmp_path / "copy.sqlite3"
    backup = caseapp(demo_dir, "backup", str(target))
    assert backup.returncode == 0 and target.is_file()
    default = caseapp(demo_dir, "backup")
    assert default.returncode == 0 and list((demo_dir / "backups").glob("caseapp-*.sqlite3"))


def test_french_interface(demo_dir: Path) -> None:
    env = os.environ | {"CASEAPP_DATA_DIR": str(demo_dir), "CASEAPP_LANG": "fr"}
    result = subprocess.run(
        [sys.executable, "-m", "caseapp.cli", "show", "1901249"], capture_output=True, text=True, env=env, check=False
    )
    assert "Requérant" in result.stdout and "Juridiction" in result.stdout


def test_deadline_compute_explains_itself(tmp_path: Path) -> None:
    result = caseapp(tmp_path, "deadline", "compute", "--rule", "rep-implicit", "--trigger", "05/10/2020", "--json")
    data = json.loads(result.stdout)
    assert data["last_day"] == "2020-12-07"
    assert "Sunday 6 December 2020" in data["explanation"]
    text = caseapp(
        tmp_path, "deadline", "compute", "--rule", "appeal", "--trigger", "2020-02-27", "--residence", "abroad"
    )
    assert "Last day: Monday 29 June 2020" in text.stdout and "R421-7" in text.stdout
    bad = caseapp(tmp_path, "deadline", "compute", "--rule", "rep", "--trigger", "sometime")
    assert bad.returncode == 1 and "sometime" in bad.stderr


def test_rules_parse_date_agenda_and_ics(demo_dir: Path, tmp_path: Path) -> None:
    rules = json.loads(caseapp(demo_dir, "rules", "--json").stdout)
    assert len(rules) == len(RULES) and {"rep", "cada-court", "refere-hearing", "revision"} <= {r["id"] for r in rules}
    parsed = json.loads(caseapp(demo_dir, "parse-date", "2020-02-27", "--json").stdout)
    assert parsed == {
        "value": "2020-02-27",
        "has_time": False,
        "echo_fr": parsed["echo_fr"],
        "echo_en": parsed["echo_en"],
    }
    assert "27 February 2020" in parsed["echo_en"] and "27 février 2020" in parsed["echo_fr"]
    assert caseapp(demo_dir, "parse-date", "13/13").returncode == 1
    agenda = json.loads(caseapp(demo_dir, "agenda", "--days", "30", "--json").stdout)
    assert "items" in agenda and "idle_cases" in agenda
    target = tmp_path / "cal.ics"
    written = caseapp(demo_dir, "ics", "-o", str(target))
    assert written.returncode == 0 and target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_audit_verify_and_restore(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    assert "no link broken" in caseapp(data, "audit", "verify").stdout
    backup = tmp_path / "copy.sqlite3"
    assert caseapp(data, "backup", str(backup)).returncode == 0
    restored = caseapp(data, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "evidence files named in the backup are in the evidence store" in restored.stdout
    with __import__("sqlite3").connect(data / "caseapp.sqlite3") as conn:
        conn.execute("UPDATE audit_events SET author = 'someone' WHERE seq = 2")
    broken = caseapp(data, "audit", "verify")
    assert broken.returncode == 1 and "event n° 2" in broken.stderr
    assert caseapp(data, "restore", str(tmp_path / "missing.sqlite3")).returncode == 1


def test_evidence_verify_reports_a_tampered_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    clean = caseapp(data, "evidence", "verify")
    assert clean.returncode == 0 and "0 with a problem" in clean.stdout
    stored = next(p for p in (data / "evidence").rglob("*") if p.is_file() and len(p.name) == 64)
    stored.write_bytes(b"altered")
    tampered = caseapp(data, "evidence", "verify")
    assert tampered.returncode == 1 and "has changed" in tampered.stdout


def test_a_double_clicked_bundle_opens_the_application(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from caseapp import cli

    seen: list[list[str]] = []
    monkeypatch.setenv("CASEAPP_DATA_DIR", "restored after the test")
    monkeypatch.setattr(cli, "start_gui", lambda argv: seen.append(list(argv)) or 0)
    assert cli.main(["--data-dir", str(tmp_path), "/home/me/Téléchargements/lycees.casebundle"]) == 0
    assert seen == [["/home/me/Téléchargements/lycees.casebundle"]]
    assert os.environ["CASEAPP_DATA_DIR"] == str(tmp_path)


def test_a_command_closes_the_case_file_so_the_next_start_sees_no_crash(demo_dir: Path) -> None:
    """A command that left its ``run/*.open`` marker behind would make the next start search the whole evidence
    store for orphaned files, as after a crash."""
    for command in (("cases",), ("show", "1901249"), ("agenda",), ("search", "lycee"), ("cases", "--status", "x")):
        caseapp(demo_dir, *command)
        assert list((demo_dir / "run").glob("*.open")) == [], command


def test_deadline_routes_answers_from_the_decision_and_the_court(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = caseapp(
        data, "deadline", "routes", "--court", "ta", "--decision", "refere_suspension", "--notified", "11/03/2020"
    )
    assert result.returncode == 0, result.stderr
    assert "Cassation → Conseil d'État" in result.stdout and "Friday 27 March 2020" in result.stdout
    assert "Appeal" not in result.stdout
    routes = json.loads(
        caseapp(
            data, "deadline", "routes", "--court", "ta", "--decision", "jugement", "--notified", "2020-02-28",
            "--matter", "cada", "--json",
        ).stdout
    )["routes"]  # fmt: skip
    assert [(r["kind"], r["court"], r["rule_id"], r["last_day"]) for r in routes] == [
        ("cassation", "ce", "cassation-last-resort", "2020-04-29")
    ]
    assert {"legal_basis", "explanation_fr", "explanation_en"} <= set(routes[0])
    ce = json.loads(
        caseapp(
            data,
            "deadline",
            "routes",
            "--court",
            "ce",
            "--decision",
            "decision_ce",
            "--notified",
            "2020-03-11",
            "--json",
        ).stdout
    )["routes"]
    assert {r["kind"] for r in ce} == {"other"} and ce[0]["last_day"] == "2020-05-12"
    text = caseapp(data, "deadline", "routes", "--court", "ce", "--decision", "decision_ce", "--notified", "2020-03-11")
    assert "No appeal and no cassation lie against this decision." in text.stdout
    # Télérecours: made available Fri 4 Dec 2026, not consulted → deemed notified Tue 8 Dec 2026.
    deemed = json.loads(
        caseapp(
            data, "deadline", "routes", "--court", "ta", "--decision", "jugement", "--available", "2026-12-04", "--json"
        ).stdout
    )
    assert deemed["notified"] == "2026-12-08" and deemed["routes"][0]["last_day"] == "2027-02-09"


def test_deadline_routes_refuses_what_a_court_does_not_give(tmp_path: Path) -> None:
    bad = caseapp(tmp_path, "deadline", "routes", "--court", "ta", "--decision", "arret", "--notified", "2020-01-01")
    assert bad.returncode == 1 and "does not give a decision of that nature" in bad.stderr
    assert "Traceback" not in bad.stderr
    unclear = caseapp(tmp_path, "deadline", "routes", "--court", "ta", "--decision", "jugement", "--notified", "le 32")
    assert unclear.returncode == 1 and "Traceback" not in unclear.stderr
    usage = caseapp(tmp_path, "deadline", "routes", "--court", "ta", "--decision", "jugement")
    assert usage.returncode == 2


def test_deadline_recompute_previews_then_applies(demo_dir: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    data = tmp_path / "copy"
    shutil.copytree(demo_dir, data)
    with sqlite3.connect(data / "caseapp.sqlite3") as conn:  # what an older version would have left behind
        conn.execute("UPDATE deadlines SET due_on = '2031-01-01' WHERE rule_id IS NOT NULL AND status = 'open'")
        conn.execute("DELETE FROM app_state")
    preview = caseapp(data, "deadline", "recompute")
    assert preview.returncode == 0, preview.stderr
    assert "would change" in preview.stdout and "Nothing was changed" in preview.stdout
    assert "2031" in preview.stdout
    still = json.loads(caseapp(data, "deadline", "recompute", "--json").stdout)
    assert still["applied"] is False and still["changed"] > 0
    applied = caseapp(data, "deadline", "recompute", "--yes")
    assert applied.returncode == 0 and "changed them" in applied.stdout
    assert "nothing to change" in caseapp(data, "deadline", "recompute").stdout
