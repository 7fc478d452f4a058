"""The checked Site → every file of the static site, through the Jinja2 theme.

Rendering is two steps. `list_pages` is a pure listing of what to render: one `Page` per
output file, with its template, a small context of model objects, and `key`, the model
objects the page shows (so a later build can re-render only pages whose inputs changed).
`Renderer.render` turns one Page into an OutputFile. A statement's card and the thread
of answers under it are rendered once per build and reused by every page that shows
them, which keeps a build linear in the number of statements.

Nothing here writes to disk; `output.py` does.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateRuntimeError
from markupsafe import Markup, escape

from .model import (
    Article,
    FuzzyDate,
    Kind,
    OutputFile,
    Precision,
    Site,
    Speaker,
    Statement,
    Status,
    Tag,
    Timeline,
    frozen_mapping,
)

ASSETS_DIR = "assets"
DEFAULT_THEME = Path(__file__).resolve().parent.parent / "templates"  # the repository's templates/
MAX_THREAD_DEPTH = 30  # deeper answers are still reachable through each statement's permalink
URL_SCHEMES = frozenset({"http", "https", "mailto"})

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
KIND_LABELS = {
    Kind.CLAIM: "Claim", Kind.STATEMENT: "Statement", Kind.DENIAL: "Denial",
    Kind.CONFIRMATION: "Confirmation", Kind.DISPUTE: "Dispute", Kind.NO_COMMENT: "No comment",
    Kind.CORRECTION: "Correction", Kind.RETRACTION: "Retraction",
}
STATUS_LABELS = {status: status.value.capitalize() for status in Status}

NAV = (("home", "Home"), ("timelines", "Timelines"), ("speakers", "Speakers"), ("search", "Search"))

# route name → URL path under the site root; "{}" is one slug, percent-encoded in URLs
ROUTES = {
    "home": "",
    "timelines": "timelines/",
    "timeline": "timelines/{}/",
    "timeline_json": "timelines/{}/timeline.json",
    "timeline_feed": "timelines/{}/feed.xml",
    "article": "articles/{}/",
    "statement": "statements/{}/",
    "speakers": "speakers/",
    "speaker": "speakers/{}/",
    "tags": "tags/",
    "tag": "tags/{}/",
    "search": "search/",
    "search_index": "search/index.json",
    "feed": "feed.xml",
    "sitemap": "sitemap.xml",
    "not_found": "404.html",
}

_BAD_SEGMENT = re.compile(r"[/\\\x00-\x1f\x7f]")
_ISO_PHRASE = re.compile(r"^(?:~\s*|circa\s+)?\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\S*)?)?)?$", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")  # browsers drop these before reading a scheme
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# inside <script>, "</script" or "<!--" must never appear: these escapes keep the JSON valid and inert
_SCRIPT_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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


def render_site(site: Site, theme_dir: Path, *, serving: bool = False) -> list[OutputFile]:
    """Every page, feed, JSON file, sitemap and 404 of `site`, plus the theme's assets, sorted by path.

    A template or asset missing from `theme_dir` (or a missing `theme_dir`) comes from the
    default theme, so a site's templates/ needs only the files it changes.
    Pure: reads the theme, writes nothing. `serving` is accepted for the preview server,
    which adds its own reload script as it serves; the files do not depend on it.
    """
    collecting = gc.isenabled()
    gc.disable()  # rendering makes no cycles worth collecting; full collections over a big Site cost ~15%
    try:
        renderer = Renderer(site, theme_dir)
        files = [renderer.render(page) for page in list_pages(site, renderer.index)]
    finally:
        if collecting:
            gc.enable()
    files.extend(renderer.assets)
    return sorted(files, key=lambda f: f.path)


# --- dates -------------------------------------------------------------------------------------------------


def date_label(date: FuzzyDate) -> str:
    """The date at its precision: '7 Nov 2024', 'week of 4 Nov 2024', 'early Nov 2024', '2024'."""
    value = date.value
    month = MONTHS[value.month - 1]
    if date.precision is Precision.YEAR:
        text = str(value.year)
    elif date.precision is Precision.MONTH:
        text = f"{date.part} {month} {value.year}" if date.part else f"{month} {value.year}"
    elif date.precision is Precision.WEEK:
        text = f"week of {value.day} {month} {value.year}"
    else:
        text = f"{value.day} {month} {value.year}"
        if date.moment is not None:
            text += f", {date.moment:%H:%M}"
    return f"c. {text}" if date.approximate else text


def datetime_attr(date: FuzzyDate) -> str:
    """The `datetime` attribute at the date's precision: '2024-11-07', '2024-W45', '2024-11', '2024'."""
    value = date.value
    if date.precision is Precision.YEAR:
        return f"{value.year:04d}"
    if date.precision is Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    if date.precision is Precision.WEEK:
        iso = value.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return date.moment.isoformat() if date.moment is not None else value.isoformat()


