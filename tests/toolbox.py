"""What the interop tests share: the npm packages .ci/run installs, Chromium, and a static server.

The tools live in .tools/ (never tracked): `npm install --prefix .tools @knight-lab/timelinejs
axe-core`, as .ci/run does. A missing tool fails its test: CI installs them all.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def node_package(name: str) -> Path:
    """The folder of an npm package installed in .tools/; the test fails when it is not there."""
    folder = TOOLS / "node_modules" / name
    if not (folder / "package.json").is_file():
        pytest.fail(f"npm package {name} is missing: run 'npm install --prefix .tools {name}' (.ci/run does)",
                    pytrace=False)
    return folder


@contextlib.contextmanager
def chromium() -> Iterator:
    """Headless Chromium through Playwright; fails (never skips) when either is missing."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Python's static file server on `folder`, on a free local port; yields its root URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
