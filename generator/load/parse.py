"""Parse one content file (article, speaker, timeline) into model objects. Depends only on that file and the config.

Each function here is pure: the same text gives the same result, so articles can be
parsed in worker processes and cached by content hash. Linking across files happens
later, in `link.py`. A statement block is `statements.py`'s; a value's checks are `fields.py`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ..config import DEFAULT_VERDICTS
from ..model import Article, FuzzyDate, Speaker, Statement, Timeline, frozen_mapping
from ..problems import Problem, SourceLocation, did_you_mean, error
from ..vocab.slugs import SLUG, slugify
from .blocks import Prose, nesting_problem, split_blocks
from .content import FrontMatter, SourceText, slug_from_filename, split_source, string_list
from .dates import DateError, DateResolver
from .fields import (
    fits_a_path,
    language_code,
    language_titles,
    optional_text,
    required_text,
    slug_list,
    tag_list,
    unknown_keys,
    url_value,
)
from .markup import MarkdownRenderer, first_paragraph
from .statements import ArticleFacts, declared_id, parse_statement

ARTICLE_KEYS = ("title", "date", "timeline", "tags", "source", "slug", "summary", "draft", "lang", "translation_of")
SPEAKER_KEYS = ("name", "role", "aliases", "kind", "url")
SPEAKER_KINDS = ("person", "organization", "outlet")


@dataclass(frozen=True)
class Tools:
    """The per-process helpers parsing needs: explicit caches, never module state."""

    dates: DateResolver
    markdown: MarkdownRenderer
    include_drafts: bool = False
    verdicts: tuple[str, ...] = tuple(v.name for v in DEFAULT_VERDICTS)  # the names of site.toml's scale
    # resolvers for articles in other languages than the site's, made when first needed
    other_dates: dict[str, DateResolver] = field(default_factory=dict)

    def in_language(self, lang: str | None) -> Tools:
        """These tools, reading dates in `lang` (an article's language) when it is not the site's."""
        if lang is None or lang.lower() == self.dates.language.lower():
            return self
        resolver = self.other_dates.get(lang)
        if resolver is None:
            resolver = self.other_dates[lang] = DateResolver(lang)
        return replace(self, dates=resolver)


def parse_article(path: str, text: str, tools: Tools) -> tuple[Article | None, list[Problem]]:
    """Article text → Article (None when it has errors, or is a draft left out)."""
    source, problems = split_source(path, text)
    if source is None:
        return None, problems
    front = source.front_matter
    draft = front.data.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(error(front.location(path, "draft"), "'draft' must be true or false"))
    elif draft and not tools.include_drafts:
        return None, problems

    problems.extend(unknown_keys(path, front, ARTICLE_KEYS, near_miss_only=True))
    lang = language_code(path, front, "lang", problems)
    tools = tools.in_language(lang)  # dates in 'date', 'said' and 'about' are read in the article's language
    title = required_text(path, front, "title", problems)
    slug = _article_slug(path, front, problems)
    translation_of = optional_text(path, front, "translation_of", problems)
    if translation_of is not None and not SLUG.match(translation_of):
        problems.append(error(front.location(path, "translation_of"), f"'translation_of' must be an article slug, "
                              f"not '{translation_of}'", f"try '{slugify(translation_of)}'"))
        translation_of = None
    date = _article_date(path, front, tools, problems)
    timelines = slug_list(path, front, "timeline", problems)
    tags = tag_list(path, front, problems)
    article_source = url_value(path, front, "source", problems)
    summary = front.data.get("summary")
    if summary is not None and not isinstance(summary, str):
        problems.append(error(front.location(path, "summary"), "'summary' must be text"))
        summary = None

    parts, block_problems = split_blocks(source.body, source.body_line, path)
    problems.extend(block_problems)
    body: list[str | tuple[str, str]] = []
    statements: list[Statement] = []
    broken: list[str] = []
    for part in parts:
        if isinstance(part, Prose):
            body.append(tools.markdown.to_html(part.text))
            continue
        if date is None or slug is None:
            continue  # the front-matter's errors are reported; statements need its date and slug
        facts = ArticleFacts(path, slug, date, tuple(timelines))
        index = len(statements) + len(broken) + 1
        statement, found = parse_statement(part, index, facts, tools) if part.valid else (None, [])
        problems.extend(found)
        if statement is not None:
            statements.append(statement)
            body.append(("statement", statement.id))
        else:
            broken.append(declared_id(part) or f"{slug}-{index}")

    if title is None or slug is None or date is None:
        return None, problems
    if summary is None:
        summary = next((first_paragraph(html) for html in body if isinstance(html, str) and "<p>" in html), "")
    extra = {k: v for k, v in front.data.items() if k not in ARTICLE_KEYS}
    return Article(
        path=path, slug=slug, title=title, date=date, timelines=tuple(timelines), tags=tuple(tags),
        source=article_source, summary=summary, draft=bool(draft), body=tuple(body),
        statements=tuple(statements), extra=frozen_mapping(extra), location=SourceLocation(path),
        broken_ids=tuple(broken), lang=lang, translation_of=translation_of,
        translation_of_at=front.location(path, "translation_of") if translation_of is not None else None,
    ), problems


def parse_speaker(path: str, text: str, tools: Tools) -> tuple[Speaker | None, list[Problem]]:
    """A speaker file → Speaker."""
    source, problems = split_source(path, text)
    if source is None:
        return None, problems
    front = source.front_matter
    problems.extend(unknown_keys(path, front, SPEAKER_KEYS, near_miss_only=False))
    slug = _file_slug(path, "speaker", problems)
    name = required_text(path, front, "name", problems)
    role = optional_text(path, front, "role", problems)
    aliases = front.data.get("aliases", [])
    alias_list = string_list(aliases) if aliases is not None else []
    if alias_list is None:
        problems.append(error(front.location(path, "aliases"), "'aliases' must be a list of names"))
    kind = front.data.get("kind")
    if kind is not None and kind not in SPEAKER_KINDS:
        problems.append(error(front.location(path, "kind"), f"speaker kind '{kind}' is not one of "
                              + ", ".join(SPEAKER_KINDS), did_you_mean(str(kind), SPEAKER_KINDS)))
    url = url_value(path, front, "url", problems)
    _check_body(source, problems)
    if any(p.is_error for p in problems) or name is None:
        return None, problems
    return Speaker(slug=slug, name=name, role=role, aliases=tuple(alias_list or ()), kind=kind, url=url,
                   bio_html=_body_html(source, tools), path=path), problems


def _file_slug(path: str, what: str, problems: list[Problem]) -> str:
    """The slug a speaker or timeline file's name gives; a problem if it is not one, or too long for a path."""
    slug = slug_from_filename(path)
    if not SLUG.match(slug):
        problems.append(error(SourceLocation(path), f"{what} file name '{slug}' is not a slug",
                              "name the file with lowercase letters, digits and dashes"))
    else:
        fits_a_path(slug, slug, f"{what} file name", SourceLocation(path), problems)
    return slug


def parse_timeline_file(path: str, text: str, tools: Tools) -> tuple[Timeline | None, list[Problem]]:
    """A timeline file → Timeline (its statements are filled in by linking)."""
    source, problems = split_source(path, text)
    if source is None:
        return None, problems
    front = source.front_matter
    problems.extend(unknown_keys(path, front, ("title", "titles"), near_miss_only=False))
    slug = _file_slug(path, "timeline", problems)
    title = required_text(path, front, "title", problems)
    titles = language_titles(path, front, "titles", problems)
    _check_body(source, problems)
    if any(p.is_error for p in problems) or title is None:
        return None, problems
    return Timeline(slug=slug, title=title, intro_html=_body_html(source, tools), path=path,
                    titles=titles), problems


# Helpers -------------------------------------------------------------------------------


def _check_body(source: SourceText, problems: list[Problem]) -> None:
    """A body nested too deep is an error, and then not rendered (a file with errors gives no result)."""
    too_deep = nesting_problem(source.body, source.body_line, source.path)
    if too_deep is not None:
        problems.append(too_deep)


def _body_html(source: SourceText, tools: Tools) -> str:
    return tools.markdown.to_html("\n".join(source.body)) if any(s.strip() for s in source.body) else ""


def _article_slug(path: str, front: FrontMatter, problems: list[Problem]) -> str | None:
    if "slug" in front.data:
        slug, where = front.data["slug"], front.location(path, "slug")
    else:
        slug, where = slug_from_filename(path), SourceLocation(path)
    if not isinstance(slug, str) or not SLUG.match(slug):
        hint = "use lowercase letters, digits and dashes"
        if "slug" not in front.data:
            hint += ", or set 'slug:' in the front-matter"
        problems.append(error(where, f"article slug '{slug}' is not valid", hint))
        return None
    return slug if fits_a_path(slug, slug, "article slug", where, problems) else None


def _article_date(path: str, front: FrontMatter, tools: Tools, problems: list[Problem]) -> FuzzyDate | None:
    if "date" not in front.data:
        problems.append(error(SourceLocation(path, front.line), "front-matter needs 'date'",
                              "the publication date, e.g. 'date: 2024-11-11'"))
        return None
    value = front.data["date"]
    raw = value.isoformat() if isinstance(value, dt.date) and "date" not in front.raw else front.raw.get("date")
    if raw is None or not raw.strip():
        problems.append(error(front.location(path, "date"), "'date' must be a date such as 2024-11-11"))
        return None
    try:
        return tools.dates.resolve_absolute(raw)
    except DateError as exc:
        problems.append(error(front.location(path, "date"), exc.message, exc.hint))
        return None


