"""The read path with no ORM (``caseapp.services.reads``, ``casefile.core_reads``) answers as the ORM path does.

Its tables (``store/tables.py``) must describe the models' tables exactly, and its reads must return equal read
models for the same database: the case list (filters, orders, pages), every case, references, the search, the agenda
and the rules' fingerprint — on SQLite and, with ``CASEAPP_TEST_PG_URL``, on PostgreSQL. And it must not import the
ORM, which is what it is for.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table

from caseapp.casefile.core import Core
from caseapp.errors import InvalidInput
from caseapp.services import agenda as agenda_service
from caseapp.services import cases, deadline_review, reads
from caseapp.services import search as search_service
from caseapp.services.demo import load_demo
from caseapp.store import models, tables

ROOT = Path(__file__).resolve().parents[2]


def _describe(table: Table) -> dict[str, Any]:
    columns = {
        column.name: (
            type(column.type).__name__,
            repr(column.type),
            getattr(column.type, "enum_class", None),
            column.nullable,
            column.primary_key,
            sorted((fk.target_fullname, fk.ondelete) for fk in column.foreign_keys),
        )
        for column in table.columns
    }
    indexes = sorted((ix.name, tuple(c.name for c in ix.columns), ix.unique) for ix in table.indexes)
    uniques = sorted(
        tuple(c.name for c in constraint.columns)
        for constraint in table.constraints
        if type(constraint).__name__ == "UniqueConstraint"
    )
    return {"columns": columns, "order": [c.name for c in table.columns], "indexes": indexes, "uniques": uniques}


def test_the_core_tables_are_the_models_tables() -> None:
    orm = models.Base.metadata.tables
    core = tables.metadata.tables
    assert sorted(core) == sorted(orm)
    for name, table in orm.items():
        assert _describe(core[name]) == _describe(table), name


@pytest.fixture
def filled(core: Core) -> Core:
    """The example cases, and what they lack for these reads: a tag, a case taken offline, a deadline of the
    agenda's window, a référé-suspension with no main action."""
    load_demo(core)
    rows = cases.list_cases(core)
    first = rows[0].id
    cases.update_case(core, first, tags=["urgent", "CADA"])
    from caseapp.services import checkout_marks, deadlines

    checkout_marks.take(core, first, "dossier.casebundle")
    deadlines.add_deadline(core, first, title="Mémoire en réplique", due_on=date.today() + timedelta(days=3))
    cases.create_case(core, title="Référé sans requête au fond", procedure="refere_suspension")
    return core


def test_the_case_list_filters_sorts_and_pages(filled: Core) -> None:
    """One implementation serves the window, the commands and the services (``services.cases.list_cases`` reads
    through ``core_reads``): what each filter gives, checked against the whole list."""
    from caseapp.store.engine import fold

    everything = reads.list_cases(filled)
    assert cases.list_cases(filled) == everything
    assert [r.updated_at for r in everything] == sorted((r.updated_at for r in everything), reverse=True)
    assert reads.count_cases(filled) == len(everything) == cases.count_cases(filled)
    opened = reads.list_cases(filled, status="open")
    assert opened and {r.status for r in opened} == {"open"} and len(opened) < len(everything)
    assert reads.count_cases(filled, status="open") == len(opened)
    etat = reads.list_cases(filled, text="etat")
    assert etat == [r for r in everything if any("etat" in fold(v or "") for v in (r.title, r.court, r.court_number))]
    tagged = reads.list_cases(filled, tag="cada")
    assert len(tagged) == 1 and set(tagged[0].tags) == {"urgent", "CADA"}
    assert tagged[0].taken_offline is not None
    assert reads.list_cases(filled, limit=3, offset=1) == everything[1:4]
    by_title = reads.list_cases(filled, order_by="title", descending=False)
    assert [fold(r.title) for r in by_title] == sorted(fold(r.title) for r in everything)
    with pytest.raises(InvalidInput):
        reads.list_cases(filled, order_by="nope")


def test_a_listed_case_shows_its_own_values_in_each_column(filled: Core) -> None:
    """The case list fills its rows by position (``core_reads._case_rows``): each column must land in the field
    of its name, which a row compared with the same case read whole shows."""
    from dataclasses import fields

    from caseapp.casefile import core_reads, views

    names = [getattr(column, "name", None) or column.clause.name for column in core_reads.CASE_ROW]
    assert names == [item.name for item in fields(views.CaseRow)][: len(names)]
    for row in reads.list_cases(filled):
        whole = reads.get_case(filled, row.id)
        for name in names:
            assert getattr(row, name) == getattr(whole, name), (row.title, name)


def test_every_case_reads_the_same(filled: Core) -> None:
    for row in cases.list_cases(filled):
        assert reads.get_case(filled, row.id) == cases.get_case(filled, row.id), row.title


