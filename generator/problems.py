"""Problems found in a site: where they are, how bad, and how they are printed."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a file of the site; `path` is relative to the site folder."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One error or warning, with where it is and, if it helps, a hint."""

    location: SourceLocation
    severity: Severity
    message: str
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.location, self.severity != Severity.ERROR, self.message)

    def __str__(self) -> str:
        text = f"{one_line(str(self.location))}: {self.severity}: {one_line(self.message)}"
        return f"{text} ({one_line(self.hint)})" if self.hint else text


# Every character that ends a line for some reader (str.splitlines, editors, terminals, JavaScript): line
# feeds, carriage returns, \v, \f, \x1c-\x1e, NEL (U+0085), U+2028, U+2029; the other control characters,
# which a terminal obeys (ESC starts a sequence that can move the cursor or wipe a line); and the bidi
# overrides that make a line read other than it is. Messages quote content, so any of them can be in one.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}  # the rest as Python writes them: \\x0b, \\x85, \\u2028


def one_line(text: str) -> str:
    """`text` on one line, fit for a terminal: line breaks and control characters written as escapes (\\n, \\u2028)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def error(location: SourceLocation, message: str, hint: str | None = None) -> Problem:
    """An error at `location`."""
    return Problem(location, Severity.ERROR, message, hint)


def warning(location: SourceLocation, message: str, hint: str | None = None) -> Problem:
    """A warning at `location`."""
    return Problem(location, Severity.WARNING, message, hint)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint for the closest of `choices`, or None."""
    return Suggestions(choices).hint(word)


class Suggestions:
    """"Did you mean" hints against one set of choices, at a bounded cost however many choices and words.

    difflib compares a word with every choice in turn (~0.9 s for one word against 10,000 similar
    statement ids). Instead, choices one edit away (a letter left out, added, changed or two swapped:
    most typos) are looked up directly, at a cost set by the word's length alone; difflib's wider net
    is cast only over a few choices, and only for the first few words (the rest get the direct lookup).
    """

    def __init__(self, choices: Iterable[str], *, scans: int = 20) -> None:
        self._choices = frozenset(choices)
        self._sorted = sorted(self._choices) if len(self._choices) <= _SCAN_CHOICES else None
        self._alphabet = "".join(sorted(set().union(*self._choices)))
        self._scans = scans  # difflib scans left: a hostile file may hold thousands of unknown words
        self._memo: dict[str, str | None] = {}

    def hint(self, word: str) -> str | None:
        """'did you mean 'x'?' for the closest choice to `word`, or None."""
        if word not in self._memo:
            match = self._closest(word)
            self._memo[word] = f"did you mean '{match}'?" if match is not None else None
        return self._memo[word]

    def _closest(self, word: str) -> str | None:
        if self._sorted is not None and self._scans > 0:
            self._scans -= 1
            matches = difflib.get_close_matches(word, self._sorted, n=1, cutoff=_CUTOFF)
            return matches[0] if matches else None
        if len(word) > _LONGEST_WORD:
            return None
        near = sorted(_one_edit_away(word, self._alphabet) & self._choices)
        return max(near, key=lambda c: difflib.SequenceMatcher(None, word, c).ratio(), default=None)


_CUTOFF = 0.75
_SCAN_CHOICES = 200  # more choices than this, and only those one edit away are suggested
_LONGEST_WORD = 255  # a longer word is no name at all (see vocab/limits.py): nothing to suggest


def _one_edit_away(word: str, alphabet: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap of neighbours away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    found.update(a + c + b[1:] for a, b in splits if b for c in alphabet)
    found.update(a + c + b for a, b in splits for c in alphabet)
    found.discard(word)
    return found


class ProblemsFound(Exception):
    """Raised by a stage whose problems stop the build; carries all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = tuple(problems)


class ConfigError(ProblemsFound):
    """site.toml (or the command line) is unusable: exit status 2."""


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in report order: by file, line, column, errors first."""
    return sorted(set(problems), key=Problem.sort_key)


def count_line(problems: Sequence[Problem]) -> str:
    """'2 errors, 1 warning'."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_text(problems: Sequence[Problem]) -> str:
    """Compiler-style lines, then a count line."""
    lines = [str(p) for p in problems]
    lines.append(count_line(problems))
    return "\n".join(lines)


def format_json(problems: Sequence[Problem]) -> str:
    """A JSON list of {path, line, column, severity, message, hint}, each string exactly as it is.

    JSON escapes control characters itself; U+2028 and U+2029, which it may leave raw, are escaped too,
    so a reader splitting the output into lines (or an old JavaScript parser) sees the same strings.
    """
    text = json.dumps(
        [
            {
                "path": p.location.path,
                "line": p.location.line,
                "column": p.location.column,
                "severity": str(p.severity),
                "message": p.message,
                "hint": p.hint,
            }
            for p in problems
        ],
        indent=2,
        ensure_ascii=False,
    )
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub workflow annotations, one per line.

    The runner turns %0A back into a line break inside the annotation; every other character that could
    end the line (U+2028, NEL…) or steer a terminal is written as an escape, as in the text format.
    """
    lines = []
    for p in problems:
        message = str(p.message if not p.hint else f"{p.message} ({p.hint})")
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        message = one_line(message)
        path = one_line(p.location.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
                        .replace(",", "%2C").replace(":", "%3A"))
        lines.append(
            f"::{p.severity} file={path},line={p.location.line},col={p.location.column}::{message}"
        )
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
