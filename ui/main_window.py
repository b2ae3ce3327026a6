"""The main window: a sidebar (Agenda, Cases, Search), the pages, the menus with every shortcut, and the window's
remembered state."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from caseapp.i18n import _
from ui import spacing
from ui.actions import make_action
from ui.agenda import AgendaPage
from ui.case_list import CaseListPanel
from ui.case_view.base import RecordTab
from ui.case_view.view import CaseView
from ui.context import AppContext
from ui.dialogs.about import show_about
from ui.icons import app_icon, icon
from ui.operations import cases as case_ops
from ui.search import SearchPage
from ui.shortcuts import keys

if TYPE_CHECKING:
    from ui.shell import Shell

PAGES = ("agenda", "cases", "search")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, shell: Shell | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.ctx = ctx
        self.shell = shell
        self.setWindowTitle("CaseApp")
        self.setWindowIcon(app_icon())
        self.hearing_window: QWidget | None = None
        self._default_split = False
        self.agenda = AgendaPage(ctx, self)
        self.case_list = CaseListPanel(ctx, self)
        self.case_view = CaseView(ctx, self)
        self.search = SearchPage(ctx, self)
        self.cases_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.cases_splitter.setObjectName("cases_splitter")
        self.cases_splitter.addWidget(self.case_list)
        self.cases_splitter.addWidget(self.case_view)
        self.cases_splitter.setStretchFactor(0, 2)
        self.cases_splitter.setStretchFactor(1, 3)
        self.cases_splitter.setChildrenCollapsible(False)
        cases_page = QWidget(self)
        spacing.page(QHBoxLayout(cases_page)).addWidget(self.cases_splitter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.agenda)
        self.stack.addWidget(cases_page)
        self.stack.addWidget(self.search)
        self.sidebar = self._sidebar()
        central = QWidget(self)
        layout = spacing.flush(QHBoxLayout(central), 0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.location_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.location_label)
        self._build_menus()
        self.case_list.case_selected.connect(lambda case_id: self.case_view.show_case(case_id))
        self.case_view.case_did_load.connect(self._case_loaded)
        self.case_view.case_did_close.connect(self._update_case_actions)
        self.agenda.demo_button.clicked.connect(self.load_demo)
        self.agenda.new_case_button.clicked.connect(self.new_case)
        self.agenda.hearing_mode_requested.connect(self._hearing_mode_from_agenda)
        ctx.events.case_open_requested.connect(self.open_case)
        ctx.tasks.core_did_open.connect(self._core_opened)
        ctx.errors.window = lambda: self
        self._restore_state()
        self._update_case_actions()
        if ctx.tasks.ready:
            self._core_opened()
        else:
            self.statusBar().showMessage(_("Opening the case file…"))

    # -- building -----------------------------------------------------------------------------------------------

    def _sidebar(self) -> QListWidget:
        sidebar = QListWidget(self)
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(spacing.SIDEBAR_WIDTH)
        sidebar.setIconSize(QSize(22, 22))
        sidebar.setSpacing(2)
        sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        for name, text, icon_name in (
            ("agenda", _("Agenda"), "agenda"),
            ("cases", _("Cases"), "cases"),
            ("search", _("Search"), "search"),
        ):
            item = QListWidgetItem(icon(icon_name), text, sidebar)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setSizeHint(QSize(spacing.SIDEBAR_WIDTH - 8, 40))
        sidebar.currentRowChanged.connect(self._page_chosen)
        return sidebar

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        icon_name: str | None = None,
        shortcut: str | None = None,
        name: str | None = None,
    ) -> QAction:
        action = make_action(self, text, slot, icon=icon_name, shortcut=shortcut, name=name or shortcut)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addAction(self._action(_("New case…"), self.new_case, icon_name="add", shortcut="new_case"))
        file_menu.addAction(self._action(_("Load example cases"), self.load_demo, icon_name="demo", name="load_demo"))
        # Printing and PDF documents (case summary, exhibit list, hearing sheet) insert their actions before this
        # invisible anchor: ``window.file_menu.insertActions(window.documents_anchor, actions)``.
        self.documents_anchor = file_menu.addSeparator()
        self.documents_anchor.setObjectName("documents_anchor")
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("Settings…"), self.open_settings, icon_name="settings", shortcut="settings"))
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("Quit"), self.close, icon_name="quit", shortcut="quit"))
        self.file_menu = file_menu

        edit_menu = bar.addMenu(_("&Edit"))
        undo = self.ctx.undo.createUndoAction(self, _("Undo"))
        undo.setIcon(icon("undo"))
        undo.setShortcuts(keys("undo"))
        undo.setObjectName("undo")
        redo = self.ctx.undo.createRedoAction(self, _("Redo"))
        redo.setIcon(icon("redo"))
        redo.setShortcuts(keys("redo"))
        redo.setObjectName("redo")
        self.addAction(undo)
        self.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self.record_actions = [
            self._action(_("Add to this tab…"), lambda: self._tab_call("add"), icon_name="add", shortcut="add_record"),
            self._action(
                _("Edit selected…"), lambda: self._tab_call("edit_selected"), icon_name="edit", shortcut="edit_record"
            ),
            self._action(
                _("Delete selected"),
                lambda: self._tab_call("delete_selected"),
                icon_name="delete",
                shortcut="delete_record",
            ),
        ]
        for action in self.record_actions:
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        self.edit_case_action = self._action(
            _("Edit case…"), self.case_view.edit_case, icon_name="edit", shortcut="edit_case"
        )
        self.delete_case_action = self._action(
            _("Delete case…"), self.case_view.delete_case, icon_name="delete", shortcut="delete_case"
        )
        edit_menu.addAction(self.edit_case_action)
        edit_menu.addAction(self.delete_case_action)

        view_menu = bar.addMenu(_("&View"))
        view_menu.addAction(
            self._action(_("Agenda"), lambda: self.show_page("agenda"), icon_name="agenda", shortcut="show_agenda")
        )
        view_menu.addAction(
            self._action(_("Cases"), lambda: self.show_page("cases"), icon_name="cases", shortcut="show_cases")
        )
        view_menu.addAction(
            self._action(_("Search"), lambda: self.show_page("search"), icon_name="search", shortcut="show_search")
        )
        view_menu.addAction(self._action(_("Find…"), self.find, icon_name="search", shortcut="find"))
        view_menu.addSeparator()
        view_menu.addAction(self._action(_("Refresh"), self.refresh, icon_name="refresh", shortcut="refresh"))

        case_menu = bar.addMenu(_("&Case"))
        self.case_actions: list[QAction] = []

        def case_action(text: str, tab: str, method: str, icon_name: str, shortcut: str | None) -> None:
            action = self._action(
                text,
                lambda: self._case_call(tab, method),
                icon_name=icon_name,
                shortcut=shortcut,
                name=f"case_{tab}_{method}",
            )
            case_menu.addAction(action)
            self.case_actions.append(action)

        case_action(_("Add party…"), "parties", "add", "party", "add_party")
        case_action(_("Add filing or decision…"), "filings", "add", "filing", "add_filing")
        case_action(_("Add hearing…"), "hearings", "add", "hearing", "add_hearing")
        case_action(_("Add deadline…"), "deadlines", "add", "deadline", "add_deadline")
        case_menu.addSeparator()
        self.hearing_mode_action = self._action(
            _("Hearing mode"), self.hearing_mode, icon_name="hearing", shortcut="hearing_mode"
        )
        case_menu.addAction(self.hearing_mode_action)
        case_menu.addSeparator()
        case_action(_("Add files as exhibits…"), "evidence", "pick_files", "evidence", "add_evidence")
        case_action(_("Move exhibit up"), "evidence", "move_up", "up", "move_up")
        case_action(_("Move exhibit down"), "evidence", "move_down", "down", "move_down")
        case_action(_("Open exhibit file"), "evidence", "open_selected", "open", "open_file")
        case_action(_("Verify exhibits"), "evidence", "verify", "verify", "verify_evidence")

        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self._action(_("About CaseApp"), lambda: show_about(self), icon_name="about", name="about"))

    # -- pages and cases ----------------------------------------------------------------------------------------

    def show_page(self, name: str) -> None:
        self.sidebar.setCurrentRow(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[max(0, self.stack.currentIndex())]

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.ctx.settings.last_page = PAGES[row]
        if PAGES[row] == "search":
            self.search.focus_field()
        self._update_case_actions()

    def open_case(self, case_id: uuid.UUID, tab: str = "overview", record_id: uuid.UUID | None = None) -> None:
        self.show_page("cases")
        self.case_list.select_case(case_id)
        self.case_view.show_case(case_id, tab, record_id)

    def _case_loaded(self, case: Any) -> None:
        self.case_list.select_case(case.id)
        self.ctx.settings.last_case_id = str(case.id)
        self._update_case_actions()

    def _update_case_actions(self) -> None:
        has_case = self.case_view.case is not None
        on_cases = self.current_page() == "cases"
        for action in (*self.case_actions, self.edit_case_action, self.delete_case_action):
            action.setEnabled(has_case)
        for action in self.record_actions:
            action.setEnabled(has_case and on_cases)
        self.hearing_mode_action.setEnabled(has_case or self.current_page() == "agenda")

    def _tab_call(self, method: str) -> None:
        if self.current_page() != "cases":
            return
        tab = self.case_view.tab(self.case_view.current_tab())
        if isinstance(tab, RecordTab):
            getattr(tab, method)()

    def _case_call(self, tab_id: str, method: str) -> None:
        if self.case_view.case is None:
            return
        self.show_page("cases")
        self.case_view.set_tab(tab_id)
        tab = self.case_view.tab(tab_id)
        if method == "move_up":
            tab.move(-1)
        elif method == "move_down":
            tab.move(1)
        else:
            getattr(tab, method)()

    def hearing_mode(self) -> None:
        if self.current_page() == "agenda":
            item = self.agenda.items.selected()
            if item is not None and item.kind == "hearing":
                self._hearing_mode_from_agenda(item)
            return
        if self.case_view.case is None:
            return
        tab = self.case_view.tab("hearings")
        tab.open_hearing_mode()
        self.hearing_window = tab.hearing_window

    def _hearing_mode_from_agenda(self, item: Any) -> None:
        from ui.hearing_mode import HearingModeWindow

        window = HearingModeWindow(self.ctx, item.case_id, item.case_title or "", item.hearing, self)
        self.hearing_window = window
        window.show_and_focus()

    def find(self) -> None:
        self.show_page("search")
        self.search.focus_field()

    def refresh(self) -> None:
        self.agenda.refresh()
        self.case_list.model.reload()
        self.case_view.reload()

    def new_case(self) -> None:
        self.show_page("cases")
        self.case_list.new_case()

    def load_demo(self) -> None:
        self.statusBar().showMessage(_("Loading the example cases…"))
        case_ops.load_demo(self.ctx, parent=self, on_success=self._demo_loaded)

    def _demo_loaded(self, report: Any) -> None:
        total = getattr(report, "total", 0)
        if total:
            self.statusBar().showMessage(_("Example cases loaded ({count} records).").format(count=total), 8000)
        else:
            self.statusBar().showMessage(_("The example cases were already there."), 8000)
        self.show_page("cases")
        self.case_list.open_first()

    def open_settings(self) -> None:
        if self.shell is not None:
            self.shell.open_settings(self)

    # -- start and state ----------------------------------------------------------------------------------------

    def _core_opened(self) -> None:
        self.statusBar().clearMessage()
        core = self.ctx.core
        self.location_label.setText(
            _("Case file: {where} · Working as {author}").format(
                where=self.ctx.location.url or str(core.data_dir), author=core.author
            )
        )
        self.case_list.start()
        self.agenda.refresh()
        last = self.ctx.settings.last_case_id
        if last:
            try:
                case_id = uuid.UUID(last)
            except ValueError:
                return
            self.case_view.show_case(case_id, self.ctx.settings.last_tab)

    def _restore_state(self) -> None:
        settings = self.ctx.settings
        geometry = settings.geometry("main")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(1360, int(screen.width() * 0.94)), min(860, int(screen.height() * 0.92)))
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)
        for splitter in (
            self.cases_splitter,
            self.agenda.splitter,
            self.case_view.tab("hearings").splitter,
            self.case_view.tab("access").splitter,
        ):
            saved = settings.splitter(splitter.objectName())
            restored = saved is not None and splitter.restoreState(saved)
            if not restored and splitter is self.cases_splitter:
                self._default_split = True
        self.show_page(settings.last_page if settings.last_page in PAGES else "agenda")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._default_split:  # first start: give the list room once the window has its real size
            self._default_split = False
            QTimer.singleShot(0, lambda: self.cases_splitter.setSizes([300, max(600, self.width() - 300)]))

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.set_geometry("main", self.saveGeometry())
        settings.set_window_state(self.saveState())
        for splitter in (
            self.cases_splitter,
            self.agenda.splitter,
            self.case_view.tab("hearings").splitter,
            self.case_view.tab("access").splitter,
        ):
            settings.set_splitter(splitter.objectName(), splitter.saveState())
        settings.last_page = self.current_page()
        if self.case_view.case is not None:
            settings.last_case_id = str(self.case_view.case.id)
            settings.last_tab = self.case_view.current_tab()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)


def menu_entries(menu: QMenu) -> list[tuple[str, str]]:
    """(text, shortcut) of each action of a menu, as shown (tests and documentation read them)."""
    return [(a.text(), a.shortcut().toString()) for a in menu.actions() if not a.isSeparator()]
