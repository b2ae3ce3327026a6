"""The registry of measurements, and the context each one gets.

Adding a measurement is one function in ``measurements.py`` (or any module imported there)::

    @benchmark("list_opinions")
    def list_opinions_speed(ctx: Context) -> Measurement:
        \"\"\"list_opinions on the big database.\"\"\"
        core = ctx.core()
        call = lambda: opinions.list_opinions(core)
        values, floors = paired(call, ctx.same_sql(call), ctx.count(50, 10))
        return Measurement("list_opinions", percentile(values, 95), floor=percentile(floors, 95),
                           floor_what=SAME_SQL, target=Target(50), details={"ms": summary(values)})

Measurements that write run after those that only read, on the same working copy of the database.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.timing import Measurement, SqlReplay, capturing

if TYPE_CHECKING:
    from caseapp.casefile.core import Core

BenchFunction = Callable[["Context"], Measurement | list[Measurement]]
AUTHOR = "Me Hélène Mercier (benchmark)"


@dataclass(frozen=True)
class Benchmark:
    name: str
    function: BenchFunction
    writes: bool
    description: str


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, writes: bool = False) -> Callable[[BenchFunction], BenchFunction]:
    """Register a measurement under ``name``; its docstring's first line describes it in ``--list``."""

    def register(function: BenchFunction) -> BenchFunction:
        if name in REGISTRY:
            raise ValueError(f"two measurements are called {name}")
        description = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        REGISTRY[name] = Benchmark(name, function, writes, description)
        return function

    return register


def settle_heap() -> None:
    """As the app does once the case file is open (``ui.context.settle``): what the start made is set aside from the
    garbage collector, so that full collections walk only what came after it."""
    gc.collect()
    gc.freeze()


@dataclass
class Context:
    """What a measurement works on: a private copy of the generated database and its manifest."""

    data_dir: Path
    manifest: dict[str, Any]
    quick: bool
    _core: Core | None = field(default=None, repr=False)
    _replays: list[SqlReplay] = field(default_factory=list, repr=False)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "caseapp.sqlite3"

    def core(self) -> Core:
        """The core opened on the working copy (once; measurements share it, as the app shares one)."""
        if self._core is None:
            from caseapp.casefile.core import open_core

            self._core = open_core(data_dir=self.data_dir, author=AUTHOR)
            settle_heap()
        return self._core

    def count(self, full: int, quick: int) -> int:
        """How many samples: fewer in --quick runs."""
        return quick if self.quick else full

    def record_id(self, key: str) -> uuid.UUID:
        """An identifier the generator picked for the measurements (see generate._pick_ids)."""
        return uuid.UUID(self.manifest[key])

    def same_sql(
        self, call: Callable[[], Any], *, write: bool = False, keep: frozenset[str] = frozenset()
    ) -> SqlReplay:
        """Run ``call`` once, recording its SQL, and return the bare-sqlite3 replay of it (the floor)."""
        with capturing(self.core().db.engine) as statements:
            call()
        replay = SqlReplay(self.db_path, statements, write=write, keep=keep)
        self._replays.append(replay)
        return replay

    def close(self) -> None:
        for replay in self._replays:
            replay.close()
        self._replays.clear()
        if self._core is not None:
            self._core.close()
            self._core = None
