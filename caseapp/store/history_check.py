"""``caseapp audit verify``: the history checked against itself, against the records, and against its anchors.

- the chain: every link (``audit_chain.scan``);
- the records: each one the history sealed against the latest seal about it (``audit_chain.check_records``);
- the imported events: each marked event must be listed by the local import that brought it, each event an import
  lists must still be marked, and an event a bundle brought in that looks forged (dated before its case was
  created, or claiming the name of someone who writes here) is reported;
- the anchors (``caseapp.store.anchors``): those of the anchor file, of the backups in ``backups/`` and of the
  files named with ``--against``. The anchors of this case file (its identifier, or any identifier whose anchor
  the chain still matches) must each name a position the chain has, with the hash it has; a restore recorded (and,
  where there is a key, signed with it) excuses the anchors of the history it abandoned. The contradicted anchor
  is named, with when and how it was written.

Every finding is one sentence for people; the most telling comes first.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.i18n import N_, _, current_language
from caseapp.store import audit_chain
from caseapp.store import models as m
from caseapp.store.anchors import (
    ANCHOR_FILE,
    BACKUP,
    BUNDLE,
    CLOSE,
    FILE,
    RESTORE,
    VERIFY,
    Anchor,
    anchor_of_file,
    database_id,
    load_signer,
    place_of,
    public_key,
    read_backup,
    read_file,
    signature_state,
)

if TYPE_CHECKING:
    from caseapp.store.database import Database

CLOCK_SLACK = timedelta(days=1)  # how far another machine's clock may be off before an event looks backdated

LABELS = {
    "cases": N_("case"),
    "parties": N_("party"),
    "case_parties": N_("party role"),
    "filings": N_("filing"),
    "hearings": N_("hearing"),
    "hearing_notes": N_("hearing note"),
    "opinions": N_("opinion"),
    "evidence": N_("exhibit"),
    "access_requests": N_("access request"),
    "access_request_steps": N_("access request step"),
    "deadlines": N_("deadline"),
    "stored_files": N_("stored file"),
}


def _shown_fingerprint(digits: str) -> str:
    """A key fingerprint (40 hex digits) in ten groups of four, as bundles show it."""
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return " ".join(groups[:5]) + "  " + " ".join(groups[5:])


@dataclass
class HistoryReport:
    """What ``audit verify`` found: ``problems`` (sentences, the most telling first) make it fail."""

    events: int = 0
    records: int = 0
    imported: int = 0
    anchors: int = 0
    newest: Anchor | None = None
    key_here: bool = False
    unsigned: int = 0  # anchors checked that carry no signature this person's key can check
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems


def when(moment: datetime) -> str:
    from caseapp.dates import format_datetime

    return format_datetime(moment, current_language())


def how(anchor: Anchor) -> str:
    """How an anchor came to be written, for people."""
    name = anchor.name or "?"
    if anchor.kind == CLOSE:
        return _("when CaseApp closed")
    if anchor.kind == BACKUP:
        return _("with the backup {name}").format(name=name)
    if anchor.kind == BUNDLE:
        return _("in the bundle {name}").format(name=name)
    if anchor.kind == VERIFY:
        return _("by “caseapp audit verify”")
    if anchor.kind == RESTORE:
        return _("when the backup {name} was restored").format(name=name)
    return _("in {name}").format(name=name)


def _short(digest: str) -> str:
    return digest[:16] + "…"


def _backup_anchors(folder: Path) -> list[Anchor]:
    backups = folder / "backups"
    if not backups.is_dir():
        return []
    found = []
    for path in sorted(backups.glob("*.sqlite3")):
        anchor = read_backup(path)
        if anchor is not None:
            found.append(anchor)
    return found


def verify_history(database: Database, *, against: Sequence[Path] = (), signer: Any | None = None) -> HistoryReport:
    """Check the chain, the records, the imported events and the anchors. Reads only."""
    report = HistoryReport()
    signer = signer if signer is not None else load_signer()
    own_key = public_key(signer)
    report.key_here = own_key is not None
    anchors, bad_lines = read_file(database.data_dir)
    anchors += _backup_anchors(database.data_dir)
    for path in against:
        extra = anchor_of_file(Path(path))
        if extra is None:
            report.problems.append(
                _("“{path}” carries no anchor of a history: it is not a CaseApp bundle or backup.").format(path=path)
            )
        else:
            anchors.append(replace(extra, kind=FILE, name=Path(path).name))
    with database.reader() as session:
        identity = database_id(session)
        found = audit_chain.scan(session, {a.seq for a in anchors})
        report.events = found.count
        if found.broken is not None:
            report.problems.append(_chain_message(found.broken))
            return report
        listed = {name for record in found.imports.values() for name in record.listed or ()}
        if listed:  # an imported event stripped of its mark says nothing about records here (reported below)
            found.records = {k: v for k, v in found.records.items() if str(v.event_id) not in listed}
        report.records, record_problems = audit_chain.check_records(session, found)
        import_problems = _check_imports(session, found)
        titles = _titles(session, [p.sealed.case_id for p in record_problems] + [i.case_id for i in found.imported])
    report.imported = len(found.imported)
    anchor_problems = _check_anchors(report, anchors, found, identity, place_of(database), own_key)
    report.problems += anchor_problems
    report.problems += [_record_message(p, titles) for p in record_problems]
    report.problems += [_import_message(problem, found, titles) for problem in import_problems]
    report.problems += [
        _("The anchor file {path} was altered: its line {line} cannot be read.").format(
            path=database.data_dir / ANCHOR_FILE, line=line
        )
        for line in bad_lines
    ]
    return report


def _chain_message(broken: audit_chain.Break) -> str:
    reasons = {
        "content": _("its content was changed after it was written"),
        "link": _("the event before it was removed or replaced"),
        "sequence": _("events are missing before it"),
    }
    return _("The history was changed behind CaseApp's back: event n° {seq} ({id}): {reason}.").format(
        seq=broken.seq, id=broken.event_id, reason=reasons[broken.reason]
    )


def _lineage(anchors: list[Anchor], found: audit_chain.Scan, identity: str | None) -> set[str]:
    """The case file identifiers that are this history's: its own, and any whose anchor it still matches (a
    case file whose identifier was lost or changed keeps its anchors)."""
    ours = {identity} if identity else set()
    for anchor in anchors:
        if anchor.seq > 0 and found.hashes.get(anchor.seq) == anchor.hash:
            ours.add(anchor.database)
    return ours


def _check_anchors(
    report: HistoryReport,
    anchors: list[Anchor],
    found: audit_chain.Scan,
    identity: str | None,
    place: str,
    own_key: str | None,
) -> list[str]:
    problems: list[str] = []
    usable: list[Anchor] = []
    for anchor in anchors:
        state = signature_state(anchor, own_key)
        if state == "invalid":
            problems.append(
                _("The anchor written on {when} ({how}) was altered: it no longer matches its signature.").format(
                    when=when(anchor.at), how=how(anchor)
                )
            )
            continue
        usable.append(anchor)
    usable = [a for a in usable if a.seq > 0 or a.kind == RESTORE]  # an empty history asserts nothing
    ours = _lineage(usable, found, identity)
    mine = sorted((a for a in usable if a.database in ours), key=lambda a: (a.at, a.order))
    # A restore excuses the anchors of the history it abandoned only if signed with this person's key — or, unsigned,
    # if it was written before that key signed anything here (a forged line added later cannot pass for one).
    first_signed = min((a.at for a in mine if signature_state(a, own_key) == "valid"), default=None)
    untrusted: list[Anchor] = []
    effective: list[Anchor] = []
    for anchor in mine:
        if anchor.kind == RESTORE:
            if signature_state(anchor, own_key) != "valid" and first_signed is not None and anchor.at > first_signed:
                untrusted.append(anchor)  # still a statement of the head it restored, but it excuses nothing
            else:
                effective = [a for a in effective if a.seq <= anchor.seq]
        effective.append(anchor)
    for anchor in usable:
        if anchor.kind == FILE and anchor.database not in ours:
            problems.append(
                _(
                    "{name} is about another case file (identifier {id}): this history cannot be checked against it."
                ).format(name=anchor.name, id=anchor.database)
            )
    last_restore = max((a for a in mine if a.kind == RESTORE and a not in untrusted), key=lambda a: a.at, default=None)
    strangers = [
        a
        for a in usable
        if a.database not in ours and a.place == place and (last_restore is None or a.at > last_restore.at)
    ]
    last_seq, _last_hash = found.last
    rewritten = [a for a in effective if 0 < a.seq <= last_seq and found.hashes.get(a.seq) != a.hash]
    removed = [a for a in effective if a.seq > last_seq]
    report.anchors = len(effective)
    report.newest = max(effective, key=lambda a: (a.at, a.order), default=None)
    report.unsigned = sum(1 for a in effective if signature_state(a, own_key) != "valid")
    excuse = ""
    if untrusted:
        excuse = " " + _(
            "(The restore recorded on {when} is not signed with your key: it does not explain this.)"
        ).format(when=when(untrusted[-1].at))
    if rewritten:
        anchor = min(rewritten, key=lambda a: (a.seq, a.at))
        problems.append(
            _(
                "The history was rewritten: the anchor written on {when} ({how}) says event n° {seq} had the hash "
                "{expected}; it now has {actual}."
            ).format(
                when=when(anchor.at),
                how=how(anchor),
                seq=anchor.seq,
                expected=_short(anchor.hash),
                actual=_short(found.hashes.get(anchor.seq, "?")),
            )
            + excuse
        )
    elif removed:
        anchor = max(removed, key=lambda a: (a.seq, a.at))
        if anchor.seq == last_seq + 1:
            text = _(
                "The history was rewritten: event n° {seq} was removed (the anchor written on {when} ({how}) says "
                "the history reached it)."
            ).format(seq=anchor.seq, when=when(anchor.at), how=how(anchor))
        else:
            text = _(
                "The history was rewritten: events n° {first} to {last} were removed (the anchor written on {when} "
                "({how}) says the history reached event n° {last})."
            ).format(first=last_seq + 1, last=anchor.seq, when=when(anchor.at), how=how(anchor))
        problems.append(text + excuse)
    if strangers:
        stranger = max(strangers, key=lambda a: (a.at, a.order))
        problems.append(
            _(
                "The anchor written on {when} ({how}) is about another history of this case file (identifier "
                "{id}) that this one does not continue: the case file was replaced, or its identifier changed, "
                "outside CaseApp."
            ).format(when=when(stranger.at), how=how(stranger), id=stranger.database)
        )
    return problems


@dataclass(frozen=True)
class _ImportProblem:
    """Something wrong with an imported event (``what``): listed by its import but missing or stripped of its origin,
    not listed by the import it names, or flagged when it was imported."""

    what: str  # "stripped", "missing", "unlisted", "backdated", "local_author"
    event_seq: int | None
    event_id: str
    import_id: uuid.UUID | None
    imported: audit_chain.Imported | None = None


def _check_imports(session: Session, found: audit_chain.Scan) -> list[_ImportProblem]:
    problems: list[_ImportProblem] = []
    for import_id, record in found.imports.items():
        if not record.listed:
            continue
        ids = [i for i in (audit_chain._uuid(text) for text in record.listed) if i is not None]
        present: dict[uuid.UUID, tuple[int, Any, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            events = m.AuditEvent
            for row in session.execute(
                select(events.id, events.seq, events.origin, events.origin_hash).where(events.id.in_(chunk))
            ):
                present[row.id] = (row.seq, row.origin, row.origin_hash)
        for event_id in ids:
            if event_id not in present:
                problems.append(_ImportProblem("missing", None, str(event_id), import_id))
                continue
            seq, origin, origin_hash = present[event_id]
            if origin is None and origin_hash is None:
                problems.append(_ImportProblem("stripped", seq, str(event_id), import_id))
    for event in found.imported:
        origin = event.origin
        if origin is None:
            continue  # imported before origins were kept: its origin_hash still says it came from elsewhere
        event_import = audit_chain._uuid(origin.get("import")) if origin.get("import") else None
        listing = found.imports.get(event_import) if event_import else None
        if event_import is not None and (
            listing is None
            or listing.seq < event.seq
            or (listing.listed is not None and str(event.id) not in listing.listed)
        ):
            problems.append(_ImportProblem("unlisted", event.seq, str(event.id), event_import, event))
        for flag in origin.get("flags") or ():
            if flag in ("backdated", "local_author"):
                problems.append(_ImportProblem(flag, event.seq, str(event.id), event_import, event))
    problems.sort(key=lambda p: p.event_seq or 0)
    return problems


def _titles(session: Session, case_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = sorted({c for c in case_ids if c is not None}, key=str)
    titles: dict[uuid.UUID, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        titles.update(
            {row.id: row.title for row in session.execute(select(m.Case.id, m.Case.title).where(m.Case.id.in_(chunk)))}
        )
    return titles


def _record_message(problem: audit_chain.RecordProblem, titles: dict[uuid.UUID, str]) -> str:
    sealed = problem.sealed
    what = _(LABELS.get(problem.table, problem.table))
    what = what[:1].upper() + what[1:]
    case_id = sealed.case_id if problem.table != "cases" else None
    title = titles.get(case_id) if case_id else None
    if problem.table == "cases":
        record = _("{what} “{title}” ({id})").format(
            what=what, title=titles.get(problem.record_id, "?"), id=problem.record_id
        )
    elif case_id is not None:
        record = _("{what} {id} of the case “{title}”").format(what=what, id=problem.record_id, title=title or case_id)
    else:
        record = f"{what} {problem.record_id}"
    values = {"record": record, "seq": sealed.seq, "when": when(sealed.at)}
    if problem.what == "changed":
        return _("{record} was changed outside CaseApp after event n° {seq} ({when}).").format(**values)
    if problem.what == "removed":
        return _("{record} was removed outside CaseApp after event n° {seq} ({when}).").format(**values)
    return _(
        "{record} was deleted by event n° {seq} ({when}) but is there again: it was put back outside CaseApp."
    ).format(**values)


def _origin_text(origin: dict[str, Any]) -> str:
    signer = origin.get("signer")
    who = origin.get("by") or "?"
    if signer:
        return _("a bundle from {who}, signed with the key {fingerprint}").format(
            who=who, fingerprint=_shown_fingerprint(str(signer))
        )
    return _("an unsigned bundle from {who}").format(who=who)


def _import_message(problem: _ImportProblem, found: audit_chain.Scan, titles: dict[uuid.UUID, str]) -> str:
    record = found.imports.get(problem.import_id) if problem.import_id else None
    import_seq = record.seq if record else "?"
    origin = record.changes if record else {}
    who = origin.get("exported_by") or "?"
    if problem.what == "missing":
        return _(
            "Event {id}, brought in by the import n° {import_seq} (a bundle from {who}), is missing from the history."
        ).format(id=problem.event_id, import_seq=import_seq, who=who)
    if problem.what == "stripped":
        return _(
            "Event n° {seq} was brought in by the import n° {import_seq} (a bundle from {who}) but no longer says "
            "so: it passes for an event written here."
        ).format(seq=problem.event_seq, import_seq=import_seq, who=who)
    event = problem.imported
    assert event is not None and event.origin is not None
    if problem.what == "unlisted":
        return _(
            "Event n° {seq} says it was imported, but the import it names does not list it: its origin was edited."
        ).format(seq=problem.event_seq)
    values = {
        "seq": problem.event_seq,
        "author": event.author,
        "at": when(event.at),
        "source": _origin_text(event.origin),
        "title": titles.get(event.case_id, "?") if event.case_id else "?",
    }
    if problem.what == "backdated":
        return _(
            "Event n° {seq} (by {author}, dated {at}) came from {source}: it is dated before the case “{title}” "
            "was created, which no real event can be."
        ).format(**values)
    return _(
        "Event n° {seq} (dated {at}) came from {source}: it claims to be by {author}, who writes in this case file, "
        "though it was not written here."
    ).format(**values)


def imported_flags(
    session: Session,
    case_id: uuid.UUID,
    rows: list[dict[str, Any]],
    new_ids: Iterable[uuid.UUID],
    *,
    trusted: bool,
) -> dict[uuid.UUID, list[str]]:
    """For a bundle's new events, what makes each look forged: dated before the case was created (here or in the
    bundle, with a day's slack for clocks), or (from a bundle not signed by a trusted key) claiming the name of
    someone who writes in this case file."""
    events = m.AuditEvent
    created = [
        at
        for at in session.scalars(
            select(events.at).where(events.entity == "case", events.action == "create", events.record_id == case_id)
        )
    ]
    created += [
        row["at"]
        for row in rows
        if row["entity"] == "case" and row["action"] == "create" and row["record_id"] == case_id
    ]
    start = min(created) if created else None
    local_authors: set[str] = set()
    if not trusted:
        local_authors = set(
            session.scalars(
                select(events.author).where(events.origin.is_(None), events.origin_hash.is_(None)).distinct()
            )
        )
    wanted = set(new_ids)
    flags: dict[uuid.UUID, list[str]] = {}
    for row in rows:
        if row["id"] not in wanted:
            continue
        found: list[str] = []
        is_creation = row["entity"] == "case" and row["action"] == "create" and row["record_id"] == case_id
        if start is not None and not is_creation and row["at"] < start - CLOCK_SLACK:
            found.append("backdated")
        if row["author"] in local_authors:
            found.append("local_author")
        if found:
            flags[row["id"]] = found
    return flags


def describe_origin(origin: dict[str, Any] | None) -> str:
    """For people: where an imported event came from."""
    if not origin:
        return _("imported from a bundle")
    text = _("imported from {source}").format(source=_origin_text(origin))
    exported = origin.get("at")
    if isinstance(exported, str):
        with contextlib.suppress(ValueError):
            text += _(", exported on {when}").format(when=when(datetime.fromisoformat(exported)))
    flags = origin.get("flags") or ()
    if "backdated" in flags:
        text += _("; dated before the case was created")
    if "local_author" in flags:
        text += _("; claims an author who writes here")
    return text
