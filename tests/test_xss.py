"""Hostile content in every field cannot put anything executable into any page, feed or JSON file.

Two hostile sites: one built by hand as a `Site` (so it can hold values the loader would
never let through, such as `javascript:` sources and ids with quotes), and one written
as a site folder and built through `build_site`. Every output file is then scanned.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

import pytest
from helpers import render_all

from generator.build import build_site
from generator.config import Config
from generator.load.markup import MarkdownRenderer, plain_text
from generator.model import (
    Article,
    FuzzyDate,
    Kind,
    OutputFile,
    Precision,
    Site,
    Speaker,
    Statement,
    Status,
    Tag,
    Timeline,
)
from generator.problems import SourceLocation
from generator.render import DEFAULT_THEME

PAYLOADS = (
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '</script><script>alert(1)</script>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '</title><style>*{}</style><a href="javascript:alert(1)">x</a>',
    ']]><script>alert(1)</script><!--',
)
HOSTILE = " ".join(PAYLOADS)
BAD_URLS = ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "\x01javascript:alert(1)", "java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)")
HOSTILE_URL = 'https://example.com/?q="><img/src=x/onerror=alert(1)><script>alert(1)</script>'
HOSTILE_MARKDOWN = (
    "Text <script>alert(1)</script> <img src=x onerror=alert(1)> <iframe src=//evil.example></iframe>\n\n"
    "[click](javascript:alert(1)) <a href=\"javascript:alert(1)\" onclick=\"alert(1)\">a</a> "
    "<svg onload=alert(1)></svg> <object data=x></object> <embed src=x> </script><script>alert(1)</script>\n\n"
    "> <form action=javascript:alert(1)><button formaction=javascript:alert(1)>b</button></form>\n"
)
EXECUTABLE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math",
                   "style", "link", "meta", "form", "button", "input", "textarea", "select", "template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "srcset",
                  "cite", "longdesc", "ping", "manifest", "data-index"}
SAFE_SCHEMES = {"http", "https", "mailto"}


# --- the scanner -------------------------------------------------------------------------------------------


def bad_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20\x7f-\x9f\s]+", "", value).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", squeezed)
    return match is not None and match.group(1) not in SAFE_SCHEMES


class Scanner(HTMLParser):
    """Collects everything executable in an HTML document or fragment.

    `theme` allows what the default theme itself emits: its own script, stylesheet, icon, meta
    tags, and the controls of the timeline and search forms, all recognised exactly.
    """

    def __init__(self, theme: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.theme = theme
        self.found: list[str] = []
        self.json_ld: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value and bad_url(value):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            if self.theme and values.get("type") == "application/ld+json" and len(attrs) == 1:
                self._script = ""
                return
            if self.theme and re.fullmatch(r"/[^:]*/assets/timeline\.js", values.get("src") or ""):
                return
        if tag in EXECUTABLE_TAGS and not (self.theme and self._theme_tag(tag, values)):
            self.found.append(f"<{tag} {values}>")

    def _theme_tag(self, tag: str, values: dict[str, str | None]) -> bool:
        if tag == "meta":
            return "http-equiv" not in values
        if tag == "link":
            return values.get("rel") in ("stylesheet", "icon", "alternate", "canonical") and not bad_url(
                values.get("href") or "")
        if tag == "form":
            return values.get("id") in ("timeline-controls", "search-form")
        return tag in ("input", "select", "button") and values.get("name") in (
            "order", "speaker", "kind", "q", "f-speaker", "f-kind", "f-status", "f-timeline", None)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.json_ld.append(self._script)
            self._script = None


def scan_html(text: str, *, theme: bool) -> list[str]:
    scanner = Scanner(theme)
    scanner.feed(text)
    scanner.close()
    for data in scanner.json_ld:
        json.loads(data)  # valid JSON, and the parser saw no early </script>
        if "<" in data:
            scanner.found.append(f"'<' in JSON-LD: {data[:80]}")
    return scanner.found


def scan_file(file: OutputFile) -> list[str]:
    """Everything executable in one output file, as readable strings."""
    path, text = file.path, file.content.decode("utf-8")
    if path.endswith(".html"):
        return [f"{path}: {x}" for x in scan_html(text, theme=True)]
    if path.endswith(".xml"):
        root = ET.fromstring(file.content)  # also proves the feed is well-formed XML
        found = []
        for element in root.iter():
            for name, value in element.attrib.items():
                if name in ("href", "src", "{http://www.w3.org/XML/1998/namespace}base") and bad_url(value):
                    found.append(f"{path}: <{element.tag} {name}={value!r}>")
            if element.get("type") == "html" and element.text:
                found += [f"{path}: {element.tag}: {x}" for x in scan_html(element.text, theme=False)]
            elif element.get("type") in ("xhtml",):
                found.append(f"{path}: xhtml content")
        return found
    if path.endswith(".json"):
        data = json.loads(text)
        if isinstance(data, dict) and "events" in data:  # timelinejs.json: TimelineJS renders these as HTML
            slides = [data["title"], *data["events"]]
            return [f"{path}: {x}" for slide in slides for part in ("headline", "text")
                    for x in scan_html(slide["text"][part], theme=False)]
        statements = data["statements"] if isinstance(data, dict) else data
        found = []
        for item in statements:
            found += [f"{path}: {item['id']!r}: {x}" for x in scan_html(item.get("html", ""), theme=False)]
            for key in ("url", "source"):
                if item.get(key) and bad_url(item[key]):
                    found.append(f"{path}: {key}={item[key]!r}")
        return found
    return []


def scan(files: list[OutputFile]) -> list[str]:
    # assets/ is the theme's; pagefind/ is Pagefind's bundle, whose index the search page reads as text only
    return [problem for file in files if not file.path.startswith(("assets/", "pagefind/"))
            for problem in scan_file(file)]


def test_the_scanner_finds_what_it_looks_for() -> None:
    for payload in (*PAYLOADS[:5], '<a href="java&#x09;script:alert(1)">x</a>', '<p style="x">',
                    '<a href=" javascript:x">', '<meta http-equiv="refresh" content="0;url=x">'):
        assert scan_html(payload, theme=True), payload
    assert scan_html('<script type="application/ld+json">{"a": "\\u003c/script>"}</script>', theme=True) == []
    assert scan_html('<script type="application/ld+json">{"a": "<b>"}</script>', theme=True)
    assert scan_file(OutputFile("f.xml", b'<feed><content type="html">&lt;img src=x onerror=alert(1)&gt;</content>'
                                         b'</feed>'))


# --- a hostile Site built by hand --------------------------------------------------------------------------


def day(value: str, phrase: str = HOSTILE) -> FuzzyDate:
    return FuzzyDate(dt.date.fromisoformat(value), Precision.DAY, phrase)


def hostile_site() -> Site:
    md = MarkdownRenderer()
    html = md.to_html(HOSTILE_MARKDOWN + "\n\n" + HOSTILE)
    weird_id = 'x" onmouseover="alert(1)'
    where = SourceLocation("content/articles/x.md", 1, 1)

    def statement(sid: str, kind: Kind, **extra) -> Statement:
        fields = dict(
            id=sid, kind=kind, by=HOSTILE, role=HOSTILE, said=day("2024-11-07"), about=day("2024-11-01"),
            answers=(), via=HOSTILE, source=BAD_URLS[len(sid) % len(BAD_URLS)], timelines=(weird_id,),
            tags=(HOSTILE,), quote=False, text=plain_text(html) + HOSTILE, html=html, article=weird_id, index=1,
            location=where, speaker=weird_id, answered_by=(), status=Status.UNANSWERED)
        fields.update(extra)
        return Statement(**fields)

    claim = statement(weird_id, Kind.CLAIM, answered_by=("denial-1", "no-comment-1"), status=Status.DENIED)
    denial = statement("denial-1", Kind.DENIAL, answers=(weird_id,), quote=True,
                       html=md.to_html("> " + HOSTILE_MARKDOWN.replace("\n", "\n> ")))
    other = statement("no-comment-1", Kind.NO_COMMENT, answers=(weird_id,), speaker="missing-speaker")
    statements = {s.id: s for s in (claim, denial, other)}
    article = Article(
        path="content/articles/x.md", slug=weird_id, title=HOSTILE, date=day("2024-11-11", "2024-11-11"),
        timelines=(weird_id,), tags=(HOSTILE,), source=BAD_URLS[0], summary=HOSTILE, draft=False,
        body=(html, ("statement", weird_id), html, ("statement", "denial-1"), ("statement", "no-comment-1")),
        statements=tuple(statements.values()), extra=MappingProxyType({"x": HOSTILE}), location=where)
    speaker = Speaker(slug=weird_id, name=HOSTILE, role=HOSTILE, aliases=(HOSTILE,), kind=HOSTILE,
                      url=BAD_URLS[1], bio_html=html)
    config = Config(title=HOSTILE, description=HOSTILE, base_url="https://example.org/a'b\"c/", language="en",
                    latest_count=5)
    return Site(
        config=config,
        articles=MappingProxyType({article.slug: article}),
        statements=MappingProxyType(statements),
        speakers=MappingProxyType({speaker.slug: speaker}),
        timelines=MappingProxyType({weird_id: Timeline(slug=weird_id, title=HOSTILE, intro_html=html,
                                                       statements=tuple(statements))}),
        tags=MappingProxyType({'t"><b>': Tag(slug='t"><b>', name=HOSTILE, articles=(weird_id,))}),
    )


@pytest.fixture(scope="module")
def hostile_files() -> list[OutputFile]:
    return render_all(hostile_site(), DEFAULT_THEME)


def test_nothing_executable_reaches_any_output_of_a_hostile_site(hostile_files: list[OutputFile]) -> None:
    assert len(hostile_files) > 15
    found = scan(hostile_files)
    assert not found, "\n".join(found[:20])


def test_hostile_text_is_shown_escaped_not_dropped(hostile_files: list[OutputFile]) -> None:
    timeline = next(f for f in hostile_files if f.path.endswith("/index.html") and f.path.startswith("timelines/x"))
    text = timeline.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in text


def test_unsafe_urls_become_no_links_at_all(hostile_files: list[OutputFile]) -> None:
    for file in hostile_files:
        text = file.content.decode(errors="replace").lower()
        for needle in ("javascript:", "vbscript:", "data:text"):
            for match in re.finditer(re.escape(needle), text):
                before = text[max(0, match.start() - 12): match.start()]
                assert not re.search(r"(href|src|action)\s*=\s*[\"']?\s*$", before), (file.path, before)


def test_json_ld_escapes_the_end_of_its_script_element(hostile_files: list[OutputFile]) -> None:
    page = next(f for f in hostile_files if f.path.startswith("statements/x") and f.path.endswith("index.html"))
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.content.decode(), re.S)
    data = json.loads(script.group(1))
    assert "</script><script>alert(1)</script>" in data["@graph"][0]["author"]["name"]
    assert "<" not in script.group(1)
    # every page's JSON-LD (home, timelines, articles too) is escaped the same way
    scripts = [found for f in hostile_files if f.path.endswith(".html")
               for found in re.findall(r'<script type="application/ld\+json">(.*?)</script>', f.content.decode(), re.S)]
    assert len(scripts) > 3 and not [s for s in scripts if "<" in s]


def test_hostile_slugs_stay_inside_the_output_folder(hostile_files: list[OutputFile]) -> None:
    for file in hostile_files:
        parts = file.path.split("/")
        assert ".." not in parts and not file.path.startswith("/"), file.path


@pytest.mark.parametrize("slug", ["../etc", "a/b", "..", "", "a\\b"])
def test_a_slug_that_would_leave_its_folder_is_refused(slug: str) -> None:
    site = hostile_site()
    tag = Tag(slug=slug, name="x", articles=())
    site = Site(site.config, site.articles, site.statements, site.speakers, site.timelines,
                MappingProxyType({slug: tag}))
    with pytest.raises(ValueError, match="URL path segment"):
        render_all(site, DEFAULT_THEME)


# --- a hostile site folder, through the whole build -------------------------------------------------------


def yaml_text(value: str) -> str:
    return json.dumps(value)  # JSON strings are YAML strings


def toml_text(value: str) -> str:
    return json.dumps(value)


def write_hostile_site(site: Path) -> None:
    (site / "content" / "articles").mkdir(parents=True)
    (site / "content" / "speakers").mkdir()
    (site / "content" / "timelines").mkdir()
    (site / "site.toml").write_text(
        f"title = {toml_text(HOSTILE)}\ndescription = {toml_text(HOSTILE)}\n"
        'base_url = "https://example.org/x/"\n', encoding="utf-8")
    (site / "content" / "timelines" / "evil.md").write_text(
        f"---\ntitle: {yaml_text(HOSTILE)}\n---\n\n{HOSTILE_MARKDOWN}\n{HOSTILE}\n", encoding="utf-8")
    (site / "content" / "speakers" / "mallory.md").write_text(
        f"---\nname: {yaml_text('Mallory ' + HOSTILE)}\nrole: {yaml_text(HOSTILE)}\nkind: person\n"
        f"url: {yaml_text(HOSTILE_URL)}\n---\n\n{HOSTILE_MARKDOWN}\n",
        encoding="utf-8")
    fields = f"role: {yaml_text(HOSTILE)}\nvia: {yaml_text(HOSTILE)}\n"
    (site / "content" / "articles" / "2024-11-11-evil.md").write_text(
        f"---\ntitle: {yaml_text(HOSTILE)}\ndate: 2024-11-11\ntimeline: evil\n"
        f"tags: [{yaml_text(HOSTILE)}, {yaml_text(PAYLOADS[1])}]\nsummary: {yaml_text(HOSTILE)}\n"
        f"source: {yaml_text(HOSTILE_URL)}\nextra: {yaml_text(HOSTILE)}\n---\n\n"
        f"{HOSTILE_MARKDOWN}\n"
        f"::: claim\nid: evil-claim\nby: {yaml_text('Mallory ' + HOSTILE)}\n{fields}about: Thursday\n\n"
        f"{HOSTILE_MARKDOWN}:::\n\n"
        f"::: denial\nid: evil-denial\nby: {yaml_text(HOSTILE)}\n{fields}answers: evil-claim\n\n"
        f"> {HOSTILE}\n:::\n\n"
        f"::: no-comment\nid: evil-nc\nby: {yaml_text(PAYLOADS[3])}\nanswers: evil-claim\n"
        f"source: {yaml_text(HOSTILE_URL)}\n\n{HOSTILE}\n:::\n",
        encoding="utf-8")


def test_nothing_executable_reaches_the_output_of_a_hostile_site_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_hostile_site(site)
    out = tmp_path / "public"
    result = build_site(site, out_dir=out)
    assert result.ok, [str(p) for p in result.problems]
    files = [OutputFile(p.relative_to(out).as_posix(), p.read_bytes()) for p in sorted(out.rglob("*")) if p.is_file()]
    assert any(f.path == "statements/evil-denial/index.html" for f in files)
    found = scan(files)
    assert not found, "\n".join(found[:20])
    timeline = (out / "timelines" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "Mallory &lt;script&gt;alert(1)&lt;/script&gt;" in timeline
