"""Any request the preview can receive gets an HTTP answer: never an exception, never a file
outside the output folder, never a page for a foreign Host. Hypothesis, in process, through
the same `Responder.answer` the server's workers call, on a real socket pair.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.serve.http import Audience, Responder, resolve_request
from generator.serve.stream import PreviewState

SECRET = b"SECRET-OUTSIDE"
AUDIENCE = Audience.of("127.0.0.1", 8000)

# Pieces requests are made of, so that examples reach past the first check often.
_PATHS = st.lists(
    st.one_of(
        st.sampled_from(["", ".", "..", "%2e%2e", "a", "index.html", "secret.txt", "%00", "%ff", "\\", "x" * 256]),
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),  # bytes a client can send
    ),
    max_size=6,
).map(lambda parts: "/" + "/".join(parts))
_HOSTS = st.one_of(
    st.sampled_from(["localhost", "127.0.0.1:8000", "[::1]", "evil.example", "localhost.evil", ""]),
    # a line break would add headers; a lone surrogate is no character a client can encode
    st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=20),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PreviewState]:
    root = tmp_path_factory.mktemp("preview")
    (root / "out" / "a").mkdir(parents=True)
    (root / "out" / "index.html").write_text("<body>home</body>", encoding="utf-8")
    (root / "out" / "a" / "index.html").write_text("<body>page a</body>", encoding="utf-8")
    (root / "secret.txt").write_bytes(SECRET)
    (root / "out" / "secret.txt").symlink_to(root / "secret.txt")
    state = PreviewState(root / "out", "/")
    yield root / "out", state
    state.close()


def answer(state: PreviewState, head: bytes) -> bytes:
    """What the preview writes for a request head, read until it closes (streams: until the first events)."""
    page, served = socket.socketpair()
    try:
        kept = Responder(state, AUDIENCE).answer(served, head)
        if not kept:  # a stream is the hub's now: it closes it when the page does
            served.close()
        page.settimeout(5)
        received = b""
        while (chunk := page.recv(65536)) and not (kept and b"event: hello" in received + chunk):
            received += chunk
        return received + chunk
    finally:
        page.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.binary(max_size=300).map(lambda data: data + b"\r\n\r\n"))
def test_any_bytes_get_an_http_answer(site: tuple[Path, PreviewState], head: bytes) -> None:
    received = answer(site[1], head)
    assert received.startswith(b"HTTP/1.1 ") and b"\r\n\r\n" in received
    assert SECRET not in received


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "HEAD", "POST"]), path=_PATHS, host=_HOSTS,
       query=st.sampled_from(["", "?x=1", "?/../.."]))
def test_requests_are_answered_within_the_output_folder_and_for_local_hosts_only(
    site: tuple[Path, PreviewState], method: str, path: str, host: str, query: str
) -> None:
    head = f"{method} {path}{query} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    received = answer(site[1], head)
    status = int(received.split(b" ", 2)[1])
    assert SECRET not in received
    if not AUDIENCE.answers_host(host):
        assert status in (400, 421), (head, status)  # 400: a path with a space or line break
        assert b"page a" not in received and b"home" not in received
    elif method == "POST":
        assert status in (400, 501), (head, status)
    else:
        assert status in (200, 302, 400, 403, 404, 414), (head, status)


@settings(max_examples=500, deadline=None)
@given(target=st.text(max_size=80))
def test_resolve_request_never_leaves_the_folder(target: str) -> None:
    root = Path(__file__).resolve().parent / "sites"  # any real folder; nothing is written
    resolution = resolve_request(root, "/", "/" + target)
    if resolution.file is not None:
        assert resolution.file.is_relative_to(root.resolve())
