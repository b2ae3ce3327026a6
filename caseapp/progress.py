"""How long work reports its progress and hears that it should stop: a plain callback and a plain check, so the
core never knows about Qt (the window polls them; ``caseapp.errors.Cancelled`` ends the work quietly)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]  # progress(done, total)
CancelCheck = Callable[[], bool]  # True: stop as soon as it is safe
Announce = Callable[[str], None]  # announce("Copying “x.pdf” (2 of 5)…"): what the work is doing now, in words
