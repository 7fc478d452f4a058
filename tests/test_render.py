"""The renderer: the fixture site built whole against golden files, and what its pages must hold.

Regenerate the golden files with `pytest tests/test_render.py --update-golden` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import jsonschema
import pytest

from generator.build import build_site
from generator.config import Config
from generator.i18n import Language
from generator.model import FuzzyDate, Precision
from generator.render import DEFAULT_THEME
from generator.render.filters import atom_date, date_label, datetime_attr, excerpt, phrase_label
from generator.render.routes import safe_url

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
GOLDEN = ROOT / "tests" / "golden" / "render-fixture"
SCHEMA = ROOT / "docs" / "timeline.schema.json"
BASE_URL = "https://example.org/factcheck/"
BASE_PATH = "/factcheck/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once for this module."""
    out = tmp_path_factory.mktemp("render") / "public"
    result = build_site(FIXTURE, out_dir=out)
    assert result.ok, [str(p) for p in result.problems]
    return out


def output_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page(built: Path, path: str) -> str:
    return (built / path).read_text(encoding="utf-8")


# --- golden files ------------------------------------------------------------------------------------------


def test_fixture_site_matches_the_golden_files(built: Path, update_golden: bool) -> None:
    # the theme's assets and Pagefind's bundle are checked by tests of their own
    actual = {path: data for path, data in output_files(built).items() if not path.startswith(("assets/", "pagefind/"))}
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in actual.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
        pytest.skip("golden files rewritten; review them with git diff")
    expected = output_files(GOLDEN)
    assert sorted(actual) == sorted(expected), "the set of output files changed (run with --update-golden)"
    differing = [path for path in expected if actual[path] != expected[path]]
    diff = "".join(
        line for path in differing[:3] for line in difflib.unified_diff(
            expected[path].decode().splitlines(True), actual[path].decode().splitlines(True),
            f"golden/{path}", f"built/{path}", n=1))
    assert not differing, f"{len(differing)} files differ from the golden files:\n{diff[:6000]}"


def test_theme_assets_are_copied_byte_for_byte(built: Path) -> None:
    theme = output_files(DEFAULT_THEME / "assets")
    copied = {path.removeprefix("assets/"): data for path, data in output_files(built).items()
              if path.startswith("assets/")}
    assert copied == theme
    assert {"style.css", "timeline.js"} <= set(copied)


def test_every_table_row_of_design_is_built(built: Path) -> None:
    files = set(output_files(built))
    for path in ("index.html", "timelines/river-bridge/index.html", "timelines/river-bridge/timeline.json",
                 "timelines/river-bridge/feed.xml", "articles/council-answers/index.html",
                 "statements/council-denies/index.html", "speakers/piet-jansen/index.html",
                 "tags/transport/index.html", "tags/city-hall/index.html", "feed.xml", "sitemap.xml", "404.html",
                 "search/index.html", "pagefind/pagefind.js", "timelines/index.html", "speakers/index.html",
                 "tags/index.html"):
        assert path in files, path


def test_two_builds_are_byte_identical_whatever_the_hash_seed(built: Path, tmp_path: Path) -> None:
    script = ("import sys; from pathlib import Path; from generator.build import build_site; "
              "r = build_site(Path(sys.argv[1]), out_dir=Path(sys.argv[2])); sys.exit(0 if r.ok else 1)")
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-c", script, str(FIXTURE), str(out)], check=True, env=env, cwd=ROOT)
        assert output_files(out) == output_files(built), f"PYTHONHASHSEED={seed} built different bytes"


def test_output_has_no_build_time(built: Path) -> None:
    today = dt.date.today()
    for path, data in output_files(built).items():
        for stamp in (today.isoformat(), f"{today.day} {today:%b} {today.year}"):
            assert stamp.encode() not in data, f"{path} contains today's date"


# --- URLs --------------------------------------------------------------------------------------------------


