"""Secrets live in the system keyring, else in an encrypted file unlocked by a passphrase, else in memory for the
session — and never on disk in clear, never on a command line."""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy.engine import make_url

from caseapp import config
from caseapp import secrets as secrets_module
from caseapp.cli import main
from caseapp.errors import InvalidInput
from caseapp.identity.keys import set_default_keystore
from caseapp.secrets import (
    KEYRING_FILE_ENV,
    PASSPHRASE_ENV,
    PASSPHRASE_FILE_ENV,
    Secrets,
    db_password_key,
    default_secrets,
    set_prompter,
    use_secrets,
)
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


def test_settings_refuse_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_CONFIG_DIR", str(tmp_path))  # the settings file, wherever the data folder is
    with pytest.raises(InvalidInput, match="must not contain the password"):
        save_settings(tmp_path, Settings(server_url=f"postgresql+psycopg://lawyer:{PASSWORD}@db.example/caseapp"))
    assert not (tmp_path / "settings.json").exists()
    (tmp_path / "settings.json").write_text("{not json")
    assert load_settings(tmp_path) == Settings()  # a damaged file gives defaults, never a crash


def test_without_a_keyring_the_message_says_how_to_keep_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEYRING_FILE_ENV, str(tmp_path / "none" / "caseapp-secrets.cfg"))  # not the home folder's
    message = Secrets(NoKeyring()).status.message
    assert PASSPHRASE_ENV in message and "encrypted file" in message


# --- the encrypted key file: a laptop without a system keyring keeps its identity -------------------------------


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> type:
    """Cheap Argon2 settings for the tests (the real ones cost about a second per secret on this machine)."""
    cls = secrets_module._encrypted_file_class()
    monkeypatch.setattr(cls, "time_cost", 1)
    monkeypatch.setattr(cls, "memory_cost", 1024)
    monkeypatch.setattr(cls, "parallelism", 1)
    return cls


def restart() -> None:
    """What a new process starts with: no secrets store chosen yet, nobody to ask."""
    use_secrets(None)
    set_prompter(None)
    set_default_keystore(None)


