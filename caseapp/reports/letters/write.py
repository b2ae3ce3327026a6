"""A letter laid out as a PDF (ReportLab, on the documents' page template, as a document for the other side: no
mark, nothing about the program), as an OpenDocument text (odfpy) or as a Word document (python-docx) — the last two
for the lawyer to edit before sending. Each is written whole or not at all (a temporary file renamed over the
target).

odfpy and python-docx are dependencies of CaseApp (pure Python, small; python-docx uses lxml): a lawyer gets an
editable letter with nothing more to install. Should one be missing from a hand-made installation, the command says
which and suggests the PDF.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from caseapp.errors import InvalidInput
from caseapp.i18n import _, translate
from caseapp.reports.letters import FORMATS
from caseapp.reports.letters.compose import Letter

FONT = "Liberation Sans"  # the sans-serif the documents embed; word processors substitute when it is absent
BODY_PT = 11


def format_for(path: Path, wanted: str | None) -> str:
    """The format asked for, else the one the file name says (.odt, .docx), else PDF."""
    if wanted:
        if wanted not in FORMATS:
            raise InvalidInput(_("Letters are written as pdf, odt or docx."), field="format")
        return wanted
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "pdf"


def write_letter(letter: Letter, target: Path, fmt: str, *, generated_at: datetime | None = None) -> int:
    """Write ``letter`` to ``target`` in ``fmt``; returns its size in bytes (the PDF: its page count is in the
    result of ``write_pdf``)."""
    if fmt == "pdf":
        return write_pdf(letter, target, generated_at=generated_at)
    data = odt_bytes(letter) if fmt == "odt" else docx_bytes(letter) if fmt == "docx" else None
    if data is None:
        raise InvalidInput(_("Letters are written as pdf, odt or docx."), field="format")
    from caseapp.reports.base import write_atomically

    write_atomically(target, data)
    return len(data)


def _missing(package: str, fmt: str) -> InvalidInput:
    return InvalidInput(
        _(
            "Writing a .{format} file needs the Python package “{package}”, which is not installed: install it "
            "(pip install {package}) or write the letter as a PDF."
        ).format(format=fmt, package=package),
        field="format",
    )


# --- PDF ---------------------------------------------------------------------------------------------------------


def write_pdf(letter: Letter, target: Path, *, generated_at: datetime | None = None) -> int:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, KeepTogether, Spacer

    from caseapp.reports import styles as s
    from caseapp.reports.base import DocumentInfo, Generation, render
    from caseapp.reports.formatting import markup
    from caseapp.reports.styles import Para

    st = s.styles()
    body = ParagraphStyle("letter", parent=st.body, fontSize=10.5, leading=14.5, alignment=TA_JUSTIFY, spaceAfter=7)
    plain = ParagraphStyle("letter_line", parent=body, alignment=0, spaceAfter=0)
    right = ParagraphStyle("letter_right", parent=plain, leftIndent=s.FRAME_WIDTH * 0.52)
    quote = ParagraphStyle("letter_quote", parent=body, leftIndent=10 * mm, rightIndent=6 * mm, alignment=0)
    bold = ParagraphStyle("letter_bold", parent=plain, fontName=s.SANS_BOLD)

    def lines(texts: tuple[str, ...], style: ParagraphStyle) -> list[Flowable]:
        return [Para(markup(text), style) for text in texts]

    flow: list[Flowable] = [*lines(letter.sender, plain), Spacer(1, 8 * mm)]
    flow += [*lines(letter.recipient, right), Spacer(1, 8 * mm), Para(markup(letter.place_date), right)]
    flow += [Spacer(1, 8 * mm), Para(markup(letter.delivery), plain), Para(markup(letter.subject), bold)]
    flow += [*lines(letter.references, plain), Spacer(1, 7 * mm), Para(markup(letter.salutation), body)]
    for paragraph in letter.body:
        flow.append(Para(markup(paragraph.text), quote if paragraph.quote else body))
    closing = [Para(markup(letter.closing), body), Spacer(1, 6 * mm), *lines(letter.signature, right)]
    flow.append(KeepTogether(closing))
    if letter.enclosures:
        flow += [Spacer(1, 10 * mm), Para(markup(translate("Enclosures:", letter.lang)), bold)]
        flow += [Para(markup(f"– {item}"), plain) for item in letter.enclosures]
    info = DocumentInfo(
        title=letter.subject,
        subject=letter.subject,
        header="",
        lang=letter.lang,
        for_court=True,
        confidential=False,
    )
    result = render(info, flow, target, generation=Generation.at(generated_at))
    return result.size


# --- OpenDocument --------------------------------------------------------------------------------------------------


def odt_bytes(letter: Letter) -> bytes:
    try:
        from odf.opendocument import OpenDocumentText
        from odf.style import FontFace, ParagraphProperties, Style, TextProperties
        from odf.text import P
    except ImportError:
        raise _missing("odfpy", "odt") from None
    doc = OpenDocumentText()
    doc.fontfacedecls.addElement(FontFace(name=FONT, fontfamily=FONT, fontfamilygeneric="swiss", fontpitch="variable"))
    language, country = ("fr", "FR") if letter.lang == "fr" else ("en", "GB")

    def style(
        name: str, *, align: str = "start", margin_left: str = "0cm", after: str = "0cm", bold: bool = False
    ) -> Style:
        made = Style(name=name, family="paragraph")
        made.addElement(
            ParagraphProperties(textalign=align, marginleft=margin_left, marginbottom=after, margintop="0cm")
        )
        made.addElement(
            TextProperties(
                fontname=FONT,
                fontsize=f"{BODY_PT}pt",
                fontweight="bold" if bold else "normal",
                language=language,
                country=country,
            )
        )
        doc.styles.addElement(made)
        return made

    line = style("Letter line")
    right = style("Letter right", margin_left="9cm")
    heading = style("Letter subject", bold=True)
    body = style("Letter body", align="justify", after="0.25cm")
    quote = style("Letter quote", margin_left="1cm", after="0.25cm")
    empty = style("Letter space", after="0.4cm")

    def add(text: str, which: Style) -> None:
        doc.text.addElement(P(stylename=which, text=text))

    for text in letter.sender:
        add(text, line)
    add("", empty)
    for text in letter.recipient:
        add(text, right)
    add("", empty)
    add(letter.place_date, right)
    add("", empty)
    add(letter.delivery, line)
    add(letter.subject, heading)
    for text in letter.references:
        add(text, line)
    add("", empty)
    add(letter.salutation, body)
    for paragraph in letter.body:
        add(paragraph.text, quote if paragraph.quote else body)
    add(letter.closing, body)
    add("", empty)
    for text in letter.signature:
        add(text, right)
    if letter.enclosures:
        add("", empty)
        add(translate("Enclosures:", letter.lang), heading)
        for text in letter.enclosures:
            add(f"– {text}", line)
    doc.meta.addElement(_odf_title(letter.subject))
    buffer = io.BytesIO()
    doc.save(buffer)  # a BytesIO: odfpy writes the whole zip into it and closes it properly
    return buffer.getvalue()


def _odf_title(text: str) -> object:
    from odf.dc import Title

    return Title(text=text)


# --- Word ----------------------------------------------------------------------------------------------------------


def docx_bytes(letter: Letter) -> bytes:
    try:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt
    except ImportError:
        raise _missing("python-docx", "docx") from None
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    document.core_properties.title = letter.subject
    document.core_properties.author = ""  # a letter for the other side says nothing about the program
    document.core_properties.language = "fr-FR" if letter.lang == "fr" else "en-GB"

    def add(
        text: str,
        *,
        right: bool = False,
        bold: bool = False,
        justify: bool = False,
        quote: bool = False,
        after: float = 0,
    ) -> None:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(after)
        if right:
            fmt.left_indent = Cm(9)
        if quote:
            fmt.left_indent = Cm(1)
        if justify:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for text in letter.sender:
        add(text)
    add("", after=8)
    for text in letter.recipient:
        add(text, right=True)
    add("", after=8)
    add(letter.place_date, right=True)
    add("", after=8)
    add(letter.delivery)
    add(letter.subject, bold=True)
    for text in letter.references:
        add(text)
    add("", after=8)
    add(letter.salutation, after=7)
    for paragraph in letter.body:
        add(paragraph.text, justify=not paragraph.quote, quote=paragraph.quote, after=7)
    add(letter.closing, after=7)
    add("", after=8)
    for text in letter.signature:
        add(text, right=True)
    if letter.enclosures:
        add("", after=8)
        add(translate("Enclosures:", letter.lang), bold=True)
        for text in letter.enclosures:
            add(f"– {text}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
