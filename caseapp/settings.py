"""The preferences a person chooses — their name for the history, the data folder, the team's server, the
interface language, how documents are marked and signed (and the reminders to come) — in one file that the command
line and the window both read and write: ``caseapp db connect`` and the Settings dialog agree.

Where: ``settings.json`` in the user's configuration folder (``~/.config/CaseApp`` on Linux), whatever data folder
it names. ``CASEAPP_CONFIG_DIR`` moves it. With ``CASEAPP_DATA_DIR`` (a portable or a test data folder, set for the
whole run) that folder keeps its own preferences, as it keeps all its data: the file is then its ``settings.json``.

Earlier versions kept the server in the data folder's ``settings.json`` and the window's preferences in its
QSettings file. When this file does not exist yet, the data folder's file is read once and copied here
(``ui.settings`` does the same with the window's); the old files are left as they were.

Written atomically, owner-only; never a secret (an address with a password in it is refused: the password is in
the keyring). Keys this version does not know (a newer version's) are kept when it saves. The window's geometry
and column widths are not preferences the command line needs: they stay in QSettings (``ui.settings``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from caseapp.errors import InvalidInput, StorageError
from caseapp.i18n import _
from caseapp.places import SETTINGS_FILE, read_object, settings_file

FILE = SETTINGS_FILE

_Class = TypeVar("_Class", bound=type)
_made = threading.Lock()


def _dataclass_at_first_use(*, frozen: bool) -> Callable[[_Class], _Class]:
    """``dataclasses.dataclass``, applied to the class when its first instance is made. The window reads the
    preferences before its first paint (as plain values, no instance), and importing ``dataclasses`` and building
    the class would cost that paint about 5 ms."""

    def decorate(cls: _Class) -> _Class:
        made: list[bool] = []

        def new(klass: type, *_args: Any, **_kwargs: Any) -> Any:
            if not made:
                with _made:
                    if not made:
                        import dataclasses

                        dataclasses.dataclass(frozen=frozen)(cls)
                        made.append(True)
            return object.__new__(klass)  # the arguments go to the __init__ the dataclass made

        cls.__new__ = staticmethod(new)  # type: ignore[assignment]
        return cls

    return decorate


if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    dataclass = _dataclass_at_first_use


@dataclass(frozen=True)
class Settings:
    """The preferences in ``settings.json``: who is working, where the data is, the team's server, the language, how
    documents are marked and signed, the reminders and the team's calendar."""

    server_url: str | None = None  # a PostgreSQL URL without its password (the password is in the keyring)
    author: str | None = None  # who is working, for the history (None: the login name)
    language: str | None = None  # "fr", "en" or None for the system's
    data_dir: str | None = None  # the data folder (None: the default one); CASEAPP_DATA_DIR wins for one run
    # "CONFIDENTIEL" on every page of the internal documents (case summary, hearing sheet); never on a document
    # for the court or the other side (bordereau, Télérecours set), whatever this says.
    confidential_mark: bool = True
    signature_city: str | None = None  # "Fait à …" of the bordereau (None: the seat of the case's court)
    # Who signs the letters made from a case (``caseapp letter``) and where to answer: None takes the counsel
    # recorded for the case's applicant. The address may hold several lines.
    counsel_name: str | None = None
    counsel_address: str | None = None
    # Reminders (``services.reminders``): on or off, the days before a deadline ("7,3,1,0"; None: those) and the
    # hours with no notification ("20:00-08:00"; None: none).
    reminders_on: bool = True
    reminder_days: str | None = None
    quiet_hours: str | None = None
    # The team's CalDAV calendar (``services.calendar_sync``): its address and user (the password is in the
    # keyring) and the cases published (identifiers separated by commas; None: all).
    calendar_url: str | None = None
    calendar_user: str | None = None
    calendar_cases: str | None = None


_KNOWN = tuple(Settings.__annotations__)
_FLAGS = ("confidential_mark", "reminders_on")  # the settings that are true or false; every other one is a text or None
_DEFAULTS: dict[str, Any] = {name: getattr(Settings, name) for name in _KNOWN}


def _known(raw: dict[str, Any]) -> dict[str, Any]:
    """The known settings of a file, each of its own type (anything else, e.g. typed by hand, is left out)."""
    return {
        k: v
        for k, v in raw.items()
        if k in _KNOWN and (isinstance(v, bool) if k in _FLAGS else (v is None or isinstance(v, str)))
    }


def _raw(data_dir: Path | None) -> dict[str, Any]:
    """What the settings file holds; the first time, what the data folder's older ``settings.json`` held (copied
    into the new file, once)."""
    path = settings_file()
    raw = read_object(path)
    if raw is not None:
        return raw
    if data_dir is None:
        from caseapp.places import data_dir as default_data_dir  # only on a first start: it may import platformdirs

        data_dir = default_data_dir()
    legacy = Path(data_dir) / FILE
    if legacy == path:
        return {}
    older = read_object(legacy)
    if not older:
        return {}
    try:
        _write(path, older)
    except StorageError:
        return older  # read-only configuration folder: the older file still serves
    import logging

    logging.getLogger(__name__).info("Settings copied from %s to %s", legacy, path)
    return older


def load_settings(data_dir: Path | None = None) -> Settings:
    """The settings. ``data_dir``: the data folder the caller works on, whose older ``settings.json`` is copied the
    first time (the default data folder when None); the settings themselves are the same whatever it is."""
    return Settings(**_known(_raw(data_dir)))


def read_settings(data_dir: Path | None = None) -> dict[str, Any]:
    """``load_settings`` as a plain dict of the known settings (what the window reads before it paints)."""
    return _DEFAULTS | _known(_raw(data_dir))


def save_settings(data_dir: Path | None, settings: Settings) -> None:
    """Save the settings (``data_dir`` as for ``load_settings``). Refuses an address with a password in it."""
    problem = server_url_problem(settings.server_url)
    if problem:
        raise InvalidInput(problem, field="server_url")
    raw = dict(_raw(data_dir))
    raw.update({name: getattr(settings, name) for name in _KNOWN})
    _write(settings_file(), raw)


def chosen_language() -> str | None:
    """The language chosen in the settings, or None; cheap, never fails, never copies anything (it is read by
    every start of the command line)."""
    from caseapp.places import chosen

    return chosen("language")


def server_url_problem(url: str | None) -> str | None:
    """Why a server address cannot be remembered (it holds a password), or None."""
    if not url:
        return None
    from sqlalchemy.engine import make_url  # only when there is an address to check

    try:
        password = make_url(url).password
    except Exception:  # an address SQLAlchemy cannot read: checked when it is used
        return None
    if password:
        return _("A server address given to CaseApp to remember must not contain the password.")
    return None


def without_password(url: str) -> str:
    """``url`` with its password taken out (an older version may have kept one in the window's settings)."""
    from sqlalchemy.engine import URL, make_url

    try:
        parsed = make_url(url)
        bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database)
        return bare.update_query_dict(dict(parsed.query)).render_as_string(hide_password=False)
    except Exception:
        return ""


def _write(path: Path, raw: dict[str, Any]) -> None:
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(raw, handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise StorageError(_("The settings could not be saved: {reason}.").format(reason=exc.strerror or exc)) from exc
