"""YAML text → values, where every error PyYAML can raise is a Problem at its exact line.

Front-matter and statement header fields both go through here. Positions come from a
mark's character index, counted in our own lines ('\\n' only): PyYAML also breaks lines
at U+0085, U+2028 and U+2029, so its own line numbers can run ahead of the file's.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..problems import Problem, SourceLocation, error

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~6x faster
# What constructing a value can raise besides YAMLError: '!!int x' (ValueError), '!!bool maybe'
# (KeyError), '!!timestamp x' (AttributeError), '2024-02-30' (ValueError), deep nesting (RecursionError).
CONSTRUCTION_ERRORS = (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, IndexError,
                       OverflowError, RecursionError)


class TextPosition:
    """Turns character indexes in a YAML text into file locations, the text starting at `start`."""

    def __init__(self, path: str, text: str, start: SourceLocation) -> None:
        self.path, self.text, self.start = path, text, start

    def at(self, index: int) -> SourceLocation:
        """The file location of character `index` of the text."""
        index = max(0, min(index, len(self.text)))
        line_start = self.text.rfind("\n", 0, index) + 1
        lines = self.text.count("\n", 0, index)
        column = index - line_start + 1 + (self.start.column - 1 if lines == 0 else 0)
        return SourceLocation(self.path, self.start.line + lines, column)

    def of_mark(self, mark: Any) -> SourceLocation:
        """The location of a PyYAML mark (of a node or an error), or the text's start without one."""
        return self.start if mark is None else self.at(mark.index)


def yaml_problem(exc: BaseException, position: TextPosition, what: str, node: Any = None) -> Problem:
    """Any error from reading or constructing YAML → one Problem at the line it concerns.

    A scanner, parser or constructor error carries its own mark; a value error ('!!bool maybe')
    has none, and is placed at `node`, the node whose value was being constructed.
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "invalid YAML"
        return error(position.of_mark(mark), f"invalid YAML in {what}: {reason}")
    where = position.of_mark(getattr(node, "start_mark", None))
    if isinstance(exc, RecursionError):
        return error(where, f"YAML in {what} is nested too deeply")
    tag = getattr(node, "tag", "") or ""
    written = getattr(node, "value", None)
    if isinstance(written, str) and tag.startswith("tag:yaml.org,2002:"):
        kind = tag.rsplit(":", 1)[-1]
        return error(where, f"invalid value in {what}: '{_shown(written)}' is not a valid {kind}")
    return error(where, f"invalid value in {what}: {_shown(str(exc))}")


def construct(loader: Any, node: Any, position: TextPosition, what: str) -> tuple[Any, Problem | None]:
    """The Python value of one node, or the Problem that stops it (at that node's line)."""
    try:
        return loader.construct_object(node, deep=True), None
    except CONSTRUCTION_ERRORS as exc:
        return None, yaml_problem(exc, position, what, node)


def _shown(text: str) -> str:
    # One line each: control characters and line separators escaped, long text cut short.
    shown = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text[:60])
    return shown + ("…" if len(text) > 60 else "")
