"""The launch of the desktop application, measured in fresh processes on the working copy.

``launch_window`` — launch to the first frame of the main window, p50 of wall-clock ms from just before the
    process starts. Floor: a bare PySide6 ``QMainWindow`` started and shown the same way, which is what any
    PySide6 application pays (interpreter, Qt libraries, platform plug-in, one frame); the target is a ratio,
    because that floor moves with the machine. Every run is a fresh process; CaseApp and the bare window alternate
    (which goes first alternates too), after a warm-up pair that is not counted (cold file caches, the scratch
    bytecode cache being written). CPU time, and — information — when CaseApp's agenda page was built (the second
    start-up stage) and when it showed its data, come from the same CaseApp processes.

The launch scripts are strings run with ``python -c`` so that nothing is imported before the paint but what they
name (this module imports SQLAlchemy through the registry). ``tests/ui/startup_benchmark.py`` is a command line
over this module. Compiled bytecode is cached in a scratch folder (``PYTHONPYCACHEPREFIX``), as an installed
application has it, even where ``PYTHONDONTWRITEBYTECODE`` is set. Children print their figures as one JSON line
after ``REPORT`` on stdout; a child that fails raises here with its stderr, so the runner records an error.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.registry import Context, benchmark
from tests.benchmarks.timing import Measurement, Target, percentile, summary

if TYPE_CHECKING:
    pass

ROOT = Path(__file__).resolve().parents[2]
REPORT = "BENCH-REPORT "  # the line a child prints its figures on (JSON after this prefix)
LAUNCH_TIMEOUT_S = 120

# ------------------------------------------------------------------------------------------------------ launch

# Shared by both launch scripts, so that "first paint" means the same thing in each, and the same as for the app's
# own ``ui.first_paint``: the main window's first UpdateRequest or Paint event (Qt draws a frame while handling
# the former, and sends the latter to each widget as it draws it), and then the next turn of the event loop, by
# which time that frame is drawn ("painted"). Only ``sys`` and ``time`` are imported before the window; ``json``
# and ``resource`` after it.
_PRELUDE = """
import sys, time
marks = {}

def mark(name):
    marks.setdefault(name, (time.time(), time.process_time()))

def report(**extra):
    import json, resource
    extra["marks"] = marks
    extra["max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("BENCH-REPORT " + json.dumps(extra), flush=True)
"""

_FIRST_PAINT = """
class FirstPaint(QObject):
    def __init__(self, window, then):
        super().__init__(window)
        self.window = window
        self.then = then
        window.installEventFilter(self)

    def eventFilter(self, watched, event):
        kind = event.type()
        if kind == QEvent.Type.Paint:
            mark("paint_event")
        elif kind == QEvent.Type.UpdateRequest:
            mark("update_request")
        else:
            return False
        if self.then is not None:
            then, self.then = self.then, None
            QTimer.singleShot(0, lambda: self.painted(then))
        return False

    def painted(self, then):
        self.window.removeEventFilter(self)
        then()
"""

BARE_SCRIPT = (
    _PRELUDE
    + """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
"""
    + _FIRST_PAINT
    + """
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 800)

def painted():
    mark("painted")
    app.quit()

FirstPaint(window, painted)
window.show()
app.exec()
report()
"""
)

# CaseApp started by ``ui.app.run`` as ``uv run caseapp`` does. ``after_first_paint`` (which ``run`` uses for
# its after-paint work) is wrapped to put the same paint watch on the window, installed last so that its filter
# runs first and "painted" is the first thing done after the frame. ``MainWindow.finish_start`` (the second
# stage) is wrapped to note when the agenda page is built; the agenda's data count as shown when the items
# table repaints with them. Then the application quits. Nothing is imported before the window that ``run`` does
# not import itself.
CASEAPP_SCRIPT = (
    _PRELUDE
    + """
import ui.app as app_module
from ui.main_window import MainWindow
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
"""
    + _FIRST_PAINT
    + """
state = {"page": None}
original_finish_start = getattr(MainWindow, "finish_start", None)  # None: an older CaseApp, built in one stage

def quit_soon():
    QTimer.singleShot(0, QApplication.instance().quit)

def painted():
    mark("painted")
    if original_finish_start is None:
        quit_soon()

original_after_first_paint = app_module.after_first_paint

def watching(window, then):
    original_after_first_paint(window, then)
    FirstPaint(window, painted)
    QTimer.singleShot(60_000, lambda: (mark("timeout"), quit_soon()))

