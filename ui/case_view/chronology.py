"""The chronology tab: the case's events drawn on a time line — decisions, filings, hearings, opinions, CADA steps and
the exhibits at the date of their document.

Two drawings of the same entries (``caseapp.services.chronology``, which the PDF annex also lays out):

- at the top, the whole span of the case to scale: one mark per event on a horizontal axis, with the years;
- below it, the events one under the other along a vertical axis, the date on its left and what happened on its
  right (the exhibit numbers cited), the space between two events growing with the time between them; a long gap
  is shown broken ("≈") with how long it lasted.

Painted with QPainter (a picture, not a table), in a scroll area, filterable by kind. Nothing here touches the
database: it draws the ``CaseDetail`` the case view already holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QToolTip, QVBoxLayout, QWidget

from caseapp.i18n import _, ngettext
from caseapp.services.chronology import (
    KINDS,
    Chronology,
    ChronologyEntry,
    available_tags,
    build_chronology,
    day_text,
    entry_line,
    exhibit_citation,
    tag_label,
)
from caseapp.services.views import CaseDetail
from ui import spacing, style
from ui.case_view.base import CaseTab
from ui.context import AppContext
from ui.formatting import short_date

# Each kind of event: its colour (hue, saturation) and the shape of its mark.
MARKS: dict[str, tuple[int, int, str]] = {
    "decision": (2, 190, "diamond"),
    "filing": (212, 170, "circle"),
    "hearing": (275, 120, "square"),
    "opinion": (140, 150, "triangle"),
    "cada": (30, 200, "circle"),
    "exhibit": (210, 20, "dot"),
    "case": (0, 0, "ring"),
}
PX_PER_DAY = 0.9  # vertical space the time between two events earns
MAX_GAP = 48  # the most space a gap is given; a longer one is drawn broken
BREAK_DAYS = 60  # from this many days the gap is drawn broken, with its length
OVERVIEW_HEIGHT = 58
MARGIN = 10


def mark_colour(kind: str, palette: QPalette) -> QColor:
    hue, saturation, _shape = MARKS.get(kind, (0, 0, "dot"))
    lightness = 150 if style.is_dark(palette) else 100
    if saturation == 0:
        return palette.color(QPalette.ColorRole.WindowText)
    return QColor.fromHsl(hue, saturation, lightness)


def draw_mark(painter: QPainter, centre: QPointF, kind: str, radius: float, palette: QPalette) -> None:
    """The mark of one event: a diamond for a decision, a square for a hearing, a triangle for an opinion…"""
    colour = mark_colour(kind, palette)
    shape = MARKS.get(kind, (0, 0, "dot"))[2]
    painter.save()
    painter.setPen(QPen(colour.darker(130), 1.2))
    painter.setBrush(colour)
    x, y, r = centre.x(), centre.y(), radius
    if shape == "diamond":
        r *= 1.35
        path = QPainterPath(QPointF(x, y - r))
        for point in (QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)):
            path.lineTo(point)
        path.closeSubpath()
        painter.drawPath(path)
    elif shape == "square":
        painter.drawRect(QRectF(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8))
    elif shape == "triangle":
        path = QPainterPath(QPointF(x, y - r * 1.1))
        path.lineTo(QPointF(x + r * 1.05, y + r * 0.8))
        path.lineTo(QPointF(x - r * 1.05, y + r * 0.8))
        path.closeSubpath()
        painter.drawPath(path)
    elif shape == "ring":
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.setPen(QPen(colour, 2))
        painter.drawEllipse(centre, r, r)
    elif shape == "dot":
        painter.drawEllipse(centre, r * 0.75, r * 0.75)
    else:
        painter.drawEllipse(centre, r, r)
    painter.restore()


def gap_words(days: int) -> str:
    """ "3 mois plus tard", "45 jours plus tard", "2 ans plus tard" (a rounded length, for the reader's eye)."""
    if days >= 730:
        years = round(days / 365.25)
        return ngettext("{count} year later", "{count} years later", years).format(count=years)
    if days >= 60:
        months = round(days / 30.44)
        return ngettext("{count} month later", "{count} months later", months).format(count=months)
    return ngettext("{count} day later", "{count} days later", days).format(count=days)


@dataclass
class _Row:
    """One event of the vertical time line, laid out: where it is drawn and what is drawn above it (a year, a gap)."""

    entry: ChronologyEntry
    top: float
    height: float
    broken_before: int = 0  # days of the broken gap drawn above it (0: none)
    year_before: int | None = None  # a new year begins above it


class TimelineCanvas(QWidget):
    """The drawing itself; ``set_chronology`` gives it the entries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chronology_canvas")
        self.setMouseTracking(True)
        self.chronology: Chronology | None = None
        self.rows: list[_Row] = []
        self.content_height = 0

    # -- layout -----------------------------------------------------------------------------------------------

    def set_chronology(self, chronology: Chronology | None) -> None:
        self.chronology = chronology
        self._lay_out()
        self.update()

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        bold = QFont(self.font())
        bold.setBold(True)
        return self.font(), bold, style.small_font(self)

    def line_height(self) -> int:
        return QFontMetrics(self.font()).height()

    def _lay_out(self) -> None:
        self.rows = []
        entries = self.chronology.entries if self.chronology else ()
        line = self.line_height()
        small = QFontMetrics(style.small_font(self)).height()
        y = float(OVERVIEW_HEIGHT + 2 * MARGIN + line)  # under the overview and the legend
        previous: date | None = None
        for entry in entries:
            row = _Row(entry, 0.0, float(line + (small + 1 if entry.detail or entry.exhibits else 0) + 6))
            if previous is not None:
                days = (entry.day - previous).days
                if previous.year != entry.day.year:
                    row.year_before = entry.day.year
                if days >= BREAK_DAYS:
                    row.broken_before = days
                    y += MAX_GAP * 0.6
                else:
                    y += min(days * PX_PER_DAY, MAX_GAP * 0.6)
                if row.year_before is not None:
                    y += line + 6  # room for the year's pill, under the break
            else:
                row.year_before = entry.day.year
                y += line + 4
            row.top = y
            y += row.height
            self.rows.append(row)
            previous = entry.day
        self.content_height = int(y + MARGIN)
        self.setMinimumHeight(max(self.content_height, 120))

    # -- geometry the painting and the tooltips share ---------------------------------------------------------

    def date_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return max((metrics.horizontalAdvance(day_text(r.entry.day)) for r in self.rows), default=80) + 8

    def axis_x(self) -> float:
        return MARGIN + self.date_width() + 14

    def row_at(self, y: float) -> _Row | None:
        for row in self.rows:
            if row.top - 2 <= y <= row.top + row.height:
                return row
        return None

    # -- painting ---------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt names it
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        if not self.rows:
            painter.setPen(style.muted_colour(palette))
            painter.drawText(
                self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                _("No dated event to draw: give dates to the filings, hearings, opinions and exhibits."),
            )
            painter.end()
            return
        self._paint_overview(painter, palette)
        self._paint_legend(painter, palette)
        self._paint_axis(painter, palette)
        painter.end()

    def _paint_overview(self, painter: QPainter, palette: QPalette) -> None:
        """The whole span to scale: a horizontal axis, the years, a mark per event."""
        first, last = self.rows[0].entry.day, self.rows[-1].entry.day
        left, right = MARGIN + 4.0, self.width() - MARGIN - 4.0
        y = MARGIN + OVERVIEW_HEIGHT * 0.45
        span = max((last - first).days, 1)

        def x_of(day: date) -> float:
            return left + (right - left) * (day - first).days / span

        muted = style.muted_colour(palette)
        painter.setPen(QPen(muted, 1.5))
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setFont(style.small_font(self))
        metrics = QFontMetrics(painter.font())
        last_label = -1e9
        ticks = [(x_of(date(year, 1, 1)), year) for year in range(first.year + 1, last.year + 1)]
        if not ticks or ticks[0][0] - left > 3 * metrics.horizontalAdvance("0000"):
            ticks.insert(0, (left, first.year))  # the first year at the start, when its own tick is far off
        for x, year in ticks:
            painter.setPen(QPen(muted, 1))
            painter.drawLine(QPointF(x, y - 6), QPointF(x, y + 6))
            text = str(year)
            if x - last_label > metrics.horizontalAdvance(text) + 8:
                painter.setPen(palette.color(QPalette.ColorRole.WindowText))
                painter.drawText(QPointF(x - metrics.horizontalAdvance(text) / 2, y + 8 + metrics.ascent()), text)
                last_label = x
        for row in self.rows:
            lift = 0 if row.entry.kind in ("decision", "hearing") else -9 if row.entry.kind != "exhibit" else 9
            draw_mark(painter, QPointF(x_of(row.entry.day), y + lift * 0.6), row.entry.kind, 4.0, palette)
        painter.setPen(muted)
        span_text = f"{short_date(first)} → {short_date(last)}"
        painter.drawText(QPointF(right - metrics.horizontalAdvance(span_text), MARGIN + metrics.ascent()), span_text)

    def _paint_legend(self, painter: QPainter, palette: QPalette) -> None:
        painter.setFont(style.small_font(self))
        metrics = QFontMetrics(painter.font())
        kinds = [k for k in KINDS if any(r.entry.kind == k for r in self.rows)]
        x = float(MARGIN)
        y = MARGIN + OVERVIEW_HEIGHT + metrics.height() / 2
        for kind in kinds:
            text = tag_label(kind)
            draw_mark(painter, QPointF(x + 5, y), kind, 4.5, palette)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(QPointF(x + 14, y + metrics.ascent() / 2 - 1), text)
            x += 14 + metrics.horizontalAdvance(text) + 16

    def _paint_axis(self, painter: QPainter, palette: QPalette) -> None:
        normal, bold, small = self._fonts()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        muted = style.muted_colour(palette)
        axis = self.axis_x()
        label_left = axis + 16
        room = max(self.width() - label_left - MARGIN, 40)
        metrics, bold_metrics, small_metrics = QFontMetrics(normal), QFontMetrics(bold), QFontMetrics(small)
        line = metrics.height()
        top = self.rows[0].top + line / 2
        bottom = self.rows[-1].top + line / 2
        painter.setPen(QPen(muted, 2))
        painter.drawLine(QPointF(axis, top), QPointF(axis, bottom))
        previous: _Row | None = None
        for row in self.rows:
            centre_y = row.top + line / 2
            if previous is not None and row.broken_before:
                below = row.top - (line + 6 if row.year_before is not None else 0)
                self._paint_break(painter, palette, axis, previous.top + previous.height, below, row.broken_before)
            if row.year_before is not None:
                self._paint_year(painter, palette, axis, row.top - line - 2, row.year_before)
            entry = row.entry
            # the date, right-aligned against the axis
            painter.setFont(bold if entry.important else normal)
            painter.setPen(text_colour)
            day = day_text(entry.day)
            width = (bold_metrics if entry.important else metrics).horizontalAdvance(day)
            painter.drawText(QPointF(axis - 14 - width, row.top + metrics.ascent()), day)
            painter.setPen(QPen(muted, 1))
            painter.drawLine(QPointF(axis, centre_y), QPointF(label_left - 4, centre_y))
            draw_mark(painter, QPointF(axis, centre_y), entry.kind, 6.0 if entry.important else 5.0, palette)
            # what happened, and under it the detail and the exhibits cited
            painter.setFont(bold if entry.important else normal)
            painter.setPen(text_colour)
            fitted = (bold_metrics if entry.important else metrics).elidedText(
                entry.text, Qt.TextElideMode.ElideRight, int(room)
            )
            painter.drawText(QPointF(label_left, row.top + metrics.ascent()), fitted)
            second = " — ".join(p for p in (entry.detail, exhibit_citation(entry.exhibits)) if p)
            if second:
                painter.setFont(small)
                painter.setPen(muted)
                fitted = small_metrics.elidedText(second, Qt.TextElideMode.ElideRight, int(room))
                painter.drawText(QPointF(label_left, row.top + line + small_metrics.ascent()), fitted)
            previous = row

    def _paint_break(
        self, painter: QPainter, palette: QPalette, axis: float, above: float, below: float, days: int
    ) -> None:
        """A broken piece of axis ("≈") and how long the gap lasted."""
        middle = (above + below) / 2
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRect(QRectF(axis - 6, middle - 5, 12, 10))
        painter.setPen(QPen(style.muted_colour(palette), 1.5))
        for offset in (-3.0, 3.0):
            painter.drawLine(QPointF(axis - 7, middle + offset + 2), QPointF(axis + 7, middle + offset - 2))
        painter.setFont(style.small_font(self))
        metrics = QFontMetrics(painter.font())
        painter.drawText(QPointF(axis + 16, middle + metrics.ascent() / 2 - 1), gap_words(days))
        painter.restore()

    def _paint_year(self, painter: QPainter, palette: QPalette, axis: float, top: float, year: int) -> None:
        """The year, in a pill on the axis, where it begins."""
        painter.save()
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        text = str(year)
        width = metrics.horizontalAdvance(text) + 12
        rect = QRectF(axis - width / 2, top, width, metrics.height() + 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    # -- the whole text of an event in its tooltip ------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(event.position().y() if hasattr(event, "position") else event.pos().y())
            if row is not None:
                QToolTip.showText(event.globalPos(), entry_line(row.entry), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class ChronologyTab(CaseTab):
    """The chronology of the case, drawn; a filter keeps one kind of event."""

    tab_id = "chronology"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = spacing.flush(QVBoxLayout(self))
        layout.setContentsMargins(0, spacing.SPACING, 0, 0)
        bar = QHBoxLayout()
        bar.setSpacing(spacing.SPACING)
        self.filter_label = QLabel(_("Show:"), self)
        self.filter = QComboBox(self)
        self.filter.setObjectName("chronology_filter")
        self.filter.currentIndexChanged.connect(lambda _index: self._draw())
        self.filter_label.setBuddy(self.filter)
        self.count_label = QLabel(self)
        style.set_muted_style(self.count_label)
        bar.addWidget(self.filter_label)
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.canvas = TimelineCanvas(self)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("chronology_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.canvas)
        layout.addWidget(self.scroll, 1)

    def show_case(self, case: CaseDetail) -> None:
        super().show_case(case)
        wanted = self.filter.currentData()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(_("All events"), "")
        for tag in available_tags(case):
            self.filter.addItem(tag_label(tag), tag)
        index = self.filter.findData(wanted) if wanted else 0
        self.filter.setCurrentIndex(max(index, 0))
        self.filter.blockSignals(False)
        self._draw()

    def _draw(self) -> None:
        if self.case is None:
            self.canvas.set_chronology(None)
            return
        tag = self.filter.currentData()
        chronology = build_chronology(self.case, tags=(tag,) if tag else ())
        self.canvas.set_chronology(chronology)
        count = len(chronology.entries)
        text = ngettext("{count} dated event", "{count} dated events", count).format(count=count)
        undated = len(chronology.undated)
        if undated:
            text += " · " + ngettext("{count} undated", "{count} undated", undated).format(count=undated)
        self.count_label.setText(text)
