"""Running the preview server in tests: a stand-in build, a `serve` subprocess, HTTP and SSE clients.

The stand-in for `generator.build` (FAKE_BUILD) lets the server be tested alone and fast:
one page per article, an error for every line containing BROKEN, and the same
swap-at-the-end as the real build.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.serve.http import EVENTS_PATH

REPO = Path(__file__).resolve().parent.parent
WAIT = 10.0  # seconds for a rebuild to show

FAKE_BUILD = '''
"""A stand-in for generator.build with the same interface."""
import html, shutil, tempfile, time
from dataclasses import dataclass
from pathlib import Path

from generator.config import load_config
from generator.problems import SourceLocation, error

@dataclass(frozen=True)
class BuildResult:
    problems: tuple
    ok: bool
    out_dir: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0

def page(title, body=""):
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head>"
            f"<body><h1>{title}</h1>{body}</body></html>")

class Memory:
    """What the real build carries from one build to the next; the stand-in needs none of it."""

    def __init__(self, watched=False, persist=True):
        pass

    def save(self):
        return None

    def search(self):
        return []

    def touch(self, paths):
        pass

    def warm(self, seconds):
        return True

    def tidy(self):
        pass

def build_site(site_dir, *, out_dir=None, drafts=False, strict=False, serving=False, memory=None):
    started = time.perf_counter()
    config = load_config(site_dir)
    out = Path(out_dir or site_dir / config.output).resolve()
    problems, pages = [], {}
    for path in sorted((site_dir / "content" / "articles").glob("*.md")):
        rel = path.relative_to(site_dir).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if "BROKEN" in line:
                problems.append(error(SourceLocation(rel, number, 1), f"broken line: {line}"))
        pages[f"articles/{path.stem}/index.html"] = page(html.escape(lines[0] if lines else ""))
    if problems:
        return BuildResult(tuple(problems), False, out, seconds=time.perf_counter() - started)
    pages["index.html"] = page("Home")
    pages["404.html"] = page("Page not found")
    pages["style.css"] = "body { color: black }"
    pages["app.js"] = "console.log(1);"
    pages["feed.xml"] = "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'></feed>"
    pages["sitemap.xml"] = "<?xml version='1.0'?><urlset></urlset>"
    pages["timeline.json"] = '{"version": 1}'
    pages["logo.svg"] = "<svg xmlns='http://www.w3.org/2000/svg'></svg>"
    pages["noindex/readme.txt"] = "no index here"
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=".staging-"))
    for name, text in pages.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text, encoding="utf-8")
    (staging / "pixel.png").write_bytes(b"\\x89PNG\\r\\n\\x1a\\n")
    if out.exists():
        old = out.with_name(out.name + ".old")
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)
    return BuildResult((), True, out, len(pages), 0, 0, time.perf_counter() - started)
'''

# argv: fake_dir ("" for the real build), site, port, out ("" for the default), [--drafts] [--host=H]
SERVE_SCRIPT = """
import sys
from pathlib import Path
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
    import fake_build
    sys.modules["generator.build"] = fake_build
from generator.serve import serve
out = Path(sys.argv[4]) if sys.argv[4] else None
host = next((arg[7:] for arg in sys.argv if arg.startswith("--host=")), "127.0.0.1")
raise SystemExit(serve(Path(sys.argv[2]), host=host, port=int(sys.argv[3]), out_dir=out,
                       drafts="--drafts" in sys.argv))