def test_references_resolve_to_their_case(filled: Core) -> None:
    """One implementation (``services.cases.resolve_case`` reads through ``core_reads``): a case by its
    identifier, a prefix of it or its court number; a wrong reference is refused in words."""
    for row in cases.list_cases(filled):
        for ref in (str(row.id), row.id.hex[:8], row.court_number):
            if ref:
                assert reads.resolve_case(filled, ref) == cases.resolve_case(filled, ref) == row.id
    from caseapp.errors import NotFound

    for ref in ("zzzzzz", str(uuid.uuid4())):
        with pytest.raises(NotFound):
            cases.resolve_case(filled, ref)
    with pytest.raises(InvalidInput, match="Say which case"):
        cases.resolve_case(filled, "  ")


def test_the_search_keeps_to_its_limit_and_scope(filled: Core) -> None:
    """One implementation (``services.search.search`` reads through ``core_reads``): accents or not, the same
    hits; a limit and a case keep to themselves; nothing typed finds nothing."""
    case_id = cases.list_cases(filled)[0].id
    assert reads.search(filled, "référé") == search_service.search(filled, "refere")
    for typed in ("référé", "audi", "mémoire en défense", "CNIL", "x", "Marseille"):
        hits = search_service.search(filled, typed)
        assert hits == reads.search(filled, typed), typed
        assert bool(hits) == (typed in ("référé", "audi", "CNIL", "Marseille")), typed
        scoped = search_service.search(filled, typed, limit=2, case_id=case_id)
        assert len(scoped) <= 2 and all(hit.case_id == case_id for hit in scoped), typed
    assert search_service.search(filled, "") == []


def test_the_agenda_keeps_to_its_window(filled: Core) -> None:
    """One implementation (``services.agenda.agenda`` reads through ``core_reads``): each window holds what it
    should, overdue items first, and the limit counts what it leaves out."""
    everything = agenda_service.agenda(filled, days=365, overdue_days=3000)
    assert reads.agenda(filled, days=365, overdue_days=3000) == everything
    today = everything.today
    for days in (7, 60, 365):
        shown = agenda_service.agenda(filled, days=days)
        assert all(item.day <= today + timedelta(days=days) for item in shown.items)
        assert [i.overdue for i in shown.items] == sorted((i.overdue for i in shown.items), reverse=True)
    soon = agenda_service.agenda(filled, days=7)
    assert any(i.title == "Mémoire en réplique" for i in soon.items)  # the fixture's deadline, 3 days ahead
    limited = agenda_service.agenda(filled, limit=2)
    hearings = [i for i in limited.items if i.kind == "hearing"]
    deadlines_shown = [i for i in limited.items if i.kind == "deadline"]
    assert len(hearings) <= 2 and len(deadlines_shown) <= 2
    assert reads.rules_changed(filled) == deadline_review.rules_changed(filled)


def test_the_reads_import_no_orm(tmp_path: Path) -> None:
    """Reading the case list, a case, the search and the agenda loads neither ``sqlalchemy.orm`` nor the models."""
    script = """
import sys
from pathlib import Path
from caseapp.casefile.core import open_core
from caseapp.services import reads
core = open_core(data_dir=Path(sys.argv[1]), author="Tester")
for row in reads.list_cases(core):
    reads.get_case(core, row.id)
reads.search(core, "référé")
reads.agenda(core)
core.close()
loaded = sorted(name for name in sys.modules if name.startswith(("sqlalchemy.orm", "caseapp.store.models")))
print(loaded)
"""
    data = tmp_path / "data"
    env = {"CASEAPP_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "caseapp.cli", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-c", script, str(data)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.sqlite_only
def test_the_kept_agenda_is_shown_only_while_it_is_still_true(filled: Core) -> None:
    """The agenda a start keeps comes back at the next start only for the same case file, day, question and
    history: any change to the case file (a new deadline) and it is not used."""
    from caseapp.services import agenda_cache, deadlines

    folder = filled.data_dir
    key = agenda_cache.key(folder, days=60, overdue_days=90, limit=500)
    found = reads.agenda(filled, days=60, overdue_days=90)
    agenda_cache.save(folder, found, key)
    assert agenda_cache.load(folder, days=60, overdue_days=90) == found
    assert agenda_cache.load(folder, days=7, overdue_days=90) is None  # another question
    assert agenda_cache.key(folder, days=60, overdue_days=90, limit=500, today=date.today() + timedelta(days=1)) != key
    case_id = cases.list_cases(filled)[0].id
    deadlines.add_deadline(filled, case_id, title="Observations", due_on=date.today() + timedelta(days=5))
    assert agenda_cache.load(folder, days=60, overdue_days=90) is None  # the history moved


def test_a_kept_agenda_file_builds_nothing_but_an_agenda(tmp_path: Path) -> None:
    import io
    import os
    import pickle

    from caseapp.services import agenda_cache

    (tmp_path / "cache").mkdir()
    (tmp_path / agenda_cache.CACHE_FILE).write_bytes(pickle.dumps(((1,), os.system)))
    with pytest.raises(pickle.UnpicklingError):
        agenda_cache._AgendaUnpickler(io.BytesIO((tmp_path / agenda_cache.CACHE_FILE).read_bytes())).load()
    assert agenda_cache.load(tmp_path, days=60, overdue_days=90) is None
