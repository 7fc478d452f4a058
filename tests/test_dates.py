"""Tests of the date stage: expressions → FuzzyDate, rejections, caching, never a traceback."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.dates import DateError, DateResolver, is_iso
from generator.model import FuzzyDate, Precision

MON = dt.date(2024, 11, 11)  # the seed story's Monday: the Kremlin's denial
D, W, M, Y = Precision.DAY, Precision.WEEK, Precision.MONTH, Precision.YEAR

# (expression, base, expected value, precision, approximate). Every weekday below was
# checked against a calendar: 2024-11-07 Thu, 2024-11-11 Mon, 2024-11-17 Sun,
# 2024-02-29 Thu, 2024-03-01 Fri, 2025-01-01 Wed, 2024-12-27 Fri.
RESOLVED = [
    # ISO forms: the base plays no part
    ("2024-11-07", MON, "2024-11-07", D, False),
    ("1999-12-31", MON, "1999-12-31", D, False),
    ("2024-02-29", MON, "2024-02-29", D, False),
    ("2024-11", MON, "2024-11-01", M, False),
    ("2024", MON, "2024-01-01", Y, False),
    ("2024-11-07T14:30", MON, "2024-11-07", D, False),
    ("2024-11-07T14:30:05", MON, "2024-11-07", D, False),
    ("2024-11-07T23:30+03:00", MON, "2024-11-07", D, False),
    ("2024-11-07T00:30-05:00", MON, "2024-11-07", D, False),
    ("2024-11-07T14:30:05Z", MON, "2024-11-07", D, False),
    ("2024-11-07 14:30", MON, "2024-11-07", D, False),
    ("  2024-11-07\n", MON, "2024-11-07", D, False),
    # every weekday against Monday 11 November 2024: on or before the base
    ("Monday", MON, "2024-11-11", D, False),
    ("Tuesday", MON, "2024-11-05", D, False),
    ("Wednesday", MON, "2024-11-06", D, False),
    ("Thursday", MON, "2024-11-07", D, False),
    ("Friday", MON, "2024-11-08", D, False),
    ("Saturday", MON, "2024-11-09", D, False),
    ("Sunday", MON, "2024-11-10", D, False),
    ("on Thursday", MON, "2024-11-07", D, False),
    ("on Monday", MON, "2024-11-11", D, False),
    ("THURSDAY", MON, "2024-11-07", D, False),
    ("thu", MON, "2024-11-07", D, False),
    ("Thurs", MON, "2024-11-07", D, False),
    ("sun", MON, "2024-11-10", D, False),
    # a weekday equal to the base's is the base itself
    ("Thursday", dt.date(2024, 11, 7), "2024-11-07", D, False),
    ("Sunday", dt.date(2024, 11, 17), "2024-11-17", D, False),
    ("Wednesday", dt.date(2025, 1, 1), "2025-01-01", D, False),
    ("Friday", dt.date(2024, 11, 7), "2024-11-01", D, False),
    ("Monday", dt.date(2024, 11, 17), "2024-11-11", D, False),
    ("Thursday", dt.date(2024, 3, 1), "2024-02-29", D, False),
    ("Friday", dt.date(2025, 1, 1), "2024-12-27", D, False),
    # last: strictly before; next: strictly after; this: in the base's week
    ("last Thursday", MON, "2024-11-07", D, False),
    ("last Monday", MON, "2024-11-04", D, False),
    ("next Tuesday", MON, "2024-11-12", D, False),
    ("next Monday", MON, "2024-11-18", D, False),
    ("next Tuesday", dt.date(2024, 11, 12), "2024-11-19", D, False),
    ("this Thursday", MON, "2024-11-14", D, False),
    ("this Monday", dt.date(2024, 11, 15), "2024-11-11", D, False),
    # days counted from the base
    ("yesterday", MON, "2024-11-10", D, False),
    ("today", MON, "2024-11-11", D, False),
    ("tomorrow", MON, "2024-11-12", D, False),
    ("two days ago", MON, "2024-11-09", D, False),
    ("3 days ago", MON, "2024-11-08", D, False),
    ("the day before yesterday", MON, "2024-11-09", D, False),
    ("in two days", MON, "2024-11-13", D, False),
    ("yesterday", dt.date(2024, 3, 1), "2024-02-29", D, False),
    ("yesterday", dt.date(2024, 1, 1), "2023-12-31", D, False),
    # weeks: their Monday
    ("last week", MON, "2024-11-04", W, False),
    ("last week", dt.date(2024, 11, 13), "2024-11-04", W, False),
    ("a week ago", MON, "2024-11-04", W, False),
    ("two weeks ago", dt.date(2024, 11, 13), "2024-10-28", W, False),
    ("this week", dt.date(2024, 11, 17), "2024-11-11", W, False),
    ("next week", dt.date(2024, 11, 17), "2024-11-18", W, False),
    ("week of 7 November 2024", MON, "2024-11-04", W, False),
    # months and years: their first day
    ("last month", MON, "2024-10-01", M, False),
    ("last month", dt.date(2024, 1, 15), "2023-12-01", M, False),
    ("two months ago", MON, "2024-09-01", M, False),
    ("next month", MON, "2024-12-01", M, False),
    ("last year", MON, "2023-01-01", Y, False),
    ("in 2024", MON, "2024-01-01", Y, False),
    ("during 2023", MON, "2023-01-01", Y, False),
    # calendar dates: without a year, the most recent on or before the base
    ("7 November", MON, "2024-11-07", D, False),
    ("November 7", MON, "2024-11-07", D, False),
    ("7 November 2024", MON, "2024-11-07", D, False),
    ("November 7, 2024", MON, "2024-11-07", D, False),
    ("the 7th of November", MON, "2024-11-07", D, False),
    ("Sept. 7", MON, "2024-09-07", D, False),
    ("11 November", MON, "2024-11-11", D, False),
    ("7 November", dt.date(2024, 11, 5), "2023-11-07", D, False),
    ("29 February", dt.date(2025, 6, 1), "2024-02-29", D, False),
    ("Thursday 7 November 2024", MON, "2024-11-07", D, False),
    ("November 2024", MON, "2024-11-01", M, False),
    ("in October", MON, "2024-10-01", M, False),
    ("October", MON, "2024-10-01", M, False),
    ("November", MON, "2024-11-01", M, False),
    ("December", MON, "2023-12-01", M, False),
    # early, mid, late: month precision
    ("early November", MON, "2024-11-01", M, False),
    ("late October 2024", MON, "2024-10-01", M, False),
    ("mid-December", MON, "2023-12-01", M, False),
    ("in late October", MON, "2024-10-01", M, False),
    # approximate
    ("~2024-11", MON, "2024-11-01", M, True),
    ("circa 2024", MON, "2024-01-01", Y, True),
    ("c. 2024-11-07", MON, "2024-11-07", D, True),
    ("~Thursday", MON, "2024-11-07", D, True),
    ("circa Thursday", MON, "2024-11-07", D, True),
    ("~ early November", MON, "2024-11-01", M, True),
    ("c. last week", MON, "2024-11-04", W, True),
    ("Circa 7 November 2024", MON, "2024-11-07", D, True),
    # more counted phrases (each checked against a calendar, and against what dateparser
    # gave before English phrases were resolved without it): 2024-11-17 Sun, 2024-12-30 Mon
    ("now", MON, "2024-11-11", D, False),
    ("a day ago", MON, "2024-11-10", D, False),
    ("five days ago", MON, "2024-11-06", D, False),
    ("twenty-one days ago", MON, "2024-10-21", D, False),
    ("in twenty days", MON, "2024-12-01", D, False),
    ("2 days from now", MON, "2024-11-13", D, False),
    ("the day after tomorrow", MON, "2024-11-13", D, False),
    ("99999 days ago", MON, "1751-01-28", D, False),
    ("three weeks ago", dt.date(2024, 11, 17), "2024-10-21", W, False),
    ("2 weeks from now", MON, "2024-11-25", W, False),
    ("a fortnight ago", MON, "2024-10-28", W, False),
    ("in a fortnight", MON, "2024-11-25", W, False),
    ("next week", dt.date(2024, 12, 30), "2025-01-06", W, False),
    ("last week", dt.date(2025, 1, 1), "2024-12-23", W, False),
    ("week of yesterday", MON, "2024-11-04", W, False),
    ("week of 29 February 2024", MON, "2024-02-26", W, False),
    ("this month", MON, "2024-11-01", M, False),
    ("one month ago", dt.date(2024, 3, 31), "2024-02-01", M, False),  # no 31 February: still February
    ("last month", dt.date(2024, 3, 31), "2024-02-01", M, False),
    ("a month ago", dt.date(2024, 5, 31), "2024-04-01", M, False),
    ("in 3 months", dt.date(2024, 1, 31), "2024-04-01", M, False),
    ("twelve months ago", MON, "2023-11-01", M, False),
    ("13 months ago", MON, "2023-10-01", M, False),
    ("this year", MON, "2024-01-01", Y, False),
    ("next year", MON, "2025-01-01", Y, False),
    ("two years ago", MON, "2022-01-01", Y, False),
    ("a year ago", dt.date(2024, 2, 29), "2023-01-01", Y, False),
    ("in 2 years", dt.date(2024, 2, 29), "2026-01-01", Y, False),
    # more calendar dates: 29 February is the latest one on or before the base (2100 is not a leap year)
    ("7th November", MON, "2024-11-07", D, False),
    ("Nov 7th", MON, "2024-11-07", D, False),
    ("November 2014", MON, "2014-11-01", M, False),
    ("in November 2014", MON, "2014-11-01", M, False),
    ("29 February", dt.date(2024, 2, 28), "2020-02-29", D, False),
    ("29 February", dt.date(2100, 3, 1), "2096-02-29", D, False),
    ("31 December", dt.date(2025, 1, 1), "2024-12-31", D, False),
    ("February", dt.date(2020, 1, 31), "2019-02-01", M, False),  # dateparser said 2016
    ("early February", dt.date(2020, 1, 31), "2019-02-01", M, False),
]

REJECTED = [
    "",
    "   ",
    "banana",
    "the day after the meeting",
    "32 November",
    "31 November",
    "30 February 2024",
    "29 February 2023",
    "0 November",
    "7/11/2024",
    "11/7",
    "12",
    "7th",
    "a",
    "last decade",
    "early 2024",
    "7 Nov 24",
    "in 9999 years",
    "yesterday yesterday",
    "2024-11-7",
    "20241107",
    "on",
    "~",
    "circa",
    "Thursday\x00",
    "٢٠٢٤-١١-٠٧",  # Arabic-Indic digits are not ISO digits
    "x" * 1000,
    "on" + " " * 100 + "Thursday",  # too long as written, however short once spaces are collapsed
    "thirteen day ago",  # a count in words past twelve wants a plural, as dateparser had it
    "twenty-ten days ago",
    "31 April",
    "last fortnight",
    "week of November 2024",
]

# Phrases beyond the grammar's table, and which resolver reads each: the grammar where it is more
# truthful (a weekday, with or without vague words around it), dateparser for what the grammar does
# not know, counted from the end of the base day, its answer checked (never after the base, a weekday
# it names kept). THU is a Thursday: dateparser alone would put "Thursday evening" a week back.
THU = dt.date(2024, 11, 14)
FALLBACK = [
    ("Thursday evening", MON, "2024-11-07", D, "grammar"),
    ("Thursday evening", THU, "2024-11-14", D, "grammar"),
    ("late Thursday", MON, "2024-11-07", D, "grammar"),
    ("on Thursday night", THU, "2024-11-14", D, "grammar"),
    ("Thursday at 3pm", MON, "2024-11-07", D, "grammar"),
    ("earlier this week", MON, "2024-11-11", W, "grammar"),
    ("earlier this week", THU, "2024-11-11", W, "grammar"),
    ("late last week", MON, "2024-11-04", W, "grammar"),
    ("earlier this month", THU, "2024-11-01", M, "grammar"),
    ("earlier this year", THU, "2024-01-01", Y, "grammar"),
    ("three days ago", MON, "2024-11-08", D, "grammar"),
    ("last month", MON, "2024-10-01", M, "grammar"),
    ("last night", MON, "2024-11-10", D, "dateparser"),
    ("this morning", THU, "2024-11-14", D, "dateparser"),
    ("yesterday evening", MON, "2024-11-10", D, "dateparser"),
    ("an hour ago", MON, "2024-11-11", D, "dateparser"),
    ("3pm", MON, "2024-11-11", D, "dateparser"),
    ("twenty one days ago", MON, "2024-10-21", D, "dateparser"),
    ("2024-11-07", MON, "2024-11-07", D, "iso"),
]


@pytest.mark.parametrize(("expression", "base", "expected", "precision", "resolver"), FALLBACK)
def test_resolves_beyond_the_grammar_and_says_by_what(expression: str, base: dt.date, expected: str,
                                                       precision: Precision, resolver: str):
    result = DateResolver().resolve(expression, base)
    assert (result.iso(), result.precision, result.resolver) == (expected, precision, resolver)


@pytest.mark.parametrize("expression", ["a", "the 7th", "5", "32 November", "7 Nov 24", "last decade",
                                        "last fortnight", "yesterday yesterday", "Thursday\x00", "in 9999 years"])
def test_dateparser_junk_and_future_answers_are_refused(expression: str):
    with pytest.raises(DateError, match="^cannot understand date"):
        DateResolver().resolve(expression, MON)


def test_dateparser_answers_are_cached_per_phrase_and_base(monkeypatch: pytest.MonkeyPatch):
    resolver = DateResolver()
    calls: list[str] = []
    real = resolver._dateparse
    monkeypatch.setattr(resolver, "_dateparse", lambda text, base: calls.append(text) or real(text, base))
    assert resolver.resolve("last night", MON).iso() == resolver.resolve("Last  night", MON).iso() == "2024-11-10"
    assert resolver.resolve("last night", THU).iso() == "2024-11-13"
    assert calls == ["last night", "last night"]
    assert DateResolver().cache == {}  # each resolver its own cache: no module state


INVALID_ISO = ["2024-13-01", "2024-02-30", "2023-02-29", "2024-00", "0000", "2024-11-07T25:00"]


@pytest.mark.parametrize(("expression", "base", "expected", "precision", "approximate"), RESOLVED)
def test_resolves(expression: str, base: dt.date, expected: str, precision: Precision, approximate: bool):
    result = DateResolver().resolve(expression, base)
    assert (result.iso(), result.precision, result.approximate) == (expected, precision, approximate)
    assert result.phrase == expression.strip()


def test_table_is_large_and_values_start_their_period():
    assert len(RESOLVED) >= 60
    for _, _, expected, precision, _ in RESOLVED:
        value = dt.date.fromisoformat(expected)
        assert precision != W or value.weekday() == 0
        assert precision not in (M, Y) or value.day == 1
        assert precision != Y or value.month == 1


def test_bare_weekdays_are_on_or_before_their_base():
    # An independent check of the weekday rows: right weekday, 0–6 days back.
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for expression, base, expected, _, _ in RESOLVED:
        words = expression.lower().removeprefix("on ").removeprefix("~").removeprefix("circa ")
        if words in names:
            value = dt.date.fromisoformat(expected)
            assert value.weekday() == names.index(words)
            assert 0 <= (base - value).days <= 6


@pytest.mark.parametrize("expression", REJECTED)
def test_rejects(expression: str):
    with pytest.raises(DateError) as caught:
        DateResolver().resolve(expression, MON)
    shown = expression.strip().replace("\x00", "\\x00")
    if len(shown) > 60:
        shown = shown[:60] + "…"
    assert caught.value.message == f"cannot understand date '{shown}'"
    assert "ISO date" in caught.value.hint and "circa" in caught.value.hint


@pytest.mark.parametrize("expression", INVALID_ISO)
def test_rejects_invalid_iso(expression: str):
    with pytest.raises(DateError, match=f"^invalid date '{expression}': "):
        DateResolver().resolve(expression, MON)


def test_weekday_that_contradicts_the_date():
    with pytest.raises(DateError) as caught:
        DateResolver().resolve("Friday 7 November 2024", MON)
    assert caught.value.message == ("date 'Friday 7 November 2024': 7 November 2024 is a Thursday, not a Friday")


@pytest.mark.parametrize(
    ("expression", "base"),
    [
        ("Thursday", dt.date(1, 1, 1)),
        ("last Monday", dt.date(1, 1, 1)),
        ("next Tuesday", dt.date(9999, 12, 31)),
        ("tomorrow", dt.date(9999, 12, 31)),
        ("December", dt.date(1, 3, 1)),
        ("early December", dt.date(1, 3, 1)),
        ("early November 0000", MON),
        ("7 November 0000", MON),
        ("29 February", dt.date(3, 6, 1)),
        ("7 November", dt.date(1, 11, 6)),
        ("two years ago", dt.date(1, 6, 1)),
        ("a month ago", dt.date(1, 1, 31)),
        ("last week", dt.date(1, 1, 3)),
        ("99999 years ago", MON),
        ("in 3 months", dt.date(9999, 11, 1)),
        ("next week", dt.date(9999, 12, 27)),
    ],
)
def test_rejects_dates_outside_the_calendar(expression: str, base: dt.date):
    with pytest.raises(DateError, match="^cannot understand date"):
        DateResolver().resolve(expression, base)


def test_keeps_phrase_part_and_moment():
    resolver = DateResolver()
    late = resolver.resolve("  ~ late October 2024 ", MON)
    assert (late.phrase, late.part, late.approximate) == ("~ late October 2024", "late", True)
    assert late.moment is None
    assert resolver.resolve("early November", MON).part == "early"
    assert resolver.resolve("mid November", MON).part == "mid"
    assert resolver.resolve("November", MON).part is None
    plus_three = dt.timezone(dt.timedelta(hours=3))
    moment = resolver.resolve("2024-11-07T23:30+03:00", MON).moment
    assert moment == dt.datetime(2024, 11, 7, 23, 30, tzinfo=plus_three) and moment.utcoffset() is not None
    assert resolver.resolve("2024-11-07T14:30:05Z", MON).moment == dt.datetime(2024, 11, 7, 14, 30, 5, tzinfo=dt.UTC)
    assert resolver.resolve("2024-11-07T14:30", MON).moment.tzinfo is None
    assert resolver.resolve("2024-11-07", MON).moment is None


def test_accepts_what_yaml_makes_of_dates():
    resolver = DateResolver()
    assert resolver.resolve(dt.date(2024, 11, 7), MON) == FuzzyDate(dt.date(2024, 11, 7), D, "2024-11-07")
    assert resolver.resolve(2024, MON) == FuzzyDate(dt.date(2024, 1, 1), Y, "2024")
    for wrong in (None, True, 3.5, ["2024"]):
        with pytest.raises(DateError, match="a date must be text"):
            resolver.resolve(wrong, MON)


@pytest.mark.parametrize(
    ("expression", "expected", "precision"),
    [
        ("2024-11-11", "2024-11-11", D),
        ("2024-11-11T09:00+01:00", "2024-11-11", D),
        ("2024-11", "2024-11-01", M),
        ("7 November 2024", "2024-11-07", D),
        ("November 2024", "2024-11-01", M),
        ("late October 2024", "2024-10-01", M),
        ("~2024", "2024-01-01", Y),
    ],
)
def test_resolve_absolute_accepts(expression: str, expected: str, precision: Precision):
    result = DateResolver().resolve_absolute(expression)
    assert (result.iso(), result.precision) == (expected, precision)


@pytest.mark.parametrize(
    "expression", ["Thursday", "7 November", "yesterday", "last week", "December", "early November"]
)
def test_resolve_absolute_rejects_relative_phrases(expression: str):
    with pytest.raises(DateError) as caught:
        DateResolver().resolve_absolute(expression)
    assert caught.value.message == f"the article's date must be an absolute date, not '{expression}'"
    assert caught.value.hint == "write it as an ISO date, such as 2024-11-11"


def test_resolve_absolute_reports_what_it_cannot_understand():
    with pytest.raises(DateError, match="^cannot understand date 'banana'$"):
        DateResolver().resolve_absolute("banana")


def forbid_dateparser(resolver: DateResolver, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args):
        raise AssertionError("dateparser was asked")

    monkeypatch.setattr(resolver, "_parser_for", refuse)
    monkeypatch.setattr(resolver, "_dateparse", refuse)


# Every form in docs/dates.md, and every kind of phrase in the benchmark corpus
# (benchmarks/make_corpus.py): English phrases are resolved without dateparser.
ENGLISH_PHRASES = [
    "today", "yesterday", "the day before yesterday", "day after tomorrow", "tomorrow", "now",
    "two days ago", "three days ago", "four days ago", "five days ago", "3 days ago", "a day ago",
    "in two days", "2 days from now", "twenty-one days ago", "ninety-nine days ago",
    "last week", "this week", "next week", "a week ago", "two weeks ago", "in 3 weeks", "a fortnight ago",
    "last month", "this month", "next month", "two months ago", "a month ago", "in 6 months",
    "last year", "this year", "next year", "a year ago", "eleven years ago", "2 years from now",
    "week of 4 November 2024", "the week of Thursday", "week of yesterday",
    "7 November", "November 7", "the 7th of November", "7th November", "Sept. 7", "on 7 November",
    "7 November 2024", "November 7, 2024", "Thursday 7 November 2024", "29 February",
    "November", "in October", "December", "November 2024", "November 2014", "circa November 2019",
    "Thursday", "on Monday", "last Friday", "next Tuesday", "this Sunday",
    "early November", "mid-December", "late October 2024", "~ early November", "c. last week",
]  # fmt: skip


@pytest.mark.parametrize("base", [MON, dt.date(2015, 1, 1), dt.date(2020, 2, 29), dt.date(2024, 12, 31)])
def test_english_phrases_never_reach_dateparser(base: dt.date, monkeypatch: pytest.MonkeyPatch):
    resolver = DateResolver("en-GB")
    forbid_dateparser(resolver, monkeypatch)
    for phrase in ENGLISH_PHRASES:
        resolver.resolve(phrase, base)
    free = DateResolver("en-GB")  # rejected phrases may be asked of dateparser, and still be refused
    for phrase in REJECTED + ["Friday 7 November 2024"]:
        with pytest.raises(DateError):
            free.resolve(phrase, base)


def test_every_form_in_the_docs_resolves_without_dateparser(monkeypatch: pytest.MonkeyPatch):
    docs = Path(__file__).resolve().parents[1] / "docs" / "dates.md"
    rows = [line.split("|")[1] for line in docs.read_text().splitlines() if line.startswith("| `")]
    examples = [example for row in rows for example in row.split("`")[1::2]]
    assert len(examples) > 50
    resolver = DateResolver()
    forbid_dateparser(resolver, monkeypatch)
    for example in examples:
        resolver.resolve(example, MON)


def test_iso_forms_never_reach_dateparser(monkeypatch: pytest.MonkeyPatch):
    resolver = DateResolver()
    forbid_dateparser(resolver, monkeypatch)
    for expression in ("2024-11-07", "2024-11-07T14:30+03:00", "2024-11", "2024", "~2024", "in 2024"):
        resolver.resolve(expression, MON)
    for expression in INVALID_ISO + ["banana", "12", "7/11/2024"]:
        with pytest.raises(DateError):
            resolver.resolve(expression, MON)
    assert resolver.cache == {}
    french = DateResolver("fr")
    forbid_dateparser(french, monkeypatch)
    with pytest.raises(AssertionError, match="dateparser was asked"):
        french.resolve("hier", MON)  # proves the guard itself works


def test_english_site_never_imports_dateparser():
    script = (
        "import datetime, sys\n"
        "from generator.load.dates import DateResolver\n"
        "r = DateResolver()\n"
        "r.resolve('2024-11-07T14:30Z', datetime.date(2024, 11, 11)); r.resolve_absolute('~2024-11')\n"
        "for phrase in ('yesterday', 'last week', 'two days ago', '7 November', 'November 2024', 'Thursday'):\n"
        "    r.resolve(phrase, datetime.date(2024, 11, 11))\n"
        "print('dateparser' in sys.modules)\n"
        "DateResolver('fr').resolve('hier', datetime.date(2024, 11, 11))\n"
        "print('dateparser' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_phrases_are_cached_per_phrase_and_base(monkeypatch: pytest.MonkeyPatch):
    resolver = DateResolver()
    calls: list[dt.date] = []
    real = resolver._resolve_phrase
    monkeypatch.setattr(resolver, "_resolve_phrase", lambda text, base: calls.append(base) or real(text, base))
    first = resolver.resolve("two days ago", MON)
    assert resolver.resolve("Two  days ago", MON).value == first.value
    assert resolver.resolve("~two days ago", MON).approximate
    assert len(calls) == 1
    assert resolver.resolve("two days ago", dt.date(2024, 11, 12)).iso() == "2024-11-10"
    assert len(calls) == 2
    assert ("two days ago", "2024-11-11", "en") in resolver.cache


def test_cache_survives_pickling_and_is_shared(monkeypatch: pytest.MonkeyPatch):
    first = DateResolver()
    first.resolve("last week", MON)
    first.resolve("7 November", MON)
    stored = pickle.loads(pickle.dumps(first.cache))
    assert stored == first.cache
    second = DateResolver(cache=stored)
    assert second.cache is stored
    forbid_dateparser(second, monkeypatch)
    assert second.resolve("last week", MON) == FuzzyDate(dt.date(2024, 11, 4), W, "last week")
    assert second.resolve("on 7 November", MON).iso() == "2024-11-07"


def test_other_languages_go_to_dateparser():
    french = DateResolver("fr")
    assert french.resolve("hier", MON).iso() == "2024-11-10"
    assert french.resolve("décembre", MON) == FuzzyDate(dt.date(2023, 12, 1), M, "décembre")
    for junk in ("banane", "12"):
        with pytest.raises(DateError, match="cannot understand"):
            french.resolve(junk, MON)


def test_unknown_language_is_a_date_error():
    resolver = DateResolver("xx")
    assert resolver.resolve("2024-11-07", MON).iso() == "2024-11-07"
    with pytest.raises(DateError, match="cannot be read in language 'xx'"):
        resolver.resolve("yesterday", MON)


def test_is_iso():
    assert is_iso("2024-11-07") and is_iso(" 2024 ") and is_iso("2024-13-01") and is_iso("2024-11-07T14:30Z")
    assert not is_iso("Thursday") and not is_iso("~2024") and not is_iso("2024-11-7")


# --- properties ---------------------------------------------------------------------------

WORDS = [
    "on", "in", "during", "the", "of", "~", "circa", "c.", "last", "next", "this", "ago", "early", "mid",
    "late", "week", "weeks", "day", "days", "month", "year", "two", "a", "7", "31", "32", "0", "2024",
    "99999", "November", "Feb", "Thursday", "sun", "yesterday", "tomorrow", "now", "from", ",", "7th",
    "2024-11", "2024-02-30", "T14:30", "+03:00", "Z", "-", "banana",
]  # fmt: skip
BASES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
PROPERTY = settings(max_examples=200, deadline=None)


def outcome(expression: str, base: dt.date) -> FuzzyDate | None:
    """The FuzzyDate, or None for a DateError; any other exception fails the test."""
    try:
        result = DateResolver().resolve(expression, base)
    except DateError as error:
        assert isinstance(error.message, str) and "\n" not in error.message
        return None
    assert isinstance(result, FuzzyDate) and result.phrase == expression.strip()
    return result


@PROPERTY
@given(st.text(max_size=120), BASES)
def test_any_text_gives_a_date_or_a_date_error(expression: str, base: dt.date):
    outcome(expression, base)


@PROPERTY
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join), BASES)
def test_any_mix_of_date_words_gives_a_date_or_a_date_error(expression: str, base: dt.date):
    result = outcome(expression, base)
    if result is not None and result.precision == W:
        assert result.value.weekday() == 0
    if result is not None and result.precision in (M, Y):
        assert result.value.day == 1


@PROPERTY
@given(st.dates(), st.sampled_from(["", "T08:15", "T23:59:59+05:30", "T00:00Z"]), BASES)
def test_every_iso_date_resolves_to_itself(day: dt.date, time: str, base: dt.date):
    result = DateResolver().resolve(f"{day.isoformat()}{time}", base)
    assert (result.value, result.precision) == (day, D)


@PROPERTY
@given(st.integers(0, 6), st.dates(min_value=dt.date(2, 1, 1)))
def test_bare_weekday_is_the_latest_on_or_before_the_base(weekday: int, base: dt.date):
    name = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[weekday]
    value = DateResolver().resolve(name, base).value
    assert value.weekday() == weekday and 0 <= (base - value).days <= 6


@PROPERTY
@given(
    st.integers(0, 400),
    st.sampled_from(["day", "week", "fortnight", "month", "year"]),
    st.sampled_from(["{count} {unit}s ago", "in {count} {unit}s", "{count} {unit}s from now"]),
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(8000, 12, 31)),
)
def test_counts_agree_with_calendar_arithmetic(count: int, unit: str, form: str, base: dt.date):
    # The reading dateparser had: the base moved by relativedelta (which clamps 31 March
    # minus a month to 29 February), then the first day of the unit's period.
    steps = -count if "ago" in form else count
    moved = base + (relativedelta(weeks=2 * steps) if unit == "fortnight" else relativedelta(**{f"{unit}s": steps}))
    expected = {
        "day": (moved, D),
        "week": (moved - dt.timedelta(days=moved.weekday()), W),
        "fortnight": (moved - dt.timedelta(days=moved.weekday()), W),
        "month": (moved.replace(day=1), M),
        "year": (moved.replace(month=1, day=1), Y),
    }[unit]
    result = DateResolver().resolve(form.format(count=count, unit=unit), base)
    assert (result.value, result.precision) == expected


def test_counts_in_words_up_to_ninety_nine():
    ones = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"]
    teens += ["nineteen"]
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    words = ones + teens + [f"{ten}-{one}" if one else ten for ten in tens for one in ["", *ones]]
    resolver = DateResolver()
    for count, word in enumerate(words, start=1):
        assert resolver.resolve(f"{word} days ago", MON).value == MON - dt.timedelta(days=count), word
        assert resolver.resolve(f"in {word} weeks", MON).value == MON + dt.timedelta(weeks=count)  # a Monday
    for word in ("a", "an", "one"):
        assert resolver.resolve(f"{word} year ago", MON).value == dt.date(2023, 1, 1)
