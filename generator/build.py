"""The pipeline in one screen: load (read, parse, link) and build (render, write)."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .cache import BuildState, ParseCache, content_hash, fingerprint
from .config import Config, load_config
from .incremental import (
    Progress,
    RenderFailed,
    can_update,
    input_fingerprints,
    pages_to_update,
    replace_output,
    update_output,
)
from .model import Site
from .output import check_output_dir
from .problems import ConfigError, Problem, SourceLocation, error, sorted_problems, warning
from .render import Renderer, list_pages, theme_files
from .sources import ParseSettings, Sources, parse_sources, read_sources, usable_jobs
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


@contextlib.contextmanager
def _without_cyclic_gc():
    """A build makes hardly any reference cycles, but ~10^6 objects: collections cost ~30% of its time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_site(site_dir: Path, *, drafts: bool = False, strict: bool = False, config: Config | None = None,
              jobs: int | None = None, use_cache: bool = True, write_cache: bool = False,
              notes: list[str] | None = None, sources: Sources | None = None) -> tuple[Site | None, list[Problem]]:
    """Read, parse and link every content file; the Site is None when there are errors.

    Files are parsed in `jobs` worker processes (default: all cores) unless their parse
    is in the site's cache. `notes` collects remarks for --verbose (e.g. an ignored cache).
    """
    with _without_cyclic_gc():
        return _load(site_dir, drafts, strict, config or load_config(site_dir), jobs, use_cache, write_cache, notes,
                     sources or read_sources(site_dir))


def _load(site_dir: Path, drafts: bool, strict: bool, config: Config, jobs: int | None, use_cache: bool,
          write_cache: bool, notes: list[str] | None, sources: Sources) -> tuple[Site | None, list[Problem]]:
    include_drafts = drafts or config.drafts
    cache = ParseCache.load(site_dir, fingerprint(config.language, config.unsafe_html, include_drafts))
    if not use_cache:
        cache = ParseCache(cache.folder, cache.fingerprint)
    problems: list[Problem] = []
    settings = ParseSettings(config.language, config.unsafe_html, include_drafts)
    parsed = parse_sources(sources, cache, settings, jobs or os.cpu_count() or 1, problems)
    if use_cache and write_cache:
        cache.save()
    if notes is not None and cache.note:
        notes.append(cache.note)
    site, found = link_site(config, parsed["article"], parsed["speaker"], parsed["timeline"])
    problems.extend(found)
    if strict and site is not None:
        problems.extend(_implicit_speakers(site))
    problems = sorted_problems(problems)
    if any(p.is_error for p in problems):
        return None, problems
    return site, problems


def build_site(site_dir: Path, *, out_dir: Path | None = None, drafts: bool = False, strict: bool = False,
               serving: bool = False, jobs: int | None = None, use_cache: bool = True,
               notes: list[str] | None = None, progress: Progress | None = None) -> BuildResult:
    """Load the site and, if it is clean, render what changed into the output folder."""
    with _without_cyclic_gc():
        return _build(site_dir, out_dir=out_dir, drafts=drafts, strict=strict, jobs=jobs, use_cache=use_cache,
                      notes=notes, progress=progress or _silent)


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _build(site_dir: Path, *, out_dir: Path | None, drafts: bool, strict: bool, jobs: int | None,
           use_cache: bool, notes: list[str] | None, progress: Progress) -> BuildResult:
    """The build itself.

    Nothing is written unless the whole site loads and renders: a failed build leaves the
    output as it was. With the cache, an unchanged site writes nothing, and a change to
    articles re-renders only the pages showing what changed.
    """
    started = time.perf_counter()
    config = load_config(site_dir)
    out = (out_dir or site_dir / config.output).resolve()
    refused = check_output_dir(site_dir.resolve(), out)
    if refused:
        raise ConfigError([error(SourceLocation("site.toml"), f"refusing output folder {out}: {refused}")])
    jobs = usable_jobs(jobs or os.cpu_count() or 1)
    theme_dir = site_dir / "templates"

    state = BuildState.load(site_dir) if use_cache else None
    known = {path: (state.stats[path], digest) for path, digest in state.sources.items() if path in state.stats} \
        if state is not None else None
    sources = read_sources(site_dir, known)
    settings = content_hash(repr((fingerprint(), config, drafts, strict, str(out), theme_files(theme_dir))).encode())
    stamp = content_hash(repr((settings, sorted(sources.digests.items()), sorted(sources.unreadable))).encode())
    if state is not None and (state.out_dir != str(out) or state.out_stat != _folder_stat(out)):
        state = None  # the output folder is not the one the last build left
    if state is not None and state.stamp == stamp:
        return BuildResult(state.warnings, True, out, 0, len(state.manifest), 0, time.perf_counter() - started)

    def failed(problems: list[Problem]) -> BuildResult:
        return BuildResult(tuple(problems), False, out, seconds=time.perf_counter() - started)

    progress("loading", 0, len(sources.files))
    site, problems = load_site(site_dir, drafts=drafts, strict=strict, config=config, jobs=jobs,
                               use_cache=use_cache, write_cache=True, notes=notes, sources=sources)
    if site is None or (strict and problems):
        return failed(problems)
    try:
        progress("listing pages", 0, 0)
        renderer = Renderer(site, theme_dir)
        pages = list_pages(site, renderer.index)
        inputs = input_fingerprints(site, sources)
        if state is not None and can_update(state, sources, settings):
            written = update_output(out, renderer, pages, pages_to_update(pages, state, inputs), state, jobs, progress)
        else:
            written = replace_output(out, renderer, pages, state.manifest if state else None, jobs, progress)
        progress("saving the cache", 0, 0)
    except (jinja2.TemplateError, RenderFailed) as exc:
        return failed(sorted_problems([*problems, _template_problem(site_dir, exc)]))

    if use_cache:
        note = BuildState(stamp, dict(sources.digests), dict(sources.stats), settings, str(out), _folder_stat(out),
                          written.manifest, inputs, tuple(problems)).save(site_dir)
        if notes is not None and note:
            notes.append(note)
    return BuildResult(tuple(problems), True, out, written.written, written.unchanged, written.removed,
                       time.perf_counter() - started)


def _folder_stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_ino, stat.st_mtime_ns)


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


def _template_problem(site_dir: Path, exc: jinja2.TemplateError | RenderFailed) -> Problem:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    with contextlib.suppress(ValueError):
        name = Path(name).resolve().relative_to(site_dir.resolve()).as_posix()
    return error(SourceLocation(name, getattr(exc, "lineno", None) or getattr(exc, "line", None) or 1),
                 f"template error: {exc.message}")
