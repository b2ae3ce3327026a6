"""``uv run caseapp`` with no sub-command: build the application, open the case file, show the main window.

The window paints first; the case file (and the database libraries) open on the worker thread right after, and the
screens fill in when it is ready. A case file that cannot be opened is explained in a dialog, never a traceback.
``CASEAPP_SMOKE_QUIT_MS`` makes the application quit by itself after that many milliseconds (packaging smoke tests).

One CaseApp per data folder: a second one started on the same folder hands its arguments to the first (which comes
to the front) and exits (``ui.single_instance``; ``CASEAPP_SINGLE_INSTANCE=0`` turns that off). A
``.casebundle`` path among the arguments opens that file's import preview, in the CaseApp already running on the
data folder if there is one.
"""

from __future__ import annotations

import gc

# The imports below (Qt's bindings, then the window's modules) make some 15,000 objects the cyclic collector
# tracks (73,000 allocations), all of them living as long as the application, and no garbage; the collector, left
# on, goes through them again and again while they are made: 15-20 ms of a first frame of about 250. It is paused
# for them, and left as it was found.
_COLLECTING = gc.isenabled()
gc.disable()
try:
    import contextlib
    import logging
    import os
    import sys
    from pathlib import Path
    from typing import TYPE_CHECKING, Any

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.module_scan import read_sources_plainly

    read_sources_plainly()  # before the window's modules and SQLAlchemy's: PySide6 reads each one's source

    from caseapp.i18n import _
    from ui import first_paint
    from ui.context import Location, location_from, new_context, open_case_file, settle
    from ui.errors import install_excepthook
    from ui.first_paint import after_first_paint
    from ui.i18n import QtTranslations, choose_language
    from ui.icons import app_icon
    from ui.settings import Settings
    from ui.shell import Shell
finally:
    if _COLLECTING:
        gc.enable()

if TYPE_CHECKING:
    from ui.instance_lock import InstanceLock


def _setup_logging(data_dir: Path | None) -> None:
    """The log goes to the data folder, owner-only, rotated, scrubbed of SQL parameters and record text
    (``caseapp.logs``). The log of older versions, which could hold them, is removed."""
    from caseapp.services import environment

    try:
        environment.install_log_file(data_dir or environment.data_dir())
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        logging.getLogger("caseapp").addHandler(handler)
    with contextlib.suppress(Exception):
        from platformdirs import user_log_dir

        old = Path(user_log_dir("CaseApp", appauthor=False)) / "caseapp-ui.log"
        if old.is_file() and not old.is_symlink():
            old.unlink()


