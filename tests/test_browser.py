"""The built site in headless Chromium, as a reader sees it.

Uses Debian's /usr/bin/chromium (Playwright never downloads a browser here). Without it
these tests skip, unless the environment variable CI is set: then they fail.
Screenshots of the timeline are taken on every run, but written to docs/screenshots/
(timeline-desktop.png, timeline-phone.png) only with `pytest --update-screenshots`.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.build import build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
TIMELINE = "timelines/trump-putin-call/"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing and CI is set: install Debian's chromium package", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests",
                allow_module_level=True)

if os.environ.get("CI"):
    from playwright import sync_api  # in CI a missing Playwright is an error, not a skip
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


class _Handler(SimpleHTTPRequestHandler):
    """Serves a built site under its base path, as a static host would."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def serve() -> Iterator:
    """serve(folder, base_path) → the URL of a local server for a built site; stopped at the end."""
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path, base_path: str = "/") -> str:
        handler = type("Handler", (_Handler,), {"prefix": base_path})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{base_path}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built."""
    out = tmp_path_factory.mktemp("browser") / "public"
    result = build_site(ROOT, out_dir=out)
    assert result.ok, [str(p) for p in result.problems]
    return out


@pytest.fixture(scope="module")
def site_url(serve, example: Path) -> str:
    """The example site served at the root (its base_url has no path)."""
    return serve(example, "/")


@pytest.fixture(scope="module")
def fixture_site(serve, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The renderer's fixture site, built and served under its base path /factcheck/."""
    out = tmp_path_factory.mktemp("browser-fixture") / "public"
    assert build_site(FIXTURE, out_dir=out).ok
    return out, serve(out, "/factcheck/")


def timeline_orders(timeline_json: Path) -> tuple[list[str], list[str]]:
    """The timeline's ids by when it was said, and by when it happened (`about`, else `said`; ties keep said order)."""
    statements = json.loads(timeline_json.read_text(encoding="utf-8"))["statements"]
    said = [s["id"] for s in statements]
    about = [s["id"] for s in sorted(statements, key=lambda s: (s["about"] or s["said"])["date"])]
    return said, about


@pytest.fixture(scope="module")
def said_order(example: Path) -> list[str]:
    """The example timeline's ids in said order, from its timeline.json: what the page must show."""
    return timeline_orders(example / TIMELINE / "timeline.json")[0]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def errors() -> list[str]:
    return []


@pytest.fixture
def open_page(browser, errors: list[str]) -> Iterator:
    """open_page(url, width=1280, **context options) → a Page; console errors go to `errors`."""
    contexts = []

    def open_(url: str, width: int = 1280, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text} ({m.location})"))
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and errors.append(
            f"request failed: {r.url} {r.failure}"))  # a reload aborts requests still running: not an error
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


def visible_entry_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#timeline > li", "items => items.filter(li => !li.hidden).map(li => li.id.slice(2))")


# --- reading the timeline ----------------------------------------------------------------------------------


def test_timeline_shows_statements_in_said_order_with_dates_and_threads(site_url: str, open_page, errors: list[str],
                                                                        said_order: list[str]) -> None:
    page = open_page(site_url + TIMELINE)
    assert page.locator("h1").inner_text() == "The reported Trump–Putin phone call"
    assert visible_entry_ids(page) == said_order
    assert said_order.index("call-took-place") < said_order.index("kremlin-denies-call")
    claim = page.locator("#s-call-took-place > article")
    assert claim.locator(".status").inner_text().split() == ["Status:", "Denied"]  # "Status:" is for screen readers
    assert claim.locator(".kind").inner_text().strip().upper() == "CLAIM"
    dates = claim.locator(".dates").inner_text()
    assert "10 Nov 2024" in dates and "7 Nov 2024 · ‘Thursday’" in dates
    assert claim.locator("time").nth(1).get_attribute("datetime") == "2024-11-07"
    # the denial, the remark on the press and the no-comment hang under the claim they answer
    thread = page.locator("#s-call-took-place > .thread > li > article")
    assert thread.count() == 3
    assert "This is completely untrue" in thread.nth(0).inner_text()
    assert "Dmitry Peskov" in thread.nth(0).locator(".by").inner_text()  # in brief: speaker, date on one line
    assert thread.nth(2).locator(".kind").inner_text().strip().upper() == "NO COMMENT"
    # the Kremlin's denial also stands in its own place, saying what it answers
    assert "In answer to The Washington Post’s claim" in page.locator("#s-kremlin-denies-call").inner_text()
    # the Post made three claims that day: a line of the one answered says which
    gist = page.locator("#s-kremlin-denies-call .reply-gist")
    assert gist.is_visible() and gist.inner_text().startswith("The two leaders spoke by phone on Thursday")
    assert not page.locator("#s-call-took-place .thread .reply-gist").first.is_visible()  # under the claim itself
    assert page.locator("#timeline-count").inner_text().startswith(
        f"Showing {len(said_order)} of {len(said_order)} statements")
    assert errors == []


