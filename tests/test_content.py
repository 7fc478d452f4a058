"""Finding content files: which files count, and in which order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.load.content import ContentFiles, find_content


def touch(root: Path, *paths: str) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("x", encoding="utf-8")


def test_articles_are_found_in_subfolders_and_sorted_by_path(tmp_path: Path) -> None:
    touch(tmp_path, "content/articles/b.md", "content/articles/2024/a.md", "content/articles/2024/11/z.md",
          "content/articles/a-b.md", "content/articles/a/b.md", "content/articles/A.md")
    assert find_content(tmp_path).articles == (
        "content/articles/2024/11/z.md", "content/articles/2024/a.md", "content/articles/A.md",
        "content/articles/a-b.md", "content/articles/a/b.md", "content/articles/b.md",
    )


def test_speakers_and_timelines_are_only_the_files_directly_in_their_folder(tmp_path: Path) -> None:
    touch(tmp_path, "content/speakers/kremlin.md", "content/speakers/old/putin.md",
          "content/timelines/call.md", "content/timelines/drafts/other.md")
    found = find_content(tmp_path)
    assert found == ContentFiles((), ("content/speakers/kremlin.md",), ("content/timelines/call.md",))


def test_only_files_named_md_count_hidden_ones_too(tmp_path: Path) -> None:
    touch(tmp_path, "content/articles/a.md", "content/articles/.hidden.md", "content/articles/.md",
          "content/articles/a.md.swp", "content/articles/b.MD", "content/articles/notes.txt",
          "content/articles/folder.md/inside.md", "content/a.md", "elsewhere/articles/c.md")
    assert find_content(tmp_path).articles == (
        "content/articles/.hidden.md", "content/articles/.md", "content/articles/a.md",
        "content/articles/folder.md/inside.md",
    )


def test_missing_folders_give_nothing(tmp_path: Path) -> None:
    assert find_content(tmp_path) == ContentFiles((), (), ())
    touch(tmp_path, "content/articles")  # a file, not a folder
    assert find_content(tmp_path) == ContentFiles((), (), ())


def test_symlinked_files_count_but_symlinked_folders_inside_are_not_entered(tmp_path: Path) -> None:
    touch(tmp_path, "content/articles/a.md", "outside/b.md", "outside/sub/c.md", "speakers/s.md")
    articles = tmp_path / "content" / "articles"
    (articles / "link.md").symlink_to(tmp_path / "outside" / "b.md")
    (articles / "broken.md").symlink_to(tmp_path / "outside" / "missing.md")
    (articles / "loop.md").symlink_to(articles / "loop.md")
    (articles / "sub").symlink_to(tmp_path / "outside" / "sub", target_is_directory=True)
    (articles / "dir.md").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "content" / "speakers").symlink_to(tmp_path / "speakers", target_is_directory=True)
    found = find_content(tmp_path)
    assert found.articles == ("content/articles/a.md", "content/articles/link.md")
    assert found.speakers == ("content/speakers/s.md",)  # the content folder itself may be a symlink


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_a_folder_that_cannot_be_listed_is_skipped(tmp_path: Path) -> None:
    touch(tmp_path, "content/articles/a.md", "content/articles/locked/b.md")
    locked = tmp_path / "content" / "articles" / "locked"
    locked.chmod(0)
    try:
        assert find_content(tmp_path).articles == ("content/articles/a.md",)
    finally:
        locked.chmod(0o755)


def test_a_relative_site_folder_gives_the_same_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "content/articles/x/a.md", "content/timelines/t.md")
    monkeypatch.chdir(tmp_path)
    assert find_content(Path(".")) == find_content(tmp_path) == ContentFiles(
        ("content/articles/x/a.md",), (), ("content/timelines/t.md",))
