"""What the commands print: JSON, tables, days and moments, and the guard that keeps a terminal safe from the data.

Everything printed goes through ``textsafe``: the commands quote data through ``for_terminal`` themselves (one-line
values keep to one line), and ``terminal_safe_output`` catches whatever one forgot.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.i18n import _, current_language
from caseapp.textsafe import for_terminal, json_for_terminal

if TYPE_CHECKING:
    from caseapp.domain.enums import LabelledEnum

ERROR_LIMIT = 4000  # characters of an error message: a 100 KB argument quoted in it is cut


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


def day(value: date | None) -> str:
    if value is None:
        return "—"
    if current_language() != "fr":
        return value.isoformat()
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # strftime pads no year below 1000


def moment(value: datetime) -> str:
    """A stored moment in Paris time; one at the very edge of the calendar (stored by an older version) is
    shown unconverted (``dates.to_paris``) rather than crash the display of the whole case."""
    from caseapp.dates import to_paris

    local = to_paris(value)
    return f"{day(local.date())} {local.hour:02d}:{local.minute:02d}"


def labelled(name: str, value: str) -> str:
    """ "Name: value", with the space French puts before the colon ("Requérant : La Quadrature du Net")."""
    return _("{label}: {value}").format(label=name, value=value)


def label(enum_cls: type[LabelledEnum], value: str | None) -> str:
    return enum_cls(value).label(current_language()) if value else "—"


def table(rows: list[list[str]], headers: list[str]) -> None:
    # titles and names are data: never escape codes (a printable row, nearly all of them, needs no closer look)
    rows = [
        cells if "".join(cells).isprintable() else [c if c.isprintable() else for_terminal(c) for c in cells]
        for cells in ([*map(str, row)] for row in rows)
    ]
    widths = [max(map(len, column)) for column in zip(headers, *rows, strict=False)]
    widths[-1] = last = min(widths[-1], 70)  # only the last column (the title) is ever cut
    line = "  ".join(f"{{:<{width}}}" for width in widths[:-1]) + "  {}"
    lines = [line.format(*headers[:-1], headers[-1][:last]).rstrip()]
    for *first, tail in rows:
        lines.append(line.format(*first, tail if len(tail) <= last else tail[: last - 1] + "…").rstrip())
    print("\n".join(lines))  # one write: the terminal-safe stream looks at each (10,000 cases: 20,000 writes)


def print_error(message: str) -> None:
    with contextlib.suppress(Exception):  # stderr itself may be closed
        shown = for_terminal(message, multiline=True, limit=ERROR_LIMIT)
        print(_("Error: {message}").format(message=shown), file=sys.stderr)


def printing_never_fails() -> None:
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
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def silence_stdout() -> None:
    """After a closed pipe, point stdout at the null device, so that the interpreter's last flush does not
    complain about the pipe in its turn."""
    if sys.stdout is not sys.__stdout__ or sys.stdout is None:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
