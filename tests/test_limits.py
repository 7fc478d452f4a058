"""Limits on what one input may name or cost: at the limit a site builds, past it `check` says where."""

from __future__ import annotations

from pathlib import Path

from helpers import article, write_site

from generator.build import load_site
from generator.cli import main
from generator.load.dates import DateResolver
from generator.load.markup import MarkdownRenderer
from generator.load.parse import Tools, parse_article
from generator.render.index import MAX_THREAD_DEPTH, SiteIndex
from generator.vocab.limits import MAX_CYCLE_LINKS, MAX_NESTING, MAX_SEGMENT_BYTES, segment_bytes


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


def test_a_chain_of_answers_deeper_than_pythons_stack_links_and_threads(tmp_path: Path) -> None:
    blocks = "".join(f"::: claim\nid: s{n}\nby: Ann\n{f'answers: s{n - 1}' if n else ''}\n\nText.\n:::\n\n"
                     for n in range(3000))
    site, problems = load_site(write_site(tmp_path, {"content/articles/a.md": article("Chain", "2024-11-11", blocks)}),
                               jobs=1)
    assert problems == []
    assert site.statements["s0"].answered_by == ("s1",) and site.statements["s2999"].answers == ("s2998",)
    thread = SiteIndex(site).thread_ids("s0")  # what a page shows of it: bounded, without recursion
    assert thread == tuple(f"s{n}" for n in range(MAX_THREAD_DEPTH + 1))


def test_a_loop_of_thousands_of_answers_is_one_error_of_bounded_length(tmp_path: Path, capsys) -> None:
    everything = "[" + ", ".join(f"s{i}" for i in range(4000)) + "]"  # the last answers every one of them
    blocks = "".join(f"::: claim\nid: s{n}\nby: Ann\nanswers: {f's{n + 1}' if n < 3999 else everything}\n\n"
                     "Text.\n:::\n\n" for n in range(4000))
    site = write_site(tmp_path, {"content/articles/a.md": article("Loop", "2024-11-11", blocks)})
    assert main(["check", "--site", str(site), "--jobs", "1"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "1 error, 0 warnings"
    assert lines[0].startswith("content/articles/a.md:6:1: error: answers form a cycle: 's0' (content/articles/a.md:6) "
                               "answers 's1', 's1' (content/articles/a.md:14) answers 's2', ")
    last = MAX_CYCLE_LINKS - 1
    assert lines[0].endswith(f"'s{last}' (content/articles/a.md:{6 + 8 * last}) answers "
                             f"'s{MAX_CYCLE_LINKS}', and {4000 - MAX_CYCLE_LINKS} more links back to 's0' "
                             "(a statement cannot answer itself, directly or through others)")


def test_a_long_source_that_is_no_url_is_refused_and_reported() -> None:
    text = f"---\ntitle: T\ndate: 2024-11-11\nsource: http://{'a' * 20_000} x\n---\n\nText.\n"
    article, problems = parse_article("a.md", text, Tools(DateResolver("en"), MarkdownRenderer()))
    assert [p.location.line for p in problems] == [4] and problems[0].message.startswith("'source' must be an http")