"""

SECRET = "SECRET-MARKER-7c1e"


# ---------------------------------------------------------------------------
# Helpers: a site, a server process, an HTTP client, an SSE client


def make_site(root: Path, *, base_url: str = "http://127.0.0.1:8000/") -> Path:
    """A small site for the stand-in build, with a marker in site.toml that must never be served."""
    site = root / "site"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "templates").mkdir()
    (site / "site.toml").write_text(
        f'# {SECRET}\ntitle = "Test"\nbase_url = "{base_url}"\n', encoding="utf-8"
    )
    (site / "content" / "articles" / "a.md").write_text("First version\n\nbody\n", encoding="utf-8")
    return site


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Preview:
    """`serve` running in a subprocess; its stdout lines are collected as they come."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env() | (env or {}),
            cwd=REPO,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(
                target=self._read, args=(self.process.stdout, self.stdout, self.lines), daemon=True
            ),
            threading.Thread(target=self._read, args=(self.process.stderr, self.stderr, None), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.url = self._wait_ready()
        match = re.match(r"http://([^/:]+):(\d+)(/.*)$", self.url)
        assert match, self.url
        self.host, self.port, self.base = match.group(1), int(match.group(2)), match.group(3)

    @staticmethod
    def _read(stream, lines: list[str], notify: queue.Queue[str] | None) -> None:
        for line in stream:
            lines.append(line)
            if notify is not None:
                notify.put(line)

    def _wait_ready(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            match = re.match(r"Serving (http://\S+) \(Ctrl-C to stop\)", line)
            if match:
                return match.group(1)
        self.process.kill()
        code, out, err = self._finish()
        raise AssertionError(f"server did not start (exit status {code}):\n{out}\n{err}")

    def request(self, target: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        """A request with the target sent exactly as given (no client-side normalising)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def get_text(self, target: str) -> str:
        status, _, body = self.request(target)
        assert status == 200, (target, status)
        return body.decode("utf-8")

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str, str]:
        """Ctrl-C (or another signal); the exit status, stdout and stderr."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self._finish()
            raise AssertionError(f"server did not stop within 15 s of signal {sig}") from None
        return self._finish()

    def _finish(self) -> tuple[int, str, str]:
        """Wait for the ended process's output to be read; its exit status, stdout and stderr."""
        self.process.wait(timeout=15)
        for reader in self._readers:
            reader.join(timeout=5)
        return self.process.returncode, "".join(self.stdout), "".join(self.stderr)


@dataclass(frozen=True)
class Event:
    name: str
    data: str

    def json(self) -> dict:
        return json.loads(self.data)


class EventStream:
    """A plain-socket client of the server-sent events endpoint."""

    def __init__(self, preview: Preview) -> None:
        self.sock = socket.create_connection((preview.host, preview.port), timeout=30)
        self.sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: {preview.host}\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        self.status_line = self.file.readline().decode()
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass
        self.events: queue.Queue[Event] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "message", []
        try:
            for raw in self.file:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        self.events.put(Event(name, "\n".join(data)))
                    name, data = "message", []
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError):
            pass

    def wait_for(self, name: str, timeout: float = WAIT) -> Event:
        """The next event called `name`, skipping others; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if event.name == name:
                return event
        raise AssertionError(f"no '{name}' event within {timeout} s")

    def drain(self, seconds: float) -> list[Event]:
        """Every event that arrives within `seconds`."""
        found, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                found.append(self.events.get(timeout=left))
            except queue.Empty:
                break
        return found

    def close(self) -> None:
        self.sock.close()


def wait_until(check: Callable[[], bool], timeout: float = WAIT, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{message} not met within {timeout} s")


def edit(path: Path, text: str) -> None:
    """Save a file as an editor would."""
    path.write_text(text, encoding="utf-8")


def start_fake(
    tmp_path: Path, site: Path, out: Path | None, *extra: str, env: dict[str, str] | None = None
) -> Preview:
    fake_dir = tmp_path / "fake"
    fake_dir.mkdir(exist_ok=True)
    (fake_dir / "fake_build.py").write_text(FAKE_BUILD, encoding="utf-8")
    args = [sys.executable, "-c", SERVE_SCRIPT, str(fake_dir), str(site), "0", str(out or ""), *extra]
    return Preview(args, env)


def raw_request(host: str, port: int, data: bytes, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """Send `data` as it is and read the response until the server closes: status, headers, body."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0]:
        return 0, {}, b""  # closed without an answer
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split(" ")[1]), {k.lower(): v for k, v in headers.items()}, body


def get_with_host(preview: Preview, target: str, host: str | None, *extra: str) -> tuple[int, bytes]:
    """A GET sent with the given Host header (or none) and extra header lines; the status and body."""
    lines = [f"GET {target} HTTP/1.1", *([f"Host: {host}"] if host is not None else []), *extra]
    status, _, body = raw_request(preview.host, preview.port, ("\r\n".join(lines) + "\r\n\r\n").encode())
    return status, body


def server_threads(pid: int) -> int:
    """How many threads a process runs (Linux)."""
    return int(_proc_status(pid)["Threads"])


def server_memory_kb(pid: int) -> int:
    """A process's resident memory in KB (Linux)."""
    return int(_proc_status(pid)["VmRSS"].split()[0])


def _proc_status(pid: int) -> dict[str, str]:
    text = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)

