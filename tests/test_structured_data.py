"""The JSON-LD of every page, expanded with pyld and checked against schema.org's own definitions.

tests/schemaorg/schemaorg-trimmed.json is a trimmed copy of a schema.org release (its source
and version are in the file; tests/schemaorg/trim.py makes it). pyld gets schema.org's context
from that file, never from the network. Every type must be a schema.org class, every property a
schema.org property whose domain includes the node's type and whose range includes its value's,
and the properties Google's structured-data documentation requires must be there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pyld import jsonld

from generator.build import build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "render-fixture"
SCHEMA = json.loads((ROOT / "tests" / "schemaorg" / "schemaorg-trimmed.json").read_text())
SDO = "http://schema.org/"
CONTEXT_URLS = ("https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
# what Google's structured-data docs (fact check, article, breadcrumb/carousel lists, site names) require
REQUIRED = {
    "ClaimReview": {"claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed"},
    "Rating": {"alternateName"},
    "ItemList": {"itemListElement"},
    "ListItem": {"position", "url"},
    "NewsArticle": {"headline", "datePublished"},
    "WebSite": {"name", "url"},
    "Organization": {"name"},
    "Person": {"name"},
}
CLAIM_REVIEWED = {"author", "datePublished"}  # and an appearance or firstAppearance


def offline_loader(url: str, options: dict | None = None) -> dict:
    """pyld's document loader: schema.org's context from the vendored file; anything else is an error."""
    if url not in CONTEXT_URLS:
        raise jsonld.JsonLdError(f"no network in tests: {url}", "jsonld.LoadDocumentError",
                                 code="loading document failed")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": SCHEMA["context"]}


def ancestors(name: str) -> set[str]:
    found, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in SCHEMA["classes"] and current not in found:
            found.add(current)
            todo.extend(SCHEMA["classes"][current])
    return found


def problems_of(document: dict) -> list[str]:
    """Everything in one JSON-LD document that schema.org's definitions or Google's requirements reject."""
    problems: list[str] = []
    for node in jsonld.expand(document, {"documentLoader": offline_loader}):
        _check_node(node, problems)
    return problems


def _check_node(node: dict, problems: list[str]) -> None:
    types = [t.removeprefix(SDO) for t in node.get("@type", [])]
    kinds: set[str] = set()
    for name in types:
        if name not in SCHEMA["classes"]:
            problems.append(f"unknown type {name}")
        kinds |= ancestors(name)
    for key, values in node.items():
        if key.startswith("@"):
            continue
        prop = key.removeprefix(SDO)
        definition = SCHEMA["properties"].get(prop)
        if not key.startswith(SDO) or definition is None:
            problems.append(f"unknown property {prop} on {'/'.join(types)}")
            continue
        if types and not kinds & set(definition["domain"]):
            problems.append(f"{prop} is not a property of {'/'.join(types)}")
        for value in values:
            _check_value(prop, definition["range"], value, problems)
    if node.get("@type") or len(node) > 1:
        for name in types:
            missing = REQUIRED.get(name, set()) - {k.removeprefix(SDO) for k in node}
            if missing:
                problems.append(f"{name} lacks {', '.join(sorted(missing))}")


def _check_value(prop: str, ranges: list[str], value: dict, problems: list[str]) -> None:
    if "@value" in value or "@list" in value:
        if not set(ranges) & set(SCHEMA["datatypes"]):
            problems.append(f"{prop} takes a thing ({', '.join(ranges)}), not the text {value.get('@value')!r}")
        return
    value_types = [t.removeprefix(SDO) for t in value.get("@type", [])]
    if value_types and not set().union(*(ancestors(t) for t in value_types)) & set(ranges):
        problems.append(f"{prop} takes {', '.join(ranges)}, not {'/'.join(value_types)}")
    if prop == "itemReviewed":
        missing = CLAIM_REVIEWED - {k.removeprefix(SDO) for k in value}
        if not {SDO + "appearance", SDO + "firstAppearance"} & value.keys():
            missing.add("appearance")
        if missing:
            problems.append(f"the reviewed Claim lacks {', '.join(sorted(missing))}")
    _check_node(value, problems)


def documents(folder: Path) -> dict[str, list[dict]]:
    """Every page's JSON-LD documents, by path."""
    return {p.relative_to(folder).as_posix(): [json.loads(s) for s in JSON_LD.findall(p.read_text())]
            for p in sorted(folder.rglob("*.html"))}


