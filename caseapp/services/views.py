"""The read models the services return, for the window and the command line (defined in ``caseapp.casefile``)."""

from __future__ import annotations

from caseapp.casefile import views as _views
from caseapp.casefile.views import *  # noqa: F403 (the application layer's contract with its callers)

__all__ = [name for name in vars(_views) if name[:1].isupper() and not name.startswith("_")]
