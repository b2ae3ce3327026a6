"""Qt item models over the core's read models (plain frozen dataclasses; never anything live)."""

from PySide6.QtCore import Qt

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a plain value the sort proxy compares
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2  # the read model behind the row
ID_ROLE = Qt.ItemDataRole.UserRole + 3  # the record's identifier
