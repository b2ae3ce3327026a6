"""``data/case.json``: every record of one case, as JSON, and the strict reading of it on import.

The file carries ``format`` (the bundle format version) and ``schema`` (the database revision of the exporting
CaseApp), ``files`` (every stored file the exhibits refer to: SHA-256, size, place in the bag) and
``evidence_files`` (``"included"``, or ``"omitted"`` when the files themselves were left out), then
``records``: for each table, its rows as objects with one field per column — UUIDs and dates as ISO strings,
enums as their stored values. Reading it back checks every field against the column it is for
(type, length, nullability), refuses unknown fields, duplicate JSON keys and duplicate identifiers, and checks
that every reference points at a record in the bundle and that every record belongs to the bundle's case.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, Enum, Integer, String, Uuid, or_, select
from sqlalchemy.orm import Session

from caseapp.bundle import format as fmt
from caseapp.bundle import layout
from caseapp.bundle.layout import LINK_TABLES, table, tables
from caseapp.dates import EARLIEST, LATEST, is_plausible
from caseapp.errors import BundleError
from caseapp.i18n import _
from caseapp.store import migrate
from caseapp.store import models as m
from caseapp.store.audit_chain import plain

# Columns that describe a record in this database only, never sent: where an imported event came from (the
# receiver marks the events it imports itself; see ``caseapp.bundle.history``).
LOCAL_ONLY: dict[str, tuple[str, ...]] = {"audit_events": ("origin",)}
BOOKKEEPING = ("version", "created_at", "updated_at")  # not part of what a record says
TEXT_LIMIT = 1_000_000
_SURROGATES = re.compile("[\ud800-\udfff]")

Row = dict[str, Any]


# --- values ---------------------------------------------------------------------------------------------


encode = plain  # a column value as JSON: the same form the history seals records with


def encode_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: encode(value) for key, value in row.items()}


class _Bad(Exception):
    """A field that does not fit its column; turned into a BundleError naming the record."""


Decoder = Callable[[Any], Any]


def _decode_value(column: Column[Any], value: Any) -> Any:
    """One field of a record, checked against its column (see ``_decoder``)."""
    return _decoder(column)(value)


def _decoder(column: Column[Any]) -> Decoder:
    """The check and conversion of one column's values, chosen once per column: a bundle's records are read
    field by field, and the large case has tens of thousands of fields."""
    kind = column.type
    convert: Decoder
    if isinstance(kind, m.UTCDateTime):
        convert = _moment
    elif isinstance(kind, Enum):
        convert = _enum_decoder(kind.enum_class)
    elif isinstance(kind, Uuid):
        convert = _identifier
    elif isinstance(kind, Date):
        convert = _day
    elif isinstance(kind, Boolean):
        convert = _boolean
    elif isinstance(kind, Integer):
        convert = _integer_decoder(2**63 if isinstance(kind, BigInteger) else 2**31)
    elif isinstance(kind, String):
        convert = _string_decoder(kind.length or TEXT_LIMIT)
    elif isinstance(kind, JSON):
        convert = _json_value
    else:
        convert = _unknown
    nullable = bool(column.nullable)

    def decode(value: Any) -> Any:
        if value is None:
            if not nullable:
                raise _Bad(_("it cannot be empty"))
            return None
        return convert(value)

    return decode


def _moment(value: Any) -> datetime:
    parsed = _text(value)
    try:
        moment = datetime.fromisoformat(parsed)
    except ValueError as exc:
        raise _Bad(_("“{value}” is not a date and time").format(value=parsed[:40])) from exc
    if moment.tzinfo is None:
        raise _Bad(_("“{value}” has no time zone").format(value=parsed[:40]))
    _plausible(moment, parsed)
    return moment.astimezone(UTC)


def _enum_decoder(enum_class: Any) -> Decoder:
    def decode(value: Any) -> Any:
        parsed = _text(value)
        try:
            return enum_class(parsed) if enum_class else parsed
        except ValueError as exc:
            raise _Bad(_("“{value}” is not one of the allowed values").format(value=parsed[:40])) from exc

    return decode


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_identifiers: dict[str, uuid.UUID] = {}  # the same identifiers come back in every record that refers to them


def _identifier(value: Any) -> uuid.UUID:
    if isinstance(value, str):
        known = _identifiers.get(value)
        if known is not None:
            return known
    parsed = _text(value)
    if not _CANONICAL_UUID.fullmatch(parsed.lower()):
        raise _Bad(_("“{value}” is not an identifier").format(value=parsed[:40]))
    identifier = uuid.UUID(parsed)
    if len(_identifiers) < 200_000:
        _identifiers[parsed] = identifier
    return identifier


def _day(value: Any) -> date:
    parsed = _text(value)
    try:
        if len(parsed) != 10:
            raise ValueError(parsed)
        day = date.fromisoformat(parsed)
    except ValueError as exc:
        raise _Bad(_("“{value}” is not a date").format(value=parsed[:40])) from exc
    return _plausible(day, parsed)  # type: ignore[no-any-return]


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(_("it must be true or false"))
    return value


def _integer_decoder(limit: int) -> Decoder:
    def decode(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Bad(_("it must be a whole number"))
        if not -limit <= value < limit:
            raise _Bad(_("the number is out of range"))
        return value

    return decode


def _string_decoder(length: int) -> Decoder:
    def decode(value: Any) -> str:
        parsed = _text(value)
        if len(parsed) > length:
            raise _Bad(_("the text is too long"))
        return parsed

    return decode


def _json_value(value: Any) -> Any:
    if not isinstance(value, dict | list):
        raise _Bad(_("it must be a JSON object or list"))
    _json_text(value)
    return value


def _unknown(value: Any) -> Any:
    raise _Bad(_("CaseApp does not know how to read this field"))


def _plausible(value: date, shown: str) -> Any:
    """A date or moment outside the range every CaseApp date must fall in (``caseapp.dates.EARLIEST``…
    ``LATEST``): one such record would make the display and the calendar of every case fail. It is checked
    before any time-zone conversion, which itself fails near the calendar's ends."""
    if not is_plausible(value):
        raise _Bad(
            _("“{value}” is outside the dates CaseApp accepts ({earliest} to {latest})").format(
                value=shown[:40], earliest=EARLIEST.isoformat(), latest=LATEST.isoformat()
            )
        )
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad(_("it must be text"))
    _clean_text(value)
    return value


