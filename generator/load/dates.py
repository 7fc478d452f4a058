"""Date expressions → `FuzzyDate`: ISO forms, then our English grammar, then dateparser as the fallback.

English phrases go first through a small grammar (the forms in docs/dates.md), resolved in
pure Python in a few µs, where it is more truthful than dateparser: weekdays (dateparser's
issue #508 puts "Thursday" in a Thursday article a week back), `early|mid|late <month>`,
`week of <date>`, and vague words around a weekday or a period ("late Thursday", "earlier
this week"), which dateparser does not read. A phrase the grammar does not know goes to
dateparser (0.5–4 ms a call, imported only then) with the base as its relative base and the
site's language; its answer is kept only if it passes our checks (see `_checked`), since it
accepts almost anything ("a" is January). Other languages go to dateparser, with the same checks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from ..model import FuzzyDate, Precision
from ..vocab.dates import ISO as _ISO
from ..vocab.dates import MONTH_NAMES as _MONTH_NAMES
from ..vocab.dates import WEEKDAY_NAMES as _WEEKDAY_NAMES

ACCEPTED_FORMS = (
    "use an ISO date (2024-11-07, 2024-11-07T14:30, 2024-11, 2024) or a phrase such as "
    "'Thursday', 'yesterday', 'two days ago', 'last week', '7 November', 'November 2024' "
    "or 'early November', optionally after '~' or 'circa'"
)
MAX_LENGTH = 100  # far longer than any date; bounds the work done on junk
ABSOLUTE_PROBES = (dt.date(2000, 6, 15), dt.date(2030, 3, 10))  # very different bases

# Cached result of a phrase: (ISO value, precision, part, resolver).
Resolved = tuple[str, str, str | None, str]
GRAMMAR, DATEPARSER, ISO = "grammar", "dateparser", "iso"  # which resolver produced a date


class DateError(Exception):
    """A date expression that cannot be resolved; `hint` says what would work."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


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


# --- English phrases ----------------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?"
)
_UNITS = r"(?:day|week|fortnight|month|year)s?"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_SMALL = f"{_ONES}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER = rf"(?:\d{{1,5}}|an?|{_SMALL}|(?:{_TENS})(?:-(?:{_ONES}))?)"  # 0–99999, a, an, one … ninety-nine
_ORDINAL = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:\s+(?P<year>\d{4}))?"


