"""The search index (Pagefind): built with the site, byte-stable, and a missing binary harms nothing else."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.build import build_site
from generator.output_folder import MANIFEST

ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_search_index_is_the_same_bytes_on_every_build(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert build_site(ROOT, out_dir=first, use_cache=False).ok
    assert build_site(ROOT, out_dir=second, use_cache=False).ok
    files = tree(first)
    assert any(path.startswith("pagefind/filter/") for path in files)  # filters, which Pagefind writes unordered
    assert files == tree(second)


@pytest.mark.parametrize("binary", ["/no/such/pagefind", "/bin/false"])
def test_without_a_working_pagefind_the_build_says_so_once_and_the_rest_is_whole(
        binary: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = tmp_path / "whole"
    assert build_site(ROOT, out_dir=whole, use_cache=False).ok
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", binary)
    out = tmp_path / "out"
    result = build_site(ROOT, out_dir=out, use_cache=False)
    assert result.ok
    said = [str(p) for p in result.problems if "search index" in p.message]
    assert len(said) == 1 and said[0].startswith("pagefind:1:1: warning: no search index: Pagefind")
    without = tree(out)
    expected = {path: data for path, data in tree(whole).items() if not path.startswith("pagefind/")}
    manifest = json.loads(expected.pop(MANIFEST))  # it lists the index's files too
    manifest["files"] = [path for path in manifest["files"] if not path.startswith("pagefind/")]
    assert json.loads(without.pop(MANIFEST)) == manifest
    assert without == expected


def test_an_edit_refreshes_the_search_index_in_place(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for path in ("site.toml", *(p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*.md"))):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes((ROOT / path).read_bytes())
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    article = next((site / "content/articles").glob("*kremlin*"))
    article.write_text(article.read_text().replace("This is completely untrue.", "This is wholly untrue."))
    assert build_site(site, out_dir=out).ok
    clean = tmp_path / "clean"
    assert build_site(site, out_dir=clean, use_cache=False).ok
    assert tree(out) == tree(clean)
    assert any(b"wholly untrue" in gzip.decompress(data) for path, data in tree(out).items()
               if path.startswith("pagefind/fragment/"))


def test_an_edit_the_index_does_not_show_keeps_the_index_without_running_pagefind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    for path in ("site.toml", *(p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*.md"))):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes((ROOT / path).read_bytes())
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    before = tree(out)
    article = next((site / "content/articles").glob("*kremlin*"))
    article.write_text(article.read_text() + "\nA closing paragraph the search index does not hold.\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # were Pagefind run, the build would warn
    result = build_site(site, out_dir=out)
    assert result.ok and not [p for p in result.problems if "search index" in p.message]
    after = tree(out)
    assert {p: d for p, d in after.items() if p.startswith("pagefind/")} == \
        {p: d for p, d in before.items() if p.startswith("pagefind/")}
    assert after["articles/kremlin-denies-trump-putin-call/index.html"] != \
        before["articles/kremlin-denies-trump-putin-call/index.html"]


def running(command: str) -> list[str]:
    """The processes whose command line holds `command`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and command.encode() in (proc / "cmdline").read_bytes():
                found.append(proc.name)
        except OSError:
            continue
    return found


def test_a_build_that_fails_while_pagefind_runs_leaves_no_pagefind_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pagefind runs beside the rendering: a stand-in that takes its time
    binary = tmp_path / "slow-pagefind"
    binary.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    site = write_site(tmp_path / "site", {
        "content/articles/2024-11-11-a.md": article("A", "2024-11-11", "::: claim\nby: Ann\n\nA.\n:::\n", ""),
        "templates/statement.html": "{% extends 'base.html' %}{% block content %}{{ nosuch.x }}{% endblock %}"})
    result = build_site(site, out_dir=tmp_path / "out", use_cache=False)
    assert not result.ok
    assert [p.message.split(":")[0] for p in result.problems if p.is_error] == ["template error"]
    assert running(str(binary)) == []  # killed and reaped
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "slow-pagefind"]  # no records left beside
    assert not (tmp_path / "out").exists()


def test_the_records_of_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {
        "content/articles/2024-11-11-a.md": article("A", "2024-11-11", "::: claim\nby: Ann\n\nA.\n:::\n", "")})
    dead = subprocess.Popen(["true"])  # noqa: S607
    dead.wait()
    left = tmp_path / f".out.search-{dead.pid}-k1ll3d"
    (left / "site").mkdir(parents=True)
    alive = tmp_path / f".out.search-{os.getpid()}-busy"  # a build of this process, still running
    alive.mkdir()
    assert build_site(site, out_dir=tmp_path / "out", use_cache=False).ok
    assert not left.exists() and alive.exists()
