"""Merging a bundle's records into the local database, by UUID.

For each record of the bundle:

- not here → **added**;
- here with the same content → nothing to do (re-importing a bundle changes nothing);
- here with other content → merged **field by field** against what both sides last held
  (``caseapp.bundle.fieldmerge``): a field changed only in the bundle is taken (an **update**), a field changed
  only here is kept, and a field changed on both sides is a **conflict for that field**: the person chooses, per
  field, to keep theirs (``KEEP_MINE``, the default) or take the bundle's (``TAKE_THEIRS``); every decision is a
  history event ("merge") that keeps the other value, so it can be restored.

A value taken from the bundle must be explained by the bundle's history: content that differs although the
bundle has no event about it that is not already here is a conflict (``UNTRACED``), never a silent overwrite.
History also carries deletions: a record deleted here stays deleted when an old bundle is replayed (a conflict,
``DELETED_HERE``, only if the bundle's history shows it was changed there since); a record the colleague deleted
(a deletion event in the bundle, the record no longer in it) is deleted here too, or is a conflict
(``DELETED_THERE``) when it was changed here since. Shared records (parties, opinions) are never deleted by a
bundle. A bundle whose case has the identifier of a case here that was created separately (not the same case,
not the shared example data) is refused.

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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from caseapp.bundle import fieldmerge as fm
from caseapp.bundle import history, layout
from caseapp.bundle.content import BOOKKEEPING, Content, Row, encode, table
from caseapp.casefile import kinds
from caseapp.casefile.uow import UnitOfWork
from caseapp.errors import BundleError, InvalidInput
from caseapp.i18n import N_, _
from caseapp.store import models as m
from caseapp.store.files import EvidenceStore

KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"
ADD, UPDATE, CONFLICT, DELETE = "add", "update", "conflict", "delete"
CHANGED_HERE, NEWER_HERE, NUMBER = "changed_here", "newer_here", "number"
DELETED_HERE, DELETED_THERE, UNTRACED = "deleted_here", "deleted_there", "untraced"
CHANGED_BOTH = "changed_both"

Choices = Mapping[uuid.UUID | tuple[uuid.UUID, str], str]  # per record (every field of it), or per field


def choice_for(choices: Choices, record_id: uuid.UUID, name: str) -> str:
    """What the person chose for one field of a conflict (keep mine unless they said otherwise)."""
    return choices.get((record_id, name), choices.get(record_id, KEEP_MINE))


def deletable() -> set[str]:
    """Records that belong to one case, which a colleague's bundle may delete (shared ones never: parties,
    opinions, stored files)."""
    return {name for name in layout.owned_tables() if name in layout.record_tables() and name != layout.CASES}


@dataclass(frozen=True)
class Rule:
    """How one kind of record merges: read from its description (``caseapp.casefile.kinds``)."""

    label: str  # for people, marked with N_()
    entity: str | None  # its name in the history (to find local edits of it)
    describe: Callable[[Row], str]
    fixed: tuple[str, ...] = ()  # columns that never change: another value means another record
    owner: str = "id"  # whose history events tell about this record
    immutable: bool = False


class _Rules(Mapping[str, Rule]):
    """The merge rule of every kind of record, by table, as the kinds say it (a kind added later has its own)."""

    def __getitem__(self, name: str) -> Rule:
        kind = kinds.BY_TABLE[name]
        rule = kind.bundle
        return Rule(kind.label, kind.entity, kind.describe, rule.fixed, rule.owner, rule.immutable)

    def __iter__(self) -> Iterator[str]:
        return iter(layout.record_tables())

    def __len__(self) -> int:
        return len(layout.record_tables())


RULES: Mapping[str, Rule] = _Rules()


def record_tables() -> tuple[str, ...]:
    return layout.record_tables()


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
    reason: str | None = None  # conflicts: CHANGED_BOTH, UNTRACED, NUMBER, DELETED_HERE, DELETED_THERE…
    other_id: uuid.UUID | None = None  # NUMBER: the exhibit here that wants the same number
    merges: tuple[fm.FieldMerge, ...] = ()  # field by field: every field that differs, and who changed it
    base: dict[str, Any] = field(default_factory=dict)  # conflicts: each conflicting field as both last had it

    @property
    def taken(self) -> tuple[str, ...]:
        """The fields the bundle's value is taken for without asking."""
        return tuple(d.name for d in self.merges if d.changed == fm.THEIRS)

    @property
    def kept(self) -> tuple[str, ...]:
        """The fields that differ but were changed here only: kept as they are."""
        return tuple(d.name for d in self.merges if d.changed == fm.MINE)

    @property
    def conflicting(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.merges if d.conflict) or (self.fields if self.action == CONFLICT else ())

    @property
    def explanation(self) -> str:
        if self.reason == NEWER_HERE:
            return _("the copy here is newer (version {mine}; the bundle has version {theirs})").format(
                mine=self.local_version, theirs=self.bundle_version
            )
        if self.reason == CHANGED_BOTH:
            return _("changed here and in the bundle since you last exchanged it")
        if self.reason == CHANGED_HERE:
            return _("it was changed here since it was received")
        if self.reason == NUMBER:
            return _("an exhibit here already has n° {number}").format(number=self.theirs.get("number"))
        if self.reason == DELETED_HERE:
            return _("it was deleted here, and changed in the bundle since")
        if self.reason == DELETED_THERE:
            return _("it was deleted in the bundle, and changed here since")
        if self.reason == UNTRACED:
            return _("the bundle's copy differs, but nothing in its history says it was changed there")
        return ""


