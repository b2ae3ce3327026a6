"""A digest of everything that decides a computed deadline — the rules, the route matrix, the engine's version —
so a case file can tell that its deadlines were computed by another version of CaseApp."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

STATE_KEY = "deadline_rules"
# Raise when the counting itself changes (not only the data): every case file then reviews its deadlines.
ENGINE_VERSION = "2"


def rules_fingerprint() -> str:
    from caseapp.domain.deadline_rules import RULES
    from caseapp.domain.routes import MATRIX

    rules = [
        {k: v for k, v in sorted(asdict(rule).items()) if k not in ("note_fr", "note_en", "label_en")}
        for rule in sorted(RULES.values(), key=lambda r: r.id)
    ]
    matrix = sorted(
        [level.value, nature.value, matter.value if matter else "", [asdict(route) for route in routes]]
        for (level, nature, matter), routes in MATRIX.items()
    )
    payload = json.dumps([ENGINE_VERSION, rules, matrix], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
