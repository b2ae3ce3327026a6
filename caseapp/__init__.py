"""CaseApp core: cases, hearings, deadlines, evidence — no Qt in here."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("caseapp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
