"""The pipeline in one screen: load (read, parse, link) and build (render, write)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from .config import Config, load_config
from .link import answer_component, link_site, links_of, relink, site_from_links
from .load.sources import ParseSettings, Sources, parse_chunk, parse_sources, read_sources, usable_jobs
from .model import Article, Site
from .output_folder import OutputError, foreign_files, output_dir_refusal, output_errors
from .problems import Problem, SourceLocation, sorted_problems, warning
from .render import Pages, Renderer, list_pages, theme_files
from .render.errors import RenderFailed, template_problem
from .render.parallel import in_shards
from .render.search import RECORDS_FILE, SEARCH_DIR
from .state.cache import BuildState, Links, ParseCache, content_hash, fingerprint, mark_writing
from .state.incremental import (
    ARTICLES_DIR,
    Progress,
    StateNotWritable,
    WriteResult,
    can_update,
    folder_stat,
    input_fingerprints,
    pages_showing,
    pages_to_update,
    replace_output,
    search_index_started,
    statement_fingerprint,
    summary_fingerprint,
    timeline_filters_fingerprint,
    update_output,
    with_search,
)
from .state.lazy import LazyMapping, UnreadableStore
from .state.memory import Memory
from .workers import without_cyclic_gc
from .write import remove_leftovers


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
              notes: list[str] | None = None, sources: Sources | None = None,
              memory: Memory | None = None) -> tuple[Site | None, list[Problem]]:
    """Read, parse and link every content file; the Site is None when there are errors.

    Files are parsed in `jobs` worker processes (default: all cores) unless their parse
    is in the site's cache. `notes` collects remarks for --verbose (e.g. an ignored cache).
    """
    with without_cyclic_gc():
        return _load(site_dir, drafts, strict, config or load_config(site_dir), jobs, use_cache, write_cache, notes,
                     sources or read_sources(site_dir), memory)


def _load(site_dir: Path, drafts: bool, strict: bool, config: Config, jobs: int | None, use_cache: bool,
          write_cache: bool, notes: list[str] | None, sources: Sources,
          memory: Memory | None) -> tuple[Site | None, list[Problem]]:
    include_drafts = drafts or config.drafts
    cache = _parse_cache(site_dir, config, include_drafts, memory)
    if not use_cache:
        cache = ParseCache(cache.folder, cache.fingerprint)
    problems: list[Problem] = []
    settings = ParseSettings.of(config, include_drafts)
    parsed = parse_sources(sources, cache, settings, jobs or os.cpu_count() or 1, problems)
    site, found = link_site(config, parsed["article"], parsed["speaker"], parsed["timeline"])
    if use_cache and write_cache:
        cache.save()
        clean = site is not None and not any(p.is_error for p in problems)
        links = links_of(site, sources.digests, found) if clean else None
        note = links.save(site_dir, cache.fingerprint) if links is not None else None
        cache.note = cache.note or note
        if memory is not None:
            memory.cache, memory.links, memory.site = cache, links, site if clean else None
            memory.relinked = True
    if notes is not None and cache.note:
        notes.append(cache.note)
    problems.extend(found)
    if strict and site is not None:
        problems.extend(_implicit_speakers(site))
    problems = sorted_problems(problems)
    if any(p.is_error for p in problems):
        return None, problems
    return site, problems


def _parse_cache(site_dir: Path, config: Config, include_drafts: bool, memory: Memory | None) -> ParseCache:
    """The parse cache: the one in memory if it has the same settings, else the site's."""
    wanted = fingerprint(ParseSettings.of(config, include_drafts))
    if memory is not None and memory.cache is not None and memory.cache.fingerprint == wanted:
        return memory.cache
    return ParseCache.load(site_dir, wanted)


