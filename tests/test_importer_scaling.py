"""The importer's work grows linearly with its input (issue 15: 20,000 quotations took 24 s).

Speed is never timed here. Instead the work is counted: every line the importer's own code
runs, plus every character its regular expressions are handed to scan. Doubling the number
of quotations must about double that count; work that grows with the square of the input
(as it did) quadruples it. What the count cannot see (work inside one C call, such as `in` on a
growing tuple) is kept bounded by limits that are tested directly (MAX_QUOTES, MAX_CUES).
benchmarks/import_scaling.py shows the times.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.importer
from generator.importer import attribution, drafts, import_files, names, read, sentences, suggestions
from generator.importer.drafts import draft_text, headline
from generator.importer.read import read_raw, source_note
from generator.importer.sentences import split_sentences
from generator.importer.suggestions import suggest
from generator.load.dates import DateResolver
from generator.load.markup import MarkdownRenderer
from generator.load.parse import Tools, parse_article

PACKAGE = str(Path(generator.importer.__file__).parent)
MODULES = (attribution, drafts, names, read, sentences, suggestions)


class Work:
    """A count of lines run in the importer and characters its patterns scanned."""

    def __init__(self) -> None:
        self.lines = 0
        self.scanned = 0

    @property
    def total(self) -> int:
        return self.lines + self.scanned


class CountingPattern:
    """A compiled pattern that adds the length of every text it scans to a Work."""

    def __init__(self, pattern: re.Pattern[str], work: Work) -> None:
        self.pattern, self.work = pattern, work

    def _scan(self, method: str, text: str, *args: Any, pos: int = 0, **kwargs: Any) -> Any:
        self.work.scanned += max(0, len(text) - pos)
        return getattr(self.pattern, method)(text, pos, *args, **kwargs) if pos else \
            getattr(self.pattern, method)(text, *args, **kwargs)

    def match(self, text: str, pos: int = 0) -> Any:
        return self._scan("match", text, pos=pos)

    def fullmatch(self, text: str, pos: int = 0) -> Any:
        return self._scan("fullmatch", text, pos=pos)

    def search(self, text: str, pos: int = 0) -> Any:
        return self._scan("search", text, pos=pos)

    def finditer(self, text: str, pos: int = 0) -> Any:
        return self._scan("finditer", text, pos=pos)

    def split(self, text: str, maxsplit: int = 0) -> Any:
        self.work.scanned += len(text)
        return self.pattern.split(text, maxsplit)

    def sub(self, replacement: Any, text: str, count: int = 0) -> Any:
        self.work.scanned += len(text)
        return self.pattern.sub(replacement, text, count)


class CountingRe:
    """The `re` module as a module of the importer sees it, counting what its functions scan."""

    def __init__(self, work: Work) -> None:
        self.work = work

    def __getattr__(self, name: str) -> Any:
        function = getattr(re, name)
        if name not in ("match", "fullmatch", "search", "finditer", "findall", "split", "sub"):
            return function

        def scan(pattern: Any, *args: Any, **kwargs: Any) -> Any:
            text = args[1] if name == "sub" else args[0]
            self.work.scanned += len(text)
            return function(pattern, *args, **kwargs)

        return scan


def _counting(value: Any, work: Work) -> Any:
    if value is re:
        return CountingRe(work)
    if isinstance(value, re.Pattern):
        return CountingPattern(value, work)
    if isinstance(value, tuple) and any(isinstance(item, (re.Pattern, tuple)) for item in value):
        return tuple(_counting(item, work) for item in value)
    return value


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    """Count the importer's work inside the block: its patterns wrapped, its lines traced."""
    work = Work()
    for module in MODULES:
        for name, value in vars(module).items():
            wrapped = _counting(value, work)
            if wrapped is not value:
                monkeypatch.setattr(module, name, wrapped)

    def on_line(frame: FrameType, event: str, arg: Any) -> Callable | None:
        if event == "line":
            work.lines += 1
        return on_line

    def on_call(frame: FrameType, event: str, arg: Any) -> Callable | None:
        return on_line if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield work
    finally:
        sys.settrace(previous)
        monkeypatch.undo()


