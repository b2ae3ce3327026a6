"""The conflicts of a bundle import, for a person to decide field by field.

A record changed both here and in the bundle since the two last exchanged it (``caseapp.bundle.fieldmerge``) comes
with one choice per field that both sides changed: the field's value here, in the bundle and before both changes,
each in full — long texts side by side with their differences marked word by word — and "Keep mine" (the default)
or "Take theirs". Under each record, the fields the import takes from the bundle without asking and those it keeps
as here, so that nothing changes unseen. Conflicts about a whole record (deleted on one side, two exhibits wanting
one number) keep one choice for the record.

Whatever is chosen, the value not chosen stays in the case's history (a "merge" event), from which it can be
restored; the panel says so.
"""

from __future__ import annotations

import difflib
import html
import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from caseapp.i18n import _
from caseapp.services.editing import field_label
from ui import spacing, style
from ui.formatting import DASH, short_date, short_datetime

KEEP_MINE, TAKE_THEIRS = "mine", "theirs"  # caseapp.bundle.merge's choices
DELETED_HERE, DELETED_THERE, NUMBER = "deleted_here", "deleted_there", "number"  # caseapp.bundle.merge's reasons
LONG = 80  # longer than this (or on several lines): shown in full in a text box, differences marked
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOKENS = re.compile(r"\s+|\S+")


# -- values, as people read them ----------------------------------------------------------------------------------


def _moment(text: str) -> datetime | None:
    if len(text) < 19 or text[4:5] != "-" or text[10:11] != "T":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def shown(value: Any) -> str:
    """A JSON value of a record, in full, as a person reads it: moments in Paris time, dates in the interface's
    form, truth values as Yes/No, lists joined with commas, nothing as a dash."""
    if value is None or value == "" or value == []:
        return DASH
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, str):
        moment = _moment(value)
        if moment is not None:
            return short_datetime(moment)
        if _DATE.fullmatch(value):
            try:
                return short_date(date.fromisoformat(value))
            except ValueError:
                return value
        return value
    return str(value)


def is_long(text: str) -> bool:
    return len(text) > LONG or "\n" in text


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def labels(names: Iterable[str]) -> str:
    return ", ".join(field_label(name) for name in names)


# -- differences, word by word ------------------------------------------------------------------------------------


def _hex(colour: QColor) -> str:
    return str(colour.name())


def _styles() -> tuple[str, str]:
    """How words only here and words only in the bundle are marked: struck out in red, underlined in green (with a
    light tint behind them), in colours that read on the light and dark palettes alike."""
    palette = QGuiApplication.palette()
    dark = style.is_dark(palette)
    removed = (
        f"color:{_hex(style.error_colour(palette))}; text-decoration:line-through; "
        f"background-color:{_hex(QColor.fromHsl(3, 160, 55 if dark else 232))}"
    )
    added = (
        f"color:{_hex(QColor.fromHsl(130, 150, 160 if dark else 70))}; text-decoration:underline; "
        f"background-color:{_hex(QColor.fromHsl(130, 110, 45 if dark else 228))}"
    )
    return removed, added


def marked(mine: str, theirs: str) -> tuple[str, str]:
    """The two texts in HTML, in full: in ``mine`` the words the bundle lacks (struck out), in ``theirs`` the words
    it adds (underlined); the rest as it is."""
    removed, added = _styles()
    a, b = _TOKENS.findall(mine), _TOKENS.findall(theirs)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in _readable(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), a, b):
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(html.escape(old))
            right.append(html.escape(new))
            continue
        left.append(_marked(old, removed))
        right.append(_marked(new, added))
    return _page("".join(left)), _page("".join(right))


def _marked(text: str, shape: str) -> str:
    """``text`` in a span of that style, the spaces around it left out of the mark."""
    words = text.strip()
    if not words:
        return html.escape(text)
    start = text.index(words)
    return (
        html.escape(text[:start])
        + f'<span style="{shape}">{html.escape(words)}</span>'
        + html.escape(text[start + len(words) :])
    )


Opcode = tuple[str, int, int, int, int]


def _words(tokens: list[str]) -> int:
    return sum(1 for token in tokens if not token.isspace())