@pytest.fixture(scope="module", params=["example", "fixture"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("jsonld") / "public"
    result = build_site(ROOT if request.param == "example" else FIXTURE, out_dir=out)
    assert result.ok, [str(p) for p in result.problems]
    return out


def test_the_vendored_definitions_say_where_they_come_from() -> None:
    assert SCHEMA["version"] == "30.0" and "schemaorg/schemaorg" in SCHEMA["source"]
    assert SCHEMA["properties"]["appearance"]["domain"] == ["Claim"]


def test_every_page_s_json_ld_is_valid_schema_org(built: Path) -> None:
    pages = documents(built)
    found = {path: problems_of(doc) for path, docs in pages.items() for doc in docs}
    assert {path: p for path, p in found.items() if p} == {}
    assert len(found) >= 10


def test_each_kind_of_page_says_what_it_is(built: Path) -> None:
    pages = documents(built)

    def types(path: str) -> list[str]:
        nodes = [n for doc in pages[path] for n in doc.get("@graph", [doc])]
        return sorted(n["@type"] for n in nodes)

    assert types("index.html") == ["Organization", "WebSite"]
    for path in pages:
        if path.startswith("timelines/") and path.count("/") == 2:
            (item_list,) = pages[path]
            assert item_list["@type"] == "ItemList"
            positions = [i["position"] for i in item_list["itemListElement"]]
            assert positions == list(range(1, item_list["numberOfItems"] + 1))
            assert {i["item"]["@type"] for i in item_list["itemListElement"]} == {"Claim"}
        elif path.startswith("articles/"):
            assert types(path) == ["NewsArticle"]
        elif path.startswith("statements/"):
            assert set(types(path)) <= {"Claim", "ClaimReview"} and "Claim" in types(path)
            assert "Comment" not in json.dumps(pages[path])
    assert sum(types(p).count("ClaimReview") for p in pages if p.startswith("statements/")) == 1


def test_answers_are_claims_about_what_they_answer(tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build_site(FIXTURE, out_dir=out).ok
    (doc,) = documents(out)["statements/bridge-unsafe/index.html"][:1]
    claim, *answers = doc["@graph"]
    assert claim["@id"].endswith("/statements/bridge-unsafe/")
    assert [a["genre"] for a in answers] == ["confirmation", "denial", "no-comment"]
    assert all(a["@type"] == "Claim" and a["about"] == [{"@type": "Claim", "@id": claim["@id"]}] for a in answers)


def test_the_check_catches_what_schema_org_does_not_allow() -> None:
    """The JSON-LD of earlier versions: answers as Comments carrying `appearance`, which only a Claim has."""
    old = {"@context": "https://schema.org", "@type": "Claim", "text": "The bridge is unsafe.",
           "comment": [{"@type": "Comment", "text": "It is not.",
                        "appearance": [{"@type": "CreativeWork", "url": "https://example.org/a/"}]}]}
    assert problems_of(old) == ["appearance is not a property of Comment"]
    assert problems_of({"@context": "https://schema.org", "@type": "Claim", "appearence": "x"}) == [
        "unknown property appearence on Claim"]
    assert problems_of({"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://e.org/",
                        "reviewRating": {"@type": "Rating", "ratingValue": 1}}) == [
        "Rating lacks alternateName", "ClaimReview lacks author, claimReviewed, datePublished, itemReviewed"]
    assert problems_of({"@context": "https://schema.org", "@type": "Claim", "author": "Ann",
                        "appearance": {"@type": "Person", "name": "Ann"}}) == [
        "appearance takes CreativeWork, not Person", "author takes a thing (Organization, Person), not the text 'Ann'"]
    with pytest.raises(jsonld.JsonLdError):  # nothing is fetched: only schema.org's context is known
        problems_of({"@context": "https://example.org/context.jsonld", "@type": "Claim"})
