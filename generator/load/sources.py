"""Read every content file once, and parse them: in worker processes, or from the cache."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..problems import Problem, SourceLocation, error
from ..state.cache import ParseCache, content_hash
from ..workers import run_forked
from .content import ContentFiles, decode, find_content
from .dates import DateResolver
from .markup import MarkdownOptions, MarkdownRenderer
from .parse import Tools, parse_article, parse_speaker, parse_timeline_file

PARSERS = {"article": parse_article, "speaker": parse_speaker, "timeline": parse_timeline_file}
_PARALLEL_MINIMUM = 64  # below this many files to parse, starting workers costs more than it saves


FileStat = tuple[int, int, int, int]  # inode, size, mtime, ctime (ns): any write changes ctime


@dataclass
class Sources:
    """Every content file's kind and hash, and its bytes where they were read.

    A file whose stat matches the last build's is not read again (its hash is known);
    `bytes_of` reads it if parsing needs it after all. An unreadable file has a problem.
    Not frozen, and on purpose: once parsed, the bytes are let go (`release_bytes`).
    """

    site_dir: Path
    files: tuple[tuple[str, str], ...]  # (kind, path), articles then speakers then timelines, sorted
    data: dict[str, bytes]
    digests: dict[str, str]
    stats: dict[str, FileStat]
    unreadable: dict[str, Problem]

    def bytes_of(self, path: str) -> bytes:
        data = self.data.get(path)
        return data if data is not None else (self.site_dir / path).read_bytes()

    def release_bytes(self) -> None:
        """Let go of the bytes read (~80 MB at 10,000 articles): once parsed, rendering needs none."""
        self.data = {}


def read_sources(site_dir: Path, known: dict[str, tuple[FileStat, str]] | None = None,
                 touched: set[str] | None = None) -> Sources:
    """Hash every content file of the site, reading only those whose stat differs from `known`.

    `touched`, when given, holds every path that may have changed since `known` was taken
    (the preview's file watcher knows): other known files are not even looked at.
    """
    found: ContentFiles = find_content(site_dir)
    files = tuple([("article", p) for p in found.articles] + [("speaker", p) for p in found.speakers]
                  + [("timeline", p) for p in found.timelines])
    known = known or {}
    data: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    stats: dict[str, FileStat] = {}
    unreadable: dict[str, Problem] = {}
    root = os.fspath(site_dir)
    for _kind, path in files:
        if touched is not None and path not in touched and "/." not in path:  # watchers skip hidden files
            seen = known.get(path)
            if seen is not None:
                stats[path], digests[path] = seen
                continue
        try:
            stat = os.stat(f"{root}/{path}")
            stats[path] = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
            seen = known.get(path)
            if seen is not None and seen[0] == stats[path]:
                digests[path] = seen[1]
                continue
            data[path] = (site_dir / path).read_bytes()
        except OSError as exc:
            unreadable[path] = error(SourceLocation(path), f"cannot read file: {exc.strerror}")
            stats.pop(path, None)
            continue
        digests[path] = content_hash(data[path])
    return Sources(site_dir, files, data, digests, stats, unreadable)


@dataclass(frozen=True)
class ParseSettings:
    """What parsing depends on besides a file's own text; each worker makes its Tools from it."""

    language: str
    markdown: MarkdownOptions
    include_drafts: bool
    verdicts: tuple[str, ...]  # the names of the site's verdict scale

    @classmethod
    def of(cls, config: Config, include_drafts: bool) -> ParseSettings:
        """The settings `config` gives parsing."""
        return cls(config.language, config.markdown, include_drafts, tuple(v.name for v in config.verdicts))

    def tools(self) -> Tools:
        return Tools(DateResolver(self.language), MarkdownRenderer(self.markdown), self.include_drafts,
                     self.verdicts)


def parse_sources(sources: Sources, cache: ParseCache, settings: ParseSettings, jobs: int,
                  problems: list[Problem]) -> dict[str, list]:
    """Parse every content file, from the cache where its bytes are unchanged; items by kind."""
    done: dict[str, tuple] = {path: (None, [problem]) for path, problem in sources.unreadable.items()}
    todo: list[tuple[str, str, bytes]] = []
    for kind, path in sources.files:
        if path in done:
            continue
        cached = cache.get(path, sources.digests[path])
        if cached is not None:
            done[path] = cached
        else:
            todo.append((kind, path, sources.bytes_of(path)))
    for path, result in _parse_files(todo, settings, jobs):
        done[path] = result
        cache.put(path, sources.digests[path], result)
    cache.keep_only(set(sources.digests))
    todo.clear()
    sources.release_bytes()

    results: dict[str, list] = {kind: [] for kind in PARSERS}
    for kind, path in sources.files:
        item, found = done[path]
        problems.extend(found)
        if item is not None:
            results[kind].append(item)
    return results


def usable_jobs(jobs: int) -> int:
    """Worker processes are forked; a process running other threads (the preview server) uses none."""
    return jobs if threading.active_count() == 1 else 1


def _parse_files(todo: list[tuple[str, str, bytes]], settings: ParseSettings,
                 jobs: int) -> Iterator[tuple[str, tuple]]:
    """Parse in forked workers, which see `todo` without it being copied to them."""
    jobs = usable_jobs(jobs) if len(todo) >= _PARALLEL_MINIMUM else 1
    for results in run_forked(jobs, lambda index, count: parse_chunk(settings, todo[index::count])):
        yield from results


def parse_chunk(settings: ParseSettings, todo: list[tuple[str, str, bytes]]) -> list[tuple[str, tuple]]:
    """Parse files in one process, with one set of tools (Markdown, dates) for all of them."""
    tools = settings.tools()
    results = []
    for kind, path, data in todo:
        text, found = decode(path, data)
        if text is None:
            results.append((path, (None, found)))
            continue
        item, more = PARSERS[kind](path, text, tools)
        results.append((path, (item, found + more)))
    return results
