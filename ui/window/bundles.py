"""Case bundles from the window: File › Export case bundle…, Import case bundle…, Take this case offline…, Bundle
keys…; a ``.casebundle`` dropped on the window, or passed on the command line (by this CaseApp or a second one),
opens its import preview. The dialogs are imported when first used."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from caseapp.i18n import _

if TYPE_CHECKING:
    import uuid

    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    from caseapp.services.checkouts import TakenOut
    from caseapp.services.views import CaseDetail
    from ui.main_window import MainWindow


def bundle_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.name.lower().endswith(".casebundle")]


class Bundles:
    """The bundle actions of a window (a plain class, like the others on the way to the first paint)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.taken: TakenOut | None = None  # what the last "Take this case offline…" did
        self.export_action = window.new_action(
            _("Export case bundle…"), self.export, icon_name="bundle_export", shortcut="export_bundle"
        )
        self.import_action = window.new_action(
            _("Import case bundle…"), self.import_bundle, icon_name="bundle_import", shortcut="import_bundle"
        )
        self.offline_action = window.new_action(
            _("Take this case offline…"), self.take_offline, icon_name="bundle_export", name="take_offline"
        )
        self.keys_action = window.new_action(_("Bundle keys…"), self.open_keys, icon_name="key", name="bundle_keys")
        separator = QAction(window)
        separator.setSeparator(True)
        window.file_menu.insertActions(
            window.documents_anchor,
            [separator, self.export_action, self.import_action, self.offline_action, self.keys_action],
        )

    def update(self, case: CaseDetail | None) -> None:
        self.export_action.setEnabled(case is not None)
        self.offline_action.setEnabled(case is not None)

    def export(self) -> None:
        from ui.bundles.export_dialog import ExportBundleDialog

        window = self.window
        case = window.current_case()
        if case is None:
            return
        dialog = ExportBundleDialog(self.ctx, case.id, case.title, case.court_number, window)
        window.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def take_offline(self) -> None:
        """Write the open case's bundle for a laptop and mark the case as taken offline by this person (asking first
        when it is already taken)."""
        from PySide6.QtCore import QStandardPaths

        from caseapp.services.checkouts import describe
        from ui.operations.bundles import BUNDLE_SUFFIX
        from ui.operations.documents import safe_file_name

        window = self.window
        case = window.current_case()
        if case is None:
            return
        again = case.taken_offline is not None
        if case.taken_offline is not None and not self._take_again(describe(case.taken_offline)):
            return
        folder = self.ctx.settings.last_folder("bundles") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = safe_file_name(case.court_number or case.title) + BUNDLE_SUFFIX
        target = self.ctx.prompts.save_file(
            window, _("Save the bundle for the laptop as"), Path(folder) / name, _("Case bundles (*.casebundle)")
        )
        if target is None:
            return
        self.ctx.settings.set_last_folder("bundles", str(target.parent))
        self._checkout(case.id, target, again)

    def _take_again(self, taken: str) -> bool:
        return self.ctx.prompts.confirm(
            self.window,
            _("Take this case offline"),
            _("{taken}. Take it offline again? The mark will then name you.").format(taken=taken),
            action=_("Take it again"),
        )

    def _checkout(self, case_id: uuid.UUID, target: Path, again: bool) -> None:
        from caseapp.services.checkouts import TakenAlready, describe
        from ui.operations import bundles as ops

        window = self.window

        def done(result: TakenOut) -> None:
            from caseapp.services.bundles import written_sentence

            self.taken = result
            report = result.export
            lines = [
                written_sentence(report),
                _("Signed with your key.") if report.signed_by else _("Not signed."),
                _("{taken}: colleagues see it, and can still edit the case.").format(taken=describe(result.mark)),
                _("On the laptop, import this bundle; once back, import the bundle the laptop writes."),
            ]
            self.ctx.prompts.inform(window, _("Take this case offline"), "\n".join(lines))

        def failed(error: BaseException) -> None:
            # taken by a colleague since the case was shown: asked now, and taken again only if confirmed
            if isinstance(error, TakenAlready) and not again:
                if self._take_again(describe(error.mark)):
                    self._checkout(case_id, target, True)
                return
            self.ctx.errors.present(error, window)

        ops.checkout(self.ctx, case_id, target, again=again, parent=window, on_success=done, on_failure=failed)

    def import_bundle(self, path: Path | None = None) -> None:
        """Open a bundle's import preview (asking which file when none is given)."""
        from ui.bundles.import_dialog import start_import

        window = self.window
        if path is None:
            path = self.ctx.prompts.open_file(
                window,
                _("Import case bundle"),
                _("Case bundles (*.casebundle);;All files (*)"),
                start=self.ctx.settings.last_folder("bundles"),
            )
            if path is None:
                return
            self.ctx.settings.set_last_folder("bundles", str(path.parent))
        window.bring_to_front()
        window.bundle_import = start_import(self.ctx, path, window)

    def open_keys(self) -> None:
        from ui.bundles.keys_dialog import KeysDialog

        window = self.window
        dialog = KeysDialog(self.ctx, window)
        window.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def dropped(self, event: QDropEvent) -> bool:
        """Import the first bundle file dropped (False: the drop held none)."""
        found = [path for path in bundle_files(event) if path.is_file()]
        if not found:
            return False
        event.acceptProposedAction()
        self.import_bundle(found[0])
        return True

    def open_arguments(self, argv: list[str]) -> None:
        """The first bundle among command-line arguments opens its import preview, once the case file is open."""
        from ui.operations.bundles import is_bundle

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
