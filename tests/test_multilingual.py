"""Multilingual sites (issue 13, item 4): editions under /<code>/, hreflang links that resolve, answers across
languages, dates read in each article's language; and one content built in two languages differs only in words."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from toolbox import ROOT

from generator.build import build_site
from generator.cli import main

BILINGUAL = ROOT / "tests" / "sites" / "bilingual"
FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
BASE = "https://example.org/factcheck/"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("bilingual")
    shutil.copytree(BILINGUAL, site, dirs_exist_ok=True)
    out = site / "public"
    result = build_site(site, out_dir=out, use_cache=False)
    assert result.ok, [str(p) for p in result.problems]
    return out


class _Page(HTMLParser):
    """A built page's hreflang links (in the head and the language switch), its other links and its lang."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[tuple[str, str]] = []  # (hreflang, href) of <link rel=alternate hreflang>
        self.switch: list[tuple[str, str]] = []  # (hreflang, href) of <a hreflang>
        self.links: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "link" and found.get("rel") == "alternate" and "hreflang" in found:
            self.head.append((found["hreflang"] or "", found.get("href") or ""))
        if tag == "a" and "hreflang" in found:
            self.switch.append((found["hreflang"] or "", found.get("href") or ""))
        for name in ("href", "src"):
            if found.get(name):
                self.links.append(found[name] or "")


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _file_of(out: Path, url: str) -> Path:
    """The built file a URL of the site names (absolute, or site-relative under /factcheck/)."""
    path = urlsplit(url).path
    assert path.startswith("/factcheck/"), url
    relative = path.removeprefix("/factcheck/")
    return out / (relative + "index.html" if relative == "" or relative.endswith("/") else relative)


def _url_of(out: Path, file: Path) -> str:
    return BASE + file.relative_to(out).as_posix().removesuffix("index.html")


def test_each_language_has_its_own_pages_under_its_prefix(built: Path) -> None:
    assert _read(built / "index.html").lang == "en"
    assert _read(built / "fr/index.html").lang == "fr"
    for path in ("timelines/river-bridge/index.html", "feed.xml", "timelines/river-bridge/feed.xml",
                 "speakers/index.html", "tags/transport/index.html", "search/index.html"):
        assert (built / path).is_file() and (built / "fr" / path).is_file(), path
    # each article and statement is published once, in its own language's edition
    assert (built / "articles/bridge-closed/index.html").is_file()
    assert (built / "fr/articles/pont-ferme/index.html").is_file()
    assert not (built / "articles/pont-ferme").exists() and not (built / "fr/articles/bridge-closed").exists()
    assert (built / "fr/statements/maire-dementi/index.html").is_file()
    assert not (built / "statements/maire-dementi").exists()
    # one sitemap, robots.txt and 404 page for the whole site
    assert not (built / "fr/sitemap.xml").exists() and not (built / "fr/404.html").exists()
    # the feeds list their own language's articles, in their language's words
    english, french = (ET.parse(built / p).getroot() for p in ("feed.xml", "fr/feed.xml"))
    titles = {f.get("{http://www.w3.org/XML/1998/namespace}lang"): sorted(e.text for e in f.iter()
                                                                          if e.tag.endswith("}title"))
              for f in (english, french)}
    assert titles == {"en": ["Riverside Fact Check", "The council closes the bridge"],
                      "fr": ["La maire de Rivemont dément", "Le conseil ferme le pont", "Riverside Fact Check"]}
    assert "Chronologies" in (built / "fr/index.html").read_text()
    # a timeline's title in each language, from its file's 'titles'
    assert "<title>Le pont de la rivière — " in (built / "fr/timelines/river-bridge/index.html").read_text()
    assert "<title>The river bridge — " in (built / "timelines/river-bridge/index.html").read_text()


