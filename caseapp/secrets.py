"""Secrets (the server password, the bundle signing key, saved passphrases): where CaseApp keeps them.

1. In the system keyring when there is one (Windows, macOS, a Linux desktop with a Secret Service).
2. Otherwise in an encrypted file (``keyrings.cryptfile``: Argon2id key derivation, AES-GCM with the entry's name
   authenticated), unlocked by a passphrase once per process: ``CASEAPP_KEYRING_PASSPHRASE``, a file named by
   ``CASEAPP_KEYRING_PASSPHRASE_FILE``, or asked (on the terminal, or by the window through ``set_prompter``). The
   file is ``keyring/caseapp-secrets.cfg`` in the user's CaseApp folder, or ``CASEAPP_KEYRING_FILE``.
3. When neither is possible (a process with no terminal and no passphrase), in memory for this session only — and
   CaseApp says so plainly.

A secret is never written to disk in clear. ``keyring`` and the file backend are imported only when a secret is
needed (this module is imported lazily by the commands that need one).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.errors import InvalidInput, StorageError
from caseapp.i18n import _

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# ``keyring`` is imported where a secret is read or kept, not with this module: the window sets its prompter right
# after its first frame, before the case file opens, and importing keyring then delayed the first agenda.

SERVICE = "CaseApp"
PASSPHRASE_ENV = "CASEAPP_KEYRING_PASSPHRASE"
PASSPHRASE_FILE_ENV = "CASEAPP_KEYRING_PASSPHRASE_FILE"
KEYRING_FILE_ENV = "CASEAPP_KEYRING_FILE"
TRIES = 3

# Backends that are not a system keyring: placeholders, and file backends (keyrings.cryptfile registers its own,
# which would ask for a passphrase on stdin from inside keyring's default chain).
_NOT_SYSTEM = ("keyring.backends.fail", "keyring.backends.null", "keyrings.cryptfile", "keyrings.alt")


def _usable(backend: KeyringBackend) -> bool:
    """A backend that will really keep secrets (not the "fail" or "null" placeholders)."""
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name.startswith(_NOT_SYSTEM):
        return False
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: usable if one of its backends is
        return any(_usable(child) for child in children)
    return True


def _is_system(backend: KeyringBackend) -> bool:
    return not type(backend).__module__.startswith(_NOT_SYSTEM) and not hasattr(type(backend), "file_path")


def system_keyring() -> KeyringBackend | None:
    """The system keyring, or None when this system has none (file backends do not count)."""
    import keyring

    chosen = keyring.get_keyring()
    children = getattr(chosen, "backends", None)
    candidates = list(children) if children is not None else [chosen]  # the chainer's are sorted by priority
    for candidate in candidates:
        if _is_system(candidate) and _usable(candidate):
            return candidate
    return None


def keyring_file() -> Path:
    """Where the encrypted key file is (whether or not it exists yet)."""
    override = os.environ.get(KEYRING_FILE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("CaseApp", appauthor=False)) / "keyring" / "caseapp-secrets.cfg"


# --- asking people ----------------------------------------------------------------------------------------------

Prompter = Callable[[str, bool], "str | None"]
"""``prompter(question, confirm)``: the answer, typed without echo (twice when ``confirm``), or None when the person
cancelled or cannot be asked. It may be called from any thread."""

_prompter: Prompter | None = None


def set_prompter(prompter: Prompter | None) -> None:
    """Let the desktop application ask for passwords and passphrases (None: the terminal, when there is one)."""
    global _prompter
    _prompter = prompter


def _terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def can_ask() -> bool:
    return _prompter is not None or _terminal()


def _terminal_prompt(question: str, confirm: bool) -> str | None:
    for _attempt in range(TRIES):
        try:
            answer = getpass.getpass(question)
            if not confirm or not answer:
                return answer or None
            if getpass.getpass(_("Type it again: ")) == answer:
                return answer
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return None
        print(_("The two did not match."), file=sys.stderr)
    return None


def ask(question: str, *, confirm: bool = False) -> str | None:
    """Ask for a secret (a password, a passphrase): None when nobody can be asked or the person cancelled."""
    if _prompter is not None:
        return _prompter(question, confirm)
    if not _terminal():
        return None
    return _terminal_prompt(question, confirm)


# --- the encrypted file -----------------------------------------------------------------------------------------

_file_class: type | None = None


def _encrypted_file_class() -> type:
    """keyrings.cryptfile's backend, writing its file atomically (a crash never leaves half a key file) and
    owner-only. Defined on first use: its imports (argon2, pycryptodome) are for processes that need a secret."""
    global _file_class
    if _file_class is not None:
        return _file_class
    import configparser

    from keyring.errors import PasswordDeleteError
    from keyrings.cryptfile.cryptfile import CryptFileKeyring
    from keyrings.cryptfile.escape import escape

    class EncryptedFileKeyring(CryptFileKeyring):
        priority = 0  # never chosen by keyring itself: CaseApp opens it explicitly

        def _read(self) -> configparser.RawConfigParser:
            config = configparser.RawConfigParser()
            if os.path.exists(self.file_path):
                with open(self.file_path, encoding="utf-8") as handle:
                    config.read_file(handle)
            return config

        def _save(self, config: configparser.RawConfigParser) -> None:
            folder = os.path.dirname(self.file_path) or "."
            os.makedirs(folder, mode=0o700, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".caseapp-secrets-", suffix=".tmp")  # 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    config.write(handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, self.file_path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

        def _write_config_value(self, service: str, key: str, value: str) -> None:
            config = self._read()
            section = escape(service)
            if not config.has_section(section):
                config.add_section(section)
            config.set(section, escape(key), value)
            self._save(config)

        def delete_password(self, service: str, username: str) -> None:
            config = self._read()
            try:
                removed = config.remove_option(escape(service), escape(username))
            except configparser.NoSectionError:
                removed = False
            if not removed:
                raise PasswordDeleteError("Password not found")
            self._save(config)

    _file_class = EncryptedFileKeyring
    return _file_class


def _passphrase_from_file(path: str) -> str:
    from caseapp.store.files import read_input

    try:
        text = read_input(Path(path).expanduser(), 64 * 1024).decode("utf-8", errors="replace")
    except OSError as exc:
        raise InvalidInput(
            _("The passphrase file “{path}” named by {env} cannot be read: {reason}.").format(
                path=path, env=PASSPHRASE_FILE_ENV, reason=exc.strerror or exc
            )
        ) from exc
    passphrase = text.splitlines()[0] if text.strip() else ""
    if not passphrase:
        raise InvalidInput(
            _("The passphrase file “{path}” named by {env} is empty.").format(path=path, env=PASSPHRASE_FILE_ENV)
        )
    return passphrase


class _EncryptedFile:
    """The encrypted key file, unlocked on first use (once per process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._backend: Any = None
        self._lock = threading.Lock()
        self.refused = False  # the person cancelled the passphrase: this process keeps secrets in memory

    @staticmethod
    def can_unlock() -> bool:
        return bool(os.environ.get(PASSPHRASE_ENV) or os.environ.get(PASSPHRASE_FILE_ENV)) or can_ask()

    def open(self) -> Any | None:
        """The unlocked backend; None when the person declined to give the passphrase."""
        with self._lock:
            if self._backend is not None or self.refused:
                return self._backend
            backend = _encrypted_file_class()()
            backend.file_path = str(self.path)
            creating = not self.path.exists()
            given = os.environ.get(PASSPHRASE_ENV)
            source = PASSPHRASE_ENV
            if not given and os.environ.get(PASSPHRASE_FILE_ENV):
                given = _passphrase_from_file(os.environ[PASSPHRASE_FILE_ENV])
                source = PASSPHRASE_FILE_ENV
            if given:
                if not self._unlock(backend, given):
                    raise InvalidInput(
                        _("The passphrase from {source} does not open CaseApp's encrypted key file “{path}”.").format(
                            source=source, path=self.path
                        )
                    )
            else:
                question = (
                    _("Choose a passphrase for CaseApp's encrypted key file ({path}): ")
                    if creating
                    else _("Passphrase of CaseApp's encrypted key file ({path}): ")
                ).format(path=self.path)
                for attempt in range(TRIES):
                    again = _("This passphrase does not open the file.") + " " if attempt else ""
                    answer = ask(again + question, confirm=creating)
                    if not answer:
                        self.refused = True
                        return None
                    if self._unlock(backend, answer):
                        break
                else:
                    raise InvalidInput(
                        _("Wrong passphrase for CaseApp's encrypted key file “{path}”.").format(path=self.path)
                    )
            self._backend = backend
            return backend

    def _unlock(self, backend: Any, passphrase: str) -> bool:
        if not self.path.exists():
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            backend.keyring_key = passphrase  # creates the file, or checks the passphrase against it
            return True
        except ValueError:  # "MAC check failed" / "Incorrect Password"
            backend._keyring_key = None
            return False
        except Exception as exc:  # a damaged file (it is never overwritten)
            backend._keyring_key = None
            raise StorageError(
                _("CaseApp's encrypted key file “{path}” cannot be read: {reason}.").format(path=self.path, reason=exc)
            ) from exc


# --- the one place CaseApp reads and writes secrets -------------------------------------------------------------


@dataclass(frozen=True)
class SecretsStatus:
    """Where secrets are kept now: whether they outlive this session (``persistent``), in which backend, and a sentence
    that tells the person."""

    persistent: bool
    backend: str
    message: str


class Secrets:
    """The one place CaseApp reads and writes secrets.

    ``Secrets()`` is CaseApp's own choice (system keyring, else the encrypted file, else this session);
    ``Secrets(backend)`` uses that keyring backend, or this session only when it cannot keep secrets;
    ``Secrets(backend, encrypted_file=PATH)`` falls back on that encrypted file instead.
    """

    def __init__(self, backend: KeyringBackend | None = None, *, encrypted_file: Path | None = None) -> None:
        automatic = backend is None
        if backend is None:
            backend = system_keyring()
        if backend is None:
            from keyring.backends.fail import Keyring as NoKeyring

            backend = NoKeyring()
        self._backend = backend
        self._session: dict[str, str] = {}  # secrets kept for this process only
        self._cache: dict[str, str] = {}  # secrets read from the encrypted file (each costs a key derivation)
        self._lock = threading.Lock()
        self._persistent = _usable(self._backend)
        self._file: _EncryptedFile | None = None
        if not self._persistent:
            path = encrypted_file or (keyring_file() if automatic else None)
            if path is not None and _EncryptedFile.can_unlock():
                self._file = _EncryptedFile(path)
        self._missing_file = None if self._persistent or self._file else (encrypted_file or keyring_file())

    def _in_file(self) -> bool:
        return self._file is not None and not self._file.refused

    @property
    def status(self) -> SecretsStatus:
        if self._persistent:
            name = type(self._backend).__name__
            return SecretsStatus(
                True, name, _("Secrets are kept in the system keyring ({backend}).").format(backend=name)
            )
        if self._file is not None and self._in_file():
            return SecretsStatus(
                True,
                "encrypted file",
                _(
                    "There is no system keyring: passwords and keys are kept in the encrypted file {path}, unlocked "
                    "by your passphrase (asked once per start, or taken from {env} or {file_env})."
                ).format(path=self._file.path, env=PASSPHRASE_ENV, file_env=PASSPHRASE_FILE_ENV),
            )
        session = _(
            "This system has no keyring: passwords and keys are kept for this session only and will be "
            "asked again next time. Nothing secret is written to disk."
        )
        path = self._file.path if self._file is not None else self._missing_file
        if path is not None and path.exists():
            hint = _(
                "Your encrypted key file {path} was not unlocked: give its passphrase in {env} or {file_env}, "
                "or run CaseApp in a terminal."
            )
        else:
            hint = _(
                "To keep them in an encrypted file unlocked by a passphrase, set {env} or {file_env}, or run "
                "CaseApp in a terminal."
            )
        return SecretsStatus(
            False,
            type(self._backend).__name__,
            session + " " + hint.format(path=path, env=PASSPHRASE_ENV, file_env=PASSPHRASE_FILE_ENV),
        )

    def get(self, name: str) -> str | None:
        from keyring.errors import KeyringError

        with self._lock:
            if name in self._session:
                return self._session[name]
            if name in self._cache:
                return self._cache[name]
        if self._persistent:
            try:
                return self._backend.get_password(SERVICE, name)
            except KeyringError:
                return None
        backend = self._file.open() if self._file is not None else None
        if backend is None:
            return None
        try:
            value: str | None = backend.get_password(SERVICE, name)
        except ValueError as exc:  # an entry that does not decrypt: altered, or written with another passphrase
            raise StorageError(
                _("The secret “{name}” in CaseApp's encrypted key file cannot be decrypted.").format(name=name)
            ) from exc
        if value is not None:
            with self._lock:
                self._cache[name] = value
        return value

    def set(self, name: str, value: str) -> bool:
        """Keep a secret. Returns True when it will survive a restart (system keyring or encrypted file)."""
        from keyring.errors import KeyringError

        if self._persistent:
            try:
                self._backend.set_password(SERVICE, name, value)
                with self._lock:
                    self._session.pop(name, None)
                return True
            except KeyringError:
                self._persistent = False
        backend = self._file.open() if self._file is not None else None
        if backend is not None:
            backend.set_password(SERVICE, name, value)
            with self._lock:
                self._session.pop(name, None)
                self._cache[name] = value
            return True
        with self._lock:
            self._session[name] = value
        return False

    def delete(self, name: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        with self._lock:
            self._session.pop(name, None)
            self._cache.pop(name, None)
        if self._persistent:
            with contextlib.suppress(PasswordDeleteError, KeyringError):
                self._backend.delete_password(SERVICE, name)
            return
        backend = self._file.open() if self._file is not None else None
        if backend is not None:
            with contextlib.suppress(PasswordDeleteError):
                backend.delete_password(SERVICE, name)


_default: Secrets | None = None
_default_lock = threading.Lock()


def default_secrets() -> Secrets:
    global _default
    with _default_lock:
        if _default is None:
            _default = Secrets()
        return _default


def use_secrets(secrets: Secrets | None) -> None:
    """Replace the process-wide secrets store (tests use an in-memory keyring backend)."""
    global _default
    _default = secrets


def db_password_key(user: str | None, host: str | None, port: int | None, database: str | None) -> str:
    return f"db-password:{user or ''}@{host or ''}:{port or ''}/{database or ''}"
