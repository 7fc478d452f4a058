"""What to render: one `Page` per output file, with its template, context and inputs (a pure listing)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from ..model import Article, FuzzyDate, Site, Speaker, Statement, Tag, Timeline, frozen_mapping
from .contexts import (
    ArticleContext,
    FeedContext,
    HomeContext,
    PageContext,
    Pager,
    SearchContext,
    SitemapContext,
    SpeakerContext,
    SpeakersContext,
    StatementContext,
    TagContext,
    TagsContext,
    TimelineContext,
    TimelineDataContext,
    TimelinesContext,
)
from .filters import atom_date
from .index import SiteIndex
from .routes import file_path, route


@dataclass(frozen=True)
class Page:
    """One file to render: where it goes, how, and what it shows.

    `template` names a Jinja template, or a data builder (`DATA_BUILDERS`). `context` is the
    page type's named context (contexts.py): what the page shows, and nothing more. `key` is the
    set of inputs the page shows, as
    "statement:<id>", "speaker:<slug>", "article:<slug>" (all of it), "article-meta:<slug>" (its
    title and date, as cards show them), "article-summary:<slug>" (as tag pages list it),
    "timeline:<slug>", "tag:<slug>" strings; "site" means it lists the whole site (home, indexes, feeds, sitemap).
    """

    path: str
    template: str
    context: PageContext
    key: frozenset[str]


_MOST_YEARS = 100  # beyond this, a list's navigation is by page number alone: no input makes a page heavy


def _page(name: str, slug: str | None, template: str, section: str, key: Iterable[str], number: int = 1,
          context: type[PageContext] = PageContext, **fields: Any) -> Page:
    context_ = context(path=route(name, slug, number), section=section, **fields)
    return Page(file_path(name, slug, number), template, context_, frozenset(key))


def _shown(statements: Mapping[str, Statement], ids: Iterable[str]) -> Mapping[str, Statement]:
    """The statements of `ids` that a page shows, by id: a page's `statements` are never the whole site's."""
    return frozen_mapping({i: statements[i] for i in ids if i in statements})


def _ends(timelines: Iterable[Timeline]) -> list[str]:
    """The first and last statement of each timeline: lists of timelines show their span."""
    return [i for t in timelines if t.statements for i in (t.statements[0], t.statements[-1])]


def _chunks(items: tuple, size: int) -> list[tuple]:
    """`items` in runs of `size`; one empty run when there are none (the list's page still exists)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


def _months(dates: Iterable[FuzzyDate], ids: Iterable[str], size: int
            ) -> tuple[tuple[int, int, tuple[tuple[int, int, str], ...]], ...]:
    """The year/month navigation of a list of statements in said order, `size` to a page."""
    years: dict[int, dict[int, tuple[int, str]]] = {}
    for position, (date, statement_id) in enumerate(zip(dates, ids, strict=True)):
        months = years.setdefault(date.value.year, {})
        if date.value.month not in months:
            months[date.value.month] = (position // size + 1, statement_id)
    if len(years) > _MOST_YEARS:
        return ()
    return tuple((year, min(page for page, _ in months.values()),
                  tuple((month, page, first) for month, (page, first) in sorted(months.items())))
                 for year, months in sorted(years.items()))


def list_pages(site: Site, index: SiteIndex, *, keys: bool = True) -> list[Page]:
    """Every page of the site, in a stable order; pure. Without `keys`, pages have empty keys."""
    return Pages(site, index, keys=keys).everything()


class Pages:
    """Makes the Page objects of a site, one kind at a time (`everything` lists them all).

    `key`s are only computed when asked for: only an incremental build comparing inputs needs
    them, and at 60,000 pages they are most of the listing's time and memory.
    """

    def __init__(self, site: Site, index: SiteIndex, *, keys: bool = True,
                 published: frozenset[str] | None = None) -> None:
        """`published`: the articles the listing publishes (an edition's, render/editions.py); None: all."""
        self.site, self.index, self.keys, self.published = site, index, keys, published
        self.timezone = ZoneInfo(site.config.timezone)
        # every statement of a thread shows the same cards, so they share one key
        self._thread_keys: dict[tuple[str, ...], frozenset[str]] = {}
        # every page and export of a timeline has the whole timeline's date: found once, not once a page
        self._timeline_dates: dict[str, dt.date] = {}

    def everything(self) -> list[Page]:
        site = self.site
        pages = [*self.site_wide(), self.not_found()]
        for timeline in site.timelines.values():
            pages += self.timeline(timeline)
        pages += [self.article(article) for article in site.articles.values()]
        pages += [page for statement in site.statements.values() for page in self.statement_pages(statement)]
        pages += [page for speaker in site.speakers.values() for page in self.speaker_pages(speaker)]
        pages += [page for tag in site.tags.values() for page in self.tag_pages(tag)]
        pages.append(self.feed())
        pages.append(self.sitemap(pages))
        pages.append(self.robots())
        return pages

    def site_wide(self) -> list[Page]:
        """Home and the indexes: they list the whole site (key "site"). The feed and sitemap are apart."""
        site = self.site
        statements, config, timelines = site.statements, site.config, site.timelines
        everything = ("site",)
        if self.published is None:  # by key, so that a lazily read site reads only the latest
            latest = tuple(statements[i] for i in reversed(tuple(statements)[-config.latest_count:]))
        else:
            listed = tuple(s for s in statements.values() if s.article in self.published)
            latest = tuple(reversed(listed[-config.latest_count:]))
        ends = _shown(statements, _ends(timelines.values()))
        return [
            _page("home", None, "home.html", "home", everything, context=HomeContext, latest=latest,
                  timelines=timelines, statements=ends),
            _page("timelines", None, "timelines.html", "timelines", everything, context=TimelinesContext,
                  timelines=timelines, statements=ends),
            _page("speakers", None, "speakers.html", "speakers", everything, context=SpeakersContext,
                  speakers=site.speakers, counts=_counts(self.index)),
            _page("tags", None, "tags.html", "tags", everything, context=TagsContext, tags=site.tags),
            self.search_index(),
        ]

    def search_index(self) -> Page:
        """The search page. Its index is Pagefind's, made after the pages are written (build.py)."""
        return _page("search", None, "search.html", "search", ("site",), context=SearchContext,
                     speakers=self.site.speakers, timelines=self.site.timelines)

    def not_found(self) -> Page:
        return _page("not_found", None, "404.html", "", ())

    def timeline(self, timeline: Timeline) -> list[Page]:
        """The timeline's pages, its JSON (ours and TimelineJS's) and its feed."""
        site, index, statements = self.site, self.index, self.site.statements
        key: frozenset[str] = frozenset()
        if self.keys:  # one key for every page: the month navigation and page count show the whole timeline
            members = [i for statement_id in timeline.statements for i in index.thread_head(statement_id)]
            key = index.inputs(members, f"timeline:{timeline.slug}")
        speakers_in = {statements[i].speaker for i in timeline.statements}
        newest = [statements[i] for i in reversed(timeline.statements[-site.config.latest_count:])]
        size = site.config.per_page
        chunks = _chunks(timeline.statements, size)
        months = _months((statements[i].said for i in timeline.statements), timeline.statements, size) \
            if len(chunks) > 1 else ()
        speakers = tuple(sp for slug, sp in site.speakers.items() if slug in speakers_in)
        kinds = frozenset(statements[i].kind.value for i in timeline.statements)
        verdicts = frozenset(statements[i].verdict for i in timeline.statements)
        ends = _ends([timeline])
        pages = [_page("timeline", timeline.slug, "timeline.html", "timelines", key, number, context=TimelineContext,
                       timeline=timeline, ids=chunk,
                       pager=Pager("timeline", timeline.slug, number, len(chunks), months),
                       speakers_in=speakers, kinds_in=kinds, verdicts_in=verdicts, offset=(number - 1) * size,
                       statements=_shown(statements, (*chunk, *ends)))
                 for number, chunk in enumerate(chunks, 1)]
        return [
            *pages,
            _page("timeline_json", timeline.slug, "json:timeline", "timelines", key, context=TimelineDataContext,
                  timeline=timeline),
            _page("timeline_timelinejs", timeline.slug, "json:timelinejs", "timelines", key,
                  context=TimelineDataContext, timeline=timeline),
            _page("timeline_feed", timeline.slug, "feed.xml", "timelines", key, context=FeedContext,
                  feed="timeline_feed", title=timeline.title, page="timeline", feed_slug=timeline.slug, items=newest,
                  updated=_updated((s.said for s in newest), self.timezone)),
        ]

    def article(self, article: Article) -> Page:
        statements = self.site.statements
        key: frozenset[str] = frozenset()
        if self.keys:
            ids = [s.id for s in article.statements]
            answers = [a for s in article.statements for a in statements[s.id].answered_by]
            key = self.index.inputs([*ids, *answers], f"article:{article.slug}")
        timelines = self.site.timelines
        return _page("article", article.slug, "article.html", "articles", key, context=ArticleContext,
                     article=article, article_tags=self.index.article_tags.get(article.slug, ()),
                     timelines=frozen_mapping({t: timelines[t] for t in article.timelines if t in timelines}))

    def statement(self, statement: Statement) -> Page:
        """The statement's page (the first, when its answers take more than one)."""
        return self.statement_pages(statement)[0]

    def statement_pages(self, statement: Statement) -> list[Page]:
        """The statement's page: its whole thread when small, else its nearest ancestors and its
        answers, `per_page` to a page."""
        index = self.index
        roots = index.roots(statement.id)
        whole = index.whole_thread(roots)
        ancestors, earlier = ((), False) if whole else index.ancestors(statement.id)
        answers = () if whole else tuple(a for a in statement.answered_by if a in self.site.statements)
        chunks = _chunks(answers, self.site.config.per_page)
        key: frozenset[str] = frozenset()
        if self.keys:
            thread_key = self._thread_keys.get(roots)
            if thread_key is None:
                thread_key = self._thread_keys[roots] = index.inputs([i for r in roots for i in index.thread_ids(r)])
            shown = [i for a in answers for i in index.thread_head(a)]
            key = thread_key | index.inputs([statement.id, *ancestors, *shown])
        timelines = self.site.timelines
        in_timelines = frozen_mapping({t: timelines[t] for t in statement.timelines if t in timelines})
        return [_page("statement", statement.id, "statement.html", "statements", key, number,
                      context=StatementContext, statement=statement, roots=roots, speaker=index.speaker_of(statement),
                      whole=whole, ancestors=ancestors[::-1], earlier=earlier, answers=chunk,
                      pager=Pager("statement", statement.id, number, len(chunks)),
                      statements=_shown(self.site.statements, (*roots, *ancestors, *chunk)), timelines=in_timelines)
                for number, chunk in enumerate(chunks, 1)]

    def speaker(self, speaker: Speaker) -> Page:
        """The speaker's page (the first, when what they said takes more than one)."""
        return self.speaker_pages(speaker)[0]

    def speaker_pages(self, speaker: Speaker) -> list[Page]:
        """Everything a speaker said, and the answers, `per_page` statements to a page."""
        index, size = self.index, self.site.config.per_page
        said = index.by_speaker.get(speaker.slug, ())
        key: frozenset[str] = frozenset()
        if self.keys:  # one key for every page, as for a timeline
            key = index.inputs([i for s in said for i in index.thread_head(s.id)], f"speaker:{speaker.slug}")
        chunks = _chunks(said, size)
        months = _months((s.said for s in said), (s.id for s in said), size) if len(chunks) > 1 else ()
        return [_page("speaker", speaker.slug, "speaker.html", "speakers", key, number, context=SpeakerContext,
                      speaker=speaker, said=chunk, said_count=len(said), answered=any(s.answered_by for s in said),
                      pager=Pager("speaker", speaker.slug, number, len(chunks), months))
                for number, chunk in enumerate(chunks, 1)]

    def tag(self, tag: Tag) -> Page:
        """The tag's page (the first, when its articles take more than one)."""
        return self.tag_pages(tag)[0]

    def tag_pages(self, tag: Tag) -> list[Page]:
        """The articles with a tag, `per_page` to a page."""
        key = (f"tag:{tag.slug}", *(f"article-{part}:{a}" for a in tag.articles for part in ("meta", "summary")))
        chunks = _chunks(tag.articles, self.site.config.per_page)
        articles = self.site.articles
        return [_page("tag", tag.slug, "tag.html", "tags", key, number, context=TagContext, tag=tag, slugs=chunk,
                      pager=Pager("tag", tag.slug, number, len(chunks)),
                      articles=frozen_mapping({a: articles[a] for a in chunk}))
                for number, chunk in enumerate(chunks, 1)]

    def complete(self, pages: Iterable[Page]) -> list[Page]:
        """`pages` with the later pages of each list whose first page is among them (an edit shows on all)."""
        found: dict[str, Page] = {}
        for page in pages:
            found[page.path] = page
            context = page.context
            pager = getattr(context, "pager", None)
            if pager is None or pager.number != 1 or pager.count <= 1:
                continue
            if isinstance(context, StatementContext):
                found.update((p.path, p) for p in self.statement_pages(context.statement))
            elif isinstance(context, SpeakerContext):
                found.update((p.path, p) for p in self.speaker_pages(context.speaker))
            elif isinstance(context, TagContext):
                found.update((p.path, p) for p in self.tag_pages(context.tag))
        return list(found.values())

    def feed(self) -> Page:
        config = self.site.config
        articles = self.site.articles
        if self.published is None:  # by key, so that a lazily read site reads only the newest
            recent = tuple(articles[slug] for slug in itertools.islice(articles, config.latest_count))
        else:
            recent = tuple(a for a in articles.values() if a.slug in self.published)[: config.latest_count]
        return _page("feed", None, "feed.xml", "home", ("site",), context=FeedContext, feed="feed",
                     title=config.title, page="home", feed_slug=None, items=recent,
                     updated=_updated((a.date for a in recent), self.timezone))

    def sitemap(self, pages: Iterable[Page]) -> Page:
        """The sitemap of `pages` (every other page), each with the date of the newest article it shows."""
        config = self.site.config
        urls = tuple(sorted((config.absolute_url(p.context.path), self.lastmod(p))
                            for p in pages if p.path.endswith("index.html")))
        return _page("sitemap", None, "sitemap.xml", "", ("site",), context=SitemapContext, urls=urls)

    def lastmod(self, page: Page) -> str:
        """When a page last changed, from content dates only (never the build's clock): the newest article it shows."""
        site, index, context = self.site, self.index, page.context
        if isinstance(context, ArticleContext):
            ids = [i for s in context.article.statements for i in (s.id, *site.statements[s.id].answered_by)]
            dates = [context.article.date.value, *(self._article_date(i) for i in ids)]
        elif isinstance(context, StatementContext):
            dates = [self._article_date(i) for root in context.roots for i in index.thread_ids(root)]
        elif isinstance(context, TimelineContext | TimelineDataContext):
            dates = [self._timeline_date(context.timeline)]
        elif isinstance(context, SpeakerContext):
            dates = [self._article_date(i) for s in context.said for i in (s.id, *s.answered_by)]
        elif isinstance(context, TagContext):
            dates = [site.articles[slug].date.value for slug in context.tag.articles]
        else:
            dates = [article.date.value for article in site.articles.values()]
        return max(dates).isoformat() if dates else "1970-01-01"

    def _timeline_date(self, timeline: Timeline) -> dt.date:
        """The newest article date among a timeline's statements and their answers (memoized)."""
        date = self._timeline_dates.get(timeline.slug)
        if date is None:
            index = self.index
            date = self._timeline_dates[timeline.slug] = max(
                (self._article_date(i) for root in timeline.statements for i in index.thread_ids(root)),
                default=dt.date(1970, 1, 1))
        return date

    def _article_date(self, statement_id: str) -> dt.date:
        return self.site.articles[self.site.statements[statement_id].article].date.value

    def robots(self) -> Page:
        """robots.txt: everything may be crawled; it names the sitemap."""
        return _page("robots", None, "robots.txt", "", ())


def _counts(index: SiteIndex) -> Mapping[str, int]:
    return frozen_mapping({slug: len(said) for slug, said in index.said_ids.items()})


def _updated(dates: Iterable[FuzzyDate], timezone: dt.tzinfo) -> str:
    moments = [dt.datetime.fromisoformat(atom_date(d, timezone)) for d in dates]
    return max(moments).isoformat() if moments else "1970-01-01T00:00:00+00:00"
