"""One way to tell people that something went wrong: a sentence they can act on, the technical details on demand.

``ErrorPresenter.present`` is used by every operation's default failure path; ``install_excepthook`` routes any
exception nobody caught to the same presenter (after logging it), so nothing fails silently and no traceback is
ever the first thing a person sees.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication, QWidget

from caseapp.errors import BundleError, Cancelled, CaseAppError, Conflict, InvalidInput, NotFound, StorageError
from caseapp.i18n import N_, _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger("caseapp.ui")


class Explanation(NamedTuple):
    title: str
    text: str
    details: str
    severity: QMessageBox.Icon


def technical_details(error: BaseException) -> str:
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    extra = getattr(error, "detail", None)
    return (f"{extra}\n\n" if extra else "") + "".join(lines)


BUNDLE_HELP = N_(
    "A case bundle is the single file CaseApp writes when a case is exported (File › Export case bundle…). This "
    "one could not be used: it may be another kind of file given the same name, or a copy cut short or damaged on "
    "the way. Check that it is the file your colleague sent; if it is, ask them to export the case again and to "
    "send the new file another way (a USB key, a shared folder). Nothing was imported."
)


def plain_details(error: CaseAppError) -> str:
    """What "Show details" says about a refused bundle: the error's own detail and what to do — never a traceback
    (the log keeps it)."""
    parts = [str(error.detail)] if getattr(error, "detail", None) else []
    if isinstance(error, BundleError):
        parts.append(_(BUNDLE_HELP))
    return "\n\n".join(parts)


def describe_conflict(error: Conflict, *, deleting: bool) -> tuple[str, str]:
    """(title, text) of the question asked when someone else changed a record: who, and when."""
    from datetime import datetime

    from ui.formatting import short_datetime

    who = error.changed_by or _("someone else")
    when = error.changed_at
    if isinstance(when, datetime):
        text = _("{who} changed this record at {when}, after you opened it.").format(who=who, when=short_datetime(when))
    else:
        text = _("{who} changed this record after you opened it.").format(who=who)
    title = _("Delete a record changed by someone else?") if deleting else _("Changed by someone else")
    return title, text


def explain(error: BaseException) -> Explanation:
    from PySide6.QtWidgets import QMessageBox  # message boxes load when there is something to say

    if isinstance(error, BundleError):  # a file refused for a reason said in words: what to do, not a traceback
        log.debug("%s", technical_details(error))
        details = plain_details(error)
    else:
        details = technical_details(error)
    if isinstance(error, InvalidInput):
        return Explanation(_("Not saved"), error.message, details, QMessageBox.Icon.Warning)
    if isinstance(error, Conflict):
        return Explanation(_("Changed elsewhere"), error.message, details, QMessageBox.Icon.Warning)
    if isinstance(error, NotFound):
        return Explanation(_("Not found"), error.message, details, QMessageBox.Icon.Information)
    if isinstance(error, BundleError):
        return Explanation(_("Case bundle"), error.message, details, QMessageBox.Icon.Warning)
    if isinstance(error, StorageError):
        return Explanation(_("The case file cannot be used"), error.message, details, QMessageBox.Icon.Critical)
    if isinstance(error, CaseAppError):
        return Explanation(_("CaseApp"), error.message, details, QMessageBox.Icon.Warning)
    if isinstance(error, MemoryError):
        text = _("The computer ran out of memory. Close other programs and try again.")
        return Explanation(_("Out of memory"), text, details, QMessageBox.Icon.Critical)
    if isinstance(error, OSError):
        text = _("A file or folder could not be used: {reason}").format(reason=error.strerror or error)
        return Explanation(_("File problem"), text, details, QMessageBox.Icon.Warning)
    text = _(
        "CaseApp ran into an unexpected problem. What you were doing may not have been saved; everything saved "
        "before is safe. The details below help whoever maintains CaseApp."
    )
    return Explanation(_("Something went wrong"), text, details, QMessageBox.Icon.Critical)


class ErrorPresenter(QObject):
    """Shows errors as message boxes. ``history`` keeps what was shown (tests and the log read it)."""

    _from_other_thread = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[BaseException] = []
        self.window: Callable[[], QWidget | None] = lambda: None
        self._open: list[QMessageBox] = []  # a box without a parent window must be kept alive while shown
        self._from_other_thread.connect(self.present)

    def present(self, error: BaseException, parent: QWidget | None = None) -> None:
        if isinstance(error, Cancelled):
            return
        if QThread.currentThread() is not self.thread():
            self._from_other_thread.emit(error)
            return
        self.history.append(error)
        explanation = explain(error)
        if not isinstance(error, CaseAppError):
            log.error("unexpected error:\n%s", explanation.details)
        if QApplication.instance() is None or len(self._open) > 3:
            return  # a storm of errors: the log has them all
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(parent or self.window())
        box.setIcon(explanation.severity)
        box.setWindowTitle(explanation.title)
        box.setText(explanation.text)
        if explanation.details:
            box.setDetailedText(explanation.details)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setObjectName("error_box")
        self._open.append(box)
        box.finished.connect(lambda _result: self._closed(box))
        box.open()

    def _closed(self, box: QMessageBox) -> None:
        if box in self._open:
            self._open.remove(box)
        box.deleteLater()


def install_excepthook(presenter: ErrorPresenter) -> None:
    """Log and show any exception nobody caught instead of losing it or crashing."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        log.error("uncaught exception", exc_info=(kind, error, tb))
        try:
            presenter.present(error)
        except Exception:  # the presenter itself failed: at least keep the traceback on stderr
            previous(kind, error, tb)

    sys.excepthook = hook
