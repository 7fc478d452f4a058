"""Our English date grammar: the phrases of docs/dates.md, read in pure Python in a few µs.

The rules give what dateparser (with PREFER_DATES_FROM=past) gave for these forms when it
resolved them, and what it cannot do: weekdays on or before the base (its issue #508),
`early|mid|late <month>`, `week of <date>`, and vague words around a weekday or a period.
`dates.py` asks it first and falls back to dateparser for what it does not know.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..model import Precision
from ..vocab.dates import MONTH_NAMES as _MONTH_NAMES
from ..vocab.dates import WEEKDAY_NAMES as _WEEKDAY_NAMES

# Cached result of a phrase: (ISO value, precision, part, resolver).
Resolved = tuple[str, str, str | None, str]
GRAMMAR, DATEPARSER = "grammar", "dateparser"  # which resolver read a phrase (an ISO date: "iso")


class DateError(Exception):
    """A date expression that cannot be resolved; `hint` says what would work."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


# --- English phrases ----------------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAY = (
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


COUNT = _phrase(rf"{_NUMBER}\s+{_UNITS}")
PREFIX = _phrase(r"(?:on|during|in)\s+")
PART_OF_DAY = r"(?:morning|afternoon|evening|night|noon|midday|lunchtime)"
# "late Thursday", "Thursday evening", "on Thursday night": the day is known, the hour is not (day precision).
_CLOCK = r"(?:at|around|about)\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midnight)"
_WEEKDAY_PHRASE = _phrase(
    rf"(?:(?:early|late)\s+)?(?:(?P<which>last|next|this)\s+)?(?P<weekday>{WEEKDAY})"
    rf"(?:\s+{PART_OF_DAY})?(?:\s+{_CLOCK})?"
)
# "earlier this week", "late last month": a vague word inside a period keeps that period's precision.
_VAGUE_PERIOD = _phrase(
    r"(?:earlier|later|early|late|mid)(?:\s+|\s*-\s*)(?P<rest>(?:last|this|next)\s+(?:week|month|year))"
)
_PART = _phrase(rf"(?P<part>early|mid|late)(?:\s+|\s*-\s*)(?P<month>{MONTH}){_YEAR}")
_WEEK_OF = _phrase(r"(?:the\s+)?week\s+of\s+(?P<date>.+)")
_DAY_MONTH = _phrase(rf"(?:(?P<weekday>{WEEKDAY})\s+)?(?:the\s+)?{_ORDINAL}\s+(?:of\s+)?(?P<month>{MONTH}){_YEAR}")
_MONTH_DAY = _phrase(rf"(?:(?P<weekday>{WEEKDAY})\s+)?(?P<month>{MONTH})\s+(?:the\s+)?{_ORDINAL}{_YEAR}")
_MONTH_ONLY = _phrase(rf"(?P<month>{MONTH}){_YEAR}")
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


def weekday_number(name: str) -> int:
    """'thu', 'Thursday' → 3 (Monday is 0)."""
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


def resolve_english(text: str, base: dt.date) -> Resolved | None:
    """An English phrase (normalised, prefix removed) → (value, precision, part, resolver), or None."""
    # No text matches both _RELATIVE and another pattern, so the commonest forms go first.
    if match := _RELATIVE.fullmatch(text):
        return _resolve_relative(match, base)
    if match := _WEEKDAY_PHRASE.fullmatch(text):
        day = _weekday_date(match["which"], weekday_number(match["weekday"]), base)
        return day.isoformat(), Precision.DAY, None, GRAMMAR
    if match := _VAGUE_PERIOD.fullmatch(text):
        return resolve_english(match["rest"], base)
    if match := _PART.fullmatch(text):
        month = _recent_month(_month_number(match["month"]), match["year"], base)
        return month.isoformat(), Precision.MONTH, match["part"], GRAMMAR
    if match := _WEEK_OF.fullmatch(text):
        inner = resolve_english(match["date"], base)
        if inner is None or inner[1] != Precision.DAY:
            return None
        return start_of(dt.date.fromisoformat(inner[0]), Precision.WEEK).isoformat(), Precision.WEEK, None, GRAMMAR
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
    if groups.get("weekday") and value.weekday() != (said := weekday_number(groups["weekday"])):
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


def start_of(value: dt.date, precision: Precision) -> dt.date:
    """The first day of the period of `precision` holding `value` (weeks start on Monday)."""
    if precision == Precision.WEEK:
        return value - dt.timedelta(days=value.weekday())
    if precision == Precision.MONTH:
        return value.replace(day=1)
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    return value
