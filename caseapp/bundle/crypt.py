"""Encrypted bundles, in the age format (https://age-encryption.org/v1), so ``age -d`` opens them too.

- For colleagues' public keys (``age1…``, X25519) pyrage does the work, streaming (``encrypt_io``/``decrypt_io``).
- For a passphrase, pyrage only offers whole-file calls (``pyrage.passphrase``), which would hold the whole bundle
  in memory. So the passphrase case is written here, streaming, from the age specification with the primitives
  of ``cryptography``: an ``scrypt`` stanza wrapping a random 16-byte file key (ChaCha20-Poly1305, zero nonce),
  a header MAC (HMAC-SHA-256 under HKDF(file key, "header")), then the payload in 64 KiB ChaCha20-Poly1305
  chunks under HKDF(file key, nonce, "payload"). Tests check it against pyrage and against the ``age`` tool both
  ways.

The key that opens bundles encrypted *for this person* (an X25519 identity) is kept in the key store.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import re
from collections.abc import Callable, Sequence
from hashlib import sha256
from pathlib import Path
from typing import BinaryIO

from caseapp.errors import BundleError, InvalidInput, StorageError
from caseapp.i18n import _
from caseapp.identity.keys import AGE_IDENTITY, KeyStore

MAGIC = b"age-encryption.org/v1\n"
ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
SCRYPT_WORK_FACTOR = 18  # log2(N), as age itself uses; tests lower it
MAX_WORK_FACTOR = 22  # refuse more on reading: a hostile file could ask for gigabytes of memory
CHUNK = 64 * 1024
TAG = 16
MAX_LINE = 4096
MAX_HEADER = 64 * 1024
COPY = 1024 * 1024

PASSPHRASE = "passphrase"
RECIPIENTS = "recipients"

Tick = Callable[[int], None]  # called with the number of bytes just processed (progress and cancel)


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    try:
        decoded = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _damaged() from exc
    if _b64(decoded) != text:
        raise _damaged()
    return decoded


def _damaged() -> BundleError:
    return BundleError(_("The encrypted bundle is damaged or was altered: it cannot be opened."))


def _hkdf(key: bytes, salt: bytes | None, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


# --- what kind of file is this ------------------------------------------------------------------------------


def encryption_of(path: Path) -> str | None:
    """None for a plain bundle, ``"passphrase"`` or ``"recipients"`` for an age-encrypted one.

    Only a regular file is opened (``open_input``: a pipe or a device is refused at once)."""
    from caseapp.store.files import open_input
    from caseapp.textsafe import for_terminal

    with open_input(path) as handle:
        try:
            start = handle.read(MAX_HEADER)
        except OSError as exc:
            raise BundleError(
                _("The bundle “{path}” cannot be read: {reason}.").format(
                    path=for_terminal(path, limit=200), reason=exc.strerror or exc
                )
            ) from exc
    return _kind(start)


def _kind(start: bytes) -> str | None:
    if start.startswith(ARMOR):
        lines = start.split(b"\n")[1:40]
        body = b"".join(line.strip() for line in lines if line.strip() and not line.startswith(b"-----"))
        try:
            start = base64.b64decode(body[: len(body) - len(body) % 4])
        except (binascii.Error, ValueError):
            return RECIPIENTS
    if not start.startswith(MAGIC):
        return None
    return PASSPHRASE if b"\n-> scrypt " in start.split(b"\n---", 1)[0] else RECIPIENTS


# --- keys --------------------------------------------------------------------------------------------------


def load_identity(store: KeyStore) -> object | None:
    """This person's age identity (to open bundles encrypted for them), or None."""
    from pyrage import x25519

    stored = store.get(AGE_IDENTITY)
    if not stored:
        return None
    try:
        identity: object = x25519.Identity.from_str(stored)
    except Exception as exc:  # pyrage raises its own IdentityError
        raise StorageError(_("The bundle decryption key kept in the keyring is damaged.")) from exc
    return identity


def ensure_identity(store: KeyStore) -> object:
    from pyrage import x25519

    existing = load_identity(store)
    if existing is not None:
        return existing
    identity = x25519.Identity.generate()
    store.set(AGE_IDENTITY, str(identity))
    return identity


def recipient_of(identity: object) -> str:
    return str(identity.to_public())  # type: ignore[attr-defined]


def parse_recipient(text: str) -> object:
    from pyrage import x25519

    value = text.strip()
    if not re.fullmatch(r"age1[0-9a-z]{58}", value):
        raise InvalidInput(
            _("“{key}” is not an age public key (they start with “age1” and have 62 characters).").format(
                key=value[:80]
            )
        )
    try:
        return x25519.Recipient.from_str(value)
    except Exception as exc:
        raise InvalidInput(_("“{key}” is not a valid age public key.").format(key=value[:80])) from exc


