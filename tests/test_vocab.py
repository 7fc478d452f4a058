"""The vocabulary is defined once: the schema, the docs and the stylesheet are made from or checked
against generator/vocab. `pytest --update-golden` rewrites the generated parts after a change there."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.render import DEFAULT_THEME
from generator.vocab.kinds import KINDS, Kind, Status, kinds_table, status_rule_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "timeline.schema.json"
CONTENT_DOC = ROOT / "docs" / "content.md"
README = ROOT / "README.md"


def _regenerate(path: Path, pattern: str, replacement: str, update: bool) -> tuple[str, str]:
    """(file as it is, file as the vocabulary makes it); writes the latter when `update`."""
    text = path.read_text(encoding="utf-8")
    made, count = re.subn(pattern, lambda m: m.group(1) + replacement + m.group(2), text, flags=re.S | re.M)
    assert count == 1, f"{path.name}: the generated region {pattern!r} is missing"
    if update and made != text:
        path.write_text(made, encoding="utf-8")
        text = made
    return text, made


def test_schema_enums_are_the_vocabulary(update_golden: bool) -> None:
    kinds = json.dumps([kind.value for kind in Kind])
    statuses = json.dumps([status.value for status in Status])
    _regenerate(SCHEMA, r'^(\s*"kind": \{"enum": )\[[^\]]*\](\},?)$', kinds, update_golden)
    text, made = _regenerate(SCHEMA, r'^(\s*"status": \{"enum": )\[[^\]]*\](\},?)$', statuses, update_golden)
    assert text == made
    json.loads(text)


def test_docs_kind_table_is_the_vocabulary(update_golden: bool) -> None:
    text, made = _regenerate(CONTENT_DOC, r"(<!-- kinds: [^>]*-->\n).*?(\n<!-- /kinds -->)", kinds_table(),
                             update_golden)
    assert text == made


def test_docs_status_rule_is_the_vocabulary(update_golden: bool) -> None:
    text, made = _regenerate(CONTENT_DOC, r"(<!-- statuses: [^>]*-->\n).*?(\n<!-- /statuses -->)",
                             status_rule_text(), update_golden)
    assert text == made


def test_readme_names_every_kind_in_order() -> None:
    listed = re.search(r"Kinds: ((?:`[a-z-]+`,?\s*)+)\.", README.read_text(encoding="utf-8"))
    assert listed, "README.md lists no kinds ('Kinds: `claim`, …')"
    assert re.findall(r"`([a-z-]+)`", listed.group(1)) == [kind.value for kind in Kind]


def test_every_kind_has_its_facts() -> None:
    assert set(KINDS) == set(Kind)
    assert all(info.label and info.meaning for info in KINDS.values())


def test_stylesheet_styles_every_status() -> None:
    css = (DEFAULT_THEME / "assets" / "style.css").read_text(encoding="utf-8")
    missing = [status.value for status in Status if f".st-{status.value}" not in css]
    assert missing == []
