"""Secrets live in the keyring (or, without one, in memory for the session) and never on disk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy.engine import make_url

from caseapp import config
from caseapp.cli import main
from caseapp.errors import InvalidInput
from caseapp.secrets import Secrets, db_password_key, use_secrets
from caseapp.settings import Settings, load_settings, save_settings
from tests.support.memory_keyring import MemoryKeyring

PASSWORD = "s3cr3t-Passw0rd-for-the-team"


@pytest.fixture
def keyring_store() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    use_secrets(Secrets(backend))
    yield backend
    use_secrets(None)


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_keyring_keeps_secrets(keyring_store: MemoryKeyring) -> None:
    secrets = Secrets(keyring_store)
    assert secrets.status.persistent
    assert secrets.set("bundle-signing-key", "key material") is True
    assert keyring_store.store[("CaseApp", "bundle-signing-key")] == "key material"
    assert Secrets(keyring_store).get("bundle-signing-key") == "key material"  # survives a "restart"
    secrets.delete("bundle-signing-key")
    assert secrets.get("bundle-signing-key") is None


def test_without_a_keyring_secrets_last_for_the_session_and_it_says_so() -> None:
    secrets = Secrets(NoKeyring())
    assert not secrets.status.persistent
    assert "no keyring" in secrets.status.message and "session only" in secrets.status.message
    assert secrets.set("db-password:x", PASSWORD) is False
    assert secrets.get("db-password:x") == PASSWORD
    assert Secrets(NoKeyring()).get("db-password:x") is None  # gone with the session


def test_settings_refuse_a_password(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="must not contain the password"):
        save_settings(tmp_path, Settings(server_url=f"postgresql+psycopg://lawyer:{PASSWORD}@db.example/caseapp"))
    assert not (tmp_path / "settings.json").exists()
    (tmp_path / "settings.json").write_text("{not json")
    assert load_settings(tmp_path) == Settings()  # a damaged file gives defaults, never a crash


@pytest.mark.skipif(not os.environ.get("CASEAPP_TEST_PG_URL"), reason="needs the test PostgreSQL server")
def test_db_connect_keeps_the_password_in_the_keyring_only(
    keyring_store: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = make_url(os.environ["CASEAPP_TEST_PG_URL"])
    from tests.conftest import _pg_admin

    name = f"caseapp_connect_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(f"CREATE DATABASE {name}")
    data = tmp_path / "data"
    monkeypatch.setenv("CASEAPP_DATA_DIR", str(data))
    monkeypatch.delenv("CASEAPP_DB_URL", raising=False)
    try:
        url = admin.set(database=name, password=PASSWORD).render_as_string(hide_password=False)
        assert main(["db", "connect", url]) == 0
        assert "now works on" in capsys.readouterr().out
        saved = load_settings(data).server_url
        assert saved is not None and make_url(saved).password is None
        key = db_password_key(admin.username, admin.host, admin.port, name)
        assert keyring_store.store[("CaseApp", key)] == PASSWORD
        assert make_url(config.database_url(data)).password == PASSWORD  # reassembled from the keyring
        assert main(["demo"]) == 0
        assert main(["cases", "--json"]) == 0
        assert "1901249" in capsys.readouterr().out
        assert files_containing(data, PASSWORD.encode()) == []
        assert main(["db", "disconnect"]) == 0
        assert load_settings(data).server_url is None
    finally:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