def test_a_permalink_leads_to_the_statement_and_its_whole_thread(site_url: str, open_page,
                                                                 errors: list[str]) -> None:
    page = open_page(site_url + TIMELINE)
    page.locator("#s-kremlin-denies-call > article .permalink").click()
    page.wait_for_url("**/statements/kremlin-denies-call/")
    assert page.locator("h1").inner_text() == "Denial by Dmitry Peskov"
    thread = page.locator(".thread-view")
    assert "The two leaders spoke by phone on Thursday" in thread.inner_text()
    current = thread.locator("[aria-current=true] > article")
    assert "This is completely untrue" in current.inner_text()
    assert page.locator("script[type='application/ld+json']").count() == 1
    page.locator(".thread-view .thread-root > li > article .permalink").first.click()
    page.wait_for_url("**/statements/call-took-place/")
    assert errors == []


def test_a_claim_page_lists_its_answers_without_repeating_the_claim(site_url: str, open_page,
                                                                    errors: list[str]) -> None:
    page = open_page(site_url + "statements/call-took-place/")
    assert page.locator("h1").inner_text() == "Claim by The Washington Post"
    assert page.locator(".focus .status").inner_text().split() == ["Status:", "Denied"]
    assert page.locator("#thread-heading").inner_text() == "3 answers"
    assert page.locator("main").inner_text().count("The two leaders spoke by phone on Thursday") == 1
    kinds = page.locator(".thread-view .thread > li > article .kind").all_inner_texts()
    assert [k.strip().upper() for k in kinds] == ["DENIAL", "STATEMENT", "NO COMMENT"]
    assert errors == []


def test_filters_by_speaker_and_kind(site_url: str, open_page, errors: list[str]) -> None:
    page = open_page(site_url + TIMELINE)
    page.select_option("select[name=speaker]", "dmitry-peskov")
    assert visible_entry_ids(page) == ["kremlin-denies-call", "peskov-on-press"]
    assert page.locator("#timeline-count").inner_text().startswith("Showing 2 of ")
    page.select_option("select[name=kind]", "denial")
    assert visible_entry_ids(page) == ["kremlin-denies-call"]
    assert "speaker=dmitry-peskov" in page.url and "kind=denial" in page.url
    page.reload()  # the filter is kept in the address, so it can be shared
    assert visible_entry_ids(page) == ["kremlin-denies-call"]
    page.select_option("select[name=speaker]", "")
    page.select_option("select[name=kind]", "claim")
    assert visible_entry_ids(page) == ["call-took-place", "call-discussed-peace", "call-raised-land"]
    assert errors == []


def test_filters_by_the_site_s_verdict(site_url: str, open_page, errors: list[str]) -> None:
    page = open_page(site_url + TIMELINE)
    verdicts = page.eval_on_selector_all("select[name=verdict] option", "options => options.map(o => o.value)")
    assert verdicts == ["", "unproven"]  # only the verdicts the timeline gives
    page.select_option("select[name=verdict]", "unproven")
    assert visible_entry_ids(page) == ["call-took-place"]
    assert "verdict=unproven" in page.url
    page.reload()
    assert visible_entry_ids(page) == ["call-took-place"]
    assert page.locator("#s-call-took-place > article .verdict").inner_text() == "Verdict: Unproven"
    assert errors == []


