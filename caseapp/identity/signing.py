"""Signed bundles: an Ed25519 key pair per person, a detached signature over the tag manifest, trusted colleagues.

- The private key is created on first use and kept in the key store (the system keyring) as
  ``ed25519:<base64 of the 32 raw bytes>`` under "CaseApp" / "bundle-signing-key".
- The signature covers ``"CaseApp bundle signature v1\\n" + tagmanifest-sha256.txt``; the tag manifest holds the
  SHA-256 of bag-info.txt and of the payload manifest, which holds the SHA-256 of every payload file, so the
  signature covers the whole bundle. It is written, base64, to ``signature.ed25519`` in the bag. The signer's
  public key and fingerprint are in bag-info.txt (so they are signed too).
- A fingerprint is the first 160 bits of the SHA-256 of the raw public key, shown as ten groups of four hex
  digits (``3F2A 9C11 0B7D E4A2 5566  81C0 ...``) to be read aloud over the phone.
- Colleagues are trusted by fingerprint, in ``trusted-keys.json`` in the data folder (written atomically).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseapp.errors import InvalidInput, NotFound, StorageError
from caseapp.i18n import _
from caseapp.identity.keys import SIGNING_KEY, KeyStore
from caseapp.store.files import fsync_folder

SIGNED_PREFIX = b"CaseApp bundle signature v1\n"
KEY_PREFIX = "ed25519:"
TRUST_FILE = "trusted-keys.json"
CARD_HEADER = "CaseApp-Public-Key: 1"


def fingerprint(public_key: bytes) -> str:
    """40 upper-case hex digits identifying a public key."""
    return hashlib.sha256(public_key).hexdigest()[:40].upper()


def show_fingerprint(value: str) -> str:
    """``3F2A 9C11 0B7D E4A2 5566  81C0 77AB 0D1E 9F00 4C3B``: easy to compare and to read aloud."""
    groups = [value[i : i + 4] for i in range(0, len(value), 4)]
    return " ".join(groups[:5]) + "  " + " ".join(groups[5:])


def parse_fingerprint(text: str) -> str:
    cleaned = re.sub(r"[\s:\-]", "", text).upper()
    if not re.fullmatch(r"[0-9A-F]{40}", cleaned):
        raise InvalidInput(
            _("“{text}” is not a key fingerprint (40 hexadecimal digits, spaces allowed).").format(text=text[:80])
        )
    return cleaned


def encode_public(public_key: bytes) -> str:
    return KEY_PREFIX + base64.b64encode(public_key).decode("ascii")


def decode_public(text: str) -> bytes | None:
    """The 32 raw bytes of an ``ed25519:<base64>`` public key, or None when it is not one."""
    if not text.startswith(KEY_PREFIX):
        return None
    try:
        raw = base64.b64decode(text[len(KEY_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


@dataclass(frozen=True)
class Signer:
    """This person's signing key."""

    private: Ed25519PrivateKey
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, tag_manifest: bytes) -> bytes:
        return base64.b64encode(self.private.sign(SIGNED_PREFIX + tag_manifest)) + b"\n"


def _signer(private: Ed25519PrivateKey) -> Signer:
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Signer(private, public)


def load_signer(store: KeyStore) -> Signer | None:
    """This person's signing key, or None when they have none yet."""
    stored = store.get(SIGNING_KEY)
    if not stored:
        return None
    try:
        raw = base64.b64decode(stored.removeprefix(KEY_PREFIX), validate=True)
        return _signer(Ed25519PrivateKey.from_private_bytes(raw))
    except (binascii.Error, ValueError) as exc:
        raise StorageError(
            _("The bundle signing key kept in the keyring is damaged; remove it to create a new one.")
        ) from exc


def ensure_signer(store: KeyStore) -> Signer:
    """This person's signing key, created (and kept in the key store) on first use."""
    existing = load_signer(store)
    if existing is not None:
        return existing
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    store.set(SIGNING_KEY, KEY_PREFIX + base64.b64encode(raw).decode("ascii"))
    return _signer(private)


def verify(public_key: bytes, tag_manifest: bytes, signature_file: bytes) -> bool:
    """Whether ``signature_file`` (as written by ``Signer.sign``) is a valid signature of the tag manifest."""
    try:
        signature = base64.b64decode(signature_file.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, SIGNED_PREFIX + tag_manifest)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


# --- public key cards: what a person gives colleagues so they can trust them and encrypt for them ----------


