"""The headless sub-commands of ``caseapp``: each parses its arguments, calls services, prints the result."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseapp.domain import enums
from caseapp.errors import StorageError
from caseapp.i18n import _, current_language
from caseapp.textsafe import for_terminal as shown

SEARCH_LIMIT = 10_000


def _day(value: date | None) -> str:
    if value is None:
        return "—"
    if current_language() != "fr":
        return value.isoformat()
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # strftime pads no year below 1000


def _moment(value: datetime) -> str:
    """A stored moment in Paris time; one at the very edge of the calendar (stored by an older version) is
    shown unconverted (``dates.to_paris``) rather than crash the display of the whole case."""
    from caseapp.dates import to_paris

    local = to_paris(value)
    return f"{_day(local.date())} {local.hour:02d}:{local.minute:02d}"


def _label(enum_cls: type[enums.LabelledEnum], value: str | None) -> str:
    return enum_cls(value).label(current_language()) if value else "—"


def _table(rows: list[list[str]], headers: list[str]) -> None:
    rows = [[shown(cell) for cell in row] for row in rows]  # titles and names are data: never escape codes
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    widths[-1] = min(widths[-1], 70)
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)).rstrip())
    for row in rows:
        cells = [str(c) if len(str(c)) <= w else str(c)[: w - 1] + "…" for c, w in zip(row, widths, strict=False)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip())


def cmd_demo(args: argparse.Namespace) -> int:
    from caseapp.cli import open_core
    from caseapp.services.demo import load_demo

    core = open_core(args)
    report = load_demo(core)
    if report.total:
        parts = ", ".join(f"{count} {_(kind)}" for kind, count in report.added.items())
        print(_("Example data loaded: {parts}.").format(parts=parts))
    else:
        print(_("The example data is already there: nothing changed."))
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from caseapp.cli import emit_json, open_core
    from caseapp.services.cases import list_cases

    rows = list_cases(open_core(args), status=args.status, text=args.search, tag=args.tag)
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print(_("No cases. Run “caseapp demo” to load the example cases."))
        return 0
    _table(
        [
            [str(r.id)[:8], _label(enums.CaseStatus, r.status), r.court_number or "—", r.court or "—", r.title]
            for r in rows
        ],
        [_("ID"), _("Status"), _("Number"), _("Court"), _("Title")],
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from caseapp.cli import emit_json, open_core
    from caseapp.services.cases import get_case, resolve_case

    core = open_core(args)
    detail = get_case(core, resolve_case(core, args.case))
    if args.json:
        emit_json(detail)
        return 0
    from caseapp.show import print_case

    print_case(detail)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from caseapp.casefile.search import search
    from caseapp.cli import emit_json, open_core

    hits = search(open_core(args), args.text, limit=args.limit)
    if args.json:
        emit_json(hits)
        return 0
    if not hits:
        print(_("Nothing found for “{text}”.").format(text=shown(args.text, limit=200)))
        return 0
    kinds = {
        "case": _("case"),
        "filing": _("filing"),
        "note": _("note"),
        "opinion": _("opinion"),
        "evidence": _("exhibit"),
        "access_request": _("CADA request"),
    }
    for hit in hits:
        where = f" — {shown(hit.case_title)}" if hit.case_title and hit.kind != "case" else ""
        print(f"[{kinds.get(hit.kind, hit.kind)}] {shown(hit.title)}{where}")
        snippet = shown(" ".join(hit.snippet.split()))
        if snippet:
            print(f"    {snippet}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from caseapp import config
    from caseapp.store import migrate
    from caseapp.store.database import open_database

    folder = Path(args.data_dir) if args.data_dir else config.data_dir()
    database = open_database(data_dir=folder, upgrade=False, check_schema=False)
    before = migrate.current_revision(database.engine)
    database.close()
    database = open_database(data_dir=folder)
    after = migrate.current_revision(database.engine)
    database.close()
    if before == after:
        print(_("The database is up to date (schema {revision}).").format(revision=after))
    else:
        print(_("The database was upgraded from schema {old} to {new}.").format(old=before or "—", new=after))
    return 0


def _password_file(path: str) -> str:
    """The first line of a password file (a file readable by others is used, with a warning)."""
    import os
    import stat

    from caseapp.errors import InvalidInput

    file = Path(path).expanduser()
    from caseapp.store.files import read_input

    try:
        text = read_input(file, 64 * 1024).decode("utf-8", errors="replace")  # a regular file, bounded
        mode = file.stat().st_mode
    except OSError as exc:
        raise InvalidInput(
            _("The password file “{path}” cannot be read: {reason}.").format(path=file, reason=exc.strerror or exc)
        ) from exc
    if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        print(
            _("Warning: {message}").format(
                message=_("the password file “{path}” can be read by other people on this computer.").format(path=file)
            ),
            file=sys.stderr,
        )
    password = text.splitlines()[0] if text.strip() else ""
    if not password:
        raise InvalidInput(_("The password file “{path}” is empty.").format(path=file))
    return password


def _server_address(text: str) -> Any:
    """A PostgreSQL address given on the command line, refused when it carries a password: other programs on this
    computer can read a command line (``ps``), and the shell keeps it in its history. Never echoed whole."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from caseapp.errors import InvalidInput
    from caseapp.logs import hide_passwords

    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise InvalidInput(_("“{url}” is not a database address.").format(url=hide_passwords(text))) from exc
    if url.password is not None:
        raise InvalidInput(
            _(
                "Do not put the password in the address: other programs on this computer can read a command line, "
                "and the shell keeps it in its history. Give the address without it and type the password when "
                "asked, or set {env}, or use --password-file FILE."
            ).format(env="CASEAPP_DB_PASSWORD")
        )
    if url.get_backend_name() != "postgresql":
        raise InvalidInput(_("A team server address starts with postgresql://"))
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def cmd_db_connect(args: argparse.Namespace) -> int:
    """Use a team's PostgreSQL server: check it, keep the password in the keyring (or CaseApp's encrypted key
    file) and the address, without it, in the settings. The password never comes from the command line: from
    ``--password-file``, ``CASEAPP_DB_PASSWORD`` or a prompt."""
    import os
    from dataclasses import replace

    from caseapp import config
    from caseapp.errors import StorageError
    from caseapp.secrets import ask, db_password_key, default_secrets
    from caseapp.settings import load_settings, save_settings
    from caseapp.store.database import open_database

    url = _server_address(args.url)
    if args.password_file:
        password: str | None = _password_file(args.password_file)
    else:
        password = os.environ.get(config.DB_PASSWORD_ENV) or ask(
            _("Password for {user} on {host}: ").format(user=url.username, host=url.host)
        )
    folder = Path(args.data_dir) if args.data_dir else config.data_dir()
    for message in config.make_private(folder):
        print(_("Warning: {message}").format(message=message), file=sys.stderr)
    full = url.set(password=password) if password else url
    try:
        database = open_database(data_dir=folder, url=full.render_as_string(hide_password=False))
    except StorageError as exc:
        if password:
            raise
        raise StorageError(
            exc.message
            + " "
            + _(
                "No password was given: type it when asked (in a terminal), set {env}, or use --password-file FILE."
            ).format(env=config.DB_PASSWORD_ENV)
        ) from exc
    database.close()
    address = url.render_as_string(hide_password=False)
    save_settings(folder, replace(load_settings(folder), server_url=address))
    print(_("CaseApp now works on {url}.").format(url=url.render_as_string(hide_password=True)))
    if password:
        secrets = default_secrets()
        kept = secrets.set(db_password_key(url.username, url.host, url.port, url.database), password)
        if kept:
            print(secrets.status.message)
        else:
            print(secrets.status.message, file=sys.stderr)
            print(
                _(
                    "Later commands will ask for the password on a terminal, or take it from {env}; without either "
                    "they stop and say so."
                ).format(env=config.DB_PASSWORD_ENV),
                file=sys.stderr,
            )
    return 0


