"""The parse cache: used when bytes are unchanged, ignored when damaged, never changes results."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.build import load_site
from generator.load import sources
from generator.state.cache import CACHE_DIR
from generator.state.store import store_path

FILES = {
    "content/articles/a.md": article("A", "2024-11-11", "::: claim\nid: c1\nby: Ann\nabout: Thursday\n\nA.\n:::\n"),
    "content/articles/b.md": article("B", "2024-11-12", "::: denial\nby: Bob\nanswers: c1\n\n> No.\n:::\n"),
}


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    original = sources.PARSERS["article"]

    def counting(path, text, tools):
        parsed.append(path)
        return original(path, text, tools)

    monkeypatch.setitem(sources.PARSERS, "article", counting)
    return parsed


def test_unchanged_files_come_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site_dir = write_site(tmp_path, FILES)
    parsed = count_parses(monkeypatch)
    first, _ = load_site(site_dir, write_cache=True)
    assert parsed == ["content/articles/a.md", "content/articles/b.md"]

    (site_dir / "content/articles/b.md").write_text(FILES["content/articles/b.md"].replace("No.", "Never."))
    second, _ = load_site(site_dir, write_cache=True)
    assert parsed[2:] == ["content/articles/b.md"]
    assert second.statements["c1"] == first.statements["c1"]
    assert second.statements["b-1"].text == "Never."


def test_check_reads_but_never_writes_the_cache(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path, FILES)
    load_site(site_dir)
    assert not (site_dir / CACHE_DIR).exists()


def test_a_damaged_cache_is_ignored_and_said(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path, FILES)
    clean, _ = load_site(site_dir, write_cache=True)
    store_path(site_dir).write_bytes(b"\x80\x05garbage" * 100)
    notes: list[str] = []
    site, problems = load_site(site_dir, write_cache=True, notes=notes)
    assert problems == [] and site.statements == clean.statements
    assert len(notes) == 1 and "unusable" in notes[0]
    notes.clear()
    again, _ = load_site(site_dir, write_cache=True, notes=notes)  # rebuilt by the load before
    assert notes == [] and again.statements == clean.statements


def test_a_damaged_entry_is_parsed_again_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site_dir = write_site(tmp_path, FILES)
    clean, _ = load_site(site_dir, write_cache=True)
    with sqlite3.connect(store_path(site_dir)) as connection:
        connection.execute("UPDATE parsed SET data = '[[\"article\", [1, 2]], []]' WHERE path LIKE '%b.md'")
    parsed = count_parses(monkeypatch)
    notes: list[str] = []
    site, problems = load_site(site_dir, write_cache=True, notes=notes)
    assert parsed == ["content/articles/b.md"] and site.statements == clean.statements
    assert notes == ["cache entry for content/articles/b.md is unreadable; ignored"]


def test_a_cache_for_other_settings_is_not_used(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path, FILES)
    load_site(site_dir, write_cache=True)
    (site_dir / "site.toml").write_text('title = "T"\nbase_url = "https://e.org/"\n[markdown]\nunsafe_html = true\n')
    notes: list[str] = []
    load_site(site_dir, write_cache=True, notes=notes)
    assert notes == ["cache written by another version or settings; ignored"]


def test_parallel_parse_gives_the_same_site(tmp_path: Path) -> None:
    files = {f"content/articles/a{i:03}.md": article(f"A{i}", "2024-11-11", f"::: claim\nby: Ann\n\nText {i}.\n:::\n")
             for i in range(80)}
    site_dir = write_site(tmp_path, files)
    one, _ = load_site(site_dir, jobs=1, use_cache=False)
    two, _ = load_site(site_dir, jobs=2, use_cache=False)
    assert list(one.statements.items()) == list(two.statements.items())
    assert list(one.articles.items()) == list(two.articles.items())
