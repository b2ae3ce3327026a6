"""Where CaseApp keeps its data, which database it opens, and how private its files are.

``CASEAPP_DATA_DIR`` moves the whole data folder (database, evidence store, backups, settings);
``CASEAPP_DB_URL`` points at another database (a team's PostgreSQL server); ``CASEAPP_DB_PASSWORD`` gives that
server's password (never put it in the address on a command line: other programs can read it there);
``CASEAPP_AUTHOR`` names who is working, for the history (default: the login name).

Everything CaseApp writes is for its owner only: ``secure_process`` (called first by the command line and by the
desktop application) sets the umask to 077, and the data folder is made private the first time a process uses it
(folders 0700, files 0600 — older files included; permissions are only ever tightened).
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

from caseapp.i18n import _

DB_FILE = "caseapp.sqlite3"
DB_PASSWORD_ENV = "CASEAPP_DB_PASSWORD"


def data_dir() -> Path:
    """``CASEAPP_DATA_DIR``, else the data folder chosen in the settings, else the user's data folder."""
    from caseapp import places

    return places.data_dir()


# --- owner-only at rest ------------------------------------------------------------------------------------------


def secure_process() -> None:
    """Make everything this process creates from now on private to its owner (umask 077). Call it first thing:
    the command line's ``main`` does, and so must the desktop application before it opens anything."""
    if os.name == "posix":
        os.umask(0o077)


_private: set[Path] = set()
_private_lock = threading.Lock()


def make_private(folder: Path) -> list[str]:
    """Create the data folder owner-only (0700), or tighten it and everything in it: folders to 0700 and files to
    0600 at most — permissions are taken away, never added (an evidence file kept read-only stays read-only). Files
    and folders belonging to another account are left as they are. Returns sentences for people about what could
    not be done (nothing when all is right); it never fails for that. Done once per folder and process."""
    key = Path(os.path.abspath(folder))
    with _private_lock:
        if key in _private:
            return []
        _private.add(key)
    if os.name != "posix":  # Windows: the user profile's folders are private by their access lists
        return []
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return []  # the database's own check says plainly that the folder cannot be written
    return _tighten_tree(folder)


def _tighten_tree(folder: Path) -> list[str]:
    uid = os.geteuid()
    try:
        top = folder.stat()
    except OSError:
        return []
    if top.st_uid != uid:
        return [
            _(
                "The data folder “{path}” belongs to another account: CaseApp left its permissions as they are. "
                "Other people on this computer may be able to read your cases."
            ).format(path=folder)
        ]
    foreign: list[str] = []
    failed: list[str] = []

    def tighten(path: str, *, folder_mode: bool) -> None:
        try:
            info = os.lstat(path)
        except OSError:
            return
        if stat.S_ISLNK(info.st_mode) or not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            return  # links are not followed; sockets and pipes are left alone
        current = stat.S_IMODE(info.st_mode)
        wanted = current & (0o700 if folder_mode else 0o600)
        if wanted == current:
            return
        if info.st_uid != uid:
            foreign.append(path)
            return
        try:
            os.chmod(path, wanted, follow_symlinks=False)
        except NotImplementedError:  # a platform without lchmod: the entry is not a link (checked above)
            try:
                os.chmod(path, wanted)
            except OSError:
                failed.append(path)
        except OSError:
            failed.append(path)

    tighten(str(folder), folder_mode=True)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            tighten(os.path.join(root, name), folder_mode=True)
        for name in files:
            tighten(os.path.join(root, name), folder_mode=False)
    messages = []
    if foreign:
        messages.append(
            _(
                "{count} files or folders in “{path}” belong to another account and stay readable by others, "
                "for example “{example}”."
            ).format(count=len(foreign), path=folder, example=foreign[0])
        )
    if failed:
        messages.append(
            _(
                "The permissions of {count} files or folders in “{path}” could not be tightened, "
                "for example “{example}”."
            ).format(count=len(failed), path=folder, example=failed[0])
        )
    if messages:
        import logging  # only when there is something to say: `caseapp --version` must start at once

        for message in messages:
            logging.getLogger(__name__).warning("%s", message)
    return messages


