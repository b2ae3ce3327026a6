"""Launch to first paint: a bare PySide6 main window against CaseApp's main window (issue 4's speed target).

    uv run python -m tests.ui.startup_benchmark [--runs 5] [--data-dir DIR] [--no-bytecode-cache] [--source TREE]

A command line over the launch part of ``tests/benchmarks/app_launch.py`` (where the launch scripts and what
they measure are described; the benchmark runner's ``launch_window`` is the same measurement on its big
database). Each run is a fresh process (offscreen); CaseApp and the bare window alternate, after one warm-up
pair. Reported: the median of the runs for each, the ratio (target: CaseApp ≤ 1.5 × bare), and when CaseApp's
agenda page was built and showed its data. Not collected by pytest (not named ``test_*``).

Compiled bytecode is cached in a scratch folder (``PYTHONPYCACHEPREFIX``), as an installed application has it,
even where ``PYTHONDONTWRITEBYTECODE`` is set; ``--no-bytecode-cache`` measures a start that compiles every module.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.benchmarks.app_launch import ROOT, LaunchSeries, child_env, launch_series


def _line(name: str, values: Sequence[float]) -> str:
    if not values:
        return f"  {name:26}—"
    return f"  {name:26}median {statistics.median(values):.0f} ms  ({', '.join(f'{v:.0f}' for v in values)})"


def show(series: LaunchSeries) -> None:
    for cpu, what in ((False, "wall clock, launch to first paint"), (True, "CPU time until first paint")):
        bare = series.bare_ms(cpu=cpu)
        caseapp = series.caseapp_ms(cpu=cpu)
        print(f"{what}:")
        print(_line("bare PySide6 QMainWindow:", bare))
        print(_line("CaseApp main window:", caseapp))
        print(f"  ratio: {statistics.median(caseapp) / statistics.median(bare):.2f} (target ≤ 1.5)")
    print("CaseApp after its first paint (wall clock from launch, information):")
    print(_line("agenda page built:", series.caseapp_ms("agenda_built")))
    print(_line("agenda showing its data:", series.caseapp_ms("agenda_data")))
    if not any(run.start_page for run in series.caseapp):
        print("  (this CaseApp has no second start-up stage to measure: it builds its page before the first paint)")
    pages = {run.start_page for run in series.caseapp if run.start_page and run.start_page != "agenda"}
    if pages:
        print(f"  (CaseApp opened on the {', '.join(sorted(pages))} page: no agenda figures for those runs)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", help="an existing data folder (default: a fresh one with the example cases)")
    parser.add_argument("--no-bytecode-cache", action="store_true", help="compile every module at every start")
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="the source tree to start CaseApp from (e.g. an older version)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="caseapp-startup-") as scratch:
        env = child_env(pycache=None if args.no_bytecode_cache else Path(scratch) / "pycache")
        env["CASEAPP_DATA_DIR"] = args.data_dir or str(Path(scratch) / "data")
        if not args.data_dir:
            subprocess.run(
                [sys.executable, "-m", "caseapp.cli", "demo"], cwd=ROOT, env=env, capture_output=True, check=True
            )
        series = launch_series(env, args.runs, source=args.source.resolve())
    show(series)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
