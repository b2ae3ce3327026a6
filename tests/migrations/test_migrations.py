"""Migrations: one head, an empty database upgrades, the models match the migrations, newer databases are refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from caseapp.errors import StorageError
from caseapp.store import migrate
from caseapp.store.autogen import include_object
from caseapp.store.database import open_database
from caseapp.store.models import Base


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1
    assert heads[0] == migrate.head_revision()  # our quick file scan agrees with Alembic


def test_empty_database_upgrades_to_head(tmp_path: Path) -> None:
    database = open_database(data_dir=tmp_path)
    try:
        assert migrate.current_revision(database.engine) == migrate.head_revision()
        tables = {
            row[0] for row in sqlite3.connect(tmp_path / "caseapp.sqlite3").execute("SELECT name FROM sqlite_master")
        }
        assert {"cases", "hearing_notes", "evidence", "audit_events", "search_fts"} <= tables
    finally:
        database.close()


def test_models_and_migrations_agree(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = None
    if backend == "postgresql":  # the server's own search column and index (0004, 0009) are left out on purpose
        from tests.conftest import _pg_database_url

        url = _pg_database_url(request.getfixturevalue("pg_template"))
    database = open_database(data_dir=tmp_path, url=url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.close()


def test_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    open_database(data_dir=tmp_path).close()
    path = tmp_path / "caseapp.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer version of CaseApp"):
        open_database(data_dir=tmp_path)
    assert path.read_bytes() == before


NEXT_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "0999_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("test_only", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("cases", "test_only")
"""


def test_upgrade_takes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a newer migration available, the existing file is copied to backups/ before it is upgraded."""
    data = tmp_path / "data"
    database = open_database(data_dir=data)
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO cases (id, title, status, example, version, created_at, updated_at) "
            "VALUES ('0123456789abcdef0123456789abcdef', 'Kept', 'open', 0, 1, '2026-01-01', '2026-01-01')"
        )
    database.close()
    previous_head = migrate.head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    (scripts / "versions" / "0999_test.py").write_text(NEXT_REVISION.format(head=migrate.head_revision()))
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)

    upgraded = open_database(data_dir=data)
    assert migrate.current_revision(upgraded.engine) == "0999_test"
    upgraded.close()
    backups = list((data / "backups").glob("before-migration-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == previous_head
        assert conn.execute("SELECT title FROM cases").fetchall() == [("Kept",)]


def test_decisions_get_their_court_and_nature_conservatively(tmp_path: Path) -> None:
    """0006 fills what is known of existing decisions and leaves unknown what cannot be told safely; the deadlines
    an older version computed are then flagged for review (the rules' fingerprint is missing)."""
    from alembic import command
    from sqlalchemy import create_engine

    from caseapp.casefile.core import Core
    from caseapp.services import deadline_review

    path = tmp_path / "caseapp.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        cases = [
            ("c1", "Tribunal administratif de Marseille", "exces_de_pouvoir"),
            ("c2", "TA de Marseille", "refere_suspension"),
            ("c3", "Cour administrative d'appel de Marseille", "appel"),
            ("c4", "Conseil d’État", "refere_liberte"),
            ("c5", "", "cassation"),
            ("c6", None, "exces_de_pouvoir"),
        ]
        for key, court, procedure in cases:
            connection.exec_driver_sql(
                "INSERT INTO cases (id, title, court, procedure, status, example, version, created_at, updated_at) "
                f"VALUES ('{key:0>32}', '{key}', ?, ?, 'open', 0, 1, '2026-01-01', '2026-01-01')",
                (court, procedure),
            )
        filings = [
            ("f1", "c1", "jugement"),
            ("f2", "c1", "ordonnance"),  # an order in a main action: maybe a référé order filed there
            ("f3", "c2", "ordonnance"),
            ("f4", "c3", "arret"),
            ("f5", "c4", "ordonnance"),
            ("f6", "c5", "jugement"),
            ("f7", "c6", "ordonnance"),
            ("f8", "c1", "requete"),
        ]
        for key, case, kind in filings:
            connection.exec_driver_sql(
                "INSERT INTO filings (id, case_id, kind, version, created_at, updated_at) "
                f"VALUES ('{key:0>32}', '{case:0>32}', '{kind}', 1, '2026-01-01', '2026-01-01')"
            )
        connection.exec_driver_sql(
            "INSERT INTO deadlines (id, case_id, due_on, title, rule_id, status, flags, version, created_at, "
            f"updated_at) VALUES ('{'d1':0>32}', '{'c2':0>32}', '2020-05-12', 'Appel', 'appeal', 'open', '[]', 1, "
            "'2026-01-01', '2026-01-01')"
        )
    engine.dispose()

    database = open_database(data_dir=tmp_path)
    try:
        with database.engine.connect() as connection:
            rows = dict(
                (row[0].lstrip("0"), (row[1], row[2]))
                for row in connection.exec_driver_sql("SELECT id, court_level, decision_nature FROM filings")
            )
        assert rows == {
            "f1": ("ta", "jugement"),
            "f2": ("ta", None),
            "f3": ("ta", "refere_suspension"),
            "f4": ("caa", "arret"),
            "f5": ("ce", "ordonnance"),
            "f6": ("ce", "decision_ce"),
            "f7": (None, None),
            "f8": (None, None),
        }
        assert deadline_review.rules_changed(Core(database, "Tester")) is True
    finally:
        database.close()


