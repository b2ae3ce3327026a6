"""The command line parses a command with its own group of commands only, and lists the commands for ``--help``
without loading any group: the catalogue that says which group owns which command, with its help, must agree with
what the groups register, or a command would be parsed by the wrong parser or described wrongly."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseapp.cli import build_parser, command_of
from caseapp.cli.catalogue import GROUPS
from caseapp.i18n import set_language


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return dict(_subparsers(parser).choices)


def _listed(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
    """The commands as ``--help`` lists them: name and help, in order."""
    return [(a.dest, a.help) for a in _subparsers(parser)._choices_actions]


NAMED = [command for _module, _function, commands in GROUPS for command, _text in commands]


def test_every_command_in_the_catalogue_is_registered_by_its_group_alone() -> None:
    everything = _commands(build_parser())
    assert len(NAMED) == len(set(NAMED)), "a command is named for two groups"
    assert set(everything) == set(NAMED), "a group registers a command the catalogue does not name, or the reverse"
    for command in NAMED:
        alone = _commands(build_parser([command]))
        assert command in alone, f"“{command}” is not registered by the group the catalogue names"
        assert set(alone) <= set(everything)
        # the same options as with every group: the command's parser is the group's own
        assert sorted(o for a in alone[command]._actions for o in a.option_strings) == sorted(
            o for a in everything[command]._actions for o in a.option_strings
        )


def test_a_word_that_is_no_command_gets_every_group() -> None:
    everything = _commands(build_parser())
    assert set(_commands(build_parser(["no-such-command"]))) == set(everything)
    assert set(_commands(build_parser(["--help", "--version"]))) == set(everything)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_help_lists_the_commands_the_groups_register_with_their_help(lang: str) -> None:
    """``caseapp --help`` is built from the catalogue alone; it must say exactly what the full parser says."""
    set_language(lang)
    try:
        full = build_parser()
        for argv in (["--help"], ["-h"], ["--data-dir", "/tmp/x", "--help"], ["--data-dir=/tmp/x", "-h"]):
            listing = build_parser(argv)
            assert _listed(listing) == _listed(full)
            assert listing.format_help() == full.format_help()
        if lang == "fr":
            assert ("cases", "lister les affaires") in _listed(full)
    finally:
        set_language("en")


def test_help_loads_no_group_of_commands() -> None:
    code = (
        "import sys\nfrom caseapp.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('caseapp.cli.', 'caseapp.services', "
        "'caseapp.domain', 'sqlalchemy')))\nprint(','.join(loaded), file=sys.stderr)"
    )
    env = {**os.environ, "CASEAPP_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "export" in done.stdout and "calendar" in done.stdout
    loaded = set(filter(None, done.stderr.strip().splitlines()[-1].split(",")))
    assert loaded <= {"caseapp.cli.catalogue", "caseapp.cli.common", "caseapp.cli.parser_text"}, loaded


def test_argparse_speaks_the_interface_language() -> None:
    """ "usage:", the section titles and argparse's own errors were English on a French command line."""
    env = {**os.environ, "CASEAPP_LANG": "fr"}
    wrong = [sys.executable, "-m", "caseapp", "cases", "--status", "nope"]
    done = subprocess.run(wrong, capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert "usage : caseapp cases" in done.stderr
    assert "caseapp cases : erreur : argument --status : choix invalide : 'nope'" in done.stderr
    missing = subprocess.run([sys.executable, "-m", "caseapp", "show"], capture_output=True, text=True, env=env)
    assert "ces arguments sont obligatoires : CASE" in missing.stderr
    listing = subprocess.run([sys.executable, "-m", "caseapp", "--help"], capture_output=True, text=True, env=env)
    assert listing.returncode == 0
    assert "arguments positionnels" in listing.stdout and "afficher cette aide et quitter" in listing.stdout
    english = {**os.environ, "CASEAPP_LANG": "en"}
    done = subprocess.run(wrong, capture_output=True, text=True, env=english)
    assert "caseapp cases: error: argument --status: invalid choice: 'nope'" in done.stderr


def test_the_command_is_found_after_the_data_folder_option() -> None:
    assert command_of(["--data-dir", "/tmp/x", "import", "f.casebundle"]) == "import"
    assert command_of(["--data-dir=/tmp/x", "cases"]) == "cases"
    assert command_of(["--version"]) is None


def test_caseapp_show_puts_the_french_space_before_its_colons(tmp_path: Path) -> None:
    env = {**os.environ, "CASEAPP_LANG": "fr", "CASEAPP_DATA_DIR": str(tmp_path / "data")}
    env.pop("CASEAPP_DB_URL", None)
    subprocess.run([sys.executable, "-m", "caseapp", "demo"], capture_output=True, text=True, env=env, check=True)
    shown = subprocess.run(
        [sys.executable, "-m", "caseapp", "show", "2009485"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "  Requérant : La Quadrature du Net" in shown
    assert "Affaire liée : " in shown and "Requérant:" not in shown


def test_caseapp_agenda_in_french_puts_its_spaces_and_counts_right(tmp_path: Path) -> None:
    """The example data has one open deadline past by more than 90 days: "1 échéance … est dépassée", not
    "1 échéances … sont dépassées"; and each line's "Délai : …" has the space French puts before the colon."""
    env = {**os.environ, "CASEAPP_LANG": "fr", "CASEAPP_DATA_DIR": str(tmp_path / "data")}
    env.pop("CASEAPP_DB_URL", None)
    subprocess.run([sys.executable, "-m", "caseapp", "demo"], capture_output=True, text=True, env=env, check=True)
    shown = subprocess.run(
        [sys.executable, "-m", "caseapp", "agenda", "--days", "400"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert "1 échéance encore ouverte est dépassée depuis plus de 90 jours" in shown
    assert "Délai : [Exemple]" in shown and "Audience : [Exemple]" in shown
    assert "Délai:" not in shown and "Audience:" not in shown
    english = {**env, "CASEAPP_LANG": "en"}
    shown = subprocess.run(
        [sys.executable, "-m", "caseapp", "agenda", "--days", "400"],
        capture_output=True,
        text=True,
        env=english,
        check=True,
    ).stdout
    assert "1 older open deadline is past by more than 90 days" in shown and "Hearing: [Exemple]" in shown
