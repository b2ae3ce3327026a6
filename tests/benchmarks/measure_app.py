"""The application measured: CaseApp's real windows (offscreen Qt) in fresh processes, on the working copy.

``launch_window`` — launch to the first frame of the main window, p50 of wall-clock ms from just before the
    process starts. Floor: a bare PySide6 ``QMainWindow`` started and shown the same way, which is what any
    PySide6 application pays (interpreter, Qt libraries, platform plug-in, one frame); the target is a ratio,
    because that floor moves with the machine. Every run is a fresh process; CaseApp and the bare window alternate
    (which goes first alternates too), after a warm-up pair that is not counted (cold file caches, the scratch
    bytecode cache being written). CPU time, and — information — when CaseApp's agenda page was built (the second
    start-up stage) and when it showed its data, come from the same CaseApp processes.
``app_session`` — one CaseApp process on the working copy, started as ``ui.app.run`` starts it, which reports:
    ``app_open_case``: ``window.open_case(id)`` until the case is loaded and its header painted, for the large
        case (p95); the ordinary case and other tabs as information. Floor: ``get_case(core, id)`` alone on the
        app's own core and worker thread, what the core read model costs: the ratio is the interface's share.
    ``app_search_typing``: each key press in the search field until the results for the whole text are painted
        (p95). It includes the page's deliberate typing delay, reported apart with the rest of the time split.
        No floor: the core search alone is reported as information.
    ``app_memory``: the process's peak resident memory at the end, after the agenda, the case list, both cases
        and the search were used. Floor (information): the peak of the bare ``QMainWindow`` process.

The launch scripts are strings run with ``python -c`` so that nothing is imported before the paint but what they
name (this module imports SQLAlchemy through the registry). ``tests/ui/startup_benchmark.py`` is a command line
over the launch part. Compiled bytecode is cached in a scratch folder (``PYTHONPYCACHEPREFIX``), as an installed
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.registry import Context, benchmark
from tests.benchmarks.timing import Measurement, Target, percentile, summary

if TYPE_CHECKING:
    from PySide6.QtCore import QEventLoop, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
REPORT = "BENCH-REPORT "  # the line a child prints its figures on (JSON after this prefix)
LAUNCH_TIMEOUT_S = 120
SESSION_TIMEOUT_S = 600
# Typed one key at a time in the search page (the same texts as the core measurement ``search_typing``).
TYPED = ("rapporteur public", "vidéosurveillance marseille", "refere liberte", "CADA")

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
def launch_window(ctx: Context) -> Measurement:
    """Launch to the main window's first paint (fresh processes), against a bare PySide6 QMainWindow."""
    env = child_env(pycache=scratch_pycache())
    env["CASEAPP_DATA_DIR"] = str(ctx.data_dir)
    # The window opens where it was closed: drop the interface settings other measurements left (the session
    # ends on the search page), so every launch opens on the agenda, as CaseApp does by default.
    (ctx.data_dir / "caseapp-ui.ini").unlink(missing_ok=True)
    series = launch_series(env, ctx.count(9, 5))
    value = series.caseapp_ms()
    floor = series.bare_ms()
    built = series.caseapp_ms("agenda_built")
    data = series.caseapp_ms("agenda_data")
    return Measurement(
        "launch_window",
        percentile(value, 50),
        stat="p50",
        floor=percentile(floor, 50),
        floor_what="bare PySide6 QMainWindow shown, first paint, fresh process",
        target=Target(1.5, on="ratio"),
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
            "information, measured in the same CaseApp processes after the paint",
        },
    )


# ------------------------------------------------------------------------------------------------ app session


@benchmark("app_session")
def app_session(ctx: Context) -> list[Measurement]:
    """One CaseApp process: app_open_case, app_search_typing and app_memory (opening cases, typing a search).

    Returns three measurements; see the module's docstring for each figure and its floor.
    """
    config = {
        "large_case_id": ctx.manifest["large_case_id"],
        "ordinary_case_id": ctx.manifest["ordinary_case_id"],
        "samples": ctx.count(30, 10),
        "warmup": ctx.count(3, 2),
        "tab_samples": ctx.count(10, 4),
        "typed": [TYPED[1], TYPED[3]] if ctx.quick else list(TYPED),
    }
    env = child_env(pycache=scratch_pycache())
    env["CASEAPP_DATA_DIR"] = str(ctx.data_dir)
    env["CASEAPP_SINGLE_INSTANCE"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", "from tests.benchmarks.measure_app import session_main; session_main()"],
        input=json.dumps(config),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SESSION_TIMEOUT_S,
        check=False,
    )
    report = _report(result, "the CaseApp session")
    bare = [launch_once(BARE_SCRIPT, env).max_rss_mb for _ in range(ctx.count(3, 2))]
    return [_open_case_measurement(report), _search_measurement(report), _memory_measurement(report, bare)]