class Links(HTMLParser):
    """Every URL-valued attribute of a page, and every id."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "data-index") and value is not None:
                self.urls.append(value)
            if name == "id" and value:
                self.ids.add(value)


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_every_internal_link_starts_with_the_base_path_and_resolves(built: Path) -> None:
    files = output_files(built)
    ids = {path: links_of(data.decode()).ids for path, data in files.items() if path.endswith(".html")}
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        for url in links_of(data.decode()).urls:
            parts = urlsplit(url)
            if url.startswith("#"):
                assert url[1:] in ids[path], f"{path}: {url} names a missing anchor"
                continue
            if parts.scheme or url.startswith("//"):
                assert parts.scheme in ("https", "http", "mailto"), (path, url)
                continue
            assert url.startswith(BASE_PATH), f"{path}: {url} ignores the base path"
            target = unquote(parts.path[len(BASE_PATH):])
            target = target + "index.html" if target == "" or target.endswith("/") else target
            assert target in files, f"{path}: broken link {url}"
            if parts.fragment:
                assert parts.fragment in ids[target], f"{path}: {url} names a missing anchor"


def test_feeds_sitemap_and_json_use_absolute_urls(built: Path) -> None:
    sitemap = ET.parse(built / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == sorted(locs) and locs
    assert all(loc.startswith(BASE_URL) for loc in locs)
    assert BASE_URL + "statements/council-denies/" in locs
    assert not any("404" in loc for loc in locs)
    for feed in ("feed.xml", "timelines/river-bridge/feed.xml"):
        root = ET.parse(built / feed).getroot()
        hrefs = [e.get("href") for e in root.iter(f"{ATOM}link")] + [e.text for e in root.iter(f"{ATOM}id")]
        assert hrefs and all(h.startswith(BASE_URL) for h in hrefs), feed
    data = json.loads(page(built, "timelines/river-bridge/timeline.json"))
    urls = [data["timeline"]["url"]] + [s["url"] for s in data["statements"]]
    urls += [s["article"]["url"] for s in data["statements"]]
    assert all(url.startswith(BASE_URL) for url in urls)


# --- timeline.json -----------------------------------------------------------------------------------------


def test_timeline_json_is_valid_against_the_schema_in_docs(built: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for slug in ("river-bridge", "city-budget"):
        data = json.loads(page(built, f"timelines/{slug}/timeline.json"))
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, errors


def test_the_schema_rejects_what_design_md_does_not_allow(built: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(page(built, "timelines/river-bridge/timeline.json"))
    data["statements"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_timeline_json_follows_design_md(built: Path) -> None:
    data = json.loads(page(built, "timelines/river-bridge/timeline.json"))
    assert list(data) == ["version", "timeline", "statements"] and data["version"] == 1
    assert data["timeline"] == {"slug": "river-bridge", "title": "The Riverside bridge closure",
                                "url": BASE_URL + "timelines/river-bridge/"}
    statements = {s["id"]: s for s in data["statements"]}
    assert [s["id"] for s in data["statements"]] == [
        "mayor-inspection", "budget-estimate", "bridge-unsafe", "closed-until-summer", "engineer-confirms",
        "council-denies", "contractor-no-comment", "mayor-disputes-council", "courier-corrects-reopening"]
    denial = statements["council-denies"]
    assert list(denial) == ["id", "kind", "status", "speaker", "said", "about", "quote", "text", "html", "answers",
                            "answered_by", "via", "source", "lang", "translation", "article", "url", "verdict"]
    assert denial["kind"] == "denial" and denial["status"] == "disputed"
    assert denial["speaker"] == {"slug": "piet-jansen", "name": "Piet Jansen", "role": "council spokesman"}
    assert denial["said"] == {"date": "2024-03-06", "precision": "day", "phrase": "2024-03-06", "approximate": False}
    assert denial["about"] is None and denial["quote"] is True and denial["source"] is None
    assert denial["text"] == "The bridge is closed for planned maintenance. It is not unsafe."
    assert denial["html"].startswith("<blockquote>")
    assert denial["answers"] == ["bridge-unsafe"] and denial["answered_by"] == ["mayor-disputes-council"]
    assert denial["via"] == "Radio Riverside"
    assert denial["article"] == {"slug": "council-answers", "title": "Council denies the bridge is unsafe",
                                 "url": BASE_URL + "articles/council-answers/"}
    claim = statements["bridge-unsafe"]
    assert claim["status"] == "contested"
    assert claim["answered_by"] == ["engineer-confirms", "council-denies", "contractor-no-comment"]
    assert claim["about"] == {"date": "2024-02-19", "precision": "week", "phrase": "last week", "approximate": False}
    assert statements["mayor-inspection"]["said"]["date"] == "2024-02-01"
    assert statements["mayor-inspection"]["said"]["precision"] == "month"
    assert statements["budget-estimate"]["said"]["approximate"] is True
    assert statements["engineer-confirms"]["source"] == "https://example.com/reports/inspection.pdf"
    assert statements["closed-until-summer"]["status"] == "corrected"


def test_search_index_holds_every_article_with_its_statements_and_their_filters(built: Path) -> None:
    records = {}
    for path in (built / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    assert sorted(records) == [BASE_PATH + f"articles/{slug}/" for slug in
                               ("council-answers", "courier-correction", "courier-says-bridge-unsafe",
                                "twin-town-ferry")]  # no list page
    entry = records[BASE_PATH + "articles/council-answers/"]
    assert entry["meta"] == {"title": "Council denies the bridge is unsafe", "date": "6 Mar 2024"}
    assert entry["filters"]["speaker"] == ["Ana Duarte", "Bridgeworks Ltd", "Lena Okafor", "Piet Jansen"]
    assert "Denial" in entry["filters"]["kind"] and "Disputed" in entry["filters"]["status"]
    assert entry["filters"]["timeline"] == ["The Riverside bridge closure"]
    anchors = {anchor["id"]: anchor["text"] for anchor in entry["anchors"]}
    assert anchors["s-council-denies"] == "Denial by Piet Jansen, 6 Mar 2024"
    assert "The bridge is closed for planned maintenance. It is not unsafe." in entry["content"]
    assert not (built / "search" / "index.json").exists()  # the old index, fetched whole, is gone
    ferry = records[BASE_PATH + "articles/twin-town-ferry/"]  # a quotation is found by its translation too
    assert "Un bac reliera nos deux villes" in ferry["content"]
    assert "A ferry will link our two towns" in ferry["content"]


def test_the_golden_site_shows_a_quotation_with_its_translation(built: Path) -> None:
    html = page(built, "statements/rivemont-ferry/index.html")
    assert ('<blockquote lang="fr">\n<p>Un bac reliera nos deux villes toutes les heures tant que le pont sera fermé.'
            '</p>\n<p>Il est <em>gratuit</em> pour les habitants.</p>\n</blockquote>\n<div class="translation">\n'
            '<p class="translation-label">Translation · <span class="translated-by">The Riverside Courier</span></p>\n'
            '<p>A ferry will link our two towns every hour while the bridge is closed.</p>\n'
            '<p>It is <em>free</em> for residents.</p>\n</div>\n<figcaption>') in html
    statement = json.loads(page(built, "timelines/twin-town-ferry/timeline.json"))["statements"][0]
    assert (statement["lang"], statement["translation"]["translated_by"]) == ("fr", "The Riverside Courier")
    assert statement["text"].startswith("Un bac") and statement["translation"]["text"].startswith("A ferry")
    assert "workTranslation" in html and '"inLanguage":"fr"' in html


# --- the timeline page -------------------------------------------------------------------------------------


def entries(html: str) -> list[str]:
    """The top-level <li> entries of the timeline <ol>, as HTML strings."""
    body = html.split('<ol class="timeline" id="timeline" data-order="said">', 1)[1]
    return re.split(r'\n(?=<li class="entry)', body.split("\n</ol>\n</main>", 1)[0].strip())


def test_timeline_page_is_an_ordered_list_of_articles_in_said_order(built: Path) -> None:
    html = page(built, "timelines/river-bridge/index.html")
    items = entries(html)
    ids = [re.search(r'id="s-([a-z0-9-]+)"', item).group(1) for item in items]
    assert ids == ["mayor-inspection", "budget-estimate", "bridge-unsafe", "closed-until-summer",
                   "engineer-confirms", "council-denies", "contractor-no-comment", "mayor-disputes-council",
                   "courier-corrects-reopening"]
    assert all(item.count("<article") >= 1 for item in items)
    assert html.count('<html lang="en-GB">') == 1
    assert 'class="skip-link" href="#main"' in html


def test_dates_are_shown_at_their_precision_with_the_reporters_words(built: Path) -> None:
    html = page(built, "timelines/river-bridge/index.html")
    claim = next(item for item in entries(html) if 'id="s-bridge-unsafe"' in item)
    assert '<time datetime="2024-03-03">3 Mar 2024</time> <span class="phrase">· ‘Sunday’</span>' in claim
    assert '<time datetime="2024-W08">week of 19 Feb 2024</time> <span class="phrase">· ‘last week’</span>' in claim
    inspection = next(item for item in entries(html) if 'id="s-mayor-inspection"' in item)
    assert '<time datetime="2024-02">Feb 2024</time></span>' in inspection  # no invented day, no ISO phrase
    assert '<time datetime="2024-02">early Feb 2024</time>' in inspection
    budget = next(item for item in entries(html) if 'id="s-budget-estimate"' in item)
    assert '<time datetime="2024-03">c. Mar 2024</time> <span class="phrase">· ‘circa March 2024’</span>' in budget
    assert '<time datetime="2023">2023</time>' in budget
    assert '<time datetime="2024-03-06T17:45:00+00:00">6 Mar 2024, 17:45</time>' in html
    assert "1 Feb 2024" not in html


def test_answers_are_threaded_under_what_they_answer_and_in_their_own_place(built: Path) -> None:
    html = page(built, "timelines/river-bridge/index.html")
    claim = next(item for item in entries(html) if 'id="s-bridge-unsafe"' in item)
    thread = claim.split('<ol class="thread"', 1)[1]
    order = re.findall(r'class="permalink" href="/factcheck/statements/([a-z0-9-]+)/"', thread)
    assert order == ["engineer-confirms", "council-denies", "mayor-disputes-council", "contractor-no-comment"]
    assert re.search(r'<ol class="thread" aria-label="Answers to this denial">\s*'
                     r'<li class="reply" data-statement="mayor-disputes-council">\s*'
                     r'<article class="card mini k-dispute"', claim)  # in brief: the whole card is on its page
    # each answer also stands in its own place, saying what it answers
    own = next(item for item in entries(html) if 'id="s-council-denies"' in item)
    assert '<p class="reply-to">In answer to <a href="/factcheck/statements/bridge-unsafe/">' \
           'The Riverside Courier’s claim of 3 Mar 2024</a></p>' in own


def test_status_badges_and_kind_labels_are_words(built: Path) -> None:
    html = page(built, "timelines/river-bridge/index.html")
    claim = next(item for item in entries(html) if 'id="s-bridge-unsafe"' in item)
    assert '<span class="status st-contested"><span class="vh">Status: </span>Contested</span>' in claim
    for kind, label in (("claim", "Claim"), ("denial", "Denial"), ("confirmation", "Confirmation"),
                        ("no-comment", "No comment"), ("correction", "Correction"), ("dispute", "Dispute")):
        assert f'<span class="kind k-{kind}">{label}</span>' in html
    assert "st-corrected" in html and "st-disputed" in html
    unanswered = next(item for item in entries(html) if 'id="s-mayor-inspection"' in item)
    assert "status" not in unanswered.split("</header>")[0]  # a statement nobody answered has no badge


def test_quotations_are_blockquotes_with_attribution_and_paraphrases_are_prose(built: Path) -> None:
    html = page(built, "statements/council-denies/index.html")
    assert re.search(r'<figure class="quote">\s*<blockquote>\s*<p>The bridge is closed for planned maintenance\. '
                     r'It is not unsafe\.</p>\s*</blockquote>\s*<figcaption>— <a class="speaker" '
                     r'href="/factcheck/speakers/piet-jansen/">Piet Jansen</a>, council spokesman, via Radio '
                     r'Riverside</figcaption>', html)
    html = page(built, "statements/engineer-confirms/index.html")
    assert re.search(r'<div class="paraphrase">\s*<p class="byline"><a class="speaker" href="/factcheck/speakers/'
                     r'lena-okafor/">Lena Okafor</a>, structural engineer:</p>\s*<p>She '
                     r'confirmed', html)
    assert '<a class="source" href="https://example.com/reports/inspection.pdf" rel="external nofollow noopener">' \
           'Source</a>' in html


def test_controls_are_hidden_until_javascript_and_filters_list_what_is_there(built: Path) -> None:
    html = page(built, "timelines/river-bridge/index.html")
    form = html.split('<form class="controls"', 1)[1].split("</form>", 1)[0]
    assert form.split(">", 1)[0].endswith(" hidden")
    assert re.findall(r'<option value="([a-z-]*)">', form) == [
        "", "ana-duarte", "bridgeworks-ltd", "lena-okafor", "piet-jansen", "the-riverside-courier",
        "", "claim", "statement", "denial", "confirmation", "dispute", "no-comment", "correction",
        "", "mostly-true"]  # only the verdicts given in the timeline, in the scale's order
    assert 'value="said" checked' in form and 'value="about">' in form
    assert '<script src="/factcheck/assets/timeline.js" defer></script>' in html
    # no inline scripts: the only other <script> is JSON-LD data, which browsers never run
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">',
                                                 '<script src="/factcheck/assets/timeline.js" defer>']


# --- other pages -------------------------------------------------------------------------------------------


def test_statement_page_has_json_ld_claim_and_the_whole_thread(built: Path) -> None:
    html = page(built, "statements/mayor-disputes-council/index.html")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</" not in script
    graph = json.loads(script)
    assert graph["@context"] == "https://schema.org"
    data = graph["@graph"][0]
    assert data["@type"] == "Claim"
    assert data["url"] == BASE_URL + "statements/mayor-disputes-council/"
    assert data["text"].startswith("The maintenance had been planned")
    assert data["author"] == {"@type": "Person", "name": "Ana Duarte", "url": BASE_URL + "speakers/ana-duarte/",
                              "jobTitle": "Mayor of Riverside"}
    assert data["datePublished"] == "2024-03-06T17:45:00+00:00"
    assert data["appearance"]["url"] == BASE_URL + "articles/council-answers/"
    assert data["about"] == [{"@type": "Claim", "@id": BASE_URL + "statements/council-denies/"}]
    # the thread starts at the claim at its root and marks this statement
    thread = html.split('<h2 id="thread-heading">The whole thread</h2>', 1)[1]
    assert thread.index('statements/bridge-unsafe/"><time') < thread.index('aria-current="true"')
    current = thread.split('aria-current="true" data-current-label="This statement">', 1)[1]
    assert current.lstrip().startswith('<article class="card mini k-dispute"')
    claim = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                 page(built, "statements/bridge-unsafe/index.html"), re.S).group(1))
    answers = claim["@graph"][1:]  # the answers are Claims too, each `about` the claim (test_structured_data.py)
    assert [c["genre"] for c in answers] == ["confirmation", "denial", "no-comment"]


def test_article_page_renders_statement_cards_in_place(built: Path) -> None:
    html = page(built, "articles/council-answers/index.html")
    body = html.split('<div class="story-body">', 1)[1]
    positions = [body.index(marker) for marker in (
        "The city council on Wednesday rejected", 'id="s-council-denies"', "An engineer who worked",
        'id="s-engineer-confirms"', 'id="s-contractor-no-comment"', "The mayor later took issue",
        'id="s-mayor-disputes-council"')]
    assert positions == sorted(positions)
    assert '<p class="answered-by">Answered by <a href="/factcheck/statements/mayor-disputes-council/">Ana Duarte ' \
           '<span class="kind-inline">(dispute)</span></a></p>' in body
    assert '<a class="tag" href="/factcheck/tags/transport/">transport</a>' in html


def test_speaker_tag_and_index_pages(built: Path) -> None:
    speaker = page(built, "speakers/the-riverside-courier/index.html")
    assert "<h1>The Riverside Courier</h1>" in speaker and "local daily newspaper" in speaker
    assert '<a href="https://example.com/courier" rel="external nofollow noopener">' in speaker
    assert speaker.count('<li class="entry"') == 3
    assert "courier-corrects-reopening" in speaker  # what answered it
    tag = page(built, "tags/city-hall/index.html")
    assert "<h1>city hall</h1>" in tag and "/factcheck/articles/courier-says-bridge-unsafe/" in tag
    speakers = page(built, "speakers/index.html")
    assert speakers.index("Ana Duarte") < speakers.index("Bridgeworks Ltd") < speakers.index("The Riverside Courier")
    home = page(built, "index.html")
    assert home.count('<li class="entry">') == 4  # latest_count
    assert home.index("The city budget") < home.index("The Riverside bridge closure")


def test_feeds_are_atom(built: Path) -> None:
    root = ET.parse(built / "timelines/river-bridge/feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries_ = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text.rsplit("/", 2)[1] for e in entries_] == [
        "courier-corrects-reopening", "mayor-disputes-council", "contractor-no-comment", "council-denies"]
    assert root.find(f"{ATOM}updated").text == "2024-03-08T00:00:00+00:00"
    first = entries_[1]
    assert first.find(f"{ATOM}updated").text == "2024-03-06T17:45:00+00:00"
    content = first.find(f"{ATOM}content")
    assert content.get("type") == "html" and "<strong>Dispute</strong>" in content.text
    site = ET.parse(built / "feed.xml").getroot()
    assert [e.find(f"{ATOM}title").text for e in site.findall(f"{ATOM}entry")] == [
        "Twin town offers a ferry while the bridge is closed", "Correction: the bridge reopens in May",
        "Council denies the bridge is unsafe", "Courier says the old bridge was closed because it is unsafe"]


def test_404_and_search_pages(built: Path) -> None:
    html = page(built, "404.html")
    assert '<meta name="robots" content="noindex">' in html and 'href="/factcheck/"' in html
    assert 'href="/factcheck/assets/style.css"' in html
    search = page(built, "search/index.html")
    assert 'data-bundle="/factcheck/pagefind/"' in search
    assert 'id="search-form" role="search"' in search and 'id="search-fallback"' in search


# --- units -------------------------------------------------------------------------------------------------


def fuzzy(value: str, precision: str, phrase: str = "", **extra) -> FuzzyDate:
    return FuzzyDate(dt.date.fromisoformat(value), Precision(precision), phrase or value, **extra)


@pytest.mark.parametrize(("date", "label", "attr"), [
    (fuzzy("2024-11-07", "day"), "7 Nov 2024", "2024-11-07"),
    (fuzzy("2024-11-04", "week"), "week of 4 Nov 2024", "2024-W45"),
    (fuzzy("2024-12-30", "week"), "week of 30 Dec 2024", "2025-W01"),
    (fuzzy("2024-11-01", "month"), "Nov 2024", "2024-11"),
    (fuzzy("2024-11-01", "month", "early November", part="early"), "early Nov 2024", "2024-11"),
    (fuzzy("2024-01-01", "year"), "2024", "2024"),
    (fuzzy("2024-11-01", "month", approximate=True), "c. Nov 2024", "2024-11"),
    (fuzzy("2024-11-07", "day", moment=dt.datetime(2024, 11, 7, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))),
     "7 Nov 2024, 14:30", "2024-11-07T14:30:00+03:00"),
])
def test_date_label_and_datetime_attribute(date: FuzzyDate, label: str, attr: str) -> None:
    assert date_label(date, Language("en")) == label
    assert datetime_attr(date) == attr


def test_phrase_is_shown_only_when_it_adds_something() -> None:
    english = Language("en")
    assert phrase_label(fuzzy("2024-11-07", "day", "Thursday"), english) == "Thursday"
    assert phrase_label(fuzzy("2024-11-07", "day", "2024-11-07"), english) is None
    assert phrase_label(fuzzy("2024-11-07", "day", "~2024-11-07", approximate=True), english) is None
    assert phrase_label(fuzzy("2024-11-01", "month", "2024-11"), english) is None
    assert phrase_label(fuzzy("2024-11-07", "day", "2024-11-07T10:00+03:00"), english) is None
    assert phrase_label(fuzzy("2024-11-01", "month", "Nov 2024"), english) is None


def test_atom_dates_use_the_site_timezone() -> None:
    from zoneinfo import ZoneInfo
    assert atom_date(fuzzy("2024-07-01", "day"), ZoneInfo("Europe/London")) == "2024-07-01T00:00:00+01:00"


@pytest.mark.parametrize("url", ["https://example.com/a?b=1", "http://x.org", "mailto:desk@example.com",
                                 "/relative/path", "page.html", "#anchor", "../up"])
def test_safe_url_keeps_http_https_mailto_and_relative(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
                                 "\x01javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                                 "file:///etc/passwd", "", None])
def test_safe_url_drops_everything_else(url: str | None) -> None:
    assert safe_url(url) is None


def test_excerpt_cuts_at_a_word() -> None:
    assert excerpt("one two three four", 12) == "one two…"
    assert excerpt("short", 12) == "short"


def test_config_base_path_is_used_for_site_relative_urls() -> None:
    config = Config(base_url=BASE_URL)
    assert config.url("statements/x/") == "/factcheck/statements/x/"
    assert urljoin(BASE_URL, config.url("statements/x/")) == BASE_URL + "statements/x/"
