"""Progress of long work: a Qt-free object the worker updates, and a dialog that appears only if the work is slow.

The worker calls ``progress(done, total)`` and asks ``progress.cancelled()``; the GUI polls the object every
100 ms and shows a dialog with Cancel after 600 ms (quick work never flashes a dialog).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from caseapp.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog, QWidget

POLL_MS = 100
SHOW_AFTER_MS = 600


class Progress:
    """Shared between the worker (writes) and the GUI thread (reads); no Qt in here."""

    def __init__(self, label: str = "") -> None:
        self.done = 0
        self.total = 0
        self.label = label
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class ProgressWatcher(QObject):
    """Shows a progress dialog for one piece of work if it takes longer than ``SHOW_AFTER_MS``."""

    def __init__(self, progress: Progress, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.progress = progress
        self._parent = parent
        self._dialog: QProgressDialog | None = None
        self._elapsed = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _poll(self) -> None:
        self._elapsed += POLL_MS
        if self._dialog is None and self._elapsed >= SHOW_AFTER_MS:
            from PySide6.QtWidgets import QProgressDialog

            dialog = QProgressDialog(self.progress.label, _("Cancel"), 0, 1000, self._parent)
            dialog.setObjectName("progress_dialog")
            dialog.setWindowTitle(_("Please wait"))
            from PySide6.QtCore import Qt  # not at the top: this module is on the way to the first paint

            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setMinimumDuration(0)
            dialog.canceled.connect(self.progress.cancel)
            dialog.show()
            self._dialog = dialog
        if self._dialog is not None:
            if self._dialog.wasCanceled():  # Escape, or the window closed
                self.progress.cancel()
            total = self.progress.total
            if total > 0:
                self._dialog.setMaximum(1000)
                self._dialog.setValue(min(1000, int(self.progress.done * 1000 / total)))
            else:
                self._dialog.setMaximum(0)  # busy indicator
            if self.progress.label:
                self._dialog.setLabelText(self.progress.label)

    def finish(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.progress.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self.deleteLater()