@dataclass
class Plan:
    """What importing a bundle would do, worked out by ``plan`` without writing: the records added, updated, deleted or
    in conflict, and the rows ``write`` needs to carry it out for the choices made."""

    additions: list[Change] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    deletions: list[Change] = field(default_factory=list)  # records the colleague deleted, deleted here too
    unchanged: int = 0
    stays_deleted: int = 0  # records deleted here that an older bundle still holds: left deleted
    removes: dict[str, list[uuid.UUID]] = field(default_factory=dict)  # deletions (and taken DELETED_THERE)
    revivable: dict[uuid.UUID, tuple[str, Row]] = field(default_factory=dict)  # DELETED_HERE conflicts
    dependents: dict[uuid.UUID, list[tuple[str, Row]]] = field(default_factory=dict)  # rows that follow a parent
    doomed: dict[uuid.UUID, str] = field(default_factory=dict)  # DELETED_THERE conflicts: record → table
    inserts: dict[str, list[Row]] = field(default_factory=dict)
    replaces: dict[str, list[Row]] = field(default_factory=dict)  # UPDATE rows (bundle's values)
    choosable: dict[uuid.UUID, tuple[str, Row]] = field(default_factory=dict)  # conflicts: table, bundle row
    locals: dict[uuid.UUID, Row] = field(default_factory=dict)  # merged field by field: the row here
    merged: dict[uuid.UUID, Change] = field(default_factory=dict)  # ... and what the merge said of it
    bundle_tags: list[Row] = field(default_factory=list)  # the case's tags, written along with the case
    new_links: list[Row] = field(default_factory=list)
    new_events: list[Row] = field(default_factory=list)
    new_files: list[str] = field(default_factory=list)  # digests missing from the evidence store
    missing_files: list[str] = field(default_factory=list)  # ... that the bundle does not carry either
    case_evidence: dict[uuid.UUID, int] = field(default_factory=dict)  # number of each exhibit here
    notes: list[str] = field(default_factory=list)
    # ``_taken``'s answers while one set of choices is written (cleared by ``write``; never compared or shown)
    taken_cache: dict[tuple[str, frozenset[Any]], list[Row]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def conflict_ids(self) -> set[uuid.UUID]:
        return {change.record_id for change in self.conflicts}

    @property
    def nothing_to_do(self) -> bool:
        """True when importing would change nothing (unless a conflict is settled with the bundle's copy)."""
        return not (
            self.additions or self.updates or self.deletions or self.new_links or self.new_events or self.new_files
        ) and not any(self.inserts.values())

    def takes_any(self, choices: Choices) -> bool:
        """Whether writing is needed beyond ``nothing_to_do``: a conflict settled with the bundle's copy, or any
        conflict decided field by field (the decision is kept in the history)."""
        return bool(self.merged and self.conflicts) or any(
            choices.get(record_id) == TAKE_THEIRS for record_id in [*self.choosable, *self.revivable, *self.doomed]
        )


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


def _same_values(here: Row, bundle_row: Row) -> bool:
    """Whether a record here says what the bundle's says, compared as Python values (both were read into the same
    types: the database's by the column types, the bundle's by ``content.decode_row``). False only means "compare
    their JSON forms" (``_content``)."""
    if len(here) != len(bundle_row):
        return False
    for key, value in bundle_row.items():
        if key not in BOOKKEEPING and (key not in here or here[key] != value):
            return False
    return True


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
        name: _local_rows(session, name, [row["id"] for row in rows[name]]) for name in record_tables()
    }
    edits = _local_edits(session, content)
    events_here = _events_here(session, content)
    known = set(events_here)  # the bundle's events already here
    told = _bundle_edits(content)  # what the bundle's history says about each record
    _check_same_case(session, content, known)
    absent = {name: [row["id"] for row in rows[name] if row["id"] not in local[name]] for name in record_tables()}
    deleted_here = _deleted_here(session, [i for ids in absent.values() for i in ids])
    held: dict[uuid.UUID, str] = {}  # parents left deleted ("skip") or awaiting a choice ("conflict")
    pending: list[tuple[str, uuid.UUID, Row, Row, dict[str, Any], dict[str, Any], list[str]]] = []
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
    for name in record_tables():
        rule = RULES[name]
        result.inserts[name] = []
        result.replaces[name] = []
        for incoming in rows[name]:
            bundle_row = case_row if name == "cases" else incoming
            record_id = bundle_row["id"]
            here = local[name].get(record_id)
            label = _(rule.label)
            parent = _held_parent(name, bundle_row, held)
            if here is None and parent is not None:
                held[record_id] = held[parent]
                result.dependents.setdefault(parent, []).append((name, bundle_row))
                if held[parent] == "skip":
                    result.stays_deleted += 1
                continue
            if here is None and record_id in deleted_here:
                changed_there = told.get((rule.entity, bundle_row[rule.owner]), set()) - known
                if not changed_there:
                    held[record_id] = "skip"
                    result.stays_deleted += 1
                    continue
                held[record_id] = "conflict"
                result.conflicts.append(
                    Change(name, record_id, label, rule.describe(bundle_row), CONFLICT, reason=DELETED_HERE)
                )
                result.revivable[record_id] = (name, bundle_row)
                continue
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
            if (name != "cases" or local_tags == bundle_tags) and _same_values(here, bundle_row):
                result.unchanged += 1  # most records of a big case: no encoding needed to see it
                continue
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
            if _by_field(rule):
                if name == "cases":
                    here = dict(here, tags=local_tags)
                pending.append((name, record_id, here, bundle_row, mine, theirs, differing))
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
            explained = told.get((rule.entity, bundle_row[rule.owner]), set()) - known
            if unknown or newer or not explained:
                reason = NEWER_HERE if newer else CHANGED_HERE if unknown else UNTRACED
                result.conflicts.append(_as_conflict(change, reason))
                result.choosable[record_id] = (name, bundle_row)
            else:
                result.updates.append(change)
                result.replaces[name].append(bundle_row)
    _plan_fields(session, content, pending, result)
    _plan_deletions(session, content, known, result)
    result.bundle_tags = [dict(row) for row in rows["case_tags"]]
    linked = set(session.scalars(select(m.opinion_cases.c.opinion_id).where(m.opinion_cases.c.case_id == case_id)))
    result.new_links = [dict(row) for row in rows["opinion_cases"] if row["opinion_id"] not in linked]
    _plan_history(content, result, events_here)
    absent_files = sorted(sha for sha in content.files if not store.has(sha))
    if content.evidence_included:
        result.new_files = absent_files
    else:
        result.missing_files = absent_files
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


