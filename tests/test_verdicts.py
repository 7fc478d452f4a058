"""The site's own verdicts: the scale in site.toml, the badge, timeline.json, and ClaimReview JSON-LD.

Bad verdicts in content and in site.toml are cases (tests/cases/unknown-verdict, config-bad-verdicts).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import SITE_TOML, article, write_site

from generator.build import build_site
from generator.config import DEFAULT_VERDICTS, load_config
from generator.model import Verdict

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
BASE_URL = "https://example.org/factcheck/"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(html: str) -> list[dict]:
    return [json.loads(found) for found in JSON_LD.findall(html)]


def claim_review(html: str) -> dict:
    reviews = [d for d in json_ld(html) if d.get("@type") == "ClaimReview"]
    assert len(reviews) == 1, reviews
    return reviews[0]


@pytest.fixture(scope="module")
def fixture_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verdicts") / "public"
    result = build_site(FIXTURE, out_dir=out)
    assert result.ok, [str(p) for p in result.problems]
    return out


@pytest.fixture(scope="module")
def example_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verdicts-example") / "public"
    result = build_site(ROOT, out_dir=out)
    assert result.ok, [str(p) for p in result.problems]
    return out


def test_the_default_scale_and_a_site_s_own(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(SITE_TOML)
    config = load_config(tmp_path)
    assert [(v.name, v.label, v.value) for v in config.verdicts] == [
        ("true", "True", 5), ("mostly-true", "Mostly true", 4), ("misleading", "Misleading", 3),
        ("mostly-false", "Mostly false", 2), ("false", "False", 1), ("unproven", "Unproven", None)]
    assert config.verdicts == DEFAULT_VERDICTS and config.publisher == ""
    fixture = load_config(FIXTURE)
    assert fixture.publisher == "Riverside Fact Check Desk"
    assert fixture.verdicts[1] == Verdict("mostly-true", "Mostly accurate", 4)
    assert fixture.verdict("unproven") == Verdict("unproven", "Unproven", None)


def test_a_verdict_of_the_site_s_scale_only(tmp_path: Path) -> None:
    """A verdict named by the default scale is unknown on a site whose own scale lacks it."""
    body = "::: claim\nby: Ann\nverdict: mostly-false\nThe bridge is safe.\n:::\n"
    site = write_site(tmp_path / "site", {"content/articles/a.md": article("A", "2024-03-04", body)},
                      SITE_TOML + '[verdicts]\nfalse = { label = "Wrong", value = 1 }\n')
    result = build_site(site, out_dir=tmp_path / "out")
    assert [str(p) for p in result.problems] == [
        "content/articles/a.md:8:10: error: unknown verdict 'mostly-false' (verdicts are: false)"]
    assert not result.ok


def test_the_badge_is_apart_from_the_status_on_cards(fixture_built: Path, example_built: Path) -> None:
    html = (fixture_built / "timelines/river-bridge/index.html").read_text()
    entry = html.split('id="s-bridge-unsafe"', 1)[1].split("</article>", 1)[0]
    labels = re.search(r'<p class="labels">(.*?)</p>', entry).group(1)
    assert '<span class="status st-contested"><span class="vh">Status: </span>Contested</span>' in labels
    assert '<span class="verdict v-mostly-true">Verdict: Mostly accurate</span>' in labels
    assert "The engineer&#39;s report confirms the corrosion" in entry.split('class="verdict-note"', 1)[1]
    assert 'data-verdict="mostly-true"' in html and 'data-verdict=""' in html
    # a statement without a verdict has no badge
    other = html.split('id="s-closed-until-summer"', 1)[1].split(">", 1)[1].split("</article>", 1)[0]
    assert "verdict" not in other
    example = (example_built / "statements/call-took-place/index.html").read_text()
    assert '<span class="status st-denied"><span class="vh">Status: </span>Denied</span> ' \
           '<span class="verdict v-unproven">Verdict: Unproven</span>' in example
    assert "Neither side has published a record of the call." in example


def test_timeline_json_carries_the_verdict(fixture_built: Path) -> None:
    data = json.loads((fixture_built / "timelines/river-bridge/timeline.json").read_text())
    assert data["version"] == 1
    verdicts = {s["id"]: s["verdict"] for s in data["statements"]}
    assert verdicts.pop("bridge-unsafe") == {
        "name": "mostly-true", "label": "Mostly accurate", "value": 4,
        "note": "The engineer's report confirms the corrosion; it does not say the bridge was unsafe."}
    assert set(verdicts.values()) == {None}


def test_claim_review_on_a_scale(fixture_built: Path) -> None:
    review = claim_review((fixture_built / "statements/bridge-unsafe/index.html").read_text())
    url = BASE_URL + "statements/bridge-unsafe/"
    assert review["@context"] == "https://schema.org"
    assert review["url"] == url
    assert review["claimReviewed"].startswith("Inspectors found corroded supports")
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Mostly accurate", "ratingValue": 4,
                                      "bestRating": 5, "worstRating": 1}
    assert review["author"] == {"@type": "Organization", "@id": BASE_URL + "#publisher",
                                "name": "Riverside Fact Check Desk", "url": BASE_URL}
    assert review["datePublished"] == "2024-03-04"  # the article that gives the verdict
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and claim["@id"] == url
    assert claim["author"]["name"] == "The Riverside Courier" and claim["author"]["@type"] == "Organization"
    assert claim["datePublished"] == "2024-03-03"
    assert claim["appearance"]["url"] == BASE_URL + "articles/courier-says-bridge-unsafe/"
    # statements without a verdict carry no ClaimReview
    assert not [d for d in json_ld((fixture_built / "statements/council-denies/index.html").read_text())
                if d.get("@type") == "ClaimReview"]


def test_claim_review_of_a_verdict_off_the_scale(example_built: Path) -> None:
    """'unproven' has no value: the rating is its words only. Without `publisher`, the site is the author."""
    review = claim_review((example_built / "statements/call-took-place/index.html").read_text())
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}
    assert review["author"] == {"@type": "Organization", "@id": "http://127.0.0.1:8000/#publisher",
                                "name": "Counterpoint: who said what", "url": "http://127.0.0.1:8000/"}
    assert review["itemReviewed"]["author"]["name"] == "The Washington Post"
    assert review["itemReviewed"]["datePublished"] == "2024-11-10"


def test_a_claim_review_keeps_its_primary_source_as_first_appearance(tmp_path: Path) -> None:
    body = ("::: claim\nid: c\nby: Ann\nverdict: false\nvia: Radio X\nsource: https://example.com/show\n\n"
            "The bridge is safe.\n:::\n")
    site = write_site(tmp_path / "site", {"content/articles/a.md": article("A", "2024-03-04", body)})
    assert build_site(site, out_dir=tmp_path / "out").ok
    review = claim_review((tmp_path / "out/statements/c/index.html").read_text())
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["itemReviewed"]["firstAppearance"] == {
        "@type": "CreativeWork", "url": "https://example.com/show",
        "publisher": {"@type": "Organization", "name": "Radio X"}}
