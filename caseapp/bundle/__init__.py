"""Case bundles: export a case to a ``.casebundle`` file, verify one, import one — signed, optionally encrypted,
and safe against hostile files. See ``format`` for what a bundle holds.

- ``export_bundle(core, case_id, target, …) -> ExportReport``
- ``inspect_bundle(core, path, …) -> ImportPreview`` (verifies everything, writes nothing)
- ``apply_import(core, preview, choices=…, accept_unsigned=…) -> ImportReport`` (one transaction)
- ``crypt`` (age encryption); the keys, fingerprints and trusted colleagues are ``caseapp.identity``, the
  commands ``caseapp.cli.bundles`` and the user actions ``caseapp.services.bundles``

The names above are imported on first use, so that registering the commands costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseapp.bundle.export import ExportReport, export_bundle
    from caseapp.bundle.importer import ImportPreview, ImportReport, apply_import, inspect_bundle
    from caseapp.bundle.merge import KEEP_MINE, TAKE_THEIRS

_LAZY = {
    "ExportReport": "caseapp.bundle.export",
    "export_bundle": "caseapp.bundle.export",
    "ImportPreview": "caseapp.bundle.importer",
    "ImportReport": "caseapp.bundle.importer",
    "apply_import": "caseapp.bundle.importer",
    "inspect_bundle": "caseapp.bundle.importer",
    "KEEP_MINE": "caseapp.bundle.merge",
    "TAKE_THEIRS": "caseapp.bundle.merge",
}

__all__ = [
    "KEEP_MINE",
    "TAKE_THEIRS",
    "ExportReport",
    "ImportPreview",
    "ImportReport",
    "apply_import",
    "export_bundle",
    "inspect_bundle",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
