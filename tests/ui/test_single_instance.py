"""One CaseApp per data folder: a second one started on the same folder hands its arguments (a bundle to import)
to the first and exits with 0; one that finds a CaseApp that does not answer says so instead of racing it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from tests.ui.conftest import until
from ui import instance_lock, single_instance
from ui.context import AppContext
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_the_name_depends_on_the_data_folder_however_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    same = single_instance.server_name(tmp_path / "a")
    assert single_instance.server_name(tmp_path / "a" / ".." / "a") == same
    assert single_instance.server_name(tmp_path / "b") != same


def test_a_second_caseapp_on_the_same_folder_hands_its_bundle_to_the_first_and_exits(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, data_dir: Path, tmp_path: Path
) -> None:
    state, lock = instance_lock.try_lock(data_dir)  # what the first CaseApp holds while it runs
    assert state is instance_lock.LockState.ACQUIRED and lock is not None
    first = single_instance.InstanceServer(single_instance.server_name(data_dir))
    assert first.listen()
    received: list[list[str]] = []
    first.arguments_received.connect(received.append)
    first.arguments_received.connect(window.handle_arguments)
    bundle = tmp_path / "from-a-colleague.casebundle"
    bundle.write_bytes(b"not really a bundle")
    env = dict(os.environ, CASEAPP_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
    second = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ui.app import run; sys.exit(run(sys.argv[1:]))", bundle.name],
        cwd=tmp_path,  # a relative path, made absolute for the first CaseApp
        env=env | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    until(qtbot, lambda: second.poll() is not None, 60_000)
    assert second.returncode == 0, second.stderr.read() if second.stderr else ""
    assert received == [[str(bundle)]]
    # the first CaseApp came forward and opened the bundle (refused here: it is not a real one)
    until(qtbot, lambda: window.bundle_import is not None and window.bundle_import.finished)
    assert window.bundle_import.path == bundle
    assert ctx.errors.history and "bundle" in type(ctx.errors.history[0]).__name__.lower()
    first.close()
    lock.release()


def test_a_caseapp_that_does_not_answer_is_reported_not_raced(qtbot: QtBot, tmp_path: Path) -> None:
    name = single_instance.server_name(tmp_path)
    stuck = QLocalServer()
    assert stuck.listen(name)  # accepts connections, never answers
    try:
        assert single_instance.forward(name, ["x"], answer_ms=300) == single_instance.SILENT
        state, server = single_instance.claim(name, [], answer_ms=300)
        assert state == single_instance.SILENT and server is None
    finally:
        stuck.close()


def test_the_first_caseapp_takes_over_a_socket_left_by_a_crash_and_listens(qtbot: QtBot, tmp_path: Path) -> None:
    name = single_instance.server_name(tmp_path)
    leftover = socket.socket(socket.AF_UNIX)  # what a CaseApp killed while running leaves: a socket nobody serves
    leftover.bind(os.path.join(tempfile.gettempdir(), name))
    leftover.close()
    state, server = single_instance.claim(name, [])
    assert state == single_instance.ABSENT and server is not None
    received: list[list[str]] = []
    server.arguments_received.connect(received.append)
    probe = subprocess.Popen(
        [sys.executable, "-c", f"from ui.single_instance import forward; print(forward({name!r}, ['--x']))"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    until(qtbot, lambda: probe.poll() is not None, 30_000)
    assert probe.stdout is not None and probe.stdout.read().strip() == single_instance.FORWARDED
    assert received == [["--x"]]
    server.close()


LOCK_AND_WAIT = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from ui.instance_lock import try_lock\n"
    "state, lock = try_lock(Path(sys.argv[1]))\n"
    "print(state.value, flush=True)\n"
    "time.sleep(60)\n"
)


def test_the_lock_file_says_at_once_whether_another_caseapp_holds_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "not yet created"
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_AND_WAIT, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "acquired"
        state, lock = instance_lock.try_lock(folder)
        assert state is instance_lock.LockState.TAKEN and lock is None
    finally:
        holder.kill()  # a CaseApp that dies: the system drops its lock, the file stays
        holder.wait()
    assert (folder / instance_lock.FILE_NAME).exists()
    state, lock = instance_lock.try_lock(folder)
    assert state is instance_lock.LockState.ACQUIRED and lock is not None and lock.held
    lock.release()
    assert not lock.held
    again, second = instance_lock.try_lock(folder)
    assert again is instance_lock.LockState.ACQUIRED and second is not None
    second.release()


def test_a_folder_that_cannot_hold_a_lock_falls_back_to_the_socket(tmp_path: Path) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    state, lock = instance_lock.try_lock(blocker)
    assert state is instance_lock.LockState.UNAVAILABLE and lock is None


def test_a_second_caseapp_waits_for_a_first_one_that_is_still_starting(qtbot: QtBot, tmp_path: Path) -> None:
    name = single_instance.server_name(tmp_path)
    late = single_instance.InstanceServer(name)
    received: list[list[str]] = []
    late.arguments_received.connect(received.append)
    probe = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from ui.single_instance import hand_over; print(hand_over({name!r}, ['--y'], starting_ms=20000))",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    qtbot.wait(1500)  # the first CaseApp holds the lock but is still painting its window
    assert probe.poll() is None
    assert late.listen()
    until(qtbot, lambda: probe.poll() is not None, 30_000)
    assert probe.stdout is not None and probe.stdout.read().strip() == single_instance.FORWARDED
    assert received == [["--y"]]
    late.close()
    assert single_instance.hand_over(name, ["--z"], starting_ms=300) == single_instance.SILENT
