"""Problem lines in text, JSON and GitHub formats."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.problems import (
    SourceLocation,
    Suggestions,
    did_you_mean,
    error,
    format_github,
    format_json,
    format_text,
    one_line,
    sorted_problems,
    warning,
)

PROBLEMS = sorted_problems([
    warning(SourceLocation("b.md", 2, 1), "unknown front-matter key 'titel'", "did you mean 'title'?"),
    error(SourceLocation("a.md", 23, 1), "'answers' names unknown statement 'x'"),
    error(SourceLocation("a.md", 3, 5), "100% wrong,\nreally"),
])


def test_text_is_sorted_with_a_count() -> None:
    assert format_text(PROBLEMS).splitlines() == [
        "a.md:3:5: error: 100% wrong,\\nreally",
        "a.md:23:1: error: 'answers' names unknown statement 'x'",
        "b.md:2:1: warning: unknown front-matter key 'titel' (did you mean 'title'?)",
        "2 errors, 1 warning",
    ]


# Every character some reader takes for the end of a line, and a terminal's escape sequences.
BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x1b[2K\r"]
FORGED = "x.md:1:1: error: forged"


@pytest.mark.parametrize("brk", BREAKS)
def test_no_message_hint_or_path_can_break_a_line_or_forge_a_problem(brk: str) -> None:
    problems = [error(SourceLocation(f"a{brk}b.md", 2, 3), f"bad value 'x{brk}{FORGED}'", f"hint{brk}{FORGED}")]
    for formatted, count_lines in ((format_text(problems), 1), (format_github(problems), 0)):
        lines = formatted.splitlines()
        assert len(lines) == len(problems) + count_lines, lines
        assert not any(line.startswith(FORGED) for line in lines)
        assert "\x1b" not in formatted
    escaped = brk.encode("unicode_escape").decode("ascii")
    assert format_text(problems).splitlines()[0] == (
        f"a{escaped}b.md:2:3: error: bad value 'x{escaped}{FORGED}' (hint{escaped}{FORGED})")


def test_json_keeps_every_string_exactly_and_stays_one_line_per_line_of_json() -> None:
    message = "a\u2028b\x85c\nd\x1b"
    text = format_json([error(SourceLocation("a\u2029.md"), message, "h\u2028")])
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text)[0] | {} == {"path": "a\u2029.md", "line": 1, "column": 1, "severity": "error",
                                       "message": message, "hint": "h\u2028"}


def test_json() -> None:
    data = json.loads(format_json(PROBLEMS))
    assert data[2] == {"path": "b.md", "line": 2, "column": 1, "severity": "warning",
                       "message": "unknown front-matter key 'titel'", "hint": "did you mean 'title'?"}


def test_github_annotations_escape_newlines_and_percent() -> None:  # the runner turns %0A into a line break
    assert format_github(PROBLEMS).splitlines()[0] == "::error file=a.md,line=3,col=5::100%25 wrong,%0Areally"
    assert format_github(PROBLEMS).splitlines()[2] == (
        "::warning file=b.md,line=2,col=1::unknown front-matter key 'titel' (did you mean 'title'?)")


IDS = [f"kremlin-denies-call-{i}" for i in range(10_000)]


@pytest.mark.parametrize(("typo", "meant"), [
    ("kremlin-denies-cal-7", "kremlin-denies-call-7"),  # a letter left out
    ("kremlin-deniess-call-7", "kremlin-denies-call-7"),  # one added
    ("kremlin-denied-call-7", "kremlin-denies-call-7"),  # one changed
    ("kremlin-denise-call-7", "kremlin-denies-call-7"),  # two swapped
])
def test_suggestions_among_thousands_of_ids_find_one_edit_typos(typo: str, meant: str) -> None:
    assert Suggestions(IDS).hint(typo) == f"did you mean '{meant}'?"


def test_suggestions_among_thousands_of_ids_do_not_guess_further() -> None:
    suggestions = Suggestions(IDS)
    assert suggestions.hint("kremlin-dneied-call-7") is None  # two edits: difflib would need to scan all 10,000
    assert suggestions.hint("x" * 300) is None


def test_few_choices_get_difflib_for_the_first_words_then_one_edit_lookups() -> None:
    suggestions = Suggestions(["call-took-place", "kremlin-denies"], scans=1)
    assert suggestions.hint("call-tok-plase") == "did you mean 'call-took-place'?"  # difflib: two edits
    assert suggestions.hint("kremlim-denie") is None  # no scans left: two edits are not looked for
    assert suggestions.hint("kremlin-denie") == "did you mean 'kremlin-denies'?"
    assert did_you_mean("sayd", ["said", "about"]) == "did you mean 'said'?"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(), st.text(min_size=1), st.none() | st.text(), st.integers(1, 10**6)), max_size=5))
def test_any_text_gives_one_line_per_problem_in_every_format(items: list[tuple[str, str, str | None, int]]) -> None:
    problems = sorted_problems(error(SourceLocation(path or "a.md", line), message, hint)
                               for path, message, hint, line in items)
    text_lines = format_text(problems).split("\n")
    assert len(text_lines) == len(problems) + 1 and len(format_text(problems).splitlines()) == len(problems) + 1
    github = format_github(problems)
    assert len(github.splitlines()) == len(problems) and (github.count("\n") == len(problems) - 1 or not problems)
    for line, problem in zip(text_lines, problems, strict=False):
        assert line.startswith(f"{one_line(problem.location.path)}:{problem.location.line}:1: error: ")
    assert [(p["path"], p["message"], p["hint"]) for p in json.loads(format_json(problems))] == [
        (p.location.path, p.message, p.hint) for p in problems]
