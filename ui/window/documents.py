"""The case's documents in the File menu and on the case header: one entry per kind in
``caseapp.services.documents.DOCUMENTS``, in its order, then the Télérecours exhibit set; each opens a print
preview (the Télérecours set, its dialog).

The entries are made right after the first frame, or sooner if something asks for them (the case header, a test):
reading the registry imports ``caseapp.services.documents`` and what it needs (dataclasses, uuid…), some 15 ms
that the first frame does without. Their place in the File menu is kept from the first frame.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from caseapp.i18n import _

if TYPE_CHECKING:
    from caseapp.services.views import CaseDetail
    from ui.main_window import MainWindow


class Documents:
    """The document actions of a window (a plain class, like the others on the way to the first paint)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self._by_key: dict[str, QAction] | None = None
        self._per_hearing: list[QAction] = []
        self._telerecours: QAction | None = None
        # where the entries go, before the bundles' (a separator: a menu shows one of two separators in a row)
        self._place = QAction(window)
        self._place.setSeparator(True)
        window.file_menu.insertAction(window.documents_anchor, self._place)

    @property
    def by_key(self) -> dict[str, QAction]:
        """Each document's action, by its key in ``DOCUMENTS``."""
        self.build()
        assert self._by_key is not None
        return self._by_key

    @property
    def telerecours_action(self) -> QAction:
        self.build()
        assert self._telerecours is not None
        return self._telerecours

    @property
    def actions(self) -> list[QAction]:
        """Every entry, in the menu's order: the documents, then the Télérecours exhibit set."""
        return [*self.by_key.values(), self.telerecours_action]

    def build(self) -> None:
        """Make the entries (once) and put them in the File menu."""
        if self._by_key is not None:
            return
        from caseapp.services.documents import DOCUMENTS

        window = self.window
        self._by_key = {}
        for key, kind in DOCUMENTS.items():
            action = window.new_action(
                _(kind.menu),
                partial(self.open, key),
                icon_name=kind.icon,
                shortcut=kind.shortcut or None,
                name=kind.shortcut or key,
            )
            self._by_key[key] = action
            if kind.per_hearing:
                self._per_hearing.append(action)
        self._telerecours = window.new_action(
            _("Télérecours exhibit set…"), self.telerecours, icon_name="evidence", shortcut="telerecours"
        )
        separator = QAction(window)
        separator.setSeparator(True)
        window.file_menu.insertActions(self._place, [separator, *self.actions])
        self.update(window.current_case())

    def update(self, case: CaseDetail | None) -> None:
        """Enable the entries when a case is open; a hearing's, when the case has hearings."""
        if self._by_key is None:
            return  # not made yet: ``build`` enables them
        for action in self.actions:
            action.setEnabled(case is not None)
        for action in self._per_hearing:
            action.setEnabled(case is not None and bool(case.hearings))

    # -- opening them ----------------------------------------------------------------------------------------------

    def open(self, key: str) -> None:
        """The preview of the open case's document; a hearing's is of the hearing chosen in the hearings tab (or
        else the next, or latest, hearing)."""
        from caseapp.services.documents import DOCUMENTS

        window = self.window
        case = window.current_case()
        if case is None:
            return
        hearing_id = None
        if DOCUMENTS[key].per_hearing:
            hearing = window.case_view.tab("hearings").target_hearing()
            if hearing is None:
                return
            hearing_id = hearing.id
        from ui.documents.preview import open_preview
        from ui.operations.documents import DocumentRequest

        window.preview = open_preview(self.ctx, DocumentRequest(key, case.id, hearing_id=hearing_id), window)

    def telerecours(self) -> None:
        from ui.documents.telerecours import start_export

        case = self.window.current_case()
        if case is not None:
            self.window.dialog = start_export(self.ctx, case.id, self.window)
