"""Linking: answers across articles, status, threads, order, speakers, timelines."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import article, write_site

from generator.build import load_site
from generator.model import Kind, Status
from generator.render.index import SiteIndex
from generator.vocab.kinds import status_of


@pytest.mark.parametrize(("kinds", "status"), [
    ([], Status.UNANSWERED),
    ([Kind.NO_COMMENT], Status.UNCONFIRMED),
    ([Kind.CONFIRMATION], Status.CONFIRMED),
    ([Kind.DISPUTE], Status.DISPUTED),
    ([Kind.DENIAL], Status.DENIED),
    ([Kind.DENIAL, Kind.NO_COMMENT], Status.DENIED),
    ([Kind.DENIAL, Kind.DISPUTE], Status.DENIED),
    ([Kind.CONFIRMATION, Kind.DENIAL], Status.CONTESTED),
    ([Kind.CONFIRMATION, Kind.DISPUTE], Status.CONTESTED),
    ([Kind.CORRECTION, Kind.CONFIRMATION, Kind.DENIAL], Status.CORRECTED),
    ([Kind.RETRACTION, Kind.CORRECTION], Status.RETRACTED),
    ([Kind.STATEMENT, Kind.CLAIM], Status.UNANSWERED),
])
def test_status_precedence(kinds: list[Kind], status: Status) -> None:
    assert status_of(kinds) is status


def make_site(tmp_path: Path):
    files = {
        "content/articles/2024-11-11-denial.md": article("Denial", "2024-11-11", (
            "::: denial\nid: d1\nby: peskov\nanswers: c1\n\n> Untrue.\n:::\n\n"
            "::: no-comment\nid: n1\nby: Steven Cheung\nanswers: [c1]\n\n> No comment.\n:::\n"
        ), "timeline: call\n"),
        "content/articles/2024-11-10-report.md": article("Report", "2024-11-10", (
            "::: claim\nid: c1\nby: The Washington Post\nabout: Thursday\n\nThey spoke.\n:::\n\n"
            "::: confirmation\nid: k1\nby: Someone Else\nsaid: 2024-11-09\nanswers: d1\n\n"
            "Yes it is untrue.\n:::\n"
        ), "timeline: call\n"),
        "content/speakers/dmitry-peskov.md": (
            "---\nname: Dmitry Peskov\nrole: Kremlin spokesman\naliases: [Peskov]\n---\n"),
        "content/timelines/call.md": "---\ntitle: The call\n---\nIntro *text*.\n",
    }
    site, problems = load_site(write_site(tmp_path, files))
    assert [str(p) for p in problems] == []
    return site


def test_answers_link_across_articles_forward_and_backward(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    claim = site.statements["c1"]
    assert claim.answered_by == ("d1", "n1")
    assert claim.status is Status.DENIED
    assert site.statements["d1"].status is Status.CONFIRMED  # answered from an earlier article
    assert site.statements["d1"].answered_by == ("k1",)


def test_statements_are_in_said_order(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert list(site.statements) == ["k1", "c1", "d1", "n1"]
    assert site.timelines["call"].statements == ("k1", "c1", "d1", "n1")
    assert site.timelines["call"].title == "The call" and "<em>text</em>" in site.timelines["call"].intro_html


def test_thread_is_depth_first(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert SiteIndex(site).thread_ids("c1") == ("c1", "d1", "k1", "n1")


def test_speakers_match_slug_name_alias_case_insensitively(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert site.statements["d1"].speaker == "dmitry-peskov"
    assert site.statements["d1"].role == "Kremlin spokesman"  # from the speaker file
    cheung = site.speakers[site.statements["n1"].speaker]
    assert (cheung.slug, cheung.name, cheung.implicit) == ("steven-cheung", "Steven Cheung", True)
    assert not site.speakers["dmitry-peskov"].implicit


def test_articles_newest_first_and_tags(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert list(site.articles) == ["denial", "report"]


def test_a_linked_statement_is_what_replace_would_make(tmp_path: Path) -> None:
    """`Statement.linked` copies without `__init__`: it must give exactly dataclasses.replace's statement."""
    import dataclasses

    from generator.model import Statement

    site = make_site(tmp_path)
    assert not hasattr(Statement, "__post_init__")  # linked() would skip it
    for statement in site.statements.values():
        args = ("someone-else", "a role", ("x", "y"), Status.CONTESTED)
        copy = statement.linked(*args)
        expected = dataclasses.replace(statement, speaker=args[0], role=args[1], answered_by=args[2], status=args[3])
        assert copy == expected
        assert vars(copy) == vars(expected)
        assert type(copy) is Statement and copy is not statement
