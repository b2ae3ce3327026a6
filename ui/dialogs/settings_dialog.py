"""Preferences: who is working (for the history), where the case file is, and the interface language.

They are saved in the settings file the command line reads too (``caseapp.settings``): the dialog says where.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseapp.i18n import N_, _
from caseapp.services.preferences import server_url_problem, settings_file
from ui import spacing, style
from ui.prompts import Prompts
from ui.settings import Preferences

LANGUAGES = (("system", N_("System language")), ("en", "English"), ("fr", "Français"))


class SettingsDialog(QDialog):
    def __init__(
        self, prefs: Preferences, prompts: Prompts, parent: QWidget | None = None, *, default_author: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(620)
        self._prompts = prompts
        self._initial = prefs
        self.author = QLineEdit(prefs.author_name, self)
        self.author.setObjectName("author_name")
        self.author.setPlaceholderText(default_author)
        self.local = QRadioButton(_("A case file in a folder on this computer"), self)
        self.server = QRadioButton(_("A shared database server (PostgreSQL)"), self)
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        self.folder = QLineEdit(prefs.data_dir, self)
        self.folder.setObjectName("data_dir")
        self.folder.setPlaceholderText(_("the default data folder"))
        browse = QPushButton(_("Choose…"), self)
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        spacing.flush(folder_row)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.url = QLineEdit(prefs.server_url, self)
        self.url.setObjectName("server_url")
        self.url.setPlaceholderText("postgresql+psycopg://user@server/caseapp")
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, name in LANGUAGES:
            self.language.addItem(_(name) if code == "system" else name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        note = QLabel(_("A new data folder or server is used the next time CaseApp starts."), self)
        note.setWordWrap(True)
        style.set_muted_style(note)
        form = QFormLayout()
        form.addRow(_("Your name"), self.author)
        hint = QLabel(_("Shown in the history of every change you make."), self)
        style.set_muted_style(hint)
        form.addRow("", hint)
        form.addRow(_("Case file"), self.local)
        form.addRow(_("Data folder"), folder_row)
        form.addRow("", self.server)
        form.addRow(_("Server address"), self.url)
        form.addRow("", note)
        form.addRow(_("Language"), self.language)
        where = QLabel(_("Saved in {path}, which the caseapp command reads too.").format(path=settings_file()), self)
        where.setObjectName("settings_file")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        style.set_muted_style(where)
        form.addRow("", where)
        from ui.reminders import CalendarSection  # Settings › Reminders and Calendar

        self.calendar = CalendarSection(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # The settings scroll when the screen is too low for them (their wrapped notes need their height: a
        # dialog sized without it squeezed them to one cut line).
        self.content = QWidget(self)
        content_layout = spacing.flush(QVBoxLayout(self.content))
        content_layout.addLayout(form)
        content_layout.addWidget(self.calendar)
        content_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("settings_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.content)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(self.scroll, 1)
        layout.addWidget(buttons)
        self._buttons = buttons
        (self.server if prefs.server_url else self.local).setChecked(True)
        self.local.toggled.connect(self._mode_changed)
        self._mode_changed()

    def showEvent(self, event: QShowEvent) -> None:
        if not event.spontaneous():
            self.fit_height()
        super().showEvent(event)

    def fit_height(self) -> None:
        """As tall as the settings need at this width (wrapped notes included), within 90 % of the screen."""
        margins = self.layout().contentsMargins()
        inner = self.width() - margins.left() - margins.right()
        wanted = (
            self.content.heightForWidth(inner)
            + self._buttons.sizeHint().height()
            + self.layout().spacing()
            + margins.top()
            + margins.bottom()
        )
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            wanted = min(wanted, int(screen.availableGeometry().height() * 0.9))
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def accept(self) -> None:
        """Refuse a server address with a password in it: the password belongs in the keyring, not in a file."""
        problem = server_url_problem(self.url.text().strip()) if self.server.isChecked() else None
        if problem:
            self._prompts.inform(
                self,
                _("Settings"),
                problem
                + " "
                + _(
                    "Leave it out, and give it once with “caseapp db connect” in a terminal: it is kept in the keyring."
                ),
            )
            self.url.setFocus()
            return
        wrong = self.calendar.problem()
        if wrong:
            self._prompts.inform(self, _("Settings"), wrong)
            self.calendar.lead_days.setFocus()
            return
        self.calendar.save()
        super().accept()

    def _mode_changed(self) -> None:
        self.url.setEnabled(self.server.isChecked())

    def _browse(self) -> None:
        folder = self._prompts.choose_folder(self, _("Choose the data folder"), self.folder.text())
        if folder is not None:
            self.folder.setText(str(folder))

    def preferences(self) -> Preferences:
        return Preferences(
            author_name=self.author.text().strip(),
            data_dir=self.folder.text().strip(),
            server_url=self.url.text().strip() if self.server.isChecked() else "",
            language=str(self.language.currentData()),
        )
