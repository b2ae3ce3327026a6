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
from ui import single_instance
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
