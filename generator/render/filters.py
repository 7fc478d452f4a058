"""How model values read on a page: dates at their precision, kind and status labels, excerpts.

The Jinja filters and small helpers every template uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from babel.dates import format_skeleton
from markupsafe import Markup, escape

from ..i18n import Language
from ..i18n.labels import APPROXIMATE, MONTH_PARTS, WEEK_OF
from ..model import FuzzyDate, Kind, Precision, Statement, Status
from ..vocab.dates import ISO

_APPROXIMATE = re.compile(r"^(?:~\s*|circa\s+)", re.IGNORECASE)  # an ISO date may be marked approximate


def date_label(date: FuzzyDate, language: Language) -> str:
    """The date at its precision, in the site's language: '7 Nov 2024', '7 nov. 2024', 'week of 4 Nov 2024'.

    Formats come from CLDR through Babel (skeletons 'yMMMd', 'yMMM', 'y', 'Hm'); the words
    around them ('week of', 'early', 'c.') from the catalog. Labels are kept per language.
    """
    label = language.date_labels.get(date)
    if label is None:
        label = language.date_labels[date] = _date_label(date, language)
    return label


def _date_label(date: FuzzyDate, language: Language) -> str:
    locale, value = language.dates, date.value
    if date.precision is Precision.YEAR:
        text = format_skeleton("y", value, locale=locale)
    elif date.precision is Precision.MONTH:
        text = format_skeleton("yMMM", value, locale=locale)
        if date.part in MONTH_PARTS:
            text = language.gettext(MONTH_PARTS[date.part]) % {"month": text}
    elif date.precision is Precision.WEEK:
        text = language.gettext(WEEK_OF) % {"date": format_skeleton("yMMMd", value, locale=locale)}
    else:
        text = format_skeleton("yMMMd", value, locale=locale)
        if date.moment is not None:
            # the wall-clock time as written, never converted to another zone
            clock = format_skeleton("Hm", date.moment.replace(tzinfo=None), locale=locale)
            text = str(locale.datetime_formats["medium"]).replace("{1}", text).replace("{0}", clock)
    return language.gettext(APPROXIMATE) % {"date": text} if date.approximate else text


def datetime_attr(date: FuzzyDate) -> str:
    """The `datetime` attribute at the date's precision: '2024-11-07', '2024-W45', '2024-11', '2024'."""
    value = date.value
    if date.precision is Precision.YEAR:
        return f"{value.year:04d}"
    if date.precision is Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    if date.precision is Precision.WEEK:
        iso = value.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return date.moment.isoformat() if date.moment is not None else value.isoformat()


def phrase_label(date: FuzzyDate, language: Language) -> str | None:
    """The reporter's words for the date ('Thursday'), or None when they add nothing to the date."""
    phrase = date.phrase.strip()
    written_as_iso = ISO.fullmatch(_APPROXIMATE.sub("", phrase, count=1)) is not None
    if not phrase or written_as_iso or phrase.casefold() == date_label(date, language).casefold():
        return None
    return phrase


def time_tag(date: FuzzyDate, language: Language) -> Markup:
    """<time datetime="…">label</time> for a date, at its precision."""
    return Markup(f'<time datetime="{escape(datetime_attr(date))}">{escape(date_label(date, language))}</time>')


def when(date: FuzzyDate, language: Language) -> Markup:
    """The <time> of a date, and beside it the reporter's words when they add something."""
    phrase = phrase_label(date, language)
    if phrase is None:
        return time_tag(date, language)
    return Markup(f'{time_tag(date, language)} <span class="phrase">· ‘{escape(phrase)}’</span>')


def atom_date(date: FuzzyDate, timezone: dt.tzinfo) -> str:
    """An RFC 3339 date-time for feeds: the moment if known, else the start of the day in the site's zone."""
    if date.moment is not None:
        moment = date.moment if date.moment.tzinfo else date.moment.replace(tzinfo=timezone)
    else:
        moment = dt.datetime.combine(date.value, dt.time(), tzinfo=timezone)
    return moment.isoformat()


def memoized(function: Callable[[FuzzyDate], Markup]) -> Callable[[FuzzyDate], Markup]:
    """`function` with a cache for this render: many statements share a date."""
    cache: dict[FuzzyDate, Markup] = {}

    def cached(date: FuzzyDate) -> Markup:
        html = cache.get(date)
        if html is None:
            html = cache[date] = function(date)
        return html

    return cached


def statement_html(statement: Statement, language: Language, article_lang: str | None = None) -> Markup:
    """The statement's (already safe) HTML; a quotation is always inside <blockquote>, marked with its language.

    A `lang` other than the page's gives the text its `lang`, and `dir` when its script runs the other way.
    A statement without one is in its article's language (`article_lang`), marked when that is not the page's.
    """
    html = statement.html.strip()
    marks = ""
    if statement.lang is None:
        marks = str(language.marks(article_lang))
    else:
        marks = f' lang="{escape(statement.lang)}"'
        direction = language.direction_of(statement.lang)
        if direction != language.direction:
            marks += f' dir="{direction}"'
    if statement.quote:
        if html.startswith("<blockquote>"):
            html = f"<blockquote{marks}>{html.removeprefix('<blockquote>')}"
        else:
            html = f"<blockquote{marks}>{html}</blockquote>"
    elif marks:
        html = f"<div{marks}>{html}</div>"
    return Markup(html)


def mark_current(html: str, statement_id: str, label: str) -> Markup:
    """`html` (a thread) with the item `data-statement="<id>"` marked aria-current and labelled (in the theme's
    language, shown by the stylesheet): cached threads stay shared."""
    marker = f' data-statement="{escape(statement_id)}"'
    return Markup(str(html).replace(marker, f'{marker} aria-current="true" data-current-label="{escape(label)}"'))


def showing_status(statement: Statement) -> bool:
    """Whether a statement carries a status badge: when answered, and claims always (even 'unanswered')."""
    return statement.status is not Status.UNANSWERED or statement.kind is Kind.CLAIM


def excerpt(text: str, length: int = 140) -> str:
    """`text` cut at a word boundary to at most `length` characters, with '…' if cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] or text[: length - 1]
    return cut.rstrip(",.;:—– ") + "…"
