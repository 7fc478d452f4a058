"""Where each page lives: route names, URL paths and output files, and which URLs are safe to link."""

from __future__ import annotations

import re
from urllib.parse import quote

from ..i18n import N_
from ..vocab.urls import URL_SCHEMES

# the site's menu: route names and their labels (gettext msgids, translated where shown)
NAV = (("home", N_("Home")), ("timelines", N_("Timelines")), ("speakers", N_("Speakers")), ("search", N_("Search")))

# route name → URL path under the site root; "{}" is one slug, percent-encoded in URLs
ROUTES = {
    "home": "",
    "timelines": "timelines/",
    "timeline": "timelines/{}/",
    "timeline_json": "timelines/{}/timeline.json",
    "timeline_timelinejs": "timelines/{}/timelinejs.json",
    "timeline_feed": "timelines/{}/feed.xml",
    "article": "articles/{}/",
    "statement": "statements/{}/",
    "speakers": "speakers/",
    "speaker": "speakers/{}/",
    "tags": "tags/",
    "tag": "tags/{}/",
    "search": "search/",
    "feed": "feed.xml",
    "sitemap": "sitemap.xml",
    "robots": "robots.txt",
    "not_found": "404.html",
}
_BAD_SEGMENT = re.compile(r"[/\\\x00-\x1f\x7f]")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")  # browsers drop these before reading a scheme
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _segment(slug: str) -> str:
    if not slug or slug in (".", "..") or _BAD_SEGMENT.search(slug):
        raise ValueError(f"cannot make a URL path segment of {slug!r}")
    return slug


def route(name: str, slug: str | None = None, page: int = 1) -> str:
    """The URL path of a page under the site root: route('statement', 'x') → 'statements/x/'.

    Page 2 on of a long list (a timeline, a speaker, a tag, a statement's answers) lives
    under its first page: route('timeline', 'x', 2) → 'timelines/x/page/2/'.
    """
    pattern = ROUTES[name]
    path = pattern.format(quote(_segment(slug), safe="")) if slug is not None else pattern
    return path if page == 1 else f"{path}page/{page}/"


def file_path(name: str, slug: str | None = None, page: int = 1) -> str:
    """The output file of a route: 'statements/x/' → 'statements/x/index.html'."""
    pattern = ROUTES[name]
    path = pattern.format(_segment(slug)) if slug is not None else pattern
    if page != 1:
        path = f"{path}page/{page}/"
    return path + "index.html" if path == "" or path.endswith("/") else path


def safe_url(url: str | None) -> str | None:
    """`url` if it is http, https, mailto or relative; None for anything else (javascript:, data:…)."""
    if not url:
        return None
    match = _URL_SCHEME.match(_URL_NOISE.sub("", url).lower())
    if match is not None and match.group(1) not in URL_SCHEMES:
        return None
    return _CONTROL.sub("", url).strip() or None
