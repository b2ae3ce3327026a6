"""Render the application icon from its one source, ``resources/icons/caseapp.svg``, for every desktop.

    uv run python packaging/render_icons.py OUT_DIR

writes ``OUT_DIR/hicolor/{16,32,48,64,128,256,512}x…/apps/fr.caseapp.CaseApp.png`` and
``hicolor/scalable/apps/fr.caseapp.CaseApp.svg`` (the freedesktop icon theme layout, for Linux),
``OUT_DIR/caseapp.ico`` (Windows: 16 to 256 px in one file) and ``OUT_DIR/caseapp.icns`` (macOS).

It uses Qt's SVG renderer and Pillow, both already in the project's environment, so the same command works on
Linux, Windows and macOS with nothing else installed. The output is generated, never committed.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

APP_ID = "fr.caseapp.CaseApp"
SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
SOURCE = Path(__file__).resolve().parent.parent / "resources" / "icons" / "caseapp.svg"


def render(svg: Path, size: int, target: Path) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"render_icons: cannot write {target}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(["render_icons"])
    out = Path(argv[0])
    hicolor = out / "hicolor"
    scalable = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    for size in SIZES:
        render(SOURCE, size, hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png")

    scratch = out / "sizes"
    for size in sorted(set(ICO_SIZES) | set(ICNS_SIZES)):
        render(SOURCE, size, scratch / f"{size}.png")
    images = {size: Image.open(scratch / f"{size}.png").convert("RGBA") for size in set(ICO_SIZES) | set(ICNS_SIZES)}
    largest = images[max(ICO_SIZES)]
    largest.save(
        out / "caseapp.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    images[1024].save(out / "caseapp.icns", append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    shutil.rmtree(scratch)
    print(f"icons written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
