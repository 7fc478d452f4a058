"""What each template is given: one small named context per page type, and `site` for every page.

These dataclasses are the theme's API (docs/theme.md lists them): a site that overrides a
template gets exactly these names. A page's context holds only what the page shows —
`statements`, `timelines` or `articles` on a page are the ones it shows, not the whole
site's — so a template cannot show an input its page's `key` does not name, and an
incremental build cannot leave such a page stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Speaker, Statement, Tag, Timeline, Verdict


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list stands: page `number` of `count`, of route `name`/`slug`.

    `months` is the list's year/month navigation: (year, first page of the year, months) with
    months as (month number, page, id of its first statement) — empty for lists without dates.
    """

    name: str
    slug: str
    number: int
    count: int
    months: tuple[tuple[int, int, tuple[tuple[int, int, str], ...]], ...] = ()

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers a pager links: the first, the last and two either side of this one (None: a gap)."""
        near = {1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)}
        shown: list[int | None] = []
        for n in sorted(near):
            if shown and shown[-1] is not None and n - shown[-1] > 1:
                shown.append(None)
            shown.append(n)
        return shown

    @property
    def years(self) -> list[tuple[int, int, str, tuple[tuple[int, int, str], ...]]]:
        """(year, its first page, its first statement, its months) for the navigation: every year, with
        its months when there are few in all, else only for the years this page holds."""
        few = sum(len(months) for _, _, months in self.months) <= _ALL_MONTHS
        shown = []
        for position, (year, first_page, months) in enumerate(self.months):
            last_page = self.months[position + 1][1] if position + 1 < len(self.months) else self.count
            here = few or first_page <= self.number <= last_page
            shown.append((year, first_page, months[0][2], months if here else ()))
        return shown


_ALL_MONTHS = 24  # a list spanning more months shows those of its current page's years only


@dataclass(frozen=True)
class SiteContext:
    """`site` in every template: the site's name, language, menu and the URLs every page links.

    `kinds` and `statuses` are (value, label) in DESIGN.md's order, `verdicts` the site's scale,
    `month_names` the twelve abbreviated month names: all in the site's language.
    """

    title: str
    description: str
    language: str  # the BCP 47 code, for lang attributes
    direction: str  # "ltr" or "rtl"
    base_url: str
    nav: tuple[tuple[str, str, str, str], ...]  # (route, label, url, path) of each menu item
    urls: Mapping[str, str]  # url() of every route without a slug: urls.home, urls.feed…
    assets: Mapping[str, str]  # URL of each theme asset: assets['style.css']
    kinds: tuple[tuple[str, str], ...]
    statuses: tuple[tuple[str, str], ...]
    verdicts: tuple[Verdict, ...]
    month_names: tuple[str, ...]
    url: Callable[[str], str]  # site.url('pagefind/') → '/sub/pagefind/'
    absolute_url: Callable[[str], str]  # site.absolute_url('timelines/') → 'https://…/sub/timelines/'


@dataclass(frozen=True)
class PageContext:
    """What every page gets: its URL path under the site root, and its menu section ('' for none).

    The 404 page and robots.txt get nothing more.
    """

    path: str
    section: str
    # a multilingual site's (render/editions.py): the page's edition, and its versions in the others as
    # (code, absolute URL, URL, the language's own name, is this page); None and () on a site in one language
    edition: str | None = field(default=None, kw_only=True)
    translations: tuple[tuple[str, str, str, str, bool], ...] = field(default=(), kw_only=True)

    def variables(self) -> dict[str, Any]:
        """The context as the template's variables (a shallow copy: the values are the model's own)."""
        return dict(vars(self))


@dataclass(frozen=True)
class HomeContext(PageContext):
    """home.html: the newest statements, and every timeline with its first and last statement."""

    latest: tuple[Statement, ...]
    timelines: Mapping[str, Timeline]
    statements: Mapping[str, Statement]  # the first and last statement of each timeline


@dataclass(frozen=True)
class TimelinesContext(PageContext):
    """timelines.html: every timeline, with its first and last statement."""

    timelines: Mapping[str, Timeline]
    statements: Mapping[str, Statement]


@dataclass(frozen=True)
class SpeakersContext(PageContext):
    """speakers.html: every speaker and how many statements each made."""

    speakers: Mapping[str, Speaker]
    counts: Mapping[str, int]


@dataclass(frozen=True)
class TagsContext(PageContext):
    """tags.html: every tag."""

    tags: Mapping[str, Tag]


@dataclass(frozen=True)
class SearchContext(PageContext):
    """search.html: what its filters offer (speakers and timelines; kinds and statuses are `site`'s)."""

    speakers: Mapping[str, Speaker]
    timelines: Mapping[str, Timeline]


@dataclass(frozen=True)
class TimelineContext(PageContext):
    """timeline.html: one page of a timeline."""

    timeline: Timeline
    ids: tuple[str, ...]  # this page's statements
    pager: Pager
    speakers_in: tuple[Speaker, ...]  # everyone who speaks in the timeline, sorted by name
    kinds_in: frozenset[str]
    verdicts_in: frozenset[str | None]
    offset: int  # how many statements earlier pages show
    statements: Mapping[str, Statement]  # this page's, and the timeline's first and last


@dataclass(frozen=True)
class TimelineDataContext(PageContext):
    """timeline.json and timelinejs.json (built in Python): the timeline."""

    timeline: Timeline


@dataclass(frozen=True)
class FeedContext(PageContext):
    """feed.xml: the site's feed (`feed` is "feed", `items` articles) or a timeline's ("timeline_feed", statements)."""

    feed: str
    title: str
    page: str  # the route of the page the feed is of
    feed_slug: str | None
    items: tuple[Article, ...] | tuple[Statement, ...]
    updated: str


@dataclass(frozen=True)
class ArticleContext(PageContext):
    """article.html: the article, its tags and the timelines it is in."""

    article: Article
    article_tags: tuple[Tag, ...]
    timelines: Mapping[str, Timeline]


@dataclass(frozen=True)
class StatementContext(PageContext):
    """statement.html: one page of a statement and its thread (see docs/theme.md, Long lists)."""

    statement: Statement
    roots: tuple[str, ...]  # the tops of its threads
    speaker: Speaker
    whole: bool  # the whole thread is shown
    ancestors: tuple[str, ...]  # what it answers, nearest last
    earlier: bool  # the thread starts before the ancestors shown
    answers: tuple[str, ...]  # this page's answers
    pager: Pager
    statements: Mapping[str, Statement]  # the roots, ancestors and answers
    timelines: Mapping[str, Timeline]  # the timelines it is in


@dataclass(frozen=True)
class SpeakerContext(PageContext):
    """speaker.html: one page of what a speaker said."""

    speaker: Speaker
    said: tuple[Statement, ...]
    said_count: int
    answered: bool  # anything they said was answered
    pager: Pager


@dataclass(frozen=True)
class TagContext(PageContext):
    """tag.html: one page of a tag's articles."""

    tag: Tag
    slugs: tuple[str, ...]
    pager: Pager
    articles: Mapping[str, Article]  # this page's


@dataclass(frozen=True)
class SitemapContext(PageContext):
    """sitemap.xml: (absolute URL, lastmod) of every page, and each page's versions in other languages."""

    urls: tuple[tuple[str, str], ...]
    alternates: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, kw_only=True)

