"""Launch to first paint: a bare PySide6 main window against CaseApp's main window (issue 4's speed target).

    uv run python -m tests.ui.startup_benchmark [--runs 5] [--data-dir DIR]

Each run is a fresh process (offscreen). The parent notes the wall clock just before starting it; the child
prints the wall clock when its main window receives its first paint event. Reported: the median of the runs
for each, and the ratio (target: CaseApp ≤ 1.5 × bare). Not collected by pytest (not named ``test_*``).

Compiled bytecode is cached in a scratch folder (``PYTHONPYCACHEPREFIX``), as an installed application has it,
even where ``PYTHONDONTWRITEBYTECODE`` is set; ``--no-bytecode-cache`` measures a start that compiles every module.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"PAINTED {time.time():.6f} {time.process_time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 800)
watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
"""

CASEAPP = """
import os, sys, time
import ui.app as app_module
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

original = app_module.after_first_paint

def reporting(window, then):
    def painted():
        print(f"PAINTED {time.time():.6f} {time.process_time():.6f}", flush=True)
        then()
        QTimer.singleShot(0, QApplication.instance().quit)
    original(window, painted)

app_module.after_first_paint = reporting
sys.exit(app_module.run([]))
"""


def one_run(script: str, env: dict[str, str], source: Path = ROOT) -> tuple[float, float]:
    """(wall-clock ms from launch to first paint, CPU ms the process used until then)."""
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=source, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("PAINTED "):
            _word, wall, cpu = line.split()
            return (float(wall) - start) * 1000, float(cpu) * 1000
    raise RuntimeError(f"no paint reported:\n{result.stdout}\n{result.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", help="an existing data folder (default: a fresh one with the example cases)")
    parser.add_argument("--no-bytecode-cache", action="store_true", help="compile every module at every start")
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="the source tree to start CaseApp from (e.g. an older version)"
    )
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASEAPP_LANG="fr")
    with tempfile.TemporaryDirectory(prefix="caseapp-startup-") as scratch:
        if args.no_bytecode_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        data = args.data_dir or str(Path(scratch) / "data")
        env["CASEAPP_DATA_DIR"] = data
        if not args.data_dir:
            subprocess.run([sys.executable, "-m", "caseapp.cli", "demo"], cwd=ROOT, env=env, capture_output=True)
        one_run(BARE, env)  # warm the disk cache (and the bytecode cache), create the settings once
        one_run(CASEAPP, env, args.source)
        bare: list[tuple[float, float]] = []
        caseapp: list[tuple[float, float]] = []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            bare.append(one_run(BARE, env))
            caseapp.append(one_run(CASEAPP, env, args.source))
    for index, what in ((0, "wall clock, launch to first paint"), (1, "CPU time until first paint")):
        b = statistics.median(run[index] for run in bare)
        c = statistics.median(run[index] for run in caseapp)
        print(f"{what}:")
        print(f"  bare PySide6 QMainWindow: median {b:.0f} ms  ({', '.join(f'{r[index]:.0f}' for r in bare)})")
        print(f"  CaseApp main window:      median {c:.0f} ms  ({', '.join(f'{r[index]:.0f}' for r in caseapp)})")
        print(f"  ratio: {c / b:.2f} (target ≤ 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
