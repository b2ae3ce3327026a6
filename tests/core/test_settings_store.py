"""One settings file for the command line and the window: where it lives, what it keeps, what it takes over from
earlier versions, and the two agreeing (the window's side runs in a process of its own: this tier has no Qt)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from caseapp import i18n
from caseapp.errors import InvalidInput
from caseapp.places import user_folder
from caseapp.settings import (
    Settings,
    chosen_language,
    load_settings,
    save_settings,
    settings_file,
)

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgresql+psycopg://lawyer@db.example/caseapp"

# The window's side: ui.settings on the same environment, in its own process.
WINDOW = """
import json, sys
from pathlib import Path
from ui.settings import Settings
settings = Settings.open(Path(sys.argv[1]))
print(json.dumps(settings.preferences()._asdict()))
if len(sys.argv) > 2:
    settings.save_preferences(settings.preferences()._replace(language=sys.argv[2]))
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of its own, with no folder forced by the environment: the settings file is the user's."""
    for name in ("CASEAPP_CONFIG_DIR", "CASEAPP_DATA_DIR", "CASEAPP_DB_URL", "CASEAPP_DB_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    return tmp_path


def window(ini: Path, language: str | None = None) -> dict[str, Any]:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    args = [sys.executable, "-c", WINDOW, str(ini), *([language] if language else [])]
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are Linux's")
def test_the_settings_file_is_in_the_configuration_folder_whatever_data_folder_it_names(home: Path) -> None:
    save_settings(None, Settings(author="Me Martin", data_dir=str(home / "cases")))
    assert settings_file() == home / "config" / "CaseApp" / "settings.json"
    assert json.loads(settings_file().read_text())["data_dir"] == str(home / "cases")
    assert load_settings(home / "cases").author == "Me Martin"  # the same file, whichever folder is worked on
    assert load_settings(home / "another").author == "Me Martin"
    assert settings_file().stat().st_mode & 0o077 == 0


def test_an_environment_folder_moves_it(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_DATA_DIR", str(home / "portable"))
    assert settings_file() == home / "portable" / "settings.json"  # a portable data folder keeps its own
    monkeypatch.setenv("CASEAPP_CONFIG_DIR", str(home / "elsewhere"))
    assert settings_file() == home / "elsewhere" / "settings.json"


@pytest.mark.parametrize("xdg", [True, False])
def test_the_user_folders_are_where_platformdirs_puts_them(
    home: Path, monkeypatch: pytest.MonkeyPatch, xdg: bool
) -> None:
    if not xdg:
        monkeypatch.delenv("XDG_CONFIG_HOME")
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    assert user_folder("config") == Path(platformdirs.user_config_dir("CaseApp", appauthor=False))
    assert user_folder("cache") == Path(platformdirs.user_cache_dir("CaseApp", appauthor=False))


def test_the_data_folders_older_settings_are_taken_over_once(home: Path) -> None:
    older = home / "share" / "CaseApp" / "settings.json"  # the default data folder of earlier versions
    older.parent.mkdir(parents=True)
    older.write_text(json.dumps({"server_url": SERVER, "author": None, "language": None}))
    assert load_settings().server_url == SERVER
    assert json.loads(settings_file().read_text())["server_url"] == SERVER
    older.write_text(json.dumps({"server_url": None}))  # an older CaseApp still writes there: ignored from now on
    assert load_settings().server_url == SERVER
    assert older.is_file()  # left as it was


def test_keys_of_a_newer_version_are_kept_and_a_damaged_file_gives_defaults(home: Path) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"author": "Me Martin", "reminders": {"days_before": 3}}))
    save_settings(None, Settings(author="Me Martin", language="fr"))
    saved = json.loads(path.read_text())
    assert saved["reminders"] == {"days_before": 3} and saved["language"] == "fr"
    path.write_text("[1, 2")
    assert load_settings() == Settings()
    assert chosen_language() is None
    with pytest.raises(InvalidInput, match="must not contain the password"):
        save_settings(None, Settings(server_url="postgresql+psycopg://lawyer:secret@db.example/caseapp"))


def test_the_command_line_speaks_the_language_chosen_unless_caseapp_lang_says_otherwise(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(None, Settings(language="fr"))
    monkeypatch.setattr(i18n, "_current", None)
    monkeypatch.delenv("CASEAPP_LANG")
    assert i18n.current_language() == "fr"
    monkeypatch.setattr(i18n, "_current", None)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    assert i18n.current_language() == "en"


def test_db_connect_and_the_settings_dialog_agree(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from caseapp import secrets
    from caseapp.cli import main
    from caseapp.store import database

    class Reachable:
        def close(self) -> None:
            pass

    monkeypatch.setattr(database, "open_database", lambda **_kwargs: Reachable())  # the server answers
    secrets.set_prompter(lambda _question, _confirm: None)  # no password: the server needs none
    try:
        assert main(["db", "connect", "postgresql://lawyer@db.example/caseapp"]) == 0
    finally:
        secrets.set_prompter(None)
    capsys.readouterr()

    ini = home / "window" / "caseapp-ui.ini"
    shown = window(ini, language="fr")  # the window shows the server, and the person chooses French
    assert shown["server_url"] == SERVER and shown["language"] == "system"
    assert window(ini)["language"] == "fr"

    monkeypatch.setattr(i18n, "_current", None)  # a new command
    monkeypatch.delenv("CASEAPP_LANG")
    assert main(["db", "disconnect"]) == 0
    assert "CaseApp travaille de nouveau sur la base locale" in capsys.readouterr().out
    assert window(ini)["server_url"] == ""


def test_the_windows_older_preferences_are_taken_over_once(home: Path) -> None:
    ini = home / "window" / "caseapp-ui.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(
        "[preferences]\nauthor_name=Me Martin\nlanguage=fr\n"
        "server_url=postgresql+psycopg://lawyer:secret@db.example/caseapp\n\n[view]\npage=cases\n"
    )
    shown = window(ini)
    assert shown == {"author_name": "Me Martin", "data_dir": "", "server_url": SERVER, "language": "fr"}
    text = ini.read_text()
    assert "[preferences]" not in text and "page=cases" in text  # the window's own state stays
    assert "secret" not in settings_file().read_text()
    assert load_settings().author == "Me Martin"
