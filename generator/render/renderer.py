"""Pages → files through one Jinja environment, with each statement's card and thread rendered once.

A statement's card and the thread of answers under it are rendered once per build and
reused by every page that shows them, which keeps a build linear in the number of statements.
Nothing here writes to disk; `write.py` does.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..model import Article, Kind, OutputFile, Site, Statement, Status, Verdict
from .data import DATA_BUILDERS, DataExports
from .errors import TEMPLATE_SUFFIXES, render_failure
from .filters import (
    KIND_LABELS,
    MONTHS,
    STATUS_LABELS,
    atom_date,
    date_label,
    datetime_attr,
    excerpt,
    mark_current,
    memoized,
    phrase_label,
    showing_status,
    statement_html,
    time_tag,
    when,
)
from .index import LIST_THREAD, MAX_THREAD_DEPTH, SiteIndex
from .pages import Page
from .routes import NAV, ROUTES, route, safe_url
from .theme import ASSETS_DIR, DEFAULT_THEME, theme_assets, theme_dirs

CARD_PARENTS = 5  # a card names at most this many of the statements it answers; its page names them all
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _SharedGlobals:
    """Templates share the environment's globals as one plain dict.

    Jinja's default, a ChainMap per template, is copied key by key into every new render
    context; with this theme's helpers that was a third of the time of rendering a card.
    """

    globals: dict[str, Any]

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **d} if d else self.globals


class _Environment(_SharedGlobals, Environment):
    """For the default theme alone, which ships in the package: trusted code."""


class _Sandbox(_SharedGlobals, ImmutableSandboxedEnvironment):
    """For a site with templates of its own: a site folder is something people clone and review,
    so its templates must not reach Python's internals (`cycler.__init__.__globals__.os` ran a
    shell command in a build). The sandbox refuses underscore attributes and calls it cannot
    vouch for, and changing the model's lists and dicts. It costs: rendering took ~1.5-2x as
    long in a measured 1,000-article build, so the default theme, which is ours, runs without it.
    """


def theme_environment(theme_dir: Path) -> Environment:
    """The Jinja environment of a theme, with the filters and tests that depend on no site.

    Sandboxed when the site has templates of its own (see `_Sandbox`).
    """
    dirs = theme_dirs(theme_dir)
    untrusted = any(_is_template(path) for folder in dirs if folder != DEFAULT_THEME for path in folder.rglob("*"))
    env = (_Sandbox if untrusted else _Environment)(
        loader=FileSystemLoader(dirs),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        date_label=date_label, datetime_attr=datetime_attr, phrase=phrase_label, safe_url=safe_url,
        kind_label=lambda kind: KIND_LABELS[Kind(kind)], status_label=lambda s: STATUS_LABELS[Status(s)],
        excerpt=excerpt, atom_date=lambda date: atom_date(date, dt.UTC),
    )
    env.tests["showing_status"] = showing_status
    return env


class Renderer(DataExports):
    """One Jinja environment for one site; renders Pages, caching cards and threads."""

    def __init__(self, site: Site, theme_dir: Path, *, previous: Renderer | None = None,
                 stale: Iterable[str] = (), replaced: set[str] = frozenset()) -> None:
        """A renderer for `site`; with `previous` (the same theme, an earlier version of the site in
        which only the statements `replaced` were parsed anew, and only the cards of `stale` can differ,
        no link changed), its templates, index and every card and thread not stale are
        taken over: `previous` must not render again."""
        self.site = site
        self.config = site.config
        self.index = SiteIndex(site, previous.index if previous is not None else None, replaced)
        self.timezone = ZoneInfo(self.config.timezone)
        self.assets = theme_assets(theme_dir)
        self._asset_paths = {f.path for f in self.assets}
        self._urls: dict[tuple[str, str | None], str] = {}
        # rendered once per build, kept as UTF-8: the HTML is non-ASCII, so as str it takes 2 bytes a character
        self._cards: dict[str, bytes] = {}
        self._threads: dict[str, bytes] = {}
        self._timeline_lines: dict[str, str] = {}  # a statement's line in timeline.json
        self._warming: Iterator[Statement] | None = None
        if previous is None:
            self.env = self._environment(theme_dir)
        else:
            self._urls, self._cards, self._threads = previous._urls, previous._cards, previous._threads
            self._timeline_lines = previous._timeline_lines
            for key in stale:
                self._cards.pop(key, None)
                self._threads.pop(key, None)
                self._threads.pop(key + "\x00whole", None)
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
        try:
            text = self.env.get_template(page.template).render(page.context)
        except TemplateError as exc:
            raise render_failure(exc, page.path, page.context) from None
        if page.path.endswith(".xml"):
            text = _XML_INVALID.sub("", text)
        return OutputFile(page.path, text.encode("utf-8"))

    def _environment(self, theme_dir: Path) -> Environment:
        env = theme_environment(theme_dir)
        self._configure(env)
        return env

    def _configure(self, env: Environment) -> None:
        """Point the environment's filters and globals at this renderer and its site."""
        env.filters["atom_date"] = lambda date: atom_date(date, self.timezone)
        site = self.site
        env.globals.update(
            config=self.config, site=site, statements=site.statements, articles=site.articles,
            speakers=site.speakers, timelines=site.timelines, tags=site.tags, latest_count=self.config.latest_count,
            route=route, url=self.url, abs_url=self.abs_url, asset=self.asset, card=self.card, thread=self.thread,
            speaker_of=self.index.speaker_of, parents_of=self.parents_of, answers_of=self.answers_of,
            body_of=self.body_of, statement_html=statement_html, claim_jsonld=self.claim_jsonld,
            verdict_of=self.verdict_of, claim_review_jsonld=self.claim_review_jsonld,
            timeline_jsonld=self.timeline_jsonld, article_jsonld=self.article_jsonld, site_jsonld=self.site_jsonld,
            kinds=[(kind.value, KIND_LABELS[kind]) for kind in Kind],
            statuses=[(status.value, STATUS_LABELS[status]) for status in Status],
            nav=[(name, label, self.url(name), route(name)) for name, label in NAV],
            urls={name: self.url(name) for name, pattern in ROUTES.items() if "{}" not in pattern},
            assets={f.path.removeprefix(ASSETS_DIR + "/"): self.config.url(f.path) for f in self.assets},
            month_names=MONTHS, when=memoized(when), time_tag=memoized(time_tag), mark_current=mark_current,
        )

    # helpers the templates call

    def url(self, name: str, slug: str | None = None, page: int = 1) -> str:
        """Site-relative URL of a route, with the base path: '/factcheck/statements/x/'."""
        if page != 1:
            return self.config.url(route(name, slug, page))
        url = self._urls.get((name, slug))
        if url is None:
            url = self._urls[(name, slug)] = self.config.url(route(name, slug))
        return url

    def abs_url(self, name: str, slug: str | None = None, page: int = 1) -> str:
        """Absolute URL of a route, for feeds, sitemaps, JSON and canonical links."""
        return self.config.absolute_url(route(name, slug, page))

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

    def verdict_of(self, statement: Statement) -> Verdict | None:
        """The site's own verdict on a statement, from the scale in site.toml; None when it has none."""
        return self.config.verdict(statement.verdict) if statement.verdict else None

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
        parents = self.parents_of(statement)
        html = self._card_template.render(
            s=statement, speaker=self.index.speaker_of(statement), parents=parents[:CARD_PARENTS],
            more_parents=max(0, len(parents) - CARD_PARENTS),
            article=self.site.articles.get(statement.article), text_html=statement_html(statement),
        )
        self._cards[statement.id] = html.encode()
        return Markup(html)

    def thread(self, statement: Statement, whole: bool = False) -> Markup:
        """The answers under a statement, nested (`_thread.html`), rendered once per build.

        Lists show at most LIST_THREAD of them, with a link to the statement's page when
        there are more; `whole` shows all (a statement page does, for threads of at most
        WHOLE_THREAD statements).
        """
        if not statement.answered_by:
            return Markup("")
        key = statement.id + "\x00whole" if whole else statement.id
        cached = self._threads.get(key)
        if cached is not None:
            return Markup(cached.decode())
        if whole:
            html = self._nested(statement, None, 0, False)
        else:
            head = self.index.thread_head(statement.id)
            html = self._nested(statement, set(head[: LIST_THREAD + 1]), 0, len(head) > LIST_THREAD + 1)
        self._threads[key] = html.encode()
        return Markup(html)

    def _nested(self, statement: Statement, shown: set[str] | None, depth: int, more: bool) -> str:
        """The thread under `statement`, of the statements `shown` (all when None)."""
        if depth >= MAX_THREAD_DEPTH:
            return ""
        answers = [a for a in self.answers_of(statement) if shown is None or a.id in shown]
        if not answers:
            return ""
        items = [(answer, self.card(answer), Markup(self._nested(answer, shown, depth + 1, False)))
                 for answer in answers]
        return self._thread_template.render(parent=statement, items=items, more=more)

    # data files

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


def _is_template(path: Path) -> bool:
    return path.suffix in TEMPLATE_SUFFIXES and path.is_file()
