"""Make schemaorg-trimmed.json: the schema.org definitions Counterpoint's JSON-LD uses, from a release.

    python tests/schemaorg/trim.py SCHEMAORG_CHECKOUT/data/releases/30.0 > tests/schemaorg/schemaorg-trimmed.json

The release folder holds schemaorg-current-https.jsonld (the vocabulary) and
schemaorgcontext.jsonld (the JSON-LD context served for "https://schema.org"). Every class
named below is kept with its ancestors; every property with its domains and ranges, and its
context entry. Add a name here, and run it again, when the theme's JSON-LD uses a new one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = "https://github.com/schemaorg/schemaorg/tree/main/data/releases/{version}"
CLASSES = ("WebSite", "Organization", "Person", "NewsArticle", "CreativeWork", "Claim", "ClaimReview", "Rating",
           "ItemList", "ListItem", "Comment", "ItemListOrderType",
           "Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean")
PROPERTIES = ("name", "url", "description", "inLanguage", "publisher", "author", "headline", "datePublished",
              "text", "genre", "appearance", "firstAppearance", "about", "jobTitle", "claimReviewed",
              "reviewRating", "itemReviewed", "ratingValue", "bestRating", "worstRating", "alternateName",
              "itemListElement", "position", "item", "numberOfItems", "itemListOrder", "keywords", "isBasedOn",
              "comment", "workTranslation", "translator")


def ids(value) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [item["@id"].removeprefix("schema:") for item in items if item["@id"].startswith("schema:")]


def main(release: Path) -> None:
    version = release.name
    graph = {node["@id"].removeprefix("schema:"): node
             for node in json.loads((release / "schemaorg-current-https.jsonld").read_text())["@graph"]}
    context = json.loads((release / "schemaorgcontext.jsonld").read_text())["@context"]
    classes: dict[str, list[str]] = {}
    todo = list(CLASSES)
    while todo:
        name = todo.pop()
        if name not in classes:
            classes[name] = ids(graph[name].get("rdfs:subClassOf"))
            todo.extend(classes[name])
    properties = {name: {"domain": ids(graph[name].get("schema:domainIncludes")),
                         "range": ids(graph[name].get("schema:rangeIncludes"))} for name in PROPERTIES}
    trimmed_context = {key: context[key] for key in ("type", "id", "@vocab", "schema")}
    trimmed_context.update({name: context[name] for name in PROPERTIES})
    json.dump({
        "about": "schema.org definitions used by Counterpoint's JSON-LD, trimmed by tests/schemaorg/trim.py",
        "source": SOURCE.format(version=version), "version": version,
        "license": "CC BY-SA 3.0 (schema.org)",
        "datatypes": sorted(n for n in classes if "schema:DataType" in str(graph[n].get("@type"))
                            or any(a in ("Text", "Number") for a in classes[n]) or n in ("Text", "Number")),
        "classes": dict(sorted(classes.items())), "properties": properties,
        "context": {"@context": trimmed_context},
    }, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
