"""Pickers for the core's closed vocabularies and for records of a case."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QWidget

from caseapp.domain.enums import LabelledEnum
from caseapp.i18n import current_language


class EnumCombo(QComboBox):
    """Shows labels in the interface language; ``value()`` is the stored value (or None for the empty choice)."""

    def __init__(
        self,
        enum_cls: type[LabelledEnum],
        *,
        empty: str | None = None,
        parent: QWidget | None = None,
        only: Iterable[LabelledEnum] | None = None,
    ) -> None:
        super().__init__(parent)
        if empty is not None:
            self.addItem(empty, None)
        lang = current_language()
        for member in only or enum_cls:
            self.addItem(member.label(lang), member.value)

    def value(self) -> str | None:
        data = self.currentData()
        return str(data) if data is not None else None

    def set_value(self, value: str | LabelledEnum | None) -> None:
        stored = getattr(value, "value", value)
        index = self.findData(stored)
        if index < 0 and stored is None:
            index = 0
        if index >= 0:
            self.setCurrentIndex(index)


class RecordCombo(QComboBox):
    """Chooses one of a few records (a party of the case, a filing…) by its identifier."""

    def __init__(self, *, empty: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty = empty

    def set_choices(self, choices: Iterable[tuple[uuid.UUID, str]], selected: uuid.UUID | None = None) -> None:
        self.clear()
        if self._empty is not None:
            self.addItem(self._empty, None)
        for record_id, text in choices:
            self.addItem(text, record_id)
        self.set_value(selected)

    def value(self) -> uuid.UUID | None:
        data = self.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def set_value(self, value: uuid.UUID | None) -> None:
        for index in range(self.count()):
            if self.itemData(index) == value:
                self.setCurrentIndex(index)
                return
        if self.count():
            self.setCurrentIndex(0)
