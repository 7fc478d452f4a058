"""Nothing in a site folder executes: planted pickles and crafted SQLite stores are data at most."""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.build import build_site
from generator.state import codec
from generator.state.cache import CACHE_DIR, fingerprint
from generator.state.store import STORE_FORMAT, store_path

FILES = {
    "content/articles/2024-11-10-report.md": article(
        "Report", "2024-11-10", "Intro.\n\n::: claim\nid: call\nby: The Post\n\nThey spoke.\n:::\n",
        "timeline: call\nextra_date: 2024-11-10\nextra_list: [1, 2.5, {a: b}]\n"),
    "content/articles/2024-11-11-denial.md": article(
        "Denial", "2024-11-11", "::: denial\nby: Dmitry Peskov\nanswers: call\n\n> Untrue.\n:::\n"),
}


class RunsCommand:
    """Unpickling this runs a shell command: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean(site: Path, tmp_path: Path) -> dict[str, bytes]:
    assert build_site(site, out_dir=tmp_path / "clean", use_cache=False).ok
    return tree(tmp_path / "clean")


def test_the_planted_pickle_really_would_run(tmp_path: Path) -> None:
    """The payload the tests below plant is live: unpickled, it runs its command."""
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(RunsCommand(marker)))
    assert marker.exists()


def test_planted_pickles_of_every_old_cache_file_never_run(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    marker = tmp_path / "ran"
    payload = pickle.dumps(RunsCommand(marker))
    (site / CACHE_DIR).mkdir()
    for name in ("build-state.pickle", "parsed.pickle", "parsed-recent.pickle", "links.pickle", "state.sqlite"):
        (site / CACHE_DIR / name).write_bytes(payload)
    notes: list[str] = []
    result = build_site(site, out_dir=tmp_path / "out", notes=notes)
    assert result.ok and not marker.exists()
    assert any("unusable" in note for note in notes), notes
    assert tree(tmp_path / "out") == clean(site, tmp_path)
    with sqlite3.connect(store_path(site)) as connection:  # replaced by a store of ours
        assert connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == (STORE_FORMAT,)


def crafted_store(site: Path, payload: bytes, *, trigger: bool) -> None:
    """A store with our tables, pickles in every data column, and (optionally) a trigger of its own."""
    (site / CACHE_DIR).mkdir(exist_ok=True)
    with sqlite3.connect(store_path(site)) as connection:
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute("CREATE TABLE parsed (path TEXT PRIMARY KEY, digest TEXT NOT NULL, data TEXT NOT NULL)")
        connection.execute("CREATE TABLE records (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
                           "data TEXT NOT NULL)")
        connection.execute("INSERT INTO meta VALUES ('format', ?)", (STORE_FORMAT,))
        for name in ("build", "links"):
            connection.execute("INSERT INTO records VALUES (?, ?, ?)", (name, fingerprint(), payload))
        for path in FILES:
            connection.execute("INSERT INTO parsed VALUES (?, 'x', ?)", (path, payload))
        if trigger:
            connection.execute("CREATE TRIGGER sneaky AFTER INSERT ON parsed BEGIN "
                               "SELECT load_extension('/tmp/evil.so'); END")


@pytest.mark.parametrize("trigger", [False, True])
def test_a_crafted_store_is_data_never_code(tmp_path: Path, trigger: bool) -> None:
    site = write_site(tmp_path / "site", FILES)
    marker = tmp_path / "ran"
    crafted_store(site, pickle.dumps(RunsCommand(marker)), trigger=trigger)
    notes: list[str] = []
    first = build_site(site, out_dir=tmp_path / "out", notes=notes)
    assert first.ok and not marker.exists()
    assert tree(tmp_path / "out") == clean(site, tmp_path)
    with sqlite3.connect(store_path(site)) as connection:
        kinds = {row[0] for row in connection.execute("SELECT type FROM sqlite_master")}
    assert "trigger" not in kinds
    path = site / "content/articles/2024-11-11-denial.md"
    path.write_text(path.read_text().replace("Untrue.", "Fiction."))
    assert build_site(site, out_dir=tmp_path / "out").ok and not marker.exists()
    assert tree(tmp_path / "out") == clean(site, tmp_path)


def test_the_model_goes_through_json_unchanged(tmp_path: Path) -> None:
    """Every parsed file, stored and read back, is the same value (dates, extras, enums, problems)."""
    from generator.config import load_config
    from generator.load.sources import ParseSettings, parse_chunk

    site = write_site(tmp_path / "site", {**FILES, "content/speakers/dmitry-peskov.md":
                                          "---\nname: Dmitry Peskov\nrole: spokesman\naliases: [Peskov]\n---\nBio.\n",
                                          "content/timelines/call.md": "---\ntitle: The call\n---\nIntro.\n"})
    todo = [(kind, path, (site / path).read_bytes()) for kind, path in
            [("article", p) for p in FILES] + [("speaker", "content/speakers/dmitry-peskov.md"),
                                                 ("timeline", "content/timelines/call.md")]]
    results = parse_chunk(ParseSettings.of(load_config(site), False), todo)
    assert all(item is not None for _, (item, _) in results)
    for _, result in results:
        assert codec.parsed_of(codec.parsed_json(result)) == result
    settings = ParseSettings.of(load_config(site), False)
    broken = parse_chunk(settings, [("article", "content/articles/x.md", b"no front")])
    assert codec.parsed_of(codec.parsed_json(broken[0][1])) == broken[0][1]


@pytest.mark.parametrize("text", ['[["article", {"__reduce__": 1}], []]', '[["eval", "1+1"], []]', "{", "[1]",
                                  '[["article", [1]], []]', '[null, [[["a", 1, 1], "fatal", "m", null]]]'])
def test_malformed_rows_are_refused(text: str) -> None:
    with pytest.raises(codec.Malformed):
        codec.parsed_of(text)
