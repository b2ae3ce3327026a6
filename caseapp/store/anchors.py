"""Anchors: the head of the history, written outside the database, so a rewritten history shows.

A hash chain proves nothing against someone who can rewrite the whole chain (delete its last events, or edit an
event and compute every hash again). So the chain's head — its position, its hash, when, which case file
(``database_id`` in ``app_state``, kept across backups and restores) — is also written where the database is not:

- appended to ``history-anchors.jsonl`` in the data folder (one JSON line per anchor, never rewritten), when a
  core closes (if the history moved since the last anchor), after a backup, when a bundle is exported, when
  ``audit verify`` finds everything in order, and when a backup is restored (a restore rewinds the history
  legitimately: its line says from which head to which);
- inside every backup (its ``app_state``, key ``history_anchor``) and every bundle (``bag-info.txt``).

Each line is signed with this person's Ed25519 key when one is available (the bundle signing key, from
``caseapp.identity.keys.default_keystore``); a restore line not signed by that key does not excuse a rewind. Where
there is no key, anchors are written unsigned and ``audit verify`` says so.

``caseapp.store.history_check.verify_history`` checks the chain against every anchor of this case file and names
the one a rewrite contradicts, with when it was written.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import sqlite3
import uuid
import weakref
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from caseapp.store import tables
from caseapp.store.types import GENESIS

if TYPE_CHECKING:
    from caseapp.store.database import Database

ANCHOR_FILE = "history-anchors.jsonl"
DATABASE_KEY = "database_id"
BACKUP_KEY = "history_anchor"
BUNDLE_FIELD = "CaseApp-History-Anchor"
SIGNED_PREFIX = b"CaseApp history anchor v1\n"
KEY_PREFIX = "ed25519:"
CLOSE, BACKUP, BUNDLE, VERIFY, RESTORE, FILE = "close", "backup", "bundle", "verify", "restore", "file"


@dataclass(frozen=True)
class Anchor:
    """One written head of the history."""

    kind: str
    database: str
    seq: int
    hash: str
    at: datetime
    place: str | None = None  # which case file: "sqlite:<file name>" or a fingerprint of the server's address
    name: str | None = None  # the backup or bundle file
    replaced: tuple[int, str] | None = None  # a restore: the head it replaced
    key: str | None = None  # "ed25519:<base64>": who signed it
    signature: str | None = None
    source: str | None = None  # where it was read, when not from the anchor file (a backup, a bundle)
    order: int = 0

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": 1,
            "kind": self.kind,
            "database": self.database,
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
        }
        if self.place:
            data["place"] = self.place
        if self.name:
            data["name"] = self.name
        if self.replaced is not None:
            data["replaced"] = {"seq": self.replaced[0], "hash": self.replaced[1]}
        if self.key:
            data["key"] = self.key
        return data

    def signed_bytes(self) -> bytes:
        return SIGNED_PREFIX + _dumps(self.payload()).encode()

    def line(self) -> str:
        data = self.payload()
        if self.signature:
            data["sig"] = self.signature
        return _dumps(data)

    @classmethod
    def parse(cls, data: Any, *, order: int = 0, source: str | None = None) -> Anchor:
        """Read an anchor written by ``line``; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        seq, digest = data.get("seq"), data.get("hash")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("seq")
        if not isinstance(digest, str) or len(digest) != 64:
            raise ValueError("hash")
        moment = datetime.fromisoformat(str(data.get("at")))
        if moment.tzinfo is None:
            raise ValueError("at")
        replaced = data.get("replaced")
        before = None
        if isinstance(replaced, dict) and isinstance(replaced.get("seq"), int):
            before = (int(replaced["seq"]), str(replaced.get("hash")))
        return cls(
            kind=str(data.get("kind")),
            database=str(data.get("database")),
            seq=seq,
            hash=digest,
            at=moment.astimezone(UTC),
            place=_text(data.get("place")),
            name=_text(data.get("name")),
            replaced=before,
            key=_text(data.get("key")),
            signature=_text(data.get("sig")),
            source=source,
            order=order,
        )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --- signing ------------------------------------------------------------------------------------------------

_signers: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()  # key store → its key, once read


def load_signer(*, interactive: bool = True) -> Any | None:
    """This person's signing key (``caseapp.identity.signing.Signer``), or None when there is none. Not
    ``interactive`` (closing): only when reading it cannot ask for a passphrase."""
    try:
        from caseapp.identity import keys, signing

        store = keys.default_keystore()
        asks = False
        holder: Any = store
        if isinstance(store, keys.SecretsKeyStore):
            from caseapp.secrets import default_secrets

            holder = default_secrets()
            asks = holder.status.backend == "encrypted file"  # unlocking it may ask for its passphrase
        cached = _signers.get(holder)
        if cached is not None:
            return cached
        if asks and not interactive:
            return None
        signer = signing.load_signer(store)
    except Exception:  # no key store, a damaged key: the anchor is written unsigned
        return None
    if signer is not None:
        with contextlib.suppress(TypeError):  # a key store that cannot be weakly referenced is simply read again
            _signers[holder] = signer
    return signer