def test_switch_between_when_it_was_said_and_when_it_happened(fixture_site: tuple[Path, str], open_page,
                                                              errors: list[str]) -> None:
    out, base = fixture_site
    said, about = timeline_orders(out / "timelines/river-bridge/timeline.json")
    assert about != said and about[0] == "budget-estimate"  # it spoke of 2023
    page = open_page(base + "timelines/river-bridge/")
    page.get_by_label("When it happened").check()
    assert visible_entry_ids(page) == about
    assert page.locator("#timeline").get_attribute("data-order") == "about"
    assert "order=about" in page.url
    page.select_option("select[name=speaker]", "ana-duarte")  # filters combine with the order
    assert visible_entry_ids(page) == [i for i in about if i in ("budget-estimate", "mayor-inspection",
                                                                 "mayor-disputes-council")]
    page.reload()
    assert page.get_by_label("When it happened").is_checked()
    page.select_option("select[name=speaker]", "")
    page.get_by_label("When it was said").check()
    assert visible_entry_ids(page) == said
    assert errors == []


def test_without_javascript_everything_shows_in_said_order(site_url: str, open_page, said_order: list[str]) -> None:
    page = open_page(site_url + TIMELINE, java_script_enabled=False)
    assert visible_entry_ids(page) == said_order
    assert all(page.locator(f"#s-{i}").is_visible() for i in said_order)
    assert not page.locator("#timeline-controls").is_visible()
    search = open_page(site_url + "search/", java_script_enabled=False)
    assert search.locator("#search-fallback").is_visible() and not search.locator("#search-form").is_visible()


def test_search_finds_a_statement(site_url: str, open_page, errors: list[str]) -> None:
    page = open_page(site_url + "search/")
    assert not page.locator("#search-fallback").is_visible()
    page.fill("#search-q", "peskov untrue")
    page.wait_for_selector("#search-results li")
    results = page.locator("#search-results li")
    # one article matches; of its statements, the two by Peskov (the denial says "untrue"), the denial first
    assert results.count() == 2 and "Denial by Dmitry Peskov" in results.first.inner_text()
    page.wait_for_load_state("networkidle")  # Pagefind fills results in as its fragments arrive: click the last
    results.first.locator("a").first.click()
    page.wait_for_url("**/statements/kremlin-denies-call/")
    assert errors == []


def test_search_filters_by_kind_from_the_index(site_url: str, open_page, errors: list[str]) -> None:
    page = open_page(site_url + "search/")
    page.fill("#search-q", "trump")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 1")
    page.select_option("select[name=f-kind]", "No comment")  # articles holding a no-comment, and its section
    page.wait_for_function("document.querySelectorAll('#search-results li').length === 1")
    assert "No comment by Steven Cheung" in page.locator("#search-results li").inner_text()
    assert errors == []


