"""The application as a whole: French interface, settings, the About box, a case file that cannot be opened, and
``run()`` quitting by itself for packaging smoke tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTabWidget
from pytestqt.qtbot import QtBot

from caseapp.services import demo
from tests.ui.conftest import idle, until
from ui.context import AppContext, Location, new_context
from ui.i18n import QtTranslations
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.shell import Shell

ROOT = Path(__file__).resolve().parents[2]


def sidebar_texts(window: MainWindow) -> list[str]:
    return [window.sidebar.item(row).text() for row in range(window.sidebar.count())]


def test_switching_to_french_in_the_settings_rebuilds_the_window_in_french(
    qtbot: QtBot, shell: Shell, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CASEAPP_LANG", raising=False)
    demo.load_demo(ctx.core)
    window = shell.window
    assert window is not None
    assert sidebar_texts(window) == ["Agenda", "Cases", "Search"]
    dialog = shell.open_settings(window)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.author.setText("Me Martin")
    dialog.accept()
    until(qtbot, lambda: shell.window is not window)
    french = shell.window
    assert french is not None
    idle(qtbot, ctx)
    assert sidebar_texts(french) == ["Agenda", "Affaires", "Recherche"]
    assert [m.title() for m in french.menuBar().findChildren(type(french.file_menu))][:2] == ["&Fichier", "É&dition"]
    tabs: QTabWidget = french.case_view.tab_widget
    assert [tabs.tabText(i) for i in range(tabs.count())][:4] == ["Aperçu", "Parties", "Actes", "Audiences"]
    assert tabs.tabText(7).startswith("Demandes CADA")
    assert french.case_list.filter_edit.placeholderText().startswith("Filtrer")
    until(qtbot, lambda: french.case_list.model.rowCount() == 5)
    assert french.case_list.model.headerData(0, Qt.Orientation.Horizontal) == "Intitulé"
    row = next(r for r in range(5) if french.case_list.model.record(r).status == "decided")
    assert french.case_list.model.index(row, 2).data() == "Jugée"
    assert ctx.settings.preferences().language == "fr"
    assert ctx.settings.preferences().author_name == "Me Martin"
    until(qtbot, lambda: ctx.core.author == "Me Martin")
    # Qt's own strings (standard buttons, file dialogs) come from qtbase_fr.qm
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"


def test_about_box_shows_the_version(qtbot: QtBot, window: MainWindow) -> None:
    import caseapp
    from ui.dialogs.about import show_about

    box = show_about(window)
    assert caseapp.__version__ in box.text()
    box.close()


def test_the_window_remembers_its_page_and_case(qtbot: QtBot, shell: Shell, ctx: AppContext) -> None:
    report = demo.load_demo(ctx.core)
    assert report.total
    window = shell.window
    assert window is not None
    idle(qtbot, ctx)
    window.case_list.model.reload()
    until(qtbot, lambda: window.case_list.model.rowCount() == 5)
    case = window.case_list.model.record(2)
    window.open_case(case.id, "filings")
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case.id)
    window.cases_splitter.setSizes([300, 900])
    window.close()
    again = MainWindow(ctx, shell)
    qtbot.addWidget(again)
    idle(qtbot, ctx)
    until(qtbot, lambda: again.case_view.case is not None and again.case_view.case.id == case.id)
    assert again.current_page() == "cases"
    assert again.case_view.current_tab() == "filings"


def test_a_case_file_that_cannot_be_opened_is_explained_not_a_traceback(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "caseapp.sqlite3").write_bytes(b"this is not a database at all" * 10)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    settings = Settings.open(tmp_path / "ui.ini")
    ctx = new_context(settings, Location(folder, None, "Tester"))
    shell = Shell(app, ctx, QtTranslations())
    quitted: list[bool] = []
    shell.quit = lambda: quitted.append(True)  # type: ignore[method-assign]
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.reject()

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    shell.start()
    until(qtbot, lambda: quitted)
    timer.stop()
    assert seen and "not a CaseApp database" in seen[0]
    assert shell.window is not None
    shell.window.close()
    ctx.close()


def test_run_quits_by_itself_for_smoke_tests(tmp_path: Path) -> None:
    env = dict(os.environ, CASEAPP_DATA_DIR=str(tmp_path / "data"), CASEAPP_SMOKE_QUIT_MS="1500",
               QT_QPA_PLATFORM="offscreen")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from ui.app import run; sys.exit(run([]))"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "caseapp.sqlite3").is_file()
    assert "Traceback" not in result.stderr


def test_the_interface_does_not_load_the_database_libraries_before_painting() -> None:
    script = (
        "import sys\n"
        "import ui.app, ui.main_window\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_first_frame_is_the_window_alone_and_its_page_follows_at_once(tmp_path: Path) -> None:
    """Start-up speed: the first frame has the main window (sidebar, menus, status line) and nothing else — not
    Qt's namespace, whose 93 enums alone cost as much as the rest of that frame — then the page it opens on is
    built right after; other pages, tabs, dialogs, documents, bundles and the core's read models load on first
    use."""
    script = (
        "import sys\n"
        "import PySide6.QtCore as core\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "import ui.app as app\n"
        "original = app.after_first_paint\n"
        "def report(window, then):\n"
        "    def painted():\n"
        "        print(','.join(sorted(m for m in sys.modules if m.startswith(('ui', 'caseapp')))), flush=True)\n"
        "        print('Qt' in core.__dict__, window.findChild(QWidget, 'agenda_page') is not None, flush=True)\n"
        "        then()\n"
        "        def later():\n"
        "            menus = [a.text() for a in window.menuBar().actions()]\n"
        "            documents = 'case_summary' in [a.objectName() for a in window.file_menu.actions()]\n"
        "            print(window.findChild(QWidget, 'agenda_page') is not None, len(menus), documents, flush=True)\n"
        "            QApplication.instance().quit()\n"
        "        QTimer.singleShot(300, later)\n"
        "    original(window, painted)\n"
        "app.after_first_paint = report\n"
        "sys.exit(app.run([]))\n"
    )
    env = dict(os.environ, CASEAPP_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    modules, at_paint, after = result.stdout.strip().splitlines()
    loaded = set(modules.split(","))
    assert "ui.main_window" in loaded
    assert at_paint == "False False"  # no Qt namespace yet, no page yet
    assert after == "True 5 True"  # the agenda page, the five menus (there from the first frame), the documents
    for later in (
        "ui.agenda",
        "ui.case_view.view",
        "ui.case_list",
        "ui.search",
        "ui.evidence",
        "ui.hearing_mode",
        "ui.documents.preview",
        "ui.bundles.import_dialog",
        "ui.dialogs.case_dialog",
        "ui.dialogs.settings_dialog",
        "ui.single_instance",
        "caseapp.casefile.views",
        "caseapp.casefile.view_rows",
        "caseapp.casefile.view_case",
        "caseapp.services.documents",  # the documents' menu entries are made right after the first frame
        "caseapp.dates",
        "caseapp.date_parsing",
        "caseapp.domain.enums",
    ):
        assert later not in loaded, later


_SCAN_CHECK = """
import inspect, json, linecache, sys
import ui.app  # puts the plain check in place, as every start does
support = sys.modules["shibokensupport.feature"]
installed = getattr(support._mod_uses_pyside, "plain", False)
def files_kept():  # source files in linecache (SQLAlchemy keeps its generated code there too)
    return sum(1 for name in linecache.cache if name.endswith(".py"))
