"""Engine and session set-up for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
import unicodedata
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another (a big import) before saying so


def fold(value: str | None) -> str | None:
    """Lower case without accents, œ → oe: how names are compared ("etat" finds "Conseil d'État"). The same
    folding as PostgreSQL's ``caseapp_fold`` (migration 0004); SQLite's own lower() only folds ASCII."""
    if value is None:
        return None
    lowered = value.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy issue BEGIN itself so a whole service call is one transaction.
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("caseapp_fold", 1, fold, deterministic=True)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_sqlite(conn: Any) -> None:
    # A writing unit of work begins IMMEDIATE: it takes the write lock at the start, so two writers queue
    # (up to the busy timeout) instead of one failing half-way. Readers begin deferred and never wait.
    if conn.get_execution_options().get("writing"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine, *, writing: bool) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker  # the ORM is imported by the first session, not by opening a database

    bind = engine.execution_options(writing=True) if writing else engine
    return sessionmaker(bind, expire_on_commit=False, autoflush=True)
