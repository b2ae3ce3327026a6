"""Where the bundle keys live, behind a small interface: by default CaseApp's secrets store (``caseapp.secrets``).

The signing key (Ed25519, "bundle-signing-key") and the key that opens bundles encrypted for this person (age
X25519, "bundle-age-identity") are secrets: they are kept in the system keyring under the service name
"CaseApp". When there is no system keyring (a headless Linux without a Secret Service), they are kept in CaseApp's
encrypted key file, unlocked by a passphrase once per process — and ``notice`` says so; when no passphrase can be
had either, in memory for this session only — and the store says so plainly through ``warning``. Nothing is ever
written to disk in clear. Tests use ``MemoryKeyStore``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from caseapp.i18n import _

if TYPE_CHECKING:
    from caseapp.secrets import Secrets

SIGNING_KEY = "bundle-signing-key"
AGE_IDENTITY = "bundle-age-identity"


class KeyStore(Protocol):
    """A place for small secrets, by name."""

    @property
    def persistent(self) -> bool:
        """True when keys survive the end of the session."""
        ...

    @property
    def warning(self) -> str | None:
        """A sentence for people when keys are not kept safely across sessions, else None."""
        ...

    @property
    def notice(self) -> str | None:
        """Where the keys are kept, in a sentence for people (None when there is nothing to say)."""
        ...

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class MemoryKeyStore:
    """Keys kept in this process only."""

    def __init__(self, *, warning: str | None = None) -> None:
        self._values: dict[str, str] = {}
        self._warning = warning

    @property
    def persistent(self) -> bool:
        return False

    @property
    def warning(self) -> str | None:
        return self._warning

    @property
    def notice(self) -> str | None:
        return self._warning

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def delete(self, name: str) -> None:
        self._values.pop(name, None)


class SecretsKeyStore:
    """The bundle keys in CaseApp's secrets store (``caseapp.secrets``: the system keyring, else the encrypted key
    file, else this session only)."""

    def __init__(self, secrets: Secrets) -> None:
        self._secrets = secrets

    @property
    def persistent(self) -> bool:
        return self._secrets.status.persistent

    @property
    def warning(self) -> str | None:
        return None if self.persistent else no_keyring_warning()

    @property
    def notice(self) -> str | None:
        return self._secrets.status.message

    def get(self, name: str) -> str | None:
        return self._secrets.get(name)

    def set(self, name: str, value: str) -> None:
        self._secrets.set(name, value)

    def delete(self, name: str) -> None:
        self._secrets.delete(name)


_default: KeyStore | None = None


def no_keyring_warning() -> str:
    return _(
        "No system keyring was found: CaseApp keeps bundle keys for this session only. Bundles signed now "
        "cannot be recognised as yours later, and bundles encrypted for this session's key cannot be opened later."
    )


def default_keystore() -> KeyStore:
    """CaseApp's secrets store: the system keyring, else the encrypted key file (said through ``notice``), else
    (said plainly through ``warning``) this session only."""
    if _default is not None:
        return _default
    from caseapp.secrets import default_secrets

    return SecretsKeyStore(default_secrets())


def set_default_keystore(store: KeyStore | None) -> None:
    """Choose the key store (tests); None goes back to CaseApp's secrets store."""
    global _default
    _default = store
