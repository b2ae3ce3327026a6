"""Shared fixtures: every test gets its own data folder and its own database, copied from one migrated template.

The ``core`` fixture runs each test on SQLite and, when ``CASEAPP_TEST_PG_URL`` names a PostgreSQL server
(an admin URL; ``.ci/run`` starts a throwaway cluster and sets it), on PostgreSQL too. Tests about SQLite
itself carry the ``sqlite_only`` mark.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CASEAPP_LANG", "en")
os.environ.setdefault("CASEAPP_AUTHOR", "Tester")

PG_ADMIN_URL = os.environ.get("CASEAPP_TEST_PG_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_ADMIN_URL else ["sqlite"]
_numbers = itertools.count()


def _printable(text: str) -> str:
    """Text with every lone surrogate written as an escape (hostile input tests print them)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A test's report travels from a worker process to the main one (pytest-xdist) as UTF-8: the output and the
    failure of a test fed hostile text (lone surrogates) are escaped first, or the whole run would stop."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    report.sections = [(title, _printable(text)) for title, text in report.sections]
    if report.longrepr is not None and not isinstance(report.longrepr, tuple):
        text = str(report.longrepr)
        if _printable(text) != text:
            report.longrepr = _printable(text)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: the test is about SQLite itself (files, pragmas, backups)")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per test session; tests get copies, which is much faster than migrating."""
    from caseapp.config import DB_FILE
    from caseapp.store.database import open_database

    folder = tmp_path_factory.mktemp("template")
    database = open_database(data_dir=folder, url=f"sqlite:///{folder / DB_FILE}")
    database.close()
    return folder / DB_FILE


def _pg_database_url(name: str) -> str:
    assert PG_ADMIN_URL is not None
    from sqlalchemy.engine import make_url

    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _pg_admin(statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN_URL or "", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from caseapp.store.database import open_database

    name = f"caseapp_template_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(f"CREATE DATABASE {name}")
    database = open_database(data_dir=tmp_path_factory.mktemp("pg-template"), url=_pg_database_url(name))
    database.close()
    yield name
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param != "sqlite" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about SQLite itself")
    return str(request.param)


@pytest.fixture
def data_dir(tmp_path: Path, template_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from caseapp.config import DB_FILE

    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(template_db, folder / DB_FILE)
    monkeypatch.setenv("CASEAPP_DATA_DIR", str(folder))
    monkeypatch.delenv("CASEAPP_DB_URL", raising=False)
    return folder


@pytest.fixture
def core(
    backend: str, data_dir: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[object]:
    from caseapp.casefile.core import open_core

    name = None
    if backend == "postgresql":
        template = request.getfixturevalue("pg_template")
        name = f"caseapp_test_{os.getpid()}_{next(_numbers)}"
        _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
        monkeypatch.setenv("CASEAPP_DB_URL", _pg_database_url(name))  # a second editor in the test opens it too
    opened = open_core(data_dir=data_dir, author="Tester")
    yield opened
    opened.close()
    if name is not None:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