def build_site(site_dir: Path, *, out_dir: Path | None = None, drafts: bool = False, strict: bool = False,
               serving: bool = False, jobs: int | None = None, use_cache: bool = True,
               notes: list[str] | None = None, progress: Progress | None = None,
               memory: Memory | None = None) -> BuildResult:
    """Load the site and, if it is clean, render what changed into the output folder.

    `memory`, kept by the caller from one build to the next, saves reloading the cache.
    """
    with without_cyclic_gc():
        return _build(site_dir, out_dir=out_dir, drafts=drafts, strict=strict, jobs=jobs, use_cache=use_cache,
                      notes=notes, progress=progress or _silent, memory=memory if use_cache else None)


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _build(site_dir: Path, *, out_dir: Path | None, drafts: bool, strict: bool, jobs: int | None,
           use_cache: bool, notes: list[str] | None, progress: Progress, memory: Memory | None) -> BuildResult:
    """The build itself.

    Nothing is written unless the whole site loads and renders: a failed build leaves the
    output as it was. With the cache, an unchanged site writes nothing, and a change to
    articles re-renders only the pages showing what changed.
    """
    started = time.perf_counter()
    config = load_config(site_dir)
    out = (out_dir or site_dir / config.output).resolve()
    with output_errors(out):
        refused = output_dir_refusal(site_dir.resolve(), out)
    if refused:
        raise OutputError(f"refusing output folder {out}: {refused}")
    remove_leftovers(out)  # of builds killed before: also when this one writes nothing
    # Parsing and rendering are spread over every core unless --jobs says otherwise; render workers
    # take contiguous shards of the pages (render/parallel.py), so together they copy about one site.
    jobs = usable_jobs(jobs or os.cpu_count() or 1)
    render_jobs = jobs
    theme_dir = site_dir / "templates"

    state = (memory.state if memory is not None and memory.state is not None else BuildState.load(site_dir, notes)) \
        if use_cache else None
    known = {path: (state.stats[path], digest) for path, digest in state.sources.items() if path in state.stats} \
        if state is not None else None
    sources = read_sources(site_dir, known, memory.touched if memory is not None and state is not None else None)
    settings = content_hash(repr((fingerprint(), config, drafts, strict, str(out), theme_files(theme_dir))).encode())
    stamp = content_hash(repr((settings, sorted(sources.digests.items()), sorted(sources.unreadable))).encode())
    if state is not None and (state.out_dir != str(out) or state.out_stat != folder_stat(out)):
        state = None  # the output folder is not the one the last build left
    if state is not None and state.stamp == stamp:
        return BuildResult(state.warnings, True, out, 0, len(state.manifest), 0, time.perf_counter() - started)

    def before_writing(in_place: bool) -> None:
        """Mark the stored state untrusted until `finish` saves the new one (see `mark_writing`)."""
        if not use_cache or (memory is not None and not memory.persist):
            return  # no state on disk will describe this output
        note = mark_writing(site_dir)
        if note is not None and in_place:
            raise StateNotWritable(note)  # a kill could then go unnoticed: write a new folder instead

    def failed(problems: list[Problem]) -> BuildResult:
        return BuildResult(tuple(problems), False, out, seconds=time.perf_counter() - started)

    def finish(written: WriteResult, inputs: dict[str, str], problems: list[Problem]) -> BuildResult:
        if use_cache:
            new_state = BuildState(stamp, dict(sources.digests), dict(sources.stats), settings, str(out),
                                   folder_stat(out), written.manifest, inputs, tuple(problems))
            if memory is not None:
                memory.state, memory.unsaved = new_state, site_dir if memory.persist else None
                memory.touched = set() if memory.watched else None
            else:
                note = new_state.save(site_dir, state)
                if notes is not None and note:
                    notes.append(note)
        return BuildResult(tuple(problems), True, out, written.written, written.unchanged, written.removed,
                           time.perf_counter() - started)

    def search(site: Site, written: WriteResult, problems: list[Problem]) -> WriteResult:
        """The search index refreshed in place; in the preview, after the reload (Pagefind takes seconds)."""
        if memory is None or not memory.watched:
            return with_search(out, site, written, problems)
        memory.search_later = (site_dir, out, site)
        return written

    progress("loading", 0, len(sources.files))
    loaded = memory if memory is not None else Memory()  # what this build loads, for each of its steps
    # a multilingual site's pages each show the whole site (render/editions.py): no edit is local to a few
    if state is not None and can_update(state, sources, settings) and not config.languages:
        edited = _swap_edited_articles(site_dir, config, sources, drafts or config.drafts, strict, loaded, notes)
        if edited is not None:
            site, problems, parsed = edited
            if strict and problems:
                return failed(problems)
            if notes is not None:
                notes.append("only article text changed: nothing was linked again")
            previous = memory.renderer if memory is not None else None
            try:
                edits = [site.articles[parsed[path][0].slug] for path, digest in sources.digests.items()
                         if state.sources.get(path) != digest]
                with output_errors(out):
                    renderer, written, inputs, searched = _update_edited(
                        out, theme_dir, site, edits, sources, state, render_jobs, progress, previous, before_writing)
                if memory is not None:
                    memory.renderer = renderer
                # else the index is the last build's (or the one being made for it: its records are these)
                if searched or RECORDS_FILE not in written.manifest:
                    written = search(site, written, problems)
                return finish(written, inputs, problems)
            except (jinja2.TemplateError, RenderFailed) as exc:
                return failed(sorted_problems([*problems, template_problem(site_dir, exc)]))
            except (StateNotWritable, UnreadableStore) as exc:
                if notes is not None:
                    notes.append(str(exc))
                state = None  # the whole site, rendered into a new folder: right whatever was written
                loaded.site = loaded.links = None

    if memory is not None:
        memory.renderer = None
    site, problems = load_site(site_dir, drafts=drafts, strict=strict, config=config, jobs=jobs,
                               use_cache=use_cache, write_cache=True, notes=notes, sources=sources,
                               memory=loaded if use_cache else None)
    if site is None or (strict and problems):
        return failed(problems)
    try:
        progress("listing pages", 0, 0)
        renderer = Renderer(site, theme_dir)
        written = None
        in_place = state is not None and can_update(state, sources, settings)
        if in_place:
            pages = list_pages(site, renderer.index)
            inputs = input_fingerprints(site, sources)
            wanted = {page.path for page in pages} | {asset.path for asset in renderer.assets} \
                | {path for path in state.manifest if path.startswith(SEARCH_DIR + "/")}  # with_search's
            todo = pages_to_update(pages, state, inputs)
            try:
                with output_errors(out):
                    written = update_output(out, renderer, wanted, todo, state, render_jobs, progress,
                                            before_writing)
            except StateNotWritable as exc:
                if notes is not None:
                    notes.append(str(exc))
                state, in_place = None, False
        if written is None:
            pages = in_shards(list_pages(site, renderer.index, keys=False), render_jobs)
            inputs = input_fingerprints(site, sources)
            with output_errors(out):
                refused = foreign_files(out)  # the whole folder is replaced: all of it must be ours
            if refused:
                raise OutputError(f"refusing output folder {out}: {refused}")
            # the search index is made by Pagefind while the pages render, then staged and swapped in with them
            manifest = state.manifest if state else None
            search = search_index_started(out, site, manifest, problems)
            try:
                with output_errors(out):
                    written = replace_output(out, renderer, pages, manifest, render_jobs, progress,
                                             before_writing, made_meanwhile=search.files)
            finally:
                search.stop()  # a build that failed meanwhile leaves no Pagefind running
            if memory is not None:
                memory.search_later = None  # the index was made with the pages: an older one must not follow
        progress("saving the cache", 0, 0)
    except (jinja2.TemplateError, RenderFailed) as exc:
        return failed(sorted_problems([*problems, template_problem(site_dir, exc)]))
    if memory is not None:
        memory.renderer = renderer
    if in_place:
        written = search(site, written, problems)
    return finish(written, inputs, problems)


