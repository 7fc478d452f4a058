"""Render and write only what changed: which pages a change touches, and rendering them.

A page's `key` (render.Page) names the inputs it shows. Each build fingerprints those
inputs; the next build re-renders exactly the pages whose inputs' fingerprints changed
(plus pages that are new, and the site-wide pages whenever anything changed). When the
theme, the settings or a speaker or timeline file changed, everything is rendered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..load.sources import Sources
from ..model import Article, OutputFile, Site, Statement, Timeline
from ..problems import Problem, SourceLocation, warning
from ..render import Page, Pages, Renderer
from ..render.contexts import TimelineContext
from ..render.errors import render_failure
from ..render.search import RECORDS_FILE, SEARCH_DIR, PendingIndex, current_search_index, records_file, search_records
from ..workers import run_forked, without_cyclic_gc
from ..write import Staging, write_in_place
from .cache import BuildState, content_hash

ARTICLES_DIR = "content/articles/"
Progress = Callable[[str, int, int], None]  # (stage, done, total); may be called from a worker process
Tick = Callable[[int], None]
_PARALLEL_MINIMUM = 200  # pages; fewer render faster in one process than forking costs


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int
    manifest: dict[str, str]


class StateNotWritable(Exception):
    """The store cannot note that the output is changing, so the output is not changed in place."""


BeforeWriting = Callable[[bool], None]  # called once every page is rendered, before the output changes


def input_fingerprints(site: Site, sources: Sources) -> dict[str, str]:
    """A fingerprint of each page input: what a page showing it would show of it."""
    digests = sources.digests
    by_speaker: dict[str, list[str]] = defaultdict(list)
    fingerprints: dict[str, str] = {}
    for s in site.statements.values():
        by_speaker[s.speaker].append(s.id)
        fingerprints[f"statement:{s.id}"] = statement_fingerprint(s, site.articles[s.article].lang)
    for article in site.articles.values():
        fingerprints[f"article:{article.slug}"] = digests[article.path]
        fingerprints[f"article-meta:{article.slug}"] = _hash((article.title, article.date))
        fingerprints[f"article-summary:{article.slug}"] = summary_fingerprint(article)
    for speaker in site.speakers.values():
        own = digests[speaker.path] if speaker.path else speaker.name
        fingerprints[f"speaker:{speaker.slug}"] = _hash((own, by_speaker.get(speaker.slug, ())))
    for timeline in site.timelines.values():
        own = digests[timeline.path] if timeline.path else timeline.title
        fingerprints[f"timeline:{timeline.slug}"] = _hash((own, timeline.statements))
        fingerprints[f"timeline-filters:{timeline.slug}"] = timeline_filters_fingerprint(site, timeline)
    for tag in site.tags.values():
        fingerprints[f"tag:{tag.slug}"] = _hash((tag.name, tag.articles))
    return fingerprints


def summary_fingerprint(article: Article) -> str:
    """What lists of articles (tag pages) show of an article besides its title and date."""
    return _hash(article.summary)


def statement_fingerprint(s: Statement, article_lang: str | None) -> str:
    """What pages and search records show of a statement: everything but where it stands in its file, and
    its article's language (a card marks the text with it)."""
    return _hash((article_lang, s.kind, s.by, s.role, s.said, s.about, s.answers, s.via, s.source, s.timelines,
                  s.tags, s.quote, s.text, s.html, s.article, s.index, s.speaker, s.answered_by, s.status, s.verdict,
                  s.verdict_note, s.lang, s.translation, s.translation_html, s.translated_by))


def can_update(state: BuildState | None, sources: Sources, settings: str) -> bool:
    """True when the last build can be updated in place: only articles changed since."""
    if state is None or state.settings != settings:
        return False
    changed = {p for p in state.sources.keys() | sources.digests.keys()
               if state.sources.get(p) != sources.digests.get(p)} | set(sources.unreadable)
    return all(path.startswith(ARTICLES_DIR) for path in changed)


def pages_to_update(pages: Sequence[Page], state: BuildState, inputs: dict[str, str]) -> list[Page]:
    """The pages whose inputs changed since `state`, and pages that did not exist then."""
    dirty = {key for key in inputs.keys() | state.inputs.keys() if inputs.get(key) != state.inputs.get(key)}
    if any(key.startswith(("statement:", "speaker:")) for key in dirty):
        dirty.add("statements")
    if dirty:
        dirty.add("site")
    return [page for page in pages if page.path not in state.manifest or not dirty.isdisjoint(page.key)]


