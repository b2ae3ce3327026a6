"""Merging a bundle's records into the local database, by UUID.

For each record of the bundle:

- not here → **added**;
- here with the same content → nothing to do (re-importing a bundle changes nothing);
- here with other content → **updated** when the local copy is an ancestor of the bundle's: the local history
  has no event about the record that the bundle's history lacks, and the local version is not newer;
- otherwise a **conflict** ("changed here since it was received", "newer here"): the person chooses, per
  record, to keep theirs (``KEEP_MINE``, the default) or take the bundle's (``TAKE_THEIRS``).

Records that cannot be the same thing (an exhibit here in another case, a stored file with other bytes, a
history event with other content) make the whole bundle refused. Exhibit numbers are unique in a case: when an
incoming exhibit and one here want the same number, that is a conflict too, and the one that gives way gets the
next free number (recorded in the history). Records here that the bundle lacks are left alone.

Stored files are records like the others, whether or not the bundle carries the files themselves: a bundle
exported without its evidence files brings the exhibits and their stored-file records (name, size, SHA-256), and
the files it cannot bring and the store lacks are ``missing_files``. A later bundle that does carry them brings
them into the store (``new_files``) without changing any record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from caseapp.bundle import history
from caseapp.bundle.content import BOOKKEEPING, TABLES, Content, Row, encode, table
from caseapp.errors import BundleError, InvalidInput
from caseapp.i18n import N_, _
from caseapp.services.uow import UnitOfWork
from caseapp.store import models as m
from caseapp.store.files import EvidenceStore

KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"
ADD, UPDATE, CONFLICT = "add", "update", "conflict"
CHANGED_HERE, NEWER_HERE, NUMBER = "changed_here", "newer_here", "number"


def _when(value: Any) -> str:
    return encode(value)[:16].replace("T", " ") if value is not None else "—"


@dataclass(frozen=True)
class Rule:
    """How one kind of record merges."""

    label: str  # for people, marked with N_()
    entity: str | None  # its name in the history (to find local edits of it)
    describe: Callable[[Row], str]
    fixed: tuple[str, ...] = ()  # columns that never change: another value means another record
    owner: str = "id"  # whose history events tell about this record
    immutable: bool = False


RULES: dict[str, Rule] = {
    "stored_files": Rule(N_("stored file"), None, lambda r: r["original_name"], immutable=True),
    "parties": Rule(N_("party"), "party", lambda r: r["name"]),
    "cases": Rule(N_("case"), "case", lambda r: r["title"]),
    "case_parties": Rule(N_("party role"), "case_party", lambda r: encode(r["role"]), fixed=("case_id", "party_id")),
    "filings": Rule(
        N_("filing"),
        "filing",
        lambda r: f"{encode(r['kind'])} {_when(r['filed_on'])} {r['title'] or ''}".strip(),
        fixed=("case_id",),
    ),
    "hearings": Rule(N_("hearing"), "hearing", lambda r: f"{_when(r['starts_at'])} UTC", fixed=("case_id",)),
    "hearing_notes": Rule(N_("hearing note"), "note", lambda r: r["text"][:60], fixed=("hearing_id",)),
    "opinions": Rule(N_("opinion"), "opinion", lambda r: r["title"]),
    "access_requests": Rule(N_("access request"), "access_request", lambda r: r["administration"]),
    "access_request_steps": Rule(
        N_("access request step"),
        "access_request",
        lambda r: f"{encode(r['status'])} {_when(r['on'])}",
        fixed=("request_id",),
        owner="request_id",
    ),
    "deadlines": Rule(
        N_("deadline"), "deadline", lambda r: f"{r['title']} ({_when(r['due_on'])})", fixed=("case_id", "request_id")
    ),
    "evidence": Rule(N_("exhibit"), "evidence", lambda r: f"n° {r['number']} — {r['title']}", fixed=("case_id",)),
}
RECORD_TABLES = tuple(name for name in TABLES if name in RULES)


@dataclass(frozen=True)
class Change:
    """One record the import adds, updates, or asks about."""

    table: str
    record_id: uuid.UUID
    label: str  # what kind of record, for people (translated)
    description: str
    action: str  # ADD, UPDATE or CONFLICT
    fields: tuple[str, ...] = ()  # what differs (updates and conflicts)
    mine: dict[str, Any] = field(default_factory=dict)  # the differing fields here, as JSON values
    theirs: dict[str, Any] = field(default_factory=dict)  # ... and in the bundle
    local_version: int | None = None
    bundle_version: int | None = None
    reason: str | None = None  # conflicts: CHANGED_HERE, NEWER_HERE or NUMBER
    other_id: uuid.UUID | None = None  # NUMBER: the exhibit here that wants the same number

    @property
    def explanation(self) -> str:
        if self.reason == NEWER_HERE:
            return _("the copy here is newer (version {mine}; the bundle has version {theirs})").format(
                mine=self.local_version, theirs=self.bundle_version
            )
        if self.reason == CHANGED_HERE:
            return _("it was changed here since it was received")
        if self.reason == NUMBER:
            return _("an exhibit here already has n° {number}").format(number=self.theirs.get("number"))
        return ""


@dataclass
class Plan:
    additions: list[Change] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    unchanged: int = 0
    inserts: dict[str, list[Row]] = field(default_factory=dict)
    replaces: dict[str, list[Row]] = field(default_factory=dict)  # UPDATE rows (bundle's values)
    choosable: dict[uuid.UUID, tuple[str, Row]] = field(default_factory=dict)  # conflicts: table, bundle row
    bundle_tags: list[Row] = field(default_factory=list)  # the case's tags, written along with the case
    new_links: list[Row] = field(default_factory=list)
    new_events: list[Row] = field(default_factory=list)
    new_files: list[str] = field(default_factory=list)  # digests missing from the evidence store
    missing_files: list[str] = field(default_factory=list)  # ... that the bundle does not carry either
    case_evidence: dict[uuid.UUID, int] = field(default_factory=dict)  # number of each exhibit here
    notes: list[str] = field(default_factory=list)

    @property
    def conflict_ids(self) -> set[uuid.UUID]:
        return {change.record_id for change in self.conflicts}

    @property
    def nothing_to_do(self) -> bool:
        """True when importing would change nothing (unless a conflict is settled with the bundle's copy)."""
        return not (self.additions or self.updates or self.new_links or self.new_events or self.new_files) and not any(
            self.inserts.values()
        )

    def takes_any(self, choices: dict[uuid.UUID, str]) -> bool:
        return any(choices.get(record_id) == TAKE_THEIRS for record_id in self.choosable)


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _local_rows(session: Session, name: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, Row]:
    source = table(name)
    found: dict[uuid.UUID, Row] = {}
    for chunk in _chunks(ids):
        for row in session.execute(select(source).where(source.c.id.in_(chunk))):
            found[row.id] = dict(row._mapping)
    return found


def _content(row: Row) -> dict[str, Any]:
    return {key: encode(value) for key, value in row.items() if key not in BOOKKEEPING}


def _collision(label: str, record_id: uuid.UUID, reason: str) -> BundleError:
    return BundleError(
        _(
            "The bundle's {what} {id} is already here as something else ({reason}): CaseApp cannot tell which is "
            "right. Nothing was imported."
        ).format(what=_(label), id=record_id, reason=reason)
    )


def plan(session: Session, content: Content, store: EvidenceStore) -> Plan:
    """Compare the bundle with the database (read only) and say what an import would do."""
    result = Plan()
    case_id = content.case_id
    rows = content.rows
    bundle_events = {row["id"] for row in rows["audit_events"]}
    local: dict[str, dict[uuid.UUID, Row]] = {
        name: _local_rows(session, name, [row["id"] for row in rows[name]]) for name in RECORD_TABLES
    }
    edits = _local_edits(session, content)
    case_row = dict(rows["cases"][0])
    parent = case_row["parent_id"]
    if parent is not None and session.get(m.Case, parent) is None:
        case_row["parent_id"] = None
        case_row["parent_relation"] = None
        result.notes.append(_("The case's parent case is not here: the link to it was left out."))
    local_tags = sorted(session.scalars(select(m.CaseTag.tag).where(m.CaseTag.case_id == case_id)))
    bundle_tags = sorted(row["tag"] for row in rows["case_tags"])
    links_here = {
        (party, role): link
        for link, party, role in session.execute(
            select(m.CaseParty.id, m.CaseParty.party_id, m.CaseParty.role).where(m.CaseParty.case_id == case_id)
        )
    }
    for name in RECORD_TABLES:
        rule = RULES[name]
        result.inserts[name] = []
        result.replaces[name] = []
        for incoming in rows[name]:
            bundle_row = case_row if name == "cases" else incoming
            record_id = bundle_row["id"]
            here = local[name].get(record_id)
            label = _(rule.label)
            if here is None:
                if name == "case_parties":
                    twin = links_here.get((bundle_row["party_id"], bundle_row["role"]))
                    if twin is not None and twin != record_id:
                        result.notes.append(
                            _("A party role of the bundle is already here under another identifier; it was left out.")
                        )
                        continue
                result.inserts[name].append(bundle_row)
                if name != "stored_files":
                    result.additions.append(Change(name, record_id, label, rule.describe(bundle_row), ADD))
                continue
            for column in rule.fixed:
                if here[column] != bundle_row[column]:
                    raise _collision(rule.label, record_id, _("its “{field}” differs").format(field=column))
            mine, theirs = _content(here), _content(bundle_row)
            if rule.immutable:
                if mine != theirs:
                    raise _collision(rule.label, record_id, _("its content differs"))
                result.unchanged += 1
                continue
            differing = sorted(key for key in theirs if mine[key] != theirs[key])
            if name == "cases" and local_tags != bundle_tags:
                differing.append("tags")
                mine["tags"], theirs["tags"] = local_tags, bundle_tags
            if not differing:
                result.unchanged += 1
                continue
            unknown = edits.get((rule.entity, bundle_row[rule.owner]), set()) - bundle_events
            change = Change(
                name,
                record_id,
                label,
                rule.describe(bundle_row),
                UPDATE,
                fields=tuple(differing),
                mine={key: mine[key] for key in differing},
                theirs={key: theirs[key] for key in differing},
                local_version=here.get("version"),
                bundle_version=bundle_row.get("version"),
            )
            newer = (here.get("version") or 0) > (bundle_row.get("version") or 0)
            if unknown or newer:
                result.conflicts.append(_as_conflict(change, NEWER_HERE if newer else CHANGED_HERE))
                result.choosable[record_id] = (name, bundle_row)
            else:
                result.updates.append(change)
                result.replaces[name].append(bundle_row)
    result.bundle_tags = [dict(row) for row in rows["case_tags"]]
    linked = set(session.scalars(select(m.opinion_cases.c.opinion_id).where(m.opinion_cases.c.case_id == case_id)))
    result.new_links = [dict(row) for row in rows["opinion_cases"] if row["opinion_id"] not in linked]
    _plan_history(session, content, result)
    absent = sorted(sha for sha in content.files if not store.has(sha))
    if content.evidence_included:
        result.new_files = absent
    else:
        result.missing_files = absent
    result.case_evidence = {
        record_id: number
        for record_id, number in session.execute(
            select(m.Evidence.id, m.Evidence.number).where(m.Evidence.case_id == case_id)
        )
    }
    for clash in number_clashes(result, {}):
        incoming_id, local_id, number = clash
        bundle_row = next(r for r in rows["evidence"] if r["id"] == incoming_id)
        result.conflicts.append(
            Change(
                "evidence",
                incoming_id,
                _(RULES["evidence"].label),
                RULES["evidence"].describe(bundle_row),
                CONFLICT,
                fields=("number",),
                mine={"number": number},
                theirs={"number": number},
                reason=NUMBER,
                other_id=local_id,
            )
        )
    return result


def _as_conflict(change: Change, reason: str) -> Change:
    return Change(
        change.table,
        change.record_id,
        change.label,
        change.description,
        CONFLICT,
        change.fields,
        change.mine,
        change.theirs,
        change.local_version,
        change.bundle_version,
        reason,
    )


def _local_edits(session: Session, content: Content) -> dict[tuple[str | None, uuid.UUID], set[uuid.UUID]]:
    """For each record of the bundle, the local history events about it (to see local edits)."""
    owners: set[uuid.UUID] = set()
    for name in RECORD_TABLES:
        owner = RULES[name].owner
        owners.update(row[owner] for row in content.rows[name])
    events = m.AuditEvent
    found: dict[tuple[str | None, uuid.UUID], set[uuid.UUID]] = {}
    for chunk in _chunks(sorted(owners, key=str)):
        for event_id, entity, record_id in session.execute(
            select(events.id, events.entity, events.record_id).where(events.record_id.in_(chunk))
        ):
            found.setdefault((entity, record_id), set()).add(event_id)
    # Renumbering the exhibits of a case is one event about the case, naming each exhibit it moved.
    for event_id, changes in session.execute(
        select(events.id, events.changes).where(
            events.entity == "evidence", events.action == "renumber", events.record_id == content.case_id
        )
    ):
        for key in changes or {}:
            try:
                found.setdefault(("evidence", uuid.UUID(key)), set()).add(event_id)
            except ValueError:
                continue
    return found


def _plan_history(session: Session, content: Content, result: Plan) -> None:
    incoming = {row["id"]: row for row in content.rows["audit_events"]}
    here: dict[uuid.UUID, Row] = {}
    source = table("audit_events")
    for chunk in _chunks(sorted(incoming, key=str)):
        for found in session.execute(select(source).where(source.c.id.in_(chunk))):
            here[found.id] = dict(found._mapping)
    for event_id, event in incoming.items():
        if event_id in here:
            if not history.same_event(here[event_id], event):
                raise _collision(N_("history event"), event_id, _("its content differs"))
        else:
            result.new_events.append(event)
    result.new_events.sort(key=lambda event: event["seq"])


def number_clashes(result: Plan, choices: dict[uuid.UUID, str]) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """``(incoming exhibit, exhibit here, number)`` for each number two exhibits would share after the import."""
    taken = {row["id"]: row["number"] for row in _taken(result, choices, "evidence")}
    staying = {i: n for i, n in result.case_evidence.items() if i not in taken}
    by_number = {number: record for record, number in staying.items()}
    return [(record, by_number[number], number) for record, number in taken.items() if number in by_number]


def _taken(result: Plan, choices: dict[uuid.UUID, str], name: str) -> list[Row]:
    rows = list(result.inserts.get(name, [])) + list(result.replaces.get(name, []))
    for record_id, (table_name, row) in result.choosable.items():
        if table_name == name and choices.get(record_id) == TAKE_THEIRS:
            rows.append(row)
    return rows


def check_choices(result: Plan, choices: dict[uuid.UUID, str]) -> None:
    for record_id, choice in choices.items():
        if choice not in (KEEP_MINE, TAKE_THEIRS):
            raise InvalidInput(_("“{choice}” is not a choice: keep mine or take theirs.").format(choice=choice))
        if record_id not in result.conflict_ids:
            raise InvalidInput(_("The record {id} is not one of the import's conflicts.").format(id=record_id))


@dataclass
class Written:
    added: int = 0
    updated: int = 0
    kept: int = 0
    taken: int = 0
    renumbered: list[tuple[uuid.UUID, int, int]] = field(default_factory=list)  # exhibit, old, new


def write(uow: UnitOfWork, result: Plan, content: Content, choices: dict[uuid.UUID, str]) -> Written:
    """Write the plan in the unit of work (not committed). Stored files must already be in the store."""
    session = uow.session
    written = Written()
    numbers = _final_numbers(result, choices)
    temporary = -1
    for name in RECORD_TABLES:
        source = table(name)
        inserted = {row["id"] for row in result.inserts[name]}
        inserts = [dict(row) for row in result.inserts[name]]
        replaces = [dict(row) for row in _taken(result, choices, name) if row["id"] not in inserted]
        if name == "evidence":
            # Numbers are unique in a case at every moment: park the moving exhibits, then number them.
            for row in inserts + replaces:
                row["number"], temporary = temporary, temporary - 1
            replaced = {row["id"] for row in replaces}
            for record_id, number in numbers.items():
                here = result.case_evidence.get(record_id)
                if here is not None and record_id not in replaced and number != here:
                    session.execute(update(source).where(source.c.id == record_id).values(number=temporary))
                    temporary -= 1
        if inserts:
            session.execute(insert(source), inserts)
        for row in replaces:
            columns = {key: value for key, value in row.items() if key != "id"}
            session.execute(update(source).where(source.c.id == row["id"]).values(**columns))
        if name != "stored_files":
            written.added += len(inserts)
        if name == "cases" and (inserts or replaces):
            session.execute(delete(m.CaseTag).where(m.CaseTag.case_id == content.case_id))
            if result.bundle_tags:
                session.execute(insert(table("case_tags")), result.bundle_tags)
        if name == "opinions" and result.new_links:
            session.execute(insert(m.opinion_cases), result.new_links)
    evidence = table("evidence")
    arriving = {row["id"]: row for row in _taken(result, choices, "evidence")}
    for record_id, number in numbers.items():
        # An arriving exhibit keeps the bundle's bookkeeping; one here that moved is a local edit.
        if record_id in arriving:
            values: dict[str, Any] = {"number": number, "updated_at": arriving[record_id]["updated_at"]}
        else:
            values = {"number": number, "version": evidence.c.version + 1}
        session.execute(update(evidence).where(evidence.c.id == record_id).values(**values))
    content_conflicts = {c.record_id for c in result.conflicts if c.reason != NUMBER}
    written.taken = sum(1 for i in content_conflicts if choices.get(i) == TAKE_THEIRS)
    written.kept = len(content_conflicts) - written.taken
    written.updated = len(result.updates)
    for row in result.new_events:
        uow.events.append(history.imported_event(row))
    _renumber_events(uow, result, numbers, written, content)
    uow.kinds.update(RULES[name].entity or name for name in RECORD_TABLES if _taken(result, choices, name))
    _reindex(session, result, choices, numbers)
    return written


def _final_numbers(result: Plan, choices: dict[uuid.UUID, str]) -> dict[uuid.UUID, int]:
    """The number every written or moved exhibit ends with, giving way per the person's choices."""
    taken = {row["id"]: row["number"] for row in _taken(result, choices, "evidence")}
    final = {i: n for i, n in result.case_evidence.items() if i not in taken} | taken
    clashes = number_clashes(result, choices)
    next_free = max(final.values(), default=0) + 1
    for incoming, here, _number in clashes:
        loser = here if choices.get(incoming) == TAKE_THEIRS else incoming
        final[loser] = next_free
        next_free += 1
    return {i: n for i, n in final.items() if i in taken or final[i] != result.case_evidence.get(i)}


def _renumber_events(
    uow: UnitOfWork, result: Plan, numbers: dict[uuid.UUID, int], written: Written, content: Content
) -> None:
    wanted = {row["id"]: row["number"] for row in content.rows["evidence"]}
    for record_id, number in numbers.items():
        before = result.case_evidence.get(record_id, wanted.get(record_id))
        if record_id in wanted and number == wanted[record_id]:
            continue
        if before is None or before == number:
            continue
        written.renumbered.append((record_id, before, number))
        uow.audit(
            "renumber",
            "evidence",
            record_id,
            _("Exhibit n° {old} became n° {new}: another exhibit has that number").format(old=before, new=number),
            case_id=content.case_id,
            changes={"number": [before, number]},
        )


def _reindex(session: Session, result: Plan, choices: dict[uuid.UUID, str], numbers: dict[uuid.UUID, int]) -> None:
    """Keep the search index in step with every record written."""
    from caseapp.services import access, cases, evidence, filings, hearings, opinions

    indexers: dict[str, tuple[type[m.Record], Callable[[Any, Any], None]]] = {
        "cases": (m.Case, cases._index),
        "filings": (m.Filing, filings._index),
        "hearing_notes": (m.HearingNote, hearings._index_note),
        "opinions": (m.Opinion, opinions._index),
        "access_requests": (m.AccessRequest, access._index),
        "evidence": (m.Evidence, evidence._index),
    }
    session.flush()
    for name, (model, index) in indexers.items():
        ids = {row["id"] for row in _taken(result, choices, name)}
        if name == "evidence":
            ids |= set(numbers)
        for record_id in sorted(ids, key=str):
            record = session.get(model, record_id)
            if record is not None:
                index(session, record)
