"""The About box: what CaseApp is, its version, and what it runs on."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from caseapp.i18n import _
from caseapp.services.environment import version
from ui.icons import app_icon


def about_text() -> str:
    return _(
        "<h3>CaseApp {version}</h3>"
        "<p>Cases, hearings, deadlines and evidence for French administrative litigation.</p>"
        "<p>Free software under the GNU Affero General Public License, version 3 or later.</p>"
        "<p><small>Python {python} · Qt {qt} · PySide6 {pyside}</small></p>"
    ).format(version=version(), python=platform.python_version(), qt=qVersion(), pyside=pyside_version)


def show_about(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("about_box")
    box.setWindowTitle(_("About CaseApp"))
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setText(about_text())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
