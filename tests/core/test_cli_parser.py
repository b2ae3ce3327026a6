"""The command line parses a command with its own group of commands only: the table that says which group owns
which command must agree with what the groups register, or a command would be parsed by the wrong parser."""

from __future__ import annotations

import argparse
import importlib

from caseapp.cli import GROUPS, build_parser, command_of


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_command_named_in_the_table_is_registered_by_its_group_alone() -> None:
    everything = _commands(build_parser())
    named = [command for _module, _function, commands in GROUPS for command in commands]
    assert len(named) == len(set(named)), "a command is named for two groups"
    for command in named:
        alone = _commands(build_parser([command]))
        assert command in alone, f"“{command}” is not registered by the group the table names"
        assert set(alone) <= set(everything)
        # the same options as with every group: the command's parser is the group's own
        assert sorted(o for a in alone[command]._actions for o in a.option_strings) == sorted(
            o for a in everything[command]._actions for o in a.option_strings
        )


def test_a_command_not_in_the_table_gets_every_group() -> None:
    everything = _commands(build_parser())
    assert set(_commands(build_parser(["summary", "x"]))) == set(everything)
    assert set(_commands(build_parser(["no-such-command"]))) == set(everything)
    assert set(_commands(build_parser(["--help"]))) == set(everything)
    # every command the full parser knows is named in the table or added by a group that names none (documents)
    named = {command for _m, _f, commands in GROUPS for command in commands}
    unnamed = argparse.ArgumentParser().add_subparsers()
    for module, function, commands in GROUPS:
        if not commands:
            getattr(importlib.import_module(f"caseapp.cli.{module}"), function)(unnamed)
    assert set(everything) - named == set(unnamed.choices)
    assert "summary" in unnamed.choices


def test_the_command_is_found_after_the_data_folder_option() -> None:
    assert command_of(["--data-dir", "/tmp/x", "import", "f.casebundle"]) == "import"
    assert command_of(["--data-dir=/tmp/x", "cases"]) == "cases"
    assert command_of(["--version"]) is None
