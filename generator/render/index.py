"""Lists derived once per render from the Site, so that no page scans the whole site."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ..model import Site, Speaker, Statement, Tag
from ..state.lazy import LazyMapping

MAX_THREAD_DEPTH = 30  # deeper answers are still reachable through each statement's permalink
# What one page shows of a thread, so that no input can make a page heavy (issue 15: a chain of 5,000
# answers made a 77 MB page): lists show a statement with at most LIST_THREAD answers under it; a
# statement page shows its whole thread up to WHOLE_THREAD statements, else its nearest ANCESTORS
# and its direct answers a page at a time.
LIST_THREAD = 5
WHOLE_THREAD = 30
ANCESTORS = 10


def _said_ids(statements: Mapping[str, Statement]) -> dict[str, tuple[str, ...]]:
    """Statement ids by speaker, in the site's order; a site read from the store knows them without reading any."""
    said: dict[str, list[str]] = defaultdict(list)
    known = statements.known if isinstance(statements, LazyMapping) else None
    if known is not None:
        for statement_id, speaker in known.items():
            said[speaker].append(statement_id)
    else:
        for statement in statements.values():
            said[statement.speaker].append(statement.id)
    return {slug: tuple(ids) for slug, ids in said.items()}


class SiteIndex:
    """Lists derived once per render from the Site, so that no page scans the whole site."""

    def __init__(self, site: Site, previous: SiteIndex | None = None, replaced: set[str] = frozenset()) -> None:
        """The index of `site`; or `previous`'s, when `site` differs from its site only by the statements
        `replaced` (same ids, speakers, answers and order), with those statements swapped in."""
        self.site = site
        if previous is not None:
            self.position, self.article_tags, self._thread_ids = \
                previous.position, previous.article_tags, previous._thread_ids
            self.said_ids = previous.said_ids
        else:
            self.position = {statement_id: i for i, statement_id in enumerate(site.statements)}
            self.said_ids = _said_ids(site.statements)
            article_tags: dict[str, list[Tag]] = defaultdict(list)
            for tag in site.tags.values():
                for slug in tag.articles:
                    article_tags[slug].append(tag)
            self.article_tags = {slug: tuple(tags) for slug, tags in article_tags.items()}
            self._thread_ids: dict[str, tuple[str, ...]] = {}
        # what each speaker said, made when a page asks: a rebuild after one edit reads no other speaker's
        self.by_speaker: Mapping[str, tuple[Statement, ...]] = LazyMapping(
            self.said_ids, lambda slug: tuple(site.statements[i] for i in self.said_ids[slug]))

    def speaker_of(self, statement: Statement) -> Speaker:
        """The statement's speaker (an unlinked name if the Site has no such speaker)."""
        speaker = self.site.speakers.get(statement.speaker)
        return speaker if speaker is not None else Speaker(slug="", name=statement.by, implicit=True)

    def roots(self, statement_id: str) -> tuple[str, ...]:
        """The statements at the top of the threads `statement_id` belongs to (itself if it answers none)."""
        statements = self.site.statements
        found, seen, stack = set(), set(), [statement_id]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            parents = [p for p in statements[current].answers if p in statements]
            if parents:
                stack.extend(parents)
            else:
                found.add(current)
        return tuple(sorted(found, key=self.position.__getitem__))

    def thread_ids(self, root: str) -> tuple[str, ...]:
        """`root` and every statement answering it, directly or not, depth first (memoized)."""
        ids = self._thread_ids.get(root)
        if ids is None:
            statements, found, seen = self.site.statements, [], set()
            stack = [(root, 0)]
            while stack:
                current, depth = stack.pop()
                if current in seen or depth > MAX_THREAD_DEPTH:
                    continue
                seen.add(current)
                found.append(current)
                stack.extend((answer, depth + 1) for answer in reversed(statements[current].answered_by))
            ids = self._thread_ids[root] = tuple(found)
        return ids

    def thread_head(self, statement_id: str, count: int = LIST_THREAD + 1) -> tuple[str, ...]:
        """`statement_id` and the first `count` statements answering it, directly or not, depth first.

        By default one more than a list shows under a statement: whether it is there says
        whether the list leaves answers out.
        """
        statements, found, seen = self.site.statements, [], set()
        stack = [(statement_id, 0)]
        while stack and len(found) <= count:
            current, depth = stack.pop()
            if current in seen or depth > MAX_THREAD_DEPTH:
                continue
            seen.add(current)
            found.append(current)
            stack.extend((answer, depth + 1) for answer in reversed(statements[current].answered_by)
                         if answer in statements)
        return tuple(found)

    def whole_thread(self, roots: tuple[str, ...]) -> bool:
        """Whether the threads from `roots` are small enough for one page to show them whole."""
        total = 0
        for root in roots:
            total += len(self.thread_head(root, WHOLE_THREAD))
            if total > WHOLE_THREAD:
                return False
        return True

    def ancestors(self, statement_id: str, limit: int = ANCESTORS) -> tuple[tuple[str, ...], bool]:
        """The statements `statement_id` answers, directly or not, nearest first, at most `limit`;
        and whether there are more beyond them."""
        statements, found, seen = self.site.statements, [], {statement_id}
        queue = [p for p in statements[statement_id].answers if p in statements]
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            if len(found) == limit:
                return tuple(found), True
            seen.add(current)
            found.append(current)
            queue.extend(p for p in statements[current].answers if p in statements)
        return tuple(found), False

    def inputs(self, statement_ids: Iterable[str], *extra: str) -> frozenset[str]:
        """The `Page.key` of a page showing these statements' cards: them, their speakers, articles, parents."""
        statements = self.site.statements
        keys = set(extra)
        for statement_id in statement_ids:
            statement = statements[statement_id]
            keys.update((f"statement:{statement_id}", f"speaker:{statement.speaker}",
                         f"article-meta:{statement.article}"))
            for parent in statement.answers:
                if parent in statements:
                    keys.update((f"statement:{parent}", f"speaker:{statements[parent].speaker}"))
        return frozenset(keys)
