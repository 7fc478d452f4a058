"""Problem lines in text, JSON and GitHub formats."""

from __future__ import annotations

import json

from generator.problems import SourceLocation, error, format_github, format_json, format_text, sorted_problems, warning

PROBLEMS = sorted_problems([
    warning(SourceLocation("b.md", 2, 1), "unknown front-matter key 'titel'", "did you mean 'title'?"),
    error(SourceLocation("a.md", 23, 1), "'answers' names unknown statement 'x'"),
    error(SourceLocation("a.md", 3, 5), "100% wrong,\nreally"),
])


def test_text_is_sorted_with_a_count() -> None:
    assert format_text(PROBLEMS).splitlines() == [
        "a.md:3:5: error: 100% wrong,\nreally".splitlines()[0], "really",
        "a.md:23:1: error: 'answers' names unknown statement 'x'",
        "b.md:2:1: warning: unknown front-matter key 'titel' (did you mean 'title'?)",
        "2 errors, 1 warning",
    ]


def test_json() -> None:
    data = json.loads(format_json(PROBLEMS))
    assert data[2] == {"path": "b.md", "line": 2, "column": 1, "severity": "warning",
                       "message": "unknown front-matter key 'titel'", "hint": "did you mean 'title'?"}


def test_github_annotations_escape_newlines_and_percent() -> None:
    assert format_github(PROBLEMS).splitlines()[0] == "::error file=a.md,line=3,col=5::100%25 wrong,%0Areally"
    assert format_github(PROBLEMS).splitlines()[2] == (
        "::warning file=b.md,line=2,col=1::unknown front-matter key 'titel' (did you mean 'title'?)")