def pages_showing(site: Site, pages: Pages, articles: Iterable[str], summaries: Iterable[str],
                  joined: set[str], whole_timelines: set[str] = frozenset()) -> list[Page]:
    """The pages an edit to these articles (prose) and statements can change, when no link changed.

    `joined` holds the edited statements and every statement joined to them by answers
    (`answer_component`): only their cards can show the edit. A superset: every page
    showing one of those cards, the pages of `articles`, the tag pages listing the
    articles whose `summaries` changed, and the site-wide pages. The sitemap is left
    out: the set of pages is the same. Of a long timeline, only the pages showing one of
    those cards (in its list or a thread under it), unless it is in `whole_timelines`: what
    every page of it shows changed (`timeline_filters_fingerprint`). No link changed, so its
    order, page count, months, speakers and kinds are as they were.
    """
    todo = [*pages.site_wide(), pages.feed()]
    todo += [pages.article(site.articles[slug]) for slug in articles]
    for slug in summaries:
        todo += [pages.tag(tag) for tag in pages.index.article_tags.get(slug, ())]
    if joined:
        shown = [site.statements[i] for i in sorted(joined)]
        todo.append(pages.search_index())
        todo += [pages.statement(s) for s in shown]
        todo += [pages.article(site.articles[slug]) for slug in sorted({s.article for s in shown})]
        todo += [pages.speaker(site.speakers[slug]) for slug in sorted({s.speaker for s in shown})]
        for slug in sorted({t for s in shown for t in s.timelines}):
            todo += [page for page in pages.timeline(site.timelines[slug])
                     if slug in whole_timelines or _shows_any(page, pages, joined)]
    return list({page.path: page for page in todo}.values())


def _shows_any(page: Page, pages: Pages, ids: set[str]) -> bool:
    """Whether a page of a timeline shows a card of `ids`: its own statements or their threads (its data
    exports and feed are counted as showing them all)."""
    context = page.context
    if not isinstance(context, TimelineContext):
        return True
    return any(m in ids for i in context.ids for m in pages.index.thread_head(i))


def timeline_filters_fingerprint(site: Site, timeline: Timeline) -> str:
    """What every page of a timeline shows of all its statements and an edit of text can change: the verdicts
    its filter offers (the rest it shows of the whole timeline, order, dates and speakers, are links)."""
    return _hash(sorted({site.statements[i].verdict or "" for i in timeline.statements}))


def update_output(out_dir, renderer: Renderer, wanted: set[str], todo: Sequence[Page], state: BuildState,
                  jobs: int, progress: Progress | None = None,
                  before_writing: BeforeWriting | None = None) -> WriteResult:
    """Render `todo` and write the files whose bytes changed, in place; remove files not `wanted`."""
    rendered = [item for chunk in _render_chunks(renderer, todo, jobs, _rendered_list, progress) for item in chunk]
    changed = [(path, content) for path, content, digest in rendered if state.manifest.get(path) != digest]
    gone = sorted(state.manifest.keys() - wanted)
    if not changed and not gone:
        written, removed = 0, 0
    else:
        if before_writing is not None:
            before_writing(True)
        written, removed = write_in_place(out_dir, changed, gone, wanted)
    manifest = dict(state.manifest)
    for path in gone:
        del manifest[path]
    manifest.update((path, digest) for path, _, digest in rendered)
    return WriteResult(written, len(wanted) - written, removed, manifest)


def replace_output(out_dir, renderer: Renderer, pages: Sequence[Page], old_manifest: dict[str, str] | None,
                   jobs: int, progress: Progress | None = None,
                   before_writing: BeforeWriting | None = None,
                   made_meanwhile: Callable[[], Iterable[OutputFile]] | None = None) -> WriteResult:
    """Render every page into a new folder beside the output and swap it in.

    `made_meanwhile` gives files made while the pages render (the search index), staged with the assets.
    """
    with Staging(out_dir, old_manifest) as staging:
        def stage(renderer_: Renderer, chunk: Iterable[Page], tick: Tick) -> list[tuple[str, str, bool]]:
            return [(path, digest, staging.put(path, content, digest))
                    for path, content, digest in _render_to_memory(renderer_, chunk, tick)]

        staged = [item for chunk in _render_chunks(renderer, pages, jobs, stage, progress) for item in chunk]
        extra = made_meanwhile() if made_meanwhile is not None else ()
        staged += [(f.path, content_hash(f.content), staging.put(f.path, f.content, content_hash(f.content)))
                   for f in (*renderer.assets, *extra)]
        manifest = {path: digest for path, digest, _ in staged}
        written = sum(changed for _, _, changed in staged)
        if written == 0 and old_manifest is not None and old_manifest == manifest and len(staged) == len(manifest):
            return WriteResult(0, len(manifest), 0, manifest)  # the output already holds exactly this
        if before_writing is not None:
            before_writing(False)
        removed = staging.commit(path for path, _, _ in staged)  # checked: no two files on one path
    return WriteResult(written, len(manifest) - written, removed, manifest)


