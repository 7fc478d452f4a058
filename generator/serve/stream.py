"""The live-reload streams: what the server knows about the builds, and the pages listening.

Every open page keeps one server-sent event stream. The streams are not served by a thread
each: once its headers are sent, a stream's socket is handed to one `EventHub` thread,
which writes the events to every stream and watches them all with a selector, so a page
that closes its stream is forgotten at once. The hub keeps at most `MAX_STREAMS` open; a
new one beyond that closes the oldest (its page, if still open, reconnects a second later).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..problems import Problem, count_line, format_json, sorted_problems

HEARTBEAT_SECONDS = 15.0  # a comment this often keeps idle connections (and proxies) open
MAX_STREAMS = 64  # far more tabs than a person keeps open on one preview
RETRY = "retry: 1000\n\n"  # how soon a page reconnects after its stream ends


def sse_event(name: str, data: dict[str, Any]) -> str:
    """One server-sent event; JSON without indentation never spans lines."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=True)}\n\n"


def problems_payload(problems: Iterable[Problem]) -> dict[str, Any]:
    """The JSON the overlay draws: the problems as `check --format json` prints them, and a count."""
    ordered = sorted_problems(problems)
    return {"problems": json.loads(format_json(ordered)), "count": count_line(ordered)}


class EventHub:
    """The open event streams, served by one thread: writes events to them, notices them closing."""

    def __init__(self, *, limit: int = MAX_STREAMS, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self._limit = limit
        self._heartbeat = heartbeat
        self._lock = threading.Lock()  # guards the commands, the one thing other threads touch
        self._commands: deque[tuple[str, socket.socket | None, bytes]] = deque()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._open: dict[socket.socket, None] = {}  # oldest first; the hub's thread alone uses it
        self._thread = threading.Thread(target=self._serve, name="counterpoint-streams", daemon=True)
        self._thread.start()

    def add(self, stream: socket.socket, first: bytes) -> None:
        """Take over a stream whose headers were sent; `first` is written to it before any later event."""
        self._command("add", stream, first)

    def send(self, message: str) -> None:
        """Write an event to every open stream."""
        self._command("send", None, message.encode())

    def close(self, timeout: float = 1.0) -> None:
        """End every stream and the hub's thread."""
        self._command("stop", None, b"")
        self._thread.join(timeout)

    def _command(self, name: str, stream: socket.socket | None, data: bytes) -> None:
        with self._lock:
            self._commands.append((name, stream, data))
        with contextlib.suppress(BlockingIOError, OSError):  # a full wake pipe is already a wake-up
            self._wake_writer.send(b"\0")

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_reader, selectors.EVENT_READ)
        next_beat = time.monotonic() + self._heartbeat
        try:
            while True:
                for key, _events in selector.select(timeout=max(0.0, next_beat - time.monotonic())):
                    if key.fileobj is self._wake_reader:
                        with contextlib.suppress(BlockingIOError, OSError):
                            self._wake_reader.recv(4096)
                    else:
                        self._read(selector, key.fileobj)  # type: ignore[arg-type]
                with self._lock:
                    commands = list(self._commands)
                    self._commands.clear()
                for name, stream, data in commands:
                    if name == "stop":
                        return
                    if name == "add" and stream is not None:
                        self._adopt(selector, stream, data)
                    else:
                        self._write_all(selector, data)
                if time.monotonic() >= next_beat:
                    self._write_all(selector, b": heartbeat\n\n")
                    next_beat = time.monotonic() + self._heartbeat
        finally:
            for stream in list(self._open):
                self._drop(selector, stream)
            selector.close()
            self._wake_reader.close()
            self._wake_writer.close()

    def _adopt(self, selector: selectors.BaseSelector, stream: socket.socket, first: bytes) -> None:
        stream.setblocking(False)
        try:
            selector.register(stream, selectors.EVENT_READ)
        except (ValueError, OSError):  # closed before the hub took it
            stream.close()
            return
        self._open[stream] = None
        if len(self._open) > self._limit:
            self._drop(selector, next(iter(self._open)))
        self._write(selector, stream, first)

    def _read(self, selector: selectors.BaseSelector, stream: socket.socket) -> None:
        # A page never writes to its stream: readable means closed (or a client to be rid of).
        try:
            stream.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            pass
        self._drop(selector, stream)

    def _write_all(self, selector: selectors.BaseSelector, data: bytes) -> None:
        for stream in list(self._open):
            self._write(selector, stream, data)

    def _write(self, selector: selectors.BaseSelector, stream: socket.socket, data: bytes) -> None:
        # Events are small: a stream whose buffer cannot take one whole is a page that is not
        # reading, and is closed rather than waited for.
        try:
            sent = stream.send(data)
        except OSError:
            sent = -1
        if sent != len(data):
            self._drop(selector, stream)

    def _drop(self, selector: selectors.BaseSelector, stream: socket.socket) -> None:
        if stream in self._open:
            del self._open[stream]
            with contextlib.suppress(KeyError, ValueError, OSError):
                selector.unregister(stream)
        with contextlib.suppress(OSError):
            stream.close()


class PreviewState:
    """The served folder, the last build's outcome and the open event streams."""

    def __init__(self, root: Path, base_path: str) -> None:
        self._lock = threading.Lock()
        self._session = secrets.token_hex(4)
        self._generation = 0
        self._problems: dict[str, Any] | None = None
        self.hub = EventHub()
        self.root = root
        self.base_path = base_path

    @property
    def build_id(self) -> str:
        """Names the last good build; pages served from an older one reload when they connect."""
        with self._lock:
            return self._build_id()

    def _build_id(self) -> str:
        return f"{self._session}-{self._generation}"

    def has_output(self) -> bool:
        """Whether any build has ever been written to the served folder."""
        return self.root.is_dir() and any(self.root.iterdir())

    def _first_events(self) -> list[str]:
        """The events a newly connected page gets: hello, and the problems while the last build failed."""
        first = [sse_event("hello", {"build": self._build_id()})]
        if self._problems is not None:
            first.append(sse_event("problems", self._problems))
        return first

    def listen(self, stream: socket.socket) -> None:
        """Hand a stream whose headers were sent to the hub, with its first events."""
        # Under the lock: no build's event can come between these first events and the hub taking it.
        with self._lock:
            self.hub.add(stream, (RETRY + "".join(self._first_events())).encode())

    def built(self, base_path: str) -> None:
        """Record a good build and tell every open page to reload."""
        with self._lock:
            self._generation += 1
            self._problems = None
            self.base_path = base_path
            self.hub.send(sse_event("reload", {"build": self._build_id()}))

    def failed(self, payload: dict[str, Any]) -> None:
        """Record a failed build and send its problems to every open page."""
        with self._lock:
            self._problems = payload
            self.hub.send(sse_event("problems", payload))

    def close(self) -> None:
        """End every open event stream."""
        self.hub.close()
