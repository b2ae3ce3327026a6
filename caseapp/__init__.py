"""CaseApp core: cases, hearings, deadlines, evidence — no Qt in here."""

from __future__ import annotations

from functools import cache


def _dist_info_version() -> str | None:
    """The version in the name of the installed ``caseapp-VERSION.dist-info`` folder (the first on ``sys.path``,
    as importlib.metadata finds it): listing a few folders, where importing importlib.metadata takes ~0.1 s —
    most of ``caseapp --version``."""
    import os
    import sys

    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("caseapp-") and name.endswith(".dist-info"):
                return name[len("caseapp-") : -len(".dist-info")]
    return None


@cache
def _installed_version() -> str:
    # Looked up on first use: most starts never show the version.
    found = _dist_info_version()
    if found:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("caseapp")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module 'caseapp' has no attribute {name!r}")
