"""Screenshots of the main screens for the README, taken from the real application under Xvfb.

    Xvfb :99 -screen 0 1400x900x24 &
    DISPLAY=:99 uv run python -m tests.ui.take_screenshots [--out docs/screenshots] [--lang fr|en]

A scratch data folder gets the example cases (plus, so that the agenda has something current, this morning's
hearing with its notes, the next hearing and a brief due), then each screen is shown at the top left of the
screen and captured with ImageMagick's ``import -window root``, cropped to the window. The import preview comes
from a second scratch data folder that already holds an older copy of a case, so that it shows an addition, an
update and a conflict. ``--dialogs`` also captures the other new dialogs (to check their wording, in French
with ``--lang fr``). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
MAX_BYTES = 300 * 1024


def wait(condition: Callable[[], Any], timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get ready")
        QApplication.processEvents()
        time.sleep(0.02)


def settle(seconds: float = 0.6) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def capture(widget: Any, path: Path) -> None:
    """The screen area of a top-level window, as a PNG no bigger than MAX_BYTES."""
    settle()
    frame = widget.frameGeometry()
    crop = f"{frame.width()}x{frame.height()}+{frame.x()}+{frame.y()}"
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["import", "-window", "root", "-crop", crop, "+repage", str(path)], check=True)
    if path.stat().st_size > MAX_BYTES:  # fewer colours first (a UI has few), then smaller
        subprocess.run(["convert", str(path), "-colors", "192", str(path)], check=True)
    scale = 90
    while path.stat().st_size > MAX_BYTES and scale > 40:
        subprocess.run(["convert", str(path), "-resize", f"{scale}%", str(path)], check=True)
        scale -= 10
    print(f"{path}: {frame.width()}x{frame.height()}, {path.stat().st_size // 1024} KB")


def place(widget: Any, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.move(0, 0)
    widget.show()
    widget.raise_()
    widget.activateWindow()


def prepare_data(folder: Path) -> dict[str, Any]:
    """The example cases, and something current in the agenda: this morning's hearing with the notes taken at it,
    the next hearing in three weeks, a brief due in eleven days."""
    from caseapp.casefile.core import open_core
    from caseapp.services import cases, deadlines, demo, hearings

    core = open_core(data_dir=folder, author="Me Martin")
    demo.load_demo(core)
    rows = cases.list_cases(core, limit=20)
    main = next(row for row in rows if row.title.startswith("Vidéosurveillance automatisée à Marseille"))
    today = datetime.now(PARIS).replace(hour=9, minute=30, second=0, microsecond=0)
    court = "Tribunal administratif de Marseille"
    hearing = hearings.add_hearing(core, main.id, starts_at=today, court=court, room="Salle 2")
    for minutes, text in (
        (6, "Le rapporteur public conclut à l'annulation de la décision de refus."),
        (14, "La Ville soutient que le dispositif n'opère aucun traitement de données biométriques."),
        (23, "Me Dupont rappelle l'avis de la CNIL : absence de base légale pour l'analyse automatisée des images."),
        (31, "Le président demande une note en délibéré sur la proportionnalité, sous huit jours."),
        (38, "Délibéré annoncé sous quinzaine."),
    ):
        hearings.add_note(core, hearing.id, text, at=today + timedelta(minutes=minutes))
    hearings.add_hearing(core, main.id, starts_at=today + timedelta(days=21, hours=4, minutes=30), court=court)
    deadlines.add_deadline(
        core, main.id, title="Note en délibéré", due_on=(datetime.now(PARIS) + timedelta(days=8)).date()
    )
    lycees = next(row for row in rows if row.title.startswith("Reconnaissance faciale à l'entrée"))
    core.close()
    return {"main": main.id, "hearing": hearing.id, "lycees": lycees.id}


def prepare_import(source: Path, target: Path, case_id: Any, bundle: Path) -> None:
    """``target`` holds an older copy of the case, edited there too; ``bundle`` is the newer one from ``source``."""
    from caseapp.bundle.export import export_bundle
    from caseapp.bundle.importer import apply_import, inspect_bundle
    from caseapp.casefile.core import open_core
    from caseapp.identity.keys import MemoryKeyStore
    from caseapp.services import cases, hearings

    sender_keys = MemoryKeyStore()
    sender = open_core(data_dir=source, author="Me Martin")
    receiver = open_core(data_dir=target, author="Me Durand")
    first = bundle.with_name("first.casebundle")
    export_bundle(sender, case_id, first, sign=True, include_pdf=False, keystore=sender_keys)
    apply_import(receiver, inspect_bundle(receiver, first, keystore=MemoryKeyStore()), accept_unsigned=True)
    here = cases.get_case(receiver, case_id)
    cases.update_case(receiver, case_id, expected_version=here.version, summary="Résumé revu par Me Durand.")
    there = cases.get_case(sender, case_id)
    cases.update_case(sender, case_id, expected_version=there.version, summary="Résumé revu par Me Martin.")
    hearing = there.hearings[0]
    hearings.add_note(sender, hearing.id, "Le président demande une note en délibéré sur la proportionnalité.")
    hearings.update_hearing(sender, hearing.id, expected_version=hearing.version, room="Salle 4")
    export_bundle(sender, case_id, bundle, sign=True, include_pdf=True, keystore=sender_keys)
    sender.close()
    receiver.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="fr")  # the README shows the window in French, as its users see it
    parser.add_argument("--dialogs", action="store_true", help="also the other new dialogs (to check their text)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="caseapp-shots-"))
    os.environ["CASEAPP_DATA_DIR"] = str(scratch / "data")
    os.environ["CASEAPP_LANG"] = args.lang
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    (scratch / "data").mkdir()
    (scratch / "colleague").mkdir()
    ids = prepare_data(scratch / "data")
    bundle = scratch / "from-me-martin.casebundle"
    prepare_import(scratch / "data", scratch / "colleague", ids["lycees"], bundle)

    from PySide6.QtWidgets import QApplication

    from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
    from ui.context import Location, new_context
    from ui.i18n import QtTranslations, choose_language
    from ui.operations.documents import SUMMARY, DocumentRequest
    from ui.settings import Settings
    from ui.shell import Shell

    set_default_keystore(MemoryKeyStore())
    app = QApplication([sys.argv[0]])
    app.setApplicationName("CaseApp")
    QtTranslations().apply(app, choose_language(args.lang))
    ctx = new_context(Settings.open(scratch / "ui.ini"), Location(scratch / "data", None, "Me Martin"))
    shell = Shell(app, ctx, QtTranslations())
    window = shell.start()
    wait(lambda: ctx.tasks.ready and ctx.tasks.idle)
    place(window, 1360, 860)
    window.show_page("agenda")
    wait(lambda: window.agenda.agenda is not None and ctx.tasks.idle)
    capture(window, args.out / "agenda.png")

    window.open_case(ids["main"], "hearings", ids["hearing"])
    wait(lambda: window.case_view.case is not None and ctx.tasks.idle)
    window.cases_splitter.setSizes([330, 1030])
    capture(window, args.out / "case-view.png")

    window.hearing_mode()
    mode = window.hearing_window
    wait(lambda: mode is not None and mode.model.rowCount() > 0)
    place(mode, 1100, 720)
    mode.field.setPlainText("Note en délibéré à déposer")
    mode.date_field.set_text("dans huit jours")
    capture(mode, args.out / "hearing-mode.png")
    mode.close()

    from ui.documents.preview import open_preview

    preview = open_preview(ctx, DocumentRequest(SUMMARY, ids["lycees"]), window)
    wait(lambda: preview.rendered is not None and not preview.busy)
    place(preview, 1000, 860)
    capture(preview, args.out / "print-preview.png")
    preview.close()

    if args.dialogs:
        from ui.documents.telerecours import start_export

        holder = start_export(ctx, ids["lycees"], window)
        wait(lambda: holder.dialog is not None)
        place(holder.dialog, holder.dialog.sizeHint().width(), holder.dialog.sizeHint().height())
        capture(holder.dialog, args.out / "telerecours.png")
        holder.dialog.reject()
        window.open_case(ids["lycees"])
        wait(lambda: window.case_view.case is not None and window.case_view.case.id == ids["lycees"])
        window.export_bundle()
        dialog = window.dialog
        wait(lambda: dialog.keys is not None)
        dialog.by_passphrase.setChecked(True)
        place(dialog, dialog.sizeHint().width(), dialog.sizeHint().height())
        capture(dialog, args.out / "export-bundle.png")
        dialog.reject()
        window.open_keys()
        keys = window.dialog
        wait(lambda: keys.info is not None)
        place(keys, 760, 480)
        capture(keys, args.out / "keys.png")
        keys.reject()
        from caseapp.errors import Conflict
        from ui.errors import describe_conflict
        from ui.prompts import Prompts

        conflict = Conflict("")
        conflict.changed_by, conflict.changed_at = "Me Durand", datetime.now(PARIS)
        title, text = describe_conflict(conflict, deleting=False)
        from PySide6.QtCore import QTimer

        def shoot_box() -> None:
            box = QApplication.activeModalWidget()
            if box is not None:
                box.move(0, 0)
                capture(box, args.out / "conflict.png")
                box.reject()

        QTimer.singleShot(800, shoot_box)
        Prompts().settle_conflict(window, title, text, deleting=False)
    window.close()
    ctx.close()

    other = new_context(Settings.open(scratch / "ui2.ini"), Location(scratch / "colleague", None, "Me Durand"))
    other_shell = Shell(app, other, QtTranslations())
    other_window = other_shell.start()
    wait(lambda: other.tasks.ready and other.tasks.idle)
    place(other_window, 1360, 860)
    other_window.handle_arguments([str(bundle)])
    wait(lambda: other_window.bundle_import is not None and other_window.bundle_import.dialog is not None)
    dialog = other_window.bundle_import.dialog
    place(dialog, 900, 720)
    capture(dialog, args.out / "import-preview.png")
    dialog.reject()
    other_window.close()
    other.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
