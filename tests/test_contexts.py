"""Each page type's template gets its own small named context, and docs/theme.md lists every name of it."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.render import contexts

DOCS = Path(__file__).parent.parent / "docs" / "theme.md"
PAGE_CONTEXTS = [c for c in vars(contexts).values()
                 if isinstance(c, type) and issubclass(c, contexts.PageContext) and c is not contexts.PageContext]


def own_fields(cls: type) -> list[str]:
    inherited = {f.name for f in dataclasses.fields(contexts.PageContext)}
    return [f.name for f in dataclasses.fields(cls) if f.name not in inherited]


@pytest.mark.parametrize("cls", PAGE_CONTEXTS, ids=lambda c: c.__name__)
def test_docs_list_every_name_of_each_page_context(cls: type) -> None:
    rows = [line for line in DOCS.read_text().splitlines() if f"`{cls.__name__}`:" in line]
    assert rows, f"docs/theme.md has no row for {cls.__name__}"
    named = set(re.findall(r"`(\w+)`", rows[0].split(f"`{cls.__name__}`:", 1)[1]))
    assert set(own_fields(cls)) <= named, f"{cls.__name__}: {sorted(set(own_fields(cls)) - named)} not in the docs"


def test_docs_list_every_name_of_site() -> None:
    text = DOCS.read_text()
    table = text[text.index("| `site.` | is |"):]
    table = table[: table.index("\n\n")]
    named = {name for line in table.splitlines() for name in re.findall(r"`(\w+)(?:\(\w*\))?`", line.split("|")[1])}
    assert {f.name for f in dataclasses.fields(contexts.SiteContext)} == named


def test_a_template_sees_only_what_its_page_shows(tmp_path: Path) -> None:
    """The speakers page lists speakers: the site's statements are not in its reach."""
    body = "::: claim\nby: Ann\n\nA.\n:::\n"
    template = "{% extends 'base.html' %}\n{% block content %}\n{{ speakers|length }}\n{{ statements|length }}\n" \
               "{% endblock %}\n"
    site = write_site(tmp_path / "site", {"content/articles/2024-11-11-a.md": article("A", "2024-11-11", body),
                                          "templates/speakers.html": template})
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site)],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "templates/speakers.html:4:1: error: template error: 'statements' is undefined "
        "(while rendering speakers/index.html)",
        "1 error, 0 warnings",
    ]
