"""The desktop application in use: one CaseApp process (offscreen Qt, real windows) on the working copy.

``app_session`` — started as ``ui.app.run`` starts it, the process reports:
    ``app_open_case``: ``window.open_case(id)`` until the case is loaded and its header painted, for the large
        case (p95); the ordinary case and other tabs as information. Floor: ``get_case(core, id)`` alone on the
        app's own core and worker thread, what the core read model costs: the ratio is the interface's share.
    ``app_search_typing``: each key press in the search field until the results for the whole text are painted
        (p95). It includes the page's typing delay, if any (reported apart), and the rest of the time split.
        No floor: the core search alone is reported as information.
    ``app_memory``: the process's peak resident memory at the end, after the agenda, the case list, both cases
        and the search were used. Floor (information): the peak of the bare ``QMainWindow`` process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tests.benchmarks.app_launch import (
    BARE_SCRIPT,
    REPORT,
    ROOT,
    _report,
    child_env,
    launch_once,
    scratch_pycache,
)
from tests.benchmarks.registry import Context, benchmark
from tests.benchmarks.timing import Measurement, Target, percentile, summary

if TYPE_CHECKING:
    from PySide6.QtCore import QEventLoop, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.main_window import MainWindow

SESSION_TIMEOUT_S = 600
# Typed one key at a time in the search page (the same texts as the core measurement ``search_typing``).
TYPED = ("rapporteur public", "vidéosurveillance marseille", "refere liberte", "CADA")

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
        [sys.executable, "-c", "from tests.benchmarks.app_session import session_main; session_main()"],
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
    from caseapp.casefile.search import search as core_search
    from caseapp.services.cases import get_case
    from ui.context import location_from, new_context, open_case_file, settle
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
        settle(ctx)

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