def _private_data_dir(folder: Path) -> None:
    for message in make_private(folder):
        print(_("Warning: {message}").format(message=message), file=sys.stderr)


# --- the database ------------------------------------------------------------------------------------------------


def database_url(folder: Path | None = None, *, keyring: bool = True) -> str:
    """The database to open: ``CASEAPP_DB_URL``, else the server chosen in the settings (its password comes
    from ``CASEAPP_DB_PASSWORD``, the keyring or a prompt), else the local SQLite file of the data folder. The
    data folder is made owner-only on the way (once per process). ``keyring=False``: a server's password is
    taken from ``CASEAPP_DB_PASSWORD`` only; the keyring and the prompt are left to the first connection the
    server refuses for want of one (``password_for``)."""
    folder = folder or data_dir()
    _private_data_dir(folder)
    override = os.environ.get("CASEAPP_DB_URL")
    if override:
        return with_password(override, keyring=keyring)
    from caseapp.settings import load_settings

    server = load_settings(folder).server_url
    if server:
        return with_password(server, keyring=keyring)
    return f"sqlite:///{folder / DB_FILE}"


def with_password(url: str, *, keyring: bool = True) -> str:
    """Add its password to a server URL that has none: ``CASEAPP_DB_PASSWORD``, else (``keyring``) the one kept
    in the keyring (or CaseApp's encrypted key file), else — when nothing keeps secrets between runs — asked on
    the terminal (or by the window). When none can be had, say plainly how to give it rather than let the server
    refuse."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" or parsed.password:
        return url
    from_env = os.environ.get(DB_PASSWORD_ENV)
    if from_env is not None:  # set but empty: the server needs no password
        return parsed.set(password=from_env).render_as_string(hide_password=False) if from_env else url
    if not keyring:
        return url
    secret = password_for(url)
    return parsed.set(password=secret).render_as_string(hide_password=False) if secret else url


def password_for(url: str) -> str | None:
    """The password of a server URL from the keyring (or CaseApp's encrypted key file), else — when nothing keeps
    secrets between runs and the client library has none of its own — asked on the terminal or by the window."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    from caseapp.secrets import ask, db_password_key, default_secrets

    secrets = default_secrets()
    name = db_password_key(parsed.username, parsed.host, parsed.port, parsed.database)
    secret = secrets.get(name)
    if not secret and not secrets.status.persistent and not _libpq_has_a_password():
        # Nothing keeps secrets between runs: ask (a terminal, or the window). Nobody to ask: try without one —
        # many team servers authenticate otherwise — and, if the server wants one, the opening says how to give it.
        secret = ask(_("Password for {user} on {host}: ").format(user=parsed.username, host=parsed.host))
        if secret:
            secrets.set(name, secret)
    return secret or None


def password_help(url: str) -> str:
    """What to do when the server asked for a password CaseApp did not have."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return _(
        "The server asked for the password of {user} on {host}, and CaseApp has none: run “caseapp db connect” in a "
        "terminal to type it (it is kept in the keyring, or in an encrypted file when {passphrase_env} is set), or "
        "set {env}."
    ).format(user=parsed.username, host=parsed.host, env=DB_PASSWORD_ENV, passphrase_env="CASEAPP_KEYRING_PASSPHRASE")


def _libpq_has_a_password() -> bool:
    """The PostgreSQL client library has its own password (PGPASSWORD, a password file or a service file)."""
    if os.environ.get("PGPASSWORD") or os.environ.get("PGSERVICE"):
        return True
    passfile = os.environ.get("PGPASSFILE")
    if passfile:
        return Path(passfile).expanduser().is_file()
    if os.name == "nt":
        appdata = os.environ.get("APPDATA")
        if not appdata:
            return False
        return (Path(appdata) / "postgresql" / "pgpass.conf").is_file()
    return (Path.home() / ".pgpass").is_file()


def author_name(folder: Path | None = None) -> str:
    name = os.environ.get("CASEAPP_AUTHOR")
    if name:
        return name
    from caseapp.settings import load_settings

    saved = load_settings(folder or data_dir()).author
    if saved:
        return saved
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