app_module.after_first_paint = watching

class DataPainted(QObject):
    def eventFilter(self, watched, event):
        page = state["page"]
        if event.type() == QEvent.Type.Paint and page.agenda is not None and "agenda_data" not in marks:
            QTimer.singleShot(0, shown)
        return False

def shown():
    mark("agenda_data")
    quit_soon()

def finish_start(self):
    original_finish_start(self)
    page = self.findChild(QWidget, "agenda_page")
    state["start_page"] = self.current_page()
    if page is None:  # the window opened on another page (settings of an earlier run): no agenda figures
        quit_soon()
        return
    mark("agenda_built")
    state["page"] = page
    watch = DataPainted(page)
    for widget in (page.items.view.viewport(), page.idle.view.viewport(), page.welcome):  # welcome: an empty file
        widget.installEventFilter(watch)

if original_finish_start is not None:
    MainWindow.finish_start = finish_start
code = app_module.run([])
report(start_page=state.get("start_page"))
sys.exit(code)
"""
)


@dataclass
class LaunchRun:
    """One launch: wall-clock ms from just before the process started to each mark, and CPU ms at each."""

    wall_ms: dict[str, float]
    cpu_ms: dict[str, float]
    max_rss_mb: float
    start_page: str | None = None


@dataclass
class LaunchSeries:
    """Launches of the bare window and of CaseApp, interleaved (warm-up pair not included)."""

    bare: list[LaunchRun] = field(default_factory=list)
    caseapp: list[LaunchRun] = field(default_factory=list)

    @staticmethod
    def _values(runs: Sequence[LaunchRun], mark: str, cpu: bool = False) -> list[float]:
        found = [(run.cpu_ms if cpu else run.wall_ms).get(mark) for run in runs]
        return [value for value in found if value is not None]

    def bare_ms(self, mark: str = "painted", *, cpu: bool = False) -> list[float]:
        return self._values(self.bare, mark, cpu)

    def caseapp_ms(self, mark: str = "painted", *, cpu: bool = False) -> list[float]:
        return self._values(self.caseapp, mark, cpu)


_PYCACHE: list[Path] = []


def scratch_pycache() -> Path:
    """A bytecode cache folder for the children of this run (removed at exit): the launch's warm-up pair fills
    it, and the session after it does not compile every module again."""
    if not _PYCACHE:
        folder = Path(tempfile.mkdtemp(prefix="caseapp-bench-pycache-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _PYCACHE.append(folder)
    return _PYCACHE[0]


def child_env(*, pycache: Path | None) -> dict[str, str]:
    """The environment of a measured child: offscreen Qt, French, and a bytecode cache in ``pycache`` (as an
    installed application has one), or no bytecode written at all when ``pycache`` is None."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["CASEAPP_LANG"] = "fr"
    for name in ("CASEAPP_SMOKE_QUIT_MS", "CASEAPP_DB_URL"):
        env.pop(name, None)
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _report(result: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    """The JSON a child printed after ``REPORT``; the child's stderr in the error if it failed or printed none."""
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(REPORT):
            if result.returncode != 0:
                break
            report: dict[str, Any] = json.loads(line[len(REPORT) :])
            return report
    raise RuntimeError(
        f"{what} failed (exit code {result.returncode}):\n{result.stderr.strip()[-4000:]}\n{result.stdout[-1000:]}"
    )


def launch_once(script: str, env: dict[str, str], source: Path = ROOT) -> LaunchRun:
    """Run a launch script in a fresh process (in the source tree ``source``) and read its marks."""
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        timeout=LAUNCH_TIMEOUT_S,
        check=False,
    )
    report = _report(result, "the bare window launch" if script is BARE_SCRIPT else "the CaseApp launch")
    marks: dict[str, list[float]] = report["marks"]
    if "painted" not in marks:
        raise RuntimeError(f"no paint reported:\n{result.stderr.strip()[-4000:]}")
    if "timeout" in marks:
        raise RuntimeError(f"the launch did not reach the agenda's data in 60 s:\n{result.stderr.strip()[-4000:]}")
    return LaunchRun(
        wall_ms={name: (wall - started) * 1000 for name, (wall, _cpu) in marks.items()},
        cpu_ms={name: cpu * 1000 for name, (_wall, cpu) in marks.items()},
        max_rss_mb=report["max_rss_kb"] / 1024,
        start_page=report.get("start_page"),
    )


