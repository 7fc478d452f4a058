"""Answering one request: which hosts are answered, which file a path names, and the response.

Only GET and HEAD, one request per connection. A request must be addressed to a local
host name (or the one the server was told to bind), so a web page elsewhere cannot read
the preview through DNS rebinding; the event stream also refuses a foreign `Origin`. A
path is served only from inside the output folder. HTML gets the live-reload script as
it is served, never in the files a build writes.
"""

from __future__ import annotations

import mimetypes
import socket
from dataclasses import dataclass
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .listen import head_end
from .stream import PreviewState

INTERNAL_PREFIX = "/__counterpoint__/"
EVENTS_PATH = INTERNAL_PREFIX + "events"
SCRIPT_PATH = INTERNAL_PREFIX + "reload.js"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
MAX_TARGET = 8 * 1024  # bytes of request target; longer gets 414
MAX_SEGMENT = 255  # bytes of one path segment: no file system has longer names

_HTML = "text/html; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_CONTENT_TYPES = {
    ".html": _HTML,
    ".htm": _HTML,
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": _TEXT,
    ".md": _TEXT,
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

_NO_BUILD_PAGE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Counterpoint preview</title></head>
<body><h1>No successful build yet</h1>
<p>The problems are listed in the terminal and above; fix them and this page reloads.</p>
</body></html>
"""


def reload_script() -> bytes:
    """The browser's live-reload script, shipped beside this module."""
    return resources.files(__package__).joinpath("reload.js").read_bytes()


# ---------------------------------------------------------------------------
# Who is answered


@dataclass(frozen=True)
class Audience:
    """The host names the preview answers to, and its port (for `Origin`)."""

    hosts: frozenset[str]
    port: int

    @classmethod
    def of(cls, bind_host: str, port: int) -> Audience:
        """Local names, and the host the server was told to bind (an IPv6 address in brackets)."""
        named = bind_host.strip().lower()
        if ":" in named and not named.startswith("["):
            named = f"[{named}]"
        return cls(frozenset((*LOCAL_HOSTS, named)), port)

    def answers_host(self, value: str) -> bool:
        """Whether a `Host` header names one of our hosts (with any port, or none)."""
        value = value.strip().lower()
        if value.startswith("["):
            name, bracket, port = value.partition("]")
            name += bracket
        else:
            name, colon, port = value.partition(":")
            port = colon + port
        if port and not (port.startswith(":") and port[1:].isdigit()):
            return False
        return name in self.hosts

    def answers_origin(self, value: str) -> bool:
        """Whether an `Origin` header is one of our own (a page this preview served)."""
        try:
            parts = urlsplit(value.strip())
            port = parts.port
        except ValueError:
            return False
        return (
            parts.scheme == "http"
            and port in (None, self.port)
            and self.answers_host(parts.netloc)
            and not parts.path
        )


# ---------------------------------------------------------------------------
# What a request says


@dataclass(frozen=True)
class Request:
    """A parsed request head: the method, the target as the client sent it, and the headers we read."""

    method: str
    target: str
    host: str | None
    origin: str | None


def parse_head(head: bytes) -> Request | HTTPStatus:
    """A request head (through the blank line) parsed, or the status that refuses it."""
    end = head_end(head)
    if end < 0:
        return HTTPStatus.BAD_REQUEST
    lines = head[:end].decode("latin-1").replace("\r\n", "\n").rstrip("\n").split("\n")
    words = lines[0].split(" ")
    if len(words) != 3:
        return HTTPStatus.BAD_REQUEST
    method, target, version = words
    if version not in ("HTTP/1.0", "HTTP/1.1"):
        return HTTPStatus.HTTP_VERSION_NOT_SUPPORTED if version.startswith("HTTP/") else HTTPStatus.BAD_REQUEST
    if len(target) > MAX_TARGET:
        return HTTPStatus.REQUEST_URI_TOO_LONG
    fields: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():  # no folded or malformed header lines
            return HTTPStatus.BAD_REQUEST
        fields.setdefault(name.lower(), []).append(value.strip())
    if len(fields.get("host", [])) > 1 or len(fields.get("origin", [])) > 1:
        return HTTPStatus.BAD_REQUEST
    host, origin = fields.get("host", [None])[0], fields.get("origin", [None])[0]
    return Request(method, target, host, origin)


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
    segments = path.split("/")
    if any(s in (".", "..") for s in segments) or "\\" in path or "\0" in path or "//" in path:
        return Resolution(HTTPStatus.FORBIDDEN)
    if any(len(s.encode()) > MAX_SEGMENT for s in segments):  # no such file can exist
        return Resolution(HTTPStatus.NOT_FOUND)
    suffix = f"?{query}" if query else ""
    if base_path != "/" and path in ("/", base_path.rstrip("/")):
        return Resolution(HTTPStatus.FOUND, location=quote(base_path) + suffix)
    if not path.startswith(base_path):
        return Resolution(HTTPStatus.NOT_FOUND)
    candidate = root.joinpath(*path[len(base_path) :].split("/"))
    try:
        return _resolve_file(root, path, candidate, suffix)
    except OSError:  # a name the file system refuses (too long a path, say): it cannot be there
        return Resolution(HTTPStatus.NOT_FOUND)


