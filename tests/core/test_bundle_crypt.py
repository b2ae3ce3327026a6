"""Encrypted bundles: a passphrase or a colleague's key, in the age format that the ``age`` tool opens too."""

from __future__ import annotations

import base64
import io
import os
import pty
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from caseapp.bundle import apply_import, crypt, inspect_bundle
from caseapp.casefile.core import Core
from caseapp.errors import BundleError, InvalidInput
from caseapp.identity.keys import MemoryKeyStore
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import Trace, case_records, export, read_entries

# The shared fixtures, seen by pytest in this module.
alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
bob_keys = helpers.bob_keys
case_id = helpers.case_id

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def quick_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypt, "SCRYPT_WORK_FACTOR", 10)  # age itself uses 18: a second of work, on purpose


def test_passphrase_round_trip_and_wrong_passphrase(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    path = export(alice, case_id, tmp_path / "secret.casebundle", alice_keys, encrypt_passphrase=PASSPHRASE)
    data = path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n-> scrypt ") and b"case.json" not in data
    assert crypt.encryption_of(path) == crypt.PASSPHRASE
    assert not list((alice.data_dir / "staging").iterdir())  # the clear zip did not stay behind
    trace = Trace(core)
    with pytest.raises(BundleError, match="passphrase is wrong"):
        inspect_bundle(core, path, passphrase="Tr0ub4dor&3", keystore=bob_keys)
    with pytest.raises(BundleError, match="give the passphrase"):
        inspect_bundle(core, path, keystore=bob_keys)
    assert trace.unchanged()
    preview = inspect_bundle(core, path, passphrase=PASSPHRASE, keystore=bob_keys)
    assert preview.encryption == "passphrase"
    apply_import(core, preview, accept_unsigned=True)
    assert case_records(core, case_id)["evidence"] == case_records(alice, case_id)["evidence"]


def test_recipient_key_round_trip_and_someone_else(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    bob = crypt.recipient_of(crypt.ensure_identity(bob_keys))
    path = export(alice, case_id, tmp_path / "for-bob.casebundle", alice_keys, recipients=[bob])
    assert crypt.encryption_of(path) == crypt.RECIPIENTS
    trace = Trace(core)
    with pytest.raises(BundleError, match="None of your keys can open this bundle"):
        inspect_bundle(core, path, keystore=MemoryKeyStore(), identities=[str(crypt.ensure_identity(MemoryKeyStore()))])
    with pytest.raises(BundleError, match="no key here"):
        inspect_bundle(core, path, keystore=MemoryKeyStore())
    assert trace.unchanged()
    with inspect_bundle(core, path, keystore=bob_keys) as preview:
        assert preview.encryption == "recipients" and preview.additions


def test_export_refuses_bad_encryption_requests(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="not an age public key"):
        export(alice, case_id, tmp_path / "x.casebundle", alice_keys, recipients=["ssh-rsa AAAA"])
    with pytest.raises(InvalidInput, match="not both"):
        export(alice, case_id, tmp_path / "x.casebundle", alice_keys, recipients=["age1x"], encrypt_passphrase="p")
    with pytest.raises(InvalidInput, match="cannot be empty"):
        export(alice, case_id, tmp_path / "x.casebundle", alice_keys, encrypt_passphrase="")
    assert not (tmp_path / "x.casebundle").exists()


@pytest.mark.parametrize("size", [0, 5, crypt.CHUNK, crypt.CHUNK + 1, 3 * crypt.CHUNK])
def test_our_passphrase_files_open_with_pyrage(size: int) -> None:
    """pyrage (the Rust age) opens what CaseApp writes: header, MAC and 64 KiB chunks follow the spec, full last
    chunk and empty file included. (The other way round, pyrage picks a one-second work factor: too slow here;
    the ``age`` tool test below and the round trips cover reading.)"""
    pyrage = pytest.importorskip("pyrage")
    plain = os.urandom(size)
    out = io.BytesIO()
    crypt.encrypt(io.BytesIO(plain), out, passphrase=PASSPHRASE)
    assert pyrage.passphrase.decrypt(out.getvalue(), PASSPHRASE) == plain
    back = io.BytesIO()
    crypt.decrypt(io.BytesIO(out.getvalue()), back, passphrase=PASSPHRASE, limit=size + 1)
    assert back.getvalue() == plain


def test_damaged_or_truncated_ciphertext_is_refused() -> None:
    out = io.BytesIO()
    crypt.encrypt(io.BytesIO(os.urandom(100_000)), out, passphrase=PASSPHRASE)
    data = out.getvalue()
    for broken in (data[:-1], data[:-20_000], data[:200] + bytes([data[200] ^ 1]) + data[201:], data + b"x"):
        with pytest.raises(BundleError, match="damaged"):
            crypt.decrypt(io.BytesIO(broken), io.BytesIO(), passphrase=PASSPHRASE, limit=10**6)
    header_end = data.index(b"\n---")
    greedy = data.replace(b" 10\n", b" 30\n", 1)
    assert greedy.index(b"\n---") == header_end
    with pytest.raises(BundleError, match="more memory"):
        crypt.decrypt(io.BytesIO(greedy), io.BytesIO(), passphrase=PASSPHRASE, limit=10**6)
    with pytest.raises(BundleError, match="larger than CaseApp accepts"):
        crypt.decrypt(io.BytesIO(data), io.BytesIO(), passphrase=PASSPHRASE, limit=1000)
    armored = (
        b"-----BEGIN AGE ENCRYPTED FILE-----\n" + base64.encodebytes(data[:300]) + b"-----END AGE ENCRYPTED FILE-----\n"
    )
    assert crypt._kind(armored) == crypt.PASSPHRASE
    with pytest.raises(BundleError, match="armored"):
        crypt.decrypt(io.BytesIO(armored), io.BytesIO(), passphrase=PASSPHRASE, limit=10**6)


AGE = shutil.which("age")


@pytest.mark.skipif(AGE is None, reason="the age tool is not installed (Debian package “age”)")
def test_the_age_tool_opens_a_bundle_encrypted_for_a_key(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    identity = crypt.ensure_identity(MemoryKeyStore())
    (tmp_path / "key.txt").write_text(str(identity) + "\n")
    path = export(
        alice, case_id, tmp_path / "for-age.casebundle", alice_keys, recipients=[crypt.recipient_of(identity)]
    )
    out = tmp_path / "clear.zip"
    subprocess.run([str(AGE), "-d", "-i", str(tmp_path / "key.txt"), "-o", str(out), str(path)], check=True, timeout=60)
    _root, entries = read_entries(out)
    assert "data/case.json" in entries


def _age_with_passphrase(arguments: list[str], passphrase: str) -> None:
    """Run ``age`` in a pseudo-terminal (it reads passphrases from the terminal only) and type the passphrase."""
    assert AGE is not None
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execv(AGE, [AGE, *arguments])
    typed = 0
    output = b""
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if output.lower().count(b"passphrase") > typed and typed < 1:
                os.write(fd, passphrase.encode() + b"\n")
                typed += 1
    finally:
        _pid, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, output


@pytest.mark.skipif(AGE is None, reason="the age tool is not installed (Debian package “age”)")
def test_the_age_tool_opens_a_bundle_encrypted_with_a_passphrase(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    path = export(alice, case_id, tmp_path / "secret.casebundle", alice_keys, encrypt_passphrase=PASSPHRASE)
    clear = tmp_path / "clear.zip"
    _age_with_passphrase(["-d", "-o", str(clear), str(path)], PASSPHRASE)
    assert "data/case.json" in read_entries(clear)[1]
