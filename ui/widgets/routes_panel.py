"""What can be done against a court decision, before which court and by when: the answer of
``caseapp.services.routes.decision_routes`` shown beside the decision's dialog while it is typed.

Each route is one line ("Cassation → Conseil d'État — last day Friday 27 March 2020 (CJA L523-1 al. 1 ; R523-1),
to verify") with its reasoning in a tooltip; the ordinary routes come first (or a line saying none lies), then the
exceptional remedies. What was assumed because it was not recorded, and why no answer can be given, are shown as
warnings above the routes.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from caseapp.domain.enums import CourtLevel, DecisionNature
from caseapp.i18n import _
from ui import spacing, style
from ui.formatting import long_date
from ui.i18n import label

if TYPE_CHECKING:
    from caseapp.services.routes import RoutesView, RouteView

WARNING = "⚠"


def route_head(route: RouteView) -> str:
    """ "Cassation → Conseil d'État"; an exceptional remedy is named by what it is."""
    kinds = {"appeal": _("Appeal"), "cassation": _("Cassation")}
    what = kinds.get(route.kind) or route.label
    return f"{what} → {label(CourtLevel, route.court)}" if route.court else what


def route_when(route: RouteView) -> str:
    if route.last_day is not None:
        when = _("last day {day}").format(day=long_date(route.last_day))
        if route.arguable_day is not None and route.arguable_day != route.last_day:
            when += " " + _("(arguably {day})").format(day=long_date(route.arguable_day))
        return when
    if route.kind == "other":
        return _("no date follows from the notification")
    return _("no last day can be computed: see its explanation")


def route_text(route: RouteView) -> str:
    """The route as one line of plain text."""
    verify = _(", to verify") if route.to_verify else ""
    return f"{route_head(route)} — {route_when(route)} ({route.legal_basis}){verify}"


def _route_html(route: RouteView) -> str:
    verify = html.escape(_(", to verify")) if route.to_verify else ""
    rest = html.escape(f" — {route_when(route)} ({route.legal_basis})")
    return f"<b>{html.escape(route_head(route))}</b>{rest}{verify}"


def _tooltip(route: RouteView) -> str:
    lines = "<br>".join(html.escape(line) for line in route.explanation.splitlines())
    return f"<p><b>{html.escape(route.label)}</b></p><p>{lines}</p>"


class RoutesPanel(QScrollArea):
    """``show_routes(view)`` shows an answer; ``texts()`` gives what is shown, line by line, as plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routes_panel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        self.title = QLabel(_("Routes of appeal"), body)
        self.title.setFont(style.scaled_font(self, 1.1, bold=True))
        self.subtitle = QLabel(body)
        self.subtitle.setObjectName("routes_subtitle")
        self.subtitle.setWordWrap(True)
        style.set_muted_style(self.subtitle)
        self.lines = QVBoxLayout()
        spacing.flush(self.lines, spacing.SPACING)
        layout = QVBoxLayout(body)
        spacing.page(layout)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(self.lines)
        layout.addStretch(1)
        self.setWidget(body)
        self._body = body
        self._texts: list[str] = []
        self.view: RoutesView | None = None
        self.show_message(_("Routes of appeal are shown for a court decision (order, judgment, ruling)."))

    # -- what is shown ------------------------------------------------------------------------------------------

    def texts(self) -> list[str]:
        """Every line shown under the title, as plain text (tests and screen readers read it)."""
        return [self.subtitle.text(), *self._texts] if self.subtitle.text() else list(self._texts)

    def warnings(self) -> list[str]:
        return [text for text in self._texts if text.startswith(WARNING)]

    def _clear(self) -> None:
        self._texts = []
        while self.lines.count():
            item = self.lines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _line(self, text: str, *, rich: str | None = None, tip: str | None = None, kind: str = "route") -> QLabel:
        line = QLabel(self._body)
        line.setObjectName(f"routes_{kind}")
        line.setWordWrap(True)
        line.setTextFormat(Qt.TextFormat.RichText if rich is not None else Qt.TextFormat.PlainText)
        line.setText(rich if rich is not None else text)
        line.setAccessibleName(text)
        if tip:
            line.setToolTip(tip)
        if kind == "warning":
            style.set_error_style(line)
        elif kind == "caption":
            style.set_muted_style(line)
        self.lines.addWidget(line)
        self._texts.append(text)
        return line

    def show_message(self, text: str) -> None:
        """No answer to show (not a court decision, or still working it out)."""
        self.view = None
        self._clear()
        self.subtitle.setText(text)

    def show_pending(self) -> None:
        self.subtitle.setText(_("Working out the routes…"))

    def show_routes(self, view: RoutesView, *, nature_assumed: bool = False) -> None:
        """``nature_assumed``: no nature was recorded, and the answer is for the one the decision most likely is."""
        self.view = view
        self._clear()
        self.subtitle.setText(self._describe(view))
        if view.problem:
            self._line(f"{WARNING} {view.problem}", kind="warning")
        for assumed in view.assumed:
            self._line(f"{WARNING} {assumed}", kind="warning")
        if nature_assumed and view.decision_nature:
            text = _("Nature not recorded: taken as “{nature}”. Record it to be sure.")
            self._line(f"{WARNING} " + text.format(nature=label(DecisionNature, view.decision_nature)), kind="warning")
        if view.notified_on is None or view.decision_nature is None or view.problem:
            if not view.problem and view.notified_on is None:
                self._line(
                    _("Give the date of notification (or of availability on Télérecours) to see the last days."),
                    kind="caption",
                )
            return
        ordinary = view.ordinary
        if not ordinary:
            self._line(_("No appeal or cassation lies against this decision."), kind="none")
        for route in ordinary:
            self._line(route_text(route), rich=_route_html(route), tip=_tooltip(route))
        others = [route for route in view.routes if route.kind == "other"]
        if others:
            self._line(_("Exceptional remedies"), kind="caption")
        for route in others:
            self._line(route_text(route), rich=_route_html(route), tip=_tooltip(route), kind="other")

    def _describe(self, view: RoutesView) -> str:
        parts = []
        if view.decision_nature:
            parts.append(label(DecisionNature, view.decision_nature))
        if view.court_level:
            parts.append(label(CourtLevel, view.court_level))
        text = " — ".join(parts)
        if view.notified_on is not None:
            text += ", " + _("notified on {day}").format(day=long_date(view.notified_on))
        return text