@dataclass(frozen=True)
class Card:
    """A public key card: the name, signing key and encryption key a person gives colleagues, so they can trust that
    person's bundles and encrypt for them."""

    name: str
    public_key: bytes
    recipient: str | None  # age X25519 public key ("age1…") to encrypt bundles for this person

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def text(self) -> str:
        lines = [
            CARD_HEADER,
            f"Name: {' '.join(self.name.split())}",
            f"Signing-Key: {encode_public(self.public_key)}",
            f"Fingerprint: {show_fingerprint(self.fingerprint)}",
        ]
        if self.recipient:
            lines.append(f"Encryption-Key: {self.recipient}")
        return "\n".join(lines) + "\n"


def parse_card(text: str) -> Card:
    fields: dict[str, str] = {}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or lines[0] != CARD_HEADER:
        raise InvalidInput(
            _("This file is not a CaseApp public key (it should start with “{header}”).").format(header=CARD_HEADER)
        )
    for line in lines[1:]:
        label, _colon, value = line.partition(":")
        fields[label.strip()] = value.strip()
    public = decode_public(fields.get("Signing-Key", ""))
    if public is None:
        raise InvalidInput(_("This CaseApp public key file has no valid signing key."))
    declared = fields.get("Fingerprint")
    if declared and parse_fingerprint(declared) != fingerprint(public):
        raise InvalidInput(_("This CaseApp public key file is damaged: its fingerprint does not match its key."))
    recipient = fields.get("Encryption-Key") or None
    if recipient is not None and not re.fullmatch(r"age1[0-9a-z]{58}", recipient):
        raise InvalidInput(_("This CaseApp public key file has an invalid encryption key."))
    return Card(fields.get("Name", "")[:120], public, recipient)


# --- trusted colleagues --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustedKey:
    """A colleague's key trusted here, as ``trusted-keys.json`` keeps it: the fingerprint, the name given, and who
    trusted it and when."""

    fingerprint: str
    name: str
    public_key: str | None  # "ed25519:<base64>" when known (trusted from a card)
    recipient: str | None  # "age1…" when known
    added_at: str
    added_by: str

    @property
    def shown(self) -> str:
        return show_fingerprint(self.fingerprint)


class TrustedKeys:
    """The colleagues whose bundles this person trusts, kept in the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / TRUST_FILE

    def all(self) -> list[TrustedKey]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageError(
                _("The list of trusted keys “{path}” cannot be read: {reason}.").format(path=self.path, reason=exc)
            ) from exc
        try:
            document = json.loads(text)
            if document.get("format") != 1:
                raise ValueError("format")
            return [TrustedKey(**item) for item in document["keys"]]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise StorageError(
                _("The list of trusted keys “{path}” is damaged; fix or remove it.").format(path=self.path)
            ) from exc

    def find(self, fingerprint_value: str) -> TrustedKey | None:
        return next((key for key in self.all() if key.fingerprint == fingerprint_value), None)

    def trust(self, fingerprint_value: str, *, name: str, author: str, card: Card | None = None) -> TrustedKey:
        """Trust a key (again: its entry is replaced)."""
        entry = TrustedKey(
            fingerprint=fingerprint_value,
            name=" ".join(name.split())[:120],
            public_key=encode_public(card.public_key) if card else None,
            recipient=card.recipient if card else None,
            added_at=datetime.now(UTC).isoformat(timespec="seconds"),
            added_by=author,
        )
        keys = [key for key in self.all() if key.fingerprint != fingerprint_value] + [entry]
        self._save(keys)
        return entry

    def forget(self, fingerprint_value: str) -> TrustedKey:
        keys = self.all()
        found = next((key for key in keys if key.fingerprint == fingerprint_value), None)
        if found is None:
            raise NotFound(
                _("No trusted key has the fingerprint {fingerprint}.").format(
                    fingerprint=show_fingerprint(fingerprint_value)
                )
            )
        self._save([key for key in keys if key is not found])
        return found

    def _save(self, keys: list[TrustedKey]) -> None:
        data = json.dumps({"format": 1, "keys": [asdict(key) for key in keys]}, ensure_ascii=False, indent=2)
        write_atomically(self.path, data.encode("utf-8") + b"\n")


def write_atomically(path: Path, data: bytes) -> None:
    """Write a small file so that it is either the old one or the new one, whatever happens."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StorageError(_("“{path}” cannot be written: {reason}.").format(path=path, reason=exc)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, path)
        fsync_folder(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise StorageError(_("“{path}” cannot be written: {reason}.").format(path=path, reason=exc)) from exc