def _plan_fields(
    session: Session,
    content: Content,
    pending: list[tuple[str, uuid.UUID, Row, Row, dict[str, Any], dict[str, Any], list[str]]],
    result: Plan,
) -> None:
    """Merge, field by field, the records both sides hold with other content (their histories are read only for
    them: a big case's thousands of unchanged notes cost nothing here)."""
    if not pending:
        return
    here_edits = _local_history(session, content.case_id, [(RULES[n].entity, i) for n, i, *_rest in pending])
    there_edits = _bundle_history(content)
    for name, record_id, here, bundle_row, mine, theirs, differing in pending:
        rule = RULES[name]
        key = (rule.entity, record_id)
        decisions = _already_decided(
            fm.merge_fields(mine, theirs, differing, here_edits.get(key, []), there_edits.get(key, [])),
            here_edits.get(key, []),
        )
        conflicting = [d for d in decisions if d.conflict]
        change = Change(
            name,
            record_id,
            _(rule.label),
            rule.describe(bundle_row),
            CONFLICT if conflicting else UPDATE,
            fields=tuple(d.name for d in (conflicting or [d for d in decisions if d.changed == fm.THEIRS])),
            mine={d.name: d.mine for d in decisions},
            theirs={d.name: d.theirs for d in decisions},
            local_version=here.get("version"),
            bundle_version=bundle_row.get("version"),
            reason=(CHANGED_BOTH if any(d.changed == fm.BOTH for d in conflicting) else UNTRACED)
            if conflicting
            else None,
            merges=tuple(decisions),
            base={d.name: d.base for d in conflicting if d.base is not fm.UNKNOWN},
        )
        if conflicting:
            result.conflicts.append(change)
            result.choosable[record_id] = (name, bundle_row)
        elif change.fields:
            result.updates.append(change)
            result.replaces[name].append(bundle_row)
        else:
            result.unchanged += 1  # what differs was changed here since: kept
            if not any(d.recorded for d in decisions):
                continue
        result.locals[record_id] = here
        result.merged[record_id] = change


