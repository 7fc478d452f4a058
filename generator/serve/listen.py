"""Accepting connections: every request read whole before a thread is spent on it, within limits.

One thread accepts connections and reads their request heads with a selector, so a slow
or silent client costs a buffer, not a thread: a head not complete within
`HEAD_TIMEOUT` seconds gets 408, one over `MAX_HEAD` bytes 431, and beyond `MAX_PENDING`
half-read connections the oldest is closed. A complete head goes to a fixed pool of
`WORKERS` threads that answer it; when all are busy and `MAX_QUEUED` heads wait, a new one
gets 503. Nothing here grows with the number of clients.
"""

from __future__ import annotations

import contextlib
import queue
import selectors
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

BACKLOG = 128  # connections the kernel holds before we accept them
HEAD_TIMEOUT = 5.0  # seconds for a client to send its whole request head
SEND_TIMEOUT = 5.0  # seconds a worker waits for a client to take each part of a response
MAX_HEAD = 16 * 1024  # bytes; a browser's request head is well under 2 KB
MAX_PENDING = 256
WORKERS = 8
MAX_QUEUED = 64

# A handler answers one request head on a blocking socket; True if it kept the socket open.
Handler = Callable[[socket.socket, bytes], bool]


def refusal(status: int, reason: str) -> bytes:
    """A complete, closing HTTP response for a request that is not handled."""
    body = f"{status} {reason}\n".encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


@dataclass
class _Pending:
    started: float
    head: bytearray = field(default_factory=bytearray)


class Listener:
    """Serves a listening socket: reads request heads, then passes them to a bounded pool of workers."""

    def __init__(self, sock: socket.socket, handle: Handler) -> None:
        self.socket = sock
        self._handle = handle
        self._stop = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._jobs: queue.Queue[tuple[socket.socket, bytes] | None] = queue.Queue(MAX_QUEUED)
        self._threads = [threading.Thread(target=self._accept, name="counterpoint-http", daemon=True)]
        self._threads += [
            threading.Thread(target=self._work, name=f"counterpoint-worker-{n}", daemon=True)
            for n in range(WORKERS)
        ]

    @property
    def address(self) -> tuple[str, int]:
        """The host and port listened on."""
        host, port = self.socket.getsockname()[:2]
        return str(host), int(port)

    def start(self) -> None:
        """Start accepting and answering in background threads."""
        for thread in self._threads:
            thread.start()

    def close(self, timeout: float = 1.0) -> None:
        """Stop accepting, close every half-read connection, and let the workers finish (briefly)."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")
        for _ in range(WORKERS):
            with contextlib.suppress(queue.Full):
                self._jobs.put_nowait(None)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))
        self.socket.close()
        self._wake_reader.close()
        self._wake_writer.close()

    def _accept(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.socket, selectors.EVENT_READ)
        selector.register(self._wake_reader, selectors.EVENT_READ)
        pending: dict[socket.socket, _Pending] = {}  # oldest first
        try:
            while not self._stop.is_set():
                oldest = next(iter(pending.values()), None)
                wait = 1.0 if oldest is None else oldest.started + HEAD_TIMEOUT - time.monotonic()
                for key, _events in selector.select(timeout=max(0.0, wait)):
                    if key.fileobj is self.socket:
                        self._take(selector, pending)
                    elif key.fileobj is not self._wake_reader:
                        self._read(selector, pending, key.fileobj)  # type: ignore[arg-type]
                now = time.monotonic()
                for client, state in list(pending.items()):
                    if now - state.started < HEAD_TIMEOUT:
                        break
                    self._refuse(selector, pending, client, 408, "Request Timeout")
        finally:
            for client in list(pending):
                self._forget(selector, pending, client)
            selector.close()

    def _take(self, selector: selectors.BaseSelector, pending: dict[socket.socket, _Pending]) -> None:
        try:
            client, _address = self.socket.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # out of file descriptors, say: wait a little rather than spin
            time.sleep(0.05)
            return
        client.setblocking(False)
        selector.register(client, selectors.EVENT_READ)
        pending[client] = _Pending(time.monotonic())
        if len(pending) > MAX_PENDING:
            self._refuse(selector, pending, next(iter(pending)), 408, "Request Timeout")

    def _read(
        self, selector: selectors.BaseSelector, pending: dict[socket.socket, _Pending], client: socket.socket
    ) -> None:
        state = pending[client]
        try:
            data = client.recv(MAX_HEAD + 1 - len(state.head))
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client went away before finishing its request
            self._forget(selector, pending, client)
            return
        state.head += data
        end = state.head.find(b"\r\n\r\n")
        if end < 0:
            end = state.head.find(b"\n\n")
        if end < 0:
            if len(state.head) > MAX_HEAD:
                self._refuse(selector, pending, client, 431, "Request Header Fields Too Large")
            return
        selector.unregister(client)
        del pending[client]
        client.setblocking(True)
        client.settimeout(SEND_TIMEOUT)
        try:
            self._jobs.put_nowait((client, bytes(state.head)))
        except queue.Full:
            _send_and_close(client, refusal(503, "Service Unavailable"))

    def _refuse(
        self,
        selector: selectors.BaseSelector,
        pending: dict[socket.socket, _Pending],
        client: socket.socket,
        status: int,
        reason: str,
    ) -> None:
        with contextlib.suppress(OSError):  # a best effort: the socket is non-blocking
            client.send(refusal(status, reason))
        self._forget(selector, pending, client)

    @staticmethod
    def _forget(
        selector: selectors.BaseSelector, pending: dict[socket.socket, _Pending], client: socket.socket
    ) -> None:
        pending.pop(client, None)
        with contextlib.suppress(KeyError, ValueError):
            selector.unregister(client)
        client.close()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            client, head = job
            kept = False
            try:
                kept = self._handle(client, head)
            except OSError:  # the client went away or stopped reading: nothing to answer
                pass
            except Exception:  # a bug answering one request must not cost the pool a worker
                traceback.print_exc()
            finally:
                if not kept:
                    client.close()


def _send_and_close(client: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):
        client.sendall(data)
    client.close()


def open_listener(host: str, port: int) -> socket.socket:
    """A socket listening on host:port; raises OSError (EADDRINUSE for a port in use)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        # As http.server does: a restarted preview can take its port back from TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock
