"""Front-matter through python-frontmatter and our marked YAML handler: every problem at its exact line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.content import split_source
from generator.load.dates import DateResolver
from generator.load.markup import MarkdownRenderer
from generator.load.parse import Tools, parse_article

PATH = "content/articles/a.md"


TOOLS = Tools(DateResolver(), MarkdownRenderer())


def problems_of(text: str) -> list[str]:
    _, found = parse_article(PATH, text, TOOLS)
    return [str(p) for p in found]


def test_a_misspelt_key_is_reported_at_its_line() -> None:
    assert problems_of("---\ntitle: A\ndate: 2024-11-11\ntitel: B\n---\n\nText.\n") == [
        f"{PATH}:4:1: warning: unknown front-matter key 'titel' (did you mean 'title'?)"]


def test_body_line_numbers_stay_exact_after_blank_lines() -> None:
    # python-frontmatter strips the body; a block's line must still be the file's line.
    text = "---\ntitle: A\ndate: 2024-11-11\n---\n\n\n\n::: clam\nby: A\n\nx\n:::\n"
    source, _ = split_source(PATH, text)
    assert source.body_line == 5 and source.body[3] == "::: clam"
    assert problems_of(text) == [f"{PATH}:8:5: error: unknown statement kind 'clam' (did you mean 'claim'?)"]


def test_empty_front_matter_keeps_lines() -> None:
    source, problems = split_source(PATH, "---\n---\nBody\n")
    assert problems == [] and source.body_line == 3 and source.body[0] == "Body"


def test_unclosed_front_matter_is_an_error_not_body_text() -> None:
    assert problems_of("---\ntitle: A\ndate: 2024-11-11\n\nText.\n") == [
        f"{PATH}:1:1: error: front-matter is not closed by a '---' line"]


def test_leading_blank_lines_and_white_space_are_reported_not_stripped() -> None:
    assert problems_of("\n\n---\ntitle: A\ndate: 2024-11-11\n---\nText.\n") == [
        f"{PATH}:3:1: error: front-matter must start on line 1 (remove the 2 blank line(s) before '---')"]
    assert problems_of("  ---\ntitle: A\ndate: 2024-11-11\n---\nText.\n") == [
        f"{PATH}:1:1: error: the opening '---' must start the line (remove the white space before '---')"]


@pytest.mark.parametrize(("line", "expected"), [
    ("date: !!timestamp x", "3:7: error: invalid value in front-matter: 'x' is not a valid timestamp"),
    ("draft: !!bool maybe", "3:8: error: invalid value in front-matter: 'maybe' is not a valid bool"),
    ("n: !!int x", "3:4: error: invalid value in front-matter: 'x' is not a valid int"),
    ("when: 2024-02-30", "3:7: error: invalid value in front-matter: '2024-02-30' is not a valid timestamp"),
    ("s: !!str [1]", "3:4: error: invalid YAML in front-matter: expected a scalar node, but found sequence"),
    ("x: !!python/name:os.system", "3:4: error: invalid YAML in front-matter: could not determine a constructor "
                                  "for the tag 'tag:yaml.org,2002:python/name:os.system'"),
])
def test_bad_tagged_values_are_problems_at_their_line(line: str, expected: str) -> None:
    assert problems_of(f"---\ntitle: A\n{line}\ndate: 2024-11-11\n---\nText.\n") == [f"{PATH}:{expected}"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_unicode_line_separators_do_not_shift_lines(separator: str) -> None:
    front = f'title: "A{separator}B"\nsummary: "x{separator}{separator}y"\ndate: 2024-11-11\ntitel: C\n'
    text = f"---\n{front}---\n\n::: clam\n:::\n"
    assert problems_of(text) == [
        f"{PATH}:5:1: warning: unknown front-matter key 'titel' (did you mean 'title'?)",
        f"{PATH}:8:5: error: unknown statement kind 'clam' (did you mean 'claim'?)",
    ]
    broken = problems_of(f'---\ntitle: "A{separator}B"\ndraft: !!bool maybe\ndate: 2024-11-11\n---\n')
    assert broken == [f"{PATH}:3:8: error: invalid value in front-matter: 'maybe' is not a valid bool"]


FRONT_LINES = ["title: A", "date: 2024-11-11", "date: !!timestamp x", "draft: !!bool maybe", "n: !!int x",
               "tags: [a, b", "x: !!binary '@@'", "? [a]\n: b", "<<: {title: B}", "a: &x [1]\nb: *x",
               "k: \"a\u2028b\"", "s: !!set {a, b}", "o: !!omap [a: 1]", "deep: " + "[" * 60, "---",
               "  indented: 1", "\u0085", "t: 2024-02-30"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRONT_LINES), st.text(max_size=30)), max_size=12))
def test_any_front_matter_gives_an_article_or_problems_never_a_traceback(lines: list[str]) -> None:
    text = "---\n" + "\n".join(lines) + "\n---\n\nText.\n"
    article, problems = parse_article(PATH, text, TOOLS)
    assert article is not None or any(p.is_error for p in problems)
    last = text.count("\n") + 1
    for problem in problems:
        assert problem.location.path == PATH and 1 <= problem.location.line <= last
