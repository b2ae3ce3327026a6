"""Settings that belong to the data folder (not to the window): the server to use, the author name, the
language of the interface. Kept in ``settings.json`` in the data folder, written atomically; never a secret."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from sqlalchemy.engine import make_url

from caseapp.errors import InvalidInput, StorageError
from caseapp.i18n import _

FILE = "settings.json"


@dataclass(frozen=True)
class Settings:
    server_url: str | None = None  # a PostgreSQL URL without its password (the password is in the keyring)
    author: str | None = None
    language: str | None = None  # "fr", "en" or None for the system's


def load_settings(data_dir: Path) -> Settings:
    path = data_dir / FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError):
        return Settings()  # a damaged settings file must not stop the app: defaults, and it is rewritten on save
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in raw.items() if k in known and (v is None or isinstance(v, str))})


def save_settings(data_dir: Path, settings: Settings) -> None:
    if settings.server_url and make_url(settings.server_url).password:
        raise InvalidInput(_("A server address given to CaseApp to remember must not contain the password."))
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".settings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(settings), handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, data_dir / FILE)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise StorageError(_("The settings could not be saved: {reason}.").format(reason=exc.strerror or exc)) from exc
