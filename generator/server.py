"""The preview server: build, serve the output, rebuild on change, reload the browser.

Serving is plain `http.server`; live reload is server-sent events on
`/__counterpoint__/events`. The reload script is added to HTML responses as they are
served, never to the files a build writes. A failed rebuild keeps the last good output
on disk (the build guarantees that), so the server keeps serving it and sends the
problems to open pages, which draw them as an overlay.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import mimetypes
import queue
import re
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from .config import CONFIG_FILE, load_config
from .problems import ConfigError, Problem, count_line, format_json, format_text, sorted_problems

INTERNAL_PREFIX = "/__counterpoint__/"
EVENTS_PATH = INTERNAL_PREFIX + "events"
SCRIPT_PATH = INTERNAL_PREFIX + "reload.js"
HEARTBEAT_SECONDS = 15.0
CACHE_DIR = ".counterpoint-cache"
WATCHED_TOP_LEVEL = ("content", "templates", CONFIG_FILE)

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".webmanifest": "application/manifest+json",
}

# Editors' swap, backup and lock files: saving a file must not rebuild once per temp file.
_EDITOR_TEMP = re.compile(r"(\.sw[a-z]$|~$|^\.#|^#.*#$|^4913$|\.tmp$|^\.DS_Store$)")

_RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-counterpoint-build") : null;
  var host = null;
  function clearOverlay() {
    if (host) { host.remove(); host = null; }
  }
  function line(p) {
    var text = p.path + ":" + p.line + ":" + p.column + ": " + p.severity + ": " + p.message;
    return p.hint ? text + " (" + p.hint + ")" : text;
  }
  function showProblems(data) {
    clearOverlay();
    if (!data.problems || !data.problems.length) { return; }
    host = document.createElement("div");
    host.id = "counterpoint-overlay";
    host.setAttribute("role", "alert");
    var root = host.attachShadow({mode: "open"});  // the site's styles stay out of it
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial;display:block;position:fixed;z-index:2147483647;left:0;right:0;top:0}" +
      ".panel{position:relative;max-height:70vh;overflow:auto;" +
      "background:#1d1f21;color:#f5f5f5;border-bottom:4px solid #d33;padding:1em 1.5em;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 16px #0008}" +
      "h2{font:bold 16px/1.4 system-ui,sans-serif;margin:0 0 .5em;color:#ff8a80}" +
      "ol{margin:0;padding-left:1.5em}li{white-space:pre-wrap;margin:.25em 0}" +
      ".error{color:#ff8a80}.warning{color:#ffd54f}p{margin:.75em 0 0;color:#bbb}" +
      "button{position:absolute;top:.5em;right:.75em;background:none;border:0;color:#bbb;" +
      "font-size:22px;cursor:pointer}";
    var panel = document.createElement("div");
    panel.className = "panel";
    var title = document.createElement("h2");
    title.textContent = "The build failed: this page shows the last good build";
    var list = document.createElement("ol");
    data.problems.forEach(function (p) {
      var item = document.createElement("li");
      item.className = p.severity === "error" ? "error" : "warning";
      item.textContent = line(p);
      list.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = (data.count || "") + " \\u2014 fix the file and the page reloads.";
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Hide");
    close.textContent = "\\u00d7";
    close.addEventListener("click", clearOverlay);
    panel.append(close, title, list, note);
    root.append(style, panel);
    document.documentElement.appendChild(host);
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("/__counterpoint__/events");
  source.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (build !== null && data.build !== build) { location.reload(); }
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (event) { showProblems(JSON.parse(event.data)); });
})();
"""

