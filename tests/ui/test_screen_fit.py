"""Every screen fits a 1024×700 and a 1440×900 screen in French (the longer language), with the example cases: the
agenda, the case list, each tab of the example case, hearing mode, the search page, the settings, the bundle export
and import dialogs and the print preview. What a person would notice fails the test: a control off the window, a
window that cannot be made small enough for the screen, a label whose text is cut, a tab that scrolled away, a
table whose first column or a date is cut. Each screen is kept as a PNG (``CASEAPP_TEST_ARTEFACTS/screens``, else
the test's own folder), to be looked at."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QTabBar,
    QTableView,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from caseapp.identity.keys import MemoryKeyStore, no_keyring_warning, set_default_keystore
from caseapp.services import cases, demo
from tests.ui.conftest import WAIT_MS, idle, until
from tests.ui.test_documents import LYCEES, shown
from ui.case_view import TABS
from ui.context import AppContext
from ui.i18n import QtTranslations
from ui.main_window import MainWindow

SIZES = [(1024, 700), (1440, 900)]
DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
TITLE_BAR = 32  # what a window manager takes for the title bar and borders


@pytest.fixture
def french(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The interface in French, Qt's own words included (before the window is built)."""
    monkeypatch.setenv("CASEAPP_LANG", "fr")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = QtTranslations()
    translations.apply(app, "fr")
    yield
    translations.apply(app, "en")


@pytest.fixture
def keystore(french: None) -> Iterator[None]:
    """No system keyring: the export dialog's longest note (made in French: it is worded when the store is)."""
    set_default_keystore(MemoryKeyStore(warning=no_keyring_warning()))
    yield
    set_default_keystore(None)


@pytest.fixture
def screens(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CASEAPP_TEST_ARTEFACTS") or tmp_path) / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# -- what a person would notice ---------------------------------------------------------------------------------------


def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    ):
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def _in_scrolled_content(widget: QWidget, root: QWidget) -> bool:
    """Inside a scroll area's viewport (reached by scrolling) or a toolbar (what does not fit goes in its "»")."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
            return True
        if isinstance(parent, QToolBar | QTabBar):
            return True
        parent = grand
    return False


def _owner(widget: QWidget) -> str:
    parent = widget.parentWidget()
    return widget.objectName() or (parent.objectName() if parent is not None else "")


def _name(widget: QWidget) -> str:
    text = ""
    for attribute in ("text", "title", "placeholderText"):
        value = getattr(widget, attribute, None)
        if callable(value):
            try:
                text = str(value())
            except TypeError:
                continue
            if text:
                break
    return f"{type(widget).__name__}({widget.objectName() or '-'}){f' {text[:50]!r}' if text else ''}"


def off_window(root: QWidget) -> list[str]:
    """The visible widgets that stick out of their window (or out of the widget holding them: cut off)."""
    found = []
    for widget in root.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisibleTo(root) or widget.width() <= 0 or widget.height() <= 0:
            continue
        if _in_scrolled_content(widget, root):
            continue
        parent = widget.parentWidget()
        assert parent is not None
        box = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
        held = QRect(parent.mapTo(root, QPoint(0, 0)), parent.size())
        if not root.rect().contains(box) or not held.contains(box):
            found.append(f"{_name(widget)} at {box.getRect()} outside {held.getRect()} / {root.size().toTuple()}")
    return found


def cut_labels(root: QWidget) -> list[str]:
    """The visible labels whose text does not fit: wider than the label (one line) or taller (wrapped)."""
    cut = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text().strip() or not label.pixmap().isNull():
            continue
        if label.toolTip() and _plain(label).endswith("…"):  # cut on purpose, whole in its tooltip
            continue
        room = label.contentsRect()
        margin = 2 * (label.margin() + max(label.indent(), 0))
        if label.wordWrap():
            needed = QSize(room.width(), label.heightForWidth(label.width()))
            fits = needed.height() <= label.height()
        else:
            lines = _plain(label).splitlines() or [""]
            metrics = label.fontMetrics()
            needed = QSize(
                max(metrics.horizontalAdvance(line) for line in lines) + margin,
                metrics.height() * len(lines),
            )
            fits = needed.width() <= room.width() and needed.height() <= room.height()
        if not fits:
            cut.append(f"{_plain(label)[:70]!r}: needs {needed.toTuple()}, has {room.size().toTuple()}")
    return cut


def cut_placeholders(root: QWidget) -> list[str]:
    """The visible empty text boxes whose grey hint does not fit (a hint read as "Filtrer par intitul" says nothing)."""
    from PySide6.QtWidgets import QLineEdit

    cut = []
    for edit in root.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if not edit.isVisibleTo(root) or edit.text() or not hint:
            continue
        room = edit.contentsRect().width() - 2 * 4 - (22 if edit.isClearButtonEnabled() else 0)  # Qt's side margins
        needed = edit.fontMetrics().horizontalAdvance(hint)
        if needed > room:
            cut.append(f"hint {hint[:50]!r} of {_name(edit)}: needs {needed}, has {room}")
    return cut


def hidden_tabs(root: QWidget) -> list[str]:
    """Tab bars whose tabs do not all show at once (the first ones scroll away)."""
    found = []
    for bar in root.findChildren(QTabBar):
        if not bar.isVisibleTo(root) or bar.count() == 0:
            continue
        right = max(bar.tabRect(i).right() for i in range(bar.count()))
        if bar.tabRect(0).left() < 0 or right >= bar.width():
            found.append(f"{_owner(bar)}: {right + 1} > {bar.width()}")
    return found


def cut_columns(root: QWidget) -> list[str]:
    """Tables whose first column is cut off by the view's edge, or whose dates do not fit their column."""
    found = []
    for table in root.findChildren(QTableView):
        if not table.isVisibleTo(root) or table.model() is None:
            continue
        header = table.horizontalHeader()
        name = _owner(table)
        first = header.logicalIndex(0)
        if header.sectionViewportPosition(first) + header.sectionSize(first) > table.viewport().width():
            found.append(f"{name}: its first column goes beyond the view")
        model = table.model()
        for column in range(model.columnCount()):
            if header.isSectionHidden(column):
                continue
            for row in range(min(model.rowCount(), 30)):
                index = model.index(row, column)
                text = str(index.data() or "")
                alone = DATE.search(text) and len(text) <= 24  # a date (and its time) on its own
                if alone and table.sizeHintForIndex(index).width() > header.sectionSize(column):
                    found.append(f"{name}: the date {text!r} is cut in column {column}")
                    break
    return found