def _open_case_measurement(report: dict[str, Any]) -> Measurement:
    cases = report["open_case"]
    large, floor = cases["large_ms"], cases["large_floor_ms"]
    return Measurement(
        "app_open_case",
        percentile(large, 95),
        floor=percentile(floor, 95),
        floor_what="get_case(core, id) alone, on the app's own core and worker thread",
        target=Target(150),
        details={
            "ms": summary(large),
            "floor_ms": summary(floor),
            "interface_share_ms_p50": round(percentile(large, 50) - percentile(floor, 50), 1),
            "ordinary_case_ms": summary(cases["ordinary_ms"]),
            "ordinary_case_floor_ms": summary(cases["ordinary_floor_ms"]),
            "large_case_on_tab_ms": {tab: summary(values) for tab, values in cases["tabs_ms"].items()},
            "ordinary_case_on_tab_ms": {tab: summary(values) for tab, values in cases["ordinary_tabs_ms"].items()},
            "large_case": cases["large_case"],
            "checked": cases["checked"],
            "note": "window.open_case(id) until case_did_load has fired and the case header's title has been "
            "painted with the new case (the overview tab), the large and the ordinary case alternately; the tab "
            "figures open each case on that tab instead (information)",
        },
    )


def _search_measurement(report: dict[str, Any]) -> Measurement:
    search = report["search"]
    keys = search["keystrokes"]
    total = [k["total_ms"] for k in keys]
    after_delay = [k["after_delay_ms"] for k in keys]
    slowest = sorted(keys, key=lambda k: k["total_ms"], reverse=True)[:5]
    return Measurement(
        "app_search_typing",
        percentile(total, 95),
        target=Target(100),
        details={
            "ms": summary(total),
            "typing_delay_ms": search["typing_delay_ms"],
            "key_handled_ms": summary([k["key_ms"] for k in keys]),
            "key_to_search_started_ms": summary([k["delay_ms"] for k in keys]),
            "search_started_to_painted_ms": summary(after_delay),
            "core_search_ms": summary(search["core_search_ms"]),
            "slowest_keystrokes": [
                {"typed": k["typed"], "ms": round(k["total_ms"], 1), "hits": k["hits"]} for k in slowest
            ],
            "note": "from each key press (sent to the search field) to the results for the whole text typed so far "
            "painted in the results table; it includes the page's typing delay, if any "
            "(typing_delay_ms, ui.search.TYPING_DELAY_MS: 0 = the next turn of the event loop). "
            "search_started_to_painted is the rest: the search on the worker, the table and the paint. "
            "core_search is search(core, text, limit=100) alone on the worker, for each text typed",
        },
    )


def _memory_measurement(report: dict[str, Any], bare: Sequence[float]) -> Measurement:
    memory = report["memory"]
    return Measurement(
        "app_memory",
        memory["peak_mb"],
        unit="MB",
        stat="peak",
        floor=percentile(bare, 50),
        floor_what="peak RSS of the bare PySide6 QMainWindow process (information)",
        target=Target(300),
        details={
            "peak_mb_after": memory["stages"],
            "floor_runs_mb": [round(value, 1) for value in bare],
            "session_phase_seconds": memory["phase_seconds"],
            "note": "ru_maxrss of the CaseApp session process at its end, after the agenda, the case list, both "
            "cases (overview, evidence and hearings tabs) and the search page were used",
        },
    )


# --------------------------------------------------------------------------------- the session (child process)


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _now() -> int:
    return time.perf_counter_ns()


def _elapsed_ms(started: int, ended: int) -> float:
    return (ended - started) / 1e6


