"""Merging a colleague's bundle of the large case into a database where a tenth of it changed since they last met.

``bundle_merge``: a case of 1,000 exhibits and 500 hearing notes (in every mode: the generated large case has
that size only in the 10,000-case database) is made in the working copy through the services, exported, and
imported into a colleague's fresh data folder (the base both sides then hold). Then, through the services, as the
app would:

- here (the colleague, who will import): 10 % of the case's exhibits and notes edited (exhibit descriptions,
  note texts), plus the summary of the case;
- there (the working copy, who sends the new bundle): another 10 % edited (exhibit titles — some of them on the
  exhibits edited here, another field, so merged without asking — and document dates), a few of the exhibits
  edited here given another description too (real conflicts, one field each), and the court number.

Each sample imports the new bundle with ``caseapp import FILE --yes --accept-unsigned`` (conflicts keep mine) in a
fresh process into a fresh copy of the colleague's folder, and is checked: the sender's titles and court number
arrived, the colleague's descriptions, notes and summary stayed, each conflict is one "merge" event. Floor:
``sha256sum`` over the bundle file in a fresh process (reading and hashing what the import must read at least).
Target: under 2 s and under 200 MB peak (the process's own VmHWM, interpreter and imports included).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.benchmarks.app_launch import scratch_pycache
from tests.benchmarks.registry import AUTHOR, Context, benchmark
from tests.benchmarks.timing import Measurement, Target, bare_connection, percentile, rounded, spread
from tests.benchmarks.work_bundles import CliRun, run_cli, sha256sum


def _edit_here(colleague: Any, case_id: Any) -> dict[str, Any]:
    from caseapp.services import cases, evidence, hearings

    detail = cases.get_case(colleague, case_id)
    exhibits = list(detail.evidence)
    notes = [note for hearing in detail.hearings for note in hearing.notes]
    mine = exhibits[::10]  # 10 % of the exhibits
    for item in mine:
        evidence.update_evidence(colleague, item.id, description=f"Annotée par le collègue — pièce n° {item.number}")
    for note in notes[::10]:
        hearings.update_note(colleague, note.id, note.text + " (relu)")
    cases.update_case(colleague, case_id, summary="Synthèse revue par le collègue avant l'audience.")
    return {"exhibits": [item.id for item in mine], "notes": [note.id for note in notes[::10]]}


def _edit_there(core: Any, case_id: Any, edited_here: list[Any]) -> dict[str, Any]:
    from caseapp.services import cases, evidence

    detail = cases.get_case(core, case_id)
    exhibits = list(detail.evidence)
    theirs = exhibits[5::10]  # another 10 %
    overlap = edited_here[: len(edited_here) // 2]  # half of the colleague's exhibits: another field
    clashes = edited_here[-5:]  # and five of them: the same field, another value
    for item in theirs:
        evidence.update_evidence(core, item.id, document_date=date(2024, 1, 1) + timedelta(days=item.number))
    for record_id in overlap:
        evidence.update_evidence(core, record_id, title=f"Titre revu — {record_id.hex[:6]}")
    for record_id in clashes:
        evidence.update_evidence(core, record_id, description="Description revue par l'expéditeur")
    cases.update_case(core, case_id, court_number="2699999")
    return {"dated": [item.id for item in theirs], "titled": overlap, "clashes": clashes}


def _check(folder: Path, case_id: Any, here: dict[str, Any], there: dict[str, Any]) -> None:
    with contextlib.closing(bare_connection(folder / "caseapp.sqlite3")) as connection:

        def one(sql: str, *args: Any) -> Any:
            return connection.execute(sql, args).fetchone()[0]

        problems = []
        if one("SELECT court_number FROM cases WHERE id = ?", case_id.hex) != "2699999":
            problems.append("the sender's court number did not arrive")
        if not str(one("SELECT summary FROM cases WHERE id = ?", case_id.hex)).startswith("Synthèse revue"):
            problems.append("the colleague's summary was lost")
        for record_id in there["titled"]:
            if not str(one("SELECT title FROM evidence WHERE id = ?", record_id.hex)).startswith("Titre revu"):
                problems.append(f"title of {record_id} not taken")
            if not str(one("SELECT description FROM evidence WHERE id = ?", record_id.hex)).startswith("Annotée"):
                problems.append(f"description of {record_id} lost")
        merges = one("SELECT count(*) FROM audit_events WHERE action = 'merge' AND case_id = ?", case_id.hex)
        if merges != len(there["clashes"]):
            problems.append(f"{merges} merge events for {len(there['clashes'])} conflicts")
        if problems:
            raise RuntimeError("; ".join(problems[:5]))


def _big_case(ctx: Context) -> Any:
    from datetime import UTC, datetime

    from caseapp.services import cases, evidence, hearings

    core = ctx.core()
    case = cases.create_case(
        core,
        title="Association La Quadrature du Net c/ Région PACA — dossier de pièces",
        court="Tribunal administratif de Marseille",
        court_number="2600002",
        procedure="exces_de_pouvoir",
    )
    for number in range(1, 1001):
        evidence.add_evidence(
            core,
            case.id,
            title=f"Pièce n° {number} — courrier de la région",
            document_date=date(2023, 1, 1) + timedelta(days=number % 700),
        )
    for h in range(4):
        hearing = hearings.add_hearing(
            core,
            case.id,
            starts_at=datetime(2025, 2, 3 + 7 * h, 9, 30, tzinfo=UTC),
            kind="merits",
            status="held",
        )
        for n in range(125):
            hearings.add_note(core, hearing.id, f"Audience {h + 1}, note {n + 1} : le rapporteur conclut au rejet.")
    return case.id


@benchmark("bundle_merge", writes=True)
def bundle_merge(ctx: Context) -> list[Measurement]:
    """caseapp import of a 1,000-exhibit case's new bundle into a colleague's copy where 10 % changed (field merge)."""
    from caseapp.casefile.core import open_core

    case_id = _big_case(ctx)
    scratch = Path(tempfile.mkdtemp(prefix="caseapp-bench-merge-"))
    atexit.register(shutil.rmtree, scratch, True)
    first = scratch / "base.casebundle"
    run_cli(["export", str(case_id), "-o", str(first), "--no-sign", "--no-pdf"], ctx.data_dir)
    colleague_dir = scratch / "colleague"
    run_cli(["import", str(first), "--yes", "--accept-unsigned"], colleague_dir)
    colleague = open_core(data_dir=colleague_dir, author="Collègue", daily_backup=True)
    try:
        here = _edit_here(colleague, case_id)
    finally:
        colleague.close()
    open_core(data_dir=colleague_dir, author="Collègue", daily_backup=True).close()  # the day's backup is taken
    there = _edit_there(ctx.core(), case_id, here["exhibits"])
    bundle = scratch / "new.casebundle"
    run_cli(["export", str(case_id), "-o", str(bundle), "--no-sign", "--no-pdf"], ctx.data_dir)

    def merge_once(i: int) -> CliRun:
        folder = scratch / f"merge-{i}"
        shutil.copytree(colleague_dir, folder)
        try:
            result = run_cli(["import", str(bundle), "--yes", "--accept-unsigned"], folder)
            _check(folder, case_id, here, there)
            return result
        finally:
            shutil.rmtree(folder)

    # The commands run with compiled bytecode, as an installed CaseApp has it (this environment may forbid writing
    # bytecode, which would make every run compile CaseApp's own modules again).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(scratch_pycache())
    merge_once(-1)  # warm-up (page cache, bytecode)
    sha256sum([bundle])
    runs: list[CliRun] = []
    floors: list[float] = []
    for i in range(ctx.count(5, 3)):
        if i % 2:
            floors.append(sha256sum([bundle]))
            runs.append(merge_once(i))
        else:
            runs.append(merge_once(i))
            floors.append(sha256sum([bundle]))
    values = [r.seconds for r in runs]
    peaks = [r.peak_mb for r in runs]
    details = {
        "value_seconds": spread(values),
        "floor_seconds": spread(floors),
        "in_process_seconds": spread([r.in_process_seconds for r in runs]),
        "bundle_bytes": bundle.stat().st_size,
        "changed_here": {"exhibits": len(here["exhibits"]), "notes": len(here["notes"])},
        "changed_there": {k: len(v) for k, v in there.items()},
        "peak_rss_mb": rounded(peaks, 1),
        "author": AUTHOR,
    }
    shutil.rmtree(scratch, ignore_errors=True)
    return [
        Measurement(
            "bundle_merge",
            percentile(values, 50),
            unit="s",
            stat="p50",
            floor=percentile(floors, 50),
            floor_what="sha256sum over the bundle file, fresh process",
            target=Target(2.0),
            details=details,
        ),
        Measurement(
            "bundle_merge_memory",
            max(peaks),
            unit="MB",
            stat="peak",
            target=Target(200),
            details={"peak_rss_mb": rounded(peaks, 1)},
        ),
    ]
