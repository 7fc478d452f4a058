"""The site as data: timeline.json and schema.org JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from markupsafe import Markup

from ..config import BEST_RATING, WORST_RATING
from ..model import Article, FuzzyDate, Statement, Timeline
from .contexts import TimelineDataContext
from .filters import datetime_attr
from .pages import Page
from .routes import safe_url
from .timelinejs import timelinejs_json

if TYPE_CHECKING:
    from .renderer import Renderer

# inside <script>, "</script" or "<!--" must never appear: these escapes keep the JSON valid and inert
_SCRIPT_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


_ABOUT = 10  # statements a JSON-LD Claim names as what it is about; more would make one page heavy


class DataExports:
    """The data files and JSON-LD of a `Renderer`, which holds the caches these methods fill."""

    def claim_jsonld(self, statement: Statement) -> Markup:
        """schema.org JSON-LD of a statement and its answers, each a Claim; an answer is `about` what it answers."""
        # the answers on the statement's first page: a thousand answers must not make its page heavy; each by
        # reference (its @id, kind and what it is about): its whole Claim is on its own page
        shown = self.answers_of(statement)[: self.config.per_page]
        about = [{"@type": "Claim", "@id": self.abs_url("statement", statement.id)}]
        graph = [self._claim(statement)]
        for answer in shown:
            url = self.abs_url("statement", answer.id)
            graph.append({"@type": "Claim", "@id": url, "url": url, "genre": answer.kind.value, "about": about})
        return script_json({"@context": "https://schema.org", "@graph": graph})

    def timeline_jsonld(self, timeline: Timeline, ids: tuple[str, ...] | None = None, skipped: int = 0) -> Markup:
        """A timeline page's JSON-LD: an ItemList of the Claims the page shows (`ids`, after `skipped` earlier
        ones), in timeline order; the list's size is the whole timeline's."""
        statements = self.site.statements
        items = []
        for position, statement_id in enumerate(timeline.statements if ids is None else ids, skipped + 1):
            url = self.abs_url("statement", statement_id)
            items.append({"@type": "ListItem", "position": position, "url": url,
                          "item": {"@type": "Claim", "@id": url, "genre": statements[statement_id].kind.value}})
        return script_json({
            "@context": "https://schema.org", "@type": "ItemList", "name": timeline.title,
            "url": self.abs_url("timeline", timeline.slug), "numberOfItems": len(timeline.statements),
            "itemListOrder": "https://schema.org/ItemListOrderAscending", "itemListElement": items,
        })

    def article_jsonld(self, article: Article) -> Markup:
        """An article page's JSON-LD: a NewsArticle published by the site's publisher."""
        data: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "NewsArticle", "@id": self.abs_url("article", article.slug),
            "url": self.abs_url("article", article.slug), "headline": article.title,
            "datePublished": datetime_attr(article.date), "inLanguage": article.lang or self.config.language,
            "publisher": self.publisher_jsonld(),
        }
        if article.summary:
            data["description"] = article.summary
        if article.tags:
            data["keywords"] = list(article.tags)
        source = safe_url(article.source)
        if source:
            data["isBasedOn"] = source
        return script_json(data)

    def site_jsonld(self) -> Markup:
        """The home page's JSON-LD: the WebSite and the Organization that publishes it."""
        config = self.config
        website: dict[str, Any] = {"@type": "WebSite", "@id": config.base_url + "#website", "url": config.base_url,
                                   "name": config.title, "inLanguage": config.language,
                                   "publisher": {"@id": config.base_url + "#publisher"}}
        if config.description:
            website["description"] = config.description
        return script_json({"@context": "https://schema.org", "@graph": [website, self.publisher_jsonld()]})

    def claim_review_jsonld(self, statement: Statement) -> Markup:
        """The site's verdict on a statement as schema.org ClaimReview, as Google's fact-check markup documents it.

        Empty when the statement has no verdict. A verdict off the scale ('unproven') has a rating of words
        only: `alternateName`, no `ratingValue`.
        """
        verdict = self.verdict_of(statement)
        if verdict is None:
            return Markup("")
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
        if verdict.value is not None:
            rating.update(ratingValue=verdict.value, bestRating=BEST_RATING, worstRating=WORST_RATING)
        url = self.abs_url("statement", statement.id)
        article = self.site.articles[statement.article]
        return script_json({
            "@context": "https://schema.org", "@type": "ClaimReview", "@id": url + "#verdict", "url": url,
            "claimReviewed": statement.text, "reviewRating": rating, "author": self.publisher_jsonld(),
            # the review is published with the article that reports the statement
            "datePublished": datetime_attr(article.date), "itemReviewed": self._claim(statement),
        })

    def publisher_jsonld(self) -> dict[str, Any]:
        """The organization publishing the site: site.toml's `publisher`, else the site itself."""
        config = self.config
        return {"@type": "Organization", "@id": config.base_url + "#publisher",
                "name": config.publisher or config.title, "url": config.base_url}

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
        claim = {"@type": "Claim", "@id": url, "url": url, "genre": statement.kind.value, "text": statement.text,
                 "author": author, "datePublished": datetime_attr(statement.said),
                 "appearance": {"@type": "NewsArticle", "url": self.abs_url("article", article.slug),
                                "headline": article.title, "datePublished": datetime_attr(article.date)}}
        source = safe_url(statement.source)
        if source:  # where it was first published: its primary source, relayed by `via`
            first: dict[str, Any] = {"@type": "CreativeWork", "url": source}
            if statement.via:
                first["publisher"] = {"@type": "Organization", "name": statement.via}
            claim["firstAppearance"] = first
        if statement.lang is not None:
            claim["inLanguage"] = statement.lang
        if statement.translation is not None:
            # schema.org: workTranslation, "a work that is a translation of the content of this work"
            translation = {"@type": "CreativeWork", "text": statement.translation, "inLanguage": self.config.language}
            if statement.translated_by:
                translation["translator"] = {"name": statement.translated_by}  # a Person or an Organization
            claim["workTranslation"] = translation
        parents = self.parents_of(statement)
        if parents:
            claim["about"] = [{"@type": "Claim", "@id": self.abs_url("statement", p.id)} for p in parents[:_ABOUT]]
        return claim

    def timeline_json(self, page: Page) -> bytes:
        """timelines/<slug>/timeline.json, version 1, exactly as DESIGN.md shows it."""
        timeline = cast(TimelineDataContext, page.context).timeline
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
            "via": s.via, "source": safe_url(s.source), "lang": s.lang,
            "translation": {"text": s.translation, "html": s.translation_html, "translated_by": s.translated_by}
            if s.translation is not None else None,
            "article": {"slug": article.slug, "title": article.title, "url": self.abs_url("article", article.slug)},
            "url": self.abs_url("statement", s.id),
            "verdict": self._verdict_data(s),
        }

    def _verdict_data(self, s: Statement) -> dict[str, Any] | None:
        verdict = self.verdict_of(s)
        if verdict is None:
            return None
        return {"name": verdict.name, "label": verdict.label, "value": verdict.value, "note": s.verdict_note}


DATA_BUILDERS: dict[str, Callable[[Renderer, Page], bytes]] = {
    "json:timeline": DataExports.timeline_json,
    "json:timelinejs": timelinejs_json,
}


def script_json(data: Any) -> Markup:
    """`data` as compact JSON that is safe inside <script>."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if any(char in text for char in "<>&\u2028\u2029"):  # translate() is slow, and rarely needed
        text = text.translate(_SCRIPT_JSON)
    return Markup(text)


def _date_data(date: FuzzyDate) -> dict[str, Any]:
    return {"date": date.iso(), "precision": date.precision.value, "phrase": date.phrase,
            "approximate": date.approximate}