def _edit(event: Mapping[str, Any]) -> fm.Edit:
    changes = event["changes"] or {}
    if "tags" in changes:  # the case's tags: a set, whatever order it was written in
        tags = changes["tags"]
        if event["action"] == "create" or not (isinstance(tags, list) and len(tags) == 2):
            changes = dict(changes, tags=sorted(tags or []))
        else:
            changes = dict(changes, tags=[sorted(tags[0] or []), sorted(tags[1] or [])])
    return fm.Edit(event["id"], event["seq"], event["action"], changes)


def _renumbered(event: Mapping[str, Any]) -> Iterator[tuple[uuid.UUID, fm.Edit]]:
    """Renumbering a case's exhibits is one event about the case, naming each exhibit it moved."""
    for key, change in (event["changes"] or {}).items():
        try:
            exhibit = uuid.UUID(key)
        except ValueError:
            continue
        yield exhibit, fm.Edit(event["id"], event["seq"], "update", {"number": change})


def _local_history(
    session: Session, case_id: uuid.UUID, records: list[tuple[str | None, uuid.UUID]]
) -> dict[tuple[str | None, uuid.UUID], list[fm.Edit]]:
    found: dict[tuple[str | None, uuid.UUID], list[fm.Edit]] = {}
    events = m.AuditEvent
    columns = (events.id, events.seq, events.action, events.entity, events.record_id, events.changes)
    wanted = set(records)
    for chunk in _chunks(sorted({record_id for _entity, record_id in records}, key=str)):
        for row in session.execute(select(*columns).where(events.record_id.in_(chunk))):
            event = dict(row._mapping)
            if (event["entity"], event["record_id"]) in wanted:
                found.setdefault((event["entity"], event["record_id"]), []).append(_edit(event))
    if any(entity == "evidence" for entity, _id in wanted):
        for row in session.execute(
            select(*columns).where(
                events.entity == "evidence", events.action == "renumber", events.record_id == case_id
            )
        ):
            for exhibit, edit in _renumbered(dict(row._mapping)):
                if ("evidence", exhibit) in wanted:
                    found.setdefault(("evidence", exhibit), []).append(edit)
    return found


def _bundle_history(content: Content) -> dict[tuple[str | None, uuid.UUID], list[fm.Edit]]:
    found: dict[tuple[str | None, uuid.UUID], list[fm.Edit]] = {}
    for event in content.rows["audit_events"]:
        if event["entity"] == "evidence" and event["action"] == "renumber" and event["record_id"] == content.case_id:
            for exhibit, edit in _renumbered(event):
                found.setdefault(("evidence", exhibit), []).append(edit)
            continue
        found.setdefault((event["entity"], event["record_id"]), []).append(_edit(event))
    return found


def _already_decided(decisions: list[fm.FieldMerge], here: list[fm.Edit]) -> list[fm.FieldMerge]:
    """A conflict already decided here the same way (the last event about the field is a merge that kept this
    value over exactly the bundle's) is not asked again: importing the same bundle twice asks once."""
    ordered = sorted(here, key=lambda edit: edit.order)
    result = []
    for decision in decisions:
        touching = [edit for edit in ordered if edit.touches(decision.name)]
        last = touching[-1] if touching else None
        if (
            decision.conflict
            and last is not None
            and last.action == "merge"
            and fm.same(last.before(decision.name), decision.theirs)
            and fm.same(last.after(decision.name), decision.mine)
        ):
            decision = fm.FieldMerge(decision.name, decision.mine, decision.theirs, decision.base, fm.MINE)
        result.append(decision)
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


_PARENTS = {"hearing_notes": "hearing_id", "access_request_steps": "request_id", "deadlines": "request_id"}


def _held_parent(name: str, row: Row, held: dict[uuid.UUID, str]) -> uuid.UUID | None:
    """The parent of an incoming row (its case, its hearing, its request) that stays deleted or awaits a choice."""
    for column in ("case_id", _PARENTS.get(name)):
        if column and column in row and row[column] in held:
            return row[column]  # type: ignore[no-any-return]
    return None


