"""A multilingual site (site.toml `languages`) as one edition per language, each a Site of its own.

Each edition holds the articles in its language (an article's `lang`; the site's `language`
when it has none or names a language the site does not publish) and lists them under its
prefix: '' for the site's language, 'fr/' for French. Its statements are those of its
articles plus every statement joined to them by answers, in any language ("guests"): a
Russian denial of an English claim shows in both threads. A guest is shown, never
published again: its card links to its page in its own edition, so every article and
statement has one URL. Timelines, speakers and tags list what the edition's own articles say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from babel import Locale

from ..i18n import parse_locale
from ..link import answer_component
from ..model import Article, Site, Tag, Timeline, frozen_mapping
from .contexts import ArticleContext
from .index import SiteIndex
from .pages import Page, Pages
from .pages import list_pages as pages_of_one_language


@dataclass(frozen=True)
class Edition:
    """One language of a multilingual site: its code, its folder and the Site it renders."""

    code: str  # as site.toml writes it: 'fr', 'pt-BR'
    prefix: str  # '' for the site's own language, else the code in lowercase and a slash: 'pt-br/'
    site: Site  # its articles and their statements, the guests their threads reach, its timelines…
    articles: frozenset[str]  # the slugs of the articles it publishes
    own: frozenset[str]  # the ids of the statements it publishes (the rest are guests)
    homes: Mapping[str, str]  # every article's slug → the prefix of the edition publishing it

    @property
    def name(self) -> str:
        """The language's name in itself, as a language switch shows it: 'français', 'русский'."""
        return language_name(self.code)


def language_name(code: str) -> str:
    """A language's own name for itself, from CLDR."""
    locale = parse_locale(code)
    return locale.get_display_name(locale) or code


def edition_of(site_language: str, languages: tuple[str, ...], lang: str | None) -> str:
    """The edition an article in `lang` belongs to: the site language it names (exactly, else by its
    language subtag: 'fr-CA' → 'fr'), or the site's own language."""
    if lang is None:
        return site_language
    codes = (site_language, *languages)
    for code in codes:
        if code.lower() == lang.lower():
            return code
    wanted = Locale.parse(lang, sep="-").language
    for code in codes:
        if parse_locale(code).language == wanted:
            return code
    return site_language


def editions(site: Site) -> list[Edition]:
    """The site's editions, its own language first; empty for a site in one language."""
    config = site.config
    if not config.languages:
        return []
    codes = (config.language, *config.languages)
    prefixes = {code: "" if code == config.language else code.lower() + "/" for code in codes}
    home_of = {slug: edition_of(config.language, config.languages, a.lang) for slug, a in site.articles.items()}
    homes = MappingProxyType({slug: prefixes[code] for slug, code in home_of.items()})
    return [_edition(site, code, prefixes[code], homes, home_of, first=code == config.language) for code in codes]


def _edition(site: Site, code: str, prefix: str, homes: Mapping[str, str], home_of: Mapping[str, str],
             first: bool) -> Edition:
    own_articles = {slug for slug, edition in home_of.items() if edition == code}
    own = frozenset(s.id for slug in own_articles for s in site.articles[slug].statements)
    shown = answer_component(site, own)
    statements = {i: s for i, s in site.statements.items() if i in shown}
    guests_from = {s.article for s in statements.values()}
    articles: dict[str, Article] = {slug: a for slug, a in site.articles.items()
                                    if slug in own_articles or slug in guests_from}
    speakers_in = {s.speaker for s in statements.values()}
    all_speakers = {s.speaker for s in site.statements.values()}
    # the first edition also keeps what no article names, as a site in one language would
    speakers = {slug: sp for slug, sp in site.speakers.items()
                if slug in speakers_in or (first and slug not in all_speakers)}
    timelines: dict[str, Timeline] = {}
    for slug, timeline in site.timelines.items():
        members = tuple(i for i in timeline.statements if i in own)
        if members or (first and not timeline.statements):
            timelines[slug] = replace(timeline, statements=members, title=title_in(timeline, code))
    tags: dict[str, Tag] = {}
    for slug, tag in site.tags.items():
        members_of = tuple(a for a in tag.articles if a in own_articles)
        if members_of:
            tags[slug] = replace(tag, articles=members_of)
    config = replace(site.config, language=code, languages=())
    edition_site = Site(config=config, articles=MappingProxyType(articles), statements=MappingProxyType(statements),
                        speakers=MappingProxyType(speakers), timelines=MappingProxyType(timelines),
                        tags=MappingProxyType(tags))
    return Edition(code, prefix, edition_site, frozenset(own_articles), own, homes)