def _go_on_anyway(where: str) -> bool:
    """Another CaseApp holds this data folder but does not answer: say so, and let the person decide."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, _("CaseApp is already open"), "", QMessageBox.StandardButton.NoButton)
    box.setText(
        _(
            "Another CaseApp seems to be open on this data folder ({where}) but does not answer. It may be busy, "
            "or stuck."
        ).format(where=where or _("the default data folder"))
    )
    box.setInformativeText(
        _(
            "Two CaseApps writing to the same case file at once can get in each other's way. Wait for the other "
            "one and quit, or continue if you are sure it is no longer working."
        )
    )
    go_on = box.addButton(_("Continue anyway"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is go_on


class _OpenedFiles(QObject):
    """macOS hands a double-clicked document to the running application as a FileOpen event, not on the
    command line: pass it on like a command-line argument. Installed on macOS only: an application-wide filter
    sees every event of every widget, which costs Python calls (and Qt types made on the fly) all day long."""

    def __init__(self, app: QApplication, shell: Shell) -> None:
        super().__init__(app)
        self._shell = shell
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and self._shell.window is not None:
            path = event.file()  # type: ignore[attr-defined]
            if path:
                self._shell.window.handle_arguments([path])
                return True
        return False


def _claim_folder(location: Location, arguments: list[str]) -> tuple[bool, InstanceLock | None, Any]:
    """Become the CaseApp of this data folder, or hand the arguments to the one that is.

    Returns (go on?, the lock held, a server already listening). The lock file answers at once in the usual
    case; the socket (and Qt's network module) is only needed when another CaseApp holds it, or where no lock
    can be taken.
    """
    from ui.instance_lock import LockState, try_lock

    folder = location.data_dir
    if folder is None:
        from caseapp.services.environment import data_dir

        folder = data_dir()
    state, lock = try_lock(folder)
    if state is LockState.ACQUIRED:
        return True, lock, None
    from ui import single_instance

    name = single_instance.server_name(location.data_dir)
    if state is LockState.TAKEN:
        outcome = single_instance.hand_over(name, arguments)
        server = None
    else:
        outcome, server = single_instance.claim(name, arguments)
    if outcome == single_instance.FORWARDED:
        return False, None, None  # the CaseApp already open on this data folder took over
    if outcome == single_instance.SILENT and not _go_on_anyway(location.describe()):
        return False, None, None
    return True, None, server


def _listen(location: Location, shell: Shell, app: QApplication) -> Any:
    """The first CaseApp on the folder opens its socket for later ones (after the window has painted)."""
    from ui import single_instance

    server = single_instance.InstanceServer(single_instance.server_name(location.data_dir), app)
    if not server.listen():
        logging.getLogger("caseapp.ui").warning("cannot listen for other CaseApps on this data folder")
    _receive(server, shell)
    return server


def _receive(server: Any, shell: Shell) -> None:
    server.arguments_received.connect(lambda args: shell.window.handle_arguments(args) if shell.window else None)


def run(argv: list[str]) -> int:
    """Start the desktop application; returns the exit code. ``argv``: the command line after the program name
    (a ``.casebundle`` path in it opens that bundle's import preview)."""
    from caseapp.services.environment import secure_process

    secure_process()  # everything written from now on (database, backups, documents, logs) is owner-only
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("CaseApp")
    app.setOrganizationName("CaseApp")
    app.setApplicationDisplayName("CaseApp")
    app.setDesktopFileName("fr.caseapp.CaseApp")  # the desktop entry's id (packaging/linux)
    app.setWindowIcon(app_icon())
    settings = Settings.open()
    translations = QtTranslations()
    translations.apply(app, choose_language(settings.preferences().language))
    location = location_from(settings, dict(os.environ))
    arguments = [arg for arg in argv if not arg.startswith("-")]
    lock: InstanceLock | None = None
    servers: list[Any] = []
    if os.environ.get("CASEAPP_SINGLE_INSTANCE", "1") != "0":
        go_on, lock, server = _claim_folder(location, arguments)
        if not go_on:
            return 0
        if server is not None:
            server.setParent(app)
            servers.append(server)
    ctx = new_context(settings, location, open_now=False)
    install_excepthook(ctx.errors)
    shell = Shell(app, ctx, translations)
    window = shell.start()
    for server in servers:
        _receive(server, shell)
    if sys.platform == "darwin":  # before the event loop: the file that launched the app comes as an event
        _OpenedFiles(app, shell)
    if any(arg.lower().endswith(".casebundle") for arg in arguments):
        window.handle_arguments(arguments)

    def after_page_painted() -> None:
        _setup_logging(location.data_dir)
        from caseapp.services.environment import set_prompter
        from ui.secret_prompt import SecretPrompter

        prompter = SecretPrompter(lambda: shell.window)  # before the case file opens: a server may ask a password
        prompter.setParent(app)
        set_prompter(prompter)
        open_case_file(ctx)
        from ui.reminders import Reminders  # notifications of what is due, the team's calendar kept in step

        Reminders(ctx, app).start()
        if lock is not None:
            servers.append(_listen(location, shell, app))
        settle(ctx)

    # The first frame is the window; the page it opens on is built right after it (``MainWindow.finish_start``).
    # Everything else waits until that page has painted (with the agenda the last start kept, if still true): the
    # log file, the password prompter, the socket for other CaseApps and the reminders import modules (~0.1 s),
    # and the worker's opening of the case file (SQLAlchemy's import) holds the interpreter, all of which would
    # otherwise come between the window and the agenda's rows.
    def page_painted() -> None:  # a turn later: what was queued while the page painted comes first
        QTimer.singleShot(0, after_page_painted)

    after_first_paint(window, lambda: first_paint.after_first_paint(window, page_painted))
    smoke = os.environ.get("CASEAPP_SMOKE_QUIT_MS")
    if smoke:
        with contextlib.suppress(ValueError):
            QTimer.singleShot(max(0, int(smoke)), app.quit)
    try:
        code = app.exec()
    finally:
        for server in servers:
            server.close()  # the next CaseApp on this folder is the first again
        if lock is not None:
            lock.release()
        if shell.window is not None:
            shell.window.save_state()
        ctx.close()
    return int(code)
