"""Opening a case file, for the window, the command line and the tests (the foundation is ``caseapp.casefile``)."""

from __future__ import annotations

from caseapp.casefile.core import Core, open_core

__all__ = ["Core", "open_core"]
