"""Shared fixtures: every test gets its own data folder and a database copied from one migrated template."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CASEAPP_LANG", "en")
os.environ.setdefault("CASEAPP_AUTHOR", "Tester")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per test session; tests get copies, which is much faster than migrating."""
    from caseapp.config import DB_FILE
    from caseapp.store.database import open_database

    folder = tmp_path_factory.mktemp("template")
    database = open_database(data_dir=folder, url=f"sqlite:///{folder / DB_FILE}")
    database.close()
    return folder / DB_FILE


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
def core(data_dir: Path) -> Iterator[object]:
    from caseapp.services.core import open_core

    opened = open_core(data_dir=data_dir, author="Tester")
    yield opened
    opened.close()
