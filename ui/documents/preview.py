"""The print preview: a document of a case, laid out off the GUI thread, shown page by page with QtPdf.

From here the document is printed (each page rendered by QtPdf at the printer's resolution and painted on the
printer, so what is printed is what was shown), saved as a PDF, or opened in the system's PDF viewer. Changing the
language (French by default: the documents go to French courts), leaving the hearing notes out of a summary (or
putting them in the whole case, which leaves them out by default), or making the whole case as the single file for
Télérecours lays the document out again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from caseapp.errors import Cancelled, CaseAppError
from caseapp.i18n import _, ngettext
from caseapp.services.documents import DOCUMENTS
from ui import style
from ui.actions import make_action
from ui.context import AppContext
from ui.operations import documents as ops
from ui.operations.documents import DocumentRequest, RenderedDocument, Sources
from ui.progress import Progress

MAX_PRINT_DPI = 300  # a page image at 1200 dpi would take half a gigabyte; 300 dpi prints text cleanly
ZOOM_STEP = 1.25
LANGUAGES = (("fr", "Français"), ("en", "English"))  # each in its own language


def ask_printer(printer: QPrinter, parent: QWidget | None, pages: int) -> bool:
    """The system's print dialog (printer, copies, page range)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print"))
    dialog.setMinMax(1, max(1, pages))
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def fit(size: QSize, area: QRectF) -> QRectF:
    """``size`` scaled into ``area`` keeping its proportions, centred."""
    if size.width() <= 0 or size.height() <= 0:
        return area
    scale = min(area.width() / size.width(), area.height() / size.height())
    width, height = size.width() * scale, size.height() * scale
    corner = QPointF(area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2)
    return QRectF(corner, QSize(round(width), round(height)).toSizeF())