_NO_BUILD_PAGE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Counterpoint preview</title></head>
<body><h1>No successful build yet</h1>
<p>The problems are listed in the terminal and above; fix them and this page reloads.</p>
</body></html>
"""


# ---------------------------------------------------------------------------
# Which file a request names


@dataclass(frozen=True)
class Resolution:
    """What a request path leads to: a file, a redirect, or a refusal (403/404)."""

    status: HTTPStatus
    file: Path | None = None
    location: str | None = None


def resolve_request(root: Path, base_path: str, target: str) -> Resolution:
    """Map a raw request target to a file under `root`, refusing anything that could leave it."""
    raw_path, _, query = target.partition("?")  # not urlsplit: it reads '//x' as a host
    if not raw_path.startswith("/"):
        return Resolution(HTTPStatus.FORBIDDEN)
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Resolution(HTTPStatus.FORBIDDEN)
    if any(s in (".", "..") for s in path.split("/")) or "\\" in path or "\0" in path or "//" in path:
        return Resolution(HTTPStatus.FORBIDDEN)
    suffix = f"?{query}" if query else ""
    if base_path != "/" and path in ("/", base_path.rstrip("/")):
        return Resolution(HTTPStatus.FOUND, location=quote(base_path) + suffix)
    if not path.startswith(base_path):
        return Resolution(HTTPStatus.NOT_FOUND)
    candidate = root.joinpath(*path[len(base_path) :].split("/"))
    if candidate.is_dir():
        if not path.endswith("/"):
            return Resolution(HTTPStatus.FOUND, location=quote(path + "/") + suffix)
        candidate = candidate / "index.html"
    elif path.endswith("/"):  # a file asked for as a folder: 404, as static hosts answer it
        return Resolution(HTTPStatus.NOT_FOUND)
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Resolution(HTTPStatus.FORBIDDEN)
    if not real.is_relative_to(root.resolve()):  # a symlink pointing out of the output folder
        return Resolution(HTTPStatus.FORBIDDEN)
    if not real.is_file():
        return Resolution(HTTPStatus.NOT_FOUND)
    return Resolution(HTTPStatus.OK, file=real)


def content_type(path: Path) -> str:
    """The Content-Type header for a served file."""
    known = _CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def inject_reload_script(html: bytes, build: str) -> bytes:
    """`html` with the live-reload script added just before `</body>` (or at the end)."""
    tag = f'<script src="{SCRIPT_PATH}" data-counterpoint-build="{build}"></script>'.encode()
    position = html.lower().rfind(b"</body>")
    if position < 0:
        return html + tag
    return html[:position] + tag + html[position:]


# ---------------------------------------------------------------------------
# What the server knows about the builds, and who listens to them


class PreviewState:
    """The served folder, the last build's outcome and the open event streams."""

    def __init__(self, root: Path, base_path: str) -> None:
        self._lock = threading.Lock()
        self._listeners: set[queue.Queue[str | None]] = set()
        self._session = secrets.token_hex(4)
        self._generation = 0
        self._problems: dict[str, Any] | None = None
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

    def subscribe(self) -> tuple[queue.Queue[str | None], list[str]]:
        """A new listener's queue, and the events to send it first."""
        listener: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            self._listeners.add(listener)
            first = [sse_event("hello", {"build": self._build_id()})]
            if self._problems is not None:
                first.append(sse_event("problems", self._problems))
        return listener, first

    def unsubscribe(self, listener: queue.Queue[str | None]) -> None:
        """Forget a listener whose connection ended."""
        with self._lock:
            self._listeners.discard(listener)

    def built(self, base_path: str) -> None:
        """Record a good build and tell every open page to reload."""
        with self._lock:
            self._generation += 1
            self._problems = None
            self.base_path = base_path
            message = sse_event("reload", {"build": self._build_id()})
        self._broadcast(message)

    def failed(self, payload: dict[str, Any]) -> None:
        """Record a failed build and send its problems to every open page."""
        with self._lock:
            self._problems = payload
        self._broadcast(sse_event("problems", payload))

    def close(self) -> None:
        """End every open event stream."""
        self._broadcast(None)

    def _broadcast(self, message: str | None) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener.put(message)