def phrase_label(date: FuzzyDate) -> str | None:
    """The reporter's words for the date ('Thursday'), or None when they add nothing to the date."""
    phrase = date.phrase.strip()
    if not phrase or _ISO_PHRASE.match(phrase) or phrase.casefold() == date_label(date).casefold():
        return None
    return phrase


def time_tag(date: FuzzyDate) -> Markup:
    """<time datetime="…">label</time> for a date, at its precision."""
    return Markup(f'<time datetime="{escape(datetime_attr(date))}">{escape(date_label(date))}</time>')


def when(date: FuzzyDate) -> Markup:
    """The <time> of a date, and beside it the reporter's words when they add something."""
    phrase = phrase_label(date)
    if phrase is None:
        return time_tag(date)
    return Markup(f'{time_tag(date)} <span class="phrase">· ‘{escape(phrase)}’</span>')


def atom_date(date: FuzzyDate, timezone: dt.tzinfo) -> str:
    """An RFC 3339 date-time for feeds: the moment if known, else the start of the day in the site's zone."""
    if date.moment is not None:
        moment = date.moment if date.moment.tzinfo else date.moment.replace(tzinfo=timezone)
    else:
        moment = dt.datetime.combine(date.value, dt.time(), tzinfo=timezone)
    return moment.isoformat()


# --- URLs --------------------------------------------------------------------------------------------------


def _segment(slug: str) -> str:
    if not slug or slug in (".", "..") or _BAD_SEGMENT.search(slug):
        raise ValueError(f"cannot make a URL path segment of {slug!r}")
    return slug


def route(name: str, slug: str | None = None) -> str:
    """The URL path of a page under the site root: route('statement', 'x') → 'statements/x/'."""
    pattern = ROUTES[name]
    return pattern.format(quote(_segment(slug), safe="")) if slug is not None else pattern


def file_path(name: str, slug: str | None = None) -> str:
    """The output file of a route: 'statements/x/' → 'statements/x/index.html'."""
    pattern = ROUTES[name]
    path = pattern.format(_segment(slug)) if slug is not None else pattern
    return path + "index.html" if path == "" or path.endswith("/") else path


def safe_url(url: str | None) -> str | None:
    """`url` if it is http, https, mailto or relative; None for anything else (javascript:, data:…)."""
    if not url:
        return None
    match = _URL_SCHEME.match(_URL_NOISE.sub("", url).lower())
    if match is not None and match.group(1) not in URL_SCHEMES:
        return None
    return _CONTROL.sub("", url).strip() or None


# --- the pages ---------------------------------------------------------------------------------------------