lines_before = files_kept()
import caseapp.services.reads, sqlalchemy.orm, ui.main_window, json.tool  # modules imported after PySide6
lines_kept = files_kept() - lines_before
def pyside6_answer(module):  # what PySide6's own check answers: its source, read by inspect, names PySide6
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False
known = support.pyside_feature_dict
differ = [
    name for name, module in list(sys.modules.items())
    if name in known and known[name] != (0 if pyside6_answer(module) else -1)
]
print(json.dumps({
    "installed": installed, "differ": differ, "lines_kept": lines_kept,
    "main_window": support.pyside_feature_dict.get("ui.main_window"),
    "orm": support.pyside_feature_dict.get("sqlalchemy.orm"),
    "checked": len(support.pyside_feature_dict),
}))
"""


def test_modules_imported_after_pyside6_get_the_same_feature_default_without_their_source_read_into_memory() -> None:
    """PySide6 sets each module's ``__feature__`` default from whether its text names PySide6 (``ui.module_scan``).
    CaseApp's check must give every module the answer PySide6's own would, and keep no source lines in memory."""
    import json

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    found = json.loads(
        subprocess.run(
            [sys.executable, "-c", _SCAN_CHECK], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    assert found["installed"] is True
    assert found["differ"] == []
    assert found["checked"] > 200  # SQLAlchemy's modules and ours went through it
    assert found["main_window"] == 0 and found["orm"] == -1  # a window module names PySide6; the ORM does not
    assert found["lines_kept"] == 0
