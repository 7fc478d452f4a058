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

from ..config import DEFAULT_VERDICTS
from ..i18n import Language
from ..i18n.labels import ANSWERED_LABELS, KIND_LABELS, KIND_NOUNS, STATUS_LABELS, THREAD_LABELS
from ..model import Article, Kind, OutputFile, Site, Statement, Status, Verdict, frozen_mapping
from .contexts import SiteContext
from .data import DATA_BUILDERS, DataExports
from .editions import Edition, editions
from .errors import TEMPLATE_SUFFIXES, render_failure
from .filters import (
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

_SITE_ROUTES = ("sitemap", "robots", "not_found")  # one for the whole site, at its root, in every language
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


def theme_environment(theme_dir: Path, language: Language | None = None) -> Environment:
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
        extensions=["jinja2.ext.i18n"],
    )
    _install_language(env, language or Language("en"), dt.UTC)
    env.tests["showing_status"] = showing_status
    return env


def _install_language(env: Environment, language: Language, timezone: dt.tzinfo) -> None:
    """The language's gettext and the filters that print words and dates in it."""
    _ = language.gettext
    # not Jinja's "newstyle" gettext: it wraps each call in two more context calls; Language.markup
    # formats and escapes as newstyle would
    env.install_gettext_callables(language.markup, language.markup_plural, newstyle=False)  # type: ignore[attr-defined]
    env.globals["_"] = language.markup  # rather than the extension's alias, which looks up 'gettext' each call
    env.filters.update(
        date_label=lambda date: date_label(date, language), datetime_attr=datetime_attr,
        phrase=lambda date: phrase_label(date, language), safe_url=safe_url,
        kind_label=lambda kind: _(KIND_LABELS[Kind(kind)]), kind_noun=lambda kind: _(KIND_NOUNS[Kind(kind)]),
        status_label=lambda s: _(STATUS_LABELS[Status(s)]),
        thread_label=lambda kind: _(THREAD_LABELS[Kind(kind)]),
        excerpt=excerpt, atom_date=lambda date: atom_date(date, timezone),
    )