class SiteIndex:
    """Lists derived once per render from the Site, so that no page scans the whole site."""

    def __init__(self, site: Site, previous: SiteIndex | None = None, replaced: set[str] = frozenset()) -> None:
        """The index of `site`; or `previous`'s, when `site` differs from its site only by the statements
        `replaced` (same ids, speakers, answers and order), with those statements swapped in."""
        self.site = site
        if previous is not None:
            self.position, self.article_tags, self._thread_ids = \
                previous.position, previous.article_tags, previous._thread_ids
            self.by_speaker = dict(previous.by_speaker)
            for slug in {site.statements[i].speaker for i in replaced}:
                self.by_speaker[slug] = tuple(site.statements[s.id] for s in previous.by_speaker[slug])
            return
        self.position = {statement_id: i for i, statement_id in enumerate(site.statements)}
        by_speaker: dict[str, list[Statement]] = defaultdict(list)
        for statement in site.statements.values():
            by_speaker[statement.speaker].append(statement)
        self.by_speaker = {slug: tuple(items) for slug, items in by_speaker.items()}
        article_tags: dict[str, list[Tag]] = defaultdict(list)
        for tag in site.tags.values():
            for slug in tag.articles:
                article_tags[slug].append(tag)
        self.article_tags = {slug: tuple(tags) for slug, tags in article_tags.items()}
        self._thread_ids: dict[str, tuple[str, ...]] = {}

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
        """The timeline's page, its JSON and its feed."""
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
                  kinds_in=frozenset(statements[i].kind.value for i in timeline.statements)),
            _page("timeline_json", timeline.slug, "json:timeline", "timelines", key, timeline=timeline),
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
            key = thread_key | index.inputs([statement.id, *statement.answered_by])  # its JSON-LD lists answers
        return _page("statement", statement.id, "statement.html", "statements", key, statement=statement,
                     roots=roots, speaker=index.speaker_of(statement))

    def speaker(self, speaker: Speaker) -> Page:
        said = self.index.by_speaker.get(speaker.slug, ())
        key: frozenset[str] = frozenset()
        if self.keys:
            shown = [i for s in said for i in self.index.thread_ids(s.id)]  # each statement with its thread
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
        """The sitemap of `pages` (every other page): it changes only when the set of pages does."""
        config = self.site.config
        urls = sorted(config.absolute_url(p.context["path"]) for p in pages if p.path.endswith("index.html"))
        return _page("sitemap", None, "sitemap.xml", "", ("site",), urls=urls)


def _counts(index: SiteIndex) -> Mapping[str, int]:
    return frozen_mapping({slug: len(said) for slug, said in index.by_speaker.items()})


def _updated(dates: Iterable[FuzzyDate], timezone: dt.tzinfo) -> str:
    moments = [dt.datetime.fromisoformat(atom_date(d, timezone)) for d in dates]
    return max(moments).isoformat() if moments else "1970-01-01T00:00:00+00:00"


# --- rendering ---------------------------------------------------------------------------------------------


