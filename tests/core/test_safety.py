"""Nothing lost, nothing silently changed: daily backups, restore, and the tamper-evident history."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from caseapp.casefile.core import Core, open_core
from caseapp.errors import StorageError
from caseapp.services import cases, hearings
from caseapp.store.audit_chain import verify_chain
from caseapp.store.backup import backup_sqlite, daily_backup, restore_sqlite, rotate


@pytest.mark.sqlite_only
def test_first_start_of_the_day_takes_one_backup_and_keeps_two_weeks(core: Core) -> None:
    cases.create_case(core, title="Lycées")
    source = core.db.sqlite_path
    assert source is not None
    folder = core.data_dir / "backups"
    for day in range(1, 20):
        assert daily_backup(source, core.data_dir, today=datetime(2026, 11, day)) is not None
        assert daily_backup(source, core.data_dir, today=datetime(2026, 11, day)) is None  # once a day
    kept = sorted(p.name for p in folder.glob("daily-*.sqlite3"))
    assert len(kept) == 14


def test_rotation_only_touches_its_own_kind(tmp_path: Path) -> None:
    for name in ("daily-1", "daily-2", "daily-3", "before-migration-0001-1", "mine"):
        (tmp_path / f"{name}.sqlite3").write_text("x")
    rotate(tmp_path, "daily", 1)
    assert sorted(p.stem for p in tmp_path.iterdir()) == ["before-migration-0001-1", "daily-3", "mine"]


@pytest.mark.sqlite_only
def test_restore_puts_the_backup_back_and_keeps_the_current_file(core: Core, tmp_path: Path) -> None:
    cases.create_case(core, title="Avant")
    source = core.db.sqlite_path
    assert source is not None
    backup = backup_sqlite(source, tmp_path / "backup.sqlite3")
    cases.create_case(core, title="Après")
    core.close()
    aside = restore_sqlite(backup, source)
    reopened = open_core(data_dir=core.data_dir)
    assert [c.title for c in cases.list_cases(reopened)] == ["Avant"]
    reopened.close()
    with sqlite3.connect(aside) as conn:
        assert {r[0] for r in conn.execute("SELECT title FROM cases")} == {"Avant", "Après"}


@pytest.mark.sqlite_only
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(core: Core, tmp_path: Path) -> None:
    source = core.db.sqlite_path
    assert source is not None
    cases.create_case(core, title="Intact")
    core.close()
    before = source.read_bytes()
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("not a database")
    with pytest.raises(StorageError, match="not a CaseApp backup"):
        restore_sqlite(junk, source)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE something (x)")
    with pytest.raises(StorageError, match="not a CaseApp backup"):
        restore_sqlite(other, source)
    assert source.read_bytes() == before


@pytest.mark.sqlite_only
def test_restore_refuses_while_the_database_is_in_use(core: Core, tmp_path: Path) -> None:
    source = core.db.sqlite_path
    assert source is not None
    backup = backup_sqlite(source, tmp_path / "backup.sqlite3")
    holder = sqlite3.connect(source)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="in use"):
            restore_sqlite(backup, source)
    finally:
        holder.rollback()
        holder.close()


def test_history_is_a_chain_that_shows_tampering(core: Core) -> None:
    case = cases.create_case(core, title="Lycées")
    from datetime import UTC

    hearing = hearings.add_hearing(core, case.id, starts_at=datetime(2020, 2, 3, 9, 0, tzinfo=UTC))
    for note in ("un", "deux", "trois"):
        hearings.add_note(core, hearing.id, note)
    with core.db.reader() as session:
        count, broken = verify_chain(session)
    assert broken is None and count >= 5
    with core.db.engine.begin() as connection:  # someone edits the database behind the app's back
        connection.execute(text("UPDATE audit_events SET summary = 'rewritten' WHERE seq = 3"))
    with core.db.reader() as session:
        _count, broken = verify_chain(session)
    assert broken is not None and broken.seq == 3 and broken.reason == "content"
    with core.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    with core.db.reader() as session:
        _count, broken = verify_chain(session)
    assert broken is not None and broken.seq == 4 and broken.reason == "sequence"


def test_two_editors_racing_on_one_record_get_one_success_and_one_conflict(core: Core) -> None:
    """Both read version 1 and save at the same moment: exactly one save lands, the other is told."""
    import threading

    from caseapp.errors import Conflict

    case = cases.create_case(core, title="Course")
    second = open_core(data_dir=core.data_dir, author="Me Martin")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(editor: Core, summary: str) -> None:
        barrier.wait()
        try:
            cases.update_case(editor, case.id, expected_version=1, summary=summary)
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(c, s)) for c, s in ((core, "mine"), (second, "theirs"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    second.close()
    assert sorted(outcomes) == ["conflict", "saved"]
    final = cases.get_case(core, case.id)
    assert final.version == 2 and final.summary in ("mine", "theirs")


def test_history_chain_catches_a_reordered_event(core: Core) -> None:
    case = cases.create_case(core, title="Ordre")
    for title in ("un", "deux", "trois"):
        cases.update_case(core, case.id, summary=title)
    with core.db.engine.begin() as connection:  # swap two events' places, keeping their own hashes
        connection.execute(text("UPDATE audit_events SET seq = -1 WHERE seq = 2"))
        connection.execute(text("UPDATE audit_events SET seq = 2 WHERE seq = 3"))
        connection.execute(text("UPDATE audit_events SET seq = 3 WHERE seq = -1"))
    with core.db.reader() as session:
        _count, broken = verify_chain(session)
    assert broken is not None and broken.seq == 2 and broken.reason == "link"


def test_case_detail_cites_the_head_of_its_history(core: Core) -> None:
    case = cases.create_case(core, title="Tête")
    first = cases.get_case(core, case.id).history_head
    cases.update_case(core, case.id, summary="changed")
    detail = cases.get_case(core, case.id)
    assert first and detail.history_head and detail.history_head != first and detail.history_seq
