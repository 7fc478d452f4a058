"""Parse one content file into model objects. Depends only on that file and the config.

Each function here is pure: the same text gives the same result, so articles can be
parsed in worker processes and cached by content hash. Linking across files happens
later, in `timeline.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..config import DEFAULT_VERDICTS
from ..i18n import LanguageError, parse_locale
from ..model import Article, FuzzyDate, Kind, Precision, Speaker, Statement, Timeline, frozen_mapping
from ..problems import Problem, SourceLocation, did_you_mean, error, warning
from ..vocab.limits import MAX_SEGMENT_BYTES, segment_bytes
from ..vocab.slugs import SLUG, slugify
from .blocks import HeaderField, Prose, RawBlock, field_values, nesting_problem, split_blocks, unquote
from .content import FrontMatter, SourceText, slug_from_filename, split_source, string_list
from .dates import DateError, DateResolver
from .markup import MarkdownRenderer, first_paragraph, plain_text

ARTICLE_KEYS = ("title", "date", "timeline", "tags", "source", "slug", "summary", "draft", "lang", "translation_of")
SPEAKER_KEYS = ("name", "role", "aliases", "kind", "url")
SPEAKER_KINDS = ("person", "organization", "outlet")
_QUOTE_LINE = re.compile(r"^ {0,3}>")
# A host, then nothing or a path, query or fragment: one way to match each URL, so a long line that is no
# URL fails at once ("[^\s/?#]+[^\s]*" tried every split of the host: 6 s for 20 KB).
_HTTP_URL = re.compile(r"^https?://[^\s/?#]+(?:[/?#]\S*)?$", re.I)


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

    problems.extend(_unknown_keys(path, front, ARTICLE_KEYS, near_miss_only=True))
    lang = _article_lang(path, front, problems)
    tools = tools.in_language(lang)  # dates in 'date', 'said' and 'about' are read in the article's language
    title = _required_text(path, front, "title", problems)
    slug = _article_slug(path, front, problems)
    translation_of = _optional_text(path, front, "translation_of", problems)
    if translation_of is not None and not SLUG.match(translation_of):
        problems.append(error(front.location(path, "translation_of"), f"'translation_of' must be an article slug, "
                              f"not '{translation_of}'", f"try '{_suggest_slug(translation_of)}'"))
        translation_of = None
    date = _article_date(path, front, tools, problems)
    timelines = _slug_list(path, front, "timeline", problems)
    tags = _tag_list(path, front, problems)
    article_source = _url(path, front, "source", problems)
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
        context = _ArticleContext(path, slug, date, tuple(timelines))
        index = len(statements) + len(broken) + 1
        statement, found = parse_statement(part, index, context, tools) if part.valid else (None, [])
        problems.extend(found)
        if statement is not None:
            statements.append(statement)
            body.append(("statement", statement.id))
        else:
            broken.append(_declared_id(part) or f"{slug}-{index}")

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


def _article_lang(path: str, front: FrontMatter, problems: list[Problem]) -> str | None:
    """The article's 'lang', when it is a language code CLDR knows."""
    lang = _optional_text(path, front, "lang", problems)
    if lang is None:
        return None
    try:
        parse_locale(lang)
    except LanguageError:
        problems.append(error(front.location(path, "lang"), f"'lang' must be a language code such as 'en' or 'fr', "
                              f"not '{lang}'", "a BCP 47 code that CLDR knows: 'uk', 'pt-BR', 'sr-Latn'…"))
        return None
    return lang


def _declared_id(block: RawBlock) -> str | None:
    return next((f.value.strip() for f in block.fields if f.name == "id"), None)


@dataclass(frozen=True)
class _ArticleContext:
    path: str
    slug: str
    date: FuzzyDate
    timelines: tuple[str, ...]