def folded_tools(root: QWidget) -> list[str]:
    """Tool rows that fold some of their buttons into their "»" menu."""
    found = []
    for bar in root.findChildren(QToolBar):
        if not bar.isVisibleTo(root):
            continue
        folded = [
            action.text().replace("&", "")
            for action in bar.actions()
            if action.isVisible() and not action.isSeparator() and not bar.widgetForAction(action).isVisible()
        ]
        if folded:
            found.append(f"{bar.objectName()}: {', '.join(folded)} folded into »")
    return found


def fits_screen(widget: QWidget, width: int, height: int) -> list[str]:
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    if hint.width() > width or hint.height() > height - TITLE_BAR:
        return [f"its minimum size {hint.toTuple()} does not fit a {width}×{height} screen"]
    return []


class Visit:
    """The screens of one screen size: the problems found on each, and its picture."""

    def __init__(self, qtbot: QtBot, folder: Path, width: int, height: int) -> None:
        self.qtbot = qtbot
        self.folder = folder
        self.width, self.height = width, height
        self.problems: dict[str, list[str]] = {}

    def place(self, widget: QWidget, *, share: float = 1.0) -> None:
        """A secondary window as it would open on this screen: no larger than it, and at most ``share`` of its
        height."""
        room_h = min(self.height - TITLE_BAR, int(self.height * share))
        size = widget.size().boundedTo(QSize(self.width, room_h))
        if size != widget.size():
            widget.resize(size)
        widget.move(0, 0)
        self.qtbot.wait(30)

    def look(self, name: str, widget: QWidget, *, whole_window: bool = True) -> None:
        QApplication.processEvents()
        self.qtbot.wait(30)
        found = [*cut_labels(widget), *cut_placeholders(widget), *hidden_tabs(widget), *cut_columns(widget)]
        found += off_window(widget)
        found += folded_tools(widget)
        if whole_window:
            found += fits_screen(widget, self.width, self.height)
            if widget.width() > self.width or widget.height() > self.height - TITLE_BAR:
                found.append(f"{widget.size().toTuple()} is larger than the screen")
        if found:
            self.problems[name] = found
        widget.grab().save(str(self.folder / f"{self.width}x{self.height}-{name}.png"))


