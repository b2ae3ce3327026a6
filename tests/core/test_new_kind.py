"""A new kind of record, described once, is carried everywhere: the acceptance test of "one description per kind".

A test-only kind (a hearing's witnesses, with a ``statement`` field) is declared in a separate process — a model,
its table and its description in ``caseapp.casefile.kinds``, nothing else — and then: the field's label names it in
messages, the generic services create and edit it, an undo carries the field, search finds its text, a case bundle
carries it to a colleague, and a colleague's later edit of the field merges in (an edit on both sides is a
conflict on it). No other file of CaseApp is told about the new kind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import sys, uuid
from pathlib import Path
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.store import models as m


class Witness(m.Edited):  # the new kind's model (a real migration in real life)
    __tablename__ = "witnesses"
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str | None] = mapped_column(Text)


from caseapp.casefile import fields as f, kinds, records
from caseapp.casefile.search import index_record


def index(session, witness):
    index_record(session, "witness", witness.id, witness.case_id, witness.name, witness.statement)


WITNESS = kinds.RecordKind(  # ... and its one description
    entity="witness",
    table="witnesses",
    model=Witness,
    label="witness",
    fields={
        "name": kinds.Field(f.text(200, required=True), "witness's name"),
        "statement": kinds.Field(f.long_text(), "witness statement"),
    },
    describe=lambda w: kinds.value(w, "name"),
    index=index,
    bundle=kinds.BundleRule(fixed=("case_id",)),
)
kinds.register(WITNESS, after="hearing_notes")
KIND = records.Kind(WITNESS)

from caseapp.bundle import KEEP_MINE, apply_import, export_bundle, inspect_bundle
from caseapp.identity.keys import MemoryKeyStore
from caseapp.domain.fields import field_label
from caseapp.errors import InvalidInput
from caseapp.casefile.search import search
from caseapp.services import cases
from caseapp.services.core import open_core
from caseapp.services.editing import values_of

root = Path(sys.argv[1])


def core_at(name, author):
    core = open_core(data_dir=root / name, author=author)
    m.Base.metadata.create_all(core.db.engine, tables=[Witness.__table__])
    return core


alice, bob = core_at("alice", "Alice"), core_at("bob", "Bob")
case = cases.create_case(alice, title="Lycées")

# labels: a refusal names the new field by the label its description gives
try:
    records.create(alice, KIND, {"name": "", "statement": "x"}, case_id=case.id)
except InvalidInput as exc:
    assert "witness's name" in exc.message, exc.message
witness_id = records.create(alice, KIND, {"name": "Mme Martin", "statement": "J'ai vu les caméras"}, case_id=case.id)
records.update(alice, KIND, witness_id, {"statement": "J'ai vu les caméras à l'entrée"}, expected_version=None)

# undo: what an undo restores carries the field
with alice.db.reader() as session:
    stored = session.get(Witness, witness_id)
    assert values_of("witness", stored) == {"name": "Mme Martin", "statement": "J'ai vu les caméras à l'entrée"}

# search finds the new field's text
assert [hit.record_id for hit in search(alice, "caméras")] == [witness_id]

# a bundle carries it to a colleague
keys = MemoryKeyStore()
pdf = lambda detail, out: out.write(b"%PDF-1.4\n%%EOF\n")
first = root / "v1.casebundle"
export_bundle(alice, case.id, first, keystore=keys, sign=False, pdf_renderer=pdf)
apply_import(bob, inspect_bundle(bob, first, keystore=MemoryKeyStore()), accept_unsigned=True)
with bob.db.reader() as session:
    assert session.get(Witness, witness_id).statement == "J'ai vu les caméras à l'entrée"
assert [hit.record_id for hit in search(bob, "caméras")] == [witness_id]

# a later edit of the field merges in...
records.update(alice, KIND, witness_id, {"statement": "Elle a vu les caméras"}, expected_version=None)
second = root / "v2.casebundle"
export_bundle(alice, case.id, second, keystore=keys, sign=False, pdf_renderer=pdf)
preview = inspect_bundle(bob, second, keystore=MemoryKeyStore())
assert [c.fields for c in preview.updates] == [("statement",)], preview.updates
apply_import(bob, preview, accept_unsigned=True)
with bob.db.reader() as session:
    assert session.get(Witness, witness_id).statement == "Elle a vu les caméras"

# ... and an edit on both sides is a conflict, the default keeping ours
records.update(alice, KIND, witness_id, {"statement": "Version d'Alice"}, expected_version=None)
records.update(bob, KIND, witness_id, {"statement": "Version de Bob"}, expected_version=None)
third = root / "v3.casebundle"
export_bundle(alice, case.id, third, keystore=keys, sign=False, pdf_renderer=pdf)
preview = inspect_bundle(bob, third, keystore=MemoryKeyStore())
assert [c.record_id for c in preview.conflicts] == [witness_id], preview.conflicts
apply_import(bob, preview, accept_unsigned=True, choices={witness_id: KEEP_MINE})
with bob.db.reader() as session:
    assert session.get(Witness, witness_id).statement == "Version de Bob"
assert field_label("statement") == "witness statement"
print("ok")
"""


def test_a_kind_described_once_travels_everywhere(tmp_path: Path) -> None:
    env = os.environ | {"CASEAPP_LANG": "en", "CASEAPP_AUTHOR": "Tester"}
    env.pop("CASEAPP_DB_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stdout + result.stderr


def test_a_column_added_to_a_read_model_is_filled_without_touching_the_loaders() -> None:
    """The loaders fill a read model from the record's same-named columns: adding ``interpreter`` to hearings
    is the model, the migration, the kind's field and the view's field — the loader needs nothing."""
    import dataclasses
    import uuid
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from caseapp.casefile import loaders, views
    from caseapp.domain.enums import HearingKind, HearingStatus

    @dataclasses.dataclass(frozen=True)
    class HearingWithInterpreter(views.HearingView):
        interpreter: str | None = None

    record = SimpleNamespace(
        id=uuid.uuid4(),
        case_id=uuid.uuid4(),
        starts_at=datetime(2026, 12, 8, 9, 30, tzinfo=UTC),
        court="Tribunal administratif de Marseille",
        room="Salle 2",
        kind=HearingKind.URGENT,
        status=HearingStatus.SCHEDULED,
        outcome=None,
        urgent=True,
        version=3,
        interpreter="Mme Rossi",
    )
    view = loaders.filled(HearingWithInterpreter, record, notes=())
    assert view.interpreter == "Mme Rossi"
    assert view.kind == HearingKind.URGENT.value and view.status == HearingStatus.SCHEDULED.value
    assert view.room == "Salle 2" and view.version == 3