def sse_event(name: str, data: dict[str, Any]) -> str:
    """One server-sent event; JSON without indentation never spans lines."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=True)}\n\n"


def problems_payload(problems: Iterable[Problem]) -> dict[str, Any]:
    """The JSON the overlay draws: the problems as `check --format json` prints them, and a count."""
    ordered = sorted_problems(problems)
    return {"problems": json.loads(format_json(ordered)), "count": count_line(ordered)}


# ---------------------------------------------------------------------------
# HTTP


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server whose handler threads never hold up shutdown."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: PreviewState, family: socket.AddressFamily) -> None:
        self.address_family = family
        self.state = state
        super().__init__(address, PreviewHandler)


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the output folder, the reload script and the event stream."""

    server: PreviewServer
    server_version = "Counterpoint"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        """Answer a GET request."""
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        """Answer a HEAD request."""
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep the terminal for build reports: no access log."""

    def _respond(self, *, send_body: bool) -> None:
        state = self.server.state
        target = self._raw_target()
        path = target.partition("?")[0]
        if path == EVENTS_PATH:
            self._stream_events(state, send_body)
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, _RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8", send_body)
            return
        build = state.build_id  # before reading the file: a build swapped in meanwhile only reloads twice
        if not state.has_output():
            page = inject_reload_script(_NO_BUILD_PAGE.encode(), build)
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, page, _CONTENT_TYPES[".html"], send_body)
            return
        resolution = resolve_request(state.root, state.base_path, target)
        if resolution.location is not None:
            self._send(resolution.status, b"", "text/plain; charset=utf-8", send_body, resolution.location)
        elif resolution.file is not None:
            self._send_file(resolution.status, resolution.file, build, send_body)
        elif resolution.status == HTTPStatus.NOT_FOUND:
            self._send_not_found(state, build, send_body)
        else:
            self._send(resolution.status, b"403 Forbidden\n", "text/plain; charset=utf-8", send_body)

    def _raw_target(self) -> str:
        # http.server folds a leading '//' in self.path; judge the target as the client sent it.
        words = self.requestline.split()
        return words[1] if len(words) >= 2 else self.path

    def _send_not_found(self, state: PreviewState, build: str, send_body: bool) -> None:
        page = resolve_request(state.root, "/", "/404.html")
        if page.file is not None:
            self._send_file(HTTPStatus.NOT_FOUND, page.file, build, send_body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", send_body)

    def _send_file(self, status: HTTPStatus, file: Path, build: str, send_body: bool) -> None:
        try:
            body = file.read_bytes()
        except OSError:  # removed by a build swapping folders between resolving and reading
            self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", send_body)
            return
        kind = content_type(file)
        if kind.startswith("text/html"):
            body = inject_reload_script(body, build)
        self._send(status, body, kind, send_body)

    def _send(
        self, status: HTTPStatus, body: bytes, kind: str, send_body: bool, location: str | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if location is not None:
                self.send_header("Location", location)
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _stream_events(self, state: PreviewState, send_body: bool) -> None:
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not send_body:
                return
            listener, first = state.subscribe()
            try:
                self.wfile.write(("retry: 1000\n\n" + "".join(first)).encode())
                self.wfile.flush()
                for message in _messages(listener):
                    self.wfile.write(message.encode())
                    self.wfile.flush()
            finally:
                state.unsubscribe(listener)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass


def _messages(listener: queue.Queue[str | None]) -> Iterator[str]:
    """A listener's events as they come, with a heartbeat comment when it is quiet, until closed."""
    while True:
        try:
            message = listener.get(timeout=HEARTBEAT_SECONDS)
        except queue.Empty:
            yield ": heartbeat\n\n"
            continue
        if message is None:
            return
        yield message


def open_server(host: str, port: int, state: PreviewState) -> PreviewServer:
    """Bind the preview server; raises OSError (EADDRINUSE for a port in use)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    return PreviewServer((host, port), state, infos[0][0])


# ---------------------------------------------------------------------------
# Watching the site


def is_watched(path: Path, site_dir: Path, ignored: Iterable[Path]) -> bool:
    """Whether a change to `path` should rebuild: site.toml, content/ or templates/, no temp files."""
    if _EDITOR_TEMP.search(path.name):
        return False
    if any(path == folder or path.is_relative_to(folder) for folder in ignored):
        return False
    if not path.is_relative_to(site_dir) or path == site_dir:
        return False
    parts = path.relative_to(site_dir).parts
    if parts[0] not in WATCHED_TOP_LEVEL or (parts[0] == CONFIG_FILE and len(parts) > 1):
        return False
    return not any(part.startswith(".") for part in parts)


class _EitherEvent:
    """Set when either of two events is: how watchfiles is told to stop or to restart."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


