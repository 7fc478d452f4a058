"""Light pages: long lists come a page at a time, and no input makes an HTML page heavy (issues 11 and 15)."""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.build import build_site
from generator.config import parse_config
from generator.problems import ConfigError

MOST_BYTES = 250 * 1024


def _block(kind: str, statement_id: str, by: str, answers: str | None) -> str:
    answer = f"answers: {answers}\n" if answers else ""
    return (f"::: {kind}\nid: {statement_id}\nby: {by}\n{answer}\nStatement {statement_id}, said at some length so "
            f"that its card is the size of a real one in a news story.\n:::\n")


def _chain_and_denials(root: Path, chain: int, denials: int) -> Path:
    """A chain of `chain` statements each answering the one before, and `denials` denials of one claim,
    spread over articles of 50 blocks (an article page shows its own blocks: its length is its author's)."""
    files = {}
    for start in range(0, chain, 50):
        body = "\n".join(_block("dispute" if i else "claim", f"c{i}", "Ana Duarte" if i % 2 else "Piet Jansen",
                                f"c{i - 1}" if i else None) for i in range(start, min(start + 50, chain)))
        files[f"content/articles/chain-{start:05d}.md"] = article(f"Chain {start}", "2024-03-04", "Intro.\n\n" + body,
                                                                  "timeline: chain\n")
    files["content/articles/claim.md"] = article("Claim", "2024-03-05",
                                                 "Intro.\n\n" + _block("claim", "the-claim", "Lena Okafor", None),
                                                 "timeline: denials\n")
    for start in range(0, denials, 50):
        body = "\n".join(_block("denial", f"d{i}", f"Speaker {i % 40}", "the-claim")
                         for i in range(start, min(start + 50, denials)))
        files[f"content/articles/denials-{start:05d}.md"] = article(f"Denials {start}", "2024-03-06",
                                                                    "Intro.\n\n" + body, "timeline: denials\n")
    return write_site(root, files)


