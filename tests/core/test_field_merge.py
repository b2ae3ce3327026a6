"""The three-way merge of a record's fields, tried on random histories.

Two colleagues hold copies of one record. Each edits fields at random and, now and then, imports the other's
bundle (the other's events are copied, conflicts are decided either way, and each decision is an event). For
every import, what ``merge_fields`` decides (from the two histories) is compared with an oracle that never reads
them — plain bookkeeping of the value both last held for each field (the last value they agreed on, or the
sender's value the importer saw and overrode), and of which side moved away from it (an edit and its undo move
nothing):

- a field only the sender moved → the bundle's value is taken;
- a field only the importer moved → the importer's value stays;
- a field both moved (to values that now differ) → a conflict, with a base.

So no edit made on one side only is ever lost, and conflicts appear exactly where both sides changed a field.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from caseapp.bundle.fieldmerge import BOTH, MINE, THEIRS, UNKNOWN, UNTRACED, Edit, merge_fields, same

FIELDS = ("court_number", "summary", "status", "room")
INITIAL = {"court_number": "2000001", "summary": "Recours", "status": "open", "room": None}  # room: not set


@dataclass
class Replica:
    values: dict[str, Any]
    events: list[Edit] = field(default_factory=list)
    # The oracle: for each field, the changes its value stands on (all it has seen, or, after adopting another's
    # version in a conflict, exactly what that other stood on).
    history: dict[str, set[uuid.UUID]] = field(default_factory=dict)


@dataclass
class World:
    clock: itertools.count = field(default_factory=lambda: itertools.count(1))
    when: dict[uuid.UUID, int] = field(default_factory=dict)  # real time of each event
    value_after: dict[tuple[uuid.UUID, str], Any] = field(default_factory=dict)
    agreed: dict[str, Any] = field(default_factory=dict)  # the oracle: each field's value when the two last agreed

    def event(self, replica: Replica, action: str, changes: dict[str, Any]) -> Edit:
        edit = Edit(uuid.uuid4(), len(replica.events), action, changes)
        self.when[edit.id] = next(self.clock)
        for name in changes:
            self.value_after[(edit.id, name)] = edit.after(name)
            replica.history.setdefault(name, set()).add(edit.id)
        replica.events.append(edit)
        return edit


def start(count: int) -> tuple[World, list[Replica]]:
    world = World()
    first = Replica(dict(INITIAL))
    world.event(first, "create", {k: v for k, v in INITIAL.items() if v is not None})
    others = [
        Replica(dict(INITIAL), list(first.events), {k: set(v) for k, v in first.history.items()})
        for _ in range(count - 1)
    ]
    return world, [first, *others]


def edit(world: World, replica: Replica, name: str, value: str) -> None:
    old = replica.values[name]
    if old == value:
        return
    world.event(replica, "update", {name: [old, value]})
    replica.values[name] = value


def sync(world: World, source: Replica, target: Replica, take_theirs: bool) -> None:
    """``target`` imports ``source``'s bundle, checking each decision against the oracle."""
    differing = [n for n in FIELDS if not same(target.values[n], source.values[n])]
    decisions = merge_fields(target.values, source.values, differing, target.events, source.events)
    assert [d.name for d in decisions] == differing
    for decision in decisions:
        name = decision.name
        agreed = world.agreed.get(name, INITIAL[name])
        source_moved = source.values[name] != agreed
        target_moved = target.values[name] != agreed
        want = BOTH if source_moved and target_moved else THEIRS if source_moved else MINE
        base = None
        assert decision.changed != UNTRACED, decision
        assert decision.changed == want, (decision, want, base)
        if decision.changed == BOTH:
            assert decision.base is not UNKNOWN, decision
    known = {e.id for e in target.events}
    for event in source.events:  # the bundle's history is copied
        if event.id not in known:
            copied = Edit(event.id, len(target.events), event.action, event.changes)
            target.events.append(copied)
    their_view = {name: set(ids) for name, ids in source.history.items()}
    for name, ids in source.history.items():
        target.history.setdefault(name, set()).update(ids)
    for decision in decisions:
        if decision.changed == THEIRS:
            target.values[decision.name] = decision.theirs
        elif decision.changed == MINE and decision.recorded:  # kept, though the bundle's events touch it
            world.event(target, "merge", {decision.name: [decision.theirs, decision.mine, MINE]})
        elif decision.conflict:  # decided, and the decision is an event keeping the other value
            chosen, other = (decision.theirs, decision.mine) if take_theirs else (decision.mine, decision.theirs)
            world.event(target, "merge", {decision.name: [other, chosen, THEIRS if take_theirs else MINE]})
            target.values[decision.name] = chosen
            if take_theirs:  # adopting their version: the target now stands exactly where they stood
                target.history[decision.name] = set(their_view.get(decision.name, set()))
    conflicts = {decision.name for decision in decisions if decision.conflict}
    for name in FIELDS:  # what both now hold: the same value, or theirs seen and overridden here
        if same(target.values[name], source.values[name]) or name in conflicts:
            world.agreed[name] = source.values[name]


steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("edit"), st.integers(0, 2), st.sampled_from(FIELDS), st.sampled_from(["a", "b", "c", "2000001"])
        ),
        st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.booleans()),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(steps=steps, count=st.just(2))  # the two sides of every exchange
def test_no_one_sided_edit_is_lost_and_conflicts_are_exactly_the_double_edits(steps: list[tuple], count: int) -> None:
    world, replicas = start(count)
    for step in steps:
        if step[0] == "edit":
            _, who, name, value = step
            edit(world, replicas[who % count], name, value)
        else:
            _, source, target, take = step
            if source % count != target % count:
                sync(world, replicas[source % count], replicas[target % count], take)
    # Everyone imports everyone twice over: then all copies agree.
    for _round in range(2):
        for source, target in itertools.permutations(range(count), 2):
            sync(world, replicas[source], replicas[target], take_theirs=False)
    assert all(r.values == replicas[0].values for r in replicas)


def test_the_two_colleagues_scenario_takes_the_court_number_and_keeps_the_summary() -> None:
    world, (alice, bob) = start(2)
    edit(world, bob, "summary", "Résumé revu par Bob")
    edit(world, alice, "court_number", "2000002")
    decisions = {d.name: d for d in merge_fields(bob.values, alice.values, ["court_number", "summary"],
                                                  bob.events, alice.events)}  # fmt: skip
    assert decisions["court_number"].changed == THEIRS and decisions["court_number"].theirs == "2000002"
    assert decisions["summary"].changed == MINE and decisions["summary"].mine == "Résumé revu par Bob"


def test_an_old_bundle_replayed_reverts_nothing() -> None:
    world, (alice, bob) = start(2)
    old = Replica(dict(alice.values), list(alice.events))  # the bundle Alice sent yesterday
    edit(world, alice, "summary", "v2")
    sync(world, alice, bob, take_theirs=False)
    edit(world, bob, "summary", "v3 de Bob")
    decisions = merge_fields(bob.values, old.values, ["summary"], bob.events, old.events)
    assert [d.changed for d in decisions] == [MINE]


def test_a_bundle_value_its_history_does_not_explain_is_never_taken_silently() -> None:
    _world, (alice, bob) = start(2)
    forged = dict(alice.values, court_number="9999999")  # edited in the bundle, no event says so
    decisions = merge_fields(bob.values, forged, ["court_number"], bob.events, alice.events)
    assert [d.changed for d in decisions] == [UNTRACED]


def test_a_field_set_on_both_sides_to_different_values_is_one_conflict_with_its_base() -> None:
    world, (alice, bob) = start(2)
    edit(world, alice, "room", "Salle 1")
    edit(world, bob, "room", "Salle 2")
    edit(world, alice, "summary", "A")
    (room, summary) = merge_fields(bob.values, alice.values, ["room", "summary"], bob.events, alice.events)
    assert room.changed == BOTH and room.base is None and (room.mine, room.theirs) == ("Salle 2", "Salle 1")
    assert summary.changed == THEIRS
