"""Bundles that harm by their history: an old bundle replayed after local deletions, a colleague's deletions,
content changed without a trace in the bundle's history, and a case whose identifier collides with an unrelated
local case (issue "Nothing lost, nothing leaked", point 8)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from caseapp.bundle import KEEP_MINE, TAKE_THEIRS, apply_import, inspect_bundle
from caseapp.casefile import search
from caseapp.casefile.core import Core
from caseapp.errors import BundleError
from caseapp.identity import signing
from caseapp.identity.keys import MemoryKeyStore
from caseapp.services import cases, hearings
from caseapp.services.demo import demo_id
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import CASE_KEY, Trace, edit_case_json, export, rebuild

# The shared fixtures, seen by pytest in this module.
alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
bob_keys = helpers.bob_keys
case_id = helpers.case_id

NOTE_TEXT = "Le rapporteur public conclut au rejet."


def trust_alice(bob: Core, alice_keys: MemoryKeyStore) -> None:
    signer = signing.ensure_signer(alice_keys)
    signing.TrustedKeys(bob.data_dir).trust(signer.fingerprint, name="Alice", author="Bob")


def notes(core: Core, case_id: uuid.UUID) -> dict[uuid.UUID, str]:
    return {n.id: n.text for h in cases.get_case(core, case_id).hearings for n in h.notes}


def the_note(core: Core, case_id: uuid.UUID) -> uuid.UUID:
    return next(i for i, text in notes(core, case_id).items() if text == NOTE_TEXT)


def imported(core: Core, path: Path, keys: MemoryKeyStore, **options: Any) -> Any:
    return apply_import(core, inspect_bundle(core, path, keystore=keys), **options)


def test_an_old_bundle_replayed_never_brings_back_what_was_deleted_here(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    trust_alice(core, alice_keys)
    old = export(alice, case_id, tmp_path / "old.casebundle", alice_keys)
    imported(core, old, bob_keys)
    note = the_note(core, case_id)
    hearings.delete_note(core, note)
    preview = inspect_bundle(core, old, keystore=bob_keys)
    assert not preview.conflicts and not any(c.record_id == note for c in preview.additions)
    apply_import(core, preview)
    assert note not in notes(core, case_id)


def test_a_colleague_s_deletion_is_applied_when_nothing_was_changed_here(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    trust_alice(core, alice_keys)
    imported(core, export(alice, case_id, tmp_path / "v1.casebundle", alice_keys), bob_keys)
    note = the_note(alice, case_id)
    hearings.delete_note(alice, note)
    newer = export(alice, case_id, tmp_path / "v2.casebundle", alice_keys)
    preview = inspect_bundle(core, newer, keystore=bob_keys)
    assert [c.record_id for c in preview.deletions] == [note]
    apply_import(core, preview)
    assert note not in notes(core, case_id)


def test_a_colleague_s_deletion_of_something_edited_here_is_a_conflict(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    trust_alice(core, alice_keys)
    imported(core, export(alice, case_id, tmp_path / "v1.casebundle", alice_keys), bob_keys)
    note = the_note(alice, case_id)
    hearings.delete_note(alice, note)
    newer = export(alice, case_id, tmp_path / "v2.casebundle", alice_keys)
    hearings.update_note(core, note, NOTE_TEXT + " (précisé par Bob)")
    preview = inspect_bundle(core, newer, keystore=bob_keys)
    (conflict,) = [c for c in preview.conflicts if c.record_id == note]
    assert conflict.reason == "deleted_there"
    apply_import(core, preview, choices={note: KEEP_MINE})
    assert notes(core, case_id)[note].endswith("(précisé par Bob)")  # the default never loses Bob's words
    again = inspect_bundle(core, newer, keystore=bob_keys)
    assert not again.conflicts and not again.deletions  # decided once: the same bundle does not ask again


def test_taking_a_colleague_s_deletion_over_an_edit_here_deletes_it(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    trust_alice(core, alice_keys)
    imported(core, export(alice, case_id, tmp_path / "v1.casebundle", alice_keys), bob_keys)
    note = the_note(alice, case_id)
    hearings.delete_note(alice, note)
    newer = export(alice, case_id, tmp_path / "v2.casebundle", alice_keys)
    hearings.update_note(core, note, NOTE_TEXT + " (précisé par Bob)")
    preview = inspect_bundle(core, newer, keystore=bob_keys)
    apply_import(core, preview, choices={note: TAKE_THEIRS})
    assert note not in notes(core, case_id)
    assert not [hit for hit in search.search(core, "précisé par Bob") if hit.record_id == note]


def test_content_changed_without_a_trace_in_the_bundle_s_history_is_a_conflict(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    trust_alice(core, alice_keys)
    original = export(alice, case_id, tmp_path / "v1.casebundle", alice_keys)
    imported(core, original, bob_keys)
    note = the_note(core, case_id)

    def rewrite(document: dict[str, Any]) -> None:
        for row in document["records"]["hearing_notes"]:
            if row["id"] == str(note):
                row["text"] = "Le rapporteur public conclut à l'annulation."  # same version, no event says so

    forged = rebuild(original, tmp_path / "forged.casebundle", edit_case_json(rewrite))
    preview = inspect_bundle(core, forged, keystore=bob_keys)
    assert not preview.updates
    (conflict,) = [c for c in preview.conflicts if c.record_id == note]
    assert conflict.reason == "untraced"
    apply_import(core, preview, accept_unsigned=True)  # default: keep mine
    assert notes(core, case_id)[note] == NOTE_TEXT


def test_a_bundle_whose_case_collides_with_an_unrelated_case_here_is_refused(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    trust_alice(core, alice_keys)
    bundle = export(alice, case_id, tmp_path / "vsa.casebundle", alice_keys)
    mine = cases.create_case(core, title="Mon affaire sans rapport", record_id=case_id)
    assert mine.id == case_id and not mine.example
    trace = Trace(core)
    with pytest.raises(BundleError, match="not the same case"):
        inspect_bundle(core, bundle, keystore=bob_keys)
    assert trace.unchanged()
    assert cases.get_case(core, case_id).title == "Mon affaire sans rapport"


def test_two_colleagues_example_cases_are_the_same_case(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    """The example data has fixed identifiers on every machine: loaded on both sides, it is one case."""
    from caseapp.services.demo import load_demo

    load_demo(core)
    trust_alice(core, alice_keys)
    bundle = export(alice, demo_id(CASE_KEY), tmp_path / "vsa.casebundle", alice_keys)
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    apply_import(core, preview)
    assert the_note(core, case_id)


def test_two_imports_of_the_same_bundle_at_once_give_a_clear_answer(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    """Two colleagues' windows import the same bundle into the team server at the same moment: one imports it,
    the other imports nothing and says so plainly (never a raw duplicate-key error), or finds nothing left to do."""
    import threading

    from caseapp.casefile.core import open_core

    trust_alice(core, alice_keys)
    bundle = export(alice, case_id, tmp_path / "vsa.casebundle", alice_keys)
    second = open_core(data_dir=core.data_dir, author="Carole")
    try:
        previews = [inspect_bundle(c, bundle, keystore=bob_keys) for c in (core, second)]
        outcomes: list[object] = []
        barrier = threading.Barrier(2)

        def run(target: Core, preview: Any) -> None:
            barrier.wait()
            try:
                outcomes.append(apply_import(target, preview))
            except Exception as exc:  # what the person would see
                outcomes.append(exc)

        threads = [threading.Thread(target=run, args=pair) for pair in zip((core, second), previews, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(outcomes) == 2
        errors = [o for o in outcomes if isinstance(o, Exception)]
        assert all(isinstance(e, BundleError) for e in errors), errors
        assert sum(1 for o in outcomes if not isinstance(o, Exception) and o.changed) == 1
        assert the_note(core, case_id)
    finally:
        second.close()


def test_a_note_with_a_nul_written_by_an_older_version_is_not_sent(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    """Issue repro: a note containing NUL was exported, then refused by the colleague's import as a whole."""
    from sqlalchemy import update

    from caseapp.store import models as m

    note = the_note(alice, case_id)
    with alice.db.writer() as session:
        session.execute(update(m.HearingNote).where(m.HearingNote.id == note).values(text="avant\x00après"))
        session.commit()
    with pytest.raises(BundleError, match="cannot be sent") as refused:
        export(alice, case_id, tmp_path / "nul.casebundle", alice_keys)
    assert str(note) in refused.value.message and "text" in refused.value.message
    assert not (tmp_path / "nul.casebundle").exists()