class _Environment(Environment):
    """Templates share the environment's globals as one plain dict.

    Jinja's default, a ChainMap per template, is copied key by key into every new render
    context; with this theme's helpers that was a third of the time of rendering a card.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **d} if d else self.globals


class Renderer:
    """One Jinja environment for one site; renders Pages, caching cards and threads."""

    def __init__(self, site: Site, theme_dir: Path, *, previous: Renderer | None = None,
                 stale: Iterable[str] = (), replaced: set[str] = frozenset()) -> None:
        """A renderer for `site`; with `previous` (the same theme, an earlier version of the site in
        which only the statements `replaced` were parsed anew, and only the cards of `stale` can differ,
        no link changed), its templates, index and every card, thread and search line not stale are
        taken over: `previous` must not render again."""
        self.site = site
        self.config = site.config
        self.index = SiteIndex(site, previous.index if previous is not None else None, replaced)
        self.timezone = ZoneInfo(self.config.timezone)
        self.assets = _theme_assets(theme_dir)
        self._asset_paths = {f.path for f in self.assets}
        self._urls: dict[tuple[str, str | None], str] = {}
        # rendered once per build, kept as UTF-8: the HTML is non-ASCII, so as str it takes 2 bytes a character
        self._cards: dict[str, bytes] = {}
        self._threads: dict[str, bytes] = {}
        self._search_lines: list[str] | None = None  # search/index.json's lines, once rendered
        self._search_stale: set[str] = set()  # statements whose line is out of date
        self._timeline_lines: dict[str, str] = {}  # a statement's line in timeline.json
        self._warming: Iterator[Statement] | None = None
        if previous is None:
            self.env = self._environment(theme_dir)
        else:
            self._urls, self._cards, self._threads, self._search_lines = \
                previous._urls, previous._cards, previous._threads, previous._search_lines
            self._search_stale = previous._search_stale | set(stale)
            self._timeline_lines = previous._timeline_lines
            for key in stale:
                self._cards.pop(key, None)
                self._threads.pop(key, None)
                self._timeline_lines.pop(key, None)
            self.env = previous.env
            self._configure(self.env)
        self._card_template = self.env.get_template("_card.html")
        self._thread_template = self.env.get_template("_thread.html")

    def render(self, page: Page) -> OutputFile:
        """One page → one file."""
        builder = DATA_BUILDERS.get(page.template)
        if builder is not None:
            return OutputFile(page.path, builder(self, page))
        text = self.env.get_template(page.template).render(page.context)
        if page.path.endswith(".xml"):
            text = _XML_INVALID.sub("", text)
        return OutputFile(page.path, text.encode("utf-8"))

    def _environment(self, theme_dir: Path) -> Environment:
        env = _Environment(
            loader=FileSystemLoader(_theme_dirs(theme_dir)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self._configure(env)
        return env

    def _configure(self, env: Environment) -> None:
        """Point the environment's filters and globals at this renderer and its site."""
        env.filters.update(
            date_label=date_label, datetime_attr=datetime_attr, phrase=phrase_label, safe_url=safe_url,
            kind_label=lambda kind: KIND_LABELS[Kind(kind)], status_label=lambda s: STATUS_LABELS[Status(s)],
            excerpt=excerpt, atom_date=lambda date: atom_date(date, self.timezone),
        )
        env.tests["showing_status"] = showing_status
        site = self.site
        env.globals.update(
            config=self.config, site=site, statements=site.statements, articles=site.articles,
            speakers=site.speakers, timelines=site.timelines, tags=site.tags, latest_count=self.config.latest_count,
            route=route, url=self.url, abs_url=self.abs_url, asset=self.asset, card=self.card, thread=self.thread,
            speaker_of=self.index.speaker_of, parents_of=self.parents_of, answers_of=self.answers_of,
            body_of=self.body_of, statement_html=statement_html, claim_jsonld=self.claim_jsonld,
            kinds=[(kind.value, KIND_LABELS[kind]) for kind in Kind],
            nav=[(name, label, self.url(name), route(name)) for name, label in NAV],
            urls={name: self.url(name) for name, pattern in ROUTES.items() if "{}" not in pattern},
            assets={f.path.removeprefix(ASSETS_DIR + "/"): self.config.url(f.path) for f in self.assets},
            when=_memoized(when), time_tag=_memoized(time_tag), mark_current=mark_current,
        )

    # helpers the templates call

    def url(self, name: str, slug: str | None = None) -> str:
        """Site-relative URL of a route, with the base path: '/factcheck/statements/x/'."""
        url = self._urls.get((name, slug))
        if url is None:
            url = self._urls[(name, slug)] = self.config.url(route(name, slug))
        return url

    def abs_url(self, name: str, slug: str | None = None) -> str:
        """Absolute URL of a route, for feeds, sitemaps, JSON and canonical links."""
        return self.config.absolute_url(route(name, slug))

    def asset(self, name: str) -> str:
        """URL of a theme asset; a template naming a missing asset is an error, not a broken link."""
        path = f"{ASSETS_DIR}/{name}"
        if path not in self._asset_paths:
            raise TemplateRuntimeError(f"the theme has no {path}")
        return self.config.url(path)

    def parents_of(self, statement: Statement) -> list[Statement]:
        """The statements this one answers."""
        return [self.site.statements[i] for i in statement.answers if i in self.site.statements]

    def answers_of(self, statement: Statement) -> list[Statement]:
        """The statements answering this one, in timeline order."""
        return [self.site.statements[i] for i in statement.answered_by if i in self.site.statements]

    def body_of(self, article: Article) -> list[tuple[str, Any]]:
        """The article body as ("html", Markup) and ("statement", Statement) parts."""
        parts: list[tuple[str, Any]] = []
        for part in article.body:
            if isinstance(part, str):
                if part.strip():
                    parts.append(("html", Markup(part)))
            elif part[1] in self.site.statements:
                parts.append(("statement", self.site.statements[part[1]]))
        return parts

    def card(self, statement: Statement) -> Markup:
        """The statement's card (`_card.html`), rendered once per build."""
        cached = self._cards.get(statement.id)
        if cached is not None:
            return Markup(cached.decode())
        html = self._card_template.render(
            s=statement, speaker=self.index.speaker_of(statement), parents=self.parents_of(statement),
            article=self.site.articles.get(statement.article), text_html=statement_html(statement),
        )
        self._cards[statement.id] = html.encode()
        return Markup(html)

    def thread(self, statement: Statement, depth: int = 0) -> Markup:
        """The answers under a statement, nested (`_thread.html`), rendered once per build."""
        if not statement.answered_by or depth >= MAX_THREAD_DEPTH:
            return Markup("")
        cached = self._threads.get(statement.id) if depth == 0 else None
        if cached is not None:
            return Markup(cached.decode())
        items = [(answer, self.card(answer), self.thread(answer, depth + 1)) for answer in self.answers_of(statement)]
        html = self._thread_template.render(parent=statement, items=items)
        if depth == 0:  # a nested thread stops sooner (MAX_THREAD_DEPTH counts from the top): not the same HTML
            self._threads[statement.id] = html.encode()
        return Markup(html)

    def claim_jsonld(self, statement: Statement) -> Markup:
        """schema.org JSON-LD of a statement (a Claim) and its answers, safe inside <script>."""
        data = {"@context": "https://schema.org", **self._claim(statement)}
        if statement.answered_by:
            data["comment"] = [{**self._claim(answer), "@type": "Comment"} for answer in self.answers_of(statement)]
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if any(char in text for char in "<>&\u2028\u2029"):  # translate() is slow, and rarely needed
            text = text.translate(_SCRIPT_JSON)
        return Markup(text)

    def _claim(self, statement: Statement) -> dict[str, Any]:
        """A statement as a schema.org Claim; not cached: made 1.4 times a build on average; 50,000 kept took 90 MB."""
        speaker = self.index.speaker_of(statement)
        url = self.abs_url("statement", statement.id)
        author: dict[str, Any] = {
            "@type": "Organization" if speaker.kind in ("organization", "outlet") else "Person", "name": speaker.name}
        if speaker.slug:
            author["url"] = self.abs_url("speaker", speaker.slug)
        if statement.role and author["@type"] == "Person":
            author["jobTitle"] = statement.role
        article = self.site.articles[statement.article]
        appearance = [{"@type": "CreativeWork", "url": self.abs_url("article", article.slug),
                       "headline": article.title, "datePublished": datetime_attr(article.date)}]
        source = safe_url(statement.source)
        if source:
            first = {"@type": "CreativeWork", "url": source}
            if statement.via:
                first["publisher"] = {"@type": "Organization", "name": statement.via}
            appearance.append(first)
        claim = {"@type": "Claim", "@id": url, "url": url, "genre": statement.kind.value, "text": statement.text,
                 "author": author, "datePublished": datetime_attr(statement.said), "appearance": appearance}
        parents = self.parents_of(statement)
        if parents:
            claim["about"] = [{"@type": "Claim", "@id": self.abs_url("statement", p.id)} for p in parents]
        return claim

    # data files

    def timeline_json(self, page: Page) -> bytes:
        """timelines/<slug>/timeline.json, version 1, exactly as DESIGN.md shows it."""
        timeline = page.context["timeline"]
        data = {
            "version": 1,
            "timeline": {"slug": timeline.slug, "title": timeline.title,
                         "url": self.abs_url("timeline", timeline.slug)},
            "statements": [],
        }
        # one statement a line: readable, diffable, and written by json's C encoder (indent= is pure Python)
        head = json.dumps(data, ensure_ascii=False)[: -len("[]}")]
        lines = ",\n".join(self._timeline_line(i) for i in timeline.statements)
        return f"{head}[\n{lines}\n]}}\n".encode() if lines else f"{head}[]}}\n".encode()

    def _timeline_line(self, statement_id: str) -> str:
        line = self._timeline_lines.get(statement_id)
        if line is None:
            line = self._timeline_lines[statement_id] = json.dumps(
                self._statement_data(self.site.statements[statement_id]), ensure_ascii=False)
        return line

    def warm(self, seconds: float) -> bool:
        """Render cards, threads and timeline.json lines not yet cached, for about `seconds`.

        True once every statement's are: the preview calls it while idle, so that the
        next edit renders only what changed.
        """
        if self._warming is None:
            self._warming = iter(tuple(self.site.statements.values()))
        deadline = time.perf_counter() + seconds
        for statement in self._warming:
            if statement.id not in self._cards:
                self.card(statement)
            if statement.answered_by and statement.id not in self._threads:
                self.thread(statement)
            self._timeline_line(statement.id)
            if time.perf_counter() > deadline:
                return False
        return True

    def _statement_data(self, s: Statement) -> dict[str, Any]:
        speaker = self.index.speaker_of(s)
        article = self.site.articles[s.article]
        return {
            "id": s.id, "kind": s.kind.value, "status": s.status.value,
            "speaker": {"slug": speaker.slug, "name": speaker.name, "role": s.role},
            "said": _date_data(s.said), "about": _date_data(s.about) if s.about else None,
            "quote": s.quote, "text": s.text, "html": s.html,
            "answers": list(s.answers), "answered_by": list(s.answered_by),
            "via": s.via, "source": safe_url(s.source),
            "article": {"slug": article.slug, "title": article.title, "url": self.abs_url("article", article.slug)},
            "url": self.abs_url("statement", s.id),
        }

    def search_json(self, page: Page) -> bytes:
        """search/index.json: one line per statement, newest first, for the client-side search."""
        statements = self.site.statements
        lines = self._search_lines
        if lines is None:
            lines = self._search_lines = [self._search_line(s) for s in reversed(statements.values())]
        else:  # taken over from the last build: the same statements in the same order, a few edited
            last = len(lines) - 1
            for statement_id in self._search_stale:
                lines[last - self.index.position[statement_id]] = self._search_line(statements[statement_id])
        self._search_stale = set()
        return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")

    def _search_line(self, s: Statement) -> str:
        return json.dumps({"id": s.id, "speaker": self.index.speaker_of(s).name, "kind": KIND_LABELS[s.kind],
                           "date": date_label(s.said), "text": s.text, "url": self.url("statement", s.id)},
                          ensure_ascii=False)


