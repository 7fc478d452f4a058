"""A right-to-left site in headless Chromium: Arabic mirrors the timeline, cards and filters.

Shares test_browser.py's server and browser fixtures (and its skip when Chromium is missing).
The screenshot goes to the test's tmp_path (the path is printed): look at it when the theme changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import browser, errors, open_page, serve  # noqa: F401 - fixtures, and the skip without Chromium
from test_i18n import make_site

from generator.build import build_site


@pytest.fixture(scope="module")
def arabic(serve, tmp_path_factory: pytest.TempPathFactory) -> str:  # noqa: F811
    """A small site in Arabic (its content is English, as quoted), built and served."""
    folder = tmp_path_factory.mktemp("arabic")
    site = make_site(folder / "site", "ar")
    (site / "content/articles/2024-11-12-wall.md").write_text(  # a second article that mentions a crack
        "---\ntitle: Engineers inspect the wall\ndate: 2024-11-12\n---\n\nA report.\n\n"
        "::: claim\nid: wall-cracked\nby: The Valley Herald\n\nA crack was found in the wall.\n:::\n", encoding="utf-8")
    assert build_site(site, out_dir=folder / "public", use_cache=False).ok
    return serve(folder / "public", "/")


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_an_arabic_site_reads_right_to_left(arabic: str, open_page, errors: list[str], tmp_path: Path) -> None:  # noqa: F811
    page = open_page(arabic + "timelines/dam/", width=900)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.locator("#timeline-count").inner_text() == "عرض 4 من أصل 4، حسب وقت القول."
    card = page.locator("#s-dam-cracked > article")
    # the card's coloured rail is on its right, the start of a right-to-left line
    widths = card.evaluate("e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]")
    assert widths == ["4px", "1px"]
    rail = page.locator("#timeline").evaluate(
        "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]")
    assert rail == ["2px", "0px"]
    # answers are indented from the right: the thread ends left of the card it answers, and starts at its left
    claim, thread = box(page, "#s-dam-cracked > article"), box(page, "#s-dam-cracked > .thread")
    assert thread["x"] + thread["width"] < claim["x"] + claim["width"] - 5
    assert abs(thread["x"] - claim["x"]) < 2
    # the kind badge starts the card's head on the right; its dates are at the far left
    head, kind = box(page, "#s-dam-cracked .card-head"), box(page, "#s-dam-cracked .card-head .kind")
    assert abs((kind["x"] + kind["width"]) - (head["x"] + head["width"])) < 2
    # the filters: "order by" stands at the right, the choices follow it leftwards
    legend, first = box(page, ".controls legend"), box(page, ".controls .order label")
    assert legend["x"] > first["x"] + first["width"] - 1
    assert page.locator("select[name=kind] option").first.inner_text() == "كل الأنواع"
    # an English quotation keeps its own direction inside the Arabic page, and its translation is marked
    quote = page.locator("#s-dam-cracked > article blockquote")
    assert quote.evaluate("e => [e.lang, getComputedStyle(e).direction]") == ["en", "ltr"]
    translation = page.locator("#s-mayor-of-dnipro > article .translation")
    assert translation.locator(".translation-label").inner_text().startswith("ترجمة")
    screenshot = tmp_path / "timeline-rtl.png"
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot: {screenshot}")
    assert screenshot.stat().st_size > 10_000
    assert errors == []


def test_arabic_search_counts_with_cldr_plurals(arabic: str, open_page, errors: list[str]) -> None:  # noqa: F811
    page = open_page(arabic + "search/?q=crack")
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0 && "
                           "!document.getElementById('search-status').textContent.endsWith('…')")
    assert page.locator("#search-status").inner_text() == "مقالان مطابقان."  # Arabic's dual: exactly two articles
    metas = page.locator(".result-meta").all_inner_texts()
    assert any(m.startswith("نفي من Ministry of Water، ") for m in metas), metas  # its kind in Arabic, from the index
    page.fill("#search-q", "ministry")
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('مقال واحد')")
    page.fill("#search-q", "zzz")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('«zzz»')")
    assert errors == []
