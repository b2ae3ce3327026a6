"""The ``caseapp`` command. With no sub-command it starts the desktop application; sub-commands work headless.

Exit codes: 0 success, 1 a user error (one line on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import json
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from caseapp.errors import CaseAppError
from caseapp.i18n import _, current_language

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
    json.dump(data, sys.stdout, default=_json_default, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


_opened: list[Any] = []  # the cores a command opened, closed when it ends


def open_core(args: argparse.Namespace) -> Any:
    """The case file for a command; ``main`` closes it when the command ends (a core left open looks, to the
    next start, like a process that crashed: it then searches the evidence store for orphaned files)."""
    from caseapp.services.core import open_core as _open

    core = _open(data_dir=Path(args.data_dir) if args.data_dir else None, daily_backup=True)
    _opened.append(core)
    for warning in core.db.warnings:
        print(_("Warning: {message}").format(message=warning), file=sys.stderr)
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

    parser = argparse.ArgumentParser(
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        os.environ["CASEAPP_DATA_DIR"] = args.data_dir
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return start_gui(argv)
    try:
        return handler(args)
    except CaseAppError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        if os.environ.get("CASEAPP_DEBUG") and exc.detail:
            print(exc.detail, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    finally:
        _close_opened()


def language() -> str:
    return current_language()


if __name__ == "__main__":  # python -m caseapp.cli: run the module the commands import, not a second copy of it
    from caseapp.cli import main as imported_main

    raise SystemExit(imported_main())
