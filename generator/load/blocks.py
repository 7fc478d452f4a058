"""The statement block syntax: split an article body into prose and `::: kind` blocks.

Validation happens here, with line numbers, rather than inside Python-Markdown, which
never fails on bad input. Outside fenced code, a line starting with `:::` is always
block syntax. Header values are read here too, as YAML: one place where any value YAML
cannot read becomes a problem at its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from ..problems import Problem, SourceLocation, did_you_mean, error
from ..vocab.kinds import KIND_NAMES
from ..vocab.limits import MAX_BRACKETS, MAX_NESTING
from ..vocab.yaml_words import reads_as_itself

FIELDS = ("by", "id", "role", "said", "about", "answers", "via", "source", "timeline", "tags", "verdict",
          "verdict_note", "lang", "translation", "translated_by")
# fields whose value may be a block of Markdown: 'name: |' then lines indented under it
BLOCK_FIELDS = ("translation",)

_COLONS = re.compile(r"^(:{3,})(.*)$")
_HEADER = re.compile(r"^([a-z][a-z0-9_-]*):(?: (.*)|\s*)$")  # '_' for verdict_note
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# One container opened on a line: a blockquote's '>' or a list item's marker, after its indentation.
_CONTAINER = re.compile(r"([ \t]*)(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?")


@dataclass(frozen=True)
class HeaderField:
    name: str
    value: str  # the raw text after "name: ", stripped
    line: int
    column: int  # where the value starts
    block: bool = False  # the value is the indented Markdown under 'name: |', dedented


@dataclass(frozen=True)
class RawBlock:
    """A statement block as written: its kind, header fields and Markdown text."""

    kind: str
    fields: tuple[HeaderField, ...]
    text: str
    line: int  # the opening line
    text_line: int  # the first line of the text (the opening line when there is none)
    valid: bool = True  # False when the block has syntax errors (already reported)


@dataclass(frozen=True)
class Prose:
    """Markdown between statement blocks."""

    text: str
    line: int


def split_blocks(lines: list[str], first_line: int, path: str) -> tuple[list[Prose | RawBlock], list[Problem]]:
    """Split body lines (numbered from `first_line`) into prose and statement blocks."""
    parts: list[Prose | RawBlock] = []
    problems: list[Problem] = []
    prose: list[str] = []
    prose_line = first_line
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        number = first_line + index
        if fence is None:
            match = _COLONS.match(line)
            if match:
                _add_prose(parts, problems, prose, prose_line, path)
                prose = []
                index, block, found = _read_block(lines, index, first_line, path)
                problems.extend(found)
                if block is not None:
                    parts.append(block)
                prose_line = first_line + index
                continue
        fence = _next_fence_state(fence, line)
        if not prose:
            prose_line = number
        prose.append(line)
        index += 1
    _add_prose(parts, problems, prose, prose_line, path)
    return parts, problems


def _add_prose(parts: list[Prose | RawBlock], problems: list[Problem], lines: list[str], first_line: int,
               path: str) -> None:
    """Prose worth rendering joins the parts; prose nested too deep is an error and is never rendered."""
    if not any(line.strip() for line in lines):
        return
    too_deep = nesting_problem(lines, first_line, path)
    if too_deep is not None:
        problems.append(too_deep)
    else:
        parts.append(Prose("\n".join(lines), first_line))


def _read_block(lines: list[str], start: int, first_line: int, path: str) -> tuple[int, RawBlock | None, list[Problem]]:
    """Read the block opening at `start`; return the index after it, the block and problems."""
    number = first_line + start
    rest = _COLONS.match(lines[start]).group(2).strip()
    problems: list[Problem] = []

    def at(line: int, column: int = 1) -> SourceLocation:
        return SourceLocation(path, line, column)

    if not rest:
        problems.append(error(at(number), "':::' closes a statement block, but none is open",
                              "open a block with a line such as '::: claim'"))
        return start + 1, None, problems
    kind = rest
    if kind not in KIND_NAMES:
        column = lines[start].index(rest) + 1
        hint = did_you_mean(kind.lower(), KIND_NAMES) or "kinds are: " + ", ".join(KIND_NAMES)
        problems.append(error(at(number, column), f"unknown statement kind '{kind}'", hint))

    fields: list[HeaderField] = []
    index = start + 1
    while index < len(lines):
        match = _HEADER.match(lines[index])
        if not match:
            break
        value = (match.group(2) or "").strip()
        column = len(match.group(1)) + 3 if match.group(2) is not None else len(lines[index]) + 1
        if match.group(1) in BLOCK_FIELDS and value in ("|", ">"):
            header_line = first_line + index
            index, value = _indented_block(lines, index + 1)
            fields.append(HeaderField(match.group(1), value, header_line, column, block=True))
            continue
        fields.append(HeaderField(match.group(1), value, first_line + index, column))
        index += 1

    text_lines: list[str] = []
    text_line = None
    fence: str | None = None
    closed = False
    while index < len(lines):
        line = lines[index]
        if fence is None and _COLONS.match(line):
            if _COLONS.match(line).group(2).strip():
                problems.append(error(at(number), f"statement block '{kind}' is not closed before the "
                                      f"next block at line {first_line + index}",
                                      "blocks do not nest; end each with a line of ':::'"))
                return index, RawBlock(kind, tuple(fields), "", number, number, valid=False), problems
            closed = True
            index += 1
            break
        fence = _next_fence_state(fence, line)
        if text_line is None and line.strip():
            text_line = first_line + index
        if text_line is not None:
            text_lines.append(line)
        index += 1
    if not closed:
        problems.append(error(at(number), f"statement block '{kind}' is not closed",
                              "end it with a line of ':::'"))
        return index, RawBlock(kind, tuple(fields), "", number, number, valid=False), problems

    for field in fields:
        if field.name not in FIELDS:
            hint = did_you_mean(field.name, FIELDS)
            if hint is None:
                hint = "if the text begins with 'word: ', put a blank line before it"
            problems.append(error(at(field.line), f"unknown field '{field.name}'", hint))
    seen: set[str] = set()
    for field in fields:
        if field.name in seen:
            problems.append(error(at(field.line), f"field '{field.name}' is given twice"))
        seen.add(field.name)

    text = "\n".join(text_lines).strip()
    if not text and not problems:  # an unknown field may be the text misread as a header
        problems.append(error(at(number), f"statement block '{kind}' has no text",
                              "write what was said after the header and a blank line"))
    too_deep = nesting_problem(text_lines, text_line or number, path)
    if too_deep is not None:
        problems.append(too_deep)  # and the block is not valid: its text is never rendered
    return index, RawBlock(kind, tuple(fields), text, number, text_line or number, not problems), problems


def field_values(fields: Iterable[HeaderField], path: str, problems: list[Problem]) -> dict[str, Any]:
    """The value of every header field; a value YAML cannot read is a problem at its field, never a traceback.

    The fields' checks that follow see only what YAML could read, and check its type.
    """
    values: dict[str, Any] = {}
    for found in fields:
        try:
            values[found.name] = _field_value(found)
        # Not only YAMLError: PyYAML's constructors raise whatever a tag's value makes them raise
        # (`!!bool maybe` KeyError, `!!int :` IndexError, `!!timestamp 2024-99-99` ValueError,
        # `!!timestamp 99999-01-01` AttributeError), and a value can nest past the recursion limit.
        except Exception as exc:  # noqa: BLE001 - any failure to read one value is that value's problem
            problems.append(error(_value_location(path, found, exc), f"'{found.name}' has a value YAML cannot read: "
                                  f"{_yaml_reason(exc)}", "quote the value to keep it as text"))
    return values


def _value_location(path: str, found: HeaderField, exc: Exception) -> SourceLocation:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    column = found.column + mark.column if mark is not None and mark.line == 0 else found.column
    return SourceLocation(path, found.line, column)


def _yaml_reason(exc: Exception) -> str:
    if isinstance(exc, yaml.YAMLError):
        return str(getattr(exc, "problem", None) or exc).split("\n")[0]
    if isinstance(exc, ValueError | OverflowError) and str(exc):
        return str(exc).split("\n")[0]  # e.g. "month must be in 1..12"
    return "the value does not fit its tag"


def _field_value(found: HeaderField) -> Any:
    if found.block:
        return found.value  # Markdown, as written under 'name: |'
    if found.name in ("said", "about", "verdict"):  # 'verdict: true' names a verdict; YAML would read a boolean
        return unquote(found.value)
    if not found.value:
        return None
    if reads_as_itself(found.value):
        return found.value  # what YAML would give, without the cost of a YAML parser
    value = yaml.load(found.value, Loader=_SafeLoader)
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return found.value  # '1984' or '2024-11-07' as written
    return value


def unquote(value: str) -> str:
    """A value without the quotes around it, if it has a pair."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def nesting_problem(lines: list[str], first_line: int, path: str) -> Problem | None:
    """An error at the first line (numbered from `first_line`) whose blockquotes and lists nest too deep,
    or past which the text holds too many '[' and '<' (vocab/limits.py).

    Checked here, before the Markdown engine sees the text: it recurses once per level, its link and
    HTML patterns cost the square of the brackets, and the sanitizer's work on what it makes grows
    faster than the text. Fenced code is not Markdown.
    """
    fence: str | None = None
    brackets = 0
    for index, line in enumerate(lines):
        if fence is None and _nesting(line) > MAX_NESTING:
            return error(SourceLocation(path, first_line + index),
                         f"blockquotes and lists nest more than {MAX_NESTING} deep here; the text is not rendered",
                         "nest fewer '>' and list items")
        if fence is None:
            brackets += line.count("[") + line.count("<")
            if brackets > MAX_BRACKETS:
                return error(SourceLocation(path, first_line + index),
                             f"this text holds more than {MAX_BRACKETS} '[' and '<' by here; the text is not rendered",
                             "Markdown's cost grows with the square of their number: split the text, or put "
                             "literal brackets in fenced code")
        fence = _next_fence_state(fence, line)
    return None


