"""Reading a raw text article: its `date YYYY-MM-DD` line, its paragraphs, and a trailing source note."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..problems import Problem, SourceLocation, error
from ..vocab.dates import ISO

_DATE_LINE = re.compile(r"^\s*date\b:?[ \t]*(\S*)[ \t]*(.*)$", re.IGNORECASE)
_NOTE_MAX = 80  # characters inside the parentheses
# Searched only in a paragraph's last characters: a scan from every blank of a long run would be quadratic.
_SOURCE_NOTE = re.compile(rf"\((?P<note>[A-Z][^()]{{0,{_NOTE_MAX}}})\)\Z")


@dataclass(frozen=True)
class RawParagraph:
    """One paragraph of a raw article: its lines as written, and the line it starts on."""

    lines: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        """The paragraph on one line, for analysis."""
        return " ".join(self.lines)


@dataclass(frozen=True)
class RawArticle:
    """A raw text article: its date and paragraphs."""

    date: dt.date
    paragraphs: tuple[RawParagraph, ...]


def read_raw(label: str, text: str) -> tuple[RawArticle | None, list[Problem]]:
    """Raw text → RawArticle, or the problem that says why it is not in the format."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return None, [error(SourceLocation(label), "file is empty")]
    number = start + 1
    match = _DATE_LINE.match(lines[start])
    if not match:
        return None, [error(SourceLocation(label, number), "not a raw article: the first line must be "
                            "'date YYYY-MM-DD' followed by the text", "e.g. 'date 2024-11-11 The Kremlin denied…'")]
    value = match.group(1)
    column = match.start(1) + 1
    day = _iso_day(value)
    if day is None:
        shown = f"'{value}'" if value else "nothing"
        return None, [error(SourceLocation(label, number, column), f"the date must be YYYY-MM-DD, not {shown}",
                            "e.g. 'date 2024-11-11'")]
    body = [match.group(2), *lines[start + 1:]]
    paragraphs: list[RawParagraph] = []
    current: list[str] = []
    first = number
    for offset, line in enumerate(body):
        if line.strip():
            if not current:
                first = number + offset
            current.append(line.strip())
        elif current:
            paragraphs.append(RawParagraph(tuple(current), first))
            current = []
    if current:
        paragraphs.append(RawParagraph(tuple(current), first))
    if not paragraphs:
        return None, [error(SourceLocation(label, number), "the article has a date but no text")]
    return RawArticle(day, tuple(paragraphs)), []


def _iso_day(value: str) -> dt.date | None:
    """The day of 'YYYY-MM-DD' (a day, with no time: the article's date), else None."""
    match = ISO.fullmatch(value)
    if match is None or match["day"] is None or match["time"] is not None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def source_note(text: str) -> tuple[str, str | None]:
    """Split a trailing source note off a paragraph: 'Text. (The Washington Post)' → ('Text.', 'The …')."""
    stripped = text.rstrip()
    match = _SOURCE_NOTE.search(stripped, max(0, len(stripped) - _NOTE_MAX - 3))
    if not match or len(match.group("note").split()) > 8:
        return text, None
    return stripped[: match.start()].rstrip(), match.group("note").strip()