class Session:
    """The app driven in this process: waits are nested event loops (the GUI thread sleeps in Qt, as it does
    when a person uses the app, so the database worker has the interpreter to itself)."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.app = app
        self.window = window
        self.ctx = window.ctx
        self._timer_type = QTimer

        class PaintWatch(QObject):
            """Calls back on the turn of the event loop after the next paint of a watched widget (once armed)."""

            def __init__(self) -> None:
                super().__init__()
                self.then: Callable[[], None] | None = None

            def watch(self, widget: QWidget) -> None:
                widget.installEventFilter(self)

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if self.then is not None and event.type() == QEvent.Type.Paint:
                    then, self.then = self.then, None
                    QTimer.singleShot(0, then)
                return False

        self.paint_watch = PaintWatch()

    # -- waiting ------------------------------------------------------------------------------------------------

    def _loop(self) -> QEventLoop:
        from PySide6.QtCore import QEventLoop

        return QEventLoop()

    def _run(self, loop: QEventLoop, what: str, timeout_s: float = 60) -> None:
        """Run ``loop`` until something quits it; fail after ``timeout_s``."""
        timer = self._timer_type()
        timer.setSingleShot(True)
        expired: list[bool] = []
        timer.timeout.connect(lambda: (expired.append(True), loop.quit()))
        timer.start(int(timeout_s * 1000))
        loop.exec()
        timer.stop()
        if expired:
            raise TimeoutError(f"{what}: nothing after {timeout_s} s")
        self.check_errors(what)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout_s: float = 120) -> None:
        """Poll ``condition`` every 5 ms (set-up only: timed waits are woken by the app's own signals)."""
        if condition():
            return
        loop = self._loop()
        poll = self._timer_type()
        poll.timeout.connect(lambda: loop.quit() if condition() else None)
        poll.start(5)
        try:
            self._run(loop, what, timeout_s)
        finally:
            poll.stop()

    def settle(self) -> None:
        """Let pending events (layouts, paints, queued results) pass."""
        for _ in range(3):
            self.app.processEvents()
        self.wait_until(lambda: self.ctx.tasks.idle, "the worker finishing")
        self.app.processEvents()

    def check_errors(self, what: str) -> None:
        history = self.ctx.errors.history
        if history:
            raise RuntimeError(f"{what}: the app reported {type(history[0]).__name__}: {history[0]}")

    def on_worker(self, work: Callable[[Any], Any], what: str) -> Any:
        """Run ``work(core)`` on the app's database worker (where the app runs its own queries) and wait."""
        outcome: dict[str, Any] = {}
        loop = self._loop()

        def done(key: str, value: Any) -> None:
            outcome[key] = value
            loop.quit()

        self.ctx.tasks.run(
            work, on_success=lambda value: done("value", value), on_failure=lambda error: done("error", error)
        )
        self._run(loop, what)
        if "error" in outcome:
            raise RuntimeError(f"{what}: {outcome['error']!r}")
        return outcome["value"]

    def timed_on_worker(self, work: Callable[[Any], Any], what: str) -> float:
        """Milliseconds of ``work(core)`` itself, timed on the worker thread."""

        def timed(core: Any) -> float:
            started = _now()
            work(core)
            return _elapsed_ms(started, _now())

        elapsed: float = self.on_worker(timed, what)
        return elapsed

    # -- opening a case -----------------------------------------------------------------------------------------

    def open_case(self, case_id: Any, title: str, tab: str = "overview") -> float:
        """Milliseconds from ``window.open_case`` to the case loaded (``case_did_load``) and its header painted."""
        view = self.window.case_view
        loop = self._loop()
        ended: list[int] = []

        def painted() -> None:
            ended.append(_now())
            loop.quit()

        def loaded(case: Any) -> None:
            if case.id == case_id:
                self.paint_watch.then = painted

        view.case_did_load.connect(loaded)
        try:
            started = _now()
            self.window.open_case(case_id, tab)
            self._run(loop, f"opening the case {case_id}")
        finally:
            view.case_did_load.disconnect(loaded)
            self.paint_watch.then = None
        shown = view.case
        if shown is None or shown.id != case_id or not view.header.title.text().startswith(title):
            raise RuntimeError(f"the case view does not show the case {case_id} ({title!r})")
        if view.stack.currentIndex() != 1 or view.current_tab() != tab:
            raise RuntimeError(f"the case {case_id} is not shown on its {tab} tab")
        return _elapsed_ms(started, ended[0])

    # -- typing a search ----------------------------------------------------------------------------------------

    def key(self, widget: QWidget, char: str) -> None:
        """A key press and release, as the window system delivers them to the focused field."""
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        try:
            key = Qt.Key(ord(char.upper())) if char != " " else Qt.Key.Key_Space
        except ValueError:
            key = Qt.Key.Key_unknown
        for kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))

    def type_query(self, text: str) -> list[dict[str, Any]]:
        """Type ``text`` into the search field one key at a time, each key once the previous one's results are
        painted; per key: the total and its parts."""
        page = self.window.search
        field_ = page.field
        model = page.results.model
        field_.clear()
        self.wait_until(lambda: page.answered, "clearing the search")
        self.settle()
        keystrokes: list[dict[str, Any]] = []
        for end in range(1, len(text) + 1):
            typed = text[:end]
            loop = self._loop()
            marks: dict[str, int] = {}

            def painted(marks: dict[str, int] = marks, loop: QEventLoop = loop) -> None:
                marks["painted"] = _now()
                loop.quit()

            def started_search(_searched: str, marks: dict[str, int] = marks) -> None:
                marks.setdefault("search", _now())

            def shown(shown_text: str, marks: dict[str, int] = marks, typed: str = typed) -> None:
                if shown_text == typed.strip() and "shown" not in marks:  # the answer for the whole text so far
                    marks["shown"] = _now()
                    self.paint_watch.then = painted

            page.search_started.connect(started_search)
            page.results_shown.connect(shown)
            try:
                started = _now()
                self.key(field_, text[end - 1])
                marks["key"] = _now()
                self._run(loop, f"results for {typed!r}")
            finally:
                page.search_started.disconnect(started_search)
                page.results_shown.disconnect(shown)
                self.paint_watch.then = None
            if field_.text() != typed:
                raise RuntimeError(f"the search field shows {field_.text()!r} instead of {typed!r}")
            keystrokes.append(
                {
                    "typed": typed,
                    "hits": model.rowCount(),
                    "total_ms": _elapsed_ms(started, marks["painted"]),
                    "key_ms": _elapsed_ms(started, marks["key"]),
                    "delay_ms": _elapsed_ms(started, marks["search"]),
                    "after_delay_ms": _elapsed_ms(marks["search"], marks["painted"]),
                }
            )
        return keystrokes