KEY_FILE_LIMIT = 64 * 1024  # an age key file is a few hundred bytes, a passphrase file one line


def _key_file_text(path: str | os.PathLike[str], unreadable: str) -> str:
    """A key or passphrase file's text: a regular file, at most ``KEY_FILE_LIMIT`` bytes, UTF-8."""
    from caseapp.store.files import read_input
    from caseapp.textsafe import for_terminal

    data = read_input(path, KEY_FILE_LIMIT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(unreadable.format(path=for_terminal(path, limit=200))) from None


def identities_in(path: str | os.PathLike[str]) -> list[str]:
    """The age secret keys (``AGE-SECRET-KEY-1…`` lines) in a key file; the other lines are comments."""
    text = _key_file_text(path, _("The key file “{path}” is not text: it cannot hold an age secret key."))
    return [line.strip() for line in text.splitlines() if line.strip().startswith("AGE-SECRET-KEY-")]


def passphrase_in(path: str | os.PathLike[str]) -> str:
    """The passphrase on the first line of a file (without its line ending)."""
    text = _key_file_text(path, _("The passphrase file “{path}” is not UTF-8 text."))
    lines = text.splitlines()
    if not lines or not lines[0]:
        from caseapp.textsafe import for_terminal

        raise InvalidInput(_("The passphrase file “{path}” is empty.").format(path=for_terminal(path, limit=200)))
    return lines[0]


def parse_identity(text: str) -> object:
    from pyrage import x25519

    try:
        return x25519.Identity.from_str(text.strip())
    except Exception as exc:
        raise InvalidInput(_("This is not an age secret key.")) from exc


# --- encryption ----------------------------------------------------------------------------------------------


def encrypt(
    source: BinaryIO,
    target: BinaryIO,
    *,
    passphrase: str | None = None,
    recipients: Sequence[str] = (),
    tick: Tick | None = None,
) -> None:
    """Encrypt ``source`` into ``target``, streaming, for a passphrase or for recipients (not both)."""
    if passphrase is not None and recipients:
        raise InvalidInput(_("Encrypt a bundle with a passphrase or for colleagues' keys, not both."))
    reader = _Counting(source, tick)
    if passphrase is not None:
        if not passphrase:
            raise InvalidInput(_("The passphrase cannot be empty."))
        _encrypt_passphrase(reader, target, passphrase)
        return
    import pyrage

    parsed = [parse_recipient(r) for r in recipients]
    if not parsed:
        raise InvalidInput(_("Give a passphrase or at least one colleague's key to encrypt the bundle."))
    try:
        pyrage.encrypt_io(reader, target, parsed)
    except pyrage.EncryptError as exc:
        raise BundleError(_("The bundle could not be encrypted: {reason}.").format(reason=exc)) from exc


def _encrypt_passphrase(source: _Counting, target: BinaryIO, passphrase: str) -> None:
    # cryptography is imported only to encrypt or decrypt with a passphrase: reading a plain bundle needs none of it
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    file_key = os.urandom(16)
    salt = os.urandom(16)
    work = SCRYPT_WORK_FACTOR
    wrap = Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**work, r=8, p=1).derive(passphrase.encode("utf-8"))
    body = ChaCha20Poly1305(wrap).encrypt(b"\x00" * 12, file_key, None)
    header = MAGIC + b"-> scrypt " + _b64(salt) + b" " + str(work).encode() + b"\n" + _b64(body) + b"\n---"
    mac = hmac.new(_hkdf(file_key, None, b"header"), header, sha256).digest()
    target.write(header + b" " + _b64(mac) + b"\n")
    nonce = os.urandom(16)
    target.write(nonce)
    aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    counter = 0
    current = _read_full(source, CHUNK)
    while True:
        following = _read_full(source, CHUNK) if len(current) == CHUNK else b""
        last = not following
        target.write(aead.encrypt(_nonce(counter, last), current, None))
        if last:
            return
        counter += 1
        current = following


def _read_full(handle: BinaryIO | _Counting, size: int) -> bytes:
    parts: list[bytes] = []
    left = size
    while left:
        chunk = handle.read(left)
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


# --- decryption ----------------------------------------------------------------------------------------------


