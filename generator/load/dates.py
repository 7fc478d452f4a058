"""Date expressions → `FuzzyDate`: ISO forms, then our English grammar, then dateparser as the fallback.

English phrases go first through a small grammar (the forms in docs/dates.md), resolved in
pure Python in a few µs, where it is more truthful than dateparser: weekdays (dateparser's
issue #508 puts "Thursday" in a Thursday article a week back), `early|mid|late <month>`,
`week of <date>`, and vague words around a weekday or a period ("late Thursday", "earlier
this week"), which dateparser does not read. A phrase the grammar does not know goes to
dateparser (0.5–4 ms a call, imported only then) with the base as its relative base and the
site's language; its answer is kept only if it passes our checks (see `_resolve_phrase`), since it
accepts almost anything ("a" is January). Other languages go to dateparser, with the same checks.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..model import FuzzyDate, Precision
from ..vocab.dates import ISO as _ISO
from .date_grammar import (
    COUNT,
    DATEPARSER,
    MONTH,
    PART_OF_DAY,
    PREFIX,
    WEEKDAY,
    DateError,
    Resolved,
    resolve_english,
    start_of,
    weekday_number,
)

__all__ = ["ACCEPTED_FORMS", "DateError", "DateResolver", "is_iso", "resolution_notes"]

ACCEPTED_FORMS = (
    "use an ISO date (2024-11-07, 2024-11-07T14:30, 2024-11, 2024) or a phrase such as "
    "'Thursday', 'yesterday', 'two days ago', 'last week', '7 November', 'November 2024' "
    "or 'early November', optionally after '~' or 'circa'"
)
MAX_LENGTH = 100  # far longer than any date; bounds the work done on junk
ABSOLUTE_PROBES = (dt.date(2000, 6, 15), dt.date(2030, 3, 10))  # very different bases

# --- ISO forms ----------------------------------------------------------------------------



def is_iso(expression: str) -> bool:
    """True if the expression is written in an ISO form (valid or not, e.g. 2024-13-01)."""
    return _ISO.fullmatch(expression.strip()) is not None


def _parse_iso(match: re.Match[str], phrase: str, approximate: bool) -> FuzzyDate:
    year, month, day, time = match["year"], match["month"], match["day"], match["time"]
    try:
        if time:
            moment = dt.datetime.fromisoformat(match[0].upper().replace(" ", "T"))
            return FuzzyDate(moment.date(), Precision.DAY, phrase, approximate, moment=moment)
        if day:
            value, precision = dt.date(int(year), int(month), int(day)), Precision.DAY
        elif month:
            value, precision = dt.date(int(year), int(month), 1), Precision.MONTH
        else:
            value, precision = dt.date(int(year), 1, 1), Precision.YEAR
    except ValueError as error:
        raise DateError(f"invalid date {_quote(phrase)}: {error}", ACCEPTED_FORMS) from None
    return FuzzyDate(value, precision, phrase, approximate)


# --- The resolver -------------------------------------------------------------------------

_APPROXIMATE = re.compile(r"(?:~|circa\b|ca\.|c\.)\s*", re.IGNORECASE)
_PRECISIONS = {precision.value: precision for precision in Precision}
# dateparser's periods; a time or part of day ("last night", "3pm") counts as its day.
_PERIODS = {
    "day": Precision.DAY,
    "time": Precision.DAY,
    "part_of_day": Precision.DAY,
    "week": Precision.WEEK,
    "month": Precision.MONTH,
    "year": Precision.YEAR,
}


class DateResolver:
    """Resolves date expressions; each (phrase, base) once, in its own cache. No module-level mutable state."""

    def __init__(self, language: str = "en", cache: dict | None = None) -> None:
        self.language = language
        # Picklable, so that a later stage can keep it on disk between builds.
        self.cache: dict[tuple[str, str, str], Resolved] = {} if cache is None else cache
        self._settings: dict[str, Any] | None = None
        self._parsers: dict[dt.date, Any] = {}  # dateparser's parser per base: it fixes RELATIVE_BASE when made

    def resolve(self, expression: str | dt.date | int, base: dt.date) -> FuzzyDate:
        """The date an expression means, relative phrases counted from `base`."""
        phrase = _as_text(expression)
        base = base.date() if isinstance(base, dt.datetime) else base
        core, approximate = phrase, False
        if marker := _APPROXIMATE.match(core):
            core, approximate = core[marker.end() :], True
        if not core or len(phrase) > MAX_LENGTH:
            raise _cannot_understand(phrase)
        if match := _ISO.fullmatch(core):
            return _parse_iso(match, phrase, approximate)
        text = _normalise(core)
        if (prefix := PREFIX.match(text)) and not COUNT.fullmatch(text[prefix.end() :]):
            text = text[prefix.end() :]  # "in two days" counts forward; "in October" is October
            if match := _ISO.fullmatch(text):
                return _parse_iso(match, phrase, approximate)
        key = (text, base.isoformat(), self.language)
        if key not in self.cache:
            try:
                resolved = self._resolve_phrase(text, base)
            except DateError as error:
                raise DateError(f"date {_quote(phrase)}: {error.message}", error.hint) from None
            except (ValueError, OverflowError):  # counted past year 1 or 9999, or year 0 written
                resolved = None
            if resolved is None:
                raise _cannot_understand(phrase)
            self.cache[key] = (str(resolved[0]), str(resolved[1]), resolved[2], resolved[3])
        value, precision, part, resolver = self.cache[key]
        return FuzzyDate(dt.date.fromisoformat(value), _PRECISIONS[precision], phrase, approximate, part=part,
                         resolver=resolver)

    def resolve_absolute(self, expression: str | dt.date | int) -> FuzzyDate:
        """The date of an expression that needs no base, such as an article's own `date`."""
        first, second = (self.resolve(expression, probe) for probe in ABSOLUTE_PROBES)
        if (first.value, first.precision, first.part) != (second.value, second.precision, second.part):
            raise DateError(
                f"the article's date must be an absolute date, not {_quote(first.phrase)}",
                "write it as an ISO date, such as 2024-11-11",
            )
        return first

    def _resolve_phrase(self, text: str, base: dt.date) -> Resolved | None:
        english = self.language.split("-")[0].lower() == "en"
        if english and (resolved := resolve_english(text, base)):
            return resolved
        if not _worth_asking(text, english) or (found := self._dateparse(text, base)) is None:
            return None
        value, precision = start_of(found[0], found[1]), found[1]
        if value > base:
            return None  # the fallback reads only the past, as a report does; forward words are the grammar's
        weekday = _WEEKDAY_WORD.search(text) if english else None
        if weekday and (precision != Precision.DAY or value.weekday() != weekday_number(weekday[0])):
            return None
        return value.isoformat(), precision, None, DATEPARSER

    def _dateparse(self, text: str, base: dt.date) -> tuple[dt.date, Precision] | None:
        """dateparser's reading of a text: the date and the precision of its period."""
        parser = self._parser_for(base)
        try:
            data = parser.get_date_data(text)
        except Exception:  # noqa: BLE001 - a third-party parser fed with editors' text
            return None
        if data.date_obj is None or data.period not in _PERIODS:
            return None
        return data.date_obj.date(), _PERIODS[data.period]

    def _parser_for(self, base: dt.date) -> Any:
        """A dateparser parser counting from `base`; dateparser is imported on first use."""
        from dateparser.date import DateDataParser  # slow import: only sites with such phrases pay it

        language = self.language.split("-")[0].lower()
        if self._settings is None:
            if not _is_dateparser_language(language):
                raise DateError(f"dates cannot be read in language {self.language!r}", "set 'language' to 'en'")
            self._settings = {
                "PREFER_DATES_FROM": "past",
                "PREFER_DAY_OF_MONTH": "first",
                "RETURN_TIME_AS_PERIOD": True,
            }
        if base not in self._parsers:
            # The end of the base day: "this morning" and "3pm" are that day, not the one before.
            # One parser per base (~12 µs to make; the locales load once), kept with this resolver.
            moment = dt.datetime.combine(base, dt.time(23, 59, 59))
            self._parsers[base] = DateDataParser(languages=[language], settings={**self._settings,
                                                                                 "RELATIVE_BASE": moment})
        return self._parsers[base]


