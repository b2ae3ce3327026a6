"""One exception family for the whole core; every message is written for the person using the app."""

from __future__ import annotations


class CaseAppError(Exception):
    """Base of every error the core raises on purpose. ``str(error)`` is a sentence for people."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class NotFound(CaseAppError):
    """The record asked for does not exist (or no longer does)."""


class InvalidInput(CaseAppError):
    """What was typed cannot be accepted; ``field`` names the field at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.field = field


class Conflict(CaseAppError):
    """Someone else changed or removed the record since it was read.

    When known: ``changed_by`` and ``changed_at`` say who and when; ``current_version`` is the version to
    save against to overwrite knowingly.
    """

    changed_by: str | None = None
    changed_at: object = None
    current_version: int | None = None


class Cancelled(CaseAppError):
    """The person cancelled a long operation; the UI swallows it quietly."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class StorageError(CaseAppError):
    """The database or the file store cannot be used as it is."""


class BundleError(CaseAppError):
    """A case bundle cannot be written, read or trusted."""