DATA_BUILDERS: dict[str, Callable[[Renderer, Page], bytes]] = {
    "json:timeline": Renderer.timeline_json,
    "json:search": Renderer.search_json,
}


def _memoized(function: Callable[[FuzzyDate], Markup]) -> Callable[[FuzzyDate], Markup]:
    """`function` with a cache for this render: many statements share a date."""
    cache: dict[FuzzyDate, Markup] = {}

    def cached(date: FuzzyDate) -> Markup:
        html = cache.get(date)
        if html is None:
            html = cache[date] = function(date)
        return html

    return cached


def _date_data(date: FuzzyDate) -> dict[str, Any]:
    return {"date": date.iso(), "precision": date.precision.value, "phrase": date.phrase,
            "approximate": date.approximate}


def statement_html(statement: Statement) -> Markup:
    """The statement's (already safe) HTML; a quotation is always inside <blockquote>."""
    html = statement.html.strip()
    if statement.quote and not html.startswith("<blockquote"):
        html = f"<blockquote>{html}</blockquote>"
    return Markup(html)


def mark_current(html: str, statement_id: str) -> Markup:
    """`html` (a thread) with the item `data-statement="<id>"` marked aria-current: cached threads stay shared."""
    marker = f' data-statement="{escape(statement_id)}"'
    return Markup(str(html).replace(marker, marker + ' aria-current="true"'))