_MOST_EDITED = 200  # articles changed since the cache was linked; beyond this, link again (and save)


def _swap_edited_articles(site_dir: Path, config: Config, sources: Sources, include_drafts: bool, strict: bool,
                          memory: Memory, notes: list[str] | None
                          ) -> tuple[Site, list[Problem], Mapping[str, tuple]] | None:
    """The site with its edited articles swapped in, when no edit changes a link; else None.

    Returns the site, its problems and every file's parse result. Only files whose
    bytes differ from the ones last linked are parsed; nothing is linked, and the other
    files are read from the store only when a page asks for them. What it loads is left
    in `memory`.
    """
    cache = _parse_cache(site_dir, config, include_drafts, memory)
    links = memory.links
    if links is None:
        links, note = Links.load(site_dir, cache.fingerprint)
        if note and notes is not None:
            notes.append(note)
    memory.cache = cache  # for the full load, if it comes to that
    if links is None or sources.unreadable or links.digests.keys() != sources.digests.keys():
        return None
    changed = [path for path, digest in sorted(sources.digests.items()) if links.digests[path] != digest]
    if len(changed) > _MOST_EDITED or not all(path.startswith(ARTICLES_DIR) for path in changed):
        return None
    if not all(cache.holds(path, digest) for path, digest in links.digests.items()) \
            or any(p.location.path in changed for p in links.problems):
        return None
    before = {path: cache.get(path, links.digests[path]) for path in changed}
    if any(result is None or result[0] is None for result in before.values()):
        return None
    fresh = dict(parse_chunk(ParseSettings.of(config, include_drafts),
                              [("article", path, sources.bytes_of(path)) for path in changed]))
    if any(item is None or any(p.is_error for p in found) for item, found in fresh.values()):
        return None

    def linked(path: str) -> tuple:
        """The parse result of `path` as it was linked."""
        result = cache.get(path, links.digests[path])
        if result is None:
            raise UnreadableStore(f"the stored parse of {path} is unreadable")
        return result

    site = memory.site if memory.site is not None and memory.links is links else None
    if site is None:
        site = site_from_links(config, lambda path: linked(path)[0], links)
    for path in changed:
        site = relink(site, before[path][0], fresh[path][0])
        if site is None:
            return None
    problems = list(links.problems)
    for path, digest in links.digests.items():
        found = fresh[path][1] if path in fresh else cache.problems(path, digest)
        if found is None:
            return None
        problems.extend(found)
    for path in changed:
        cache.put(path, sources.digests[path], fresh[path])
    memory.site = site
    memory.links = replace(links, digests=dict(sources.digests))
    if strict:
        problems.extend(_implicit_speakers(site))
    return site, sorted_problems(problems), LazyMapping(sources.digests, lambda path: fresh.get(path) or linked(path))


