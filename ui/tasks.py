"""The database worker: one thread runs every piece of work that touches the case file, one after another.

Work is a function of the open core (``work(core) -> result``). Results and errors come back to the GUI thread by
a queued signal and are handed to the callbacks there; a worker never touches a widget, and nothing raised in a
worker is lost. The first job opens the case file, so the window can paint before the database (and the
libraries behind it) are loaded.

Running every job on one thread, in order, also means that edits and their undos happen in the order people made
them.

Work that needs no database — laying out a PDF from read models, writing a copy of it — runs on Qt's thread pool
instead (``run_in_pool``), so a long rendering never holds up the next save. Its results come back the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from caseapp.errors import Cancelled, StorageError
from caseapp.i18n import _
from ui.progress import Progress, ProgressWatcher

if TYPE_CHECKING:
    import queue

    from caseapp.services.core import Core

log = logging.getLogger("caseapp.ui.tasks")

T = TypeVar("T")
Work = Callable[["Core"], T]  # ``Work[T]``: a function of the open core, run on the worker; bare ``Work``: any result
Success = Callable[[T], None]  # ``Success[T]``: what gets a ``Work[T]``'s result, on the GUI thread
Failure = Callable[[BaseException], None]
Opener = Callable[[], "Core"]


class CoreUnavailable(StorageError):
    """The case file is not open (opening it failed); jobs waiting for it are dropped quietly."""


class Job(Generic[T]):
    """One piece of work and what to do with its outcome (a plain class: see ``ui.context.AppContext``). A job
    that opens the case file has an ``opener`` instead of work."""

    __slots__ = ("error", "on_failure", "on_success", "opener", "owner", "result", "watcher", "work")

    def __init__(
        self,
        work: Work[T] | None,
        on_success: Success[T] | None = None,
        on_failure: Failure | None = None,
        owner: QObject | None = None,
        watcher: ProgressWatcher | None = None,
        *,
        opener: Opener | None = None,
    ) -> None:
        self.work = work
        self.on_success = on_success
        self.on_failure = on_failure
        self.owner = owner
        self.watcher = watcher
        self.result: Any = None  # the work's T once it has run
        self.error: BaseException | None = None
        self.opener = opener

    @property
    def opens_core(self) -> bool:
        return self.opener is not None


class TaskManager(QObject):
    job_did_finish = Signal(object)  # emitted on the worker thread, delivered queued on the GUI thread
    core_did_open = Signal()
    core_did_fail = Signal(object)

    def __init__(self, default_failure: Failure, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_failure = default_failure
        self._queue: queue.Queue[Job[Any] | None] | None = None
        self._thread: threading.Thread | None = None
        self._core: Core | None = None
        self._pending = 0

    def _start(self) -> None:
        """The worker thread, its queue and the queued connection that brings results back to the GUI thread
        are set up with the first job rather than at construction: naming the connection type loads Qt's
        namespace (93 enums, ~40 ms), which the first paint of the window does without."""
        if self._thread is None:
            import queue

            from PySide6.QtCore import Qt

            self.job_did_finish.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
            self._queue = queue.Queue()
            self._thread = threading.Thread(target=self._loop, name="caseapp-database", daemon=True)
            self._thread.start()

    # -- the case file ------------------------------------------------------------------------------------------

    @property
    def core(self) -> Core:
        """The open core, for tests and for reading plain attributes; widgets go through ``run``."""
        if self._core is None:
            raise CoreUnavailable(_("The case file is not open."))
        return self._core

    @property
    def ready(self) -> bool:
        return self._core is not None

    def open_core(self, opener: Opener) -> None:
        """Open (or re-open) the case file on the worker; ``core_did_open`` or ``core_did_fail`` follows."""

        def reopen() -> Core:
            if self._core is not None:
                self._core.close()
                self._core = None
            return opener()

        job: Job[Core] = Job(None, opener=reopen)
        self._submit(job)

    # -- running work -------------------------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def run(
        self,
        work: Work[T],
        *,
        on_success: Success[T] | None = None,
        on_failure: Failure | None = None,
        owner: QObject | None = None,
        progress: Progress | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Queue ``work``; its callbacks run on the GUI thread, and only while ``owner`` (if given) still exists."""
        watcher = ProgressWatcher(progress, parent) if progress is not None else None
        self._submit(Job(work, on_success, on_failure, owner, watcher))

    def run_in_pool(
        self,
        work: Callable[[], T],
        *,
        on_success: Success[T] | None = None,
        on_failure: Failure | None = None,
        owner: QObject | None = None,
        progress: Progress | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Run ``work()`` (no database: it gets no core) on a pool thread; callbacks as for ``run``."""
        watcher = ProgressWatcher(progress, parent) if progress is not None else None
        job = Job(None, on_success, on_failure, owner, watcher)  # its work runs here, not on the worker
        self._start()
        self._pending += 1

        def runnable() -> None:
            try:
                job.result = work()
            except BaseException as exc:  # handed to the GUI thread like any other failure
                job.error = exc
            self.job_did_finish.emit(job)

        QThreadPool.globalInstance().start(runnable)

    def _submit(self, job: Job[Any]) -> None:
        self._start()
        assert self._queue is not None
        self._pending += 1
        self._queue.put(job)

    def _loop(self) -> None:
        assert self._queue is not None
        while True:
            job = self._queue.get()
            if job is None:
                break
            try:
                if job.opener is not None:
                    self._core = job.opener()
                    job.result = self._core
                elif self._core is None:
                    raise CoreUnavailable(_("The case file is not open."))
                else:
                    assert job.work is not None
                    job.result = job.work(self._core)
            except BaseException as exc:  # everything reaches the GUI thread, nothing dies here
                job.error = exc
            self.job_did_finish.emit(job)

    def _deliver(self, job: Job[Any]) -> None:
        self._pending -= 1
        if job.watcher is not None and shiboken6.isValid(job.watcher):
            job.watcher.finish()
        if job.opens_core:
            if job.error is None:
                self.core_did_open.emit()
            else:
                self.core_did_fail.emit(job.error)
            return
        if job.owner is not None and not shiboken6.isValid(job.owner):
            return  # the window that asked is gone
        if job.error is not None:
            if isinstance(job.error, CoreUnavailable):
                return
            if isinstance(job.error, Cancelled) and job.on_failure is None:
                return  # the person pressed Cancel: nothing to say
            (job.on_failure or self._default_failure)(job.error)
        elif job.on_success is not None:
            job.on_success(job.result)

    # -- shutting down ------------------------------------------------------------------------------------------

    def shutdown(self, timeout: float = 30.0) -> None:
        """Finish the queued work (nothing typed is dropped), then close the case file."""
        QThreadPool.globalInstance().waitForDone(int(timeout * 1000))
        if self._thread is not None and self._queue is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)
        if self._core is not None:
            try:
                self._core.close()
            except Exception:  # closing is best effort at exit
                log.exception("closing the case file failed")
            self._core = None
