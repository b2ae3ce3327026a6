"""Reminders while the window is open, and the team's calendar kept in step — plus their section of Settings.

``Reminders`` looks, when the case file opens and then every few minutes, for what is due
(``services.reminders.take_pending``: a hearing tomorrow, a deadline at a lead time, an overdue one, and the day's
digest at the first start of the day; nothing during the quiet hours) and shows it with Qt's tray icon, the
system's own notifications on Linux, Windows and macOS. Each reminder is given once — the record is shared with
``caseapp remind --notify`` and survives restarts. Clicking the notification opens the case. The clock is injected
(tests move it; nothing sleeps).

When a calendar is connected, the same timer syncs it: what CaseApp says is read on the database worker, the server
is talked to on a pool thread (``services.calendar_sync.prepare`` / ``push``). Changes people made directly in the
shared calendar are shown once as a notification; a server that is down is only logged and tried again next time.

``CalendarSection`` is the Reminders and Calendar part of the Settings dialog: reminders on or off, lead times,
quiet hours; the CalDAV address, user and password (connected on a pool thread; the password goes to the keyring).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSystemTrayIcon,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from caseapp.errors import CaseAppError
from caseapp.i18n import _, ngettext
from ui import style

if TYPE_CHECKING:
    from caseapp.services.calendar_sync import Prepared, SyncReport
    from caseapp.services.core import Core
    from caseapp.services.reminders import Pending, Reminder
    from ui.context import AppContext

log = logging.getLogger("caseapp.ui.reminders")

CHECK_EVERY_MS = 5 * 60 * 1000
SHOWN_MS = 15_000
Clock = Callable[[], datetime]


def paris_now() -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Paris"))


class Reminders(QObject):
    """The window's reminders and calendar sync (one per application)."""

    reminders_did_show = Signal(object)  # the Pending shown
    check_did_finish = Signal()  # a look for what is due is over (whatever it found)
    calendar_did_sync = Signal(object)  # a SyncReport
    calendar_did_fail = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        parent: QObject | None = None,
        *,
        clock: Clock = paris_now,
        interval_ms: int = CHECK_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clock = clock
        self.tray = QSystemTrayIcon(self)
        from ui.icons import app_icon

        self.tray.setIcon(app_icon())
        self.tray.setToolTip("CaseApp")
        self.tray.messageClicked.connect(self.open_clicked)
        self.clicked_case: uuid.UUID | None = None  # the case the last notification is about
        self.shown: list[tuple[str, str]] = []  # (title, text) of every notification shown, for the tests
        self._busy = False
        self._reported_edits: set[tuple[str, str, str]] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """Check now if the case file is open (or as soon as it is), then every few minutes."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
        if self.ctx.tasks.ready:
            self.check()
        else:
            self.ctx.tasks.core_did_open.connect(self.check)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.tray.hide()

    # -- reminders ------------------------------------------------------------------------------------------------

    def check(self) -> None:
        if self._busy or not self.ctx.tasks.ready:
            return
        self._busy = True
        now = self.clock()

        def work(core: Core) -> tuple[Pending, Prepared | None]:
            from caseapp.services import calendar_sync, reminders

            pending = reminders.take_pending(core, now=now)
            prepared = calendar_sync.prepare(core) if calendar_sync.account(core.data_dir) is not None else None
            return pending, prepared

        self.ctx.tasks.run(work, on_success=self._checked, on_failure=self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        log.warning("reminders: %s", error)
        self.check_did_finish.emit()

    def _checked(self, result: tuple[Pending, Prepared | None]) -> None:
        self._busy = False
        pending, prepared = result
        if not pending.empty:
            self.show_pending(pending)
        if prepared is not None:
            self._sync(prepared)
        self.check_did_finish.emit()

    def show_pending(self, pending: Pending) -> None:
        messages: list[tuple[str, str]] = []
        if pending.digest is not None:
            messages.append((_("CaseApp — this week"), pending.digest.text))
        items = list(pending.reminders)
        if len(items) == 1:
            messages.append((_("CaseApp reminder"), items[0].text))
        elif items:
            title = ngettext("{count} reminder", "{count} reminders", len(items)).format(count=len(items))
            messages.append((title, "\n".join(r.text for r in items[:6]) + ("\n…" if len(items) > 6 else "")))
        first: Reminder | None = items[0] if items else None
        self.clicked_case = first.case_id if first is not None else self.clicked_case
        for title, text in messages:
            self.notify(title, text)
        self.reminders_did_show.emit(pending)

    def notify(self, title: str, text: str) -> None:
        self.shown.append((title, text))
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, SHOWN_MS)

    def open_clicked(self) -> None:
        """The notification was clicked: open its case."""
        if self.clicked_case is not None:
            self.ctx.events.case_open_requested.emit(self.clicked_case, "overview", None)
            window = self.ctx.window()
            if window is not None:
                window.raise_()
                window.activateWindow()

    # -- the team's calendar -----------------------------------------------------------------------------------------

    def _sync(self, prepared: Prepared) -> None:
        def work() -> SyncReport:
            from caseapp.services import calendar_sync

            return calendar_sync.push(prepared)

        self.ctx.tasks.run_in_pool(work, on_success=self._synced, on_failure=self._sync_failed, owner=self)

    def _synced(self, report: SyncReport) -> None:
        self.calendar_did_sync.emit(report)
        fresh = {(e.what, e.uid, e.calendar) for e in report.edits} - self._reported_edits
        self._reported_edits |= fresh
        if fresh:
            edits = [e for e in report.edits if (e.what, e.uid, e.calendar) in fresh]
            lines = [e.calendar or e.caseapp for e in edits]
            self.notify(
                ngettext(
                    "{count} event changed directly in the shared calendar",
                    "{count} events changed directly in the shared calendar",
                    len(edits),
                ).format(count=len(edits)),
                "\n".join(lines[:5])
                + "\n"
                + _("CaseApp did not apply them: change the cases here, or run “caseapp calendar repair”."),
            )

    def _sync_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, CaseAppError) else str(error)
        log.warning("calendar sync: %s", message)
        self.calendar_did_fail.emit(message)


# --- Settings › Reminders and Calendar -------------------------------------------------------------------------------


class CalendarSection(QWidget):
    """Reminders (on/off, lead times, quiet hours) and the CalDAV calendar, in the Settings dialog."""

    calendar_did_change = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from caseapp.services import calendar_sync, environment, reminders

        self._folder = environment.data_dir()
        saved = reminders.ReminderSettings.load(self._folder)
        self.enabled = QCheckBox(_("Remind me of hearings and deadlines"), self)
        self.enabled.setObjectName("reminders_enabled")
        self.enabled.setChecked(saved.enabled)
        self.lead_days = QLineEdit(", ".join(str(d) for d in saved.lead_days), self)
        self.lead_days.setObjectName("reminder_days")
        self.lead_days.setToolTip(_("Days before a deadline, 0 for the day itself"))
        self.quiet = QCheckBox(_("Quiet hours from"), self)
        self.quiet.setObjectName("quiet_hours")
        self.quiet_from = QTimeEdit(self)
        self.quiet_to = QTimeEdit(self)
        for edit in (self.quiet_from, self.quiet_to):
            edit.setDisplayFormat("HH:mm")
        start, end = saved.quiet or (None, None)
        self.quiet.setChecked(saved.quiet is not None)
        self.quiet_from.setTime(QTime(start.hour, start.minute) if start else QTime(20, 0))
        self.quiet_to.setTime(QTime(end.hour, end.minute) if end else QTime(8, 0))
        quiet_row = QHBoxLayout()
        quiet_row.setContentsMargins(0, 0, 0, 0)
        quiet_row.addWidget(self.quiet)
        quiet_row.addWidget(self.quiet_from)
        quiet_row.addWidget(QLabel(_("to"), self))
        quiet_row.addWidget(self.quiet_to)
        quiet_row.addStretch(1)
        reminders_box = QGroupBox(_("Reminders"), self)
        form = QFormLayout(reminders_box)
        form.addRow("", self.enabled)
        form.addRow(_("Days before a deadline"), self.lead_days)
        form.addRow("", quiet_row)

        acct = calendar_sync.account(self._folder)
        self.url = QLineEdit(acct.url if acct else "", self)
        self.url.setObjectName("calendar_url")
        self.url.setPlaceholderText("https://cloud.example.org/remote.php/dav/calendars/user/affaires/")
        self.user = QLineEdit(acct.user if acct else "", self)
        self.user.setObjectName("calendar_user")
        self.password = QLineEdit(self)
        self.password.setObjectName("calendar_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("kept in the keyring"))
        self.connect_button = QPushButton(_("Connect"), self)
        self.connect_button.setObjectName("calendar_connect")
        self.connect_button.clicked.connect(self.connect_calendar)
        self.disconnect_button = QPushButton(_("Disconnect"), self)
        self.disconnect_button.setObjectName("calendar_disconnect")
        self.disconnect_button.clicked.connect(self.disconnect_calendar)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.disconnect_button)
        buttons.addStretch(1)
        self.status = QLabel(self)
        self.status.setObjectName("calendar_status")
        self.status.setWordWrap(True)
        style.set_muted_style(self.status)
        calendar_box = QGroupBox(_("Team calendar (CalDAV)"), self)
        calendar_form = QFormLayout(calendar_box)
        calendar_form.addRow(_("Calendar address"), self.url)
        calendar_form.addRow(_("User"), self.user)
        calendar_form.addRow(_("Password"), self.password)
        calendar_form.addRow("", buttons)
        calendar_form.addRow("", self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(reminders_box)
        layout.addWidget(calendar_box)
        self._show_status()
        self._worker: Any = None

    def _show_status(self) -> None:
        from caseapp.services import calendar_sync

        found = calendar_sync.status(self._folder)
        self.disconnect_button.setEnabled(bool(found["connected"]))
        if not found["connected"]:
            self.status.setText(
                _(
                    "Not connected. The hearings and open deadlines of every case are published to the calendar, "
                    "kept in step every few minutes while CaseApp is open and by “caseapp calendar sync”."
                )
            )
            return
        when = found["last_sync"] or _("never")
        self.status.setText(_("Connected to {url}. Last sync: {when}.").format(url=found["url"], when=when))

    def problem(self) -> str | None:
        """What is typed wrong (lead times, quiet hours), or None."""
        from caseapp.services import reminders

        try:
            reminders.parse_lead_days(self.lead_days.text())
        except CaseAppError as exc:
            return exc.message
        return None

    def save(self) -> None:
        """Save the reminders' settings (the calendar is saved when connected)."""
        from datetime import time

        from caseapp.services import reminders

        quiet = None
        if self.quiet.isChecked():
            start, end = self.quiet_from.time(), self.quiet_to.time()
            quiet = (time(start.hour(), start.minute()), time(end.hour(), end.minute()))
        reminders.ReminderSettings(
            enabled=self.enabled.isChecked(), lead_days=reminders.parse_lead_days(self.lead_days.text()), quiet=quiet
        ).save(self._folder)

    def connect_calendar(self) -> None:
        """Check the address, user and password on the server (on a thread), then remember them."""
        from caseapp.services import calendar_sync

        url, user, password = self.url.text().strip(), self.user.text().strip(), self.password.text()
        folder = self._folder
        self.connect_button.setEnabled(False)
        self.status.setText(_("Connecting…"))

        def work() -> Any:
            return calendar_sync.connect(folder, url, user, password)

        self._worker = _Thread(work, self)
        self._worker.did_finish.connect(self._connected)
        self._worker.start()

    def _connected(self, result: object) -> None:
        self.connect_button.setEnabled(True)
        if isinstance(result, BaseException):
            self.status.setText(result.message if isinstance(result, CaseAppError) else str(result))
            return
        self.password.clear()
        self._show_status()
        kept = getattr(result, "password_kept", True)
        if not kept:
            self.status.setText(self.status.text() + " " + getattr(result, "secrets_message", ""))
        self.calendar_did_change.emit()

    def disconnect_calendar(self) -> None:
        from caseapp.services import calendar_sync

        calendar_sync.disconnect(self._folder)
        self.url.clear()
        self.user.clear()
        self._show_status()
        self.calendar_did_change.emit()


class _Thread(QObject):
    """One piece of work with no database (talking to the calendar server) on a Python thread; its result, or the
    exception it raised, comes back by a queued signal."""

    did_finish = Signal(object)

    def __init__(self, work: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.thread: Any = None

    def start(self) -> None:
        import threading

        def run() -> None:
            try:
                result: object = self._work()
            except BaseException as exc:  # handed to the GUI thread, never lost
                result = exc
            self.did_finish.emit(result)

        self.thread = threading.Thread(target=run, name="caseapp-calendar", daemon=True)
        self.thread.start()