@pytest.fixture(scope="module")
def long_timeline(serve, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A timeline of 45 statements by three speakers, 10 to a page, and a last one by a fourth, served."""
    root = tmp_path_factory.mktemp("long-timeline")
    (root / "content/articles").mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n[pagination]\nper_page = 10\n')
    for n in range(15):
        blocks = "\n".join(f"::: {'claim' if k == 0 else 'statement'}\nid: s{n:02d}-{k}\nby: Speaker {k}\n\n"
                           f"Number {n:02d}-{k}.\n:::\n" for k in range(3))
        (root / f"content/articles/a{n:02d}.md").write_text(
            f"---\ntitle: A{n}\ndate: 2024-{n // 3 + 1:02d}-{n % 3 + 10}\ntimeline: long\n---\n\nIntro.\n\n{blocks}")
    (root / "content/articles/late.md").write_text(
        "---\ntitle: Late\ndate: 2024-12-01\ntimeline: long\n---\n\n"
        "::: statement\nid: late\nby: Late Speaker\n\nLast.\n:::\n")
    out = root / "public"
    assert build_site(root, out_dir=out).ok
    return serve(out, "/")


def test_a_long_timeline_filters_across_all_its_pages(long_timeline: str, open_page, errors: list[str]) -> None:
    page = open_page(long_timeline + "timelines/long/")
    assert visible_entry_ids(page) == [f"s{n:02d}-{k}" for n in range(4) for k in range(3)][:10]
    page.select_option("select[name=speaker]", "speaker-1")
    page.wait_for_selector(".timeline-view li")
    shown = page.eval_on_selector_all(".timeline-view .card-foot a", "links => links.map(a => a.pathname)")
    assert shown == [f"/statements/s{n:02d}-1/" for n in range(15)]  # all 15, from every page
    assert not page.locator("#timeline").is_visible() and not page.locator(".pager").first.is_visible()
    assert "Showing 15 of 15 statements" in page.locator("#timeline-count").inner_text()
    page.select_option("select[name=speaker]", "")
    assert page.locator("#timeline").is_visible() and visible_entry_ids(page)[0] == "s00-0"
    # a page lists its own speakers; the others come from timeline.json when the reader turns to the list
    options = "select[name=speaker] option"
    page = open_page(long_timeline + "timelines/long/")
    assert page.eval_on_selector_all(options, "os => os.map(o => o.value)") == ["", "speaker-0", "speaker-1",
                                                                                  "speaker-2"]
    page.focus("select[name=speaker]")
    page.wait_for_selector(options + "[value=late-speaker]", state="attached")
    assert page.eval_on_selector_all(options, "os => os.map(o => o.textContent)")[1:] == [
        "Late Speaker", "Speaker 0", "Speaker 1", "Speaker 2"]
    page.select_option("select[name=speaker]", "late-speaker")
    page.wait_for_selector(".timeline-view li")
    assert page.eval_on_selector_all(".timeline-view .card-foot a", "ls => ls.map(a => a.pathname)") == [
        "/statements/late/"]
    shared = open_page(long_timeline + "timelines/long/?speaker=late-speaker")  # an address naming one
    shared.wait_for_selector(".timeline-view li")
    assert shared.locator("select[name=speaker]").input_value() == "late-speaker"
    assert "Showing 1 of 1 statement" in shared.locator("#timeline-count").inner_text()
    without = open_page(long_timeline + "timelines/long/page/2/", java_script_enabled=False)
    assert without.locator('a[rel="next"]').first.get_attribute("href") == "/timelines/long/page/3/"
    assert errors == []


# --- layout ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [TIMELINE, "", "timelines/", "statements/call-took-place/",
                                  "statements/kremlin-denies-call/", "articles/kremlin-denies-trump-putin-call/",
                                  "articles/post-reports-trump-putin-call/", "speakers/", "speakers/dmitry-peskov/",
                                  "tags/", "tags/russia/", "search/", "404.html"])
def test_a_360_pixel_phone_never_scrolls_sideways(site_url: str, open_page, errors: list[str], path: str) -> None:
    page = open_page(site_url + path, width=360)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []


def test_screenshots_of_the_timeline(site_url: str, open_page, errors: list[str], tmp_path: Path,
                                     update_screenshots: bool) -> None:
    folder = SCREENSHOTS if update_screenshots else tmp_path  # tests never change tracked files unasked
    folder.mkdir(parents=True, exist_ok=True)
    for name, width in (("desktop", 1280), ("phone", 360)):
        page = open_page(site_url + TIMELINE, width=width, color_scheme="light")
        page.screenshot(path=str(folder / f"timeline-{name}.png"), full_page=True)
        assert (folder / f"timeline-{name}.png").stat().st_size > 10_000
    assert errors == []


def test_print_and_dark_styles_apply(site_url: str, open_page, said_order: list[str]) -> None:
    page = open_page(site_url + TIMELINE, color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(media="print")
    assert not page.locator("#timeline-controls").is_visible()
    assert not page.locator(".site-nav").is_visible()
    assert visible_entry_ids(page) == said_order
    printed = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark == "rgb(18, 19, 22)" and printed == "rgb(255, 255, 255)"


def test_a_site_under_a_sub_path_works(fixture_site: tuple[Path, str], open_page, errors: list[str]) -> None:
    _, base = fixture_site
    page = open_page(base + "timelines/river-bridge/")
    assert page.locator("#timeline-controls").is_visible()  # the script loaded from /factcheck/assets/
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderLeftWidth") == "4px"
    page.locator("nav a", has_text="Speakers").click()
    page.wait_for_url(base + "speakers/")
    page.locator("main a", has_text="Piet Jansen").click()
    page.wait_for_url(base + "speakers/piet-jansen/")
    assert errors == []
