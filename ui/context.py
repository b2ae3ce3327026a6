"""The composition root: everything a window needs, built once and passed down (no global singletons)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ui.errors import ErrorPresenter
from ui.events import Events
from ui.prompts import Prompts
from ui.settings import Settings
from ui.tasks import TaskManager

if TYPE_CHECKING:
    from caseapp.services.core import Core


class Location(NamedTuple):
    """Which case file to open: a data folder (None = the default) and maybe a database server."""

    data_dir: Path | None
    url: str | None
    author: str | None

    def describe(self) -> str:
        return self.url or (str(self.data_dir) if self.data_dir else "")


class AppContext:
    """(A plain class, like the few others on the way to the first paint: a dataclass costs a code generation.)"""

    def __init__(
        self,
        *,
        settings: Settings,
        errors: ErrorPresenter,
        tasks: TaskManager,
        events: Events,
        undo: QUndoStack,
        prompts: Prompts,
        location: Location,
    ) -> None:
        self.settings = settings
        self.errors = errors
        self.tasks = tasks
        self.events = events
        self.undo = undo
        self.prompts = prompts
        self.location = location
        self.versions: dict[object, int] = {}  # record id -> last version seen (see ui.undo)

    @property
    def core(self) -> Core:
        return self.tasks.core

    def window(self) -> QWidget | None:
        return self.errors.window()

    def close(self) -> None:
        self.tasks.shutdown()


def location_from(settings: Settings, env: dict[str, str]) -> Location:
    """Environment variables win over the settings (they are set for one run on purpose)."""
    prefs = settings.preferences()
    folder = env.get("CASEAPP_DATA_DIR") or prefs.data_dir
    url = env.get("CASEAPP_DB_URL") or prefs.server_url
    author = env.get("CASEAPP_AUTHOR") or prefs.author_name
    return Location(Path(folder).expanduser() if folder else None, url or None, author or None)


def opener(location: Location) -> Callable[[], Core]:
    def open_it() -> Core:
        from caseapp.services.core import open_core  # heavy (SQLAlchemy, Alembic): loaded on the worker

        # The first opening of the day copies the case file to backups/ (a backup that cannot be written only
        # warns: reading must still work).
        core = open_core(data_dir=location.data_dir, url=location.url, author=location.author, daily_backup=True)
        # The start's objects (Qt's wrappers, SQLAlchemy, the models) are set aside from the garbage collector
        # now, before the agenda's rows are read, not only once the first screens are filled (``settle``): each
        # collection while those rows are built would walk all of them again.
        import gc

        gc.freeze()
        return core

    return open_it


_warmed_up = threading.Event()


def warm_up_date_parser() -> None:
    """The first natural-language date costs a library import (~0.5 s): a screen with a date to type calls this
    when it opens, and the import runs in a background thread while the person reads the screen (once)."""
    if _warmed_up.is_set():
        return
    _warmed_up.set()

    def work() -> None:
        try:
            from caseapp.services.dates import parse_when

            parse_when("demain")
        except Exception:  # only a warm-up
            pass

    threading.Thread(target=work, name="caseapp-warm-up", daemon=True).start()


def settle(ctx: AppContext) -> None:
    """Once the case file is open and the first screens have their data (the worker is idle), set aside the
    objects of the start (modules, widgets, Qt wrappers) from Python's garbage collector. They live as long as
    the window; left in its oldest generation, each full collection walks all of them again, and one lands now
    and then in the middle of opening a big case (a pause of 50–150 ms). Objects freed later are still freed;
    only reference cycles among these would stay, and they are meant to stay anyway."""
    from PySide6.QtCore import QTimer

    timer = QTimer(ctx.tasks)
    timer.setInterval(200)

    def check() -> None:
        if ctx.tasks.ready and ctx.tasks.idle:
            timer.stop()
            timer.deleteLater()
            import gc

            gc.collect()
            gc.freeze()

    timer.timeout.connect(check)
    timer.start()


def new_context(
    settings: Settings, location: Location, *, prompts: Prompts | None = None, open_now: bool = True
) -> AppContext:
    """The context; the case file opens on the worker now, or when ``open_case_file`` is called (after the first
    paint, so the database libraries load while the window is already on screen)."""
    errors = ErrorPresenter()
    tasks = TaskManager(default_failure=lambda exc: errors.present(exc))
    ctx = AppContext(
        settings=settings,
        errors=errors,
        tasks=tasks,
        events=Events(),
        undo=QUndoStack(),
        prompts=prompts or Prompts(),
        location=location,
    )
    if open_now:
        open_case_file(ctx)
    return ctx


def open_case_file(ctx: AppContext) -> None:
    ctx.tasks.open_core(opener(ctx.location))