def _update_edited(out: Path, theme_dir: Path, site: Site, articles: list[Article], sources: Sources,
                   state: BuildState, jobs: int, progress: Progress, previous: Renderer | None,
                   before_writing: Callable[[bool], None]) -> tuple[Renderer, WriteResult, dict[str, str], bool]:
    """Render the pages showing `articles`, edited since `state` (no link changed); write what changed.

    `previous`, the renderer of the build that made `state`, lends its templates and cards.
    Also says whether the search records can have changed: only with a statement or a summary,
    as links, titles and dates are as they were.
    """
    inputs = dict(state.inputs)
    dirty_articles: list[str] = []
    dirty_summaries: list[str] = []
    dirty_statements: list[str] = []
    for article in articles:
        inputs[f"article:{article.slug}"] = sources.digests[article.path]
        dirty_articles.append(article.slug)
        key = f"article-summary:{article.slug}"
        inputs[key] = summary_fingerprint(article)
        if inputs[key] != state.inputs.get(key):
            dirty_summaries.append(article.slug)
        for statement in article.statements:
            key = f"statement:{statement.id}"
            inputs[key] = statement_fingerprint(site.statements[statement.id], article.lang)
            if inputs[key] != state.inputs.get(key):
                dirty_statements.append(statement.id)
    joined = answer_component(site, dirty_statements)
    whole_timelines = set()  # those whose every page shows what changed (a verdict its filter offers)
    for slug in sorted({t for i in dirty_statements for t in site.statements[i].timelines}):
        key = f"timeline-filters:{slug}"
        inputs[key] = timeline_filters_fingerprint(site, site.timelines[slug])
        if inputs[key] != state.inputs.get(key):
            whole_timelines.add(slug)
    replaced = {s.id for article in articles for s in article.statements}
    renderer = Renderer(site, theme_dir, previous=previous, stale=joined, replaced=replaced)
    pages = Pages(site, renderer.index, keys=False)
    todo = pages.complete(pages_showing(site, pages, dirty_articles, dirty_summaries, joined, whole_timelines))
    written = update_output(out, renderer, set(state.manifest), todo, state, jobs, progress, before_writing)
    return renderer, written, inputs, bool(dirty_statements or dirty_summaries)


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