def launch_series(env: dict[str, str], runs: int, *, source: Path = ROOT, warmup: bool = True) -> LaunchSeries:
    """``runs`` launches of each, interleaved (which goes first alternates), after a warm-up pair not counted."""
    if warmup:
        launch_once(BARE_SCRIPT, env)
        launch_once(CASEAPP_SCRIPT, env, source)
    series = LaunchSeries()
    for index in range(runs):
        if index % 2:
            series.caseapp.append(launch_once(CASEAPP_SCRIPT, env, source))
            series.bare.append(launch_once(BARE_SCRIPT, env))
        else:
            series.bare.append(launch_once(BARE_SCRIPT, env))
            series.caseapp.append(launch_once(CASEAPP_SCRIPT, env, source))
    return series


@benchmark("launch_window")
def launch_window(ctx: Context) -> list[Measurement]:
    """Launch to the main window's first paint (fresh processes), against a bare PySide6 QMainWindow."""
    env = child_env(pycache=scratch_pycache())
    env["CASEAPP_DATA_DIR"] = str(ctx.data_dir)
    # The window opens where it was closed: drop the interface settings other measurements left (the session
    # ends on the search page), so every launch opens on the agenda, as CaseApp does by default.
    (ctx.data_dir / "caseapp-ui.ini").unlink(missing_ok=True)
    # 15 pairs: with 9, the p50 ratio of the same code moved by ±0.2× from run to run on a shared 2-core machine
    series = launch_series(env, ctx.count(15, 5))
    value = series.caseapp_ms()
    floor = series.bare_ms()
    built = series.caseapp_ms("agenda_built")
    data = series.caseapp_ms("agenda_data")
    first_frame = Measurement(
        "launch_window",
        percentile(value, 50),
        stat="p50",
        floor=percentile(floor, 50),
        floor_what="bare PySide6 QMainWindow shown, first paint, fresh process",
        target=Target(1.3, on="ratio"),
        details={
            "ms": summary(value),
            "floor_ms": summary(floor),
            "cpu_ms_p50": round(percentile(series.caseapp_ms(cpu=True), 50), 1),
            "floor_cpu_ms_p50": round(percentile(series.bare_ms(cpu=True), 50), 1),
            "cpu_ratio_p50": round(
                percentile(series.caseapp_ms(cpu=True), 50) / percentile(series.bare_ms(cpu=True), 50), 2
            ),
            "paint_event_ms_p50": round(percentile(series.caseapp_ms("paint_event"), 50), 1),
            "floor_paint_event_ms_p50": round(percentile(series.bare_ms("paint_event"), 50), 1),
            "agenda_page_built_ms": summary(built),
            "agenda_data_shown_ms": summary(data),
            "runs_wall_cpu_ms": {
                "caseapp": [[round(run.wall_ms["painted"]), round(run.cpu_ms["painted"])] for run in series.caseapp],
                "bare": [[round(run.wall_ms["painted"]), round(run.cpu_ms["painted"])] for run in series.bare],
            },
            "peak_rss_mb_p50": round(percentile([run.max_rss_mb for run in series.caseapp], 50), 1),
            "floor_peak_rss_mb_p50": round(percentile([run.max_rss_mb for run in series.bare], 50), 1),
            "note": "wall clock from just before the process starts to the turn of the event loop after the main "
            "window's first UpdateRequest or Paint event (the frame drawn), same definition for both; the agenda "
            "figures (built: the second start-up stage; data shown: the agenda's table repainted with its items) are "
            "measured in the same CaseApp processes after the paint (launch_agenda_data)",
        },
    )
    agenda_data = Measurement(
        "launch_agenda_data",
        percentile(data, 50),
        stat="p50",
        floor=percentile(floor, 50),
        floor_what="bare PySide6 QMainWindow's first paint (the same runs as launch_window)",
        target=Target(3, on="ratio"),
        details={
            "ms": summary(data),
            "after_first_frame_ms": summary([d - v for d, v in zip(data, value, strict=False)]),
            "cpu_ms_p50": round(percentile(series.caseapp_ms("agenda_data", cpu=True), 50), 1),
            "note": "launch to the agenda's table repainted with its items (what a person waits for), against the "
            "bare window's first frame: the case file is opened and read on the worker after the first frame",
        },
    )
    return [first_frame, agenda_data]