# A word naming a day, a period or a point in time. dateparser reads junk as dates ("a" is
# January, "the 7th" July, "32 November" 1932): an English phrase without such a word is not
# asked. Month names are left out on purpose: the grammar reads every form of a calendar date,
# so one it refused ("31 November", "7 Nov 24") is wrong, not unknown. Decades, centuries and
# fortnights are left out too: dateparser gives them a year or a week, more than they say.
_DATE_WORD = re.compile(
    rf"\b(?:{WEEKDAY}|ago|yesterday|today|tonight|tomorrow|now|days?|nights?|weeks?|weekend"
    rf"|months?|years?|{PART_OF_DAY}|midnight|hours?|minutes?|\d{{1,2}}\s*(?:am|pm))(?![\w.])",
    re.ASCII,
)
_MONTH_WORD = re.compile(rf"\b{MONTH}(?!\w)", re.ASCII)
_WEEKDAY_WORD = re.compile(rf"\b{WEEKDAY}(?!\w)", re.ASCII)


def _worth_asking(text: str, english: bool) -> bool:
    """Whether a phrase the grammar does not know may go to dateparser at all (no import otherwise)."""
    if not text.isprintable() or not any(char.isalpha() for char in text):
        return False
    if not english:
        return True
    words = text.split()
    if len(set(words)) != len(words):  # "yesterday yesterday"
        return False
    return _DATE_WORD.search(text) is not None and _MONTH_WORD.search(text) is None


