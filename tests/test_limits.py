"""Limits on what one input may name or cost: at the limit a site builds, past it `check` says where."""

from __future__ import annotations

from pathlib import Path

from helpers import article, write_site

from generator.cli import main
from generator.vocab.limits import MAX_SEGMENT_BYTES, segment_bytes


def _names_site(root: Path, size: int) -> Path:
    body = f"::: claim\nid: {'i' * size}\nby: {'b' * size}\n\nText.\n:::\n"
    extra = f"slug: {'s' * size}\ntimeline: {'t' * size}\ntags: [{'g' * size}]\n"
    return write_site(root, {"content/articles/a.md": article("Long names", "2024-11-11", body, extra)})


def test_names_of_the_longest_file_name_build(tmp_path: Path, capsys) -> None:
    site = _names_site(tmp_path / "site", MAX_SEGMENT_BYTES)
    assert main(["build", "--site", str(site), "--out", str(tmp_path / "out")]) == 0
    for folder in ("statements/" + "i" * 255, "speakers/" + "b" * 255, "tags/" + "g" * 255,
                   "articles/" + "s" * 255, "timelines/" + "t" * 255):
        assert (tmp_path / "out" / folder / "index.html").is_file(), folder


def test_names_one_byte_longer_are_errors_at_their_lines_and_nothing_is_built(tmp_path: Path, capsys) -> None:
    site = _names_site(tmp_path / "site", MAX_SEGMENT_BYTES + 1)
    assert main(["build", "--site", str(site), "--out", str(tmp_path / "out")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": error: ")[0] for line in lines[:-1]] == [
        "content/articles/a.md:4:1",  # slug
        "content/articles/a.md:5:1",  # timeline
        "content/articles/a.md:6:1",  # tags
    ]  # the statements need the article's slug: their names are checked once it is fixed
    assert lines[-1] == "3 errors, 0 warnings"
    assert not (tmp_path / "out").exists()


def test_a_name_is_measured_as_the_file_name_it_makes() -> None:
    assert segment_bytes("abc-1") == 5
    assert segment_bytes("é") == len("%C3%A9")  # percent-encoded UTF-8, as a URL and a saved copy name it