def _readable(opcodes: list[Opcode], a: list[str], b: list[str]) -> list[Opcode]:
    """The differences in runs a person reads: a word or two in common between two longer changes (a "le" that
    two different added sentences happen to share, the space between two changed words) joins the change around
    it instead of cutting it up."""
    merged: list[Opcode] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal" and 0 < index < len(opcodes) - 1:
            common = _words(a[i1:i2])
            before, after = opcodes[index - 1], opcodes[index + 1]
            around = min(
                max(_words(a[before[1] : before[2]]), _words(b[before[3] : before[4]])),
                max(_words(a[after[1] : after[2]]), _words(b[after[3] : after[4]])),
            )
            if common <= 2 and common < around:
                op = "replace"
        if merged and op != "equal" and merged[-1][0] != "equal":
            _op, k1, _k2, l1, _l2 = merged[-1]
            merged[-1] = ("replace", k1, i2, l1, j2)
        else:
            merged.append((op, i1, i2, j1, j2))
    return merged


def _page(body: str) -> str:
    return f'<div style="white-space:pre-wrap">{body}</div>'


def plain_page(text: str) -> str:
    return _page(html.escape(text))


# -- widgets ------------------------------------------------------------------------------------------------------


class TextBox(QTextBrowser):
    """A long value, in full, read only: as tall as its text up to ``TALLEST`` (then it scrolls; never cut)."""

    resized = Signal()
    TALLEST = 260
    LOWEST = 44

    def __init__(self, page: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setHtml(page)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.LOWEST)

    def wanted(self) -> int:
        """The height that shows the whole text at the present width, without a scroll bar."""
        frame = 2 * self.frameWidth()
        document = self.document().clone(self)
        document.setTextWidth(self.width() - frame)
        height = math.ceil(document.size().height()) + frame + 1
        document.deleteLater()
        return height

    def fit(self, height: int) -> None:
        """This height, a scroll bar only when the text needs more (a text that fits never gets one)."""
        needed = self.wanted() > height
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if needed else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.resized.emit()


def _label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def _muted(text: str, parent: QWidget) -> QLabel:
    label = _label(text, parent)
    style.set_muted_style(label)
    return label