def decrypt(
    source: BinaryIO,
    target: BinaryIO,
    *,
    passphrase: str | None = None,
    identities: Sequence[object] = (),
    limit: int,
    tick: Tick | None = None,
) -> None:
    """Decrypt an age file into ``target``, streaming, refusing to write more than ``limit`` bytes."""
    writer = _Limited(target, limit)
    reader = _Counting(source, tick)
    start = source.read(MAX_HEADER)
    source.seek(0)
    if _kind(start) == PASSPHRASE:
        if passphrase is None:
            raise BundleError(_("This bundle is encrypted with a passphrase: give the passphrase to open it."))
        if not start.startswith(MAGIC):
            raise BundleError(
                _("This bundle is in age's text (armored) form, which CaseApp does not open: decrypt it with “age -d”.")
            )
        _decrypt_passphrase(reader, writer, passphrase)
        return
    source.seek(0)
    import pyrage

    if not identities:
        raise BundleError(
            _("This bundle is encrypted for someone's key, and there is no key here to open it.")
            if passphrase is None
            else _("This bundle is encrypted for someone's key, not with a passphrase.")
        )
    try:
        pyrage.decrypt_io(reader, writer, list(identities))
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise BundleError(_("None of your keys can open this bundle: it was encrypted for someone else.")) from exc
        raise _damaged() from exc
    except OSError as exc:
        raise _damaged() from exc


class _Limited:
    """A writer that refuses to grow past a limit (a decrypted bundle is as hostile as any other)."""

    def __init__(self, target: BinaryIO, limit: int) -> None:
        self.target = target
        self.limit = limit
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.written > self.limit:
            raise BundleError(_("The encrypted bundle is larger than CaseApp accepts."))
        return self.target.write(data)

    def flush(self) -> None:
        self.target.flush()


class _Counting:
    """A reader that reports each chunk read (progress, cancel)."""

    def __init__(self, source: BinaryIO, tick: Tick | None) -> None:
        self.source = source
        self.tick = tick

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        if self.tick is not None and data:
            self.tick(len(data))
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int = -1) -> bytes:
        line = self.source.readline(size)
        if self.tick is not None and line:
            self.tick(len(line))
        return line


def _line(source: _Counting) -> bytes:
    line = source.readline(MAX_LINE + 1)
    if not line.endswith(b"\n") or len(line) > MAX_LINE:
        raise _damaged()
    return line


def _decrypt_passphrase(source: _Counting, target: _Limited, passphrase: str) -> None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if _line(source) != MAGIC:
        raise _damaged()
    header = bytearray(MAGIC)
    stanzas: list[tuple[list[bytes], bytes]] = []
    while True:
        line = _line(source)
        if len(header) > MAX_HEADER:
            raise _damaged()
        if line.startswith(b"--- "):
            header += b"---"
            mac = _unb64(line[4:-1])
            break
        if not line.startswith(b"-> "):
            raise _damaged()
        header += line
        arguments = line[3:-1].split(b" ")
        body = b""
        while True:
            body_line = _line(source)
            header += body_line
            text = body_line[:-1]
            if len(text) > 64:
                raise _damaged()
            body += _unb64(text)
            if len(text) < 64:
                break
        stanzas.append((arguments, body))
    if len(stanzas) != 1 or stanzas[0][0][0] != b"scrypt" or len(stanzas[0][0]) != 3:
        raise BundleError(_("This bundle mixes a passphrase with other keys, which age does not allow."))
    (_kind, salt_text, work_text), wrapped = stanzas[0]
    salt = _unb64(salt_text)
    if len(salt) != 16 or not re.fullmatch(rb"[1-9][0-9]?", work_text) or len(wrapped) != 32:
        raise _damaged()
    work = int(work_text)
    if work > MAX_WORK_FACTOR:
        raise BundleError(_("This bundle's passphrase protection asks for more memory than CaseApp allows."))
    key = Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**work, r=8, p=1).derive(passphrase.encode("utf-8"))
    try:
        file_key = ChaCha20Poly1305(key).decrypt(b"\x00" * 12, wrapped, None)
    except InvalidTag:
        raise BundleError(_("The passphrase is wrong: the bundle could not be opened.")) from None
    expected = hmac.new(_hkdf(file_key, None, b"header"), bytes(header), sha256).digest()
    if not hmac.compare_digest(expected, mac):
        raise _damaged()
    nonce = _read_full(source, 16)
    if len(nonce) != 16:
        raise _damaged()
    aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    counter = 0
    current = _read_full(source, CHUNK + TAG)
    while True:
        if len(current) < TAG:
            raise _damaged()
        following = _read_full(source, CHUNK + TAG) if len(current) == CHUNK + TAG else b""
        last = not following
        try:
            plain = aead.decrypt(_nonce(counter, last), current, None)
        except InvalidTag:
            raise _damaged() from None
        if not plain and counter > 0:
            raise _damaged()
        target.write(plain)
        if last:
            return
        counter += 1
        current = following