def _events_here(session: Session, content: Content) -> dict[uuid.UUID, Row]:
    """The bundle's history events already here, as they are here (what an event says, not where it came from):
    which ones are known, and, for ``_plan_history``, whether each says the same as the bundle's."""
    here: dict[uuid.UUID, Row] = {}
    source = table("audit_events")
    columns = [source.c[key] for key in history.CONTENT]
    for chunk in _chunks(sorted((row["id"] for row in content.rows["audit_events"]), key=str)):
        for found in session.execute(select(*columns).where(source.c.id.in_(chunk))):
            here[found.id] = dict(found._mapping)
    return here


def _bundle_edits(content: Content) -> dict[tuple[str | None, uuid.UUID], set[uuid.UUID]]:
    """For each record, the bundle's events about it (as ``_local_edits`` does for the local history)."""
    found: dict[tuple[str | None, uuid.UUID], set[uuid.UUID]] = {}
    for event in content.rows["audit_events"]:
        found.setdefault((event["entity"], event["record_id"]), set()).add(event["id"])
        if event["entity"] == "evidence" and event["action"] == "renumber" and event["record_id"] == content.case_id:
            for key in event["changes"] or {}:
                try:
                    found.setdefault(("evidence", uuid.UUID(key)), set()).add(event["id"])
                except ValueError:
                    continue
    return found