class SiteWatcher:
    """Watches content/, templates/ and site.toml in background threads; calls back with changed paths."""

    def __init__(
        self, site_dir: Path, ignored: Iterable[Path], on_change: Callable[[set[Path]], None]
    ) -> None:
        self.site_dir = site_dir
        self.ignored = tuple(ignored)
        self.on_change = on_change
        self.stop_event = threading.Event()
        self._restart = threading.Event()
        # content/ and templates/ are watched recursively; the site folder itself only one level
        # deep (site.toml, and content/ or templates/ appearing), so an output folder or .git
        # beside them costs no watches.
        self._ready = (threading.Event(), threading.Event())
        self._threads = [
            threading.Thread(target=self._watch_folders, name="counterpoint-watch", daemon=True),
            threading.Thread(target=self._watch_top, name="counterpoint-watch-top", daemon=True),
        ]

    def start(self, timeout: float = 10.0) -> None:
        """Start watching; return once the watches are in place, so no later edit is missed."""
        for thread in self._threads:
            thread.start()
        for ready in self._ready:
            ready.wait(timeout)

    def stop(self) -> None:
        """Stop watching and wait (briefly) for the threads."""
        self.stop_event.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=2)

    def _accept(self, _change: Any, path: str) -> bool:
        return is_watched(Path(path), self.site_dir, self.ignored)

    def _watch_folders(self) -> None:
        while not self.stop_event.is_set():
            self._restart.clear()
            folders = [self.site_dir / name for name in ("content", "templates")]
            folders = [folder for folder in folders if folder.is_dir()]
            if not folders:
                self._ready[0].set()
                self._restart.wait(timeout=1)
                continue
            stop = _EitherEvent(self.stop_event, self._restart)
            self._run_watch(folders, self._ready[0], recursive=True, stop=stop)

    def _watch_top(self) -> None:
        while not self.stop_event.is_set():
            self._run_watch([self.site_dir], self._ready[1], recursive=False, stop=self.stop_event)

    def _run_watch(self, paths: list[Path], ready: threading.Event, *, recursive: bool, stop: Any) -> None:
        from watchfiles import watch  # imported here: only serving needs it

        try:
            # yield_on_timeout: the first (maybe empty) yield tells that the watches are in place.
            for changes in watch(
                *paths,
                watch_filter=self._accept,
                stop_event=stop,
                recursive=recursive,
                debounce=400,
                step=20,  # ms without new changes before yielding them: an editor's save is one burst
                rust_timeout=250,
                yield_on_timeout=True,
                raise_interrupt=False,
            ):
                ready.set()
                changed = {Path(path) for _change, path in changes}
                if not changed:
                    continue
                if not recursive and any(p.name != CONFIG_FILE for p in changed):
                    self._restart.set()  # content/ or templates/ appeared or went away
                self.on_change(changed)
        except Exception as exc:  # a watched folder removed under us: start again shortly
            ready.set()
            print(f"counterpoint: watching stopped ({exc}); retrying", file=sys.stderr, flush=True)
            self.stop_event.wait(timeout=1)


# ---------------------------------------------------------------------------
# The command


def serve(
    site_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = False,
    open_browser: bool = False,
    out_dir: Path | None = None,
    quiet: bool = False,
) -> int:
    """Build the site, serve it, rebuild on change and reload open pages; the exit status."""
    site_dir = site_dir.resolve()
    try:
        config = load_config(site_dir)
    except ConfigError as exc:
        print(format_text(sorted_problems(exc.problems)), file=sys.stderr)
        return 2
    scratch = None if out_dir is not None else Path(tempfile.mkdtemp(prefix="counterpoint-serve-"))
    root = (out_dir if out_dir is not None else scratch / "public").resolve()
    state = PreviewState(root, config.base_path)
    try:
        try:
            server = open_server(host, port, state)
        except OSError as exc:
            print(_bind_error(host, port, exc), file=sys.stderr)
            return 2
        with _stop_on_sigterm(), server:
            return _run(server, state, site_dir, config.output, drafts, open_browser, quiet,
                        keep_state=out_dir is not None)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(
    server: PreviewServer,
    state: PreviewState,
    site_dir: Path,
    output: str,
    drafts: bool,
    open_browser: bool,
    quiet: bool,
    keep_state: bool = True,
) -> int:
    """Build, then serve until Ctrl-C, rebuilding whenever the watcher reports a change.

    `keep_state`: write each build's state to the site's cache; not for a throwaway output
    folder, so that the state of the last `build` into the real one is kept.
    """
    from .build import Memory  # imported here: the build pipeline is heavy and serving is rare

    # each build hands the next the parsed, linked site
    memory = Memory(watched=True, persist=keep_state)
    changes: queue.Queue[set[Path]] = queue.Queue()
    ignored = (state.root, (site_dir / output).resolve(), site_dir / CACHE_DIR)
    watcher = SiteWatcher(site_dir, ignored, changes.put)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="counterpoint-http", daemon=True
    )
    try:
        watcher.start()  # before the first build: an edit made while it runs is not lost
        if not rebuild(site_dir, state, drafts=drafts, quiet=quiet, first=True, memory=memory):
            return 2
        thread.start()
        url = _display_url(server, state.base_path)
        print(f"Serving {url} (Ctrl-C to stop)", flush=True)
        if not _is_loopback(server):
            print("warning: the preview is reachable from other machines on the network", file=sys.stderr)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        warm = False
        while True:
            try:
                # A timeout, because Ctrl-C may be delivered to another thread: a blocked main
                # thread would only see it at the next change. Until every card is rendered,
                # idle time goes to rendering them, a few at a time, so edits render less.
                changed = changes.get(timeout=0.25 if warm else 0)
            except queue.Empty:
                warm = warm or memory.warm(0.02)
                continue
            while not changes.empty():
                changed |= changes.get_nowait()
            if not quiet:
                names = sorted(str(p.relative_to(site_dir)) for p in changed if p.is_relative_to(site_dir))
                print(f"Changed: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}", flush=True)
            memory.touch(p.relative_to(site_dir).as_posix() for p in changed if p.is_relative_to(site_dir))
            rebuild(site_dir, state, drafts=drafts, quiet=quiet, memory=memory)
            warm = False
    except KeyboardInterrupt:
        _ignore_interrupts()
        print("\nStopped.", flush=True)
        return 0
    finally:
        watcher.stop_event.set()
        state.close()
        if thread.is_alive():
            server.shutdown()
        watcher.stop()


