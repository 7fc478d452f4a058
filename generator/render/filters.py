"""How model values read on a page: dates at their precision, kind and status labels, excerpts.

The Jinja filters and small helpers every template uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from markupsafe import Markup, escape

from ..model import FuzzyDate, Kind, Precision, Statement, Status
from ..vocab.kinds import KINDS

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
KIND_LABELS = {kind: info.label for kind, info in KINDS.items()}
STATUS_LABELS = {status: status.label for status in Status}
_ISO_PHRASE = re.compile(r"^(?:~\s*|circa\s+)?\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\S*)?)?)?$", re.IGNORECASE)


def date_label(date: FuzzyDate) -> str:
    """The date at its precision: '7 Nov 2024', 'week of 4 Nov 2024', 'early Nov 2024', '2024'."""
    value = date.value
    month = MONTHS[value.month - 1]
    if date.precision is Precision.YEAR:
        text = str(value.year)
    elif date.precision is Precision.MONTH:
        text = f"{date.part} {month} {value.year}" if date.part else f"{month} {value.year}"
    elif date.precision is Precision.WEEK:
        text = f"week of {value.day} {month} {value.year}"
    else:
        text = f"{value.day} {month} {value.year}"
        if date.moment is not None:
            text += f", {date.moment:%H:%M}"
    return f"c. {text}" if date.approximate else text


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


def phrase_label(date: FuzzyDate) -> str | None:
    """The reporter's words for the date ('Thursday'), or None when they add nothing to the date."""
    phrase = date.phrase.strip()
    if not phrase or _ISO_PHRASE.match(phrase) or phrase.casefold() == date_label(date).casefold():
        return None
    return phrase


def time_tag(date: FuzzyDate) -> Markup:
    """<time datetime="…">label</time> for a date, at its precision."""
    return Markup(f'<time datetime="{escape(datetime_attr(date))}">{escape(date_label(date))}</time>')


def when(date: FuzzyDate) -> Markup:
    """The <time> of a date, and beside it the reporter's words when they add something."""
    phrase = phrase_label(date)
    if phrase is None:
        return time_tag(date)
    return Markup(f'{time_tag(date)} <span class="phrase">· ‘{escape(phrase)}’</span>')


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


def statement_html(statement: Statement) -> Markup:
    """The statement's (already safe) HTML; a quotation is always inside <blockquote>."""
    html = statement.html.strip()
    if statement.quote and not html.startswith("<blockquote"):
        html = f"<blockquote>{html}</blockquote>"
    return Markup(html)


def mark_current(html: str, statement_id: str) -> Markup:
    """`html` (a thread) with the item `data-statement="<id>"` marked aria-current: cached threads stay shared."""
    marker = f' data-statement="{escape(statement_id)}"'
    return Markup(str(html).replace(marker, marker + ' aria-current="true"'))


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