def parse_statement(block: RawBlock, index: int, article: _ArticleContext,
                    tools: Tools) -> tuple[Statement | None, list[Problem]]:
    """A statement block → Statement, checking every field."""
    path = article.path
    problems: list[Problem] = []
    fields = {f.name: f for f in block.fields}
    kind = Kind(block.kind)

    def where(name: str) -> SourceLocation:
        found = fields.get(name)
        return SourceLocation(path, found.line, found.column) if found else SourceLocation(path, block.line)

    values = field_values(fields.values(), path, problems)

    by = _text_value(values, "by", where, problems)
    if by is not None and not _fits_a_path(by, slugify(by), "speaker name", where("by"), problems):
        by = None
    if "by" not in fields:
        problems.append(error(SourceLocation(path, block.line), f"'{kind}' needs a 'by' field: who said it",
                              "add a line such as 'by: Dmitry Peskov'"))
    statement_id = _text_value(values, "id", where, problems)
    if statement_id is None:
        statement_id = f"{article.slug}-{index}"
    elif not SLUG.match(statement_id):
        problems.append(error(where("id"), f"statement id '{statement_id}' must be lowercase letters, digits "
                              "and dashes", f"try '{_suggest_slug(statement_id)}'"))
    else:
        _fits_a_path(statement_id, statement_id, "statement id", where("id"), problems)
    role = _text_value(values, "role", where, problems)
    via = _text_value(values, "via", where, problems)
    source = None
    if "source" in values:
        source = _text_value(values, "source", where, problems)
        if source is not None and not _HTTP_URL.match(source):
            problems.append(error(where("source"), f"'source' must be an http or https URL, not '{source}'"))
            source = None

    verdict = _text_value(values, "verdict", where, problems)
    if verdict is not None and verdict not in tools.verdicts:
        hint = did_you_mean(verdict.lower(), tools.verdicts) or "verdicts are: " + ", ".join(tools.verdicts)
        problems.append(error(where("verdict"), f"unknown verdict '{verdict}'", hint))
    verdict_note = _text_value(values, "verdict_note", where, problems)
    if verdict_note is not None and verdict is None:
        problems.append(error(where("verdict_note"), "'verdict_note' explains a verdict, but there is no 'verdict'",
                              "add 'verdict: <name>' from the scale in site.toml"))

    answers = _slug_values(values, "answers", where, problems, "statement id")
    if kind.needs_answers and "answers" not in fields:
        problems.append(error(SourceLocation(path, block.line), f"a {kind} must say which statement it answers",
                              "add 'answers: <statement id>'"))
    timelines = _slug_values(values, "timeline", where, problems, "timeline slug")
    tags = _slug_values(values, "tags", where, problems, None)

    said = article.date
    if "said" in fields:
        said = _resolve(fields["said"], article.date.value, tools, problems, path)
        if said is not None and said.value > _period_end(article.date):
            problems.append(error(where("said"), f"'said' ({said.value.isoformat()}) is later than the "
                                  f"article's date ({article.date.value.isoformat()})",
                                  "a statement cannot be reported before it was made"))
    about = None
    if "about" in fields and said is not None:
        about = _resolve(fields["about"], said.value, tools, problems, path)

    quote = all(_QUOTE_LINE.match(line) for line in block.text.split("\n") if line.strip())
    lang = _text_value(values, "lang", where, problems)
    if lang is not None:
        try:
            parse_locale(lang)
        except LanguageError:
            problems.append(error(where("lang"), f"'lang' must be a language code such as 'en' or 'ru', "
                                  f"not '{lang}'", "a BCP 47 code that CLDR knows: 'uk', 'pt-BR', 'sr-Latn'…"))
    translation = _text_value(values, "translation", where, problems)
    if translation is not None and not quote:
        problems.append(error(where("translation"), "a 'translation' needs a quotation to translate",
                              "write the original words as a blockquote ('> …')"))
    translated_by = _text_value(values, "translated_by", where, problems)
    if translated_by is not None and "translation" not in fields:
        problems.append(error(where("translated_by"), "'translated_by' without a 'translation'",
                              "add 'translation:' with the translated text"))

    if any(p.is_error for p in problems) or by is None or said is None:
        return None, problems
    html = tools.markdown.to_html(block.text)
    translation_html = tools.markdown.to_html(translation) if translation is not None else None
    return Statement(
        id=statement_id, kind=kind, by=by, role=role, said=said, about=about, answers=tuple(answers),
        via=via, source=source, timelines=tuple(dict.fromkeys(article.timelines + tuple(timelines))),
        tags=tuple(tags), quote=quote, text=plain_text(html), html=html, article=article.slug,
        index=index, location=SourceLocation(path, block.line), verdict=verdict, verdict_note=verdict_note,
        lang=lang,
        translation=plain_text(translation_html) if translation_html is not None else None,
        translation_html=translation_html, translated_by=translated_by,
    ), problems


