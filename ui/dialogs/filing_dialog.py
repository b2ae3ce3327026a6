"""Record a filing or a decision: kind, date, by whom, and what the kind needs — for a court decision its court,
nature, outcome and notification (typed, or deemed from Télérecours), with the routes of appeal worked out beside
the form as it is typed; for a request, when it was received and what silence means; for a letter of the court,
the date it set.

The fields every kind has come first; those of the chosen kind follow, at the end of the form, in room reserved
for the longest of them, so changing the kind never moves a field under the cursor.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from caseapp.domain.enums import CourtLevel, DecisionNature, FilingKind, Outcome, Procedure, SilenceMeaning
from caseapp.errors import InvalidInput
from caseapp.i18n import _
from caseapp.services.views import CaseDetail, FilingView
from ui import spacing
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, from_state, long_text, text_or_none, to_state, tri_state
from ui.operations.lookups import decision_routes
from ui.widgets.combos import EnumCombo, RecordCombo
from ui.widgets.date_field import DateField
from ui.widgets.routes_panel import RoutesPanel

if TYPE_CHECKING:
    from caseapp.services.routes import RoutesView

ROUTES_DELAY_MS = 250  # the routes are worked out once typing pauses
ROUTES_WIDTH = 340
FORM_WIDTH = 560  # the form beside the routes: the whole dialog fits a 1024-pixel-wide screen

# The fields each group of kinds has (beyond those of every kind), in the order of the form.
COURT_DECISION_ROWS = (
    "court_level",
    "decision_nature",
    "outcome",
    "notified_on",
    "made_available_on",
    "consulted_on",
    "appeal_routes_stated",
)
ROWS_OF_KIND: dict[str, tuple[str, ...]] = {
    FilingKind.ORDONNANCE.value: COURT_DECISION_ROWS,
    FilingKind.JUGEMENT.value: COURT_DECISION_ROWS,
    FilingKind.ARRET.value: COURT_DECISION_ROWS,
    FilingKind.DECISION.value: ("outcome", "notified_on", "published", "appeal_routes_stated"),
    FilingKind.DEMANDE_PREALABLE.value: ("received_on", "acknowledged", "silence_means"),
    FilingKind.RECOURS_GRACIEUX.value: ("received_on", "acknowledged"),
    FilingKind.PLAINTE_CNIL.value: ("received_on", "acknowledged", "progress_reported"),
    FilingKind.MISE_EN_DEMEURE.value: ("court_set_on",),
    FilingKind.CALENDRIER_INSTRUCTION.value: ("court_set_on",),
    FilingKind.CRISTALLISATION.value: ("court_set_on",),
    FilingKind.ORDONNANCE_CLOTURE.value: ("court_set_on",),
    FilingKind.REQUETE.value: ("brief_announced",),
}
KIND_ROWS = (
    "court_level",
    "decision_nature",
    "outcome",
    "notified_on",
    "made_available_on",
    "consulted_on",
    "published",
    "appeal_routes_stated",
    "received_on",
    "acknowledged",
    "silence_means",
    "progress_reported",
    "court_set_on",
    "brief_announced",
)
_LEVEL_OF_PROCEDURE = {Procedure.APPEL.value: CourtLevel.CAA.value, Procedure.CASSATION.value: CourtLevel.CE.value}


def case_level(case: CaseDetail | None) -> str | None:
    """The level of the case's court (its name, else its procedure: an appeal is before a court of appeal)."""
    if case is None:
        return None
    from caseapp.services.routes import level_of_court

    return level_of_court(case.court) or _LEVEL_OF_PROCEDURE.get(case.procedure or "")


def natures_of(level: str | None) -> tuple[str, ...]:
    from caseapp.services import routes

    return routes.natures_of(level)


def default_nature(kind: str | None, level: str | None, procedure: str | None) -> str | None:
    """What a court decision most likely is: a judgment, an arrêt, the référé the case is, a decision of the
    Conseil d'État — or nothing (to record) when it cannot be told."""
    if not kind or not FilingKind(kind).is_court_decision:
        return None
    nature: str | None = None
    if level == CourtLevel.CE.value and kind != FilingKind.ORDONNANCE.value:
        nature = DecisionNature.DECISION_CE.value
    elif kind == FilingKind.JUGEMENT.value:
        nature = DecisionNature.JUGEMENT.value
    elif kind == FilingKind.ARRET.value:
        nature = DecisionNature.ARRET.value
    elif kind == FilingKind.ORDONNANCE.value and procedure and procedure.startswith("refere_"):
        nature = procedure
    return nature if nature in natures_of(level) else None


def _fit_popup(combo: QComboBox) -> None:
    """Long labels stay whole in the list even when the combo itself is narrower."""
    view = combo.view()
    view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)


class FilingDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        save: SaveFn,
        filing: FilingView | None = None,
        parties: list[tuple[uuid.UUID, str]] | None = None,
        *,
        case: CaseDetail | None = None,
    ) -> None:
        super().__init__(ctx, _("Edit filing") if filing else _("Add a filing or decision"), parent, save)
        self.case = case
        self.case_id = case.id if case else (filing.case_id if filing else None)
        self.procedure = case.procedure if case else None
        self.kind = self.add_row("kind", _("Kind"), EnumCombo(FilingKind, parent=self))
        self.title_edit = self.add_row("title", _("Title"), QLineEdit(filing.title or "" if filing else "", self))
        self.filed_on = self.add_row("filed_on", _("Date"), DateField("filed_on", "date", parent=self))
        self.party = self.add_row("party_id", _("By"), RecordCombo(empty="—", parent=self))
        self.reference = self.add_row(
            "reference", _("Reference"), QLineEdit(filing.reference or "" if filing else "", self)
        )
        self.summary = self.add_row("summary", _("Summary"), long_text(self, lines=3))
        self.summary.setFixedHeight(self.summary.minimumHeight())  # the room left goes below the form, not here
        self._build_kind_rows()
        self.routes_panel = RoutesPanel(self)
        self.routes_panel.setFixedWidth(ROUTES_WIDTH)
        self.body.addWidget(self.routes_panel)
        self.setMinimumWidth(FORM_WIDTH + ROUTES_WIDTH + spacing.SECTION + 2 * spacing.MARGIN)
        self._routes_timer = QTimer(self)
        self._routes_timer.setSingleShot(True)
        self._routes_timer.setInterval(ROUTES_DELAY_MS)
        self._routes_timer.timeout.connect(self.refresh_routes)
        self._asked = 0  # the latest routes question: older answers arriving late are dropped
        # the nature recorded (or left unrecorded) on an existing court decision, or one picked by hand, is not
        # replaced by a default unless the chosen court does not give it
        self._nature_chosen = filing is not None and FilingKind(filing.kind).is_court_decision
        self._original = filing
        self._party_choices = parties or []
        self._fill(filing)
        self._reserve_room()
        self._kind_changed()
        self._connect()

    # -- building -----------------------------------------------------------------------------------------------

    def _build_kind_rows(self) -> None:
        self.court_level = self.add_row(
            "court_level", _("Court"), EnumCombo(CourtLevel, empty=_("(not known)"), parent=self)
        )
        self.nature = self.add_row("decision_nature", _("Nature"), EnumCombo(DecisionNature, parent=self))
        self.nature.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.nature.setMinimumContentsLength(24)
        self.outcome = self.add_row("outcome", _("Outcome"), EnumCombo(Outcome, empty="—", parent=self))
        self.notified_label = _("Notified on")
        self.notified_on = self.add_row(
            "notified_on", self.notified_label, DateField("notified_on", "date", parent=self)
        )
        # Télérecours: the decision made available, then first consulted (the notification is deemed, R611-8-6)
        self.made_available_on = self.add_row(
            "made_available_on",
            _("On Télérecours since"),
            DateField("made_available_on", "date", parent=self),
        )
        self.consulted_on = self.add_row(
            "consulted_on", _("First consulted on"), DateField("consulted_on", "date", parent=self)
        )
        telerecours = _(
            "Put on Télérecours: the decision is notified when first consulted, or deemed notified two days after "
            "it was put there (CJA R611-8-6)."
        )
        for field in (self.made_available_on, self.consulted_on):
            field.edit.setToolTip(telerecours)
        self.published = self.add_row(
            "published",
            "",
            QCheckBox(_("Published (not notified): the delay runs from publication"), self),
        )
        self.routes = self.add_row(
            "appeal_routes_stated",
            "",
            tri_state(self, _("The decision states the routes and time limits of appeal"), None),
        )
        self.received_on = self.add_row(
            "received_on", _("Received by the administration on"), DateField("received_on", "date", parent=self)
        )
        self.acknowledged = self.add_row(
            "acknowledged", "", tri_state(self, _("An acknowledgement of receipt was sent"), None)
        )
        self.silence_means = self.add_row(
            "silence_means", _("Silence means"), EnumCombo(SilenceMeaning, empty=_("(not known)"), parent=self)
        )
        self.progress_reported = self.add_row(
            "progress_reported",
            "",
            tri_state(self, _("The CNIL reported on the complaint within 3 months"), None),
        )
        self.court_set_on = self.add_row(
            "court_set_on", _("Date set by the court"), DateField("court_set_on", "date", required=True, parent=self)
        )
        self.brief_announced = self.add_row(
            "brief_announced", "", QCheckBox(_("Announces a supplementary brief (cassation)"), self)
        )
        for combo in (self.nature, self.silence_means):
            _fit_popup(combo)

    def _fill(self, filing: FilingView | None) -> None:
        self.party.set_choices(self._party_choices, filing.party_id if filing else None)
        if filing is None:
            self.court_level.set_value(case_level(self.case))
            return
        self.kind.set_value(filing.kind)
        self.filed_on.set_value(filing.filed_on)
        self.summary.setPlainText(filing.summary or "")
        self.court_level.set_value(filing.court_level or case_level(self.case))
        self._set_natures(filing.decision_nature)
        self.outcome.set_value(filing.outcome)
        self.notified_on.set_value(filing.notified_on)
        self.made_available_on.set_value(filing.made_available_on)
        self.consulted_on.set_value(filing.consulted_on)
        self.published.setChecked(bool(filing.published))
        self.routes.setCheckState(to_state(filing.appeal_routes_stated))
        self.received_on.set_value(filing.received_on)
        self.acknowledged.setCheckState(to_state(filing.acknowledged))
        self.silence_means.set_value(filing.silence_means)
        self.progress_reported.setCheckState(to_state(filing.progress_reported))
        self.court_set_on.set_value(filing.court_set_on)
        self.brief_announced.setChecked(bool(filing.brief_announced))

    def _reserve_room(self) -> None:
        """Room for the longest set of kind fields (a court decision's), and labels as wide as the widest of any
        kind, so that changing the kind never moves a field."""
        labels = [self.form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(self.form.rowCount())]
        widgets = [item.widget() for item in labels if item is not None and item.widget() is not None]
        widest = max(widget.sizeHint().width() for widget in widgets)
        for widget in widgets:
            widget.setMinimumWidth(widest)
            if isinstance(widget, QLabel):
                widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for field in self.findChildren(DateField):  # what a date is understood as appears without moving a field
            policy = field.echo.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            field.echo.setSizePolicy(policy)
        for name in KIND_ROWS:
            self._show_row(name, name in COURT_DECISION_ROWS)
        self.adjustSize()
        self.setMinimumHeight(self.sizeHint().height())

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.court_level.currentIndexChanged.connect(self._level_changed)
        self.nature.activated.connect(self._nature_picked)
        self.nature.currentIndexChanged.connect(self._schedule_routes)
        self.published.toggled.connect(self._published_changed)
        self.routes.stateChanged.connect(self._schedule_routes)
        for field in (self.notified_on, self.made_available_on, self.consulted_on):
            field.value_did_change.connect(self._schedule_routes)

    # -- which fields show --------------------------------------------------------------------------------------

    def _show_row(self, name: str, visible: bool) -> None:
        self.set_row_visible(name, visible)

    def rows_shown(self) -> tuple[str, ...]:
        """The kind fields shown for the chosen kind."""
        return ROWS_OF_KIND.get(self.kind.value() or "", ())

    def _kind_changed(self) -> None:
        shown = self.rows_shown()
        for name in KIND_ROWS:
            self._show_row(name, name in shown)
        if self._is_court_decision() and not self._nature_chosen:
            self._set_natures(default_nature(self.kind.value(), self.court_level.value(), self.procedure))
        self._published_changed()
        self._schedule_routes()

    def _is_court_decision(self) -> bool:
        kind = self.kind.value()
        return bool(kind) and FilingKind(kind).is_court_decision

    def _level_changed(self) -> None:
        current = self.nature.value()
        if not self._nature_chosen or current not in natures_of(self.court_level.value()):
            current = default_nature(self.kind.value(), self.court_level.value(), self.procedure)
        self._set_natures(current)
        self._schedule_routes()

    def _set_natures(self, selected: str | None) -> None:
        """The natures the chosen court gives (and 'to record' when the nature is not known)."""
        from caseapp.i18n import current_language

        allowed = natures_of(self.court_level.value())
        lang = current_language()
        self.nature.blockSignals(True)
        self.nature.clear()
        self.nature.addItem(_("(to record)"), None)
        for value in allowed:
            self.nature.addItem(DecisionNature(value).label(lang), value)
        self.nature.set_value(selected if selected in allowed else None)
        self.nature.blockSignals(False)
        _fit_popup(self.nature)

    def natures_offered(self) -> list[str]:
        return [self.nature.itemData(i) for i in range(self.nature.count()) if self.nature.itemData(i)]

    def _nature_picked(self) -> None:
        self._nature_chosen = self.nature.value() is not None

    def _published_changed(self) -> None:
        published = self.published.isChecked() and self.kind.value() == FilingKind.DECISION.value
        text = _("Published on") if published else self.notified_label
        label = self.form.labelForField(self.notified_on)
        if isinstance(label, QLabel):
            label.setText(text)

    # -- the routes, as typed -----------------------------------------------------------------------------------

    def _schedule_routes(self, *_args: Any) -> None:
        if not self._is_court_decision():
            self._routes_timer.stop()
            self._asked += 1
            self.routes_panel.show_message(
                _("Routes of appeal are shown for a court decision (order, judgment, ruling).")
            )
            return
        self.routes_panel.show_pending()
        self._routes_timer.start()

    def route_values(self) -> Values:
        """The decision as typed, for the routes question (a date not understood yet counts as not given)."""

        def day(field: DateField) -> Any:
            try:
                return field.value()
            except InvalidInput:
                return None

        return {
            "kind": self.kind.value(),
            "court_level": self.court_level.value(),
            "decision_nature": self.nature.value(),
            "notified_on": day(self.notified_on),
            "made_available_on": day(self.made_available_on),
            "consulted_on": day(self.consulted_on),
            "appeal_routes_stated": from_state(self.routes),
        }

    def refresh_routes(self) -> None:
        """Ask the core now (the timer does it once typing pauses)."""
        self._routes_timer.stop()
        if not self._is_court_decision():
            return
        self._asked += 1
        asked = self._asked
        decision_routes(
            self.ctx,
            self.case_id,
            self.route_values(),
            owner=self,
            on_success=lambda view: self._routes_found(asked, view),
            on_failure=lambda error: self._routes_failed(asked, error),
        )

    def routes_pending(self) -> bool:
        return self._routes_timer.isActive()

    def _routes_found(self, asked: int, view: RoutesView) -> None:
        if asked == self._asked:
            self.routes_panel.show_routes(view, nature_assumed=self.nature.value() is None)

    def _routes_failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        message = getattr(error, "message", None) or str(error)
        self.routes_panel.show_message("⚠ " + message)

    # -- saving -------------------------------------------------------------------------------------------------

    def collect(self) -> Values:
        kind = self.kind.value()
        shown = set(ROWS_OF_KIND.get(kind or "", ()))

        def pick(name: str, value: Any) -> Any:
            """A field of another kind is left empty (the core refuses a court's facts on a request…)."""
            return value if name in shown else None

        def date_of(field: DateField) -> Any:
            return field.value() if field.name in shown else None

        def flag(name: str, box: QCheckBox) -> bool | None:
            """A two-state box: ticked is yes; unticked is no, or stays not recorded if it was not."""
            if name not in shown:
                return None
            if box.isChecked():
                return True
            return None if self._original is None or getattr(self._original, name) is None else False

        values = {
            "kind": kind,
            "title": text_or_none(self.title_edit),
            "filed_on": self.filed_on.value(),
            "party_id": self.party.value(),
            "reference": text_or_none(self.reference),
            "summary": text_or_none(self.summary),
            "court_level": pick("court_level", self.court_level.value()),
            "decision_nature": pick("decision_nature", self.nature.value()),
            "outcome": pick("outcome", self.outcome.value()),
            "notified_on": date_of(self.notified_on),
            "made_available_on": date_of(self.made_available_on),
            "consulted_on": date_of(self.consulted_on),
            "published": flag("published", self.published),
            "appeal_routes_stated": pick("appeal_routes_stated", from_state(self.routes)),
            "received_on": date_of(self.received_on),
            "acknowledged": pick("acknowledged", from_state(self.acknowledged)),
            "silence_means": pick("silence_means", self.silence_means.value()),
            "progress_reported": pick("progress_reported", from_state(self.progress_reported)),
            "court_set_on": date_of(self.court_set_on),
            "brief_announced": flag("brief_announced", self.brief_announced),
        }
        dates = ("filed_on", "notified_on", "received_on", "made_available_on", "consulted_on", "court_set_on")
        if not any(values[name] for name in (*dates, "title", "reference", "summary")):
            # a bare "Requête" with no date and nothing said about it is a slip, not a filing
            raise InvalidInput(
                _("This filing is empty: give its date, or a title, a reference or a summary."), field="filed_on"
            )
        return values
