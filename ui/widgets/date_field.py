"""A date field that takes what people say ("demain 14h", "3 mars", "in two weeks") and shows, as they type,
what it understood — or why it did not. A field that cannot be understood blocks the save with that reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language
from caseapp.services.dates import ParsedWhen, Want, parse_when
from ui import spacing, style
from ui.context import warm_up_date_parser
from ui.formatting import editable_date, editable_datetime

CHECK = "✓"
CROSS = "✗"


class DateField(QWidget):
    """``value()`` gives a ``date``, an aware ``datetime`` (Paris) or None; it raises ``InvalidInput`` naming
    ``name`` when the text cannot be taken."""

    value_did_change = Signal()

    def __init__(
        self,
        name: str,
        want: Want,
        *,
        required: bool = False,
        parent: QWidget | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        warm_up_date_parser()  # the parser's library loads while the person reads the form
        self.name = name
        self.want: Want = want
        self.required = required
        self._now = now
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{name}_edit")
        self.edit.setPlaceholderText(self._example())
        self.echo = QLabel(self)
        self.echo.setObjectName(f"{name}_echo")
        self.echo.setWordWrap(True)
        self.echo.setFont(style.small_font(self))
        # the echo's line is always there, empty or not: the fields below never move as it appears
        self.echo.setMinimumHeight(self.echo.fontMetrics().lineSpacing())
        layout = spacing.tight(QVBoxLayout(self))
        layout.addWidget(self.edit)
        layout.addWidget(self.echo)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._refresh)
        self._error_shown = False
        self._refresh()

    def _example(self) -> str:
        if self.want == "datetime":
            return _("e.g. demain 14h, mardi prochain 9h30, 03/03/2026 14:30")
        if self.want == "date":
            return _("e.g. 3 mars, dans deux semaines, 27/02/2026")
        return _("e.g. 3 mars, demain 14h, 27/02/2026")

    # -- value --------------------------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def set_value(self, value: date | datetime | None) -> None:
        if value is None:
            self.edit.clear()
        elif isinstance(value, datetime):
            self.edit.setText(editable_datetime(value))
        else:
            self.edit.setText(editable_date(value))

    def parsed(self) -> ParsedWhen | None:
        """What the text means, None when empty; raises InvalidInput (with ``field``) when it means nothing."""
        text = self.edit.text().strip()
        if not text:
            if self.required:
                raise InvalidInput(_("This date is required."), field=self.name)
            return None
        now = self._now() if self._now else None
        try:
            return parse_when(text, now=now, want=self.want)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field=self.name) from exc

    def value(self) -> date | datetime | None:
        parsed = self.parsed()
        return parsed.value if parsed is not None else None

    def is_valid(self) -> bool:
        try:
            self.parsed()
        except InvalidInput:
            return False
        return True

    # -- echo ---------------------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._error_shown = False
        text = self.edit.text().strip()
        if not text:
            self.echo.setText(_("Required.") if self.required else "")
            style.set_muted_style(self.echo)
            self.value_did_change.emit()
            return
        try:
            parsed = self.parsed()
        except InvalidInput as exc:
            self.echo.setText(f"{CROSS} {exc.message}")
            style.set_error_style(self.echo)
        else:
            assert parsed is not None
            self.echo.setText(f"{CHECK} {parsed.echo(current_language())}")
            style.set_muted_style(self.echo)
        self.value_did_change.emit()

    def show_error(self, message: str | None) -> None:
        """Used by forms: a refused date is explained right under the field, in place of the echo."""
        if message is None:
            if self._error_shown:
                self._refresh()
            return
        self._error_shown = True
        self.echo.setText(f"{CROSS} {message}")
        style.set_error_style(self.echo)