# -- the tour ---------------------------------------------------------------------------------------------------------


def example_case(ctx: AppContext) -> uuid.UUID:
    demo.load_demo(ctx.core)
    return next(row.id for row in cases.list_cases(ctx.core, limit=20) if row.title.startswith(LYCEES))


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits_in_french(
    qtbot: QtBot,
    french: None,
    keystore: None,
    window: MainWindow,
    ctx: AppContext,
    screens: Path,
    tmp_path: Path,
    width: int,
    height: int,
) -> None:
    case_id = example_case(ctx)
    visit = Visit(qtbot, screens, width, height)
    window.resize(width, height - TITLE_BAR)
    window.move(0, 0)
    window.show()
    qtbot.waitExposed(window)
    assert window.menuBar().actions()[0].text().replace("&", "") == "Fichier"  # French indeed

    window.show_page("agenda")
    window.agenda.refresh()
    until(qtbot, lambda: window.agenda.agenda is not None)
    idle(qtbot, ctx)
    visit.look("agenda", window)

    window.show_page("cases")
    until(qtbot, lambda: window.case_list.model.rowCount() >= 5)
    window.open_case(case_id)
    until(qtbot, lambda: window.case_view.case is not None and window.case_view.case.id == case_id)
    idle(qtbot, ctx)
    visit.look("cases", window)
    view = window.case_view
    for tab_id in TABS:
        view.set_tab(tab_id)
        idle(qtbot, ctx)
        visit.look(f"case-{tab_id}", window)

    view.set_tab("hearings")
    idle(qtbot, ctx)
    window.hearing_mode()
    until(qtbot, lambda: window.hearing_window is not None and window.hearing_window.isVisible())
    mode = window.hearing_window
    assert mode is not None
    idle(qtbot, ctx)
    visit.place(mode)
    visit.look("hearing-mode", mode)
    mode.close()

    window.show_page("search")
    window.search.field.setText("vidéo")
    until(qtbot, lambda: window.search.results.model.rowCount() > 0)
    idle(qtbot, ctx)
    visit.look("search", window)

    assert window.shell is not None
    settings = window.shell.open_settings(window)
    until(qtbot, settings.isVisible)
    visit.place(settings)
    visit.look("settings", settings)
    settings.reject()

    window.open_case(case_id)
    until(qtbot, lambda: window.case_view.case is not None)
    window.export_bundle_action.trigger()
    export = window.dialog
    assert isinstance(export, QWidget)
    until(qtbot, lambda: getattr(export, "keys", None) is not None and export.isVisible())
    visit.place(export, share=0.9)
    visit.look("export", export)
    export.by_passphrase.setChecked(True)  # type: ignore[attr-defined]  # its fields and their hint
    visit.look("export-passphrase", export)
    export.reject()  # type: ignore[attr-defined]

    from caseapp.bundle.export import export_bundle

    bundle = tmp_path / "lycees.casebundle"
    export_bundle(ctx.core, case_id, bundle, sign=False, include_pdf=False, keystore=MemoryKeyStore())
    here = cases.get_case(ctx.core, case_id)
    cases.update_case(ctx.core, case_id, expected_version=here.version, summary="Résumé revu depuis l'envoi.")
    window.import_bundle(bundle)
    until(qtbot, lambda: window.bundle_import is not None and window.bundle_import.dialog is not None, WAIT_MS * 2)
    assert window.bundle_import is not None and window.bundle_import.dialog is not None
    preview_dialog = window.bundle_import.dialog
    until(qtbot, preview_dialog.isVisible)
    idle(qtbot, ctx)
    visit.place(preview_dialog)
    visit.look("import-preview", preview_dialog)
    preview_dialog.reject()

    window.summary_action.trigger()
    preview = window.preview
    assert preview is not None
    shown(qtbot, preview)  # type: ignore[arg-type]
    visit.place(preview, share=0.9)
    visit.look("print-preview", preview)
    preview.close()
    idle(qtbot, ctx)

    assert visit.problems == {}
    assert ctx.errors.history == []
