"""PySide6 reads the source of every module imported after it; this gives it the same answer for less.

Why it reads them: its ``__feature__`` switches (``snake_case``, ``true_property``) are chosen per module, and each
module's default is set when it is first imported: "no feature" if its text names PySide6, "ignore this module"
otherwise (PYSIDE-2029). It finds that out with ``inspect.getsource``, which goes through ``linecache`` and
``tokenize`` and keeps every file's lines in memory: some 300 modules by the time the agenda shows its data (the
worker imports SQLAlchemy then), tens of milliseconds of every start.

``read_sources_plainly`` puts in its place a check that searches the module's ``.py`` file for the same word, read
as bytes. A module it cannot read that way (no ``.py`` file: compiled only, built in, in a zip) goes to PySide6's
own check. With a PySide6 that has no such check, it does nothing. CaseApp uses no ``__feature__``.
"""

from __future__ import annotations

import sys
from types import ModuleType

_WORD = b"PySide6"


def read_sources_plainly() -> bool:
    """Install the plain check, once; False if this PySide6 has no check to replace (or it is already done)."""
    support = sys.modules.get("shibokensupport.feature")
    check = getattr(support, "_mod_uses_pyside", None)
    if support is None or not callable(check) or getattr(check, "plain", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return _WORD in source.read()
            except OSError:  # as PySide6's own check answers for a source it cannot read
                return False
        return bool(check(module))

    uses_pyside.plain = True  # type: ignore[attr-defined]
    support._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True
