"""What small hosts and crawlers expect: descriptions, sitemap dates, robots.txt, drafts marked, no layout shift."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import SITE_TOML, article, write_site
from toolbox import ROOT, chromium, static_server

from generator.build import build_site

FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
# Layout shift is summed as Lighthouse's CLS sums it, from Chromium's own layout-shift entries.
CLS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crawlers") / "public"
    assert build_site(ROOT, out_dir=out).ok
    return out


def test_every_page_has_a_description_of_its_own(example: Path, tmp_path: Path) -> None:
    bare = write_site(tmp_path / "site", {"content/articles/a.md": article("A story", "2024-03-04", "::: claim\n"
                                          "by: Ann\nThe bridge is safe.\n:::\n", "tags: [roads]\n")})
    assert build_site(bare, out_dir=tmp_path / "out").ok  # no description in site.toml, no summary
    for folder in (example, tmp_path / "out"):
        pages = sorted(folder.rglob("*.html"))
        descriptions = {p.relative_to(folder).as_posix(): DESCRIPTION.findall(p.read_text()) for p in pages}
        assert all(len(found) == 1 and found[0].strip() for found in descriptions.values()), descriptions
    found = {p: d[0] for p, d in descriptions.items()}
    assert found["index.html"] == "Test site: who said what, when, and who answered."
    assert found["articles/a/index.html"] == "A story"
    assert found["tags/roads/index.html"] == "Articles tagged “roads”."
    assert found["statements/a-1/index.html"] == "The bridge is safe."


def test_the_sitemap_dates_every_page_from_its_content(example: Path) -> None:
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
            for u in ET.parse(example / "sitemap.xml").getroot()}
    base = "http://127.0.0.1:8000/"
    assert len(urls) == len(list(example.rglob("index.html")))
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) for date in urls.values())
    assert urls[base + "statements/trump-70-leaders/"] == "2024-11-10"  # nobody answered it
    assert urls[base + "statements/call-took-place/"] == "2024-11-11"  # its answers came a day later
    assert urls[base + "articles/post-reports-trump-putin-call/"] == "2024-11-11"  # it shows those answers
    assert urls[base + "speakers/donald-trump/"] == "2024-11-10"
    assert urls[base] == "2024-11-11"


def test_robots_txt_names_the_sitemap(example: Path, tmp_path: Path) -> None:
    assert (example / "robots.txt").read_text() == \
        "User-agent: *\nAllow: /\n\nSitemap: http://127.0.0.1:8000/sitemap.xml\n"
    assert build_site(FIXTURE, out_dir=tmp_path / "out").ok
    assert "Sitemap: https://example.org/factcheck/sitemap.xml\n" in (tmp_path / "out/robots.txt").read_text()


def test_drafts_are_marked_when_they_are_built(tmp_path: Path) -> None:
    files = {"content/articles/a.md": article("Unfinished", "2024-03-04", "::: claim\nid: c\nby: Ann\n"
                                              "The bridge is safe.\n:::\n", "draft: true\n"),
             "content/articles/b.md": article("Finished", "2024-03-05", "::: claim\nid: d\nby: Ann\n"
                                              "The road is open.\n:::\n")}
    site = write_site(tmp_path / "site", files, SITE_TOML)
    assert build_site(site, out_dir=tmp_path / "out", drafts=True).ok
    page = (tmp_path / "out/articles/a/index.html").read_text()
    assert "<title>Draft: Unfinished — Test site</title>" in page
    assert '<p class="draft-notice"><strong>Draft.</strong>' in page
    assert '<span class="draft-tag">Draft</span>' in (tmp_path / "out/statements/c/index.html").read_text()
    finished = (tmp_path / "out/articles/b/index.html").read_text()
    assert "draft-notice" not in finished and "draft-tag" not in finished
    assert build_site(site, out_dir=tmp_path / "published").ok
    assert not (tmp_path / "published/articles/a").exists()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_timeline_controls_appear_without_moving_anything(example: Path, width: int) -> None:
    with static_server(example) as root, chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(root + "timelines/trump-putin-call/")
        page.wait_for_selector("#timeline-controls:not([hidden])")
        shift = page.evaluate(CLS)
        assert page.locator("#timeline-controls").is_visible()
        page.close()
    assert shift < 0.001, f"layout shift {shift:.3f} at {width} px"
