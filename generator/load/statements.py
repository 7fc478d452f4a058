"""One statement block → a Statement, every field checked, each problem at its line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import LanguageError, parse_locale
from ..model import FuzzyDate, Kind, Statement
from ..problems import Problem, SourceLocation, did_you_mean, error
from ..vocab.slugs import SLUG, slugify
from .blocks import HeaderField, RawBlock, field_values, unquote
from .dates import DateError, period_end
from .fields import HTTP_URL, fits_a_path, slug_values, text_value
from .markup import plain_text

if TYPE_CHECKING:
    from .parse import Tools

_QUOTE_LINE = re.compile(r"^ {0,3}>")


def declared_id(block: RawBlock) -> str | None:
    """The id a block declares, if it does (a broken block's id is still known to what answers it)."""
    return next((f.value.strip() for f in block.fields if f.name == "id"), None)


@dataclass(frozen=True)
class ArticleFacts:
    """What a statement takes from its article: where it is, its slug, date and timelines."""

    path: str
    slug: str
    date: FuzzyDate
    timelines: tuple[str, ...]


def parse_statement(block: RawBlock, index: int, article: ArticleFacts,
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

    by = text_value(values, "by", where, problems)
    if by is not None and not fits_a_path(by, slugify(by), "speaker name", where("by"), problems):
        by = None
    if "by" not in fields:
        problems.append(error(SourceLocation(path, block.line), f"'{kind}' needs a 'by' field: who said it",
                              "add a line such as 'by: Dmitry Peskov'"))
    statement_id = text_value(values, "id", where, problems)
    if statement_id is None:
        statement_id = f"{article.slug}-{index}"
    elif not SLUG.match(statement_id):
        problems.append(error(where("id"), f"statement id '{statement_id}' must be lowercase letters, digits "
                              "and dashes", f"try '{slugify(statement_id)}'"))
    else:
        fits_a_path(statement_id, statement_id, "statement id", where("id"), problems)
    role = text_value(values, "role", where, problems)
    via = text_value(values, "via", where, problems)
    source = None
    if "source" in values:
        source = text_value(values, "source", where, problems)
        if source is not None and not HTTP_URL.match(source):
            problems.append(error(where("source"), f"'source' must be an http or https URL, not '{source}'"))
            source = None

    verdict = text_value(values, "verdict", where, problems)
    if verdict is not None and verdict not in tools.verdicts:
        hint = did_you_mean(verdict.lower(), tools.verdicts) or "verdicts are: " + ", ".join(tools.verdicts)
        problems.append(error(where("verdict"), f"unknown verdict '{verdict}'", hint))
    verdict_note = text_value(values, "verdict_note", where, problems)
    if verdict_note is not None and verdict is None:
        problems.append(error(where("verdict_note"), "'verdict_note' explains a verdict, but there is no 'verdict'",
                              "add 'verdict: <name>' from the scale in site.toml"))

    answers = slug_values(values, "answers", where, problems, "statement id")
    if kind.needs_answers and "answers" not in fields:
        problems.append(error(SourceLocation(path, block.line), f"a {kind} must say which statement it answers",
                              "add 'answers: <statement id>'"))
    timelines = slug_values(values, "timeline", where, problems, "timeline slug")
    tags = slug_values(values, "tags", where, problems, None)

    said = article.date
    if "said" in fields:
        said = _resolve(fields["said"], article.date.value, tools, problems, path)
        if said is not None and said.value > period_end(article.date):
            problems.append(error(where("said"), f"'said' ({said.value.isoformat()}) is later than the "
                                  f"article's date ({article.date.value.isoformat()})",
                                  "a statement cannot be reported before it was made"))
    about = None
    if "about" in fields and said is not None:
        about = _resolve(fields["about"], said.value, tools, problems, path)

    quote = all(_QUOTE_LINE.match(line) for line in block.text.split("\n") if line.strip())
    lang = text_value(values, "lang", where, problems)
    if lang is not None:
        try:
            parse_locale(lang)
        except LanguageError:
            problems.append(error(where("lang"), f"'lang' must be a language code such as 'en' or 'ru', "
                                  f"not '{lang}'", "a BCP 47 code that CLDR knows: 'uk', 'pt-BR', 'sr-Latn'…"))
    translation = text_value(values, "translation", where, problems)
    if translation is not None and not quote:
        problems.append(error(where("translation"), "a 'translation' needs a quotation to translate",
                              "write the original words as a blockquote ('> …')"))
    translated_by = text_value(values, "translated_by", where, problems)
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