def _deleted_here(session: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Of these records, the ones the local history says were deleted here."""
    found: set[uuid.UUID] = set()
    events = m.AuditEvent
    for chunk in _chunks(sorted(set(ids), key=str)):
        found.update(
            session.scalars(select(events.record_id).where(events.record_id.in_(chunk), events.action == "delete"))
        )
    return found


def _check_same_case(session: Session, content: Content, known: set[uuid.UUID]) -> None:
    """Refuse a bundle whose case has the identifier of a case here that was created separately."""
    here = session.get(m.Case, content.case_id)
    if here is None:
        return
    if here.example and content.rows["cases"][0].get("example"):
        return  # the example data has the same identifiers on every machine: it is one case
    events = m.AuditEvent
    created_here = set(
        session.scalars(
            select(events.id).where(
                events.entity == "case", events.action == "create", events.record_id == content.case_id
            )
        )
    )
    created_there = {
        e["id"]
        for e in content.rows["audit_events"]
        if e["entity"] == "case" and e["action"] == "create" and e["record_id"] == content.case_id
    }
    if created_here and created_there and not (created_here & created_there) and not (created_there & known):
        raise BundleError(
            _(
                "The bundle's case has the identifier of a case here, “{title}”, but it is not the same case: each "
                "was created separately. Nothing was imported."
            ).format(title=here.title[:80])
        )


def _table_of_entity(entity: str, tables: set[str]) -> str | None:
    kind = kinds.BY_ENTITY.get(entity)
    return kind.table if kind is not None and kind.table in tables and kind.bundle.owner == "id" else None


def _plan_deletions(session: Session, content: Content, known: set[uuid.UUID], result: Plan) -> None:
    """Records the colleague deleted (a deletion event of the bundle not yet here, the record gone from it)."""
    in_bundle = {row["id"] for name in record_tables() for row in content.rows[name]}
    bundle_events = {row["id"] for row in content.rows["audit_events"]}
    tables = deletable()  # worked out once: it walks every table's references
    for event in content.rows["audit_events"]:
        name = _table_of_entity(event["entity"], tables)
        record_id = event["record_id"]
        if event["action"] != "delete" or name is None or event["id"] in known or record_id in in_bundle:
            continue
        source = table(name)
        row = session.execute(select(source).where(source.c.id == record_id)).first()
        if row is None:
            continue
        here = dict(row._mapping)
        if "case_id" in here and here["case_id"] != content.case_id:
            continue
        rule = RULES[name]
        edited_since = (
            set(session.scalars(select(m.AuditEvent.id).where(m.AuditEvent.record_id == record_id))) - bundle_events
        )
        if edited_since:
            result.conflicts.append(
                Change(name, record_id, _(rule.label), rule.describe(here), CONFLICT, reason=DELETED_THERE)
            )
            result.doomed[record_id] = name
        else:
            result.deletions.append(Change(name, record_id, _(rule.label), rule.describe(here), DELETE))
            result.removes.setdefault(name, []).append(record_id)


def _by_field(rule: Rule) -> bool:
    """Whether records of this kind are merged field by field (their own history events name them)."""
    return rule.owner == "id" and rule.entity is not None


def _local_edits(session: Session, content: Content) -> dict[tuple[str | None, uuid.UUID], set[uuid.UUID]]:
    """For each record of the bundle merged as a whole, the local history events about it (to see local edits).
    Records merged field by field (their own history names them) read their history in ``_plan_fields``, and only
    when they differ: a big case's thousands of exhibits and notes cost nothing here."""
    owners: set[uuid.UUID] = set()
    for name in record_tables():
        rule = RULES[name]
        if _by_field(rule):
            continue
        owners.update(row[rule.owner] for row in content.rows[name])
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


def _plan_history(content: Content, result: Plan, here: dict[uuid.UUID, Row]) -> None:
    incoming = {row["id"]: row for row in content.rows["audit_events"]}
    for event_id, event in incoming.items():
        if event_id in here:
            if not history.same_event(here[event_id], event):
                raise _collision(N_("history event"), event_id, _("its content differs"))
        else:
            result.new_events.append(event)
    result.new_events.sort(key=lambda event: event["seq"])


def number_clashes(result: Plan, choices: Choices) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """``(incoming exhibit, exhibit here, number)`` for each number two exhibits would share after the import."""
    taken = {row["id"]: row["number"] for row in _taken(result, choices, "evidence")}
    staying = {i: n for i, n in result.case_evidence.items() if i not in taken}
    by_number = {number: record for record, number in staying.items()}
    return [(record, by_number[number], number) for record, number in taken.items() if number in by_number]


def _taken(result: Plan, choices: Choices, name: str) -> list[Row]:
    """The rows of one table the import writes: the new ones, and each updated record as it ends up."""
    key = (name, frozenset(choices.items()))
    if key not in result.taken_cache:
        result.taken_cache[key] = _taken_rows(result, choices, name)
    return list(result.taken_cache[key])


def _taken_rows(result: Plan, choices: Choices, name: str) -> list[Row]:
    rows = list(result.inserts.get(name, []))
    for row in result.replaces.get(name, []):
        final = merged_row(result, row, choices)
        if final is not None:
            rows.append(final)
    for record_id, (table_name, row) in result.choosable.items():
        if table_name != name:
            continue
        if record_id in result.merged:
            final = merged_row(result, row, choices)
            if final is not None:
                rows.append(final)
        elif choices.get(record_id) == TAKE_THEIRS:
            rows.append(row)
    return rows


def taken_fields(change: Change, choices: Choices) -> list[str]:
    """The fields of a record merged field by field whose bundle value is written."""
    return [
        d.name
        for d in change.merges
        if d.changed == fm.THEIRS or (d.conflict and choice_for(choices, change.record_id, d.name) == TAKE_THEIRS)
    ]


def merged_row(result: Plan, bundle_row: Row, choices: Choices) -> Row | None:
    """A record merged field by field as it is written: the row here with the bundle's value for each field taken
    (None when none is). When it ends up as the bundle has it, it is the bundle's row, bookkeeping included, so
    that importing the same bundle again finds nothing to do."""
    record_id = bundle_row["id"]
    change = result.merged.get(record_id)
    if change is None:
        return bundle_row
    here = result.locals[record_id]
    fields = [name for name in taken_fields(change, choices) if name != "tags"]
    if not fields:
        return None
    row = {key: value for key, value in here.items() if key != "tags"}
    for name in fields:
        row[name] = bundle_row[name]
    if all(row[key] == bundle_row[key] for key in bundle_row if key not in BOOKKEEPING):
        row = dict(bundle_row)
    else:
        row["updated_at"] = datetime.now(UTC)
    row["version"] = max((here.get("version") or 0) + 1, bundle_row.get("version") or 0)
    return row


def check_choices(result: Plan, choices: Choices) -> None:
    conflicts = {change.record_id: change for change in result.conflicts}
    for key, choice in choices.items():
        if choice not in (KEEP_MINE, TAKE_THEIRS):
            raise InvalidInput(_("“{choice}” is not a choice: keep mine or take theirs.").format(choice=choice))
        record_id, name = key if isinstance(key, tuple) else (key, None)
        if record_id not in conflicts:
            raise InvalidInput(_("The record {id} is not one of the import's conflicts.").format(id=record_id))
        if name is not None and name not in conflicts[record_id].conflicting:
            raise InvalidInput(
                _("The field “{field}” of the record {id} is not in conflict.").format(field=name, id=record_id)
            )


@dataclass
class Written:
    """What ``write`` did: the records added, updated and removed, the conflicts kept or taken, and the exhibits
    renumbered (exhibit, old number, new number)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0
    taken: int = 0
    renumbered: list[tuple[uuid.UUID, int, int]] = field(default_factory=list)  # exhibit, old, new


def write(uow: UnitOfWork, result: Plan, content: Content, choices: Choices) -> Written:
    """Write the plan in the unit of work (not committed). Stored files must already be in the store."""
    session = uow.session
    written = Written()
    result.taken_cache.clear()  # the plan may have been asked before, with other choices
    revived = _revived(result, choices)
    numbers = _final_numbers(result, choices)
    temporary = -1
    for name in record_tables():
        source = table(name)
        inserted = {row["id"] for row in result.inserts[name]}
        inserts = [dict(row) for row in result.inserts[name]] + [dict(row) for row in revived.get(name, [])]
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
        _update_rows(session, source, replaces)
        if name != "stored_files":
            written.added += len(inserts)
        if name == "cases" and _tags_taken(result, choices, content.case_id, inserts, replaces):
            session.execute(delete(m.CaseTag).where(m.CaseTag.case_id == content.case_id))
            if result.bundle_tags:
                session.execute(insert(table("case_tags")), result.bundle_tags)
        if name == "opinions" and result.new_links:
            session.execute(insert(m.opinion_cases), result.new_links)
    evidence = table("evidence")
    arriving = {row["id"]: row for row in _taken(result, choices, "evidence")}
    numbered: list[Row] = []
    for record_id, number in numbers.items():
        # An arriving exhibit keeps the bundle's bookkeeping; one here that moved is a local edit.
        if record_id in arriving:
            numbered.append({"id": record_id, "number": number, "updated_at": arriving[record_id]["updated_at"]})
        else:
            session.execute(
                update(evidence).where(evidence.c.id == record_id).values(number=number, version=evidence.c.version + 1)
            )
    _update_rows(session, evidence, numbered)
    written.removed = _remove(session, result, choices)
    for change in result.conflicts:
        if change.reason == NUMBER:
            continue
        if change.record_id in result.merged:
            chosen = [choice_for(choices, change.record_id, name) for name in change.conflicting]
            written.taken += chosen.count(TAKE_THEIRS)
            written.kept += len(chosen) - chosen.count(TAKE_THEIRS)
        elif choices.get(change.record_id) == TAKE_THEIRS:
            written.taken += 1
        else:
            written.kept += 1
    written.updated = len(result.updates)
    for row in result.new_events:
        uow.events.append(history.imported_event(row))
    _merge_events(uow, result, choices, content.case_id)
    _renumber_events(uow, result, numbers, written, content)
    uow.kinds.update(RULES[name].entity or name for name in record_tables() if _taken(result, choices, name))
    _reindex(session, result, choices, numbers)
    return written


def _update_rows(session: Session, source: Any, rows: list[Row]) -> None:
    """Write each row over the record with its identifier: one statement per set of columns, run for all the
    rows that have it (a big case's hundreds of updated exhibits are a few statements, not hundreds)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        columns = tuple(sorted(key for key in row if key != "id"))
        groups.setdefault(columns, []).append({"record_id_": row["id"], **{key: row[key] for key in columns}})
    for columns, params in groups.items():
        if columns:
            session.execute(update(source).where(source.c.id == bindparam("record_id_")), params)


def _tags_taken(result: Plan, choices: Choices, case_id: uuid.UUID, inserts: list[Row], replaces: list[Row]) -> bool:
    change = result.merged.get(case_id)
    if change is not None:
        return "tags" in taken_fields(change, choices)
    return bool(inserts or replaces)


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _merge_events(uow: UnitOfWork, result: Plan, choices: Choices, case_id: uuid.UUID) -> None:
    """One history event per record merged field by field with a decision: what was chosen for each field, and the
    value not chosen (``{field: [not chosen, chosen, "mine" | "theirs"]}``), so that it can be restored. Written
    after the bundle's own events, so that the last event about each field says its value."""
    from caseapp.domain.fields import field_label

    for change in result.merged.values():
        recorded: dict[str, list[Any]] = {}
        parts: list[str] = []
        for decision in change.merges:
            if not decision.recorded:
                continue
            took = decision.conflict and choice_for(choices, change.record_id, decision.name) == TAKE_THEIRS
            chosen, other = (decision.theirs, decision.mine) if took else (decision.mine, decision.theirs)
            recorded[decision.name] = [other, chosen, TAKE_THEIRS if took else KEEP_MINE]
            label = field_label(decision.name)
            if took:
                parts.append(_("took theirs for {field} (was {value})").format(field=label, value=_shown(other)))
            else:
                parts.append(_("kept mine for {field} (theirs: {value})").format(field=label, value=_shown(other)))
        if not recorded:
            continue
        uow.audit(
            "merge",
            kinds.BY_TABLE[change.table].entity,
            change.record_id,
            _("Merged {what} “{description}”: {decisions}").format(
                what=change.label, description=change.description, decisions="; ".join(parts)
            ),
            case_id=case_id,
            changes=recorded,
        )


def _revived(result: Plan, choices: Choices) -> dict[str, list[Row]]:
    """Records deleted here that the person chose to take back from the bundle, with the rows that follow them."""
    rows: dict[str, list[Row]] = {}

    def take(record_id: uuid.UUID, name: str, row: Row) -> None:
        rows.setdefault(name, []).append(row)
        for child_name, child in result.dependents.get(record_id, []):
            take(child["id"], child_name, child)

    for record_id, (name, row) in result.revivable.items():
        if choices.get(record_id) == TAKE_THEIRS:
            take(record_id, name, row)
    return rows


def _remove(session: Session, result: Plan, choices: Choices) -> int:
    """Delete what the colleague deleted (children first; the database cascades to what hangs from them)."""
    doomed: dict[str, list[uuid.UUID]] = {name: list(ids) for name, ids in result.removes.items()}
    for record_id, name in result.doomed.items():
        if choices.get(record_id) == TAKE_THEIRS:
            doomed.setdefault(name, []).append(record_id)
    count = 0
    for name in reversed(record_tables()):
        ids = doomed.get(name)
        if not ids:
            continue
        source = table(name)
        _unindex_with_children(session, name, ids)
        for chunk in _chunks(ids):
            session.execute(delete(source).where(source.c.id.in_(chunk)))
        count += len(ids)
    return count


def _unindex_with_children(session: Session, name: str, ids: list[uuid.UUID]) -> None:
    """Take out of the search index the records about to be deleted, and the indexed ones the database deletes
    with them (a hearing's notes)."""
    from caseapp.casefile.search import unindex

    kind = kinds.BY_TABLE[name]
    if kind.index is not None:
        unindex(session, kind.entity, ids)
    for child in kinds.KINDS:
        if child.index is None or child.table == name:
            continue
        for ref in layout.references(child.table):
            if ref.target == name:
                column = table(child.table).c[ref.column]
                hanging = [
                    i
                    for chunk in _chunks(ids)
                    for i in session.scalars(select(table(child.table).c.id).where(column.in_(chunk)))
                ]
                unindex(session, child.entity, hanging)


def _final_numbers(result: Plan, choices: Choices) -> dict[uuid.UUID, int]:
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


def _reindex(session: Session, result: Plan, choices: Choices, numbers: dict[uuid.UUID, int]) -> None:
    """Keep the search index in step with every record written, by each kind's own indexing — in bulk: records are
    read a few hundred at a time, records new here need no lookup of an old entry, nothing is flushed until the
    end, and new notes (the bulk of a big case) get their entries straight from their rows, so a case with tens of
    thousands of notes is indexed in seconds and the write lock is held briefly."""
    from caseapp.casefile.search import created_here, preloading

    session.flush()
    revived = _revived(result, choices)
    with session.no_autoflush:
        for kind in kinds.KINDS:
            if kind.index is None:
                continue
            name, model = kind.table, kind.model
            rows = _taken(result, choices, name) + revived.get(name, [])
            ids = {row["id"] for row in rows}
            if name == "evidence":
                ids |= set(numbers)
            new = {row["id"] for row in result.inserts.get(name, [])} | {row["id"] for row in revived.get(name, [])}
            if kind is kinds.NOTE:
                _index_new_notes(session, [row for row in rows if row["id"] in new])
                ids -= new
                new = set()
            for record_id in new:
                created_here(session, record_id)
            with preloading(session, kind.entity, ids - new):
                for chunk in _chunks(sorted(ids, key=str)):
                    for record in session.scalars(select(model).where(model.id.in_(chunk))):  # type: ignore[attr-defined]
                        kind.index(session, record)
    session.flush()


def _index_new_notes(session: Session, fresh: list[Row]) -> None:
    cases: dict[uuid.UUID, uuid.UUID | None] = {}
    for hearing_id in {row["hearing_id"] for row in fresh}:
        cases[hearing_id] = session.scalar(select(m.Hearing.case_id).where(m.Hearing.id == hearing_id))
    entries = [kinds.note_search_entry(row["id"], cases[row["hearing_id"]], row["text"]) for row in fresh]
    for chunk in _chunks(entries, 2000):
        session.execute(insert(m.SearchEntry), chunk)