def rebuild(site_dir: Path, state: PreviewState, *, drafts: bool, quiet: bool, first: bool = False,
            memory: Any = None) -> bool:
    """Build once and tell open pages; False only for a broken site.toml on the first build.

    `memory` (a build.Memory) carries what one build learned to the next.
    """
    from .build import build_site  # imported here: the build pipeline is heavy and serving is rare

    try:
        result = build_site(site_dir, out_dir=state.root, drafts=drafts, serving=True, memory=memory)
    except ConfigError as exc:
        print(format_text(sorted_problems(exc.problems)), file=sys.stderr, flush=True)
        if first:
            return False
        state.failed(problems_payload(exc.problems))
        print("Build failed: still serving the last good build.", file=sys.stderr, flush=True)
        return True
    except Exception as exc:  # a bug in the build must not take the preview down
        traceback.print_exc()
        state.failed(
            {
                "problems": [
                    {
                        "path": "(counterpoint)",
                        "line": 1,
                        "column": 1,
                        "severity": "error",
                        "message": f"internal error: {type(exc).__name__}: {exc}",
                        "hint": None,
                    }
                ],
                "count": "the build crashed; see the terminal",
            }
        )
        return True
    problems = sorted_problems(result.problems)
    if result.ok:
        if problems and not quiet:
            print(format_text(problems), file=sys.stderr, flush=True)
        if not quiet:
            print(
                f"Built in {result.seconds:.2f} s ({result.written} written, {result.unchanged} unchanged)",
                flush=True,
            )
        state.built(_base_path(site_dir, state.base_path))
        note = memory.save() if memory is not None else None  # after the reload: the state is for next time
        if note and not quiet:
            print(f"note: {note}", file=sys.stderr, flush=True)
    else:
        print(format_text(problems), file=sys.stderr, flush=True)
        state.failed(problems_payload(problems))
        note = "still serving the last good build" if state.has_output() else "nothing to serve yet"
        print(f"Build failed: {note}.", file=sys.stderr, flush=True)
    if memory is not None:
        memory.tidy()  # after the pages were told: off the path of the reload
    return True


def _base_path(site_dir: Path, fallback: str) -> str:
    """The base path now in site.toml (it may have been edited), or the one served so far."""
    try:
        return load_config(site_dir).base_path
    except ConfigError:
        return fallback


def _display_url(server: PreviewServer, base_path: str) -> str:
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"http://{shown}:{port}{base_path}"


def _is_loopback(server: PreviewServer) -> bool:
    try:
        return ipaddress.ip_address(str(server.server_address[0])).is_loopback
    except ValueError:
        return False


def _bind_error(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"error: port {port} on {host} is already in use (another 'counterpoint serve'?); "
            f"stop it or choose another port with --port"
        )
    if exc.errno == errno.EACCES:
        return f"error: not allowed to listen on port {port}; choose a port above 1023 with --port"
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"error: cannot listen on host '{host}': {exc.strerror or exc}"
    return f"error: cannot listen on {host}:{port}: {exc.strerror or exc}"


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so the temporary output is removed either way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = {
        signal.SIGINT: signal.getsignal(signal.SIGINT),
        signal.SIGTERM: signal.signal(signal.SIGTERM, interrupt),
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _ignore_interrupts() -> None:
    """While shutting down, a second Ctrl-C must not interrupt the cleanup with a traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
