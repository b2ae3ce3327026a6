"""One CaseApp per data folder on a laptop: a second one hands its arguments to the first and leaves.

The first CaseApp on a data folder listens on a local socket (QLocalServer) whose name is derived from the data
folder's real path and the user. A second CaseApp started on the same folder connects, sends its arguments (a
``.casebundle`` to import, say) and exits with 0; the first raises its window and acts on them. If something
listens but does not answer (a CaseApp that hangs), the second one says so and lets the person decide whether to
go on anyway.

The protocol is one line of JSON each way: ``{"argv": [...]}`` then ``ok``.

Who is first is settled by a lock file in the data folder (``ui.instance_lock``), which costs nothing at start;
this module, and Qt's network module with it, is loaded only by a CaseApp that found the lock taken, and by the
first one once its window has painted (``listen_later``).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_MS = 500
ANSWER_MS = 3000
STARTING_MS = 8000  # how long a first CaseApp that holds the lock may take to open its socket
MAX_MESSAGE = 64 * 1024

FORWARDED = "forwarded"  # the first CaseApp took the arguments: this one can leave
ABSENT = "absent"  # nobody listens: this one is the first
SILENT = "silent"  # something listens but does not answer


def server_name(data_dir: Path | None) -> str:
    """The socket's name for a data folder (None: the default one), the same however the path is written."""
    if data_dir is None:
        from caseapp.services.environment import data_dir as default_data_dir

        data_dir = default_data_dir()
    real = os.path.normcase(os.path.realpath(os.path.expanduser(str(data_dir))))
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    digest = hashlib.sha256(f"{user}\0{real}".encode()).hexdigest()[:24]
    return f"caseapp-{digest}"


def absolute_arguments(argv: list[str]) -> list[str]:
    """Paths made absolute (the first CaseApp runs in another working folder); options left as they are."""
    result = []
    for arg in argv:
        if not arg.startswith("-") and Path(arg).expanduser().exists():
            result.append(str(Path(arg).expanduser().absolute()))
        else:
            result.append(arg)
    return result


def forward(name: str, argv: list[str], *, answer_ms: int = ANSWER_MS) -> str:
    """Hand ``argv`` to the CaseApp listening on ``name``: FORWARDED, ABSENT or SILENT."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        return ABSENT
    try:
        socket.write((json.dumps({"argv": absolute_arguments(argv)}) + "\n").encode("utf-8"))
        if not socket.waitForBytesWritten(answer_ms):
            return SILENT
        reply = b""
        while b"\n" not in reply:
            if not socket.waitForReadyRead(answer_ms):
                return SILENT
            reply += bytes(socket.readAll().data())
        return FORWARDED if reply.startswith(b"ok") else SILENT
    finally:
        socket.abort()


class InstanceServer(QObject):
    """Listens for later CaseApps on the same data folder."""

    arguments_received = Signal(list)  # list[str]: the other CaseApp's arguments

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connected)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket left behind by a CaseApp that died is removed first (nobody answered it)."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE:
            socket.abort()
            return
        self._buffers[socket] = data
        if b"\n" not in data:
            return
        line = data.split(b"\n", 1)[0]
        try:
            message = json.loads(line.decode("utf-8"))
            argv = [str(arg) for arg in message.get("argv", [])]
        except (ValueError, AttributeError, TypeError):
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self.arguments_received.emit(argv)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


def hand_over(name: str, argv: list[str], *, answer_ms: int = ANSWER_MS, starting_ms: int = STARTING_MS) -> str:
    """Hand ``argv`` to the CaseApp that holds the data folder's lock: FORWARDED, or SILENT when it never
    answers. It may have taken the lock a moment ago and not be listening yet, so an absent socket is tried
    again until ``starting_ms`` have passed."""
    import time

    deadline = time.monotonic() + starting_ms / 1000
    while True:
        state = forward(name, argv, answer_ms=answer_ms)
        if state != ABSENT:
            return state
        if time.monotonic() >= deadline:
            return SILENT
        time.sleep(0.1)


def claim(name: str, argv: list[str], *, answer_ms: int = ANSWER_MS) -> tuple[str, InstanceServer | None]:
    """Become the CaseApp of this data folder, or hand over to the one that already is.

    Returns (ABSENT, server) when this one is the first (it now listens), (FORWARDED, None) when another took
    the arguments, (SILENT, None) when another is there but does not answer.
    """
    state = forward(name, argv, answer_ms=answer_ms)
    if state != ABSENT:
        return state, None
    server = InstanceServer(name)
    if server.listen():
        return ABSENT, server
    state = forward(name, argv, answer_ms=answer_ms)  # another one started at the same moment and won
    return (state, None) if state != ABSENT else (ABSENT, None)