def _resolve_file(root: Path, path: str, candidate: Path, suffix: str) -> Resolution:
    if candidate.is_dir():
        if not path.endswith("/"):
            return Resolution(HTTPStatus.FOUND, location=quote(path + "/") + suffix)
        candidate = candidate / "index.html"
    elif path.endswith("/"):  # a file asked for as a folder: 404, as static hosts answer it
        return Resolution(HTTPStatus.NOT_FOUND)
    try:
        real = candidate.resolve()
    except RuntimeError:  # a symlink loop
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
# Answering


class Responder:
    """Answers request heads for the preview: the output folder, the reload script and the event stream."""

    def __init__(self, state: PreviewState, audience: Audience) -> None:
        self.state = state
        self.audience = audience
        self.script = reload_script()

    def answer(self, client: socket.socket, head: bytes) -> bool:
        """Answer one request on `client`; True if the connection became an event stream (kept open)."""
        request = parse_head(head)
        if isinstance(request, HTTPStatus):
            _send(client, request, f"{request.value} {request.phrase}\n".encode(), _TEXT, True)
            return False
        send_body = request.method != "HEAD"
        if request.host is None or not self.audience.answers_host(request.host):
            body = b"421 Misdirected Request: this preview answers only requests to localhost\n"
            _send(client, HTTPStatus.MISDIRECTED_REQUEST, body, _TEXT, send_body)
            return False
        if request.method not in ("GET", "HEAD"):
            status = HTTPStatus.NOT_IMPLEMENTED
            _send(client, status, b"501 Not Implemented: only GET and HEAD\n", _TEXT, send_body)
            return False
        path = request.target.partition("?")[0]
        if path == EVENTS_PATH:
            return self._stream(client, request, send_body)
        if path == SCRIPT_PATH:
            _send(client, HTTPStatus.OK, self.script, _CONTENT_TYPES[".js"], send_body)
            return False
        self._page(client, request.target, send_body)
        return False

    def _page(self, client: socket.socket, target: str, send_body: bool) -> None:
        state = self.state
        build = state.build_id  # before reading the file: a build swapped in meanwhile only reloads twice
        if not state.has_output():
            page = inject_reload_script(_NO_BUILD_PAGE.encode(), build)
            _send(client, HTTPStatus.SERVICE_UNAVAILABLE, page, _HTML, send_body)
            return
        resolution = resolve_request(state.root, state.base_path, target)
        if resolution.location is not None:
            _send(client, resolution.status, b"", _TEXT, send_body, resolution.location)
        elif resolution.file is not None:
            _send_file(client, resolution.status, resolution.file, build, send_body)
        elif resolution.status == HTTPStatus.NOT_FOUND:
            not_found = resolve_request(state.root, "/", "/404.html").file
            if not_found is not None:
                _send_file(client, HTTPStatus.NOT_FOUND, not_found, build, send_body)
            else:
                _send(client, HTTPStatus.NOT_FOUND, b"404 Not Found\n", _TEXT, send_body)
        else:
            _send(client, resolution.status, b"403 Forbidden\n", _TEXT, send_body)

    def _stream(self, client: socket.socket, request: Request, send_body: bool) -> bool:
        if request.origin is not None and not self.audience.answers_origin(request.origin):
            _send(client, HTTPStatus.FORBIDDEN, b"403 Forbidden: a page from another origin\n", _TEXT, send_body)
            return False
        head = _head(HTTPStatus.OK, "text/event-stream; charset=utf-8", None)
        client.sendall(head)
        if not send_body:
            return False
        self.state.listen(client)
        return True


def _send_file(client: socket.socket, status: HTTPStatus, file: Path, build: str, send_body: bool) -> None:
    try:
        body = file.read_bytes()
    except OSError:  # removed by a build swapping folders between resolving and reading
        _send(client, HTTPStatus.NOT_FOUND, b"404 Not Found\n", _TEXT, send_body)
        return
    kind = content_type(file)
    if kind.startswith("text/html"):
        body = inject_reload_script(body, build)
    _send(client, status, body, kind, send_body)


def _send(
    client: socket.socket, status: HTTPStatus, body: bytes, kind: str, send_body: bool, location: str | None = None
) -> None:
    head = _head(status, kind, len(body), location)
    client.sendall(head + body if send_body else head)


def _head(status: HTTPStatus, kind: str, length: int | None, location: str | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status.value} {status.phrase}", f"Content-Type: {kind}"]
    if length is not None:  # an event stream has none: it lasts until the connection closes
        lines.append(f"Content-Length: {length}")
    lines += ["Cache-Control: no-store", "X-Content-Type-Options: nosniff", "Connection: close"]
    if location is not None:
        lines.append(f"Location: {location}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
