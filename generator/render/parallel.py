"""Rendering on every core without a copy of the site per worker: pages dealt out in contiguous shards.

Render workers are forked from the process that loaded the site, so they read it without
pickling. But CPython writes a reference count into every object a process reads, so a
worker copies each memory page holding an object it touches. Dealt out round-robin (page
i to worker i mod n), every worker touches every part of the site and ends up copying
most of it: memory grew by nearly a site per worker. Dealt out in contiguous shards of the
listing (timelines, articles, statements, speakers, tags, each in site order), a worker
touches mostly the statements, articles and speakers of its own shard, which were loaded,
and so lie in memory, near each other: together the workers copy about one site, whatever
their number. Cards and threads a shard needs are rendered by that shard's worker, once.
"""

from __future__ import annotations

from collections.abc import Sequence

from .pages import Page


def in_shards(pages: Sequence[Page], jobs: int) -> list[Page]:
    """`pages` reordered so that taking every `jobs`-th page from offset i (how the renderer deals pages
    to its workers) gives worker i one contiguous shard of the listing; the same pages, the same output."""
    if jobs <= 1 or len(pages) < jobs:
        return list(pages)
    # the first `longer` shards have one page more: then only they take part in the last round of dealing
    size, longer = divmod(len(pages), jobs)
    bounds = [i * size + min(i, longer) for i in range(jobs + 1)]
    shards = [pages[bounds[i]:bounds[i + 1]] for i in range(jobs)]
    dealt: list[Page] = []
    for k in range(size + 1):
        dealt.extend(shard[k] for shard in shards if k < len(shard))
    return dealt
