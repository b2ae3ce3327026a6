"""A real CalDAV server for the tests: Radicale (a dev dependency), on a free port, in a throwaway folder, with
password authentication (htpasswd). It can be stopped and started again on the same port and storage, to play a
server going down in the middle of a sync."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import icalendar


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RadicaleServer:
    def __init__(self, folder: Path, users: dict[str, str]) -> None:
        self.folder = folder
        self.port = free_port()
        self.storage = folder / "collections"
        users_file = folder / "users"
        users_file.write_text("".join(f"{user}:{password}\n" for user, password in users.items()), encoding="utf-8")
        self.config = folder / "config"
        self.config.write_text(
            "\n".join(
                [
                    "[server]",
                    f"hosts = 127.0.0.1:{self.port}",
                    "[auth]",
                    "type = htpasswd",
                    f"htpasswd_filename = {users_file}",
                    "htpasswd_encryption = plain",
                    "delay = 0",  # Radicale answers a request without credentials after a pause, by default
                    "[rights]",
                    "type = owner_only",
                    "[storage]",
                    f"filesystem_folder = {self.storage}",
                    "[web]",
                    "type = none",
                    "[logging]",
                    "level = warning",
                    "",
                ]
            ),
            encoding="utf-8",
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        log = (self.folder / "radicale.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(self.config)], stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.folder / "radicale.log").read_text(encoding="utf-8", errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)  # waiting for the server's socket to open, not for the code under test
        raise RuntimeError("Radicale did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def files(self, user: str) -> dict[str, Path]:
        """The events' files as Radicale keeps them on disk, by UID (read with icalendar, not through the server)."""
        found: dict[str, Path] = {}
        for path in (self.storage / "collection-root" / user).glob("*/*.ics"):
            for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
                found[str(event["UID"])] = path
        return found
