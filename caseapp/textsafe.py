"""Text made safe to print on a terminal, whatever it holds.

Anything CaseApp prints that it did not write itself — a case title, a note, a bundle's ``exported_by``, a
colleague's name on a key card, a path typed on the command line — may carry characters a terminal acts on
instead of showing: ESC and CSI start escape sequences (clear the screen, move the cursor, rewrite a line, set
the window title), a carriage return or a line separator lets the rest of a line overwrite or fake the next
one, bidirectional overrides (U+202E…) reorder what the eye reads, and a lone surrogate (a file name in
Latin-1 read as UTF-8, a broken bundle) makes ``print`` itself fail.

``for_terminal`` shows each of them as its Python escape (``\\x1b``, ``\\u202e``, ``\\udce9``): visible,
inert, and still telling what was there. Everything else — accents, no-break spaces, emoji, tabs — is kept.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates, line and paragraph separators, and the
# bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_ONE_LINE = re.compile(_UNSAFE.pattern.replace("\x0b-\x1f", "\n-\x1f", 1))
# The characters JSON leaves as they are (ensure_ascii=False) but a terminal would act on.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """``text`` (None gives "") with every character a terminal would act on shown as its escape.

    A newline is kept only when ``multiline`` is true (a note, a multi-line message); in a one-line value (a
    title, a name, a path) it is shown as ``\\n``, so that a value can never fake a line of its own.
    ``limit`` cuts the result to that many characters, ending with "…" (a 100 KB path in a message).
    """
    if text is None:
        return ""
    shown = str(text)
    # What a terminal acts on is all unprintable: most text needs no closer look. Text of several lines is looked
    # at without its newlines and tabs first (a 10,000-row table: 1 ms, where the search for escapes took 12).
    if not shown.isprintable() and not (multiline and shown.replace("\n", "").replace("\t", "").isprintable()):
        shown = (_UNSAFE if multiline else _UNSAFE_ONE_LINE).sub(_escape, shown)
    if limit is not None and len(shown) > limit:
        shown = shown[: max(limit - 1, 0)] + "…"
    return shown


def json_for_terminal(text: str) -> str:
    """JSON text with the characters JSON would leave raw (C1 controls, separators, bidi controls, lone
    surrogates) written as ``\\uXXXX`` escapes: still the same JSON, and inert on a terminal."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
