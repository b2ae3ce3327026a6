"""The main window: a sidebar (Agenda, Cases, Search), the pages, the menus with every shortcut, and the window's
remembered state. Its parts live in ``ui.window`` (pages, menus, documents, bundles, safekeeping); the window
composes them and is what the rest of the interface, and the tests, talk to.

Start-up is in two stages (``ui.first_paint``). The first frame has the window itself: sidebar, menus with every
shortcut, status line. The page it opens on is built right after that frame has painted, and every other page the
first time it is shown (or asked for), each with its modules; the documents' menu entries are made right after the
first frame too (``ui.window.documents``); documents, bundles and dialogs are imported when first used. Nothing on
the way to the first frame imports ``Qt`` (the namespace): touching it makes 93 Python enums at once, about 40 ms,
as long as the rest of that frame together. ``tests/ui/test_app.py`` checks it stays so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMenu, QWidget

from caseapp.i18n import _, ngettext
from ui import spacing
from ui.actions import make_action
from ui.context import AppContext
from ui.first_paint import after_first_paint
from ui.icons import app_icon
from ui.window.bundles import Bundles, bundle_files
from ui.window.documents import Documents
from ui.window.menus import Menus
from ui.window.pages import PAGES, Pages
from ui.window.safekeeping import Safekeeping

if TYPE_CHECKING:
    import uuid
    from pathlib import Path

    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QSplitter

    from caseapp.services.agenda import AgendaItem
    from caseapp.services.demo import DemoReport
    from caseapp.services.views import CaseDetail
    from ui.agenda import AgendaPage
    from ui.bundles.import_dialog import BundleImport
    from ui.case_list import CaseListPanel
    from ui.case_view.view import CaseView
    from ui.search import SearchPage
    from ui.shell import Shell


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
        self.dialog: QObject | None = None  # the last document or bundle dialog opened (or the Télérecours check)
        self.bundle_import: BundleImport | None = None  # the last import started
        self.pages = Pages(self)
        self.stack, self.sidebar = self.pages.stack, self.pages.sidebar
        central = QWidget(self)
        layout = QHBoxLayout(central)
        spacing.flush(layout, 0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.location_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.location_label)
        self.menus = Menus(self)
        menus = self.menus
        self.file_menu, self.documents_anchor, self.recompute_action = (
            menus.file_menu,
            menus.documents_anchor,
            menus.recompute_action,
        )
        self.undo_action, self.redo_action = menus.undo_action, menus.redo_action
        self.documents = Documents(self)  # its entries come right after the first frame (see ``finish_start``)
        self.bundles = Bundles(self)
        self.export_bundle_action = self.bundles.export_action
        self.import_bundle_action = self.bundles.import_action
        self.take_offline_action = self.bundles.offline_action
        self.keys_action = self.bundles.keys_action
        self.safekeeping = Safekeeping(self, ctx)
        self.setAcceptDrops(True)
        ctx.events.case_open_requested.connect(self.open_case)
        ctx.tasks.core_did_open.connect(self._core_opened)
        ctx.errors.window = lambda: self
        self._restore_state()
        self.update_case_actions()
        if ctx.tasks.ready:
            self._core_opened()
        else:
            self.statusBar().showMessage(_("Opening the case file…"))
        after_first_paint(self, self.finish_start)

    def finish_start(self) -> None:
        """The second stage: build the page the window opened on, then the documents' entries (called once the
        first frame is on screen)."""
        self.pages.finish_start()
        self.documents.build()

    def new_action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        icon_name: str | None = None,
        shortcut: str | None = None,
        name: str | None = None,
    ) -> QAction:
        """An action of the whole window (its shortcut works on every page), for a menu or a button."""
        action = make_action(self, text, slot, icon=icon_name, shortcut=shortcut, name=name or shortcut)
        self.addAction(action)
        return action

    # -- the pages (built when first needed) -----------------------------------------------------------------------

    @property
    def agenda(self) -> AgendaPage:
        return self.pages.agenda

    @property
    def case_list(self) -> CaseListPanel:
        return self.pages.case_list

    @property
    def case_view(self) -> CaseView:
        return self.pages.case_view

    @property
    def cases_splitter(self) -> QSplitter:
        return self.pages.cases_splitter

    @property
    def search(self) -> SearchPage:
        return self.pages.search

    def show_page(self, name: str) -> None:
        self.pages.show(name)

    def current_page(self) -> str:
        return self.pages.current()

    def current_case(self) -> CaseDetail | None:
        return self.pages.current_case()

    def open_case(self, case_id: uuid.UUID, tab: str = "overview", record_id: uuid.UUID | None = None) -> None:
        self.pages.open_case(case_id, tab, record_id)

    def new_case(self) -> None:
        self.pages.new_case()

    def find(self) -> None:  # type: ignore[override]  # QWidget.find(id) is a static lookup nobody here uses
        self.pages.find()

    def refresh(self) -> None:
        self.pages.refresh()

    def update_case_actions(self) -> None:
        """Enable the menus' entries for what is open: a case (and its hearings), the page."""
        case = self.current_case()
        self.menus.update(case is not None, self.current_page())
        self.documents.update(case)
        self.bundles.update(case)

    # -- documents (``ui.window.documents``) ---------------------------------------------------------------------

    @property
    def document_action(self) -> dict[str, QAction]:
        """Each document's entry, by its key in ``caseapp.services.documents.DOCUMENTS``."""
        return self.documents.by_key

    @property
    def document_actions(self) -> list[QAction]:
        """The entries of the File menu's documents and of the case header's Documents button, in order."""
        return self.documents.actions

    @property
    def summary_action(self) -> QAction:
        from caseapp.services.documents import SUMMARY

        return self.documents.by_key[SUMMARY]

    @property
    def bordereau_action(self) -> QAction:
        from caseapp.services.documents import BORDEREAU

        return self.documents.by_key[BORDEREAU]

    @property
    def hearing_sheet_action(self) -> QAction:
        from caseapp.services.documents import HEARING_SHEET

        return self.documents.by_key[HEARING_SHEET]

    @property
    def telerecours_action(self) -> QAction:
        return self.documents.telerecours_action

    def case_summary(self) -> None:
        from caseapp.services.documents import SUMMARY

        self.documents.open(SUMMARY)

    def bordereau(self) -> None:
        from caseapp.services.documents import BORDEREAU

        self.documents.open(BORDEREAU)

    def hearing_sheet(self) -> None:
        """The sheet of the hearing chosen in the hearings tab, or else the next (or latest) hearing."""
        from caseapp.services.documents import HEARING_SHEET

        self.documents.open(HEARING_SHEET)

    def telerecours(self) -> None:
        self.documents.telerecours()

    # -- bundles (``ui.window.bundles``) -------------------------------------------------------------------------

    def export_bundle(self) -> None:
        self.bundles.export()

    def import_bundle(self, path: Path | None = None) -> None:
        """Open a bundle's import preview (asking which file when none is given)."""
        self.bundles.import_bundle(path)

    def open_keys(self) -> None:
        self.bundles.open_keys()

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
        if not self.bundles.dropped(event):
            super().dropEvent(event)

    # -- commands ------------------------------------------------------------------------------------------------

    def hearing_mode(self) -> None:
        if self.current_page() == "agenda":
            item = self.agenda.items.selected()
            if item is not None and item.kind == "hearing":
                self.hearing_mode_for(item)
            return
        if self.current_case() is None:
            return
        tab = self.case_view.tab("hearings")
        tab.open_hearing_mode()
        self.hearing_window = tab.hearing_window

    def hearing_mode_for(self, item: AgendaItem) -> None:
        """Hearing mode for a hearing of the agenda."""
        from ui.hearing_mode import HearingModeWindow

        assert item.case_id is not None and item.hearing is not None  # the agenda's hearings have both
        window = HearingModeWindow(self.ctx, item.case_id, item.case_title or "", item.hearing, self)
        self.hearing_window = window
        window.show_and_focus()

    def load_demo(self) -> None:
        from ui.operations import cases as case_ops

        self.statusBar().showMessage(_("Loading the example cases…"))
        case_ops.load_demo(self.ctx, parent=self, on_success=self._demo_loaded)

    def _demo_loaded(self, report: DemoReport) -> None:
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
                ngettext("{count} deadline recomputed.", "{count} deadlines recomputed.", done.total).format(
                    count=done.total
                ),
                8000,
            )
        )
        self.dialog = dialog

    def open_settings(self) -> None:
        if self.shell is not None:
            self.shell.open_settings(self)

    def about(self) -> None:
        from ui.dialogs.about import show_about

        show_about(self)

    # -- another CaseApp started on the same data folder ---------------------------------------------------------

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def handle_arguments(self, argv: list[str]) -> None:
        """What a second CaseApp passed on (or this one's own command line): a bundle opens its import preview."""
        self.bring_to_front()
        self.bundles.open_arguments(argv)

    # -- start and state ----------------------------------------------------------------------------------------

    def _core_opened(self) -> None:
        self.statusBar().clearMessage()
        core = self.ctx.core
        self.location_label.setText(
            _("Case file: {where} · Working as {author}").format(
                where=self.ctx.location.url or str(core.data_dir), author=core.author
            )
        )
        self.pages.core_opened()

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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.pages.window_shown()

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.set_geometry("main", self.saveGeometry())
        settings.set_window_state(self.saveState())
        self.pages.save_state(settings)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)


def menu_entries(menu: QMenu) -> list[tuple[str, str]]:
    """(text, shortcut) of each action of a menu, as shown (tests and documentation read them)."""
    return [(a.text(), a.shortcut().toString()) for a in menu.actions() if not a.isSeparator()]