def title_in(timeline: Timeline, code: str) -> str:
    """A timeline's title in an edition's language: the one its 'titles' give for that code, else for its
    language ('fr' for 'fr-CA'), else its title."""
    if not timeline.titles:
        return timeline.title
    titles = {lang.lower(): text for lang, text in timeline.titles}
    return titles.get(code.lower()) or titles.get(parse_locale(code).language) or timeline.title


def list_pages(site: Site, index: SiteIndex, *, keys: bool = True) -> list[Page]:
    """Every page of the site, in a stable order; pure. A multilingual site's are its editions' pages,
    each page with its `edition` and its `translations`; one sitemap lists them all."""
    found = editions(site)
    if not found:
        return pages_of_one_language(site, index, keys=keys)
    pages: list[Page] = []
    for edition in found:
        listed = _edition_pages(edition, first=edition is found[0], keys=keys)
        pages += [_in_edition(page, edition, keys) for page in listed]
    pages = _with_translations(pages, site, found)
    whole = Pages(site, index, keys=keys)
    sitemap = whole.sitemap(pages)
    alternates = {site.config.absolute_url(p.context.path): tuple((code, url) for code, url, _, _, _ in
                                                                    p.context.translations)
                  for p in pages if p.context.translations}
    pages.append(_with_context(sitemap, alternates=frozen_mapping(alternates)))
    pages.append(whole.robots())
    return pages


def _edition_pages(edition: Edition, *, first: bool, keys: bool) -> list[Page]:
    """What one edition publishes: the site's listing, with only its own articles and statements."""
    site = edition.site
    pages = Pages(site, SiteIndex(site), keys=keys, published=edition.articles)
    listed = [*pages.site_wide()]
    if first:
        listed.append(pages.not_found())
    for timeline in site.timelines.values():
        listed += pages.timeline(timeline)
    listed += [pages.article(a) for slug, a in site.articles.items() if slug in edition.articles]
    listed += [p for s in site.statements.values() if s.id in edition.own for p in pages.statement_pages(s)]
    listed += [p for speaker in site.speakers.values() for p in pages.speaker_pages(speaker)]
    listed += [p for tag in site.tags.values() for p in pages.tag_pages(tag)]
    listed.append(pages.feed())
    return listed


def _in_edition(page: Page, edition: Edition, keys: bool) -> Page:
    """`page` moved under its edition's prefix, marked with its edition. Every page of a multilingual site
    shows the whole site (its language switch, threads across editions), so any change renders it again."""
    path = edition.prefix + page.context.path
    return Page(edition.prefix + page.path, page.template,
                replace(page.context, path=path, edition=edition.code),
                page.key | {"site"} if keys else page.key)


def _with_context(page: Page, **more: object) -> Page:
    return Page(page.path, page.template, replace(page.context, **more), page.key)


def _with_translations(pages: list[Page], site: Site, found: list[Edition]) -> list[Page]:
    """Each HTML page with its versions in the other editions, as `translations`: (code, absolute URL, URL,
    the language's name, whether it is this page). An article's versions are the articles `translation_of`
    joins; a list's (home, a timeline, a speaker…) the same list in each edition; a statement has none."""
    order = {edition.code: position for position, edition in enumerate(found)}
    names = {edition.code: edition.name for edition in found}
    groups: dict[tuple[str, str], list[Page]] = {}
    keys: list[tuple[str, str] | None] = []
    prefixes = {edition.code: edition.prefix for edition in found}
    for page in pages:
        key = _version_key(page, prefixes[page.context.edition])
        keys.append(key)
        if key is not None:
            groups.setdefault(key, []).append(page)
    for key, group in groups.items():
        # one version per edition: two articles of one edition (an original in German, on a site without
        # German, and its English translation) would give a language two URLs; the original is kept
        chosen: dict[str, Page] = {}
        for page in sorted(group, key=lambda p: (isinstance(p.context, ArticleContext)
                                                 and p.context.article.translation_of is not None, p.path)):
            chosen.setdefault(page.context.edition, page)
        groups[key] = list(chosen.values())
    done = []
    for page, key in zip(pages, keys, strict=True):
        versions = groups.get(key, []) if key is not None else []
        if len(versions) < 2 or not any(v is page for v in versions):
            done.append(page)
            continue
        config = site.config
        translations = tuple(
            (v.context.edition, config.absolute_url(v.context.path), config.url(v.context.path),
             names[v.context.edition], v is page)
            for v in sorted(versions, key=lambda v: order[v.context.edition]))
        done.append(_with_context(page, translations=translations))
    return done


def _version_key(page: Page, prefix: str) -> tuple[str, str] | None:
    """What the versions of a page in other languages share; None for a page that has none."""
    if not page.path.endswith("index.html") or page.template in ("statement.html", "404.html"):
        return None
    if isinstance(page.context, ArticleContext):
        return ("article", page.context.article.translation_of or page.context.article.slug)
    return ("list", page.context.path.removeprefix(prefix))
