"""Asking for a password or a passphrase from any thread: the question is put to the person on the GUI thread while
the worker that needs the secret waits (``caseapp.secrets.set_prompter``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from caseapp.i18n import _


class SecretPrompter(QObject):
    _asked = Signal(object)

    def __init__(self, window: Any = None) -> None:
        super().__init__()
        self.window = window  # a callable giving the parent window, or None
        self._asked.connect(self._ask_here, Qt.ConnectionType.BlockingQueuedConnection)

    def __call__(self, question: str, confirm: bool) -> str | None:
        request: dict[str, Any] = {"question": question, "confirm": confirm, "answer": None}
        if QThread.currentThread() is self.thread():
            self._ask_here(request)
        else:
            self._asked.emit(request)  # the worker waits until the person has answered
        return request["answer"]  # type: ignore[no-any-return]

    @Slot(object)
    def _ask_here(self, request: dict[str, Any]) -> None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

        parent = self.window() if callable(self.window) else None
        while True:
            first, ok = QInputDialog.getText(parent, _("CaseApp"), request["question"], QLineEdit.EchoMode.Password)
            if not ok:
                return
            if not request["confirm"]:
                request["answer"] = first
                return
            again, ok = QInputDialog.getText(parent, _("CaseApp"), _("Type it again:"), QLineEdit.EchoMode.Password)
            if not ok:
                return
            if again == first:
                request["answer"] = first
                return
            QMessageBox.warning(parent, _("CaseApp"), _("The two entries differ: type it again."))