def run_session(config: dict[str, Any]) -> dict[str, Any]:
    """Start CaseApp (as ``ui.app.run`` does, without the single-instance lock), wait for the case file, the
    agenda and the case list, then measure. Returns the figures."""
    import uuid

    from PySide6.QtWidgets import QApplication

    import ui.search
    from caseapp.services.cases import get_case
    from caseapp.services.search import search as core_search
    from ui.context import location_from, new_context, open_case_file, warm_up_date_parser
    from ui.first_paint import after_first_paint
    from ui.i18n import QtTranslations, choose_language
    from ui.settings import Settings
    from ui.shell import Shell

    app = QApplication([sys.argv[0]])
    app.setApplicationName("CaseApp")
    app.setOrganizationName("CaseApp")
    settings = Settings.open()
    translations = QtTranslations()
    translations.apply(app, choose_language(settings.preferences().language))
    ctx = new_context(settings, location_from(settings, dict(os.environ)), open_now=False)
    shell = Shell(app, ctx, translations)
    window = shell.start()

    def after_paint() -> None:  # what ui.app.run does after the first paint (but the socket and the log file)
        open_case_file(ctx)
        warm_up_date_parser(ctx)

    after_first_paint(window, after_paint)
    session = Session(app, window)
    stages: dict[str, float] = {}
    phases: dict[str, float] = {}
    phase_started = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal phase_started
        phases[name] = round(time.perf_counter() - phase_started, 1)
        phase_started = time.perf_counter()

    # the app as it starts: the agenda page with its data, then the case list's first page
    session.wait_until(lambda: ctx.tasks.ready, "opening the case file")
    session.wait_until(lambda: window.agenda.agenda is not None, "the agenda's data")
    window.show_page("cases")
    session.wait_until(lambda: window.case_list.model.rowCount() > 0, "the case list")
    session.settle()
    stages["agenda_and_case_list"] = round(_peak_mb(), 1)
    phase("start")

    # opening cases, the large and the ordinary one alternately, each against get_case alone on the same core
    large, ordinary = uuid.UUID(config["large_case_id"]), uuid.UUID(config["ordinary_case_id"])
    details = {i: session.on_worker(lambda core, i=i: get_case(core, i), "get_case") for i in (large, ordinary)}
    titles = {case_id: detail.title for case_id, detail in details.items()}
    if large == ordinary or titles[large] == titles[ordinary]:
        raise RuntimeError("the large and the ordinary case must differ (and their titles too) to alternate them")
    session.paint_watch.watch(window.case_view.header.title)
    for _ in range(config["warmup"]):
        for case_id in (large, ordinary):
            session.open_case(case_id, titles[case_id])
    samples: dict[str, list[float]] = {"large": [], "large_floor": [], "ordinary": [], "ordinary_floor": []}
    for index in range(config["samples"]):
        for case_id, name in ((large, "large"), (ordinary, "ordinary")):

            def value(case_id: uuid.UUID = case_id) -> float:
                return session.open_case(case_id, titles[case_id])

            def floor(case_id: uuid.UUID = case_id) -> float:
                return session.timed_on_worker(lambda core: get_case(core, case_id), "get_case")

            if index % 2:
                samples[f"{name}_floor"].append(floor())
                samples[name].append(value())
            else:
                samples[name].append(value())
                samples[f"{name}_floor"].append(floor())
    tabs: dict[str, list[float]] = {}
    ordinary_tabs: dict[str, list[float]] = {}
    for tab in ("evidence", "hearings"):
        session.open_case(large, titles[large], tab)  # builds the tab (not counted)
        session.open_case(ordinary, titles[ordinary], tab)
        tabs[tab], ordinary_tabs[tab] = [], []
        for _ in range(config["tab_samples"]):
            tabs[tab].append(session.open_case(large, titles[large], tab))
            ordinary_tabs[tab].append(session.open_case(ordinary, titles[ordinary], tab))
    session.settle()
    stages["cases"] = round(_peak_mb(), 1)
    phase("cases")
    detail = details[large]
    open_case = {
        "large_ms": samples["large"],
        "large_floor_ms": samples["large_floor"],
        "ordinary_ms": samples["ordinary"],
        "ordinary_floor_ms": samples["ordinary_floor"],
        "tabs_ms": tabs,
        "ordinary_tabs_ms": ordinary_tabs,
        "large_case": {
            "evidence": len(detail.evidence),
            "hearings": len(detail.hearings),
            "notes": sum(len(h.notes) for h in detail.hearings),
            "filings": len(detail.filings),
            "parties": len(detail.parties),
            "deadlines": len(detail.deadlines),
        },
        "checked": "after each opening: the view holds that case, its header title starts with the case's title, "
        "the case page (not the placeholder) and the asked tab are shown",
    }

    # typing in the search page
    window.show_page("search")
    page = window.search
    session.settle()
    session.paint_watch.watch(page.results.view.viewport())
    session.paint_watch.watch(page.summary)
    keystrokes: list[dict[str, Any]] = []
    for text in config["typed"]:
        keystrokes += session.type_query(text)
    core_ms = [
        session.timed_on_worker(lambda core, typed=k["typed"]: core_search(core, typed, limit=100), "search")
        for k in keystrokes
    ]
    session.settle()
    stages["search"] = round(_peak_mb(), 1)
    phase("search")
    search = {"typing_delay_ms": ui.search.TYPING_DELAY_MS, "keystrokes": keystrokes, "core_search_ms": core_ms}

    memory = {"peak_mb": _peak_mb(), "stages": stages, "phase_seconds": phases}
    window.hide()
    ctx.close()
    return {"open_case": open_case, "search": search, "memory": memory}


def session_main() -> None:
    """The child process: the configuration as JSON on stdin, the figures as JSON on stdout after ``REPORT``."""
    config = json.loads(sys.stdin.read())
    figures = run_session(config)
    print(REPORT + json.dumps(figures), flush=True)
