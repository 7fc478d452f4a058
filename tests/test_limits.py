"""Limits on what one input may name or cost: at the limit a site builds, past it `check` says where."""

from __future__ import annotations

from pathlib import Path

from helpers import article, write_site

from generator.cli import main
from generator.load.dates import DateResolver
from generator.load.markup import MarkdownRenderer
from generator.load.parse import Tools, parse_article
from generator.vocab.limits import MAX_NESTING, MAX_SEGMENT_BYTES, segment_bytes


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


def test_text_nested_too_deep_is_an_error_and_never_reaches_markdown() -> None:
    seen: list[str] = []

    class Recording(MarkdownRenderer):
        def to_html(self, text: str) -> str:
            seen.append(text)
            return super().to_html(text)

    nested = "\n".join(">" * depth + " x" for depth in range(1, 400))  # 80 KB, the size that took 28 s
    text = (f"---\ntitle: T\ndate: 2024-11-11\n---\n\n::: claim\nid: fine\nby: Ann\n\nFine.\n:::\n\n{nested}\n\n"
            f"::: claim\nby: Ann\n\n{nested}\n:::\n")
    article, problems = parse_article("a.md", text, Tools(DateResolver("en"), Recording()))
    assert [str(p) for p in problems] == [
        f"a.md:{line}:1: error: blockquotes and lists nest more than {MAX_NESTING} deep here; the text is not "
        "rendered (nest fewer '>' and list items)" for line in (13 + MAX_NESTING, 416 + MAX_NESTING)]
    assert seen == ["Fine."]
    assert [s.id for s in article.statements] == ["fine"]