def test_every_hreflang_link_resolves_and_links_back(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    alternates: dict[str, set[tuple[str, str]]] = {}
    followed = 0
    for file in pages:
        page = _read(file)
        here = _url_of(built, file)
        if page.head:
            alternates[here] = set(page.head)
            # the language switch offers the same versions, site-relative
            assert [(code, urlsplit(url).path) for code, url in page.head] == page.switch
            assert (page.lang, here) in page.head  # a page names itself among its versions
        for link in page.links:  # every link of the site's own, not only hreflang ones
            if link.startswith(("/factcheck/", BASE)):
                assert _file_of(built, link.split("#")[0]).is_file(), f"{file}: {link}"
                followed += 1
    for here, versions in alternates.items():
        for code, url in versions:
            assert _file_of(built, url).is_file(), f"{here}: {code} {url}"
            assert alternates.get(url) == versions, f"{url} does not name the same versions as {here}"
    assert followed > 200
    assert alternates[BASE + "articles/bridge-closed/"] == {
        ("en", BASE + "articles/bridge-closed/"), ("fr", BASE + "fr/articles/pont-ferme/")}
    assert alternates[BASE + "fr/timelines/river-bridge/"] == {
        ("en", BASE + "timelines/river-bridge/"), ("fr", BASE + "fr/timelines/river-bridge/")}
    # a statement, and an article without a translation, have no versions to name
    assert BASE + "fr/statements/maire-dementi/" not in alternates
    assert BASE + "fr/articles/maire-dement/" not in alternates

    sitemap = ET.parse(built / "sitemap.xml").getroot()
    listed = {}
    for entry in sitemap:
        loc = entry.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text
        assert _file_of(built, loc).is_file(), loc
        listed[loc] = {(x.get("hreflang"), x.get("href")) for x in entry.findall(XHTML + "link")}
    assert len(listed) == len(pages) - 1  # every page but 404.html
    assert {loc: versions for loc, versions in listed.items() if versions} == alternates


def test_answers_cross_languages(built: Path) -> None:
    english = (built / "timelines/river-bridge/index.html").read_text()
    french = (built / "fr/statements/maire-dementi/index.html").read_text()
    # the French denial shows under the English claim, linking to its one page in the French edition
    assert "Le pont n’a besoin d’aucune réparation." in english or "Le pont n'a besoin" in english
    assert 'href="/factcheck/fr/statements/maire-dementi/"' in english
    # and the English claim it answers shows on the denial's page, linking to its page at /
    assert "The bridge is closed for repairs until June." in french
    assert 'href="/factcheck/statements/council-closure/"' in french
    # the English timeline lists the English claim only; the French one its two French statements
    assert 'id="s-council-closure"' in english and 'id="s-conseil-fermeture"' not in english


def test_dates_are_read_in_the_articles_language(built: Path) -> None:
    """'jeudi' in a French article on an English site; 'Thursday' in an English article on a French one."""
    french = (built / "fr/statements/conseil-fermeture/index.html").read_text()
    assert 'datetime="2024-03-07"' in french  # 'jeudi' before Friday 8 March 2024


def _site(root: Path, toml: str, articles: dict[str, str]) -> Path:
    (root / "content/articles").mkdir(parents=True)
    (root / "site.toml").write_text(toml)
    for name, text in articles.items():
        (root / "content/articles" / name).write_text(text)
    return root


ENGLISH_ON_A_FRENCH_SITE = """---
title: The council speaks
date: 2024-03-08
{lang}---

The council spoke.

::: claim
by: Piet Jansen
said: Thursday

> The bridge is closed.
:::
"""


def test_an_english_article_on_a_french_site_reads_english_dates(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    toml = 'title = "Site"\nbase_url = "https://example.org/"\nlanguage = "fr"\n'
    plain = _site(tmp_path / "plain", toml, {"a.md": ENGLISH_ON_A_FRENCH_SITE.format(lang="")})
    assert main(["check", "--site", str(plain)]) == 1
    assert "content/articles/a.md:10:7: error:" in capsys.readouterr().out
    marked = _site(tmp_path / "marked", toml, {"a.md": ENGLISH_ON_A_FRENCH_SITE.format(lang="lang: en\n")})
    result = build_site(marked, use_cache=False)
    assert result.ok, [str(p) for p in result.problems]
    page = (marked / "public/statements/a-1/index.html").read_text()
    assert 'datetime="2024-03-07"' in page and '<html lang="fr">' in page
    # its words are marked as English on the French page: the quotation, and the article's title and prose
    assert '<blockquote lang="en">' in page
    article_page = (marked / "public/articles/a/index.html").read_text()
    assert '<h1 lang="en">The council speaks</h1>' in article_page
    assert '<div lang="en"><p>The council spoke.</p></div>' in article_page


class _Shape(HTMLParser):
    """A page without its words: each tag with its attributes, the values of those that carry words left out."""

    WORDS = {"lang", "dir", "aria-label", "title", "content", "alt", "placeholder", "data-strings", "value",
             "aria-description", "data-current-label"}

    def __init__(self) -> None:
        super().__init__()
        self.shape: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.append((tag, tuple((k, None if k in self.WORDS else v) for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.shape.append(("/" + tag,))


def _shape(path: Path) -> list[tuple]:
    parser = _Shape()
    text = re.sub(r'<script type="application/ld\+json">.*?</script>', "", path.read_text(), flags=re.S)
    parser.feed(text)
    return parser.shape


def test_a_french_and_a_russian_site_from_one_content_differ_only_in_language(tmp_path: Path) -> None:
    outputs = {}
    for code in ("fr", "ru"):
        site = tmp_path / code
        shutil.copytree(FIXTURE, site)
        toml = (site / "site.toml").read_text()
        (site / "site.toml").write_text(re.sub(r'(?m)^language = .*$', f'language = "{code}"', toml))
        result = build_site(site, use_cache=False)
        assert result.ok, [str(p) for p in result.problems]
        outputs[code] = site / "public"
    french, russian = outputs["fr"], outputs["ru"]
    def files_of(out: Path) -> list[Path]:  # Pagefind names its index files after their language and contents
        return sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and "pagefind" not in p.parts)

    files = files_of(french)
    assert files == files_of(russian)
    assert (french / "pagefind/pagefind.js").is_file() and (russian / "pagefind/pagefind.js").is_file()
    pages = [f for f in files if f.suffix == ".html"]
    assert len(pages) > 20
    for page in pages:
        assert _shape(french / page) == _shape(russian / page), page
    home = {code: (out / "index.html").read_text() for code, out in outputs.items()}
    assert '<html lang="fr">' in home["fr"] and '<html lang="ru">' in home["ru"]
    assert "Chronologies" in home["fr"] and "Хронологии" in home["ru"]
    # and they do differ: in their words
    assert _shape(french / "index.html") != [] and home["fr"] != home["ru"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_changing_an_articles_language_renders_every_page_showing_it(tmp_path: Path) -> None:
    """On a site in one language, the cards of an article's statements show its language: a page listing
    them (the timeline, the answering article) is rendered again when it changes, as a clean build would."""
    toml = 'title = "Site"\nbase_url = "https://example.org/"\nlanguage = "fr"\n'
    claim = "---\ntitle: Claim\ndate: 2024-03-08\ntimeline: t\n{lang}---\n\n::: claim\nid: c\nby: A\n\n> Said.\n:::\n"
    answer = ("---\ntitle: Réponse\ndate: 2024-03-09\ntimeline: t\n---\n\n::: denial\nid: d\nby: B\nanswers: c\n\n"
              "> Non.\n:::\n")
    site = _site(tmp_path / "site", toml, {"c.md": claim.format(lang="lang: en\n"), "d.md": answer})
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    assert '<blockquote lang="en">' in (out / "timelines/t/index.html").read_text()
    for lang in ("lang: de\n", "", "lang: fr-CA\n", "lang: en\n"):
        (site / "content/articles/c.md").write_text(claim.format(lang=lang))
        assert build_site(site, out_dir=out).ok
        clean = tmp_path / f"clean-{len(lang)}"
        assert build_site(site, out_dir=clean, use_cache=False).ok
        assert _tree(out) == _tree(clean), lang


def test_check_passes_the_two_language_site_and_writes_nothing(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    shutil.copytree(BILINGUAL, site)
    assert main(["check", "--site", str(site)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out
    assert not (site / "public").exists()


def test_each_language_has_one_version_of_an_article(tmp_path: Path) -> None:
    """A German original on a site in English and French sits in the English edition, beside its English
    translation: English then names the original, and the translation names no versions."""
    toml = 'title = "Site"\nbase_url = "https://example.org/factcheck/"\nlanguage = "en"\nlanguages = ["fr"]\n'
    text = "---\ntitle: {title}\ndate: 2024-03-0{day}\nlang: {lang}\n{extra}---\n\nWords.\n"
    site = _site(tmp_path / "site", toml, {
        "ursprung.md": text.format(title="Ursprung", day=1, lang="de", extra=""),
        "origin.md": text.format(title="Origin", day=2, lang="en", extra="translation_of: ursprung\n"),
        "origine.md": text.format(title="Origine", day=3, lang="fr", extra="translation_of: ursprung\n")})
    assert build_site(site, use_cache=False).ok
    out = site / "public"
    heads = {_url_of(out, f): _read(f).head for f in out.rglob("*.html")}
    versions = {("en", BASE + "articles/ursprung/"), ("fr", BASE + "fr/articles/origine/")}
    assert set(heads[BASE + "articles/ursprung/"]) == versions == set(heads[BASE + "fr/articles/origine/"])
    assert heads[BASE + "articles/origin/"] == []
    assert all(len({code for code, _ in head}) == len(head) for head in heads.values())


def test_search_records_are_in_their_articles_editions() -> None:
    from generator.build import load_site
    from generator.render.search import search_records

    site, problems = load_site(BILINGUAL, use_cache=False)
    assert site is not None, problems
    records = dict(search_records(site))
    assert sorted(records) == ["articles/bridge-closed/index.html", "fr/articles/maire-dement/index.html",
                               "fr/articles/pont-ferme/index.html"]
    french = records["fr/articles/pont-ferme/index.html"]
    assert '<html lang="fr">' in french and 'data-pagefind-filter="timeline:Le pont de la rivière"' in french
    assert 'data-pagefind-filter="kind:Affirmation"' in french
    english = records["articles/bridge-closed/index.html"]
    assert '<html lang="en">' in english and 'data-pagefind-filter="timeline:The river bridge"' in english
