"""What every group of commands shares: the case file a command opens, the argument parser, the checks of
hostile arguments (numbers, paths, text that is not UTF-8) and how a hearing is named on the command line."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from caseapp.cli import parser_text
from caseapp.i18n import _
from caseapp.textsafe import for_terminal

if TYPE_CHECKING:
    import uuid

    from caseapp.casefile.core import Core

Handler = Callable[[argparse.Namespace], int]

# Arguments that name files: their bytes may be anything the file system allows (a Latin-1 name arrives as
# lone surrogates and is given back to the system as the same bytes). Every other argument is text.
PATH_ARGUMENTS = frozenset({"data_dir", "path", "output", "file", "passphrase_file", "identity", "export", "key"})
_SURROGATES = re.compile("[\ud800-\udfff]")
HEX = re.compile(r"^[0-9a-fA-F-]+$")  # an identifier or a prefix of it, dashes allowed
MIN_PREFIX = 6  # the fewest characters of an identifier that name a record

_opened: list[Any] = []  # the cores a command opened, closed when it ends


def open_core(args: argparse.Namespace) -> Any:
    """The case file for a command; ``main`` closes it when the command ends (a core left open looks, to the
    next start, like a process that crashed: it then searches the evidence store for orphaned files)."""
    from caseapp.casefile.core import open_core as _open

    core = _open(data_dir=Path(args.data_dir) if args.data_dir else None, daily_backup=True)
    _opened.append(core)
    # What the command imported to get here (SQLAlchemy, the tables, the read models: some 100,000 objects) lives
    # until it ends. Set aside from the cyclic garbage collector (as ``main`` does at the end, and the window once
    # its first screens are filled), it is not walked again at each collection while the command builds its rows:
    # ``caseapp cases`` at 10,000 cases takes 90 ms less, ``caseapp agenda`` 75.
    import gc

    gc.freeze()
    for warning in core.db.warnings:
        print(_("Warning: {message}").format(message=for_terminal(warning, multiline=True)), file=sys.stderr)
    return core


def close_opened() -> None:
    while _opened:
        core = _opened.pop()
        with contextlib.suppress(Exception):  # closing is best effort; what a command wrote is committed
            core.close()


parser_text.install()  # argparse's own words ("usage:", its errors) in the interface's language


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with its error messages made safe for a terminal (it quotes an unrecognised argument as typed,
    escape sequences included); the sub-command parsers inherit it."""

    epilog_from: Callable[[], str] | None = None  # an epilog worked out only when the help is shown

    def error(self, message: str) -> NoReturn:
        super().error(for_terminal(message, limit=400))

    def format_help(self) -> str:
        if self.epilog_from is not None:  # e.g. a list read from modules too heavy to load for every command
            self.epilog = self.epilog_from()
        return super().format_help()


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


def resolve_hearing(core: Core, ref: str) -> uuid.UUID:
    """Find a hearing by its UUID or by a unique prefix of it (at least 6 characters)."""
    import uuid

    from sqlalchemy import String, cast, func, select

    from caseapp.casefile.uow import reading
    from caseapp.errors import InvalidInput, NotFound
    from caseapp.store import models as m

    ref = ref.strip()
    if not ref:
        raise InvalidInput(_("Say which hearing: give its identifier."))
    with reading(core) as session:
        try:
            full: uuid.UUID | None = uuid.UUID(ref)
        except ValueError:
            full = None
        if full is not None:
            if session.get(m.Hearing, full) is None:
                raise NotFound(_("No hearing with the identifier {id}.").format(id=ref))
            return full
        prefix = ref.replace("-", "").lower()
        if not HEX.match(ref) or len(prefix) < MIN_PREFIX:
            raise InvalidInput(
                _("“{ref}” is not a hearing identifier: give the identifier or its first 6 characters or more.").format(
                    ref=ref
                )
            )
        matches = list(
            session.scalars(
                select(m.Hearing.id)
                .where(func.replace(cast(m.Hearing.id, String), "-", "").like(prefix + "%"))
                .limit(2)
            )
        )
    if len(matches) > 1:
        raise InvalidInput(
            _("“{ref}” matches several hearings: give more characters of the identifier.").format(ref=ref)
        )
    if not matches:
        raise NotFound(_("No hearing matches “{ref}”.").format(ref=ref))
    return matches[0]
