"""Column types and naming shared by the ORM models (``models.py``) and the Core tables (``tables.py``).

Nothing here imports ``sqlalchemy.orm``: the read path that needs no mapping (``tables.py``,
``caseapp.casefile.core_reads``) uses these types too, so both read a value the same way.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, Uuid
from sqlalchemy.types import TypeDecorator

from caseapp.domain import enums

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
GENESIS = "0" * 64  # the hash the first audit event links to (``audit_chain``)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; naive values are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_new = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown


def uuid_from_text(value: str | None) -> uuid.UUID | None:
    """An identifier as SQLite holds it (32 hexadecimal digits), read as ``uuid.UUID(value)`` reads it, in half
    the time: that constructor first takes apart every form a UUID can be written in. Anything else (another form,
    a damaged value) goes to ``uuid.UUID`` itself, which reads it or refuses it as it always did."""
    if value is None:
        return None
    if type(value) is str and len(value) == 32 and value.isalnum():  # no sign, separator, brace or space
        number = int(value, 16)  # a letter past f is refused here, as uuid.UUID refuses it
        read = _new(uuid.UUID)
        _set(read, "int", number)
        _set(read, "is_safe", _UNKNOWN)
        return read
    return uuid.UUID(value)


class Identifier(Uuid[uuid.UUID]):
    """A record's identifier: ``Uuid``, read back on a database without a UUID type (SQLite) by
    ``uuid_from_text``. The case list of 10,000 cases reads 18,000 of them."""

    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        process = super().result_processor(dialect, coltype)
        if process is None or not self.as_uuid or (dialect.supports_native_uuid and self.native_uuid):
            return process
        return uuid_from_text


def enum_column(enum_cls: type[enums.LabelledEnum]) -> Enum:
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