def public_key(signer: Any | None) -> str | None:
    return KEY_PREFIX + base64.b64encode(signer.public_key).decode("ascii") if signer is not None else None


def sign(anchor: Anchor, signer: Any | None) -> Anchor:
    if signer is None:
        return anchor
    keyed = replace(anchor, key=public_key(signer), signature=None)
    signature = signer.private.sign(keyed.signed_bytes())
    return replace(keyed, signature=base64.b64encode(signature).decode("ascii"))


def signature_state(anchor: Anchor, own_key: str | None) -> str:
    """ "valid" (signed by ``own_key``), "invalid" (claims ``own_key`` but does not match), "other" (another
    key: it cannot be checked here) or "unsigned"."""
    if not anchor.signature or not anchor.key:
        return "unsigned"
    if own_key is None or anchor.key != own_key:
        return "other"
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode(anchor.key[len(KEY_PREFIX) :], validate=True)
        signature = base64.b64decode(anchor.signature, validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, anchor.signed_bytes())
    except (InvalidSignature, binascii.Error, ValueError):
        return "invalid"
    return "valid"


# --- the head of the history, the identity of the case file ---------------------------------------------------


def head(session: Any) -> tuple[int, str]:
    """The last event's place and hash, as ``session`` sees them (a Session, pending events flushed, or a
    Connection: the statement names the Core table, so asking needs no ORM)."""
    if hasattr(session, "flush"):
        session.flush()
    events = tables.audit_events.c
    last = session.execute(select(events.seq, events.hash).order_by(events.seq.desc()).limit(1)).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def database_id(session: Any) -> str | None:
    state = tables.app_state.c
    found: str | None = session.scalar(select(state.value).where(state.key == DATABASE_KEY))
    return found


def ensure_database_id(database: Database) -> str | None:
    """The case file's identifier, given one if it has none (its ``app_state`` was emptied)."""
    with database.engine.connect() as connection:
        found = database_id(connection)
    if found:
        return found
    try:
        from caseapp.store import models as m

        with database.writer() as session:
            if database_id(session) is None:
                session.add(m.AppState(key=DATABASE_KEY, value=str(uuid.uuid4())))
                session.commit()
            return database_id(session)
    except Exception:
        return None


def place_of(database: Database) -> str:
    if database.sqlite_path is not None:
        return f"sqlite:{database.sqlite_path.name}"
    from sqlalchemy.engine import make_url

    address = make_url(database.url).render_as_string(hide_password=True)
    return "server:" + hashlib.sha256(address.encode()).hexdigest()[:16]


# --- the anchor file --------------------------------------------------------------------------------------------


