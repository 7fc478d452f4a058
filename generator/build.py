"""The pipeline in one screen: load (read, parse, link) and build (render, write)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .cache import ParseCache, content_hash, fingerprint
from .config import Config, load_config
from .content import ContentFiles, decode, find_content
from .dates import DateResolver
from .markup import MarkdownRenderer
from .model import Site
from .parse import Tools, parse_article, parse_speaker, parse_timeline_file
from .problems import ConfigError, Problem, SourceLocation, error, sorted_problems, warning
from .timeline import link_site


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


def load_site(site_dir: Path, *, drafts: bool = False, strict: bool = False, config: Config | None = None,
              jobs: int | None = None, use_cache: bool = True, write_cache: bool = False,
              notes: list[str] | None = None) -> tuple[Site | None, list[Problem]]:
    """Read, parse and link every content file; the Site is None when there are errors.

    Files are parsed in `jobs` worker processes (default: all cores) unless their parse
    is in the site's cache. `notes` collects remarks for --verbose (e.g. an ignored cache).
    """
    config = config or load_config(site_dir)
    include_drafts = drafts or config.drafts
    files = find_content(site_dir)
    cache = ParseCache.load(site_dir, fingerprint(config.language, config.unsafe_html, include_drafts))
    if not use_cache:
        cache = ParseCache(cache.folder, cache.fingerprint)
    problems: list[Problem] = []
    results = _parse_all(site_dir, files, cache, ParseSettings(config.language, config.unsafe_html, include_drafts),
                         jobs or os.cpu_count() or 1, problems)
    if use_cache and write_cache:
        cache.save()
    if notes is not None and cache.note:
        notes.append(cache.note)
    site, found = link_site(config, results["article"], results["speaker"], results["timeline"])
    problems.extend(found)
    if strict and site is not None:
        problems.extend(_implicit_speakers(site))
    problems = sorted_problems(problems)
    if any(p.is_error for p in problems):
        return None, problems
    return site, problems


def build_site(site_dir: Path, *, out_dir: Path | None = None, drafts: bool = False, strict: bool = False,
               serving: bool = False, jobs: int | None = None, use_cache: bool = True,
               notes: list[str] | None = None) -> BuildResult:
    """Load the site and, if it is clean, render it and swap it into the output folder."""
    from .output import check_output_dir, write_output
    from .render import render_site

    started = time.perf_counter()
    config = load_config(site_dir)
    out = (out_dir or site_dir / config.output).resolve()
    refused = check_output_dir(site_dir.resolve(), out)
    if refused:
        raise ConfigError([error(SourceLocation("site.toml"), f"refusing output folder {out}: {refused}")])
    site, problems = load_site(site_dir, drafts=drafts, strict=strict, config=config, jobs=jobs,
                               use_cache=use_cache, write_cache=True, notes=notes)
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


@dataclass(frozen=True)
class ParseSettings:
    """What parsing depends on besides a file's own text; each worker makes its Tools from it."""

    language: str
    unsafe_html: bool
    include_drafts: bool

    def tools(self) -> Tools:
        return Tools(DateResolver(self.language), MarkdownRenderer(unsafe_html=self.unsafe_html),
                     self.include_drafts)


_PARSERS = {"article": parse_article, "speaker": parse_speaker, "timeline": parse_timeline_file}
_PARALLEL_MINIMUM = 64  # below this many files to parse, starting workers costs more than it saves


def _parse_all(site_dir: Path, files: ContentFiles, cache: ParseCache, settings: ParseSettings, jobs: int,
               problems: list[Problem]) -> dict[str, list]:
    """Parse every content file, from the cache where its bytes are unchanged."""
    listed = [("article", p) for p in files.articles] + [("speaker", p) for p in files.speakers] + [
        ("timeline", p) for p in files.timelines]
    done: dict[str, tuple] = {}
    todo: list[tuple[str, str, bytes]] = []
    digests: dict[str, str] = {}
    for kind, path in listed:
        try:
            data = (site_dir / path).read_bytes()
        except OSError as exc:
            done[path] = (None, [error(SourceLocation(path), f"cannot read file: {exc.strerror}")])
            continue
        digests[path] = content_hash(data)
        cached = cache.get(path, digests[path])
        if cached is not None:
            done[path] = cached
        else:
            todo.append((kind, path, data))
    for path, result in _parse_files(todo, settings, jobs):
        done[path] = result
        cache.put(path, digests[path], result)
    cache.keep_only(set(digests))

    results: dict[str, list] = {"article": [], "speaker": [], "timeline": []}
    for kind, path in listed:
        item, found = done[path]
        problems.extend(found)
        if item is not None:
            results[kind].append(item)
    return results


def _parse_files(todo: list[tuple[str, str, bytes]], settings: ParseSettings,
                 jobs: int) -> Iterator[tuple[str, tuple]]:
    if jobs <= 1 or len(todo) < _PARALLEL_MINIMUM:
        yield from _parse_chunk(settings, todo)
        return
    chunks = [todo[i::jobs * 4] for i in range(jobs * 4)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for results in pool.map(_parse_chunk, [settings] * len(chunks), chunks):
            yield from results


def _parse_chunk(settings: ParseSettings, todo: list[tuple[str, str, bytes]]) -> list[tuple[str, tuple]]:
    """Parse files in one process, with one set of tools (Markdown, dates) for all of them."""
    tools = settings.tools()
    results = []
    for kind, path, data in todo:
        text, found = decode(path, data)
        if text is None:
            results.append((path, (None, found)))
            continue
        item, more = _PARSERS[kind](path, text, tools)
        results.append((path, (item, found + more)))
    return results


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
