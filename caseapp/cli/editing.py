"""The commands that edit: ``set`` (a case's fields) and ``note add`` (a hearing note, taken now).

Each is one transaction through the application layer, checked as the window checks it: ``set`` calls
``services.cases.update_case`` with the values as typed (the converters of ``casefile.kinds.CASE`` parse them: a
date may be "27/02/2020" or "3 mars 2026", a status its value or its label), and ``note add`` calls
``services.hearings.add_note`` as hearing mode does. The fields ``set`` takes are the CASE kind's, never a list of
its own; the kinds are loaded only when one of these commands runs (or its help is shown).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import open_core, resolve_hearing
from caseapp.cli.output import day, emit_json, moment
from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language
from caseapp.textsafe import for_terminal

if TYPE_CHECKING:
    from caseapp.casefile.kinds import RecordKind
    from caseapp.casefile.views import CaseDetail

TAGS = "tags"  # not a column of the case: ``update_case`` takes them beside the kind's fields, "a,b" on this line
SHOWN_LIMIT = 80  # characters of a value in the list of changes (a summary is cut, on one line)


def _case_kind() -> RecordKind:
    from caseapp.casefile.kinds import CASE

    return CASE


def settable() -> tuple[str, ...]:
    """The fields ``caseapp set`` takes: the case's editable fields, then its tags."""
    return (*_case_kind().editable, TAGS)


def _label(name: str) -> str:
    from caseapp.services.editing import field_label

    fields = _case_kind().fields
    return _(fields[name].label) if name in fields else field_label(name)


def _fields_help() -> str:
    return _(
        "FIELD is one of: {names}. “FIELD=” clears an optional field; “tags=a,b” sets the tags; parent_id takes a "
        "CASE, as above."
    ).format(names=", ".join(settable()))


# --- set ---------------------------------------------------------------------------------------------------------


def parse_assignments(texts: list[str]) -> dict[str, str]:
    """``FIELD=VALUE`` arguments as ``{field: value}``, each field known and given once."""
    names = settable()
    values: dict[str, str] = {}
    for text in texts:
        field, equals, value = text.partition("=")
        name = field.strip().lower().replace("-", "_")
        if not equals:
            raise InvalidInput(
                _("“{text}” is not FIELD=VALUE. The fields that can be set: {names}.").format(
                    text=for_terminal(text, limit=80), names=", ".join(names)
                )
            )
        if name not in names:
            raise InvalidInput(
                _("Unknown field “{name}”. The fields that can be set: {names}.").format(
                    name=for_terminal(field, limit=80), names=", ".join(names)
                )
            )
        if name in values:
            raise InvalidInput(_("The field {name} is given twice.").format(name=name))
        values[name] = value
    return values


def _edits(core: Any, before: CaseDetail, typed: dict[str, str]) -> tuple[dict[str, Any], list[str] | None]:
    """What ``update_case`` is given: the values as typed, but the parent case named as any CASE is, and the tags
    as a list. As in the window, a link to a parent case goes with the parent case."""
    from caseapp.services.cases import resolve_case

    values: dict[str, Any] = {name: value for name, value in typed.items() if name != TAGS}
    tags = [tag.strip() for tag in typed[TAGS].split(",") if tag.strip()] if TAGS in typed else None
    if "parent_id" in values:
        ref = values["parent_id"].strip()
        values["parent_id"] = resolve_case(core, ref) if ref else None
    parent = values.get("parent_id", before.parent_id)
    if parent is None and (values.get("parent_relation") or "").strip():
        raise InvalidInput(
            _("A link to a parent case needs the parent case: set parent_id too."), field="parent_relation"
        )
    if "parent_id" in values and parent is None:
        values.setdefault("parent_relation", None)
    return values, tags


def _shown(name: str, value: Any, detail: CaseDetail) -> str:
    """A value of the case as a person reads it, on one line."""
    from caseapp.domain.enums import LabelledEnum

    if value is None or value in ("", ()):
        return "—"
    if name == TAGS:
        return for_terminal(", ".join(value), limit=SHOWN_LIMIT)
    if name == "parent_id":
        return for_terminal(detail.parent_title or str(value), limit=SHOWN_LIMIT)
    if isinstance(value, date):
        return day(value)
    try:
        understood = _case_kind().fields[name].convert(value, name)
    except (InvalidInput, KeyError):  # a value stored by an older version: shown as it is
        understood = value
    if isinstance(understood, LabelledEnum):
        return understood.label(current_language())
    return for_terminal(" ".join(str(value).split()), limit=SHOWN_LIMIT)


