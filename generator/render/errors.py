"""Template errors with their place: the template file and line, and the content behind the page.

Jinja gives a syntax error its file and line, but a runtime error (an undefined name, a
failing filter) only carries a message; the template's file and line are in the
traceback, where Jinja puts each template frame under the template's own file name.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import TracebackType

import jinja2

from ..model import Article, Speaker, Statement, Tag, Timeline
from ..problems import Problem, SourceLocation, error

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".json")


class RenderFailed(Exception):
    """A template failed: which template file and line, the message, and the content the page shows."""

    def __init__(self, name: str | None, line: int | None, message: str, page: str = "",
                 source: str | None = None) -> None:
        super().__init__(name, line, message, page, source)  # every field, so it survives pickling from a worker
        self.name, self.line, self.message, self.page, self.source = name, line, message, page, source


def render_failure(exc: jinja2.TemplateError, page_path: str = "", context: object = None) -> RenderFailed:
    """`exc` as a RenderFailed naming the innermost template frame and the content file behind the page."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is None:
        name, line = _template_frame(exc.__traceback__)
    return RenderFailed(name, line, exc.message or str(exc), page_path, _source_of(context))


def _template_frame(tb: TracebackType | None) -> tuple[str | None, int | None]:
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIXES):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _source_of(context: object) -> str | None:
    """Where the content a page shows was written: the statement's block, the article or speaker file."""
    for key in ("statement", "article", "speaker", "timeline", "tag"):
        value = getattr(context, key, None)
        if isinstance(value, Statement):
            return f"{value.location.path}:{value.location.line}"
        if isinstance(value, Article | Speaker | Timeline) and getattr(value, "path", None):
            return str(value.path)
        if isinstance(value, Tag):
            return f"tag '{value.slug}'"
    return None


def template_problem(site_dir: Path, exc: jinja2.TemplateError | RenderFailed) -> Problem:
    """A template failure as a problem at the template's file and line (relative to the site when inside it)."""
    if isinstance(exc, jinja2.TemplateError) and not isinstance(exc, RenderFailed):
        exc = render_failure(exc)
    name = exc.name or "templates"
    with contextlib.suppress(ValueError):  # a default theme's template keeps its full path
        name = Path(name).resolve().relative_to(site_dir.resolve()).as_posix()
    where = []
    if exc.page:
        where.append(f"rendering {exc.page}")
    if exc.source:
        where.append(f"from {exc.source}")
    suffix = f" (while {', '.join(where)})" if where else ""
    return error(SourceLocation(name, exc.line or 1), f"template error: {exc.message}{suffix}")