def _nesting(line: str) -> int:
    """How many blockquotes and list items a line opens (an indented item counts its indentation's levels)."""
    depth = position = 0
    while depth <= MAX_NESTING:
        match = _CONTAINER.match(line, position)
        if match is None or match.end() == position:
            break
        indent = match.group(1).expandtabs(4)
        depth += 1 + len(indent) // 4
        position = match.end()
    return depth


def _indented_block(lines: list[str], index: int) -> tuple[int, str]:
    """The indented lines from `index` on (blank lines between them kept), dedented; and the index after them."""
    taken: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line.strip() and not line[:1].isspace():
            break
        if not line.strip() and not any(n.strip() and n[:1].isspace() for n in lines[index + 1:index + 2]):
            break  # a blank line ends the block unless an indented line follows it
        taken.append(line)
        index += 1
    indent = min((len(t) - len(t.lstrip()) for t in taken if t.strip()), default=0)
    return index, "\n".join(t[indent:] for t in taken).strip()


def _next_fence_state(fence: str | None, line: str) -> str | None:
    """Track fenced code: the open fence's marker, or None outside fenced code."""
    match = _FENCE.match(line)
    if not match:
        return fence
    marker = match.group(1)
    if fence is None:
        return marker
    if marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker):].strip():
        return None
    return fence