def append(folder: Path, anchor: Anchor) -> None:
    """Add one line to the anchor file (created if needed; lines are only ever appended)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = (anchor.line() + "\n").encode("utf-8")
    fd = os.open(folder / ANCHOR_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_file(folder: Path) -> tuple[list[Anchor], list[int]]:
    """The anchors of the anchor file, and the numbers of the lines that cannot be read (a last line cut short by
    a crash is not counted)."""
    path = folder / ANCHOR_FILE
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return [], []
    lines = text.split("\n")
    anchors: list[Anchor] = []
    bad: list[int] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            anchors.append(Anchor.parse(json.loads(line), order=number))
        except (ValueError, TypeError):
            if number < len(lines) - 1 or text.endswith("\n"):
                bad.append(number)
    return anchors, bad


def _last_written(folder: Path, database: str) -> Anchor | None:
    """The newest anchor of this case file in the anchor file (read from its end)."""
    path = folder / ANCHOR_FILE
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 65536))
            tail = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    for line in reversed(tail.split("\n")):
        with contextlib.suppress(ValueError, TypeError):
            anchor = Anchor.parse(json.loads(line))
            if anchor.database == database:
                return anchor
    return None


def write_now(
    database: Database, kind: str, *, name: str | None = None, signer: Any | None = None, only_if_moved: bool = False
) -> Anchor | None:
    """Write the current head of the history to the anchor file. ``only_if_moved``: only when the history went
    further than the newest anchor of this case file says."""
    identity = ensure_database_id(database)
    if identity is None:
        return None
    with database.engine.connect() as connection:
        seq, digest = head(connection)
    if seq == 0:
        return None  # an empty history: nothing to anchor
    if only_if_moved:
        last = _last_written(database.data_dir, identity)
        if last is not None and seq <= last.seq:
            return None  # already said, or the history went back: that is for ``audit verify`` to report
    anchor = Anchor(kind, identity, seq, digest, datetime.now(UTC), place=place_of(database), name=name)
    anchor = sign(anchor, signer if signer is not None else load_signer(interactive=kind != CLOSE))
    append(database.data_dir, anchor)
    return anchor


def on_close(database: Database) -> None:
    """When a core closes: the head, if the history moved since the last anchor. Never fails."""
    with contextlib.suppress(Exception):
        write_now(database, CLOSE, only_if_moved=True)


# --- backups and restores (SQLite files, read with sqlite3) --------------------------------------------------


def sqlite_head(connection: sqlite3.Connection) -> tuple[str | None, int, str] | None:
    """(case file identifier, position, hash) of an SQLite case file, or None when it has no chain."""
    try:
        row = connection.execute(
            "SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    except sqlite3.Error:
        return None
    identity = None
    with contextlib.suppress(sqlite3.Error):
        found = connection.execute("SELECT value FROM app_state WHERE key = ?", (DATABASE_KEY,)).fetchone()
        identity = found[0] if found else None
    return identity, (int(row[0]) if row else 0), (str(row[1]) if row else GENESIS)


def embed_in_backup(connection: sqlite3.Connection, name: str, place: str | None) -> Anchor | None:
    """Write the anchor of a backup copy into the copy itself (``app_state``); returns it (None: no chain or no
    identifier to anchor). The caller appends it to the anchor file once the backup is in place."""
    found = sqlite_head(connection)
    if found is None:
        return None
    identity, seq, digest = found
    if identity is None or seq == 0:
        return None
    anchor = Anchor(BACKUP, identity, seq, digest, datetime.now(UTC), place=place, name=name)
    anchor = sign(anchor, load_signer(interactive=False))  # an automatic backup never asks for a passphrase
    connection.execute("INSERT OR REPLACE INTO app_state (key, value) VALUES (?, ?)", (BACKUP_KEY, anchor.line()))
    connection.commit()
    return anchor


def read_backup(path: Path) -> Anchor | None:
    """The anchor a backup carries, or (older backups) its own head."""
    from caseapp.store.files import readonly_uri

    try:
        with contextlib.closing(sqlite3.connect(readonly_uri(path), uri=True)) as connection:
            with contextlib.suppress(sqlite3.Error, ValueError, TypeError):
                row = connection.execute("SELECT value FROM app_state WHERE key = ?", (BACKUP_KEY,)).fetchone()
                if row:
                    return Anchor.parse(json.loads(row[0]), source=str(path))
            found = sqlite_head(connection)
    except sqlite3.Error:
        return None
    if found is None or found[0] is None:
        return None
    moment = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return Anchor(BACKUP, found[0], found[1], found[2], moment, name=path.name, source=str(path))


def record_restore(folder: Path, target: Path, before: tuple[str | None, int, str] | None, name: str) -> None:
    """After a restore: the rewind it made, signed (the restore line excuses the events it abandoned)."""
    from caseapp.store.files import readonly_uri

    with (
        contextlib.suppress(Exception),
        contextlib.closing(sqlite3.connect(readonly_uri(target), uri=True)) as found_in,
    ):
        found = sqlite_head(found_in)
        if found is None:
            return
        identity = found[0] or (before[0] if before else None)
        if identity is None:
            return
        replaced = (before[1], before[2]) if before else None
        anchor = Anchor(
            RESTORE, identity, found[1], found[2], datetime.now(UTC), f"sqlite:{target.name}", name, replaced
        )
        append(folder, sign(anchor, load_signer()))


# --- bundles --------------------------------------------------------------------------------------------------


def bundle_field(anchor: Anchor) -> str:
    """The value of ``CaseApp-History-Anchor`` in a bundle's bag-info.txt."""
    return f"{anchor.database} {anchor.seq} {anchor.hash} {anchor.at.astimezone(UTC).isoformat(timespec='seconds')}"


def parse_bundle_field(value: str, *, name: str | None = None, source: str | None = None) -> Anchor:
    """ValueError when it is not one."""
    parts = value.split()
    if len(parts) != 4 or not parts[1].isdigit() or len(parts[2]) != 64:
        raise ValueError(value)
    int(parts[2], 16)
    moment = datetime.fromisoformat(parts[3])
    if moment.tzinfo is None:
        raise ValueError(value)
    return Anchor(BUNDLE, str(uuid.UUID(parts[0])), int(parts[1]), parts[2].lower(), moment, name=name, source=source)


def anchor_of_file(path: Path) -> Anchor | None:
    """The anchor a bundle (not encrypted) or a backup carries, for ``audit verify --against``."""
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError:
        return None
    if header.startswith(b"SQLite format 3"):
        return read_backup(path)
    if not header.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            info = next((n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/bag-info.txt")), None)
            if info is None:
                return None
            text = archive.read(info).decode("utf-8", errors="replace")
    except (OSError, zipfile.BadZipFile):
        return None
    for line in text.splitlines():
        label, _colon, value = line.partition(":")
        if label.strip() == BUNDLE_FIELD:
            with contextlib.suppress(ValueError):
                return parse_bundle_field(value.strip(), name=path.name, source=str(path))
    return None
