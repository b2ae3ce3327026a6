"""The history a bundle carries: checked on import, then appended to the local tamper-evident chain.

A bundle holds the audit events of its case as they were on the sender's machine (with ``seq``, ``prev_hash``
and ``hash``). They are a slice of the sender's chain — events of other cases sit between them — so what can be
checked here is that each event still has the hash of its own content and that consecutive events link up.
On import each new event is appended to the local chain (new ``seq`` and ``hash``), keeps the hash it had on
the machine it was first written on in ``origin_hash`` and its seal (what it said of its record there, part of its
hashed content), and is marked as imported (``origin``: the bundle's author, date and signer, and the local import
event, whose seal lists every event it brought in). ``origin`` is this database's own note: never sent in a
bundle, so an event re-exported by a colleague keeps the hash it had where it was written.

This is the one place to change when the chain API changes (``caseapp.store.audit_chain``).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from caseapp.i18n import _
from caseapp.store.models import AuditEvent

CONTENT = ("id", "at", "author", "action", "entity", "record_id", "case_id", "summary", "changes", "seal")


def _event(row: dict[str, Any]) -> AuditEvent:
    """An event of the bundle as the chain reads it: plain attributes (an ORM object per event would cost a third
    of checking a big case's history)."""
    return cast(AuditEvent, SimpleNamespace(**{key: row[key] for key in CONTENT}))


def check_events(rows: list[dict[str, Any]]) -> str | None:
    """A sentence saying where the bundle's history does not hold together, or None when it does."""
    from caseapp.store import audit_chain

    previous: dict[str, Any] | None = None
    for row in sorted(rows, key=lambda r: r["seq"]):
        if audit_chain.link_hash(row["prev_hash"], _event(row)) != row["hash"]:
            return _("The history in the bundle was altered: event {id} no longer matches its hash.").format(
                id=row["id"]
            )
        if previous is not None and previous["seq"] + 1 == row["seq"] and row["prev_hash"] != previous["hash"]:
            return _("The history in the bundle was altered: event {id} does not follow the one before it.").format(
                id=row["id"]
            )
        previous = row
    return None


def imported_event(row: dict[str, Any]) -> AuditEvent:
    """A bundle's event, ready to be appended to the local chain (which gives it ``seq`` and ``hash``). The
    importer marks it with its ``origin`` (``mark_imported``) before the commit."""
    event = AuditEvent(**{key: row.get(key) for key in CONTENT})
    event.origin_hash = row["origin_hash"] or row["hash"]
    return event


def mark_imported(
    events: list[AuditEvent], import_event: AuditEvent, origin: dict[str, Any], flags: dict[Any, list[str]]
) -> list[str]:
    """Mark the events a bundle brought in as imported, naming the import event, the bundle's author, date and
    signer, and what makes an event look forged (``flags``). Returns their identifiers, for the import event's
    seal (which vouches for the marks: an event listed there that no longer says it was imported shows)."""
    listed: list[str] = []
    for event in events:
        if event is import_event or event.origin_hash is None:
            continue
        marks = {**origin, "import": str(import_event.id)}
        if flags.get(event.id):
            marks["flags"] = list(flags[event.id])
        event.origin = marks
        listed.append(str(event.id))
    return listed


def same_event(local: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Whether an event already here is the bundle's event (same content; hashes differ between chains)."""
    from caseapp.bundle.content import encode

    for key in CONTENT:
        mine, theirs = local[key], incoming[key]
        if mine != theirs and encode(mine) != encode(theirs):  # equal values need no encoding (most fields)
            return False
    return True