def resolution_notes(site: Any) -> list[str]:
    """For `check --verbose`: every date of a loaded site, what it resolved to, and which resolver read it."""
    found = [(a.location.path, 0, 0, "date", a.date) for a in site.articles.values()]
    for statement in site.statements.values():
        where = statement.location
        for index, (field, date) in enumerate((("said", statement.said), ("about", statement.about))):
            if date is not None:
                found.append((where.path, where.line, index, field, date))
    return [f"{path}:{line or 1}: {field} {_quote(date.phrase)} → {date.iso()} ({date.precision.value}"
            f"{', approximate' if date.approximate else ''}) by {date.resolver}"
            for path, line, _, field, date in sorted(found, key=lambda item: item[:3])]


def _is_dateparser_language(language: str) -> bool:
    from dateparser.data.languages_info import language_order

    return language in language_order


def _as_text(expression: Any) -> str:
    # YAML reads `2024-11-07` as a date and `2024` as an int: take them as their ISO text.
    if isinstance(expression, str):
        return expression.strip()
    if isinstance(expression, dt.date):
        return expression.isoformat()
    if isinstance(expression, int) and not isinstance(expression, bool):
        return str(expression)
    raise DateError(f"a date must be text, not {type(expression).__name__}", ACCEPTED_FORMS)


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace(",", " ").split())


def _quote(phrase: str) -> str:
    # Messages are one line each: show control characters escaped, and long input cut short.
    shown = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in phrase[:60])
    return f"'{shown}{'…' if len(phrase) > 60 else ''}'"


def _cannot_understand(phrase: str) -> DateError:
    return DateError(f"cannot understand date {_quote(phrase)}", ACCEPTED_FORMS)


def period_end(date: FuzzyDate) -> dt.date:
    """The last day of a date's period: 2024-11 → 2024-11-30."""
    value = date.value
    if date.precision is Precision.DAY:
        return value
    if date.precision is Precision.WEEK:
        return value + dt.timedelta(days=6)
    if date.precision is Precision.MONTH:
        following = (value.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return value.replace(month=12, day=31)