def parse_speaker(path: str, text: str, tools: Tools) -> tuple[Speaker | None, list[Problem]]:
    """A speaker file → Speaker."""
    source, problems = split_source(path, text)
    if source is None:
        return None, problems
    front = source.front_matter
    problems.extend(_unknown_keys(path, front, SPEAKER_KEYS, near_miss_only=False))
    slug = _file_slug(path, "speaker", problems)
    name = _required_text(path, front, "name", problems)
    role = _optional_text(path, front, "role", problems)
    aliases = front.data.get("aliases", [])
    alias_list = string_list(aliases) if aliases is not None else []
    if alias_list is None:
        problems.append(error(front.location(path, "aliases"), "'aliases' must be a list of names"))
    kind = front.data.get("kind")
    if kind is not None and kind not in SPEAKER_KINDS:
        problems.append(error(front.location(path, "kind"), f"speaker kind '{kind}' is not one of "
                              + ", ".join(SPEAKER_KINDS), did_you_mean(str(kind), SPEAKER_KINDS)))
    url = _url(path, front, "url", problems)
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
        _fits_a_path(slug, slug, f"{what} file name", SourceLocation(path), problems)
    return slug


def parse_timeline_file(path: str, text: str, tools: Tools) -> tuple[Timeline | None, list[Problem]]:
    """A timeline file → Timeline (its statements are filled in by linking)."""
    source, problems = split_source(path, text)
    if source is None:
        return None, problems
    front = source.front_matter
    problems.extend(_unknown_keys(path, front, ("title", "titles"), near_miss_only=False))
    slug = _file_slug(path, "timeline", problems)
    title = _required_text(path, front, "title", problems)
    titles = _titles(path, front, problems)
    _check_body(source, problems)
    if any(p.is_error for p in problems) or title is None:
        return None, problems
    return Timeline(slug=slug, title=title, intro_html=_body_html(source, tools), path=path,
                    titles=titles), problems