@pytest.fixture
def no_system_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_kdf: type) -> Iterator[Path]:
    """A laptop without a system keyring, with a home of its own: the real user's keyring is never touched."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("CASEAPP_DATA_DIR", str(tmp_path / "data"))
    for name in ("CASEAPP_DB_URL", "CASEAPP_DB_PASSWORD", "CASEAPP_KEYRING_FILE", PASSPHRASE_FILE_ENV, PASSPHRASE_ENV):
        monkeypatch.delenv(name, raising=False)
    for name in ("PGPASSWORD", "PGPASSFILE", "PGSERVICE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(secrets_module, "system_keyring", lambda: None)
    restart()
    yield home
    restart()


def shown_fingerprint(out: str) -> str:
    line = next(line for line in out.splitlines() if line.startswith("Your bundle signing key:"))
    return line.split(":", 1)[1].strip()


def test_the_encrypted_file_keeps_secrets_across_restarts_and_never_in_clear(
    tmp_path: Path, fast_kdf: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keys" / "secrets.cfg"
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse battery staple")
    secrets = Secrets(NoKeyring(), encrypted_file=path)
    assert secrets.status.persistent
    assert "encrypted file" in secrets.status.message and "unlocked by your passphrase" in secrets.status.message
    assert secrets.set("db-password:x", PASSWORD) is True
    assert Secrets(NoKeyring(), encrypted_file=path).get("db-password:x") == PASSWORD  # a "restart"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert files_containing(tmp_path, PASSWORD.encode()) == []
    secrets.delete("db-password:x")
    assert Secrets(NoKeyring(), encrypted_file=path).get("db-password:x") is None
    monkeypatch.setenv(PASSPHRASE_ENV, "wrong")
    with pytest.raises(InvalidInput, match="does not open"):
        Secrets(NoKeyring(), encrypted_file=path).get("db-password:x")


def test_the_key_derivation_is_keyrings_cryptfiles_own() -> None:
    """CaseApp does not weaken the key derivation (the file records no parameters: they must never change)."""
    cls = secrets_module._encrypted_file_class()
    assert (cls.time_cost, cls.memory_cost, cls.parallelism) == (15, 2**16, 2)
    assert cls().scheme == "[Argon2] AES128.GCM"


def test_the_passphrase_is_asked_once_per_process(no_system_keyring: Path) -> None:
    asked: list[tuple[str, bool]] = []

    def prompter(question: str, confirm: bool) -> str | None:
        asked.append((question, confirm))
        return "a long passphrase"

    set_prompter(prompter)
    secrets = default_secrets()
    assert secrets.set("one", "1") and secrets.set("two", "2") and secrets.get("one") == "1"
    assert len(asked) == 1 and asked[0][1] is True and "Choose a passphrase" in asked[0][0]  # new: typed twice
    restart()
    set_prompter(prompter)
    assert default_secrets().get("two") == "2"
    assert len(asked) == 2 and asked[1][1] is False

    answers = iter(["nope", "still wrong", "a long passphrase"])
    questions: list[str] = []
    restart()
    set_prompter(lambda question, confirm: questions.append(question) or next(answers))
    assert default_secrets().get("one") == "1"  # three tries, the last two saying why
    assert [question.count("does not open") for question in questions] == [0, 1, 1]

    wrong = iter(["nope"] * 3)
    restart()
    set_prompter(lambda question, confirm: next(wrong))
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        default_secrets().get("one")


def test_a_passphrase_file_unlocks_it(no_system_keyring: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    phrase = tmp_path / "phrase"
    phrase.write_text("from a file\n")
    monkeypatch.setenv(PASSPHRASE_FILE_ENV, str(phrase))
    assert default_secrets().set("k", "v")
    restart()
    monkeypatch.delenv(PASSPHRASE_FILE_ENV)
    monkeypatch.setenv(PASSPHRASE_ENV, "from a file")
    assert default_secrets().get("k") == "v"


def test_without_keyring_nor_passphrase_secrets_last_the_session_and_it_says_so(no_system_keyring: Path) -> None:
    secrets = default_secrets()  # no terminal, no variable, nobody to ask
    assert not secrets.status.persistent
    assert "session only" in secrets.status.message and PASSPHRASE_ENV in secrets.status.message
    assert secrets.set("k", "v") is False and secrets.get("k") == "v"
    assert not secrets_module.keyring_file().exists()

    restart()
    set_prompter(lambda question, confirm: None)  # the person declined to give one
    declined = default_secrets()
    assert declined.set("k", "v") is False
    assert not declined.status.persistent and "session only" in declined.status.message


def test_keys_survive_a_restart_and_own_bundles_come_back_trusted(
    no_system_keyring: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from caseapp.identity.keys import SIGNING_KEY
    from caseapp.identity.signing import KEY_PREFIX

    monkeypatch.setenv(PASSPHRASE_ENV, "the laptop's passphrase")
    assert main(["keys", "show"]) == 0
    first = capsys.readouterr()
    assert "kept in the encrypted file" in first.out and "unlocked by your passphrase" in first.out
    assert "session only" not in first.err
    restart()
    assert main(["keys", "show"]) == 0
    assert shown_fingerprint(capsys.readouterr().out) == shown_fingerprint(first.out)

    restart()
    assert main(["demo"]) == 0
    assert main(["cases", "--json"]) == 0
    captured = capsys.readouterr().out
    case_id = json.loads(captured[captured.index("[") :])[0]["id"]
    bundle = tmp_path / "mine.casebundle"
    restart()
    assert main(["export", case_id, "-o", str(bundle), "--no-pdf", "--sign"]) == 0
    restart()
    capsys.readouterr()
    assert main(["verify", str(bundle)]) == 0
    assert "(trusted key" in capsys.readouterr().out

    restart()
    secrets = default_secrets()
    assert secrets.set(db_password_key("lawyer", "db.example", None, "caseapp"), PASSWORD)
    private = secrets.get(SIGNING_KEY)
    assert private and private.startswith(KEY_PREFIX)
    for needle in (PASSWORD.encode(), private.encode(), base64.b64decode(private.removeprefix(KEY_PREFIX))):
        assert files_containing(tmp_path, needle) == []  # the data folder and the home folder


# --- passwords never on a command line --------------------------------------------------------------------------


def test_db_connect_refuses_a_password_in_the_address(
    no_system_keyring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "connect", f"postgresql://lawyer:{PASSWORD}@db.example/caseapp"]) == 1
    err = capsys.readouterr().err
    assert "CASEAPP_DB_PASSWORD" in err and "--password-file" in err and "asked" in err
    assert PASSWORD not in err
    assert main(["db", "connect", f"postgresql://lawyer:{PASSWORD}@db.example:notaport/caseapp"]) == 1
    assert PASSWORD not in capsys.readouterr().err


def test_after_db_connect_without_a_keyring_later_commands_ask_or_say_how(
    no_system_keyring: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(os.environ["CASEAPP_DATA_DIR"])
    server = "postgresql+psycopg://lawyer@db.example:5432/caseapp"
    save_settings(data, Settings(server_url=server))  # what `db connect` leaves

    # No keyring, no terminal, no variable: the server is tried without a password (many authenticate otherwise);
    # when it asks for one, the person is told how to give it — never the driver's "no password supplied".
    assert make_url(config.database_url(data)).password is None

    class RefusingEngine:
        def connect(self) -> None:
            from sqlalchemy.exc import OperationalError

            raise OperationalError("connect", None, Exception("fe_sendauth: no password supplied"))

        def dispose(self) -> None:
            pass

    import caseapp.store.database as database_module

    real_engine = database_module.make_engine
    monkeypatch.setattr(database_module, "make_engine", lambda url: RefusingEngine())
    monkeypatch.setattr(database_module, "password_when_asked", lambda engine, url: None)  # the refusal is above
    assert main(["cases"]) == 1
    err = capsys.readouterr().err
    assert "CASEAPP_DB_PASSWORD" in err and "no password supplied" not in err
    monkeypatch.setattr(database_module, "make_engine", real_engine)

    monkeypatch.setenv("CASEAPP_DB_PASSWORD", PASSWORD)
    assert make_url(config.database_url(data)).password == PASSWORD
    monkeypatch.delenv("CASEAPP_DB_PASSWORD")

    asked: list[str] = []
    set_prompter(lambda question, confirm: asked.append(question) or PASSWORD)
    use_secrets(Secrets(NoKeyring()))  # this session only, and someone to ask
    assert make_url(config.database_url(data)).password == PASSWORD
    assert make_url(config.database_url(data)).password == PASSWORD
    assert len(asked) == 1 and "lawyer" in asked[0]  # asked once per process


def test_db_password_comes_from_the_encrypted_file(no_system_keyring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = Path(os.environ["CASEAPP_DATA_DIR"])
    save_settings(data, Settings(server_url="postgresql+psycopg://lawyer@db.example:5432/caseapp"))
    monkeypatch.setenv(PASSPHRASE_ENV, "the laptop's passphrase")
    default_secrets().set(db_password_key("lawyer", "db.example", 5432, "caseapp"), PASSWORD)
    restart()
    assert make_url(config.database_url(data)).password == PASSWORD


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
    monkeypatch.delenv("CASEAPP_DB_PASSWORD", raising=False)
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    password_file.chmod(0o600)
    try:
        url = admin.set(database=name).render_as_string(hide_password=False)
        assert main(["db", "connect", url, "--password-file", str(password_file)]) == 0
        out = capsys.readouterr().out
        assert "now works on" in out and "system keyring" in out and PASSWORD not in out
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


def _hba_file() -> Path | None:
    """The test cluster's pg_hba.conf (``tests/support/pgcluster.sh`` puts the data in ``SOCKET_DIR/data``)."""
    url = os.environ.get("CASEAPP_TEST_PG_URL")
    host = make_url(url).query.get("host") if url else None
    found = Path(str(host)) / "data" / "pg_hba.conf" if host else None
    return found if found is not None and found.is_file() and os.access(found, os.W_OK) else None


