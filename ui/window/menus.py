"""The menu bar of the first frame, with every shortcut, and the commands on the open case and its tabs.

The File menu keeps a place for the case's documents and bundles (``documents_anchor``: they insert their entries
before it) and for the backups (before ``recompute_action``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from caseapp.i18n import _
from ui.icons import icon
from ui.shortcuts import keys

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from ui.main_window import MainWindow


class Menus:
    """File, Edit, View, Case and Help (a plain class, like the others on the way to the first paint)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        self.file_menu = self._file_menu(bar.addMenu(_("&File")))
        self._edit_menu(bar.addMenu(_("&Edit")))
        self._view_menu(bar.addMenu(_("&View")))
        self._case_menu(bar.addMenu(_("&Case")))
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(window.new_action(_("About CaseApp"), window.about, icon_name="about", name="about"))

    def _file_menu(self, menu: QMenu) -> QMenu:
        window = self.window
        menu.addAction(window.new_action(_("New case…"), window.new_case, icon_name="add", shortcut="new_case"))
        menu.addAction(window.new_action(_("Load example cases"), window.load_demo, icon_name="demo", name="load_demo"))
        # Printing and PDF documents (case summary, exhibit list, hearing sheet) and bundles insert their actions
        # before this invisible anchor: ``window.file_menu.insertActions(window.documents_anchor, actions)``.
        self.documents_anchor = menu.addSeparator()
        self.documents_anchor.setObjectName("documents_anchor")
        menu.addSeparator()
        # every deadline computed again with this version's rules, after a preview (the backups go before it)
        self.recompute_action = window.new_action(
            _("Recompute deadlines…"), window.recompute_deadlines, icon_name="refresh", name="recompute_deadlines"
        )
        menu.addAction(self.recompute_action)
        menu.addAction(
            window.new_action(_("Settings…"), window.open_settings, icon_name="settings", shortcut="settings")
        )
        menu.addSeparator()
        menu.addAction(window.new_action(_("Quit"), window.close, icon_name="quit", shortcut="quit"))
        return menu

    def _edit_menu(self, menu: QMenu) -> None:
        window = self.window
        undo_stack = window.ctx.undo
        undo = undo_stack.createUndoAction(window, _("Undo"))
        undo.setIcon(icon("undo"))
        undo.setShortcuts(keys("undo"))
        undo.setObjectName("undo")
        redo = undo_stack.createRedoAction(window, _("Redo"))
        redo.setIcon(icon("redo"))
        redo.setShortcuts(keys("redo"))
        redo.setObjectName("redo")
        window.addAction(undo)
        window.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        menu.addAction(undo)
        menu.addAction(redo)
        menu.addSeparator()
        self.record_actions = [
            window.new_action(
                _("Add to this tab…"), lambda: self._tab_call("add"), icon_name="add", shortcut="add_record"
            ),
            window.new_action(
                _("Edit selected…"), lambda: self._tab_call("edit_selected"), icon_name="edit", shortcut="edit_record"
            ),
            window.new_action(
                _("Delete selected"),
                lambda: self._tab_call("delete_selected"),
                icon_name="delete",
                shortcut="delete_record",
            ),
        ]
        for action in self.record_actions:
            menu.addAction(action)
        menu.addSeparator()
        self.edit_case_action = window.new_action(
            _("Edit case…"), lambda: window.case_view.edit_case(), icon_name="edit", shortcut="edit_case"
        )
        self.delete_case_action = window.new_action(
            _("Delete case…"), lambda: window.case_view.delete_case(), icon_name="delete", shortcut="delete_case"
        )
        menu.addAction(self.edit_case_action)
        menu.addAction(self.delete_case_action)

    def _view_menu(self, menu: QMenu) -> None:
        window = self.window
        for text, page in ((_("Agenda"), "agenda"), (_("Cases"), "cases"), (_("Search"), "search")):
            menu.addAction(
                window.new_action(text, partial(window.show_page, page), icon_name=page, shortcut=f"show_{page}")
            )
        menu.addAction(window.new_action(_("Find…"), window.find, icon_name="search", shortcut="find"))
        menu.addSeparator()
        menu.addAction(window.new_action(_("Refresh"), window.refresh, icon_name="refresh", shortcut="refresh"))

    def _case_menu(self, menu: QMenu) -> None:
        window = self.window
        self.case_actions: list[QAction] = []

        def case_action(text: str, tab: str, method: str, icon_name: str, shortcut: str | None) -> None:
            action = window.new_action(
                text,
                lambda: self._case_call(tab, method),
                icon_name=icon_name,
                shortcut=shortcut,
                name=f"case_{tab}_{method}",
            )
            menu.addAction(action)
            self.case_actions.append(action)

        case_action(_("Add party…"), "parties", "add", "party", "add_party")
        case_action(_("Add filing or decision…"), "filings", "add", "filing", "add_filing")
        case_action(_("Add hearing…"), "hearings", "add", "hearing", "add_hearing")
        case_action(_("Add deadline…"), "deadlines", "add", "deadline", "add_deadline")
        menu.addSeparator()
        self.hearing_mode_action = window.new_action(
            _("Hearing mode"), window.hearing_mode, icon_name="hearing", shortcut="hearing_mode"
        )
        menu.addAction(self.hearing_mode_action)
        menu.addSeparator()
        case_action(_("Add files as exhibits…"), "evidence", "pick_files", "evidence", "add_evidence")
        case_action(_("Move exhibit up"), "evidence", "move_up", "up", "move_up")
        case_action(_("Move exhibit down"), "evidence", "move_down", "down", "move_down")
        case_action(_("Open exhibit file"), "evidence", "open_selected", "open", "open_file")
        case_action(_("Verify exhibits"), "evidence", "verify", "verify", "verify_evidence")

    # -- the commands on the open case -----------------------------------------------------------------------------

    def update(self, has_case: bool, page: str) -> None:
        """Enable what applies: the case's commands with a case open, a tab's records on the cases page."""
        for action in (*self.case_actions, self.edit_case_action, self.delete_case_action):
            action.setEnabled(has_case)
        for action in self.record_actions:
            action.setEnabled(has_case and page == "cases")
        self.hearing_mode_action.setEnabled(has_case or page == "agenda")

    def _tab_call(self, method: str) -> None:
        from ui.case_view.base import RecordTab

        window = self.window
        if window.current_page() != "cases":
            return
        tab = window.case_view.tab(window.case_view.current_tab())
        if isinstance(tab, RecordTab):
            getattr(tab, method)()

    def _case_call(self, tab_id: str, method: str) -> None:
        window = self.window
        if window.current_case() is None:
            return
        window.show_page("cases")
        window.case_view.set_tab(tab_id)
        tab = window.case_view.tab(tab_id)
        if method == "move_up":
            tab.move(-1)
        elif method == "move_down":
            tab.move(1)
        else:
            getattr(tab, method)()
