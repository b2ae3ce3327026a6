"""The main window: a sidebar (Agenda, Cases, Search), the pages, the menus with every shortcut, and the window's
remembered state.

Start-up is in two stages (``ui.first_paint``). The first frame has the window itself: sidebar, menus with every
shortcut, status line. The page it opens on is built right after that frame has painted, and every other page the
first time it is shown (or asked for), each with its modules; documents, bundles and dialogs are imported when first
used. Nothing on the way to the first frame imports ``Qt`` (the namespace): touching it makes 93 Python enums at once,
about 40 ms, as long as the rest of that frame together. ``tests/ui/test_app.py`` checks it stays so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QShowEvent
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
from ui.context import AppContext
from ui.first_paint import after_first_paint
from ui.icons import app_icon, icon
from ui.shortcuts import keys

if TYPE_CHECKING:
    import uuid

    from ui.agenda import AgendaPage
    from ui.case_list import CaseListPanel
    from ui.case_view.view import CaseView
    from ui.search import SearchPage
    from ui.shell import Shell

PAGES = ("agenda", "cases", "search")


def bundle_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.name.lower().endswith(".casebundle")]


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, shell: Shell | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.ctx = ctx
        self.shell = shell
        self.setWindowTitle("CaseApp")
        self.setWindowIcon(app_icon())
        self.hearing_window: QWidget | None = None
        self.preview: QWidget | None = None  # the last print preview opened
        self.dialog: QWidget | None = None  # the last document or bundle dialog opened
        self.bundle_import: Any = None  # the last import started (ui.bundles.import_dialog.BundleImport)
        self._default_split = False
        self._core_ready = False
        self._started = False  # the first frame has painted and the current page is built
        self._agenda: AgendaPage | None = None
        self._case_list: CaseListPanel | None = None
        self._case_view: CaseView | None = None
        self._cases_splitter: QSplitter | None = None
        self._search: SearchPage | None = None
        self.stack = QStackedWidget(self)
        self._slots: dict[str, QWidget] = {}
        for name in PAGES:  # an empty slot per page; the page goes in when first shown
            slot = QWidget(self.stack)
            slot.setObjectName(f"{name}_slot")
            spacing.flush(QHBoxLayout(slot), 0)
            self._slots[name] = slot
            self.stack.addWidget(slot)
        self.sidebar = self._sidebar()
        central = QWidget(self)
        layout = spacing.flush(QHBoxLayout(central), 0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.location_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.location_label)
        self._build_menus()
        self.setAcceptDrops(True)
        ctx.events.case_open_requested.connect(self.open_case)
        ctx.tasks.core_did_open.connect(self._core_opened)
        ctx.errors.window = lambda: self
        self._restore_state()
        self._update_case_actions()
        if ctx.tasks.ready:
            self._core_opened()
        else:
            self.statusBar().showMessage(_("Opening the case file…"))
        after_first_paint(self, self.finish_start)

    def finish_start(self) -> None:
        """The second stage: build the page the window opened on (called once the first frame is on screen)."""
        if not self._started:
            self._started = True
            self._page_chosen(self.sidebar.currentRow())

    # -- pages, built when first needed --------------------------------------------------------------------------

    @property
    def agenda(self) -> AgendaPage:
        if self._agenda is None:
            from ui.agenda import AgendaPage

            page = AgendaPage(self.ctx, self._slots["agenda"])
            self._slots["agenda"].layout().addWidget(page)
            page.demo_button.clicked.connect(self.load_demo)
            page.new_case_button.clicked.connect(self.new_case)
            page.hearing_mode_requested.connect(self._hearing_mode_from_agenda)
            self._agenda = page
            self._restore_splitter(page.splitter)
            if self._core_ready:
                page.refresh()
        return self._agenda

    def _build_cases(self) -> None:
        from PySide6.QtCore import Qt

        from ui.case_list import CaseListPanel
        from ui.case_view.view import CaseView

        slot = self._slots["cases"]
        self._case_list = CaseListPanel(self.ctx, slot)
        self._case_view = CaseView(self.ctx, slot)
        splitter = QSplitter(Qt.Orientation.Horizontal, slot)
        splitter.setObjectName("cases_splitter")
        splitter.addWidget(self._case_list)
        splitter.addWidget(self._case_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self._cases_splitter = splitter
        spacing.page(slot.layout()).addWidget(splitter)
        if not self._restore_splitter(splitter):
            self._default_split = True
            if self.isVisible():
                QTimer.singleShot(0, self._split_cases)
        self._case_list.case_selected.connect(lambda case_id: self.case_view.show_case(case_id))
        self._case_view.case_did_load.connect(self._case_loaded)
        self._case_view.case_did_close.connect(self._update_case_actions)
        self._case_view.header.set_actions(self.document_actions, self.export_bundle_action)
        if self._core_ready:
            self._start_cases()

    @property
    def case_list(self) -> CaseListPanel:
        if self._case_list is None:
            self._build_cases()
        assert self._case_list is not None
        return self._case_list

    @property
    def case_view(self) -> CaseView:
        if self._case_view is None:
            self._build_cases()
        assert self._case_view is not None
        return self._case_view

    @property
    def cases_splitter(self) -> QSplitter:
        if self._cases_splitter is None:
            self._build_cases()
        assert self._cases_splitter is not None
        return self._cases_splitter

    @property
    def search(self) -> SearchPage:
        if self._search is None:
            from ui.search import SearchPage

            self._search = SearchPage(self.ctx, self._slots["search"])
            self._slots["search"].layout().addWidget(self._search)
        return self._search

    def _page(self, name: str) -> QWidget:
        if name == "agenda":
            return self.agenda
        if name == "cases":
            return self.cases_splitter
        return self.search

    def _current_case(self) -> Any:
        return self._case_view.case if self._case_view is not None else None

    # -- building -----------------------------------------------------------------------------------------------

    def _sidebar(self) -> QListWidget:
        sidebar = QListWidget(self)
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(spacing.SIDEBAR_WIDTH)
        sidebar.setIconSize(QSize(22, 22))
        sidebar.setSpacing(2)
        sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        for text, icon_name in ((_("Agenda"), "agenda"), (_("Cases"), "cases"), (_("Search"), "search")):  # PAGES
            item = QListWidgetItem(icon(icon_name), text, sidebar)
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
        # every deadline computed again with this version's rules, after a preview
        self.recompute_action = self._action(
            _("Recompute deadlines…"), self.recompute_deadlines, icon_name="refresh", name="recompute_deadlines"
        )
        file_menu.addAction(self.recompute_action)
        file_menu.addAction(self._action(_("Settings…"), self.open_settings, icon_name="settings", shortcut="settings"))
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("Quit"), self.close, icon_name="quit", shortcut="quit"))
        self.file_menu = file_menu
        self._build_document_actions()
        from ui.safekeeping import Safekeeping

        self.safekeeping = Safekeeping(self, self.ctx)

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
            _("Edit case…"), lambda: self.case_view.edit_case(), icon_name="edit", shortcut="edit_case"
        )
        self.delete_case_action = self._action(
            _("Delete case…"), lambda: self.case_view.delete_case(), icon_name="delete", shortcut="delete_case"
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
        help_menu.addAction(self._action(_("About CaseApp"), self.about, icon_name="about", name="about"))

    def _build_document_actions(self) -> None:
        """Documents and bundles, in the File menu before ``documents_anchor`` (and on the case header)."""
        self.summary_action = self._action(
            _("Case summary…"), self.case_summary, icon_name="document", shortcut="case_summary"
        )
        self.bordereau_action = self._action(
            _("Exhibit list (bordereau)…"), self.bordereau, icon_name="document", shortcut="bordereau"
        )
        self.telerecours_action = self._action(
            _("Télérecours exhibit set…"), self.telerecours, icon_name="evidence", shortcut="telerecours"
        )
        self.hearing_sheet_action = self._action(
            _("Hearing sheet…"), self.hearing_sheet, icon_name="hearing", shortcut="hearing_sheet"
        )
        self.document_actions = [
            self.summary_action,
            self.bordereau_action,
            self.telerecours_action,
            self.hearing_sheet_action,
        ]
        self.export_bundle_action = self._action(
            _("Export case bundle…"), self.export_bundle, icon_name="bundle_export", shortcut="export_bundle"
        )
        self.import_bundle_action = self._action(
            _("Import case bundle…"), self.import_bundle, icon_name="bundle_import", shortcut="import_bundle"
        )
        self.keys_action = self._action(_("Bundle keys…"), self.open_keys, icon_name="key", name="bundle_keys")
        entries: list[QAction] = []
        for group in (self.document_actions, [self.export_bundle_action, self.import_bundle_action, self.keys_action]):
            separator = QAction(self)
            separator.setSeparator(True)
            entries += [separator, *group]
        self.file_menu.insertActions(self.documents_anchor, entries)

    # -- pages and cases ----------------------------------------------------------------------------------------

    def show_page(self, name: str) -> None:
        self.sidebar.setCurrentRow(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[max(0, self.stack.currentIndex())]

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        if self._started:
            self._page(PAGES[row])
        self.stack.setCurrentIndex(row)
        self.ctx.settings.last_page = PAGES[row]
        if PAGES[row] == "search" and self._started:
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
        has_case = self._current_case() is not None
        on_cases = self.current_page() == "cases"
        for action in (
            *self.case_actions,
            self.edit_case_action,
            self.delete_case_action,
            *self.document_actions,
            self.export_bundle_action,
        ):
            action.setEnabled(has_case)
        for action in self.record_actions:
            action.setEnabled(has_case and on_cases)
        self.hearing_mode_action.setEnabled(has_case or self.current_page() == "agenda")
        self.hearing_sheet_action.setEnabled(has_case and bool(self._current_case().hearings))

    def _tab_call(self, method: str) -> None:
        from ui.case_view.base import RecordTab

        if self.current_page() != "cases":
            return
        tab = self.case_view.tab(self.case_view.current_tab())
        if isinstance(tab, RecordTab):
            getattr(tab, method)()

    def _case_call(self, tab_id: str, method: str) -> None:
        if self._current_case() is None:
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
        if self._current_case() is None:
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
        if self._agenda is not None:
            self._agenda.refresh()
        if self._case_list is not None and self._case_view is not None:
            self._case_list.model.reload()
            self._case_view.reload()

    def new_case(self) -> None:
        self.show_page("cases")
        self.case_list.new_case()

    def load_demo(self) -> None:
        from ui.operations import cases as case_ops

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

    def recompute_deadlines(self) -> None:
        """What recomputing every deadline with this version's rules would change, applied once approved."""
        from ui.deadline_review import open_review

        dialog = open_review(self.ctx, self)
        dialog.did_apply.connect(
            lambda done: self.statusBar().showMessage(
                _("{count} deadline(s) recomputed.").format(count=done.total), 8000
            )
        )
        self.dialog = dialog

    def open_settings(self) -> None:
        if self.shell is not None:
            self.shell.open_settings(self)

    def about(self) -> None:
        from ui.dialogs.about import show_about

        show_about(self)

    # -- documents ----------------------------------------------------------------------------------------------

    def _open_document(self, kind: str, **details: Any) -> None:
        from ui.documents.preview import open_preview
        from ui.operations.documents import DocumentRequest

        case = self._current_case()
        if case is None:
            return
        self.preview = open_preview(self.ctx, DocumentRequest(kind, case.id, **details), self)

    def case_summary(self) -> None:
        self._open_document("summary")

    def bordereau(self) -> None:
        self._open_document("bordereau")

    def hearing_sheet(self) -> None:
        """The sheet of the hearing chosen in the hearings tab, or else the next (or latest) hearing."""
        if self._current_case() is None:
            return
        hearing = self.case_view.tab("hearings").target_hearing()
        if hearing is not None:
            self._open_document("hearing_sheet", hearing_id=hearing.id)

    def telerecours(self) -> None:
        from ui.documents.telerecours import start_export

        case = self._current_case()
        if case is not None:
            self.dialog = start_export(self.ctx, case.id, self)

    # -- bundles ------------------------------------------------------------------------------------------------

    def export_bundle(self) -> None:
        from ui.bundles.export_dialog import ExportBundleDialog

        case = self._current_case()
        if case is None:
            return
        dialog = ExportBundleDialog(self.ctx, case.id, case.title, case.court_number, self)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def import_bundle(self, path: Path | None = None) -> None:
        """Open a bundle's import preview (asking which file when none is given)."""
        from ui.bundles.import_dialog import start_import

        if path is None:
            path = self.ctx.prompts.open_file(
                self,
                _("Import case bundle"),
                _("Case bundles (*.casebundle);;All files (*)"),
                start=self.ctx.settings.last_folder("bundles"),
            )
            if path is None:
                return
            self.ctx.settings.set_last_folder("bundles", str(path.parent))
        self.bring_to_front()
        self.bundle_import = start_import(self.ctx, path, self)

    def open_keys(self) -> None:
        from ui.bundles.keys_dialog import KeysDialog

        dialog = KeysDialog(self.ctx, self)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if bundle_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if bundle_files(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        found = [path for path in bundle_files(event) if path.is_file()]
        if not found:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.import_bundle(found[0])

    # -- another CaseApp started on the same data folder ---------------------------------------------------------

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def handle_arguments(self, argv: list[str]) -> None:
        """What a second CaseApp passed on (or this one's own command line): a bundle opens its import preview."""
        from ui.operations.bundles import is_bundle

        self.bring_to_front()
        bundles = [Path(arg).expanduser() for arg in argv if is_bundle(arg)]
        if not bundles:
            return
        path = bundles[0].absolute()
        if self.ctx.tasks.ready:
            self.import_bundle(path)
        else:  # the case file is still opening: import once it is open
            from PySide6.QtCore import Qt

            self.ctx.tasks.core_did_open.connect(
                lambda: self.import_bundle(path), Qt.ConnectionType.SingleShotConnection
            )

    # -- start and state ----------------------------------------------------------------------------------------

    def _core_opened(self) -> None:
        self._core_ready = True
        self.statusBar().clearMessage()
        core = self.ctx.core
        self.location_label.setText(
            _("Case file: {where} · Working as {author}").format(
                where=self.ctx.location.url or str(core.data_dir), author=core.author
            )
        )
        if self._agenda is not None:
            self._agenda.refresh()
        if self._case_list is not None:
            self._start_cases()

    def _start_cases(self) -> None:
        """The case list's first page, and the case that was open last time."""
        assert self._case_list is not None and self._case_view is not None
        self._case_list.start()
        last = self.ctx.settings.last_case_id
        if last and self._case_view.case is None:
            import uuid

            try:
                case_id = uuid.UUID(last)
            except ValueError:
                return
            self._case_view.show_case(case_id, self.ctx.settings.last_tab)

    def _restore_splitter(self, splitter: QSplitter) -> bool:
        saved = self.ctx.settings.splitter(splitter.objectName())
        return saved is not None and splitter.restoreState(saved)

    def _restore_state(self) -> None:
        settings = self.ctx.settings
        geometry = settings.geometry("main")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(1360, int(screen.width() * 0.94)), min(860, int(screen.height() * 0.92)))
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)
        self.show_page(settings.last_page if settings.last_page in PAGES else "agenda")

    def _split_cases(self) -> None:
        if self._default_split and self._cases_splitter is not None:
            self._default_split = False
            self._cases_splitter.setSizes([300, max(600, self.width() - 300)])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._default_split:  # first start: give the list room once the window has its real size
            QTimer.singleShot(0, self._split_cases)

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.set_geometry("main", self.saveGeometry())
        settings.set_window_state(self.saveState())
        for splitter in (self._cases_splitter, self._agenda.splitter if self._agenda else None):
            if splitter is not None:
                settings.set_splitter(splitter.objectName(), splitter.saveState())
        if self._case_view is not None:
            self._case_view.save_state()
        settings.last_page = self.current_page()
        case = self._current_case()
        if case is not None:
            settings.last_case_id = str(case.id)
            settings.last_tab = self.case_view.current_tab()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)


def menu_entries(menu: QMenu) -> list[tuple[str, str]]:
    """(text, shortcut) of each action of a menu, as shown (tests and documentation read them)."""
    return [(a.text(), a.shortcut().toString()) for a in menu.actions() if not a.isSeparator()]