def showing_status(statement: Statement) -> bool:
    """Whether a statement carries a status badge: when answered, and claims always (even 'unanswered')."""
    return statement.status is not Status.UNANSWERED or statement.kind is Kind.CLAIM


def excerpt(text: str, length: int = 140) -> str:
    """`text` cut at a word boundary to at most `length` characters, with '…' if cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] or text[: length - 1]
    return cut.rstrip(",.;:—– ") + "…"


def theme_files(theme_dir: Path) -> tuple[tuple[str, str], ...]:
    """Every file of the theme (the site's and the default one) with a hash of its bytes."""
    return tuple(
        (str(path), hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
        for folder in _theme_dirs(theme_dir) for path in sorted(folder.rglob("*")) if path.is_file()
    )


def _theme_dirs(theme_dir: Path) -> list[Path]:
    """The site's theme, then the default theme for whatever it does not override."""
    dirs = [theme_dir] if theme_dir.is_dir() else []
    if DEFAULT_THEME.is_dir() and not any(d.resolve() == DEFAULT_THEME for d in dirs):
        dirs.append(DEFAULT_THEME)
    return dirs


def _theme_assets(theme_dir: Path) -> list[OutputFile]:
    """assets/** of the theme (and of the default theme, where the site's has no such file), byte for byte."""
    found: dict[str, Path] = {}
    for folder in reversed(_theme_dirs(theme_dir)):
        root = folder / ASSETS_DIR
        if root.is_dir():
            for path in root.rglob("*"):
                relative = path.relative_to(root)
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    found[f"{ASSETS_DIR}/{relative.as_posix()}"] = path
    return [OutputFile(name, found[name].read_bytes()) for name in sorted(found)]
