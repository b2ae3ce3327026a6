"""CaseApp's log file, and what never goes into it.

A log is read by whoever helps when something goes wrong; it must not carry what the case file protects. The
``Scrubber`` filter takes out, from every record (its message, its arguments, its traceback):

- the values a database statement was run with: SQLAlchemy's ``[parameters: …]`` (the SQL itself stays, with its
  placeholders), the parameters its engine logger prints, PostgreSQL's ``DETAIL:`` lines (``Key (…)=(…)``,
  ``Failing row contains (…)``) — a hearing note's text travels in those;
- passwords inside database addresses (``postgresql://user:secret@host`` → ``postgresql://user:***@host``);
- any argument marked ``Private(text)`` — what a person typed (a note, a party's name) when a message must
  mention it: ``log.info("note %s saved: %s", note_id, Private(text))`` logs ``‹hidden: 42 characters›``.

``install_log_file(data_dir)`` sets up ``logs/caseapp.log`` in the data folder: owner-only (0600, in a 0700
folder), rotated by size, with that filter. The window installs it before anything else; the command line gets it
from ``log_to_data_folder``, called when a database is opened (the first data folder a process opens keeps its
log for the rest of the process).

What goes in, at INFO, is what a support person asks about: backups taken (daily, before a migration, by hand)
and those that failed, restores, recoveries after a crash, migrations run, bundles refused (with the reason
given to the person, never what the bundle holds), a damaged database found. Never a note's text, never the
values of a statement.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path
from typing import Any

LOG_FOLDER = "logs"
LOG_FILE = "caseapp.log"
MAX_BYTES = 1_000_000
BACKUPS = 3

HIDDEN = "[values hidden]"

_PARAMETERS = re.compile(r"\[parameters: [^\n]*\]?")  # repr() escapes newlines: the values fit on their line
_SQLA_HIDDEN = re.compile(r"\[SQL parameters hidden due to hide_parameters=True\]")
_DETAIL = re.compile(r"^(\s*DETAIL:)[^\n]*$", re.MULTILINE)
_FAILING_ROW = re.compile(r"(Failing row contains )\([^\n]*")
_KEY_VALUES = re.compile(r"(Key \([^)\n]*\))=\([^\n]*")
_URL_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@")


class Private(str):
    """A piece of text that must never reach a log (a note, a name…): logged as its length only."""

    __slots__ = ()

    def __repr__(self) -> str:
        return hidden_text(self)

    def __str__(self) -> str:
        return hidden_text(self)

    def __format__(self, spec: str) -> str:
        return hidden_text(self)


def hidden_text(text: str) -> str:
    return f"‹hidden: {len(text)} characters›"


def hide_passwords(text: str) -> str:
    """``scheme://user:password@host`` → ``scheme://user:***@host`` (also for addresses that do not parse)."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def scrub(text: str) -> str:
    """The text with statement parameters, row values and passwords taken out."""
    text = _PARAMETERS.sub(f"[parameters: {HIDDEN}]", text)
    text = _SQLA_HIDDEN.sub(f"[parameters: {HIDDEN}]", text)
    text = _DETAIL.sub(rf"\1 {HIDDEN}", text)
    text = _FAILING_ROW.sub(rf"\1{HIDDEN}", text)
    text = _KEY_VALUES.sub(rf"\1={HIDDEN}", text)
    return hide_passwords(text)


def _scrub_argument(value: Any, *, from_engine: bool) -> Any:
    if isinstance(value, Private):
        return hidden_text(value)
    if (from_engine and isinstance(value, tuple | list | dict)) or type(value).__name__ == "_repr_params":
        return HIDDEN  # the parameters SQLAlchemy's engine logger prints with each statement
    if isinstance(value, str | BaseException):
        return scrub(str(value))
    return value


class Scrubber(logging.Filter):
    """A logging filter that takes statement parameters, row values, passwords and ``Private`` text out of each
    record. Attach it to a handler (``handler.addFilter(Scrubber())``): it changes the record in place, before any
    formatter sees it; it never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        from_engine = record.name.startswith("sqlalchemy.engine")
        try:
            if record.args:
                if isinstance(record.args, dict):
                    record.args = {
                        key: _scrub_argument(value, from_engine=from_engine) for key, value in record.args.items()
                    }
                else:
                    record.args = tuple(_scrub_argument(value, from_engine=from_engine) for value in record.args)
            message = scrub(record.getMessage())
        except Exception:  # a message that does not format: keep only its template, scrubbed
            message = scrub(str(record.msg))
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A size-rotating log file created owner-only (0600) whatever the umask, the rotated ones too."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # a file left by an older version may be 0644
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


_installed: dict[str, logging.Handler] = {}
_install_lock = threading.Lock()


def install_log_file(data_dir: Path, *, level: int = logging.INFO) -> logging.Handler:
    """Log CaseApp's messages (``caseapp.*``, ``ui.*``, and every library's warnings) to ``logs/caseapp.log`` in
    the data folder, owner-only, rotated at 1 MB (three older files kept), scrubbed by ``Scrubber``. Calling it
    again for the same folder changes nothing. Returns the handler (to remove it: ``logging.getLogger()
    .removeHandler(handler)``)."""
    folder = Path(data_dir) / LOG_FOLDER
    path = folder / LOG_FILE
    with _install_lock:
        existing = _installed.get(str(path))
        if existing is not None and existing in logging.getLogger().handlers:
            return existing
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)
            for old in folder.glob(LOG_FILE + "*"):  # rotated files left by an older version
                if old.is_file() and not old.is_symlink():
                    old.chmod(old.stat().st_mode & 0o600)
        handler = _PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", errors="backslashreplace"
        )
        handler.setLevel(level)
        handler.addFilter(Scrubber())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        for name in ("caseapp", "ui"):  # their INFO messages reach the root's handlers; other libraries' do not
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET or logger.level > level:
                logger.setLevel(level)
        _installed[str(path)] = handler
        return handler


_process_log_chosen = False


def log_to_data_folder(data_dir: Path) -> None:
    """Log to ``data_dir``'s log file unless this process already logs to one (the window installs its own
    first): once per process, cheap, and never an error — a log that cannot be written must not stop anyone."""
    global _process_log_chosen
    if _process_log_chosen:
        return
    _process_log_chosen = True
    root = logging.getLogger()
    if any(handler in root.handlers for handler in _installed.values()):
        return
    with contextlib.suppress(OSError):
        install_log_file(data_dir)


def one_line(text: object, limit: int = 300) -> str:
    """``text`` on one line, without control characters, at most ``limit`` characters: for a reason that quotes
    something from outside (a name found in a bundle) and must not fake lines of the log."""
    flat = "".join(" " if ch.isspace() or not ch.isprintable() else ch for ch in str(text))
    flat = " ".join(flat.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def bundle_refused(path: Path | str) -> None:
    """Note, from the ``except`` block of a bundle that was not opened, which bundle and why: the reason the person
    was given, on one line — never anything the bundle holds. A cancelled opening is noted as such."""
    import sys

    from caseapp.errors import Cancelled, CaseAppError

    error = sys.exc_info()[1]
    if not isinstance(error, Exception):
        return
    log = logging.getLogger("caseapp.bundle")
    name = one_line(Path(path).name, 120)
    if isinstance(error, Cancelled):
        log.info("Opening of bundle %s cancelled", name)
    elif isinstance(error, CaseAppError):
        log.info("Bundle %s refused: %s", name, one_line(error.message))
    else:
        log.warning("Bundle %s could not be opened: %s", name, type(error).__name__)
