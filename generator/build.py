"""The pipeline in one screen: load (read, parse, link) and build (render, write)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import jinja2

from .config import Config, load_config
from .content import decode, find_content
from .dates import DateResolver
from .markup import MarkdownRenderer
from .model import Site
from .parse import Tools, parse_article, parse_speaker, parse_timeline_file
from .problems import ConfigError, Problem, SourceLocation, error, sorted_problems, warning
from .timeline import link_site

T = TypeVar("T")


@dataclass(frozen=True)
class BuildResult:
    """What a build did. `ok` means no errors (or warnings, when strict) and output written."""

    problems: tuple[Problem, ...]
    ok: bool
    out_dir: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0


def load_site(site_dir: Path, *, drafts: bool = False, strict: bool = False,
              config: Config | None = None) -> tuple[Site | None, list[Problem]]:
    """Read, parse and link every content file; the Site is None when there are errors."""
    config = config or load_config(site_dir)
    tools = Tools(
        dates=DateResolver(config.language),
        markdown=MarkdownRenderer(unsafe_html=config.unsafe_html),
        include_drafts=drafts or config.drafts,
    )
    files = find_content(site_dir)
    problems: list[Problem] = []
    articles = _parse_files(site_dir, files.articles, parse_article, tools, problems)
    speakers = _parse_files(site_dir, files.speakers, parse_speaker, tools, problems)
    timelines = _parse_files(site_dir, files.timelines, parse_timeline_file, tools, problems)
    site, found = link_site(config, articles, speakers, timelines)
    problems.extend(found)
    if strict and site is not None:
        problems.extend(_implicit_speakers(site))
    problems = sorted_problems(problems)
    if any(p.is_error for p in problems):
        return None, problems
    return site, problems


def build_site(site_dir: Path, *, out_dir: Path | None = None, drafts: bool = False, strict: bool = False,
               serving: bool = False) -> BuildResult:
    """Load the site and, if it is clean, render it and swap it into the output folder."""
    from .output import check_output_dir, write_output
    from .render import render_site

    started = time.perf_counter()
    config = load_config(site_dir)
    out = (out_dir or site_dir / config.output).resolve()
    refused = check_output_dir(site_dir.resolve(), out)
    if refused:
        raise ConfigError([error(SourceLocation("site.toml"), f"refusing output folder {out}: {refused}")])
    site, problems = load_site(site_dir, drafts=drafts, strict=strict, config=config)
    failed = site is None or (strict and problems)
    if not failed:
        try:
            files = render_site(site, site_dir / "templates", serving=serving)
        except jinja2.TemplateError as exc:
            problems = sorted_problems([*problems, _template_problem(site_dir, exc)])
            failed = True
    if failed:
        return BuildResult(tuple(problems), False, out, seconds=time.perf_counter() - started)
    report = write_output(out, files)
    return BuildResult(tuple(problems), True, out, report.written, report.unchanged, report.removed,
                       time.perf_counter() - started)


def _parse_files(site_dir: Path, paths: Sequence[str], parse: Callable[[str, str, Tools], tuple[T | None, list]],
                 tools: Tools, problems: list[Problem]) -> list[T]:
    parsed = []
    for path in paths:
        try:
            data = (site_dir / path).read_bytes()
        except OSError as exc:
            problems.append(error(SourceLocation(path), f"cannot read file: {exc.strerror}"))
            continue
        text, found = decode(path, data)
        problems.extend(found)
        if text is None:
            continue
        item, found = parse(path, text, tools)
        problems.extend(found)
        if item is not None:
            parsed.append(item)
    return parsed


def _implicit_speakers(site: Site) -> list[Problem]:
    """With --strict, each speaker without a file is listed, at the first statement naming it."""
    first: dict[str, SourceLocation] = {}
    for statement in site.statements.values():
        if site.speakers[statement.speaker].implicit:
            first[statement.speaker] = min(first.get(statement.speaker, statement.location), statement.location)
    return [
        warning(location, f"speaker '{site.speakers[slug].name}' has no file content/speakers/{slug}.md")
        for slug, location in first.items()
    ]


def _template_problem(site_dir: Path, exc: jinja2.TemplateError) -> Problem:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    with contextlib.suppress(ValueError):
        name = Path(name).resolve().relative_to(site_dir.resolve()).as_posix()
    return error(SourceLocation(name, getattr(exc, "lineno", None) or 1), f"template error: {exc.message}")
