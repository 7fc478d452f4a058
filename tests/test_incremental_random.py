"""Random series of edits: after each, the incremental build's output is a clean build's, byte for byte."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from helpers import article, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import Memory, build_site

ARTICLES = 4


def article_text(number: int, f: dict) -> str:
    """Article `number` with fields `f`; `extra` adds a second block answering statement s<extra>."""
    target = f["target"]
    answers = f"answers: s{target}\n" if target is not None and target != number else ""
    block_kind = f["kind"] if answers else "claim"
    extra = "" if f["extra"] is None else (
        f"::: dispute\nid: x{number}\nby: Speaker {f['extra'] % 3}\nanswers: s{f['extra']}\n\nNot so.\n:::\n\n")
    verdict = f"verdict: {f['verdict']}\n" if f.get("verdict") else ""
    return article(f["title"], f"2024-11-{f['day']}", (
        f"{f['words']}\n\n::: {block_kind}\nid: s{number}\nby: Speaker {f['speaker']}\nabout: {f['about']}\n"
        f"{answers}{verdict}\n> {f['quote']}\n:::\n\n{extra}Closing words {number}, {f['closing']}.\n"
    ), f"timeline: t{f['timeline']}\ntags: [tag{f['tag']}]\n")


# one statement a page: timelines, speakers and answers span several pages, so an edit shows on some of them
PAGED_TOML = 'title = "Test site"\nbase_url = "https://example.org/"\n[pagination]\nper_page = 1\n'


def first_state() -> dict[int, dict]:
    """The fields of every article before the edits (`article_text` reads them)."""
    return {n: {"words": "Opening words.", "quote": "Said.", "kind": "denial", "target": n - 1 if n else None,
                "about": "Thursday", "title": f"Title {n}", "closing": 0, "speaker": n % 2, "timeline": n % 2,
                "tag": n % 2, "day": 10 + n, "extra": None, "verdict": None} for n in range(ARTICLES)}


# an edit: (which article, which field, new value)
EDIT = st.tuples(
    st.integers(0, ARTICLES - 1),
    st.sampled_from(["words", "quote", "kind", "target", "about", "title", "closing",
                     # these change links: who said it, timelines, tags, order, an answer added or dropped
                     "speaker", "timeline", "tag", "day", "extra",
                     # a verdict changes what the filter of every page of a long timeline offers
                     "verdict"]),
    st.integers(0, ARTICLES - 1),
)


def apply(state: dict[int, dict], edit: tuple[int, str, int]) -> None:
    number, field, value = edit
    fields = state[number]
    if field == "words":
        fields["words"] = f"Opening words, version {value}."
    elif field == "quote":
        fields["quote"] = f"Said, version {value}."
    elif field == "kind":
        fields["kind"] = ["denial", "confirmation", "dispute", "no-comment"][value % 4]
    elif field == "target":
        fields["target"] = value if value < number else None  # answers only earlier ones: no cycles
    elif field == "about":
        fields["about"] = ["Thursday", "early November", "2024-11-01", "last week"][value % 4]
    elif field == "title":
        fields["title"] = f"Title {number} v{value}"
    elif field == "closing":
        fields["closing"] = value
    elif field == "speaker":
        fields["speaker"] = value % 3  # Speaker 2 is said by no one at first: a new speaker page
    elif field == "timeline":
        fields["timeline"] = value % 3
    elif field == "tag":
        fields["tag"] = value % 3
    elif field == "day":
        fields["day"] = 10 + value * 2  # may move the article before or after the others
    elif field == "verdict":
        fields["verdict"] = [None, "false", "true", "unproven"][value % 4]
    else:
        fields["extra"] = None if fields["extra"] == value else value


def files_of(state: dict[int, dict]) -> dict[str, str]:
    return {f"content/articles/a{number}.md": article_text(number, f) for number, f in state.items()}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.lists(EDIT, min_size=1, max_size=2), min_size=1, max_size=4),
       kept=st.sampled_from(["on disk", "in memory", "watched"]))
def test_random_edits_build_like_clean_builds(edits: list[list[tuple[int, str, int]]], kept: str) -> None:
    """`watched` builds as the preview does: the watcher names the files, the search index comes after."""
    root = Path(tempfile.mkdtemp(prefix="cp-random-"))
    try:
        state = first_state()
        site = write_site(root / "site", files_of(state), PAGED_TOML)
        out = root / "out"
        memory = None if kept == "on disk" else Memory(watched=kept == "watched")
        assert build_site(site, out_dir=out, memory=memory).ok
        for step, batch in enumerate(edits):
            for edit in batch:
                apply(state, edit)
            for path, text in files_of(state).items():
                if (site / path).read_text() != text:
                    (site / path).write_text(text)
                    if memory is not None:
                        memory.touch([path])
            result = build_site(site, out_dir=out, memory=memory)
            assert result.ok, result.problems
            if memory is not None:
                memory.search(wait=True)
            clean = root / f"clean-{step}"
            assert build_site(site, out_dir=clean, use_cache=False).ok
            assert tree(out) == tree(clean), (step, batch)
    finally:
        shutil.rmtree(root, ignore_errors=True)


MULTILINGUAL_TOML = 'title = "Test site"\nbase_url = "https://example.org/"\nlanguage = "en"\nlanguages = ["fr"]\n'
LANGUAGE_EDIT = st.tuples(st.integers(0, ARTICLES - 1), st.sampled_from(["lang", "translated", "quote", "target"]),
                          st.integers(0, ARTICLES - 1))


def multilingual_files_of(state: dict[int, dict]) -> dict[str, str]:
    """The site's files, each article in its language: a French one reads its dates in French, so it says
    them in ISO form; article 1 is a translation of article 0 while it is asked to be and their languages differ."""
    files = files_of({n: {**f, "about": "2024-11-01" if f["lang"] == "fr" else f["about"]}
                      for n, f in state.items()})
    for number, f in state.items():
        path = f"content/articles/a{number}.md"
        extra = f"lang: {f['lang']}\n"
        if number == 1 and f["translated"] and state[0]["lang"] != f["lang"]:
            extra += "translation_of: a0\n"
        files[path] = files[path].replace("---\n\n", f"{extra}---\n\n", 1)
    return files


def apply_multilingual(state: dict[int, dict], edit: tuple[int, str, int]) -> None:
    number, field, value = edit
    if field == "lang":
        state[number]["lang"] = "fr" if value % 2 else "en"
    elif field == "translated":
        state[number]["translated"] = bool(value % 2)
    else:
        apply(state, edit)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.lists(LANGUAGE_EDIT, min_size=1, max_size=2), min_size=1, max_size=3))
def test_random_edits_on_a_multilingual_site_build_like_clean_builds(edits: list[list[tuple[int, str, int]]]) -> None:
    """Articles move between the English and the French edition, translations come and go, answers cross."""
    root = Path(tempfile.mkdtemp(prefix="cp-random-lang-"))
    try:
        state = {n: {**fields, "lang": "fr" if n % 2 else "en", "translated": True}
                 for n, fields in first_state().items()}
        site = write_site(root / "site", multilingual_files_of(state), MULTILINGUAL_TOML)
        out = root / "out"
        assert build_site(site, out_dir=out).ok
        assert (out / "fr/articles/a1/index.html").is_file()
        for step, batch in enumerate(edits):
            for edit in batch:
                apply_multilingual(state, edit)
            for path, text in multilingual_files_of(state).items():
                if (site / path).read_text() != text:
                    (site / path).write_text(text)
            result = build_site(site, out_dir=out)
            assert result.ok, result.problems
            clean = root / f"clean-{step}"
            assert build_site(site, out_dir=clean, use_cache=False).ok
            assert tree(out) == tree(clean), (step, batch)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_verdict_given_on_one_page_of_a_long_timeline_shows_in_the_filter_of_every_page(tmp_path: Path) -> None:
    """The filter of each page offers the verdicts of the whole timeline: a text edit giving one re-renders all."""
    state = first_state()
    state[2]["target"] = state[3]["target"] = None  # s2 answers nothing and nothing answers it: only its page shows it
    site = write_site(tmp_path / "site", files_of(state), PAGED_TOML)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    state[2]["verdict"] = "false"  # a2, not a0: an article with a link warning (no t0.md) is linked again
    (site / "content/articles/a2.md").write_text(files_of(state)["content/articles/a2.md"])
    notes: list[str] = []
    assert build_site(site, out_dir=out, notes=notes).ok
    assert "only article text changed: nothing was linked again" in notes  # the road this test is about
    assert build_site(site, out_dir=tmp_path / "clean", use_cache=False).ok
    assert tree(out) == tree(tmp_path / "clean")
    pages = sorted((out / "timelines" / "t0").rglob("index.html"))
    assert len(pages) > 1 and all('value="false"' in p.read_text() for p in pages)
