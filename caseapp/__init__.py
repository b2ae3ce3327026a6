"""CaseApp core: cases, hearings, deadlines, evidence — no Qt in here."""

from __future__ import annotations

from functools import cache


@cache
def _installed_version() -> str:
    # Looked up on first use: importlib.metadata costs tens of milliseconds at start-up, and most starts
    # never show the version.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("caseapp")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module 'caseapp' has no attribute {name!r}")