class _Reading(threading.local):
    escaped = True  # the case.json being read has \u escapes: a text may hide a NUL or a lone surrogate


_reading = _Reading()


def _clean_text(value: str) -> None:
    if not _reading.escaped:
        return  # decoded UTF-8 without \u escapes holds neither (json refuses raw control characters)
    if "\x00" in value:
        raise _Bad(_("the text contains a NUL character"))
    if _SURROGATES.search(value):
        raise _Bad(_("the text contains a lone surrogate, which is not a character"))


def _json_text(value: Any, depth: int = 0) -> None:
    """Every text inside a JSON value (keys too) passes ``_clean_text``; the nesting is bounded."""
    if depth > 64:
        raise _Bad(_("it is nested too deeply"))
    if isinstance(value, str):
        _clean_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key)
            _json_text(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _json_text(item, depth + 1)


_COLUMNS: dict[str, list[tuple[str, bool, Decoder]]] = {}


def _columns(name: str) -> list[tuple[str, bool, Decoder]]:
    """The columns a bundle's record of ``name`` carries: name, whether it may be absent from an older
    schema's bundle, and its decoder."""
    found = _COLUMNS.get(name)
    if found is None:
        local = LOCAL_ONLY.get(name, ())
        found = [
            (column.name, bool(column.nullable), _decoder(column))
            for column in table(name).columns
            if column.name not in local
        ]
        _COLUMNS[name] = found
    return found


def decode_row(name: str, data: Any, *, index: int, older_schema: bool) -> Row:
    """Check one record of ``case.json`` against its table and return it with Python values."""

    def where() -> str:
        return _("record {index} of “{table}”").format(index=index + 1, table=name)

    if not isinstance(data, dict):
        raise BundleError(_("The bundle's case.json is not valid: {where} is not an object.").format(where=where()))
    columns = _columns(name)
    if len(data) > len(columns) or not data.keys() <= {column for column, _n, _d in columns}:
        unknown = sorted(set(data) - {column for column, _n, _d in columns})
        raise BundleError(
            _("The bundle's case.json is not valid: {where} has fields CaseApp does not know: {fields}.").format(
                where=where(), fields=", ".join(unknown)[:200]
            )
        )
    row: Row = {}
    for column_name, nullable, decode in columns:
        if column_name not in data:
            if older_schema and nullable:
                row[column_name] = None
                continue
            raise BundleError(
                _("The bundle's case.json is not valid: {where} lacks the field “{field}”.").format(
                    where=where(), field=column_name
                )
            )
        try:
            row[column_name] = decode(data[column_name])
        except _Bad as exc:
            raise BundleError(
                _("The bundle's case.json is not valid: in {where}, the field “{field}” is wrong: {reason}.").format(
                    where=where(), field=column_name, reason=exc
                )
            ) from None
    return row


# --- export -----------------------------------------------------------------------------------------------


def _chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _select(session: Session, name: str, *conditions: Any, order: str = "id") -> list[Row]:
    source = table(name)
    local = LOCAL_ONLY.get(name, ())
    columns = [column for column in source.columns if column.name not in local]
    statement = select(*columns).where(*conditions).order_by(source.c[order])
    return [dict(row._mapping) for row in session.execute(statement)]


def _select_in(session: Session, name: str, column: str, values: Iterable[Any], order: str = "id") -> list[Row]:
    wanted = sorted({v for v in values if v is not None}, key=str)
    rows: list[Row] = []
    for chunk in _chunks(wanted):
        rows.extend(_select(session, name, table(name).c[column].in_(chunk), order=order))
    return sorted(rows, key=lambda row: row[order] if order != "id" else str(row["id"]))


def collect(session: Session, case_id: uuid.UUID) -> dict[str, list[Row]]:
    """Every record of a case, read in one session (so one consistent state), as rows of Python values: the rows
    owned by the case (found through their foreign keys, parents first), then the shared records they refer to."""
    rows: dict[str, list[Row]] = {layout.CASES: _select(session, layout.CASES, table(layout.CASES).c.id == case_id)}
    for name in layout.owned_tables()[1:]:
        source = table(name)
        conditions = [
            source.c[ref.column].in_([row["id"] for row in rows[ref.target]])
            for ref in layout.references(name)
            if ref.target in rows and rows[ref.target] and "id" in table(ref.target).c
        ]
        rows[name] = _select(session, name, or_(*conditions), order=_order(name)) if conditions else []
    for name in layout.shared_tables():
        wanted = [
            row[ref.column]
            for owner in layout.owned_tables()
            for ref in layout.references(owner)
            if ref.target == name
            for row in rows[owner]
        ]
        rows[name] = _select_in(session, name, "id", wanted)
    # The history: everything about the case, and what happened to the shared records it carries.
    events = table("audit_events")
    history = {r["id"]: r for r in _select(session, "audit_events", events.c.case_id == case_id, order="seq")}
    shared = [r["id"] for name in layout.shared_tables() for r in rows[name]]
    for chunk in _chunks(shared):
        for r in _select(session, "audit_events", events.c.case_id.is_(None), events.c.record_id.in_(chunk)):
            history[r["id"]] = r
    rows["audit_events"] = sorted(history.values(), key=lambda r: r["seq"])
    return {name: rows[name] for name in tables()}


def _order(name: str) -> str:
    """How a table's rows are listed: by identifier, or for a link table by what it links to."""
    source = table(name)
    if "id" in source.c:
        return "id"
    keys = [column.name for column in source.primary_key.columns if column.name != "case_id"]
    return keys[0] if keys else source.primary_key.columns.values()[0].name


def build_case_json(
    case_id: uuid.UUID,
    rows: Mapping[str, list[Row]],
    *,
    files: Mapping[str, int],
    summary_pdf: bool,
    exported_by: str,
    exported_at: datetime,
    app_version: str,
    evidence_included: bool = True,
) -> bytes:
    """``files`` are the stored files of the case's exhibits (SHA-256 → size), listed whether or not the bag
    carries them: ``evidence_included=False`` says it does not."""
    document = {
        "format": fmt.FORMAT_VERSION,
        "kind": fmt.FORMAT_NAME,
        "schema": migrate.records_revision(),
        "app_version": app_version,
        "case_id": str(case_id),
        "exported_by": exported_by,
        "exported_at": encode(exported_at),
        "summary_pdf": fmt.SUMMARY_PDF if summary_pdf else None,
        "evidence_files": fmt.EVIDENCE_INCLUDED if evidence_included else fmt.EVIDENCE_OMITTED,
        "files": [{"sha256": sha, "size": size, "path": fmt.evidence_name(sha)} for sha, size in sorted(files.items())],
        "records": {name: [encode_row(row) for row in rows[name]] for name in tables()},
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8") + b"\n"


# --- import -----------------------------------------------------------------------------------------------


@dataclass
class Content:
    """What a bundle's case.json says, checked."""

    case_id: uuid.UUID
    schema: str
    app_version: str
    exported_by: str
    exported_at: datetime
    summary_pdf: bool
    files: dict[str, int]  # sha256 → size, of every stored file the exhibits refer to
    evidence_included: bool = True  # False: the bag does not carry the files (exported with --no-evidence)
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def ids(self, name: str) -> set[uuid.UUID]:
        return {row["id"] for row in self.rows[name]}

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _invalid(reason: str) -> BundleError:
    return BundleError(_("The bundle's case.json is not valid: {reason}.").format(reason=reason))


def parse_case_json(data: bytes, *, case_id: uuid.UUID) -> Content:
    _reading.escaped = True
    try:
        return _parse_case_json(data, case_id=case_id)
    finally:
        _reading.escaped = True


def _parse_case_json(data: bytes, *, case_id: uuid.UUID) -> Content:
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except _DuplicateKey as exc:
        raise _invalid(_("the key “{key}” appears twice in one object").format(key=str(exc)[:60])) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _invalid(_("it is not JSON ({reason})").format(reason=str(exc)[:120])) from None
    if not isinstance(document, dict):
        raise _invalid(_("it is not a JSON object"))
    if document.get("kind") != fmt.FORMAT_NAME:
        raise _invalid(_("it is not a CaseApp case file"))
    version = document.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _invalid(_("its format version is missing or wrong"))
    if version > fmt.FORMAT_VERSION:
        raise BundleError(
            _(
                "This bundle was made by a newer version of CaseApp (bundle format {version}; this one reads "
                "format {known}). Update CaseApp to import it."
            ).format(version=version, known=fmt.FORMAT_VERSION)
        )
    schema = document.get("schema")
    if not isinstance(schema, str) or schema not in migrate.known_revisions():
        raise BundleError(
            _(
                "This bundle was made by a newer or unknown version of CaseApp (database schema “{schema}”). "
                "Update CaseApp to import it."
            ).format(schema=str(schema)[:40])
        )
    expected = {"format", "kind", "schema", "app_version", "case_id", "exported_by", "exported_at"}
    expected |= {"summary_pdf", "evidence_files", "files", "records"}
    unknown = sorted(set(document) - expected)
    if unknown:
        raise _invalid(_("it has fields CaseApp does not know: {fields}").format(fields=", ".join(unknown)[:200]))
    if document.get("case_id") != str(case_id):
        raise _invalid(_("it is about another case than the bundle says"))
    exported_at = _header_moment(document.get("exported_at"))
    for key in ("app_version", "exported_by"):
        if not isinstance(document.get(key), str):
            raise _invalid(_("the field “{field}” is missing or wrong").format(field=key))
        try:
            _clean_text(document[key])
        except _Bad as exc:
            raise _invalid(_("the field “{field}” is wrong: {reason}").format(field=key, reason=exc)) from None
    summary = document.get("summary_pdf")
    if summary not in (None, fmt.SUMMARY_PDF):
        raise _invalid(_("the field “{field}” is missing or wrong").format(field="summary_pdf"))
    evidence = document.get("evidence_files", fmt.EVIDENCE_INCLUDED)  # absent: written before it existed
    if evidence not in (fmt.EVIDENCE_INCLUDED, fmt.EVIDENCE_OMITTED):
        raise _invalid(_("the field “{field}” is missing or wrong").format(field="evidence_files"))
    content = Content(
        case_id=case_id,
        schema=schema,
        app_version=document["app_version"][:80],
        exported_by=document["exported_by"][:120],
        exported_at=exported_at,
        summary_pdf=summary is not None,
        files=_files(document.get("files")),
        evidence_included=evidence == fmt.EVIDENCE_INCLUDED,
    )
    records = document.get("records")
    if not isinstance(records, dict):
        raise _invalid(_("it has no records"))
    unknown = sorted(set(records) - set(tables()))
    if unknown:
        raise _invalid(_("it has kinds of records CaseApp does not know: {kinds}").format(kinds=", ".join(unknown)))
    older = schema != migrate.records_revision()
    _reading.escaped = b"\\u" in data
    for name in tables():
        items = records.get(name, [])
        if not isinstance(items, list):
            raise _invalid(_("“{table}” is not a list").format(table=name))
        content.rows[name] = [decode_row(name, item, index=i, older_schema=older) for i, item in enumerate(items)]
    check_references(content)
    return content


def _header_moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _invalid(_("the field “{field}” is missing or wrong").format(field="exported_at"))
    try:
        _plausible(moment, value)
    except _Bad as exc:
        raise _invalid(_("the field “{field}” is wrong: {reason}").format(field="exported_at", reason=exc)) from None
    return moment.astimezone(UTC)


def _files(value: Any) -> dict[str, int]:
    if not isinstance(value, list):
        raise _invalid(_("the field “{field}” is missing or wrong").format(field="files"))
    files: dict[str, int] = {}
    for item in value:
        if not isinstance(item, dict) or set(item) != {"sha256", "size", "path"}:
            raise _invalid(_("the field “{field}” is missing or wrong").format(field="files"))
        sha, size = item["sha256"], item["size"]
        if not isinstance(sha, str) or not fmt.SHA256.match(sha) or item["path"] != fmt.evidence_name(sha):
            raise _invalid(_("a file entry has a wrong name or fingerprint"))
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _invalid(_("a file entry has a wrong size"))
        if sha in files:
            raise _invalid(_("the file {sha} is listed twice").format(sha=sha[:16]))
        files[sha] = size
    return files


def _missing_reference(kind: str, record: Any, target: str, value: Any) -> BundleError:
    return _invalid(
        _("the {kind} {id} refers to a {target} that is not in the bundle ({value})").format(
            kind=kind, id=record, target=target, value=value
        )
    )


def _other_case(kind: str, record: Any) -> BundleError:
    return _invalid(_("the {kind} {id} belongs to another case").format(kind=kind, id=record))


def _what(name: str) -> str:
    """What a record of ``name`` is called, for people."""
    from caseapp.casefile import kinds

    kind = kinds.BY_TABLE.get(name)
    return _(kind.label) if kind is not None else _(layout.LINK_LABELS.get(name, name))


def check_references(content: Content) -> None:
    """Every record belongs to the case, every reference points at a record in the bundle, no identifier twice,
    no unique key twice — all read from the models' keys and constraints."""
    rows = content.rows
    case_id = content.case_id
    seen: set[uuid.UUID] = set()
    for name in tables():
        if name in LINK_TABLES:
            continue
        for row in rows[name]:
            if row["id"] in seen:
                raise _invalid(_("the identifier {id} is used twice").format(id=row["id"]))
            seen.add(row["id"])
    if [row["id"] for row in rows[layout.CASES]] != [case_id]:
        raise _invalid(_("it must hold exactly the one case the bundle is about"))
    if rows[layout.CASES][0]["parent_id"] == case_id:
        raise _invalid(_("the case is its own parent"))
    for name in tables():
        for columns in layout.unique_keys(name):
            what = _what(name) if name != "audit_events" else _("a history position")
            _unique(rows[name], columns, what)
    carried = {name: {row["id"] for row in rows[name]} for name in tables() if name not in LINK_TABLES}
    owned = layout.owned_tables()
    for name in owned[1:]:
        refs = layout.references(name)
        for row in rows[name]:
            label = row.get("id", row.get("tag", row.get("opinion_id")))
            tied = False
            for ref in refs:
                target_value = row[ref.column]
                if target_value is None:
                    continue
                if ref.target == layout.CASES:
                    if target_value != case_id:
                        raise _other_case(_what(name), label)
                    tied = True
                    continue
                if ref.target not in carried or target_value not in carried[ref.target]:
                    raise _missing_reference(_what(name), label, _what(ref.target), target_value)
                tied = tied or ref.target in owned
            if not tied:
                raise _other_case(_what(name), label)
    for name in layout.shared_tables():
        for row in rows[name]:
            for ref in layout.references(name):
                if row[ref.column] is not None and row[ref.column] not in carried.get(ref.target, set()):
                    raise _missing_reference(_what(name), row["id"], _what(ref.target), row[ref.column])
    stored = {row["id"]: row for row in rows["stored_files"]}
    for row in rows["evidence"]:
        if row["number"] < 1:
            raise _invalid(_("the exhibit {id} has a number below 1").format(id=row["id"]))
    digests: set[str] = set()
    for row in stored.values():
        sha = row["sha256"]
        if not fmt.SHA256.match(sha):
            raise _invalid(_("the stored file {id} has a wrong fingerprint").format(id=row["id"]))
        if sha not in content.files:
            raise _missing_reference(_("stored file"), row["id"], _("file"), sha[:16])
        if row["size"] != content.files[sha]:
            raise _invalid(_("the stored file {id} does not have the size of its file").format(id=row["id"]))
        digests.add(sha)
    unused = sorted(set(content.files) - digests)
    if unused:
        raise _invalid(_("the file {sha} belongs to no exhibit").format(sha=unused[0][:16]))
    shared = {row["id"] for name in layout.shared_tables() for row in rows[name]}
    for row in rows["audit_events"]:
        if row["case_id"] not in (case_id, None):
            raise _other_case(_("history event"), row["id"])
        if row["case_id"] is None and row["record_id"] not in shared:
            raise _other_case(_("history event"), row["id"])


def _unique(rows: list[Row], columns: tuple[str, ...], what: str) -> None:
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        key = tuple(row[c] for c in columns)
        if key in seen:
            raise _invalid(_("{what} appears twice ({value})").format(what=what, value=", ".join(map(str, key))[:80]))
        seen.add(key)