def import_text(raw_text: str) -> str:
    """The importer's pure path, as `counterpoint import` runs it on one file: raw text → the draft's text."""
    raw, problems = read_raw("raw.txt", raw_text)
    assert raw is not None, problems
    paragraphs = [source_note(p.text)[0] for p in raw.paragraphs]
    found = suggest(paragraphs, raw.date, (), DateResolver())
    title = headline(next((s for p in paragraphs for s in split_sentences(p)), ""))
    return draft_text(raw, found, title=title or "T", origin="raw.txt")


# Inputs of n quotations, in the shapes that were quadratic.
SHAPES: dict[str, Callable[[int], str]] = {
    "one speaker, then n quotations 'he said'": lambda n: "Dmitry Peskov said it was false. " + " ".join(
        f"“This is quotation number {i},” he said." for i in range(n)),
    "one sentence of n quotations": lambda n: "Dmitry Peskov said " + ", ".join(
        f"“point {i}”" for i in range(n)) + ".",
    "n speakers, one quotation each": lambda n: " ".join(
        f"“Quote {i},” said Name{chr(65 + i % 26)}{i}." for i in range(n)),
    "one speaker saying n quotations": lambda n: " ".join(f"Peskov said “q{i}.”" for i in range(n)),
    "n paragraphs of one quotation": lambda n: "\n\n".join(
        f"“Quote {i},” said Speaker{i}." for i in range(n)),
    "n claims and n denials by one speaker": lambda n: " ".join(
        f"According to Smith, item {i} exists. Smith denied item {i}." for i in range(n)),
    "a name of n dashed parts": lambda n: "Dmitry " + "-".join(["Peskov"] * n) + " said “yes.”",
    "n unnamed speakers in one sentence": lambda n: "It " + " and ".join(
        f"“q{i}” people said" for i in range(n)) + ".",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_twice_the_quotations_cost_about_twice_the_work(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    n = 400
    work = []
    for count in (n, 2 * n):
        text = "date 2024-11-11 " + SHAPES[shape](count)
        with counted(monkeypatch) as done:
            draft = import_text(text)
        assert draft.startswith("---\n# Imported from raw.txt")
        work.append(done)
    assert work[0].lines > n and work[0].scanned > n  # the counters see the work being done
    ratio = work[1].total / work[0].total
    assert 1.8 < ratio < 2.2, f"{shape}: {work[0].total} → {work[1].total} units of work (×{ratio:.2f})"


def test_the_counter_sees_quadratic_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deliberately quadratic step (each sentence re-reading the whole paragraph) quadruples the count."""
    def quadratic(texts: list[str]) -> dict[str, str]:
        text = " ".join(texts)
        for _ in split_sentences(text):
            names._NAME_PAIR.search(text)  # a scan of the whole paragraph for every sentence
        return {}

    work = []
    for count in (400, 800):
        monkeypatch.setattr(suggestions, "full_names", quadratic)
        with counted(monkeypatch) as done:
            import_text("date 2024-11-11 " + SHAPES["n speakers, one quotation each"](count))
        work.append(done.total)
    assert work[1] / work[0] > 3.2


def test_a_suggestion_keeps_at_most_max_quotes_and_says_how_many_more() -> None:
    text = "Dmitry Peskov said it was false. " + " ".join(f"“Quotation number {i},” he said." for i in range(50))
    [found] = suggest([text], dt.date(2024, 11, 11))
    assert len(found.quotes) == suggestions.MAX_QUOTES
    assert found.quotes == tuple(f"Quotation number {i}." for i in range(suggestions.MAX_QUOTES))
    assert found.more_quotes == 50 - suggestions.MAX_QUOTES
    raw, _ = read_raw("raw.txt", "date 2024-11-11 " + text)
    assert raw is not None
    draft = draft_text(raw, [found], title="T", origin="raw.txt")
    assert f"; {found.more_quotes} more quotations by the same speaker are in the text above only -->" in draft
    assert draft.count("\n> Quotation number") == suggestions.MAX_QUOTES


def test_a_suggestion_names_at_most_max_cues_words() -> None:
    """Each spelling of 'fabrication' is another cue; keeping them all made each merge cost more than the last."""
    def spelling(number: int) -> str:
        return "".join(c.upper() if number >> i & 1 else c for i, c in enumerate("fabrication"))

    text = "Peskov said so. " + " ".join(f"He said it was {spelling(i)}." for i in range(100))
    [found] = suggest([text], dt.date(2024, 11, 11))
    assert found.cue == ("said", *(spelling(i) for i in range(suggestions.MAX_CUES - 1)))


def test_full_names_look_at_the_start_of_a_long_word_only() -> None:
    """Every prefix of a 140,000-character word was a copy of it: 53 s for one paragraph."""
    found = names.full_names(["Dmitry " + "-".join(["Peskov"] * 20_000) + " said."])
    assert found["Peskov"] == "Dmitry Peskov" and found["Peskov-Peskov"] == "Dmitry Peskov-Peskov"
    assert max(len(name) for name in found) <= 60


# ---------------------------------------------------------------------------
# Fuzzing: any raw text gives a draft or problems, never a traceback
# (COUNTERPOINT_FUZZ_EXAMPLES=20000 runs many more than CI does)

FUZZ_EXAMPLES = int(os.environ.get("COUNTERPOINT_FUZZ_EXAMPLES", "200"))

_PIECES = ["Peskov", "Dmitry Peskov", "O'Brien", "Łukasz", "Kremlin spokesman", "The", "he", "said", "told",
           "denied", "would not confirm", "according to", "a report in", "Interfax", "on Thursday", "next Tuesday",
           "last week", "tomorrow", "in November", "untrue", "was said to", "Mr.", "U.S.", ",", ".", "!", "?",
           "“", "”", '"', "(The Post)", ":::", "```", "~~~", "\n", "\n\n", "  ", "\t", "—", "’s", "-", "'", "2024",
           "\u2028", "\x85", "\r", "\ufeff", "id:", "yes: no", "#", ">", "\u2028:::", "\x85```", "\n::: claim\n"]


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60),
       st.sampled_from(["date 2024-11-11 ", "date 2024-11-11\n", "DATE: 2024-02-29 ", "date 2024-13-01 ", ""]))
def test_any_raw_text_gives_a_draft_or_problems(pieces: list[str], head: str) -> None:
    text = head + " ".join(pieces)
    raw, problems = read_raw("raw.txt", text)
    if raw is None:
        assert problems and all(p.location.path == "raw.txt" for p in problems)
        return
    paragraphs = [source_note(p.text)[0] for p in raw.paragraphs]
    found = suggest(paragraphs, raw.date)
    draft = draft_text(raw, found, title="T", origin="raw.txt")
    tools = Tools(DateResolver(), MarkdownRenderer(), include_drafts=True)
    article, problems = parse_article("content/articles/2024-11-11-t.md", draft, tools)
    assert [p for p in problems if p.is_error] == [], draft
    assert article is not None and [s.id for s in article.statements] == [s.id for s in found]


@settings(max_examples=FUZZ_EXAMPLES // 5, deadline=None,  # each example writes files
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300),
                 st.lists(st.sampled_from(_PIECES), max_size=40).map(lambda p: ("date 2024-11-11 " + " ".join(p))
                                                                     .encode("utf-8"))))
def test_the_command_answers_any_file_with_a_draft_or_problem_lines(
        data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    if not site.exists():
        site.mkdir()
        (site / "site.toml").write_text('title = "Fuzz"\nbase_url = "https://example.org/"\n', encoding="utf-8")
    raw = tmp_path / "raw.txt"
    raw.write_bytes(data)
    status = import_files(site, [raw])
    out, err = capsys.readouterr()
    articles = site / "content" / "articles"
    written = sorted(articles.glob("*.md")) if articles.is_dir() else []
    if status == 0:
        assert err == "" and [Path(line) for line in out.splitlines()] == written and len(written) == 1
    else:
        assert status == 1 and out == "" and written == []
        *lines, count = err.splitlines()
        assert lines and count == f"{len(lines)} error{'s' if len(lines) > 1 else ''}, 0 warnings"
        one_problem = re.compile(rf"{re.escape(str(raw))}:\d+:\d+: error: \S.*")
        assert all(one_problem.fullmatch(line) for line in lines), err
    for path in written:
        path.unlink()
