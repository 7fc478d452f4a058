"""The vocabulary is defined once: the schema, the docs and the stylesheet agree with generator/vocab."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.render import DEFAULT_THEME
from generator.vocab.kinds import KINDS, Kind, Status

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "timeline.schema.json").read_text(encoding="utf-8"))


def _schema_enum(name: str) -> list[str]:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if name in node and isinstance(node[name], dict) and "enum" in node[name]:
                found.append(node[name]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    assert found, f"the schema has no enum for {name!r}"
    return found[0]


def test_schema_lists_exactly_the_kinds_and_statuses() -> None:
    assert _schema_enum("kind") == [kind.value for kind in Kind]
    assert _schema_enum("status") == [status.value for status in Status]


def test_every_kind_has_its_facts() -> None:
    assert set(KINDS) == set(Kind)


def test_docs_kind_table_matches_the_vocabulary() -> None:
    text = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| [^|]+\| (optional|required) \|$", text, re.MULTILINE))
    assert rows == {kind.value: "required" if info.needs_answers else "optional" for kind, info in KINDS.items()}


def test_docs_name_every_status_in_rule_order() -> None:
    text = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    rule = text[text.index("first match wins"):]
    named = re.findall(r"\*\*([a-z]+)\*\*", rule[: rule.index("\n\n")])
    assert named == [status.value for status in Status]


def test_stylesheet_styles_every_status() -> None:
    css = (DEFAULT_THEME / "assets" / "style.css").read_text(encoding="utf-8")
    missing = [status.value for status in Status if f".st-{status.value}" not in css]
    assert missing == []