def _phrase(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


_COUNT = _phrase(rf"{_NUMBER}\s+{_UNITS}")
_PREFIX = _phrase(r"(?:on|during|in)\s+")
_PART_OF_DAY = r"(?:morning|afternoon|evening|night|noon|midday|lunchtime)"
# "late Thursday", "Thursday evening", "on Thursday night": the day is known, the hour is not (day precision).
_CLOCK = r"(?:at|around|about)\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midnight)"
_WEEKDAY_PHRASE = _phrase(
    rf"(?:(?:early|late)\s+)?(?:(?P<which>last|next|this)\s+)?(?P<weekday>{_WEEKDAY})"
    rf"(?:\s+{_PART_OF_DAY})?(?:\s+{_CLOCK})?"
)
# "earlier this week", "late last month": a vague word inside a period keeps that period's precision.
_VAGUE_PERIOD = _phrase(
    r"(?:earlier|later|early|late|mid)(?:\s+|\s*-\s*)(?P<rest>(?:last|this|next)\s+(?:week|month|year))"
)
_PART = _phrase(rf"(?P<part>early|mid|late)(?:\s+|\s*-\s*)(?P<month>{_MONTH}){_YEAR}")
_WEEK_OF = _phrase(r"(?:the\s+)?week\s+of\s+(?P<date>.+)")
_DAY_MONTH = _phrase(rf"(?:(?P<weekday>{_WEEKDAY})\s+)?(?:the\s+)?{_ORDINAL}\s+(?:of\s+)?(?P<month>{_MONTH}){_YEAR}")
_MONTH_DAY = _phrase(rf"(?:(?P<weekday>{_WEEKDAY})\s+)?(?P<month>{_MONTH})\s+(?:the\s+)?{_ORDINAL}{_YEAR}")
_MONTH_ONLY = _phrase(rf"(?P<month>{_MONTH}){_YEAR}")
_RELATIVE = _phrase(
    rf"in\s+(?P<ahead>{_NUMBER})\s+(?P<ahead_unit>{_UNITS})"
    rf"|(?P<count>{_NUMBER})\s+(?P<unit>{_UNITS})\s+(?P<direction>ago|from\s+now)"
    r"|(?P<which>last|this|next)\s+(?P<period>week|month|year)"
    r"|(?P<word>yesterday|today|tomorrow|now|(?:the\s+)?day\s+(?:before\s+yesterday|after\s+tomorrow))"
)
_NUMBER_WORDS = (
    {"a": 1, "an": 1}
    | {word: value for value, word in enumerate(_SMALL.split("|"), start=1)}
    | {word: value for value, word in zip(range(20, 100, 10), _TENS.split("|"), strict=True)}
)
_DAYS_AWAY = {
    "yesterday": -1, "today": 0, "now": 0, "tomorrow": 1, "day before yesterday": -2, "day after tomorrow": 2,
}  # fmt: skip
_STEP = {"last": -1, "this": 0, "next": 1}
# The most days each month can have (February: in a leap year).
_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_number(name: str) -> int:
    return _MONTHS.index(name[:3]) + 1


def _weekday_number(name: str) -> int:
    return _WEEKDAYS.index(name[:3])


def _weekday_date(which: str | None, weekday: int, base: dt.date) -> dt.date:
    # A bare weekday may be the base itself; "last" is strictly before and "next"
    # strictly after it (as dateparser does); "this" is the day in the base's week.
    offset = base.weekday() - weekday
    if which is None:
        return base - dt.timedelta(days=offset % 7)
    if which == "last":
        return base - dt.timedelta(days=(offset - 1) % 7 + 1)
    if which == "next":
        return base + dt.timedelta(days=(-offset - 1) % 7 + 1)
    return base - dt.timedelta(days=offset)


def _recent_month(month: int, year: str | None, base: dt.date) -> dt.date:
    # Without a year, the most recent such month on or before the base. (dateparser, which
    # read "February" before, gave February four years back on 29-31 January of a leap year.)
    if year is not None:
        return dt.date(int(year), month, 1)
    return dt.date(base.year if month <= base.month else base.year - 1, month, 1)


def _recent_day(month: int, day: int, base: dt.date) -> dt.date | None:
    # Without a year, the most recent such day on or before the base: for 29 February
    # that can be up to eight years back (2096 is the last one before 2104).
    if not 1 <= day <= _MONTH_LENGTHS[month - 1]:
        return None
    for year in range(base.year, max(base.year - 8, 0), -1):
        if (month, day) == (2, 29) and not calendar.isleap(year):
            continue
        if (value := dt.date(year, month, day)) <= base:
            return value
    return None


def _resolve_english(text: str, base: dt.date) -> Resolved | None:
    """An English phrase (normalised, prefix removed) → (value, precision, part), or None."""
    # No text matches both _RELATIVE and another pattern, so the commonest forms go first.
    if match := _RELATIVE.fullmatch(text):
        return _resolve_relative(match, base)
    if match := _WEEKDAY_PHRASE.fullmatch(text):
        day = _weekday_date(match["which"], _weekday_number(match["weekday"]), base)
        return day.isoformat(), Precision.DAY, None, GRAMMAR
    if match := _VAGUE_PERIOD.fullmatch(text):
        return _resolve_english(match["rest"], base)
    if match := _PART.fullmatch(text):
        month = _recent_month(_month_number(match["month"]), match["year"], base)
        return month.isoformat(), Precision.MONTH, match["part"], GRAMMAR
    if match := _WEEK_OF.fullmatch(text):
        inner = _resolve_english(match["date"], base)
        if inner is None or inner[1] != Precision.DAY:
            return None
        return _start_of(dt.date.fromisoformat(inner[0]), Precision.WEEK).isoformat(), Precision.WEEK, None, GRAMMAR
    if match := _DAY_MONTH.fullmatch(text) or _MONTH_DAY.fullmatch(text) or _MONTH_ONLY.fullmatch(text):
        return _resolve_calendar(match, base)
    return None


def _resolve_calendar(match: re.Match[str], base: dt.date) -> Resolved | None:
    """`7 November [2024]`, `November 7`, `November [2024]`: without a year, the latest on or before the base."""
    groups = match.groupdict()
    month, day, year = _month_number(match["month"]), groups.get("day"), match["year"]
    if day is None:
        return _recent_month(month, year, base).isoformat(), Precision.MONTH, None, GRAMMAR
    if year is None:
        value = _recent_day(month, int(day), base)
        if value is None:
            return None
    else:
        value = dt.date(int(year), month, int(day))  # ValueError for 31 November or year 0: rejected
    if groups.get("weekday") and value.weekday() != (said := _weekday_number(groups["weekday"])):
        written = f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"
        raise DateError(
            f"{written} is a {_WEEKDAY_NAMES[value.weekday()]}, not a {_WEEKDAY_NAMES[said]}",
            "correct the day, or leave the weekday out",
        )
    return value.isoformat(), Precision.DAY, None, GRAMMAR


def _resolve_relative(match: re.Match[str], base: dt.date) -> Resolved | None:
    """`two days ago`, `in 3 weeks`, `2 days from now`, `last month`, `yesterday`: counted from the base."""
    if word := match["word"]:
        return _count_from(base, _DAYS_AWAY[word.removeprefix("the ")], "day")
    if which := match["which"]:
        return _count_from(base, _STEP[which], match["period"])
    if number := match["ahead"]:
        unit, sign = match["ahead_unit"], 1
    else:
        number, unit, sign = match["count"], match["unit"], -1 if match["direction"] == "ago" else 1
    if number.isdigit():
        count = int(number)
    else:
        # As dateparser read them: a count in words past twelve needs a plural ("thirteen day ago").
        tens, _, ones = number.partition("-")
        count = _NUMBER_WORDS[tens] + (_NUMBER_WORDS[ones] if ones else 0)
        if count > 12 and not unit.endswith("s"):
            return None
    return _count_from(base, sign * count, unit.removesuffix("s"))


def _count_from(base: dt.date, count: int, unit: str) -> Resolved:
    """`count` units after the base (before it if negative), as the first day of that unit's period.

    Months and years are counted on the calendar, so the day of the month never matters:
    a month before 31 March 2024 is February 2024 (dateparser clamped to 29 February, and
    kept its month). Past year 1 or 9999 raises ValueError or OverflowError: rejected.
    """
    if unit == "day":
        return (base + dt.timedelta(days=count)).isoformat(), Precision.DAY, None, GRAMMAR
    if unit in ("week", "fortnight"):
        value = base + dt.timedelta(weeks=count * (2 if unit == "fortnight" else 1))
        return (value - dt.timedelta(days=value.weekday())).isoformat(), Precision.WEEK, None, GRAMMAR
    if unit == "month":
        year, month = divmod(base.year * 12 + base.month - 1 + count, 12)
        return dt.date(year, month + 1, 1).isoformat(), Precision.MONTH, None, GRAMMAR
    return dt.date(base.year + count, 1, 1).isoformat(), Precision.YEAR, None, GRAMMAR


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
        if (prefix := _PREFIX.match(text)) and not _COUNT.fullmatch(text[prefix.end() :]):
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
        if english and (resolved := _resolve_english(text, base)):
            return resolved
        if not _worth_asking(text, english) or (found := self._dateparse(text, base)) is None:
            return None
        value, precision = _start_of(found[0], found[1]), found[1]
        if value > base:
            return None  # the fallback reads only the past, as a report does; forward words are the grammar's
        weekday = _WEEKDAY_WORD.search(text) if english else None
        if weekday and (precision != Precision.DAY or value.weekday() != _weekday_number(weekday[0])):
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
    rf"\b(?:{_WEEKDAY}|ago|yesterday|today|tonight|tomorrow|now|days?|nights?|weeks?|weekend"
    rf"|months?|years?|{_PART_OF_DAY}|midnight|hours?|minutes?|\d{{1,2}}\s*(?:am|pm))(?![\w.])",
    re.ASCII,
)
_MONTH_WORD = re.compile(rf"\b{_MONTH}(?!\w)", re.ASCII)
_WEEKDAY_WORD = re.compile(rf"\b{_WEEKDAY}(?!\w)", re.ASCII)


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


def _start_of(value: dt.date, precision: Precision) -> dt.date:
    if precision == Precision.WEEK:
        return value - dt.timedelta(days=value.weekday())
    if precision == Precision.MONTH:
        return value.replace(day=1)
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    return value


def _quote(phrase: str) -> str:
    # Messages are one line each: show control characters escaped, and long input cut short.
    shown = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in phrase[:60])
    return f"'{shown}{'…' if len(phrase) > 60 else ''}'"


def _cannot_understand(phrase: str) -> DateError:
    return DateError(f"cannot understand date {_quote(phrase)}", ACCEPTED_FORMS)