class Renderer(DataExports):
    """One Jinja environment for one site; renders Pages, caching cards and threads."""

    def __init__(self, site: Site, theme_dir: Path, *, previous: Renderer | None = None,
                 stale: Iterable[str] = (), replaced: set[str] = frozenset(), edition: Edition | None = None) -> None:
        """A renderer for `site`; with `previous` (the same theme, an earlier version of the site in
        which only the statements `replaced` were parsed anew, and only the cards of `stale` can differ,
        no link changed), its templates, index and every card and thread not stale are
        taken over: they move, and `previous` is left with empty caches (rendering with it again
        renders anew, never a stale card). With `edition`, `site` is that edition's."""
        self.site = site
        self.theme_dir = theme_dir
        self.edition = edition
        self.prefix = edition.prefix if edition is not None else ""
        self._editions: dict[str, Renderer] = {}  # a multilingual site's: one renderer per language
        self.config = site.config
        self.index = SiteIndex(site, previous.index if previous is not None else None, replaced)
        self.timezone = ZoneInfo(self.config.timezone)
        self.language = previous.language if previous is not None else \
            Language(self.config.language, dict(self.config.strings))
        self.verdicts = {v.name: _shown_verdict(v, self.language) for v in self.config.verdicts}
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
            previous._urls, previous._cards, previous._threads, previous._timeline_lines = {}, {}, {}, {}
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
        code = page.context.edition
        if code is not None and self.edition is None:
            return self._in_edition(code).render(page)
        builder = DATA_BUILDERS.get(page.template)
        if builder is not None:
            return OutputFile(page.path, builder(self, page))
        try:
            text = self.env.get_template(page.template).render(page.context.variables())
        except TemplateError as exc:
            raise render_failure(exc, page.path, page.context) from None
        if page.path.endswith(".xml"):
            text = _XML_INVALID.sub("", text)
        return OutputFile(page.path, text.encode("utf-8"))

    def _in_edition(self, code: str) -> Renderer:
        """The renderer of one edition of a multilingual site, made when its first page is rendered."""
        if not self._editions:
            self._editions = {e.code: Renderer(e.site, self.theme_dir, edition=e) for e in editions(self.site)}
        return self._editions[code]

    def _environment(self, theme_dir: Path) -> Environment:
        env = theme_environment(theme_dir)
        self._configure(env)
        return env

    def _configure(self, env: Environment) -> None:
        """Point the environment's filters and globals at this renderer and its site."""
        language = self.language
        _ = language.gettext
        _install_language(env, language, self.timezone)
        config = self.config
        # the globals are `site` and helpers; what a page shows comes in its own context (contexts.py)
        env.globals.update(
            site=SiteContext(
                title=config.title, description=config.description, language=config.language,
                direction=language.direction, base_url=config.base_url,
                nav=tuple((name, _(label), self.url(name), self.prefix + route(name)) for name, label in NAV),
                urls=frozen_mapping({name: self.url(name) for name, pattern in ROUTES.items() if "{}" not in pattern}),
                assets=frozen_mapping({f.path.removeprefix(ASSETS_DIR + "/"): config.url(f.path) for f in self.assets}),
                kinds=tuple((kind.value, _(KIND_LABELS[kind])) for kind in Kind),
                statuses=tuple((status.value, _(STATUS_LABELS[status])) for status in Status),
                verdicts=tuple(self.verdicts.values()),
                month_names=tuple(language.dates.months["stand-alone"]["abbreviated"][m] for m in range(1, 13)),
                url=config.url, absolute_url=config.absolute_url,
            ),
            route=route, url=self.url, abs_url=self.abs_url, asset=self.asset, card=self.card, thread=self.thread,
            speaker_of=self.index.speaker_of, article_of=self.article_of, parents_of=self.parents_of,
            answers_of=self.answers_of, body_of=self.body_of,
            statement_html=lambda s: statement_html(s, language, self.article_lang(s)), lang_marks=language.marks,
            claim_jsonld=self.claim_jsonld, verdict_of=self.verdict_of, claim_review_jsonld=self.claim_review_jsonld,
            timeline_jsonld=self.timeline_jsonld, article_jsonld=self.article_jsonld, site_jsonld=self.site_jsonld,
            when=memoized(lambda date: when(date, language)), time_tag=memoized(lambda date: time_tag(date, language)),
            mark_current=mark_current, answered_label=self.answered_label, plural_strings=self.plural_strings,
        )

    def answered_label(self, statement: Statement) -> str:
        """"Dmitry Peskov’s denial of 11 Nov 2024": an answered statement, as its answers name it."""
        return self.language.gettext(ANSWERED_LABELS[statement.kind]) % {
            "speaker": self.index.speaker_of(statement).name, "date": date_label(statement.said, self.language)}

    def plural_strings(self, singular: str, plural: str, **variables: Any) -> dict[str, str]:
        """A message's form for each CLDR plural category of the language, for the theme's script to choose
        with Intl.PluralRules; the count stays the placeholder '{count}'."""
        forms = {}
        for category, n in self.language.plural_samples().items():
            forms[category] = self.language.ngettext(singular, plural, n) % {"num": "{count}", **variables}
        return forms

    # helpers the templates call

    def url(self, name: str, slug: str | None = None, page: int = 1) -> str:
        """Site-relative URL of a route, with the base path: '/factcheck/statements/x/'."""
        if page != 1:
            return self.config.url(self._prefix(name, slug) + route(name, slug, page))
        url = self._urls.get((name, slug))
        if url is None:
            url = self._urls[(name, slug)] = self.config.url(self._prefix(name, slug) + route(name, slug))
        return url

    def abs_url(self, name: str, slug: str | None = None, page: int = 1) -> str:
        """Absolute URL of a route, for feeds, sitemaps, JSON and canonical links."""
        return self.config.absolute_url(self._prefix(name, slug) + route(name, slug, page))

    def _prefix(self, name: str, slug: str | None) -> str:
        """Where a route lives in a multilingual site: an article or statement in its own language's
        edition (a guest in a thread links home), anything else in this renderer's."""
        edition = self.edition
        if edition is None or name in _SITE_ROUTES:
            return ""
        if name == "article" and slug is not None:
            return edition.homes.get(slug, self.prefix)
        if name == "statement" and slug in self.site.statements:
            return edition.homes.get(self.site.statements[slug].article, self.prefix)
        return self.prefix

    def asset(self, name: str) -> str:
        """URL of a theme asset; a template naming a missing asset is an error, not a broken link."""
        path = f"{ASSETS_DIR}/{name}"
        if path not in self._asset_paths:
            raise TemplateRuntimeError(f"the theme has no {path}")
        return self.config.url(path)

    def article_of(self, statement: Statement) -> Article | None:
        """The article a statement was reported in (None for one the site does not publish)."""
        return self.site.articles.get(statement.article)

    def parents_of(self, statement: Statement) -> list[Statement]:
        """The statements this one answers."""
        return [self.site.statements[i] for i in statement.answers if i in self.site.statements]

    def answers_of(self, statement: Statement) -> list[Statement]:
        """The statements answering this one, in timeline order."""
        return [self.site.statements[i] for i in statement.answered_by if i in self.site.statements]

    def verdict_of(self, statement: Statement) -> Verdict | None:
        """The site's own verdict on a statement, from the scale in site.toml, with its label as shown;
        None when it has none (parsing has checked that the scale has it)."""
        return self.verdicts[statement.verdict] if statement.verdict else None

    def article_lang(self, statement: Statement) -> str | None:
        """The language of the statement's article, when its front-matter gives one."""
        article = self.article_of(statement)
        return article.lang if article is not None else None

    def body_of(self, article: Article) -> list[tuple[str, Any]]:
        """The article body as ("html", Markup) and ("statement", Statement) parts; prose in another language
        than the page's (an English article on a French site) is marked with its own."""
        parts: list[tuple[str, Any]] = []
        marks = self.language.marks(article.lang)
        for part in article.body:
            if isinstance(part, str):
                if part.strip():
                    parts.append(("html", Markup(f"<div{marks}>{part}</div>" if marks else part)))
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
            article=self.article_of(statement),
            text_html=statement_html(statement, self.language, self.article_lang(statement)),
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
            # a multilingual site's cards are its editions' (a full build renders them all again anyway)
            multilingual = self.edition is None and bool(self.config.languages)
            self._warming = iter(() if multilingual else tuple(self.site.statements.values()))
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


def _shown_verdict(verdict: Verdict, language: Language) -> Verdict:
    """A verdict as the site shows it: the default scale's own words are theme messages, in the site's
    language; a label the site chose itself is shown as written."""
    if verdict not in DEFAULT_VERDICTS:
        return verdict
    return Verdict(verdict.name, language.gettext(verdict.label), verdict.value)