def _titles(path: str, front: FrontMatter, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """A timeline's 'titles': its title in other languages, for a multilingual site ({fr: "…", ru: "…"})."""
    value = front.data.get("titles")
    if value is None:
        return ()
    where = front.location(path, "titles")
    if not isinstance(value, dict):
        problems.append(error(where, "'titles' must map language codes to titles, such as "
                              "'titles: {fr: Le pont, ru: Мост}'"))
        return ()
    titles = []
    for code, text in value.items():
        try:
            parse_locale(str(code))
        except LanguageError:
            problems.append(error(where, f"'titles' names '{code}', which is no language code",
                                  "a BCP 47 code that CLDR knows: 'fr', 'pt-BR', 'sr-Latn'…"))
            continue
        if not isinstance(text, str) or not text.strip():
            problems.append(error(where, f"'titles' gives no title for '{code}'"))
            continue
        titles.append((str(code), text.strip()))
    return tuple(titles)


# Helpers -------------------------------------------------------------------------------


def _check_body(source: SourceText, problems: list[Problem]) -> None:
    """A body nested too deep is an error, and then not rendered (a file with errors gives no result)."""
    too_deep = nesting_problem(source.body, source.body_line, source.path)
    if too_deep is not None:
        problems.append(too_deep)


def _body_html(source: SourceText, tools: Tools) -> str:
    return tools.markdown.to_html("\n".join(source.body)) if any(s.strip() for s in source.body) else ""


def _unknown_keys(path: str, front: FrontMatter, known: tuple[str, ...], *, near_miss_only: bool) -> list[Problem]:
    """Keys one typo away from a known key are warnings (other keys are kept for templates)."""
    problems = []
    for key in front.data:
        if key in known:
            continue
        hint = did_you_mean(key, known)
        if hint or not near_miss_only:
            problems.append(warning(front.location(path, key), f"unknown front-matter key '{key}'", hint))
    return problems


def _required_text(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> str | None:
    if key not in front.data:
        problems.append(error(SourceLocation(path, front.line), f"front-matter needs '{key}'"))
        return None
    return _optional_text(path, front, key, problems)


def _optional_text(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> str | None:
    value = front.data.get(key)
    if value is None:
        return None
    if isinstance(value, list | dict | bool):
        problems.append(error(front.location(path, key), f"'{key}' must be text"))
        return None
    text = front.raw.get(key, str(value)) if not isinstance(value, str) else value
    if not text.strip():
        problems.append(error(front.location(path, key), f"'{key}' is empty"))
        return None
    return text.strip()


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
    return slug if _fits_a_path(slug, slug, "article slug", where, problems) else None


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


def _slug_list(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> list[str]:
    value = front.data.get(key)
    if value is None:
        return []
    items = string_list(value)
    if items is None:
        problems.append(error(front.location(path, key), f"'{key}' must be a slug or a list of slugs"))
        return []
    where = front.location(path, key)
    for item in items:
        if not SLUG.match(item):
            problems.append(error(where, f"timeline slug '{item}' is not valid", f"try '{_suggest_slug(item)}'"))
    return [item for item in items if SLUG.match(item) and _fits_a_path(item, item, "timeline slug", where, problems)]


def _tag_list(path: str, front: FrontMatter, problems: list[Problem]) -> list[str]:
    value = front.data.get("tags")
    if value is None:
        return []
    items = string_list(value)
    if items is None:
        problems.append(error(front.location(path, "tags"), "'tags' must be a list of words"))
        return []
    return _checked_tags(items, front.location(path, "tags"), problems)


def _checked_tags(items: list[str], where: SourceLocation, problems: list[Problem]) -> list[str]:
    tags = []
    for item in items:
        slug = _suggest_slug(item)
        if not slug:
            problems.append(error(where, f"tag '{item}' has no letters or digits"))
        elif _fits_a_path(item, slug, "tag", where, problems):
            tags.append(item.strip())
    return tags


def _url(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> str | None:
    value = front.data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not _HTTP_URL.match(value.strip()):
        problems.append(error(front.location(path, key), f"'{key}' must be an http or https URL, not '{value}'"))
        return None
    return value.strip()


def _text_value(values: dict[str, Any], name: str, where, problems: list[Problem]) -> str | None:
    if name not in values:
        return None
    value = values[name]
    if not isinstance(value, str) or not value.strip():
        problems.append(error(where(name), f"'{name}' must be text" if value is not None else f"'{name}' is empty"))
        return None
    return value.strip()


def _slug_values(values: dict[str, Any], name: str, where, problems: list[Problem],
                 what: str | None) -> list[str]:
    if name not in values:
        return []
    items = string_list(values[name])
    if not items:
        problems.append(error(where(name), f"'{name}' must be one value or a list of values"))
        return []
    if what is None:
        return _checked_tags(items, where(name), problems)
    for item in items:
        if not SLUG.match(item):
            problems.append(error(where(name), f"{what} '{item}' is not valid",
                                  "use lowercase letters, digits and dashes"))
        elif what != "statement id":  # an id answered is only looked up; its own block checks its length
            _fits_a_path(item, item, what, where(name), problems)
    return list(dict.fromkeys(items))


def _resolve(found: HeaderField, base: dt.date, tools: Tools, problems: list[Problem],
             path: str) -> FuzzyDate | None:
    if not found.value.strip():
        problems.append(error(SourceLocation(path, found.line, found.column), f"'{found.name}' is empty"))
        return None
    try:
        return tools.dates.resolve(unquote(found.value), base)
    except DateError as exc:
        problems.append(error(SourceLocation(path, found.line, found.column), exc.message, exc.hint))
        return None


def _period_end(date: FuzzyDate) -> dt.date:
    """The last day of a date's period."""
    value = date.value
    if date.precision is Precision.DAY:
        return value
    if date.precision is Precision.WEEK:
        return value + dt.timedelta(days=6)
    if date.precision is Precision.MONTH:
        following = (value.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return value.replace(month=12, day=31)


def _fits_a_path(name: str, segment: str, what: str, where: SourceLocation, problems: list[Problem]) -> bool:
    """A name whose `segment` becomes a folder of the output must fit a file name; else an error, and False."""
    size = segment_bytes(segment)
    if size <= MAX_SEGMENT_BYTES:
        return True
    shown = name if len(name) <= 40 else name[:40] + "…"
    problems.append(error(where, f"{what} '{shown}' is too long: it makes a file name of {size} bytes, and at most "
                          f"{MAX_SEGMENT_BYTES} fit", "shorten it"))
    return False


def _suggest_slug(text: str) -> str:
    return slugify(text)
