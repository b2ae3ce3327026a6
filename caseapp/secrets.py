"""Secrets (the server password, the bundle signing key, saved passphrases) in the system keyring.

When the system has no keyring (a headless Linux without a Secret Service), CaseApp says so plainly, keeps
secrets in memory for the session only, and still works. A secret is never written to disk in clear.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from caseapp.i18n import _

SERVICE = "CaseApp"


def _usable(backend: KeyringBackend) -> bool:
    """A backend that will really keep secrets (not the "fail" or "null" placeholders)."""
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: usable if one of its backends is
        return any(_usable(child) for child in children)
    return True


@dataclass(frozen=True)
class SecretsStatus:
    persistent: bool
    backend: str
    message: str


class Secrets:
    """The one place CaseApp reads and writes secrets."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()
        self._persistent = _usable(self._backend)

    @property
    def status(self) -> SecretsStatus:
        name = type(self._backend).__name__
        if self._persistent:
            return SecretsStatus(
                True, name, _("Secrets are kept in the system keyring ({backend}).").format(backend=name)
            )
        return SecretsStatus(
            False,
            name,
            _(
                "This system has no keyring: passwords and keys are kept for this session only and will be "
                "asked again next time. Nothing secret is written to disk."
            ),
        )

    def get(self, name: str) -> str | None:
        with self._lock:
            if name in self._session:
                return self._session[name]
        if not self._persistent:
            return None
        try:
            return self._backend.get_password(SERVICE, name)
        except KeyringError:
            return None

    def set(self, name: str, value: str) -> bool:
        """Keep a secret. Returns True when it will survive a restart (system keyring), False otherwise."""
        if self._persistent:
            try:
                self._backend.set_password(SERVICE, name, value)
                with self._lock:
                    self._session.pop(name, None)
                return True
            except KeyringError:
                self._persistent = False
        with self._lock:
            self._session[name] = value
        return False

    def delete(self, name: str) -> None:
        with self._lock:
            self._session.pop(name, None)
        if self._persistent:
            with contextlib.suppress(PasswordDeleteError, KeyringError):
                self._backend.delete_password(SERVICE, name)


_default: Secrets | None = None


def default_secrets() -> Secrets:
    global _default
    if _default is None:
        _default = Secrets()
    return _default


def use_secrets(secrets: Secrets | None) -> None:
    """Replace the process-wide secrets store (tests use an in-memory keyring backend)."""
    global _default
    _default = secrets


def db_password_key(user: str | None, host: str | None, port: int | None, database: str | None) -> str:
    return f"db-password:{user or ''}@{host or ''}:{port or ''}/{database or ''}"