class PrintPreviewWindow(QMainWindow):
    document_did_load = Signal(int)  # the number of pages shown

    def __init__(self, ctx: AppContext, request: DocumentRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("print_preview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.request = request
        self.sources: Sources | None = None
        self.rendered: RenderedDocument | None = None
        self.progress: Progress | None = None
        self.last_saved: Path | None = None
        self._round = 0  # which rendering is the latest (an older one that finishes late is dropped)
        # what the platform does, replaceable by tests: the print dialog and the system viewer
        self.ask_printer: Callable[[QPrinter], bool] = lambda printer: ask_printer(printer, self, self.page_count)
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.setWindowTitle(ops.title(request))

        self.pdf = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.message = QLabel(_("Preparing the document…"), self)
        self.message.setObjectName("preview_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        style.set_muted_style(self.message)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)
        self.setCentralWidget(self.stack)

        self.print_action = self._action(_("Print…"), self.print_document, "print", "print")
        self.save_action = self._action(_("Save as PDF…"), self.save_as_pdf, "save", "save_pdf")
        self.open_action = self._action(_("Open in the system viewer"), self.open_in_viewer, "open", "open_viewer")
        self.zoom_out_action = self._action(_("Zoom out"), lambda: self.zoom(1 / ZOOM_STEP), "zoom_out", "zoom_out")
        self.zoom_in_action = self._action(_("Zoom in"), lambda: self.zoom(ZOOM_STEP), "zoom_in", "zoom_in")
        self.fit_action = self._action(_("Fit to width"), self.fit_width, "fit", "fit_width")
        self.close_action = make_action(self, _("Close"), self.close, shortcut="close_window", name="close_preview")
        self.addAction(self.close_action)
        self.language = QComboBox(self)
        self.language.setObjectName("document_language")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(request.lang)))
        self.language.setToolTip(_("The language of the document (French for French courts)"))
        self.language.currentIndexChanged.connect(self._options_changed)
        kind = DOCUMENTS.get(request.kind)
        # The summary has the notes unless they are left out; the whole case leaves them out unless asked for.
        self.privileged = kind is not None and kind.privileged_optional
        notes_shown = kind is not None and (kind.notes_optional or kind.privileged_optional)
        self.notes = QCheckBox(_("Include hearing notes"), self)
        self.notes.setObjectName("include_notes")
        self.notes.setChecked(request.include_privileged if self.privileged else request.notes)
        self.notes.setToolTip(
            _("The hearing notes are privileged: put them in only for yourself")
            if self.privileged
            else _("Leave the notes out to hand the summary to someone who should not read them")
        )
        self.notes.toggled.connect(self._options_changed)
        self.notes.setVisible(notes_shown)
        self.telerecours = QCheckBox(_("Single file for Télérecours"), self)
        self.telerecours.setObjectName("telerecours_file")
        self.telerecours.setChecked(request.telerecours)
        self.telerecours.setToolTip(
            _("The bordereau then the exhibits, one bookmark per exhibit named as in the bordereau; no summary")
        )
        self.telerecours.toggled.connect(self._options_changed)
        telerecours_shown = kind is not None and kind.telerecours_variant
        self.telerecours.setVisible(telerecours_shown)

        bar = QToolBar(_("Document"), self)
        bar.setObjectName("preview_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.print_action, self.save_action, self.open_action):
            bar.addAction(action)
        bar.addSeparator()
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_action):
            bar.addAction(action)
            bar.widgetForAction(action).setToolTip(action.text())
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_action):
            button = bar.widgetForAction(action)
            if button is not None:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.addSeparator()
        language_label = QLabel(_("Language:"), self)
        language_label.setBuddy(self.language)
        bar.addWidget(language_label)
        bar.addWidget(self.language)
        self.addToolBar(bar)
        options = bar
        if notes_shown or telerecours_shown:  # on a row of their own: a narrow window would hide them in the first
            self.addToolBarBreak()
            options = QToolBar(_("Options"), self)
            options.setObjectName("preview_options")
            options.setMovable(False)
            self.addToolBar(options)
        self.notes_action = options.addWidget(self.notes)
        self.notes_action.setVisible(notes_shown)
        self.telerecours_action = options.addWidget(self.telerecours)
        self.telerecours_action.setVisible(telerecours_shown)
        self.pages_label = QLabel(self)
        self.pages_label.setObjectName("pages_label")
        self.statusBar().addPermanentWidget(self.pages_label)
        self._set_ready(False)
        geometry = ctx.settings.geometry("print_preview")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(900, 1000)
        self.fit_to_screen()
        ops.load_sources(ctx, request, owner=self, on_success=self._sources_loaded, on_failure=self._failed)

    def _action(self, text: str, slot: Callable[[], object], icon_name: str, shortcut: str) -> QAction:
        action = make_action(self, text, slot, icon=icon_name, shortcut=shortcut, name=shortcut)
        self.addAction(action)
        return action

    def fit_to_screen(self) -> None:
        """Within the screen's available area, and at most 90 % of its height (a 900-pixel screen, a size
        remembered from a bigger one): smaller if need be, and moved so that it lies wholly inside."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()  # the title bar and borders (known once shown; room is kept for them before)
        extra_w = max(frame.width() - self.width(), 8)
        extra_h = max(frame.height() - self.height(), 32)
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), int(area.height() * 0.9), area.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(frame.x(), area.left()), area.left() + area.width() - width - extra_w)
        y = min(max(frame.y(), area.top()), area.top() + area.height() - height - extra_h)
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def show_and_raise(self) -> None:
        self.fit_to_screen()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- making the document ------------------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return self.pdf.pageCount() if self.rendered is not None else 0

    @property
    def busy(self) -> bool:
        return self.progress is not None

    def _sources_loaded(self, sources: Sources) -> None:
        self.sources = sources
        self.setWindowTitle(f"{ops.title(self.request)} — {sources.detail.title}")
        self._render()

    def _options_changed(self) -> None:
        language = str(self.language.currentData())
        if self.privileged:
            self.request = self.request.but(
                lang=language, include_privileged=self.notes.isChecked(), telerecours=self.telerecours.isChecked()
            )
        else:
            self.request = self.request.but(lang=language, notes=self.notes.isChecked())
        if self.sources is not None:
            self._render()

    def _render(self) -> None:
        assert self.sources is not None
        if self.progress is not None:
            self.progress.cancel()
        self._round += 1
        number = self._round
        self._set_ready(False)
        if self.rendered is None:
            self.stack.setCurrentWidget(self.message)
        self.statusBar().showMessage(_("Preparing the document…"))
        self.progress = ops.render(
            self.ctx,
            self.request,
            self.sources,
            owner=self,
            parent=self,
            on_success=lambda rendered: self._rendered(rendered, number),
            on_failure=lambda error: self._render_failed(error, number),
        )

    def _rendered(self, rendered: RenderedDocument, number: int) -> None:
        if number != self._round:
            rendered.discard()
            return
        self.progress = None
        self.pdf.close()
        previous, self.rendered = self.rendered, rendered
        status = self.pdf.load(str(rendered.path))
        if previous is not None:
            previous.discard()
        if status != QPdfDocument.Error.None_ or self.pdf.pageCount() == 0:
            self.rendered = None
            self._show_message(_("The document was made but cannot be shown ({reason}).").format(reason=status.name))
            return
        self.stack.setCurrentWidget(self.view)
        self.statusBar().clearMessage()
        count = self.pdf.pageCount()
        self.pages_label.setText(ngettext("{count} page", "{count} pages", count).format(count=count))
        self._set_ready(True)
        self.document_did_load.emit(self.pdf.pageCount())

    def _render_failed(self, error: BaseException, number: int) -> None:
        if number != self._round:
            return
        self.progress = None
        self.statusBar().clearMessage()
        if isinstance(error, Cancelled):
            if self.rendered is None:
                self.close()  # cancelled before anything could be shown: nothing to preview
            else:
                self._set_ready(True)
            return
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, CaseAppError) else str(error)
        self._show_message(_("The document could not be made: {reason}").format(reason=message))
        if not isinstance(error, CaseAppError):
            self.ctx.errors.present(error, self)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        style.set_error_style(self.message)
        self.stack.setCurrentWidget(self.message)
        self._set_ready(False)
        self.language.setEnabled(self.sources is not None)
        self.notes.setEnabled(self.sources is not None and not self.request.telerecours)
        self.telerecours.setEnabled(self.sources is not None)

    def _set_ready(self, ready: bool) -> None:
        for action in (
            self.print_action,
            self.save_action,
            self.open_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_action,
        ):
            action.setEnabled(ready)
        self.language.setEnabled(ready)
        self.notes.setEnabled(ready and not self.request.telerecours)  # the Télérecours file has no summary
        self.telerecours.setEnabled(ready)

    # -- zoom ---------------------------------------------------------------------------------------------------

    def _effective_zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count == 0:
            return self.view.zoomFactor()
        page = self.pdf.pagePointSize(0).width() * self.view.logicalDpiX() / 72
        return max(0.1, (self.view.viewport().width() - 24) / page) if page > 0 else 1.0

    def zoom(self, factor: float) -> None:
        current = self._effective_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(4.0, max(0.25, current * factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # -- printing -----------------------------------------------------------------------------------------------

    def print_document(self) -> None:
        if self.rendered is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(self.rendered.suggested_name).stem)
        printer.setCreator("CaseApp")
        if not self.ask_printer(printer):
            return
        try:
            printed = self.print_to(printer)
        except CaseAppError as error:
            self.ctx.errors.present(error, self)
            return
        sent = ngettext("{count} page sent to the printer.", "{count} pages sent to the printer.", printed)
        self.statusBar().showMessage(sent.format(count=printed), 8000)

    def print_to(self, printer: QPrinter) -> int:
        """Paint the pages (the chosen range, or all) on ``printer``, one page image at a time; returns how many."""
        count = self.page_count
        first, last = 0, count - 1
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = printer.fromPage() - 1
            last = min(count, max(printer.toPage(), printer.fromPage())) - 1
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        printer.setFullPage(True)  # the PDF pages carry their own margins
        painter = QPainter()
        if not painter.begin(printer):
            raise CaseAppError(_("The printer could not be started. Check that it is connected and try again."))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            area = printer.paperRect(QPrinter.Unit.DevicePixel)
            for position, index in enumerate(range(first, last + 1)):
                if position and not printer.newPage():
                    raise CaseAppError(_("The printer stopped before the end of the document."))
                points = self.pdf.pagePointSize(index)
                size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = self.pdf.render(index, size)
                painter.drawImage(fit(size, area), image)
                QApplication.processEvents()
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()
        return last - first + 1

    # -- saving and opening -------------------------------------------------------------------------------------

    def save_as_pdf(self) -> None:
        rendered = self.rendered
        if rendered is None:
            return
        folder = self.ctx.settings.last_folder("documents") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        target = self.ctx.prompts.save_file(
            self, _("Save as PDF"), Path(folder) / rendered.suggested_name, _("PDF documents (*.pdf)")
        )
        if target is None:
            return
        self.ctx.settings.set_last_folder("documents", str(target.parent))
        ops.save_copy(self.ctx, rendered, target, owner=self, on_success=self._saved)

    def _saved(self, path: Path) -> None:
        self.last_saved = path
        self.statusBar().showMessage(_("Saved: {path}").format(path=path), 10000)

    def open_in_viewer(self) -> None:
        if self.rendered is None:
            return
        path = ops.viewer_copy(self.rendered)
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self.ctx.prompts.inform(
                self,
                _("Open in the system viewer"),
                _("No program to show PDF files was found. The document is here: {path}").format(path=path),
            )

    # -- closing ------------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.progress is not None:
            self.progress.cancel()
        self.ctx.settings.set_geometry("print_preview", self.saveGeometry())
        self.pdf.close()
        if self.rendered is not None:
            self.rendered.discard()
            self.rendered = None
        super().closeEvent(event)


def open_preview(ctx: AppContext, request: DocumentRequest, parent: QWidget | None) -> PrintPreviewWindow:
    window = PrintPreviewWindow(ctx, request, parent)
    window.show_and_raise()
    return window
