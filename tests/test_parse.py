"""Parsing one article: defaults, dates, quotes and fields of statements."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.dates import DateResolver
from generator.load.markup import MarkdownRenderer
from generator.load.parse import Tools, parse_article
from generator.model import Kind, Precision

ARTICLE = """---
title: Kremlin denies report
date: 2024-11-11
timeline: trump-putin-call
tags: [russia]
---

The Kremlin on Monday denied a report.

::: claim
id: call-took-place
by: The Washington Post
about: Thursday
The two leaders spoke by phone on Thursday.
:::

::: denial
by: Dmitry Peskov
role: Kremlin spokesman
answers: call-took-place
via: Interfax
timeline: [kremlin]

> This is *completely* untrue.
:::

::: statement
by: Donald Trump
said: on Thursday
about: 2024
tags: [calls]
He had spoken to about 70 world leaders.
:::
"""


def tools(drafts: bool = False) -> Tools:
    return Tools(DateResolver("en"), MarkdownRenderer(), include_drafts=drafts)


TOOLS = tools()


def test_article_and_statements() -> None:
    article, problems = parse_article("content/articles/2024-11-11-kremlin.md", ARTICLE, tools())
    assert problems == []
    assert article.slug == "kremlin"
    assert article.summary == "The Kremlin on Monday denied a report."
    assert [s.id for s in article.statements] == ["call-took-place", "kremlin-2", "kremlin-3"]
    assert [p if isinstance(p, tuple) else "html" for p in article.body] == [
        "html", ("statement", "call-took-place"), ("statement", "kremlin-2"), ("statement", "kremlin-3")]

    claim, denial, remark = article.statements
    assert claim.kind is Kind.CLAIM and claim.said.value == dt.date(2024, 11, 11)
    assert claim.said.phrase == "2024-11-11"
    assert claim.about.value == dt.date(2024, 11, 7) and claim.about.phrase == "Thursday"
    assert claim.quote is False and claim.text == "The two leaders spoke by phone on Thursday."
    assert claim.location.line == 10

    assert denial.kind is Kind.DENIAL and denial.answers == ("call-took-place",)
    assert denial.quote is True
    assert denial.text == "This is completely untrue."
    assert denial.html.startswith("<blockquote>") and "<em>completely</em>" in denial.html
    assert denial.timelines == ("trump-putin-call", "kremlin")
    assert (denial.role, denial.via) == ("Kremlin spokesman", "Interfax")

    assert remark.said.value == dt.date(2024, 11, 7) and remark.said.phrase == "on Thursday"
    assert remark.about.precision is Precision.YEAR and remark.about.value == dt.date(2024, 1, 1)
    assert remark.tags == ("calls",)


def test_about_resolves_against_said_not_the_article() -> None:
    text = ARTICLE.replace("about: Thursday", "said: 2024-11-04\nabout: yesterday")
    article, problems = parse_article("content/articles/k.md", text, tools())
    assert problems == []
    assert article.statements[0].about.value == dt.date(2024, 11, 3)


def test_drafts_are_left_out_unless_asked() -> None:
    text = ARTICLE.replace("tags: [russia]", "tags: [russia]\ndraft: true")
    assert parse_article("content/articles/k.md", text, tools()) == (None, [])
    article, _ = parse_article("content/articles/k.md", text, tools(drafts=True))
    assert article.draft is True


def test_extra_front_matter_is_kept_for_templates() -> None:
    text = ARTICLE.replace("tags: [russia]", "tags: [russia]\nauthor: Jane Doe")
    article, problems = parse_article("content/articles/k.md", text, tools())
    assert problems == [] and article.extra["author"] == "Jane Doe"


def test_slug_from_front_matter_and_date_prefix() -> None:
    text = ARTICLE.replace("tags: [russia]", "tags: [russia]\nslug: peskov-denial")
    article, _ = parse_article("content/articles/2024-11-11-x.md", text, tools())
    assert article.slug == "peskov-denial"
    assert article.statements[1].id == "peskov-denial-2"


def test_month_precision_article_date_allows_said_within_the_month() -> None:
    text = ARTICLE.replace("date: 2024-11-11", "date: 2024-11").replace("about: Thursday", "said: 2024-11-20")
    article, problems = parse_article("content/articles/k.md", text, tools())
    assert problems == [] and article.statements[0].said.value == dt.date(2024, 11, 20)


BLOCK_LINES = ["::: claim", "::: denial", ":::", "by: Ann", "id: x", "answers: x", "said: Thursday", "about: ~2024-11",
               "source: javascript:x", "tags: [a, b]", "role: [1", "said: 2025-01-01", "> quoted", "", "---", "```"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(BLOCK_LINES), st.text(max_size=40)), max_size=30))
def test_any_article_body_gives_an_article_or_problems(lines: list[str]) -> None:
    text = "---\ntitle: T\ndate: 2024-11-11\n---\n" + "\n".join(lines)
    article, problems = parse_article("content/articles/a.md", text, TOOLS)
    assert article is not None or any(p.is_error for p in problems)
    for problem in problems:
        assert problem.location.path == "content/articles/a.md" and problem.location.line >= 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_file_text_gives_an_article_or_problems(text: str) -> None:
    article, problems = parse_article("content/articles/a.md", text, TOOLS)
    assert article is not None or problems
