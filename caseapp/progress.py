"""How long work reports its progress and hears that it should stop: a plain callback and a plain check, so the
core never knows about Qt (the window polls them; ``caseapp.errors.Cancelled`` ends the work quietly)."""

from __future__ import annotations

from collections.abc import Callable

from caseapp.errors import Cancelled

Progress = Callable[[int, int], None]  # progress(done, total)
CancelCheck = Callable[[], bool]  # True: stop as soon as it is safe
Announce = Callable[[str], None]  # announce("Copying “x.pdf” (2 of 5)…"): what the work is doing now, in words


class Meter:
    """Progress in bytes over a whole export or import, and the cancel check, in one place."""

    def __init__(self, total: int, progress: Progress | None, cancelled: CancelCheck | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()

    def tick(self, count: int) -> None:
        self.check()
        self.done += count
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)
