"""What one search fetches: a built site's search page opened in Chromium, one query typed, bytes counted.

    python benchmarks/search_fetch.py OUT QUERY [--base /]

Serves OUT on a local port, opens /search/, types QUERY, waits for the results, and prints one JSON
line: `bytes` (every response body fetched after the page itself loaded, i.e. what the search cost),
`requests`, `results` (result items shown) and `largest` (the biggest single file fetched).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def search_fetch(out: Path, query: str) -> dict[str, object]:
    """Bytes and requests one search costs on the built site in `out`."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
            page.wait_for_load_state("load")

            def count(response) -> None:
                with contextlib.suppress(Exception):  # a response without a body (a redirect) costs nothing
                    fetched.append((response.url, len(response.body())))

            page.on("response", count)
            page.fill("#search-q", query)
            page.wait_for_function("document.getElementById('search-status').textContent.includes('match') || "
                                   "document.getElementById('search-status').textContent.includes('Nothing')",
                                   timeout=120_000)
            page.wait_for_load_state("networkidle")
            results = page.locator("#search-results li").count()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    largest = max(fetched, key=lambda item: item[1], default=("", 0))
    return {"bytes": sum(size for _, size in fetched), "requests": len(fetched), "results": results,
            "largest": {"url": largest[0].split("/", 3)[-1], "bytes": largest[1]}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("query")
    args = parser.parse_args(argv)
    print(json.dumps(search_fetch(args.out, args.query)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
