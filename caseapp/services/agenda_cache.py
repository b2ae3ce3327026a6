"""The agenda of the last start, kept beside a local case file, so that the next start shows it at once.

Opening the case file needs SQLAlchemy (about half of the time from launch to the agenda's data); the agenda of the
previous start does not, when nothing changed since: every change to a case file appends to its history
(``audit_events``), so the last event's place and hash, read with ``sqlite3`` alone, say whether the agenda kept is
still the case file's. It is kept with that head, the day (overdue items and the window move with it), what was
asked (days ahead, overdue days, the limit), the language (the rules' deadlines are named in it) and CaseApp's
version; any difference, and it is not used. The window shows it while the case file opens, then the agenda read
from the database replaces it (the same, or newer).

Only for a local SQLite case file: on a team's server others change the data, and asking the server needs the
driver anyway. The file is read with a restricted unpickler that builds nothing but the agenda's read models.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseapp.casefile.agenda_model import PARIS, Agenda

CACHE_FILE = Path("cache") / "agenda-v1.pickle"
_ALLOWED = {
    "caseapp.casefile.agenda_model": {"Agenda", "AgendaItem"},
    "caseapp.casefile.view_rows": {"CaseRow", "TakenOffline"},
    "caseapp.casefile.view_dated": {"DeadlineView", "HearingView", "NoteView"},
    "caseapp.casefile.views": {"CaseRow", "DeadlineView", "HearingView", "NoteView", "TakenOffline"},  # kept earlier
    "datetime": {"date", "datetime", "timezone", "timedelta"},
    "uuid": {"UUID"},
    "zoneinfo": {"ZoneInfo"},
    "copyreg": {"_reconstructor", "__newobj__"},
    "builtins": {"object", "tuple", "frozenset", "set", "list", "dict"},
}


class _AgendaUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of an agenda")


def _head(database: Path) -> tuple[int, str] | None:
    """The history's last place and hash, read with sqlite3 (None: no readable history)."""
    if not database.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)) as connection:
            row = connection.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return (int(row[0]), str(row[1])) if row else None


def key(
    data_dir: Path, *, days: int, overdue_days: int, limit: int, today: date | None = None
) -> tuple[Any, ...] | None:
    """What an agenda kept for this case file must have been read with to be shown now (None: keep nothing)."""
    import caseapp
    from caseapp.config import DB_FILE
    from caseapp.i18n import current_language

    head = _head(data_dir / DB_FILE)
    if head is None:
        return None
    today = today or datetime.now(PARIS).date()
    return (1, *head, today.isoformat(), days, overdue_days, limit, current_language(), caseapp.__version__)


def load(data_dir: Path, *, days: int, overdue_days: int, limit: int = 500) -> Agenda | None:
    """The agenda kept by the last start, if it is still this case file's today; None otherwise."""
    wanted = key(data_dir, days=days, overdue_days=overdue_days, limit=limit)
    if wanted is None:
        return None
    try:
        raw = (data_dir / CACHE_FILE).read_bytes()
        kept_key, agenda = _AgendaUnpickler(io.BytesIO(raw)).load()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if kept_key != wanted or not isinstance(agenda, Agenda):
        return None
    return agenda


def save(data_dir: Path, agenda: Agenda, kept_key: tuple[Any, ...] | None) -> None:
    """Keep this agenda for the next start (never fails: it is only a head start)."""
    if kept_key is None:
        return
    target = data_dir / CACHE_FILE
    with contextlib.suppress(OSError, pickle.PicklingError):
        target.parent.mkdir(mode=0o700, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.write_bytes(pickle.dumps((kept_key, agenda), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, target)
