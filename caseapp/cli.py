"""The ``caseapp`` command. With no sub-command it starts the desktop application; sub-commands work headless.

Exit codes: 0 success, 1 a user error (one line on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import importlib
import json
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

from caseapp.errors import CaseAppError
from caseapp.i18n import _, current_language
from caseapp.textsafe import for_terminal, json_for_terminal

Handler = Callable[[argparse.Namespace], int]


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | date | datetime | Path):
        return str(value) if not isinstance(value, date | datetime) else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def emit_json(data: Any) -> None:
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        data = dataclasses.asdict(data)
    elif isinstance(data, list):
        data = [dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item for item in data]  # type: ignore[arg-type]
    text = json.dumps(data, default=_json_default, ensure_ascii=False, indent=2)
    sys.stdout.write(json_for_terminal(text) + "\n")  # still the same JSON, inert on a terminal


_opened: list[Any] = []  # the cores a command opened, closed when it ends


def open_core(args: argparse.Namespace) -> Any:
    """The case file for a command; ``main`` closes it when the command ends (a core left open looks, to the
    next start, like a process that crashed: it then searches the evidence store for orphaned files)."""
    from caseapp.casefile.core import open_core as _open

    core = _open(data_dir=Path(args.data_dir) if args.data_dir else None, daily_backup=True)
    _opened.append(core)
    for warning in core.db.warnings:
        print(_("Warning: {message}").format(message=for_terminal(warning, multiline=True)), file=sys.stderr)
    return core


def _close_opened() -> None:
    while _opened:
        core = _opened.pop()
        with contextlib.suppress(Exception):  # closing is best effort; what a command wrote is committed
            core.close()


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked (it costs an import of importlib.metadata)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        import caseapp

        print(f"CaseApp {caseapp.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from caseapp import commands, commands_deadlines, commands_safety
    from caseapp.bundle import cli as bundle_cli

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
    commands.register(sub)
    importlib.import_module("caseapp.reports.cli").register(sub)
    commands_deadlines.register(sub)
    commands_safety.register(sub)
    bundle_cli.register(sub)
    return parser


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
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        check_arguments(args)
        if args.data_dir:
            os.environ["CASEAPP_DATA_DIR"] = args.data_dir
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            return start_gui(argv)
        _printing_never_fails()
        with terminal_safe_output():
            return handler(args)
    except CaseAppError as exc:
        _print_error(exc.message)
        if os.environ.get("CASEAPP_DEBUG") and exc.detail:
            print(exc.detail, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (``caseapp cases | head``): nothing more to say
        _silence_stdout()
        return 0
    except Exception as exc:  # the last resort: one line, never a traceback (CASEAPP_DEBUG=1 shows it)
        return _unexpected(exc)
    finally:
        _close_opened()


# --- hostile input: arguments, numbers, paths, and whatever else goes wrong ---------------------------------

# Arguments that name files: their bytes may be anything the file system allows (a Latin-1 name arrives as
# lone surrogates and is given back to the system as the same bytes). Every other argument is text.
PATH_ARGUMENTS = frozenset({"data_dir", "path", "output", "file", "passphrase_file", "identity", "export", "key"})
_SURROGATES = re.compile("[\ud800-\udfff]")
ERROR_LIMIT = 4000  # characters of an error message: a 100 KB argument quoted in it is cut


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with its error messages made safe for a terminal (it quotes an unrecognised argument as typed,
    escape sequences included); the sub-command parsers inherit it."""

    def error(self, message: str) -> NoReturn:
        super().error(for_terminal(message, limit=400))


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number from ``low`` to ``high``: anything else is a usage error (exit 2)
    rather than an overflow somewhere inside (``--days 100000000000000000000``)."""

    def whole_number(text: str) -> int:
        try:
            value = int(text) if len(text.strip()) <= 20 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("“{value}” is not a whole number from {low} to {high}").format(
                    value=for_terminal(text, limit=40), low=low, high=high
                )
            )
        return value

    return whole_number


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse, with one sentence, a text argument that is not valid UTF-8 (it arrives as lone surrogates, which
    no database or terminal takes) and a path no file system can hold (a NUL character)."""
    from caseapp.errors import InvalidInput
    from caseapp.outputs import as_path

    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                continue
            if name in PATH_ARGUMENTS:
                as_path(item)
            elif "\x00" in item or _SURROGATES.search(item):
                raise InvalidInput(
                    _("The argument {name} “{value}” is not valid UTF-8 text.").format(
                        name=name.replace("_", "-").upper(), value=for_terminal(item, limit=80)
                    )
                )


def _print_error(message: str) -> None:
    with contextlib.suppress(Exception):  # stderr itself may be closed
        shown = for_terminal(message, multiline=True, limit=ERROR_LIMIT)
        print(_("Error: {message}").format(message=shown), file=sys.stderr)


def _printing_never_fails() -> None:
    """Text the commands print that the terminal's encoding cannot show comes out escaped, never as a crash
    halfway through the output."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


class _TerminalSafe:
    """A text stream that shows what a terminal would act on (escape sequences, carriage returns, bidi
    overrides, lone surrogates) as visible escapes (``textsafe``); newlines and tabs pass."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text, multiline=True))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_safe_output() -> Iterator[None]:
    """While a command runs, everything it prints goes through ``textsafe``: the commands quote data through
    ``for_terminal`` themselves (one-line values keep to one line), and this catches whatever one forgot."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at the null device, so that the interpreter's last flush does not
    complain about the pipe in its turn."""
    if sys.stdout is not sys.__stdout__:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())


def _unexpected(exc: Exception) -> int:
    """Any exception no command expected: one line on stderr and exit code 1."""
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
    _print_error(for_terminal(message, limit=600))
    return 1


def language() -> str:
    return current_language()


if __name__ == "__main__":  # python -m caseapp.cli: run the module the commands import, not a second copy of it
    from caseapp.cli import main as imported_main

    raise SystemExit(imported_main())
