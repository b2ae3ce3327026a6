"""The ``caseapp`` command. With no sub-command it starts the desktop application; sub-commands work headless.

Exit codes: 0 success, 1 a user error (one line on stderr), 2 bad usage.

One module per group of commands, each with its ``register(sub)``: ``cases`` (demo, cases, show, search),
``editing`` (set, note add), ``database`` (db), ``safety`` (backup, evidence, restore, audit), ``documents``
(summary, bordereau, hearing-sheet, telerecours), ``deadlines`` (deadline, rules, agenda, ics, parse-date),
``bundles`` (export, verify, import, keys), ``sync`` (checkout, checkin), ``remind`` (remind) and ``calendar``
(calendar connect, sync, repair, disconnect, status); what they share is in ``common`` (the
case file a command opens, the parser, the checks of arguments, how a hearing is named) and ``output`` (JSON, tables,
terminal-safe text). The command line sits on top: nothing below it imports it, and none of its modules imports this
one.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from caseapp.i18n import _

if TYPE_CHECKING:
    from caseapp.cli.common import Handler


def _print_version() -> None:
    import caseapp  # the version is looked up only when asked (it costs an import of importlib.metadata)

    print(f"CaseApp {caseapp.__version__}")


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        _print_version()
        parser.exit()


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command's name in ``argv`` (the first word that is not an option or ``--data-dir``'s value)."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--data-dir":
            index += 2
        elif arg.startswith("-"):
            index += 1
        else:
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or, given the command line of a command named in the catalogue, of that
    command's group only; given ``--help`` alone, the list of commands without loading any group (the groups are
    imported here, never for ``--version`` or for the window)."""
    from caseapp.cli.catalogue import GROUPS, help_of
    from caseapp.cli.common import ArgumentParser

    parser = ArgumentParser(
        prog="caseapp",
        description=_("CaseApp: cases, hearings, deadlines and evidence for French administrative litigation."),
        epilog=_("With no command, the desktop application starts."),
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help=_("show the version and exit"))
    parser.add_argument(
        "--data-dir", metavar="DIR", help=_("use this data folder (default: CASEAPP_DATA_DIR or the user data folder)")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if argv is not None and _asks_for_help(argv):  # the list of commands only: no group is loaded
        for _module, _function, commands in GROUPS:
            for name, _text in commands:
                sub.add_parser(name, help=help_of(name))
        return parser
    command = command_of(argv) if argv is not None else None
    chosen = [group for group in GROUPS if any(command == name for name, _text in group[2])] or GROUPS
    for module, function, _commands in chosen:
        getattr(importlib.import_module(f"caseapp.cli.{module}"), function)(sub)
    return parser


def _asks_for_help(argv: Sequence[str]) -> bool:
    """``caseapp [--data-dir DIR] --help`` (or ``-h``): the list of commands, which the catalogue says."""
    rest = [arg for arg in argv if not arg.startswith("--data-dir=")]
    if len(rest) == 3 and rest[0] == "--data-dir":
        rest = rest[2:]
    return rest in (["--help"], ["-h"])


def start_gui(argv: Sequence[str]) -> int:
    try:
        gui = importlib.import_module("ui.app")
    except ImportError as exc:
        print(_("The desktop interface cannot start: {reason}").format(reason=exc), file=sys.stderr)
        return 1
    return int(gui.run(list(argv)))


def _opens_a_bundle(argv: list[str]) -> bool:
    """``caseapp [--data-dir DIR] FILE.casebundle``: a file handed over by the desktop, not a command."""
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        if rest.pop(0) == "--data-dir" and rest:
            rest.pop(0)
    return bool(rest) and rest[0].lower().endswith(".casebundle")


def _only_data_dir(argv: list[str]) -> bool:
    """No command at all (at most ``--data-dir DIR``): the person wants the window, and quickly."""
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--data-dir" and rest:
            rest.pop(0)
        elif not arg.startswith("--data-dir="):
            return False
    return True


def _asks_for_the_version(argv: list[str]) -> bool:
    """``caseapp [--data-dir DIR] --version``: argparse would print the version before looking at anything that
    follows, so it is answered without building the parser (which loads every command's module). Anything less
    plain (an abbreviation, ``--help`` first) goes to the parser."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--version":
            return True
        if arg.startswith("--data-dir="):
            index += 1
        elif arg == "--data-dir" and index + 1 < len(argv) and not argv[index + 1].startswith("-"):
            index += 2
        else:
            return False
    return False


def main(argv: Sequence[str] | None = None) -> int:
    from caseapp.config import secure_process

    secure_process()  # umask 077: everything written from here on is for its owner only
    argv = list(sys.argv[1:] if argv is None else argv)
    if _only_data_dir(argv) or _opens_a_bundle(
        argv
    ):  # double-clicked in a file manager: the application opens its import preview
        for index, arg in enumerate(argv):
            if arg == "--data-dir" and index + 1 < len(argv):
                os.environ["CASEAPP_DATA_DIR"] = argv[index + 1]
            elif arg.startswith("--data-dir="):
                os.environ["CASEAPP_DATA_DIR"] = arg.split("=", 1)[1]
        # Straight to the window: building the parser would load every command's module first.
        return start_gui([arg for arg in argv if arg.lower().endswith(".casebundle")])
    if _asks_for_the_version(argv):
        _print_version()
        raise SystemExit(0)  # as argparse's exit after --version
    if _asks_for_help(argv):  # the list of commands, from the catalogue: no group, none of the commands' helpers
        try:
            build_parser(argv).print_help()
        except BrokenPipeError:  # ``caseapp --help | head``
            from caseapp.cli.output import silence_stdout

            silence_stdout()
        return 0
    # Imported here, not with this module: ``--version`` and the window need none of it.
    from caseapp.cli.common import check_arguments, close_opened
    from caseapp.cli.output import print_error, printing_never_fails, silence_stdout, terminal_safe_output
    from caseapp.errors import CaseAppError

    try:
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        check_arguments(args)
        if args.data_dir:
            os.environ["CASEAPP_DATA_DIR"] = args.data_dir
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            return start_gui(argv)
        printing_never_fails()
        with terminal_safe_output():
            return handler(args)
    except CaseAppError as exc:
        print_error(exc.message)
        if os.environ.get("CASEAPP_DEBUG") and exc.detail:
            print(exc.detail, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (``caseapp cases | head``): nothing more to say
        silence_stdout()
        return 0
    except Exception as exc:  # the last resort: one line, never a traceback (CASEAPP_DEBUG=1 shows it)
        return _unexpected(exc)
    finally:
        close_opened()
        # Everything is written and closed: what is left is the interpreter's own teardown, whose garbage
        # collections over every object a big command made (a bundle's records, SQLAlchemy's caches) took longer
        # than the work itself (0.4 s after a 1,000-exhibit merge). The system takes the memory back at once.
        gc.freeze()


def _unexpected(exc: Exception) -> int:
    """Any exception no command expected: one line on stderr and exit code 1."""
    import contextlib
    import errno

    from caseapp.cli.output import print_error
    from caseapp.textsafe import for_terminal

    if os.environ.get("CASEAPP_DEBUG"):
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exception(exc, file=sys.stderr)
    path = for_terminal(getattr(exc, "filename", None), limit=200)
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        message = _("A path is too long for this system: “{path}”.").format(path=path)
    elif isinstance(exc, OSError) and path:
        message = _("{reason}: “{path}”.").format(reason=exc.strerror or exc, path=path)
    elif isinstance(exc, OSError):
        message = str(exc.strerror or exc)
    else:
        message = _("Something unexpected went wrong ({kind}: {detail}). Set CASEAPP_DEBUG=1 to see the details.")
        message = message.format(kind=type(exc).__name__, detail=for_terminal(exc, limit=200))
    print_error(for_terminal(message, limit=600))
    return 1
