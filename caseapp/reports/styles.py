"""The one style sheet of every CaseApp document: the embedded DejaVu fonts, paragraph styles, colours and the
look of tables.

The fonts ship in ``resources/fonts`` (see LICENSE-DejaVu.txt there) so that every accent, œ, « », € and the
narrow no-break space print the same on every machine, and are registered with ReportLab once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, LongTable, Paragraph, Table, TableStyle

from caseapp.errors import StorageError
from caseapp.i18n import _
from caseapp.resources import resource_path

SANS = "CaseApp-Sans"
SANS_BOLD = "CaseApp-Sans-Bold"
SANS_ITALIC = "CaseApp-Sans-Oblique"
MONO = "CaseApp-Mono"
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}

PAGE_SIZE = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 24 * mm  # the running header sits inside the top margin
MARGIN_BOTTOM = 20 * mm  # and the footer inside the bottom one
FRAME_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT

MUTED_HEX = "#5b6470"  # for <font color=...> in paragraph markup
ALERT_HEX = "#a11d2b"
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor(MUTED_HEX)
ACCENT = colors.HexColor("#1f3a5f")
ALERT = colors.HexColor(ALERT_HEX)
RULE = colors.HexColor("#b8c2cc")
HEADER_FILL = colors.HexColor("#e6ebf1")
STRIPE_FILL = colors.HexColor("#f6f8fa")
ALERT_FILL = colors.HexColor("#fbf0f1")

CELL_FONT = (SANS, 8, 10.5)  # font, size and leading of plain-string table cells
_lock = threading.Lock()


@cache
def _register_fonts() -> None:
    for name, file_name in _FONT_FILES.items():
        path = resource_path("fonts", file_name)
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except Exception as exc:  # ReportLab raises its own TTFError, or OSError for a missing file
            raise StorageError(
                _("The font “{name}” that documents embed cannot be read: {reason}.").format(name=file_name, reason=exc)
            ) from exc
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD)


def register_fonts() -> None:
    """Register the embedded fonts with ReportLab (once; safe to call from several threads)."""
    with _lock:
        _register_fonts()


class Para(Paragraph):
    """A Paragraph that remembers its layout for the width it was last laid out at.

    ReportLab lays out every cell of a long table several times (to measure rows, at each page split, then
    to draw); the result depends only on the text, the style and the width, so a cell is broken into lines
    once per width. That halves the time of a thousand-row exhibit list, with byte-identical output.
    """

    _laid_out: tuple[float, object] | None = None  # (width, the line breaks ReportLab computed for it)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # ReportLab's argument names
        # Reuse only our own, untouched result: Paragraph.split() deletes or replaces ``blPara`` at times.
        if self._laid_out is not None:
            width, lines = self._laid_out
            if width == availWidth and lines is getattr(self, "blPara", None):
                return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._laid_out = (availWidth, self.blPara)
        return size


@dataclass(frozen=True)
class Styles:
    """The paragraph styles every document uses, one per role (body text, headings, table cells, exhibits…), made once
    by ``styles``."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    kicker: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_small: ParagraphStyle
    cell_mono: ParagraphStyle
    exhibit: ParagraphStyle
    heading_center: ParagraphStyle
    court: ParagraphStyle
    center_muted: ParagraphStyle


