"""A digest of everything that decides a computed deadline — the rules, the route matrix, the engine's version —
so a case file can tell that its deadlines were computed by another version of CaseApp."""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from typing import Any

STATE_KEY = "deadline_rules"
# Raise when the counting itself changes (not only the data): every case file then reviews its deadlines.
ENGINE_VERSION = "2"


def rules_fingerprint() -> str:
    from caseapp.domain.deadline_rules import RULES
    from caseapp.domain.routes import MATRIX

    rules = [
        {k: v for k, v in sorted(_fields_of(rule).items()) if k not in ("note_fr", "note_en", "label_en")}
        for rule in sorted(RULES.values(), key=lambda r: r.id)
    ]
    matrix = sorted(
        [level.value, nature.value, matter.value if matter else "", [_fields_of(route) for route in routes]]
        for (level, nature, matter), routes in MATRIX.items()
    )
    payload = json.dumps([ENGINE_VERSION, rules, matrix], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields_of(record: Any) -> dict[str, Any]:
    """A rule's or a route's fields by name. Their values are plain (text, numbers, booleans, None), so this is what
    ``dataclasses.asdict`` gives, without its deep copy: the digest is the same, and ``caseapp agenda`` pays a third
    of what it did. A field holding a record or a list would change that: it is refused, not digested differently."""
    values = {item.name: getattr(record, item.name) for item in fields(record)}
    for name, value in values.items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise TypeError(f"{type(record).__name__}.{name} is not a plain value: the fingerprint needs asdict here")
    return values
