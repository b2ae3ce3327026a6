"""The database commands: ``db upgrade``, ``db connect``, ``db disconnect`` and ``db status``.

``db connect`` puts CaseApp on a team's PostgreSQL server; its password never comes from the command line (other
programs on the computer can read it, the shell keeps it): it is typed, or read from ``CASEAPP_DB_PASSWORD`` or a
file, and kept in the system keyring or CaseApp's encrypted key file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from caseapp.cli.catalogue import help_of
from caseapp.i18n import _


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


def register(sub: Any) -> None:
    db = sub.add_parser("db", help=help_of("db"), description=help_of("db"))
    db.set_defaults(handler=lambda a: (print(_("Use “caseapp db upgrade”."), file=sys.stderr), 2)[1])
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
