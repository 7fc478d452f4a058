"""Markdown → safe HTML, and HTML → plain text."""

from __future__ import annotations

import html
import re

import markdown
import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]
_SAFE_TAGS = frozenset(nh3.ALLOWED_TAGS)
_SPACE = re.compile(r"\s+")


class MarkdownRenderer:
    """One Python-Markdown instance, reused for every fragment of a site.

    Not thread-safe; each worker process makes its own.
    """

    def __init__(self, *, unsafe_html: bool = False) -> None:
        self._md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        self._unsafe_html = unsafe_html

    def to_html(self, text: str) -> str:
        """Markdown text → HTML, sanitized unless the site allows raw HTML."""
        self._md.reset()
        rendered = self._md.convert(text)
        return rendered if self._unsafe_html else sanitize(rendered)


def sanitize(fragment: str) -> str:
    """Remove anything executable from an HTML fragment; keep http(s), mailto and relative links."""
    return nh3.clean(fragment, tags=set(_SAFE_TAGS), url_schemes=set(URL_SCHEMES))


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and white space folded."""
    return _SPACE.sub(" ", html.unescape(nh3.clean(fragment, tags=set()))).strip()


def first_paragraph(fragment: str) -> str:
    """The plain text of the first <p> of an HTML fragment, or ''."""
    match = re.search(r"<p>(.*?)</p>", fragment, re.S)
    return plain_text(match.group(1)) if match else ""


def is_safe_url(url: str) -> bool:
    """True for http, https and mailto URLs and for relative URLs."""
    stripped = "".join(url.split()).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", stripped)
    return match is None or match.group(1) in URL_SCHEMES
