"""The one slug rule and the one `slugify`: names and titles → slugs that the rule accepts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.vocab.slugs import SLUG, is_slug, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Dmitry Peskov", "dmitry-peskov"),
        ("Łukasz Nowak", "lukasz-nowak"),
        ("O'Brien", "obrien"),
        ("Conan O’Brien", "conan-obrien"),
        ("Trump's team won’t comment", "trumps-team-wont-comment"),
        ("Søren Kierkegaard", "soren-kierkegaard"),
        ("Straße, Æsir und Łódź", "strasse-aesir-und-lodz"),
        ("Ça coûte 5 € à Zürich!", "ca-coute-5-a-zurich"),
        ("Þór Ðórðarson", "thor-dordarson"),
        ("Kremlin denies report of a Trump–Putin phone call", "kremlin-denies-report-of-a-trump-putin-phone-call"),
        ("a--b", "a-b"),
        ("  --Hello__World--  ", "hello-world"),
        ("The Washington Post", "the-washington-post"),
        ("2024: a year", "2024-a-year"),
        ("Привет", ""),
        ("", ""),
        ("---", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_limit_cuts_at_a_word() -> None:
    assert slugify("word " * 40, 80) == "-".join(["word"] * 16)
    assert slugify("abcdefghij", 4) == "abcd"  # one long word is cut inside it rather than lost
    assert slugify("short title", 80) == "short-title"


@pytest.mark.parametrize("text", ["a", "a-b", "2024-11-11-kremlin", "dmitry-peskov"])
def test_the_rule_accepts(text: str) -> None:
    assert is_slug(text)


@pytest.mark.parametrize("text", ["", "a--b", "-a", "a-", "A", "a b", "a_b", "é", "a\n", "ab/c"])
def test_the_rule_refuses(text: str) -> None:
    assert not is_slug(text)


@settings(max_examples=500, deadline=None)
@given(st.text(), st.one_of(st.none(), st.integers(min_value=1, max_value=100)))
def test_slugify_output_always_passes_the_rule(text: str, limit: int | None) -> None:
    slug = slugify(text, limit)
    assert slug == "" or SLUG.fullmatch(slug)
    assert limit is None or len(slug) <= limit
    assert slugify(slug) == slug  # a slug is its own slug, so speaker and tag slugs are stable


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("aåłøßO'’ -_.Z9é"), max_size=30).map("".join))
def test_slugify_of_latin_names_follows_the_rule(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or is_slug(slug)
