"""Random edits on both sides of a real exchange, through the services and real bundles.

Alice and Bob start from the same case (Bob imported Alice's bundle). Round after round, each edits a few random
fields of the case and of one of its filings, then one of them imports the other's new bundle (conflicts decided at
random, per field). After every import, for every field:

- edited by the sender only since they last exchanged → the sender's value arrived, without a conflict;
- edited by the importer only → the importer's value stayed;
- edited by both to different values → exactly one conflict for that field, and the decision was applied.

The oracle is plain bookkeeping of who edited what since the two last agreed on the field; it never reads the
histories the merge reads.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

import pytest

from caseapp.bundle import apply_import, inspect_bundle
from caseapp.casefile.core import Core
from caseapp.identity.keys import MemoryKeyStore
from caseapp.services import cases, filings
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import export

alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
bob_keys = helpers.bob_keys
case_id = helpers.case_id

CASE_FIELDS = ("court_number", "summary", "reference", "subject")
FILING_FIELDS = ("summary", "reference")
WORDS = ("requête", "référé", "mémoire", "délibéré", "Région", "CNIL", "audience", "pièce", "greffe", "Télérecours")


def _values(core: Core, case: uuid.UUID, filing: uuid.UUID) -> dict[tuple[str, str], Any]:
    detail = cases.get_case(core, case)
    item = next(f for f in detail.filings if f.id == filing)
    return {("case", n): getattr(detail, n) for n in CASE_FIELDS} | {
        ("filing", n): getattr(item, n) for n in FILING_FIELDS
    }


def _edit(core: Core, case: uuid.UUID, filing: uuid.UUID, rng: random.Random) -> set[tuple[str, str]]:
    """A few random fields changed to new random values; which ones."""
    changed: set[tuple[str, str]] = set()
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(("case", "filing"))
        name = rng.choice(CASE_FIELDS if kind == "case" else FILING_FIELDS)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) + f" {rng.randint(1, 10**6)}"
        if kind == "case":
            value = str(rng.randint(1_000_000, 9_999_999)) if name == "court_number" else text
            cases.update_case(core, case, **{name: value})
        else:
            filings.update_filing(core, filing, **{name: text})
        changed.add((kind, name))
    return changed


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_on_both_sides_lose_nothing_and_conflict_exactly_where_both_changed(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    bob = helpers.open_sqlite_core(tmp_path / "bob", "Bob")
    try:
        first = export(alice, case_id, tmp_path / "start.casebundle", alice_keys, sign=False)
        apply_import(bob, inspect_bundle(bob, first, keystore=bob_keys), accept_unsigned=True)
        filing = sorted(cases.get_case(alice, case_id).filings, key=lambda f: str(f.id))[0].id
        sides = {"alice": alice, "bob": bob}
        keys = {"alice": alice_keys, "bob": bob_keys}
        pending: dict[str, set[tuple[str, str]]] = {"alice": set(), "bob": set()}  # edited since last agreeing
        for round_ in range(8):
            for name, core in sides.items():
                if rng.random() < 0.8:
                    pending[name] |= _edit(core, case_id, filing, rng)
            sender, importer = rng.sample(sorted(sides), 2)
            path = export(sides[sender], case_id, tmp_path / f"r{round_}.casebundle", keys[sender], sign=False)
            theirs = _values(sides[sender], case_id, filing)
            mine = _values(sides[importer], case_id, filing)
            preview = inspect_bundle(sides[importer], path, keystore=keys[importer])
            conflicts = {
                ("case" if change.table == "cases" else "filing", field): change.record_id
                for change in preview.conflicts
                for field in change.conflicting
            }
            both = {f for f in pending[sender] & pending[importer] if theirs[f] != mine[f]}
            assert set(conflicts) == both, (round_, sender, importer, conflicts, pending)
            choices = {(record, field[1]): rng.choice(("mine", "theirs")) for field, record in conflicts.items()}
            apply_import(sides[importer], preview, accept_unsigned=True, choices=choices)
            after = _values(sides[importer], case_id, filing)
            for field in theirs:
                if field in both:
                    chosen = choices[(conflicts[field], field[1])]
                    expected = theirs[field] if chosen == "theirs" else mine[field]
                elif field in pending[sender] and field not in pending[importer]:
                    expected = theirs[field]
                else:
                    expected = mine[field]
                assert after[field] == expected, (round_, field, after[field], expected)
            # What the importer holds now, the sender held or will get: the importer's pending edits stay his;
            # the sender's arrived, so the pair agree on those fields until one of them edits again.
            for field in theirs:
                if after[field] == theirs[field]:
                    pending[sender].discard(field)
                    pending[importer].discard(field)
                elif field in both:  # kept mine: a decision newer than the sender's edit
                    pending[sender].discard(field)
                    pending[importer].add(field)
    finally:
        bob.close()