class _Choice(QWidget):
    """Two radio buttons: keep mine (checked at first) or take theirs."""

    def __init__(self, mine: str, theirs: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mine = QRadioButton(mine, self)
        self.mine.setObjectName("keep_mine")
        self.theirs = QRadioButton(theirs, self)
        self.theirs.setObjectName("take_theirs")
        self.group = QButtonGroup(self)
        self.group.addButton(self.mine)
        self.group.addButton(self.theirs)
        self.mine.setChecked(True)
        row = spacing.flush(QHBoxLayout(self), spacing.SECTION)
        row.addWidget(self.mine)
        row.addWidget(self.theirs)
        row.addStretch(1)

    def value(self) -> str:
        return TAKE_THEIRS if self.theirs.isChecked() else KEEP_MINE

    def set_value(self, choice: str) -> None:
        (self.theirs if choice == TAKE_THEIRS else self.mine).setChecked(True)


class FieldChoice(QFrame):
    """One field changed on both sides: its label, the choice, and the three values in full."""

    def __init__(self, change: Any, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record_id = change.record_id
        self.name = name
        self.setObjectName(f"conflict_{change.record_id}_{name}")
        self.mine_text = shown(change.mine.get(name))
        self.theirs_text = shown(change.theirs.get(name))
        self.base_known = name in change.base
        self.base_text = shown(change.base[name]) if self.base_known else _("unknown (not in the history you share)")
        self.long = is_long(self.mine_text) or is_long(self.theirs_text)

        title = QLabel(capitalised(field_label(name)), self)
        title.setObjectName("conflict_field")
        title.setFont(style.scaled_font(title, 1.0, bold=True))
        self.choice = _Choice(_("Keep mine"), _("Take theirs"), self)
        self.choice.setObjectName(f"conflict_{change.record_id}_{name}_choice")
        for button in (self.choice.mine, self.choice.theirs):  # read aloud with the field it is for
            button.setAccessibleName(f"{button.text()} — {field_label(name)}")
        self.choice.group.buttonToggled.connect(lambda *_args: self._show_choice())
        head = spacing.flush(QHBoxLayout())
        head.addWidget(title, 1)
        head.addWidget(self.choice, 0)

        self.captions = [
            QLabel(_("Here (yours)"), self),
            QLabel(_("In the bundle (theirs)"), self),
            QLabel(_("Before both changes"), self),
        ]
        self.boxes: list[TextBox] = []
        if self.long:
            if DASH in (self.mine_text, self.theirs_text):  # one side empty: nothing to compare word by word
                mine_page, theirs_page = plain_page(self.mine_text), plain_page(self.theirs_text)
            else:
                mine_page, theirs_page = marked(self.mine_text, self.theirs_text)
            values: list[QWidget] = [self._box(mine_page), self._box(theirs_page)]
            if self.base_known and is_long(self.base_text):
                values.append(self._box(plain_page(self.base_text)))
            else:
                values.append(self._base_label())
        else:
            values = [_label(self.mine_text, self), _label(self.theirs_text, self), self._base_label()]
        values[0].setObjectName("conflict_mine")
        values[1].setObjectName("conflict_theirs")
        values[2].setObjectName("conflict_base")
        self.values = values
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(spacing.SECTION)
        grid.setVerticalSpacing(spacing.TIGHT)
        for column, (caption, value) in enumerate(zip(self.captions, values, strict=True)):
            style.set_muted_style(caption)
            grid.addWidget(caption, 0, column)
            grid.addWidget(value, 1, column, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(column, 1)

        layout = spacing.tight(QVBoxLayout(self))
        layout.setContentsMargins(0, spacing.TIGHT, 0, spacing.TIGHT)
        layout.addLayout(head)
        layout.addLayout(grid)
        if self.long:
            legend = _muted(
                _("Struck out in red: words only here. Underlined in green: words only in the bundle."), self
            )
            legend.setFont(style.small_font(legend))
            layout.addWidget(legend)
        self._show_choice()

    def _box(self, page: str) -> TextBox:
        box = TextBox(page, self)
        box.resized.connect(self._fit)
        self.boxes.append(box)
        return box

    def _base_label(self) -> QLabel:
        label = _label(self.base_text, self)
        if not self.base_known:
            font = label.font()
            font.setItalic(True)
            label.setFont(font)
            style.set_muted_style(label)
        return label

    def _fit(self) -> None:
        """The text boxes of the row share one height: the tallest text's, within bounds."""
        height = max(TextBox.LOWEST, min(TextBox.TALLEST, max(box.wanted() for box in self.boxes)))
        for box in self.boxes:
            box.fit(height)

    def _show_choice(self) -> None:
        kept = 0 if self.choice.value() == KEEP_MINE else 1
        for index, caption in enumerate(self.captions[:2]):
            font = caption.font()
            font.setBold(index == kept)
            caption.setFont(font)

    def value(self) -> str:
        return self.choice.value()

    def set_value(self, choice: str) -> None:
        self.choice.set_value(choice)

    def shown_texts(self) -> dict[str, str]:
        """What each column shows, as plain text (tests read them)."""
        found = {}
        for key, widget in zip(("mine", "theirs", "base"), self.values, strict=True):
            found[key] = widget.toPlainText() if isinstance(widget, QTextBrowser) else str(widget.property("text"))
        return found


class RecordChoice(QWidget):
    """A conflict about a whole record: what differs, if anything, and one choice for the record."""

    def __init__(self, change: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record_id = change.record_id
        self.setObjectName(f"conflict_{change.record_id}")
        if change.reason == DELETED_HERE:
            mine, theirs = _("Keep it deleted"), _("Restore it from the bundle")
        elif change.reason == DELETED_THERE:
            mine, theirs = _("Keep it"), _("Delete it, as in the bundle")
        elif change.reason == NUMBER:
            number = change.theirs.get("number")
            mine = _("Keep n° {number} for the exhibit here").format(number=number)
            theirs = _("Give n° {number} to the bundle's exhibit").format(number=number)
        else:
            mine, theirs = _("Keep mine"), _("Take theirs")
        self.choice = _Choice(mine, theirs, self)
        layout = spacing.tight(QVBoxLayout(self))
        names = [name for name in change.fields if name in change.mine or name in change.theirs]
        if change.reason == NUMBER:
            names = []  # the same number on both sides: the choice says what each answer does
        if names:
            grid = QGridLayout()
            grid.setHorizontalSpacing(spacing.SECTION)
            for column, text in enumerate((_("Here (yours)"), _("In the bundle (theirs)")), start=1):
                caption = _muted(text, self)
                grid.addWidget(caption, 0, column)
                grid.setColumnStretch(column, 1)
            for row, name in enumerate(names, start=1):
                grid.addWidget(_label(capitalised(field_label(name)), self), row, 0)
                grid.addWidget(_label(shown(change.mine.get(name)), self), row, 1)
                grid.addWidget(_label(shown(change.theirs.get(name)), self), row, 2)
            layout.addLayout(grid)
        layout.addWidget(self.choice)

    def value(self) -> str:
        return self.choice.value()

    def set_value(self, choice: str) -> None:
        self.choice.set_value(choice)


class RecordConflict(QFrame):
    """One record in conflict: what it is and why, its choices, and what the import does of its other fields."""

    def __init__(self, change: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.record_id = change.record_id
        heading = _label(
            _("{kind}: {description}").format(kind=capitalised(change.label), description=change.description), self
        )
        heading.setFont(style.scaled_font(heading, 1.0, bold=True))
        layout = spacing.page(QVBoxLayout(self))
        layout.setSpacing(spacing.SPACING)
        layout.addWidget(heading)
        if change.explanation:
            layout.addWidget(_muted(capitalised(change.explanation) + ".", self))
        self.fields: list[FieldChoice] = []
        self.record: RecordChoice | None = None
        if change.merges:
            for name in change.conflicting:
                if self.fields:
                    line = QFrame(self)
                    line.setFrameShape(QFrame.Shape.HLine)
                    line.setFrameShadow(QFrame.Shadow.Sunken)
                    layout.addWidget(line)
                field = FieldChoice(change, name, self)
                self.fields.append(field)
                layout.addWidget(field)
        else:
            self.record = RecordChoice(change, self)
            layout.addWidget(self.record)
        automatic = []
        if change.taken:
            automatic.append(_("Also taken from the bundle: {fields}.").format(fields=labels(change.taken)))
        if change.kept:
            automatic.append(_("Kept as here: {fields}.").format(fields=labels(change.kept)))
        self.automatic = _label(" ".join(automatic), self)
        self.automatic.setObjectName("conflict_automatic")
        self.automatic.setVisible(bool(automatic))
        layout.addWidget(self.automatic)


class ConflictsPanel(QWidget):
    """Every conflict of an import, with its choices; ``chosen()`` is what the import is given."""

    def __init__(self, conflicts: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_conflicts")
        self.records = [RecordConflict(change, self) for change in conflicts]
        self.fields = {(field.record_id, field.name): field for record in self.records for field in record.fields}
        self.whole = {record.record_id: record.record for record in self.records if record.record is not None}

        heading = _label(
            _("Conflicts ({count}): choose, for each, the value to keep.").format(count=self.count),
            self,
        )
        heading.setObjectName("conflicts_heading")
        heading.setFont(style.scaled_font(heading, 1.0, bold=True))
        inner = QWidget(self)
        column = spacing.flush(QVBoxLayout(inner))
        for record in self.records:
            record.setParent(inner)
            column.addWidget(record)
        column.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("conflicts_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(inner)

        self.note = _label(
            _(
                "Whatever you choose, the value you do not choose is kept in the case's history, from where it can "
                "be restored."
            ),
            self,
        )
        self.note.setObjectName("conflicts_note")
        self.keep_all = QPushButton(_("Keep all mine"), self)
        self.keep_all.setObjectName("conflicts_keep_all")
        self.keep_all.clicked.connect(lambda: self.set_all(KEEP_MINE))
        self.take_all = QPushButton(_("Take all theirs"), self)
        self.take_all.setObjectName("conflicts_take_all")
        self.take_all.clicked.connect(lambda: self.set_all(TAKE_THEIRS))
        bottom = spacing.flush(QHBoxLayout())
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.keep_all, 0, Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.take_all, 0, Qt.AlignmentFlag.AlignTop)

        layout = spacing.flush(QVBoxLayout(self))
        layout.setContentsMargins(0, spacing.SPACING, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)

    @property
    def count(self) -> int:
        """How many choices there are to make: one per field in conflict, one per record decided as a whole."""
        return len(self.fields) + len(self.whole)

    def chosen(self) -> dict[Any, str]:
        """Per field ``{(record_id, field): choice}``, per record ``{record_id: choice}``."""
        found: dict[Any, str] = {key: field.value() for key, field in self.fields.items()}
        found.update({record_id: record.value() for record_id, record in self.whole.items()})
        return found

    def set_choice(self, record_id: Any, choice: str, name: str | None = None) -> None:
        """One field's choice, or (without ``name``) every choice of the record."""
        if name is not None:
            self.fields[(record_id, name)].set_value(choice)
            return
        for (owner, _name), field in self.fields.items():
            if owner == record_id:
                field.set_value(choice)
        if record_id in self.whole:
            self.whole[record_id].set_value(choice)

    def set_all(self, choice: str) -> None:
        for field in self.fields.values():
            field.set_value(choice)
        for record in self.whole.values():
            record.set_value(choice)
