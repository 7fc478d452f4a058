"""The site as data: timeline.json and schema.org JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..model import FuzzyDate, Statement
from .filters import datetime_attr
from .pages import Page
from .routes import safe_url

if TYPE_CHECKING:
    from .renderer import Renderer

# inside <script>, "</script" or "<!--" must never appear: these escapes keep the JSON valid and inert
_SCRIPT_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


_ABOUT = 10  # statements a JSON-LD Claim names as what it is about; more would make one page heavy


class DataExports:
    """The data files and JSON-LD of a `Renderer`, which holds the caches these methods fill."""

    def claim_jsonld(self, statement: Statement) -> Markup:
        """schema.org JSON-LD of a statement (a Claim) and its answers, safe inside <script>."""
        data = {"@context": "https://schema.org", **self._claim(statement)}
        if statement.answered_by:
            # the answers on the statement's first page: a thousand answers must not make its page heavy
            shown = self.answers_of(statement)[: self.config.per_page]
            data["comment"] = [{**self._claim(answer), "@type": "Comment"} for answer in shown]
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
            claim["about"] = [{"@type": "Claim", "@id": self.abs_url("statement", p.id)} for p in parents[:_ABOUT]]
        return claim

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


DATA_BUILDERS: dict[str, Callable[[Renderer, Page], bytes]] = {
    "json:timeline": DataExports.timeline_json,
}


def _date_data(date: FuzzyDate) -> dict[str, Any]:
    return {"date": date.iso(), "precision": date.precision.value, "phrase": date.phrase,
            "approximate": date.approximate}