def _render_chunks(renderer: Renderer, pages: Sequence[Page], jobs: int, handle, progress: Progress | None):
    """handle(renderer, pages[i::jobs], tick) in `jobs` forked workers (or here, for few pages).

    The first worker reports progress for all: the pages are dealt out evenly.
    """
    if len(pages) < _PARALLEL_MINIMUM:
        jobs = 1

    def work(index: int, count: int):
        def tick(done: int) -> None:
            if progress is not None and index == 0:
                progress("rendering", min(done * count, len(pages)), len(pages))

        return handle(renderer, pages[index::count], tick)

    return run_forked(jobs, work)


def _render_to_memory(renderer: Renderer, pages: Iterable[Page], tick: Tick):
    """(path, bytes, hash) of each page; a template error becomes RenderFailed."""
    with without_cyclic_gc():
        for done, page in enumerate(pages, 1):
            file: OutputFile = _render_one(renderer, page)
            yield file.path, file.content, content_hash(file.content)
            if done % 500 == 0:
                tick(done)


def _rendered_list(renderer: Renderer, pages: Iterable[Page], tick: Tick) -> list[tuple[str, bytes, str]]:
    return list(_render_to_memory(renderer, pages, tick))


def _render_one(renderer: Renderer, page: Page) -> OutputFile:
    try:
        return renderer.render(page)
    except jinja2.TemplateError as exc:  # one raised outside a page's template (a card's, say)
        raise render_failure(exc, page.path, page.context) from None


def _hash(value: object) -> str:
    return content_hash(repr(value).encode())


# --- the search index: Pagefind's, made whole when its records change ----------------------------------


def with_search(out: Path, site: Site, written: WriteResult, problems: list[Problem]) -> WriteResult:
    """After an update in place: the search index made again if its records changed (Pagefind's, whole),
    changed files written in place; if it cannot be made, a warning and the site without it."""
    files = search_update(out, site, written.manifest, problems)
    return written if files is None else write_search(out, written, files)


def search_update(out: Path, site: Site, manifest: dict[str, str], problems: list[Problem]) -> list | None:
    """The search index's files, made whole, if its records changed since the index `manifest` lists; else None.

    Writes nothing, so the preview runs it beside its builds (`Memory.search`).
    """
    if manifest.get(RECORDS_FILE) == content_hash(records_file(list(search_records(site))).content):
        return None  # the index was made from these very records: Pagefind is not run again
    return search_index_files(out, site, None, problems)


def write_search(out: Path, written: WriteResult, files: list) -> WriteResult:
    """The search index `files` written in place over the one `written` lists, changed files only."""
    old = {path for path in written.manifest if path.startswith(SEARCH_DIR + "/")}
    new = {f.path: content_hash(f.content) for f in files}
    changed = [(f.path, f.content) for f in files if written.manifest.get(f.path) != new[f.path]]
    manifest = {path: digest for path, digest in written.manifest.items() if path not in old} | new
    count, removed = write_in_place(out, changed, sorted(old - new.keys()), manifest)
    return WriteResult(written.written + count, written.unchanged + len(new) - count, written.removed + removed,
                       manifest)


def folder_stat(path: Path) -> tuple[int, int]:
    """(inode, mtime) of the output folder, so that a folder replaced or changed since a build is noticed."""
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_ino, stat.st_mtime_ns)


def search_index_files(out: Path, site: Site, manifest: dict[str, str] | None, problems: list[Problem]) -> list:
    """The search index's files (kept from the last build when made from the same records); a warning if none."""
    return search_index_started(out, site, manifest, problems).files()


@dataclass
class SearchIndexing:
    """The search index begun: kept from the last build, or Pagefind running in the background."""

    pending: PendingIndex
    problems: list[Problem]

    def files(self) -> list[OutputFile]:
        """Its files, once made; a warning in `problems` if there are none."""
        made, why = self.pending.wait()
        if why:
            self.problems.append(warning(SourceLocation(SEARCH_DIR), why))
        return made

    def stop(self) -> None:
        """Pagefind stopped if still running (the build failed before asking for the files)."""
        self.pending.stop()


def search_index_started(out: Path, site: Site, manifest: dict[str, str] | None,
                         problems: list[Problem]) -> SearchIndexing:
    """The search index begun for `site`; `files()` waits for it."""
    return SearchIndexing(current_search_index(site, out, manifest, content_hash), problems)
