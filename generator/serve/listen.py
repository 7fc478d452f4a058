"""Accepting connections: every request read whole before a thread is spent on it, within limits.

One thread accepts connections and reads their request heads with a selector, so a slow
or silent client costs a buffer, not a thread: a head not complete within
`HEAD_TIMEOUT` seconds gets 408, one over `MAX_HEAD` bytes 431, and beyond `MAX_PENDING`
open connections the oldest is closed. A complete head goes to a fixed pool of `WORKERS`
threads that answer it; when all are busy and `MAX_QUEUED` heads wait, a new one gets 503.
Nothing here grows with the number of clients.

A connection closed while its client is still sending would be reset, and a reset can
destroy the response before the client reads it; so such a connection is closed
"lingering": our side is shut, and what the client still sends is read and dropped, for
at most `LINGER` seconds, by the same thread.
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
LINGER = 2.0  # seconds to read and drop what a client still sends after its answer
MAX_HEAD = 16 * 1024  # bytes; a browser's request head is well under 2 KB
MAX_PENDING = 256  # connections being read or closed
WORKERS = 8
MAX_QUEUED = 64

# A handler answers one request head on a blocking socket; True if it kept the socket open.
Handler = Callable[[socket.socket, bytes], bool]


def _refusal(status: int, reason: str) -> bytes:
    """A complete, closing HTTP response for a request that is not handled."""
    body = f"{status} {reason}\n".encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def head_end(data: bytes | bytearray) -> int:
    """Where a request head ends (the index after its blank line), or -1 while it has not."""
    crlf, lf = data.find(b"\r\n\r\n"), data.find(b"\n\n")
    ends = [at + size for at, size in ((crlf, 4), (lf, 2)) if at >= 0]
    return min(ends) if ends else -1


@dataclass
class _Open:
    """A connection the accepting thread holds: its head being read, or being closed."""

    deadline: float
    head: bytearray = field(default_factory=bytearray)
    closing: bool = False


class Listener:
    """Serves a listening socket: reads request heads, then passes them to a bounded pool of workers."""

    def __init__(self, sock: socket.socket, handle: Handler) -> None:
        self.socket = sock
        self._handle = handle
        self._stop = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._jobs: queue.Queue[tuple[socket.socket, bytes] | None] = queue.Queue(MAX_QUEUED)
        self._to_close: queue.SimpleQueue[socket.socket] = queue.SimpleQueue()  # from workers
        # Owned by the accepting thread alone.
        self._selector = selectors.DefaultSelector()
        self._open: dict[socket.socket, _Open] = {}  # oldest first
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
        """Stop accepting, close every connection being read, and let the workers finish (briefly)."""
        self._stop.set()
        self._wake()
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

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # a full wake pipe is already a wake-up
            self._wake_writer.send(b"\0")

    # -- the accepting thread

    def _accept(self) -> None:
        self._selector.register(self.socket, selectors.EVENT_READ)
        self._selector.register(self._wake_reader, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                first = min((held.deadline for held in self._open.values()), default=time.monotonic() + 1)
                for key, _events in self._selector.select(timeout=max(0.0, first - time.monotonic())):
                    if key.fileobj is self.socket:
                        self._take()
                    elif key.fileobj is self._wake_reader:
                        with contextlib.suppress(OSError):
                            self._wake_reader.recv(4096)
                    elif key.fileobj in self._open:
                        self._read(key.fileobj)  # type: ignore[arg-type]
                while True:
                    try:
                        self._hold(self._to_close.get_nowait(), closing=True)
                    except queue.Empty:
                        break
                now = time.monotonic()
                for client, held in list(self._open.items()):
                    if now >= held.deadline:
                        if held.closing:
                            self._forget(client)
                        else:
                            self._refuse(client, 408, "Request Timeout")
        finally:
            for client in list(self._open):
                self._forget(client)
            self._selector.close()

    def _take(self) -> None:
        try:
            client, _address = self.socket.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # out of file descriptors, say: wait a little rather than spin
            time.sleep(0.05)
            return
        self._hold(client, closing=False)

    def _hold(self, client: socket.socket, *, closing: bool) -> None:
        client.setblocking(False)
        try:
            self._selector.register(client, selectors.EVENT_READ)
        except (ValueError, OSError):  # already closed
            client.close()
            return
        self._open[client] = _Open(time.monotonic() + (LINGER if closing else HEAD_TIMEOUT), closing=closing)
        if len(self._open) > MAX_PENDING:
            self._forget(next(iter(self._open)))

    def _read(self, client: socket.socket) -> None:
        held = self._open[client]
        try:
            data = client.recv(MAX_HEAD + 1 - len(held.head) if not held.closing else 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client is gone (or done, when closing)
            self._forget(client)
            return
        if held.closing:
            return
        held.head += data
        end = head_end(held.head)
        if end < 0:
            if len(held.head) > MAX_HEAD:
                self._refuse(client, 431, "Request Header Fields Too Large")
            return
        self._selector.unregister(client)
        del self._open[client]
        client.setblocking(True)
        client.settimeout(SEND_TIMEOUT)
        try:
            self._jobs.put_nowait((client, bytes(held.head[:end])))
        except queue.Full:
            self._refuse(client, 503, "Service Unavailable")

    def _refuse(self, client: socket.socket, status: int, reason: str) -> None:
        with contextlib.suppress(OSError):  # a best effort: the socket is non-blocking, the answer short
            client.setblocking(False)
            client.send(_refusal(status, reason))
            client.shutdown(socket.SHUT_WR)
        self._forget(client, keep=True)
        self._hold(client, closing=True)

    def _forget(self, client: socket.socket, *, keep: bool = False) -> None:
        if self._open.pop(client, None) is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(client)
        if not keep:
            client.close()

    # -- the workers

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
                    self._close(client)

    def _close(self, client: socket.socket) -> None:
        """Close an answered connection, lingering if the client is still sending."""
        try:
            client.setblocking(False)
            unread = client.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            unread = b""
        except OSError:
            client.close()
            return
        if not unread or self._stop.is_set():
            client.close()
            return
        with contextlib.suppress(OSError):
            client.shutdown(socket.SHUT_WR)
        self._to_close.put(client)
        self._wake()


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
