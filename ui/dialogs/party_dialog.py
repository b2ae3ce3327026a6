"""Put a party in a case (a known party is reused by name) or edit its role, counsel and details."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from caseapp.domain.enums import PartyKind, PartyRole, Residence
from caseapp.i18n import _
from caseapp.services.views import PartyView
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, text_or_none
from ui.widgets.combos import EnumCombo


class PartyDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        save: SaveFn,
        party: PartyView | None = None,
        known: list[tuple[uuid.UUID, str]] | None = None,
    ) -> None:
        super().__init__(ctx, _("Edit party") if party else _("Add a party"), parent, save)
        self._party = party
        self.name = self.add_row("name", _("Name"), QLineEdit(party.name if party else "", self), required=True)
        if known:
            completer = QCompleter([name for _id, name in known], self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.name.setCompleter(completer)
        self.role = self.add_row("role", _("Role"), EnumCombo(PartyRole, parent=self))
        self.kind = self.add_row("kind", _("Kind"), EnumCombo(PartyKind, parent=self))
        self.residence = self.add_row("residence", _("Lives in"), EnumCombo(Residence, parent=self))
        self.counsel = self.add_row("counsel", _("Counsel"), QLineEdit(party.counsel or "" if party else "", self))
        self.contact = self.add_row(
            "counsel_contact", _("Counsel's contact"), QLineEdit(party.counsel_contact or "" if party else "", self)
        )
        if party:
            self.role.set_value(party.role)
            self.kind.set_value(party.kind)
            self.residence.set_value(party.residence)
            self.name.setToolTip(_("The name is shared by every case this party is in."))
        else:
            self.kind.set_value(PartyKind.ORGANISATION)
            self.residence.set_value(Residence.FRANCE)
        self.name.setFocus()

    def collect(self) -> Values:
        values: Values = {
            "name": self.name.text().strip(),
            "role": self.role.value(),
            "kind": self.kind.value(),
            "residence": self.residence.value(),
            "counsel": text_or_none(self.counsel),
            "counsel_contact": text_or_none(self.contact),
        }
        if self._party is not None:
            values["party_id"] = self._party.party_id
        return values
