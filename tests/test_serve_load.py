"""The preview under load: connection churn on the event stream and on pages, half-sent
requests, foreign Hosts. The server's threads and memory must stay bounded, closed streams
must be let go at once, and a normal page must be answered within a second afterwards.

A few seconds of load in CI; `COUNTERPOINT_LOAD_SECONDS=60` (say) runs longer (docs/serve.md).
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from serving import Preview, make_site, raw_request, server_memory_kb, server_threads, start_fake, wait_until

from generator.serve import listen, stream
from generator.serve.http import EVENTS_PATH

LOAD_SECONDS = float(os.environ.get("COUNTERPOINT_LOAD_SECONDS", "3"))
MEMORY_GROWTH_KB = 40_000  # what the held connections may cost, with room; the report saw 547 MB
SLOW_CLIENTS = 300  # more than the server holds half-read (listen.MAX_PENDING)

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def get(preview: Preview, target: str, host: str = "127.0.0.1") -> int:
    request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    try:
        return raw_request(preview.host, preview.port, request, timeout=10)[0]
    except OSError:
        return -1  # reset or timed out: counted, and must not happen


def stream_once(preview: Preview, turn: int) -> str:
    """Open the event stream and leave it as pages do: after hello, at once, or with a reset."""
    with socket.create_connection((preview.host, preview.port), timeout=10) as sock:
        sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        if turn % 5 == 0:  # a reset rather than a close
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return "reset"
        if turn % 3 == 0:
            return "left"
        received = b""
        while b"event: hello" not in received:
            chunk = sock.recv(4096)
            if not chunk:
                return "closed"
            received += chunk
        return "hello"


class Load:
    """Clients hammering the preview from threads until stopped; what they saw, counted."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.stop = threading.Event()
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.slow: list[socket.socket] = []
        self.threads = [threading.Thread(target=self._repeat, args=(self._stream,), daemon=True) for _ in range(6)]
        self.threads += [threading.Thread(target=self._repeat, args=(self._page,), daemon=True) for _ in range(4)]
        self.threads += [threading.Thread(target=self._repeat, args=(self._foreign,), daemon=True) for _ in range(2)]
        self.threads.append(threading.Thread(target=self._hold_slow, daemon=True))

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=15)
        for sock in self.slow:
            sock.close()

    def _count(self, what: str) -> None:
        with self.lock:
            self.seen[what] += 1

    def _repeat(self, client: Callable[[int], str]) -> None:
        turn = 0
        while not self.stop.is_set():
            turn += 1
            try:
                self._count(client(turn))
            except OSError as exc:
                self._count(f"error {type(exc).__name__}")

    def _stream(self, turn: int) -> str:
        return f"stream {stream_once(self.preview, turn)}"

    def _page(self, turn: int) -> str:
        return f"page {get(self.preview, '/articles/a/' if turn % 2 else '/')}"

    def _foreign(self, _turn: int) -> str:
        return f"foreign {get(self.preview, '/', host=f'evil.example:{self.preview.port}')}"

    def _hold_slow(self) -> None:
        while not self.stop.is_set() and len(self.slow) < SLOW_CLIENTS:
            sock = socket.create_connection((self.preview.host, self.preview.port), timeout=10)
            sock.sendall(b"GET /articles/a/ HTTP/1.1\r\nHost: loc")  # and nothing more
            self.slow.append(sock)
            time.sleep(LOAD_SECONDS / 2 / SLOW_CLIENTS)  # all of them within the first half


def test_the_preview_stays_bounded_and_responsive_under_churn(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    preview = start_fake(tmp_path, site, tmp_path / "out")
    pid = preview.process.pid
    try:
        assert get(preview, "/") == 200 and stream_once(preview, 1) == "hello"
        time.sleep(0.3)
        threads, memory, fds = server_threads(pid), server_memory_kb(pid), open_fds(pid)
        peak = {"threads": threads, "memory": memory, "fds": fds}

        with Load(preview) as load:
            deadline = time.monotonic() + LOAD_SECONDS
            while time.monotonic() < deadline:
                peak["threads"] = max(peak["threads"], server_threads(pid))
                peak["memory"] = max(peak["memory"], server_memory_kb(pid))
                peak["fds"] = max(peak["fds"], open_fds(pid))
                time.sleep(0.05)
        seen = load.seen
        print(f"\nload for {LOAD_SECONDS} s: {dict(sorted(seen.items()))}; before {threads} threads, "
              f"{memory} KB, {fds} fds; peak {peak}")

        # The load happened, and every client got an answer (503 only when all workers were busy).
        assert sum(n for what, n in seen.items() if what.startswith("stream ")) >= 10 * LOAD_SECONDS
        assert seen["stream hello"] >= 2 * LOAD_SECONDS and seen["page 200"] >= 5 * LOAD_SECONDS
        assert {what for what in seen if what.startswith("page ")} <= {"page 200", "page 503"}
        assert seen["page 200"] >= 0.9 * sum(n for what, n in seen.items() if what.startswith("page "))
        assert {what for what in seen if what.startswith("foreign ")} == {"foreign 421"}
        assert not [what for what in seen if what.startswith("error ") or what == "stream closed"], seen

        # Bounded: no thread per connection, memory and descriptors within the server's own limits.
        assert peak["threads"] <= threads + 2, peak
        assert peak["memory"] - memory <= MEMORY_GROWTH_KB, peak
        held = listen.MAX_PENDING + stream.MAX_STREAMS + listen.MAX_QUEUED + listen.WORKERS
        assert peak["fds"] <= fds + held + 16, peak

        # Closed streams and dropped slow clients are let go at once, not after a heartbeat.
        wait_until(lambda: open_fds(pid) <= fds + 2, timeout=listen.LINGER + 1.5, message="connections closed")

        started = time.monotonic()
        assert get(preview, "/articles/a/") == 200
        assert time.monotonic() - started < 1.0
    finally:
        started = time.monotonic()
        code, out, err = preview.stop(signal.SIGTERM)
    assert time.monotonic() - started < 2.0
    assert code == 0 and "Stopped." in out and "Traceback" not in err, err
