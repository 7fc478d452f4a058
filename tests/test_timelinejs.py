"""timelines/<slug>/timelinejs.json: TimelineJS3's format, checked as data and rendered by TimelineJS3 itself.

The browser test loads TimelineJS3 from its npm package in .tools/ (installed by .ci/run, never
fetched from a CDN: every request outside the local server is refused and counted as an error).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from toolbox import ROOT, chromium, node_package, static_server

from generator.build import build_site
from generator.i18n import Language
from generator.model import FuzzyDate, Precision
from generator.render.timelinejs import display_date, start_date

FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
EMBED = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Embed</title>
<link rel="stylesheet" href="timelinejs/css/timeline.css">
<script src="timelinejs/js/timeline.js"></script></head>
<body><div id="embed" style="width: 100%; height: 640px"></div>
<script>window.timeline = new TL.Timeline("embed", "site/timelines/SLUG/timelinejs.json",
  {script_path: new URL("timelinejs/js/", location.href).href, font: null});</script>
</body></html>
"""


@pytest.mark.parametrize(("precision", "expected"), [
    (Precision.DAY, {"year": 2024, "month": 11, "day": 4}), (Precision.WEEK, {"year": 2024, "month": 11, "day": 4}),
    (Precision.MONTH, {"year": 2024, "month": 11}), (Precision.YEAR, {"year": 2024})])
def test_a_date_is_only_as_precise_as_it_was_said(precision: Precision, expected: dict) -> None:
    assert start_date(FuzzyDate(dt.date(2024, 11, 4), precision, "x")) == expected


def test_a_moment_keeps_its_time_and_the_phrase_shows() -> None:
    moment = dt.datetime(2024, 11, 7, 14, 30)
    assert start_date(FuzzyDate(dt.date(2024, 11, 7), Precision.DAY, "2024-11-07T14:30", moment=moment)) == {
        "year": 2024, "month": 11, "day": 7, "hour": 14, "minute": 30}
    english = Language("en")
    assert display_date(FuzzyDate(dt.date(2024, 11, 7), Precision.DAY, "Thursday"), english) == \
        "7 Nov 2024 · ‘Thursday’"
    assert display_date(FuzzyDate(dt.date(2024, 11, 1), Precision.MONTH, "in November"), english) == \
        "Nov 2024 · ‘in November’"
    # the date in the site's language; the reporter's words as written
    assert display_date(FuzzyDate(dt.date(2024, 11, 7), Precision.DAY, "jeudi"), Language("fr")) == \
        "7 nov. 2024 · ‘jeudi’"


@pytest.fixture(scope="module")
def fixture_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("timelinejs") / "public"
    assert build_site(FIXTURE, out_dir=out).ok
    return out


def test_the_export_follows_the_timeline(fixture_built: Path) -> None:
    folder = fixture_built / "timelines/river-bridge"
    ours = json.loads((folder / "timeline.json").read_text())
    export = json.loads((folder / "timelinejs.json").read_text())
    assert export["title"]["text"]["headline"] == ours["timeline"]["title"]
    assert [e["unique_id"] for e in export["events"]] == [s["id"] for s in ours["statements"]]
    parts = {"day": {"year", "month", "day"}, "week": {"year", "month", "day"}, "month": {"year", "month"},
             "year": {"year"}}
    for event, statement in zip(export["events"], ours["statements"], strict=True):
        said = statement["said"]
        assert set(event["start_date"]) - {"hour", "minute"} == parts[said["precision"]]
        assert event["start_date"]["year"] == int(said["date"][:4])
        assert event["group"] == statement["speaker"]["name"]
        assert event["text"]["headline"].startswith(statement["speaker"]["name"])
        assert statement["url"] in event["text"]["text"]
    by_id = {e["unique_id"]: e for e in export["events"]}
    assert by_id["bridge-unsafe"]["display_date"] == "3 Mar 2024 · ‘Sunday’"
    assert "Contested · Verdict: Mostly accurate" in by_id["bridge-unsafe"]["text"]["text"]
    page = (folder / "index.html").read_text()
    assert '<a href="/factcheck/timelines/river-bridge/timelinejs.json">TimelineJS</a>' in page


def test_timelinejs_renders_every_event(tmp_path: Path) -> None:
    dist = node_package("@knight-lab/timelinejs") / "dist"
    slug = "trump-putin-call"
    assert build_site(ROOT, out_dir=tmp_path / "site").ok
    (tmp_path / "timelinejs").symlink_to(dist)
    (tmp_path / "embed.html").write_text(EMBED.replace("SLUG", slug))
    events = json.loads((tmp_path / f"site/timelines/{slug}/timelinejs.json").read_text())["events"]
    errors: list[str] = []
    with static_server(tmp_path) as root, chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.route(lambda url: not url.startswith(root), lambda route: (
            errors.append(f"fetched from outside: {route.request.url}"), route.abort()))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.goto(root + "embed.html")
        page.wait_for_selector(".tl-timemarker", state="attached", timeout=15000)
        assert page.locator(".tl-timemarker").count() == len(events)
        for event in events:
            slide = page.locator(f"#{event['unique_id']}")
            assert slide.count() == 1, event["unique_id"]
            assert event["text"]["headline"] in slide.locator(".tl-headline").text_content()
        # the title slide shows first, then the reader steps through the events in order
        assert "The reported Trump–Putin phone call" in page.locator(".tl-slide-titleslide").inner_text()
        page.locator(".tl-slidenav-next").first.click()
        page.wait_for_selector(f"#{events[0]['unique_id']} .tl-headline", state="visible", timeout=5000)
        page.close()
    assert errors == []
