"""The history tab never shows an event that came in a bundle as one written here."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from caseapp.casefile.views import AuditView, EventOrigin
from ui.case_view.history import _changes, _who


def event(origin: EventOrigin | None) -> AuditView:
    return AuditView(
        uuid.uuid4(), datetime(2019, 1, 1, tzinfo=UTC), "Greffe du tribunal", "create", "note", uuid.uuid4(), None,
        "Note", {}, origin,
    )  # fmt: skip


def test_imported_events_say_so_and_suspicious_ones_ask_to_be_checked() -> None:
    assert _who(event(None)) == "Greffe du tribunal"
    trusted = EventOrigin("Alice", datetime(2026, 12, 1, tzinfo=UTC), "ab12", "trusted", (), "Imported from Alice")
    assert _who(event(trusted)) == "Greffe du tribunal (imported)"
    forged = EventOrigin("Mallory", None, None, "unsigned", ("backdated",), "Dated before its case was created")
    assert _who(event(forged)) == "Greffe du tribunal (imported — to check)"
    assert "Dated before its case was created" in _changes(event(forged))
