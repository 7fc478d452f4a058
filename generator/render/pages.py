"""What to render: one `Page` per output file, with its template, context and inputs (a pure listing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from ..model import Article, FuzzyDate, Site, Speaker, Statement, Tag, Timeline, frozen_mapping
from .filters import atom_date
from .index import SiteIndex
from .routes import file_path, route


@dataclass(frozen=True)
class Page:
    """One file to render: where it goes, how, and what it shows.

    `template` names a Jinja template, or a data builder (`DATA_BUILDERS`). `context` holds
    model objects and plain values. `key` is the set of inputs the page shows, as
    "statement:<id>", "speaker:<slug>", "article:<slug>" (all of it), "article-meta:<slug>" (its
    title and date, as cards show them), "article-summary:<slug>" (as tag pages list it),
    "timeline:<slug>", "tag:<slug>" strings; "site" means it lists the whole site (home, indexes, feeds, sitemap), and
    "statements" that it lists every statement (the search index).
    """

    path: str
    template: str
    context: Mapping[str, Any]
    key: frozenset[str]

def _page(name: str, slug: str | None, template: str, section: str, key: Iterable[str], **context: Any) -> Page:
    context.update(path=route(name, slug), section=section)
    return Page(file_path(name, slug), template, frozen_mapping(context), frozenset(key))


def list_pages(site: Site, index: SiteIndex, *, keys: bool = True) -> list[Page]:
    """Every page of the site, in a stable order; pure. Without `keys`, pages have empty keys."""
    return Pages(site, index, keys=keys).everything()


class Pages:
    """Makes the Page objects of a site, one kind at a time (`everything` lists them all).

    `key`s are only computed when asked for: only an incremental build comparing inputs needs
    them, and at 60,000 pages they are most of the listing's time and memory.
    """

    def __init__(self, site: Site, index: SiteIndex, *, keys: bool = True) -> None:
        self.site, self.index, self.keys = site, index, keys
        self.timezone = ZoneInfo(site.config.timezone)
        # every statement of a thread shows the same cards, so they share one key
        self._thread_keys: dict[tuple[str, ...], frozenset[str]] = {}

    def everything(self) -> list[Page]:
        site = self.site
        pages = [*self.site_wide(), self.search_index(), self.not_found()]
        for timeline in site.timelines.values():
            pages += self.timeline(timeline)
        pages += [self.article(article) for article in site.articles.values()]
        pages += [self.statement(statement) for statement in site.statements.values()]
        pages += [self.speaker(speaker) for speaker in site.speakers.values()]
        pages += [self.tag(tag) for tag in site.tags.values()]
        pages.append(self.feed())
        pages.append(self.sitemap(pages))
        pages.append(self.robots())
        return pages

    def site_wide(self) -> list[Page]:
        """Home and the indexes: they list the whole site (key "site"). The feed and sitemap are apart."""
        statements, config = self.site.statements, self.site.config
        everything = ("site",)
        latest = tuple(reversed(tuple(statements.values())[-config.latest_count:]))
        return [
            _page("home", None, "home.html", "home", everything, latest=latest),
            _page("timelines", None, "timelines.html", "timelines", everything),
            _page("speakers", None, "speakers.html", "speakers", everything, counts=_counts(self.index)),
            _page("tags", None, "tags.html", "tags", everything),
            _page("search", None, "search.html", "search", everything),
        ]

    def search_index(self) -> Page:
        return _page("search_index", None, "json:search", "search", ("statements",))

    def not_found(self) -> Page:
        return _page("not_found", None, "404.html", "", ())

    def timeline(self, timeline: Timeline) -> list[Page]:
        """The timeline's page, its JSON (ours and TimelineJS's) and its feed."""
        site, index, statements = self.site, self.index, self.site.statements
        key: frozenset[str] = frozenset()
        if self.keys:
            members = [i for root in timeline.statements for i in index.thread_ids(root)]
            key = index.inputs(members, f"timeline:{timeline.slug}")
        speakers_in = {statements[i].speaker for i in timeline.statements}
        newest = [statements[i] for i in reversed(timeline.statements[-site.config.latest_count:])]
        return [
            _page("timeline", timeline.slug, "timeline.html", "timelines", key, timeline=timeline,
                  speakers_in=[sp for slug, sp in site.speakers.items() if slug in speakers_in],
                  kinds_in=frozenset(statements[i].kind.value for i in timeline.statements),
                  verdicts_in=frozenset(statements[i].verdict for i in timeline.statements)),
            _page("timeline_json", timeline.slug, "json:timeline", "timelines", key, timeline=timeline),
            _page("timeline_timelinejs", timeline.slug, "json:timelinejs", "timelines", key, timeline=timeline),
            _page("timeline_feed", timeline.slug, "feed.xml", "timelines", key, feed="timeline_feed",
                  title=timeline.title, page="timeline", feed_slug=timeline.slug, items=newest,
                  updated=_updated((s.said for s in newest), self.timezone)),
        ]

    def article(self, article: Article) -> Page:
        statements = self.site.statements
        key: frozenset[str] = frozenset()
        if self.keys:
            ids = [s.id for s in article.statements]
            answers = [a for s in article.statements for a in statements[s.id].answered_by]
            key = self.index.inputs([*ids, *answers], f"article:{article.slug}")
        return _page("article", article.slug, "article.html", "articles", key, article=article,
                     article_tags=self.index.article_tags.get(article.slug, ()))

    def statement(self, statement: Statement) -> Page:
        index = self.index
        roots = index.roots(statement.id)
        key: frozenset[str] = frozenset()
        if self.keys:
            thread_key = self._thread_keys.get(roots)
            if thread_key is None:
                thread_key = self._thread_keys[roots] = index.inputs([i for r in roots for i in index.thread_ids(r)])
            key = thread_key | index.inputs([statement.id])
        return _page("statement", statement.id, "statement.html", "statements", key, statement=statement,
                     roots=roots, speaker=index.speaker_of(statement))

    def speaker(self, speaker: Speaker) -> Page:
        said = self.index.by_speaker.get(speaker.slug, ())
        key: frozenset[str] = frozenset()
        if self.keys:  # each statement's card and its whole thread of answers (thread(s) in speaker.html)
            shown = [i for s in said for i in self.index.thread_ids(s.id)]
            key = self.index.inputs(shown, f"speaker:{speaker.slug}")
        return _page("speaker", speaker.slug, "speaker.html", "speakers", key, speaker=speaker, said=said)

    def tag(self, tag: Tag) -> Page:
        key = (f"tag:{tag.slug}", *(f"article-{part}:{a}" for a in tag.articles for part in ("meta", "summary")))
        return _page("tag", tag.slug, "tag.html", "tags", key, tag=tag)

    def feed(self) -> Page:
        config = self.site.config
        recent = tuple(self.site.articles.values())[: config.latest_count]
        return _page("feed", None, "feed.xml", "home", ("site",), feed="feed", title=config.title, page="home",
                     feed_slug=None, items=recent, updated=_updated((a.date for a in recent), self.timezone))

    def sitemap(self, pages: Iterable[Page]) -> Page:
        """The sitemap of `pages` (every other page), each with the date of the newest article it shows."""
        config = self.site.config
        urls = sorted((config.absolute_url(p.context["path"]), self.lastmod(p))
                      for p in pages if p.path.endswith("index.html"))
        return _page("sitemap", None, "sitemap.xml", "", ("site",), urls=urls)

    def lastmod(self, page: Page) -> str:
        """When a page last changed, from content dates only (never the build's clock): the newest article it shows."""
        site, index, context = self.site, self.index, page.context
        if "article" in context:
            ids = [i for s in context["article"].statements for i in (s.id, *site.statements[s.id].answered_by)]
            dates = [context["article"].date.value, *(self._article_date(i) for i in ids)]
        elif "statement" in context:
            dates = [self._article_date(i) for root in context["roots"] for i in index.thread_ids(root)]
        elif "timeline" in context:
            dates = [self._article_date(i) for root in context["timeline"].statements for i in index.thread_ids(root)]
        elif "speaker" in context:
            dates = [self._article_date(i) for s in context["said"] for i in (s.id, *s.answered_by)]
        elif "tag" in context:
            dates = [site.articles[slug].date.value for slug in context["tag"].articles]
        else:
            dates = [article.date.value for article in site.articles.values()]
        return max(dates).isoformat() if dates else "1970-01-01"

    def _article_date(self, statement_id: str) -> dt.date:
        return self.site.articles[self.site.statements[statement_id].article].date.value

    def robots(self) -> Page:
        """robots.txt: everything may be crawled; it names the sitemap."""
        return _page("robots", None, "robots.txt", "", ())


def _counts(index: SiteIndex) -> Mapping[str, int]:
    return frozen_mapping({slug: len(said) for slug, said in index.by_speaker.items()})


def _updated(dates: Iterable[FuzzyDate], timezone: dt.tzinfo) -> str:
    moments = [dt.datetime.fromisoformat(atom_date(d, timezone)) for d in dates]
    return max(moments).isoformat() if moments else "1970-01-01T00:00:00+00:00"
