"""Field converters shared by the services: each turns what a person typed into a stored value or refuses it.

A refusal is an ``InvalidInput`` naming the field, so a form can show the message next to it. Text refuses a
NUL character and lone surrogates (neither can be stored everywhere, nor read back by a colleague's import);
dates and moments refuse anything outside ``caseapp.dates.EARLIEST``…``LATEST``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from caseapp.domain.enums import LabelledEnum
from caseapp.domain.fields import field_label
from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language

Converter = Callable[[Any, str], Any]
_SURROGATES = re.compile("[\ud800-\udfff]")


def _check_characters(value: str, name: str) -> None:
    if "\x00" in value:
        raise InvalidInput(
            _("The {field} contains a NUL character, which cannot be stored: remove it.").format(
                field=field_label(name)
            ),
            field=name,
        )
    if _SURROGATES.search(value):
        raise InvalidInput(
            _(
                "The {field} contains invalid characters (left over from text that was not valid UTF-8): "
                "type or paste it again."
            ).format(field=field_label(name)),
            field=name,
        )


D = TypeVar("D", bound=date)  # a date or a datetime


def _plausible(value: D, name: str) -> D:
    from caseapp.dates import check_plausible

    try:
        check_plausible(value, field_label(name))
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=name) from None
    return value


def text(max_length: int, *, required: bool = False) -> Converter:
    def convert(value: Any, name: str) -> str | None:
        if value is None:
            if required:
                raise InvalidInput(_("The {field} cannot be empty.").format(field=field_label(name)), field=name)
            return None
        cleaned = str(value).strip()
        _check_characters(cleaned, name)
        if not cleaned:
            if required:
                raise InvalidInput(_("The {field} cannot be empty.").format(field=field_label(name)), field=name)
            return None
        if len(cleaned) > max_length:
            raise InvalidInput(
                _("The {field} is too long ({length} characters; at most {limit}).").format(
                    field=field_label(name), length=len(cleaned), limit=max_length
                ),
                field=name,
            )
        return cleaned

    return convert


def long_text() -> Converter:
    return text(200_000)


def enum(enum_cls: type[LabelledEnum], *, required: bool = True) -> Converter:
    def convert(value: Any, name: str) -> LabelledEnum | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise InvalidInput(_("The {field} cannot be empty.").format(field=field_label(name)), field=name)
            return None
        return enum_cls.parse(value, field=name)

    return convert


def day(*, required: bool = False) -> Converter:
    def convert(value: Any, name: str) -> date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise InvalidInput(_("The {field} cannot be empty.").format(field=field_label(name)), field=name)
            return None
        if isinstance(value, datetime):
            raise InvalidInput(
                _("The {field} takes a date without a time.").format(field=field_label(name)), field=name
            )
        if isinstance(value, date):
            return _plausible(value, name)
        return _plausible(parse_day(str(value), name), name)

    return convert


def parse_day(value: str, name: str) -> date:
    _check_characters(value, name)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        pass
    from caseapp.date_parsing import parse_date

    try:
        return parse_date(value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=name) from exc


def moment(*, required: bool = True) -> Converter:
    def convert(value: Any, name: str) -> datetime | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise InvalidInput(_("The {field} cannot be empty.").format(field=field_label(name)), field=name)
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidInput(_("The {field} needs a time zone.").format(field=field_label(name)), field=name)
            return _plausible(value, name)
        from caseapp.date_parsing import parse_datetime

        stripped = str(value).strip()
        _check_characters(stripped, name)
        try:
            parsed = datetime.fromisoformat(stripped)
            if parsed.tzinfo is not None:
                return _plausible(parsed, name)
        except ValueError:
            pass
        try:
            return parse_datetime(stripped)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field=name) from exc

    return convert


def flag() -> Converter:
    def convert(value: Any, name: str) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in ("yes", "oui", "true", "1", "y", "o"):
            return True
        if lowered in ("no", "non", "false", "0", "n"):
            return False
        raise InvalidInput(_("The {field} must be yes or no.").format(field=field_label(name)), field=name)

    return convert


def reference() -> Converter:
    def convert(value: Any, name: str) -> uuid.UUID | None:
        if value is None or value == "":
            return None
        if isinstance(value, uuid.UUID):
            return value
        try:
            return uuid.UUID(str(value))
        except ValueError as exc:
            raise InvalidInput(_("“{value}” is not a record identifier.").format(value=value), field=name) from exc

    return convert


def stored(value: Any) -> Any:
    """A value as it appears in the history (JSON-friendly)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


@dataclass(frozen=True)
class Form:
    """The editable fields of one kind of record, with their converters (and, when the kind says so, the labels
    that name them in messages)."""

    fields: Mapping[str, Converter]
    labels: Mapping[str, str] = field(default_factory=dict)

    def clean(self, values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        from caseapp.domain.fields import labelled

        unknown = set(values) - set(self.fields)
        if unknown:
            raise InvalidInput(_("Unknown field: {names}.").format(names=", ".join(sorted(unknown))))
        cleaned: dict[str, Any] = {}
        with labelled(self.labels):
            for name, convert in self.fields.items():
                if name in values:
                    cleaned[name] = convert(values[name], name)
                elif not partial:
                    cleaned[name] = convert(None, name)
        return cleaned

    def apply(self, record: Any, values: Mapping[str, Any]) -> dict[str, list[Any]]:
        """Set cleaned values on a record; return ``{field: [old, new]}`` for what actually changed."""
        diff: dict[str, list[Any]] = {}
        for name, new in self.clean(values, partial=True).items():
            old = getattr(record, name)
            if old != new:
                diff[name] = [stored(old), stored(new)]
                setattr(record, name, new)
        return diff


def check_version(record: Any, expected: int | None, what: str) -> None:
    """Refuse an edit or a deletion made on a stale copy, saying who changed the record last and when.

    The ``Conflict`` carries ``current_version``: to keep one's own version knowingly, save again with it.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    from caseapp.errors import Conflict
    from caseapp.store.models import AuditEvent

    if expected is None or record.version == expected:
        return
    session = object_session(record)
    last = None
    if session is not None:
        last = session.execute(
            select(AuditEvent.author, AuditEvent.at)
            .where(AuditEvent.record_id == record.id)
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        ).first()
    who, when = (last[0], last[1]) if last else (_("someone else"), record.updated_at)
    from caseapp.dates import format_datetime

    conflict = Conflict(
        _(
            "This {what} was changed by {who} ({when}) since you opened it. Reload it, or save again to keep yours."
        ).format(what=_(what), who=who, when=format_datetime(when, current_language()))
    )
    conflict.changed_by = who
    conflict.changed_at = when
    conflict.current_version = record.version
    raise conflict