@cache
def _build_styles() -> Styles:
    register_fonts()

    def style(name: str, **values: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": SANS,
            "fontSize": 9.5,
            "leading": 12.5,
            "textColor": INK,
            "alignment": TA_LEFT,
            "splitLongWords": 1,
            "allowWidows": 0,
            "allowOrphans": 0,
        }
        base.update(values)
        return ParagraphStyle(name, **base)

    return Styles(
        body=style("body", spaceAfter=5),
        small=style("small", fontSize=8.5, leading=11, spaceAfter=3),
        muted=style("muted", fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=3),
        kicker=style("kicker", fontName=SANS_BOLD, fontSize=9, leading=12, textColor=MUTED, spaceAfter=4),
        title=style("title", fontName=SANS_BOLD, fontSize=18, leading=23, textColor=ACCENT, spaceAfter=10),
        h1=style("h1", fontName=SANS_BOLD, fontSize=13, leading=17, textColor=ACCENT, spaceBefore=10, spaceAfter=6),
        h2=style("h2", fontName=SANS_BOLD, fontSize=11, leading=14, textColor=ACCENT, spaceBefore=8, spaceAfter=4),
        h3=style("h3", fontName=SANS_BOLD, fontSize=9.5, leading=12.5, spaceBefore=6, spaceAfter=3),
        cell=style("cell", fontSize=8.5, leading=10.5),
        cell_bold=style("cell_bold", fontName=SANS_BOLD, fontSize=8.5, leading=10.5),
        cell_head=style("cell_head", fontName=SANS_BOLD, fontSize=8, leading=10, textColor=ACCENT),
        cell_small=style("cell_small", fontSize=7.5, leading=9.5, textColor=MUTED),
        cell_mono=style("cell_mono", fontName=MONO, fontSize=6.5, leading=8, textColor=MUTED, splitLongWords=1),
        exhibit=style("exhibit", fontSize=10, leading=13.5, leftIndent=22 * mm, firstLineIndent=-22 * mm, spaceAfter=4),
        heading_center=style(
            "heading_center",
            fontName=SANS_BOLD,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=12,
        ),
        court=style("court", fontName=SANS_BOLD, fontSize=11, leading=14, alignment=TA_CENTER, spaceAfter=2),
        center_muted=style("center_muted", fontSize=9, leading=12, alignment=TA_CENTER, textColor=MUTED, spaceAfter=2),
    )


def muted(markup_text: str, size: float = 7.5) -> str:
    """Paragraph markup for a smaller, grey line (the caller escaped any user text in it)."""
    return f"<font size={size} color='{MUTED_HEX}'>{markup_text}</font>"


def alert(markup_text: str) -> str:
    return f"<font color='{ALERT_HEX}'><b>{markup_text}</b></font>"


def styles() -> Styles:
    """The shared paragraph styles (fonts registered on first use)."""
    return _build_styles()


def table(
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    *,
    header: bool = True,
    stripes: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
) -> LongTable:
    """A table in the house style. Its header row repeats on every page it runs over.

    Rows are never split, so no row may be taller than a page: callers shorten the user text they put in
    cells. Cells hold Paragraphs, or short plain strings (dates, numbers: much faster to lay out, but never
    wrapped, and printed in ``CELL_FONT``)."""
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), *CELL_FONT),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    if stripes and len(rows) > (2 if header else 1):
        commands.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, STRIPE_FILL]))
    commands += list(extra)
    result = LongTable(
        [list(row) for row in rows],
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        hAlign="LEFT",
        splitByRow=1,
        splitInRow=0,  # splitting inside rows makes LongTable repeat its header in mid-page: cells are kept short
    )
    result.setStyle(TableStyle(commands))
    return result


def key_values(rows: Sequence[tuple[str, Flowable]], *, label_width: float = 42 * mm) -> LongTable:
    """A two-column table of labels and values (the facts of a case), without a header row."""
    st = styles()
    data = [[Para(name, st.cell_head), value] for name, value in rows]
    return table(
        data,
        [label_width, FRAME_WIDTH - label_width],
        header=False,
        stripes=False,
        extra=[("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)],
    )


def box(content: Sequence[Flowable], *, alert: bool = False) -> Table:
    """A framed block the reader cannot miss: points to check (``alert``: red frame, pale red fill), or a note
    about the procedure (accent frame). It never splits, so keep what it holds short."""
    frame, fill = (ALERT, ALERT_FILL) if alert else (ACCENT, HEADER_FILL)
    result = Table([[list(content)]], colWidths=[FRAME_WIDTH], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, frame),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result