def test_a_new_case_file_follows_the_current_rules(tmp_path: Path) -> None:
    from caseapp.casefile.core import Core
    from caseapp.services import deadline_review

    database = open_database(data_dir=tmp_path)
    try:
        assert deadline_review.rules_changed(Core(database, "Tester")) is False
    finally:
        database.close()


def test_events_imported_before_0007_are_marked_with_the_import_that_brought_them(tmp_path: Path) -> None:
    """0007 gives the case file an identifier and marks the events an older version imported with the bundle's
    author, date and signer, taken from the import event that followed them in their case."""
    import json

    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "caseapp.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    config = migrate.alembic_config()
    case = "c1".rjust(32, "0")
    events = [  # id, seq, entity, action, case, origin_hash, changes
        ("e1", 1, "case", "create", case, None, {}),
        ("e2", 2, "note", "create", case, "ab" * 32, {}),
        ("e3", 3, "bundle", "import", case, None, {"exported_by": "Alice", "exported_at": "2026-11-30T10:00:00+00:00",
                                                   "signer": "trusted", "fingerprint": "3F2A" * 10}),
        ("e4", 4, "note", "create", "c2".rjust(32, "0"), "cd" * 32, {}),  # no import followed it in its case
    ]  # fmt: skip
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
        for key, seq, entity, action, case_id, origin_hash, changes in events:
            connection.exec_driver_sql(
                "INSERT INTO audit_events (id, seq, prev_hash, hash, origin_hash, at, author, action, entity, "
                "record_id, case_id, summary, changes) VALUES (?, ?, ?, ?, ?, '2026-11-30 10:00:00', 'Bob', ?, ?, ?, "
                "?, '', ?)",
                (key.rjust(32, "0"), seq, "0" * 64, "0" * 64, origin_hash, action, entity, case_id, case_id,
                 json.dumps(changes)),
            )  # fmt: skip
    engine.dispose()

    database = open_database(data_dir=tmp_path)
    try:
        with database.engine.connect() as connection:
            origins = {
                row[0].lstrip("0"): json.loads(row[1]) if row[1] else None
                for row in connection.exec_driver_sql("SELECT id, origin FROM audit_events")
            }
            identity = connection.exec_driver_sql("SELECT value FROM app_state WHERE key = 'database_id'").scalar()
    finally:
        database.close()
    assert origins["e1"] is None and origins["e3"] is None  # written here
    assert origins["e2"] == {
        "import": "00000000-0000-0000-0000-0000000000e3",
        "by": "Alice",
        "at": "2026-11-30T10:00:00+00:00",
        "signer": "3F2A" * 10,
        "signature": "trusted",
    }
    assert origins["e4"] == {"import": None}  # imported, from where is not known
    assert identity is not None and len(identity) == 36


def test_0009_indexes_the_titles_an_older_case_file_already_holds(tmp_path: Path) -> None:
    """A case file written before 0009 is searched the same way after it: its titles are put in the titles' own
    index by the migration, and later edits keep that index in step."""
    from datetime import UTC, datetime

    from alembic import command

    from caseapp.casefile.core import Core
    from caseapp.casefile.search import search
    from caseapp.services import cases, hearings

    database = open_database(data_dir=tmp_path)
    core = Core(database, "Tester")
    case = cases.create_case(core, title="Lycée Ampère : reconnaissance faciale")
    hearing = hearings.add_hearing(core, case.id, starts_at=datetime(2026, 3, 2, 13, 0, tzinfo=UTC))
    for number in range(3):
        hearings.add_note(core, hearing.id, f"Note {number} : le portique de reconnaissance faciale est contesté")
    before = [(hit.kind, hit.record_id) for hit in search(core, "reconnaissance")]
    config = migrate.alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    database.close()
    with sqlite3.connect(tmp_path / "caseapp.sqlite3") as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "search_titles_fts" not in names and "ix_deadlines_status_due_on" in names

    database = open_database(data_dir=tmp_path)  # upgrades to the head again
    core = Core(database, "Tester")
    try:
        after = [(hit.kind, hit.record_id) for hit in search(core, "reconnaissance")]
        assert after == before and ("case", case.id) in after and len(after) == 4
        cases.update_case(core, case.id, title="Lycée Les Eucalyptus")
        assert [(hit.kind, hit.record_id) for hit in search(core, "eucalyptus")] == [("case", case.id)]
        assert search(core, "ampere") == []
        with database.engine.connect() as connection:
            for index in ("search_fts", "search_titles_fts"):  # both keep the prefixes of 2 to 4 letters
                connection.exec_driver_sql(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
                made = connection.exec_driver_sql(f"SELECT sql FROM sqlite_master WHERE name = '{index}'").scalar()
                assert "prefix='2 3 4'" in made
    finally:
        database.close()