def test_no_page_is_heavy_with_a_chain_of_5000_answers_and_1000_denials_of_one_claim(tmp_path: Path) -> None:
    site = _chain_and_denials(tmp_path / "site", 5000, 1000)
    result = build_site(site, out_dir=tmp_path / "out", jobs=1, use_cache=False)
    assert result.ok, result.problems
    out = tmp_path / "out"
    pages = list(out.rglob("*.html"))
    assert len(pages) > 6000
    heaviest = max(pages, key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size <= MOST_BYTES, f"{heaviest.relative_to(out)}: {heaviest.stat().st_size} bytes"
    # the claim's 1,000 denials are all reachable: its page, then its answer pages, each linking the next
    claim = (out / "statements/the-claim/index.html").read_text()
    assert "1000 answers" in claim
    seen, page = set(), "statements/the-claim/index.html"
    while page:
        html = (out / page).read_text()
        seen.update(re.findall(r'<li class="reply" data-statement="(d\d+)">', html))
        following = re.search(r'<a rel="next" href="/(statements/the-claim/page/\d+/)">', html)
        page = following.group(1) + "index.html" if following else None
    assert seen == {f"d{i}" for i in range(1000)}
    # deep in the chain a statement shows the statements it answers nearest first, and where the thread starts
    deep = (out / "statements/c2500/index.html").read_text()
    context = deep.split('id="context-heading"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'data-statement="(c\d+)"', context) == [f"c{i}" for i in range(2490, 2500)]
    assert 'The thread starts earlier, with <a href="/statements/c0/">' in context
    answers = deep.split('id="thread-heading"', 1)[1]
    assert re.findall(r'<li class="reply" data-statement="(c\d+)">', answers) == [f"c{i}" for i in range(2501, 2507)]
    assert '<p class="thread-more"><a href="/statements/c2501/">' in answers  # its answer's thread goes on


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.entries: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "li" and "entry" in (values.get("class") or "").split():
            self.entries.append(values.get("id") or "")


def test_a_500_statement_timeline_comes_a_page_at_a_time_every_page_reached_by_links(tmp_path: Path) -> None:
    months = ["2023-01-15", "2023-06-15", "2024-02-15", "2024-11-15"]
    files = {}
    for n in range(50):
        body = "\n".join(f"::: claim\nid: s{n}-{k}\nby: Speaker {k % 3}\n\nClaim {k} of article {n}.\n:::\n"
                         for k in range(10))
        files[f"content/articles/a{n:02d}.md"] = article(f"Article {n}", months[n * 4 // 50], "Intro.\n\n" + body,
                                                         "timeline: long\ntags: [many]\n")
    site = write_site(tmp_path / "site", files, 'title = "T"\nbase_url = "https://example.org/"\n'
                                                '[pagination]\nper_page = 20\n')
    out = tmp_path / "out"
    assert build_site(site, out_dir=out, jobs=1, use_cache=False).ok
    # follow links from the first page only, as a reader without JavaScript would
    found: dict[str, list[str]] = {}
    todo = ["/timelines/long/"]
    while todo:
        url = todo.pop()
        if url in found:
            continue
        parser = _Links()
        parser.feed((out / url.lstrip("/") / "index.html").read_text())
        found[url] = parser.entries
        todo += [link.split("#")[0] for link in parser.links if link.startswith("/timelines/long/page/")
                 or link.split("#")[0] == "/timelines/long/"]
    assert sorted(found) == sorted(["/timelines/long/", *(f"/timelines/long/page/{n}/" for n in range(2, 26))])
    assert all(len(entries) == 20 for entries in found.values())
    shown = [e for url in ["/timelines/long/", *(f"/timelines/long/page/{n}/" for n in range(2, 26))]
             for e in found[url]]
    assert len(shown) == len(set(shown)) == 500  # each statement once, in said order across the pages
    page3 = (out / "timelines/long/page/3/index.html").read_text()
    assert '<a rel="prev" href="/timelines/long/page/2/">' in page3
    assert '<a rel="next" href="/timelines/long/page/4/">' in page3
    # the year/month links lead to the page and the entry where each month starts
    first = (out / "timelines/long/index.html").read_text().split("</nav>", 2)[1]  # the first pager
    assert re.findall(r'<a href="/timelines/long/(?:page/(\d+)/)?#s-([a-z0-9-]+)">(Jan|Jun|Feb|Nov)</a>', first) == [
        ("", "s0-0", "Jan"), ("7", "s13-0", "Jun"), ("13", "s25-0", "Feb"), ("20", "s38-0", "Nov")]
    page7 = (out / "timelines/long/page/7/index.html").read_text()
    assert 'id="s-s13-0"' in page7
    # the export stays whole; the sitemap lists every page; speaker and tag pages are split likewise
    assert (out / "timelines/long/timeline.json").read_text().count('"id": ') == 500
    sitemap = (out / "sitemap.xml").read_text()
    assert all(f"<loc>https://example.org/timelines/long/page/{n}/</loc>" in sitemap for n in range(2, 26))
    assert (out / "speakers/speaker-0/page/10/index.html").exists()
    assert not (out / "speakers/speaker-0/page/11/index.html").exists()  # 200 statements: 10 pages of 20
    assert (out / "tags/many/page/3/index.html").exists() and not (out / "tags/many/page/4/index.html").exists()


@pytest.mark.parametrize("value", ["0", "1001", '"ten"'])
def test_per_page_must_be_a_sensible_whole_number(value: str) -> None:
    text = f"[pagination]\nper_page = {value}\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(tomllib.loads(text), text)
    assert [p.location.line for p in caught.value.problems] == [2]
    assert "per_page" in caught.value.problems[0].message


@pytest.mark.parametrize("swapped", [True, False])
def test_an_edit_shown_on_a_later_page_of_a_list_reaches_that_page(swapped: bool, tmp_path: Path) -> None:
    """Editing a statement on page 3 of a speaker, a timeline and a statement's answers, then rebuilding from the
    cache, gives the bytes of a clean build: whether the edit is swapped in (no link changed) or links anew."""
    answers = "\n".join(_block("denial", f"d{i}", "Piet Jansen", "the-claim") for i in range(45))
    files = {"content/articles/a.md": article("A", "2024-03-04", "Intro.\n\n" + _block(
        "claim", "the-claim", "Ana Duarte", None) + "\n" + answers, "timeline: t\ntags: [x]\n"),
             "content/timelines/t.md": "---\ntitle: T\n---\n"}
    toml = 'title = "T"\nbase_url = "https://example.org/"\n[pagination]\nper_page = 20\n'
    site = write_site(tmp_path / "site", files, toml)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    path = site / "content/articles/a.md"
    edited = path.read_text().replace("Statement d43,", "Statement d43 (edited),")
    if not swapped:
        edited = edited.replace("id: d44\nby: Piet Jansen\n", "id: d44\nby: Someone Else\n")
    path.write_text(edited)
    notes: list[str] = []
    assert build_site(site, out_dir=out, notes=notes).ok
    assert ("only article text changed: nothing was linked again" in notes) is swapped
    clean = tmp_path / "clean"
    assert build_site(site, out_dir=clean, use_cache=False).ok
    for page in ("speakers/piet-jansen/page/3/index.html", "timelines/t/page/3/index.html",
                 "statements/the-claim/page/3/index.html"):
        assert "Statement d43 (edited)" in (clean / page).read_text()
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == \
        {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}


def test_a_statement_answering_many_names_five_on_its_card_and_the_rest_on_its_page(tmp_path: Path) -> None:
    claims = "\n".join(_block("claim", f"k{i}", "Ana Duarte", None) for i in range(12))
    answer = _block("denial", "all-wrong", "Piet Jansen", "[" + ", ".join(f"k{i}" for i in range(12)) + "]")
    site = write_site(tmp_path / "site", {"content/articles/a.md": article("A", "2024-03-04",
                                                                           f"Intro.\n\n{claims}\n{answer}")})
    out = tmp_path / "out"
    assert build_site(site, out_dir=out, use_cache=False).ok
    card = (out / "articles/a/index.html").read_text().split('id="s-all-wrong"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r'href="/statements/(k\d+)/">Ana Duarte', card) == ["k0", "k1", "k2", "k3", "k4"]
    assert 'and <a href="/statements/all-wrong/">7 more</a>' in card
    page = (out / "statements/all-wrong/index.html").read_text()
    assert len(re.findall(r'<li class="reply" data-statement="k\d+"', page)) == 12  # its whole thread
