"""Edit-to-reload latency of `counterpoint serve`: from saving an article to the browser's reload event.

    python benchmarks/serve_latency.py --site /dev/shm/cp-bench/corpus-10000/counterpoint [--edits 5]
        [--settle 10] [--pause 1]

Starts the preview server on a free port (it builds first), opens the server-sent event
stream as a browser tab would, then edits one article at a time and times each
`event: reload`. Prints each latency and the median, in milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reload_events(port: int, seen: list[float], ready: threading.Event) -> None:
    """Append the arrival time of each reload event."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", "/__counterpoint__/events")
    response = connection.getresponse()
    ready.set()
    while True:
        line = response.readline()
        if not line:
            return
        if line.strip() == b"event: reload":
            seen.append(time.perf_counter())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--settle", type=float, default=10.0,
                        help="seconds to wait after the server starts, as a person opening the page would; the "
                        "server uses idle time to render cards ahead")
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds between one edit's reload and the next save, as a person typing would")
    parser.add_argument("--out", type=Path, help="output folder (default: a new one on /dev/shm); pass the folder "
                        "a build already made, with its cache, to skip the first full build")
    args = parser.parse_args()
    port = free_port()
    out = Path(tempfile.mkdtemp(prefix="cp-serve-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(args.site),
                               "--port", str(port), "--out", str(args.out or out / "site")],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        started = time.perf_counter()
        for line in server.stdout:
            if line.startswith("Serving"):
                break
        print(f"first build and start: {time.perf_counter() - started:.1f} s")
        seen: list[float] = []
        ready = threading.Event()
        threading.Thread(target=reload_events, args=(port, seen, ready), daemon=True).start()
        ready.wait(30)
        time.sleep(args.settle)
        articles = sorted((args.site / "content/articles").glob("*.md"))
        latencies = []
        for index in range(args.edits):
            path = articles[(index * 997) % len(articles)]
            text = path.read_text()
            count = len(seen)
            saved = time.perf_counter()
            path.write_text(re.sub(r"^> ", f"> (edit {index}) ", text, count=1, flags=re.M))
            while len(seen) == count and time.perf_counter() - saved < 120:
                time.sleep(0.005)
            if len(seen) > count:
                latencies.append((seen[count] - saved) * 1000)
                print(f"edit {index}: {latencies[-1]:.0f} ms")
            path.write_text(text)
            while len(seen) == count + 1 and time.perf_counter() - saved < 240:
                time.sleep(0.005)  # the restore triggers a rebuild too; let it finish
            time.sleep(args.pause)
        if latencies:
            print(f"median edit-to-reload: {statistics.median(latencies):.0f} ms over {len(latencies)} edits")
        return 0
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    raise SystemExit(main())