@pytest.mark.skipif(_hba_file() is None, reason="needs the test PostgreSQL cluster's pg_hba.conf")
def test_the_keyring_is_asked_only_when_the_server_wants_a_password(
    keyring_store: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that trusts the connection is opened without looking in the keyring (it cost 0.4 s a command); one
    that asks for a password gets the keyring's, and without one the person is told how to give it."""
    import subprocess
    import sys

    from tests.conftest import _pg_admin

    hba = _hba_file()
    assert hba is not None
    admin = make_url(os.environ["CASEAPP_TEST_PG_URL"])
    role, name = f"lawyer_{os.getpid()}", f"caseapp_asked_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(f"DROP ROLE IF EXISTS {role}")
    _pg_admin(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
    _pg_admin(f"CREATE DATABASE {name} OWNER {role}")
    original = hba.read_text()
    hba.write_text(f"local all {role} scram-sha-256\nhost all {role} 127.0.0.1/32 scram-sha-256\n" + original)
    _pg_admin("SELECT pg_reload_conf()")
    data = tmp_path / "data"
    monkeypatch.setenv("CASEAPP_DATA_DIR", str(data))
    monkeypatch.delenv("CASEAPP_DB_PASSWORD", raising=False)
    try:
        asking = admin.set(username=role, password=None, database=name).render_as_string(hide_password=False)
        monkeypatch.setenv("CASEAPP_DB_URL", asking)
        assert main(["db", "upgrade"]) == 1  # nothing in the keyring, nobody to ask: say how
        assert "CASEAPP_DB_PASSWORD" in capsys.readouterr().err
        keyring_store.store[("CaseApp", db_password_key(role, admin.host, admin.port, name))] = PASSWORD
        assert main(["db", "upgrade"]) == 0
        assert main(["demo"]) == 0
        assert main(["cases", "--json"]) == 0
        assert "1901249" in capsys.readouterr().out

        # The trusting server (the test cluster's own account), from a data folder already set up (a new one makes
        # its signing keys, in the keyring): no keyring module is even imported.
        trusting = admin.set(database=name).render_as_string(hide_password=False)
        probe = (
            "import sys\nfrom caseapp.cli import main\ncode = main(['cases', '--json'])\n"
            "print('KEYRING' if 'keyring' in sys.modules else 'NONE', code, file=sys.stderr)"
        )
        env = {**os.environ, "CASEAPP_DB_URL": trusting, "CASEAPP_DATA_DIR": str(data)}
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
        assert "1901249" in done.stdout
        assert done.stderr.strip().splitlines()[-1] == "NONE 0"
    finally:
        hba.write_text(original)
        _pg_admin("SELECT pg_reload_conf()")
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _pg_admin(f"DROP ROLE IF EXISTS {role}")