def cmd_db_disconnect(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from caseapp import config
    from caseapp.settings import load_settings, save_settings

    folder = Path(args.data_dir) if args.data_dir else config.data_dir()
    save_settings(folder, replace(load_settings(folder), server_url=None))
    print(_("CaseApp works on the local database again: {path}.").format(path=folder / config.DB_FILE))
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from caseapp import config
    from caseapp.store import migrate
    from caseapp.store.database import open_database

    folder = Path(args.data_dir) if args.data_dir else config.data_dir()
    database = open_database(data_dir=folder, upgrade=False, check_schema=False)
    try:
        revision = migrate.current_revision(database.engine)
    finally:
        database.close()
    print(_("Database: {url}").format(url=make_url(database.url).render_as_string(hide_password=True)))
    print(_("Schema: {revision} (this CaseApp: {head})").format(revision=revision, head=migrate.head_revision()))
    from caseapp.secrets import default_secrets  # keyring is loaded only here, after the database answered

    print(default_secrets().status.message)  # where the server's password and the bundle keys are kept
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    import os

    from caseapp.cli import open_core
    from caseapp.outputs import as_path, staged
    from caseapp.store.backup import backup_sqlite, default_backup_path

    core = open_core(args)
    source = core.db.sqlite_path
    if source is None:
        raise StorageError(
            _("Backups from CaseApp are for the local SQLite database; back up a server with its own tools.")
        )
    if args.path:
        target = as_path(args.path)
        if os.path.isdir(target):  # a folder (or a link to one): a new file in it
            target = default_backup_path(target, in_backups=False)
    else:
        target = default_backup_path(core.data_dir)
    # Written in a private folder beside the target, then renamed over it: never through a link or a device.
    with staged(target) as staging:
        backup_sqlite(source, staging)
    size = target.stat().st_size
    print(_("Backup written: {path} ({size} KB).").format(path=shown(target), size=max(1, size // 1024)))
    return 0


def register(sub: Any) -> None:
    from caseapp.cli import bounded_int

    def add(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    add("demo", cmd_demo, _("load the example cases (running it again changes nothing)"))
    cases = add("cases", cmd_cases, _("list cases"))
    cases.add_argument("--status", choices=[s.value for s in enums.CaseStatus], help=_("only cases with this status"))
    cases.add_argument(
        "--search", metavar="TEXT", help=_("only cases whose title, reference, court or number contains TEXT")
    )
    cases.add_argument("--tag", help=_("only cases with this tag"))
    cases.add_argument("--json", action="store_true", help=_("print JSON"))
    show = add("show", cmd_show, _("show one case with everything in it"))
    show.add_argument(
        "case", metavar="CASE", help=_("a case identifier, a unique prefix of it (6+ characters) or its court number")
    )
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    search = add("search", cmd_search, _("search cases, filings, hearing notes, opinions and evidence"))
    search.add_argument("text", metavar="TEXT")
    search.add_argument(
        "--limit",
        type=bounded_int(1, SEARCH_LIMIT),
        default=50,
        help=_("at most this many results (default 50, at most {limit})").format(limit=SEARCH_LIMIT),
    )
    search.add_argument("--json", action="store_true", help=_("print JSON"))
    db = add("db", lambda a: (print(_("Use “caseapp db upgrade”."), file=sys.stderr), 2)[1], _("database maintenance"))
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help=_("bring the database schema up to date (after a backup)"))
    upgrade.set_defaults(handler=cmd_db_upgrade)
    connect = db_sub.add_parser(
        "connect",
        help=_("work on a team's PostgreSQL server (password kept in the keyring)"),
        description=_(
            "Work on a team's PostgreSQL server. The password is never given on the command line: it is asked, or "
            "taken from CASEAPP_DB_PASSWORD or --password-file, then kept in the system keyring (or CaseApp's "
            "encrypted key file)."
        ),
    )
    connect.add_argument("url", metavar="URL", help=_("postgresql://user@host:port/database (without the password)"))
    connect.add_argument(
        "--password-file",
        metavar="FILE",
        help=_("read the password from the first line of FILE (readable by you only)"),
    )
    connect.set_defaults(handler=cmd_db_connect)
    db_sub.add_parser("disconnect", help=_("go back to the local database")).set_defaults(handler=cmd_db_disconnect)
    db_sub.add_parser("status", help=_("which database is in use")).set_defaults(handler=cmd_db_status)
    backup = add("backup", cmd_backup, _("copy the database to a backup file"))
    backup.add_argument("path", nargs="?", metavar="PATH", help=_("where to write it (default: the backups folder)"))
