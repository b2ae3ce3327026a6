"""Making written bytes durable while more are being written: flushing to disk in a background thread.

Waiting for the disk after the last byte of a 300 MB bundle costs as much as reading and hashing it. Both
the export and the import still flush every byte before they publish it — the bundle before its rename over the
target, each evidence file before its rename into the store — but the flushing starts while the copy goes on, in
one thread that only waits for the disk (``fsync`` releases the interpreter lock), so that little is left to
wait for at the end.

- ``Flusher(fd)``: one file being written; ``wrote(count)`` after each write starts a flush of what is already
  written once enough has piled up (and none is running), ``finish()`` waits, then makes the whole file durable
  (``os.fsync``).
- ``Syncer()``: whole files handed over once written (``sync(fd)``: the thread flushes and closes them, in
  order); ``finish()`` waits until every one is on disk.

A flush that fails is raised by ``finish`` (the system reports a write error once, to whichever flush sees it
first: it must not be lost in the thread). ``abandon()`` stops without waiting for the files still queued (a
failed or cancelled run removes them anyway).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading

MiB = 1024 * 1024
FLUSH_EVERY = 8 * MiB  # written since the last flush before another starts
QUEUED = 32  # files waiting for their flush (open descriptors), at most
_fsync = os.fsync  # a whole file: its content and metadata
_datasync = getattr(os, "fdatasync", os.fsync)  # what a file's content needs (the final fsync does the rest)


class _Worker:
    """One thread running flushes one after the other; the first error is kept for ``finish``."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.Queue[tuple[int, bool] | None] = queue.Queue(QUEUED)
        self._thread: threading.Thread | None = None
        self._abandoned = False
        self.error: OSError | None = None

    def put(self, fd: int, whole: bool) -> None:
        """Flush ``fd``: what is written so far (``fdatasync``), or ``whole``: the file and its metadata
        (``fsync``), then close it."""
        if self._thread is None:
            self._abandoned = False
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        self._jobs.put((fd, whole))

    @property
    def idle(self) -> bool:
        return self._jobs.unfinished_tasks == 0

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            fd, whole = job
            try:
                if not self._abandoned and self.error is None:
                    (_fsync if whole else _datasync)(fd)
            except OSError as exc:
                self.error = exc
            finally:
                if whole:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                self._jobs.task_done()
        self._jobs.task_done()

    def stop(self, *, abandon: bool) -> None:
        """Wait for the thread to end (after the queued flushes, or skipping them when ``abandon``)."""
        if self._thread is None:
            return
        self._abandoned = self._abandoned or abandon
        self._jobs.put(None)
        self._thread.join()
        self._thread = None

    def raise_error(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class Flusher:
    """Flushes one file being written in the background, ``every`` bytes or so; ``finish`` makes it durable."""

    def __init__(self, fd: int, every: int | None = None) -> None:
        self._fd = fd
        self._every = every or FLUSH_EVERY
        self._pending = 0
        self._worker = _Worker("caseapp-flush")

    def wrote(self, count: int) -> None:
        """``count`` more bytes were written (to the system: not held in a Python buffer)."""
        self._pending += count
        if self._pending >= self._every and self._worker.idle:
            self._pending = 0
            self._worker.put(self._fd, False)

    def finish(self) -> None:
        """Wait for the background flush, then ``fsync`` the whole file (its size and dates too)."""
        self._worker.stop(abandon=False)
        self._worker.raise_error()
        _fsync(self._fd)

    def abandon(self) -> None:
        """Stop (the file is not kept): waits for a flush under way, which cannot be interrupted."""
        self._worker.stop(abandon=True)

    def __enter__(self) -> Flusher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abandon()


class Syncer:
    """Flushes whole files to disk in the background, in the order they are handed over, closing each one."""

    def __init__(self) -> None:
        self._worker = _Worker("caseapp-sync")

    def sync(self, fd: int) -> None:
        """Flush the file open as ``fd`` (written to the system), then close ``fd``: it now belongs to the syncer.
        Waits when many files are already waiting (each holds an open descriptor)."""
        try:
            self._worker.put(fd, True)
        except BaseException:
            os.close(fd)
            raise

    def finish(self) -> None:
        """Wait until every file handed over is on disk; raises the first error of a flush."""
        self._worker.stop(abandon=False)
        self._worker.raise_error()

    def abandon(self) -> None:
        """Close the files still queued without flushing them (they are about to be removed)."""
        self._worker.stop(abandon=True)

    def __enter__(self) -> Syncer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abandon()