def _changed(name: str, before: Any, after: Any) -> bool:
    return sorted(before) != sorted(after) if name == TAGS else bool(before != after)


def cmd_set(args: argparse.Namespace) -> int:
    from caseapp.services.cases import get_case, resolve_case, update_case

    typed = parse_assignments(args.assignments)
    core = open_core(args)
    before = get_case(core, resolve_case(core, args.case))
    values, tags = _edits(core, before, typed)
    after = update_case(core, before.id, expected_version=before.version, tags=tags, **values)
    if args.json:
        emit_json(after)
        return 0
    changes = [
        (name, getattr(before, name), getattr(after, name))
        for name in (*values, *([TAGS] if tags is not None else []))
        if _changed(name, getattr(before, name), getattr(after, name))
    ]
    if not changes:
        print(_("Nothing changed."))
        return 0
    for name, old, new in changes:
        label = _label(name)
        print(
            _("{field}: {old} → {new}").format(
                field=label[:1].upper() + label[1:], old=_shown(name, old, before), new=_shown(name, new, after)
            )
        )
    return 0


# --- note add ----------------------------------------------------------------------------------------------------


def read_text(given: str) -> str:
    """The note's text: as given, or standard input for ``-`` (UTF-8)."""
    if given != "-":
        return given
    stream = sys.stdin
    if stream is None:  # started with standard input closed
        return ""
    raw = getattr(stream, "buffer", None)
    if raw is None:
        return str(stream.read())
    try:
        return bytes(raw.read()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The text read from standard input is not valid UTF-8.")) from None


def cmd_note_add(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from caseapp.services.cases import get_case
    from caseapp.services.hearings import add_note, get_hearing

    text = read_text(args.text)
    if not text.strip():
        raise InvalidInput(_("The note is empty: give its text, or “-” to read it from standard input."))
    core = open_core(args)
    hearing = get_hearing(core, resolve_hearing(core, args.hearing))
    case = get_case(core, hearing.case_id)
    note = add_note(core, hearing.id, text, at=datetime.now(UTC))  # as hearing mode: now, by who is working
    name = for_terminal(case.title, limit=SHOWN_LIMIT) + (
        f" ({for_terminal(case.court_number, limit=40)})" if case.court_number else ""
    )
    print(
        _("Note saved: {time} (Paris time) — hearing of {hearing} — {case}.").format(
            time=moment(note.at), hearing=moment(hearing.starts_at), case=name
        )
    )
    return 0


def register(sub: Any) -> None:
    """Add ``set`` and ``note`` to the ``caseapp`` sub-parsers."""
    case_help = _("a case identifier, a unique prefix of it (6+ characters) or its court number")

    help_text = help_of("set")
    edit = sub.add_parser("set", help=help_text, description=help_text)
    edit.set_defaults(handler=cmd_set)
    edit.epilog_from = _fields_help  # the fields come from the case's description, loaded only for the help
    edit.add_argument("case", metavar="CASE", help=case_help)
    edit.add_argument(
        "assignments",
        metavar="FIELD=VALUE",
        nargs="+",
        help=_("a field and its new value, as typed in the window; nothing after “=” clears the field"),
    )
    edit.add_argument("--json", action="store_true", help=_("print the case after the edit as JSON"))

    note = sub.add_parser("note", help=help_of("note"), description=help_of("note"))
    note.set_defaults(handler=lambda a: (note.print_help(), 2)[1])
    actions = note.add_subparsers(dest="note_command", metavar="ACTION")
    add = actions.add_parser(
        "add",
        help=_("add a note to a hearing, timestamped now"),
        description=_("add a note to a hearing, timestamped now"),
    )
    add.set_defaults(handler=cmd_note_add)
    add.add_argument(
        "hearing", metavar="HEARING", help=_("a hearing identifier or a unique prefix of it (6+ characters)")
    )
    add.add_argument("text", metavar="TEXT", help=_("the note's text, or “-” to read it from standard input"))
