"""Incremental builds: whatever the cache holds, the output is byte for byte a clean build's."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.build import Memory, build_site
from generator.render import Renderer
from generator.state import store

REPORT = article("Report", "2024-11-10", (
    "Intro.\n\n::: claim\nid: call\nby: The Post\nabout: Thursday\n\nThey spoke on Thursday.\n:::\n"
), "timeline: call\ntags: [russia]\n")
DENIAL = article("Denial", "2024-11-11", (
    "::: denial\nid: no-call\nby: Dmitry Peskov\nanswers: call\n\n> Untrue.\n:::\n"
), "timeline: call\n")
FILES = {
    "content/articles/2024-11-10-report.md": REPORT,
    "content/articles/2024-11-11-denial.md": DENIAL,
    "content/timelines/call.md": "---\ntitle: The call\n---\n",
    "content/speakers/dmitry-peskov.md": "---\nname: Dmitry Peskov\nrole: Kremlin spokesman\n---\n",
}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def stored_record(site: Path, name: str) -> str:
    with sqlite3.connect(store.store_path(site)) as connection:
        return connection.execute("SELECT data FROM records WHERE name = ?", (name,)).fetchone()[0]


def clean_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean-out"
    result = build_site(site, out_dir=out, use_cache=False)
    assert result.ok, result.problems
    return tree(out)


EDITS = {
    "prose": lambda s: s.replace("Intro.", "A new introduction."),  # the first paragraph: the summary
    "later prose": lambda s: s + "\nA closing paragraph.\n",
    "statement text": lambda s: s.replace("They spoke on Thursday.", "They spoke on Friday."),
    "status": lambda s: s.replace("::: denial", "::: confirmation"),
    "new statement": lambda s: s + "\n::: dispute\nid: partly\nby: Someone New\nanswers: call\n\nPartly.\n:::\n",
    "date": lambda s: s.replace("about: Thursday", "about: early November"),
    "timeline": lambda s: s.replace("timeline: call", "timeline: other"),
    "title": lambda s: s.replace("title: Report", "title: The report"),
    "speaker": lambda s: s.replace("by: The Post", "by: The Daily Post"),
}


# edits swapped into the linked site, linking nothing
LINKS_UNCHANGED = {"prose", "later prose", "statement text", "date"}
SWAPPED = "only article text changed: nothing was linked again"


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_build_equals_a_clean_build(edit: str, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    target = "content/articles/2024-11-11-denial.md" if edit in ("status", "new statement") else \
        "content/articles/2024-11-10-report.md"
    path = site / target
    path.write_text(EDITS[edit](path.read_text()))

    notes: list[str] = []
    result = build_site(site, out_dir=out, notes=notes)

    assert result.ok, result.problems
    assert 0 < result.written < result.written + result.unchanged
    assert (SWAPPED in notes) == (edit in LINKS_UNCHANGED)
    assert tree(out) == clean_build(site, tmp_path)


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("kept", ["on disk", "in memory", "in memory, warmed"])
def test_a_series_of_edits_equals_clean_builds(kept: str, tmp_path: Path) -> None:
    """Edits swapped in, a relinking edit between them, and an edit undone: each build is a clean one."""
    site = write_site(tmp_path / "site", {**FILES, "content/articles/2024-11-12-more.md": article(
        "More", "2024-11-12", "Words.\n\n::: confirmation\nid: it-did\nby: Ann\nanswers: call\n\nIt did.\n:::\n")})
    out = tmp_path / "out"
    memory = Memory() if kept.startswith("in memory") else None
    assert build_site(site, out_dir=out, memory=memory).ok
    report, denial, more = (site / f"content/articles/{name}.md" for name in
                            ("2024-11-10-report", "2024-11-11-denial", "2024-11-12-more"))
    steps = [
        (report, "They spoke on Thursday.", "They spoke, it says, on Thursday.", True),
        (more, "Words.", "Other words.", True),
        (denial, "::: denial", "::: dispute", False),  # a status changes: linked again
        (more, "It did.", "It did, twice.", True),
        (report, "They spoke, it says, on Thursday.", "They spoke on Thursday.", True),  # undone
        (more, "Other words.", "Words.", True),
    ]
    for number, (path, old, new, swapped) in enumerate(steps):
        edit_file(path, old, new)
        notes: list[str] = []
        result = build_site(site, out_dir=out, memory=memory, notes=notes)
        assert result.ok, (number, result.problems)
        assert (SWAPPED in notes) == swapped, number
        assert tree(out) == clean_build(site, tmp_path / str(number)), number
        if kept == "in memory, warmed":
            assert memory.warm(60)  # every card rendered ahead: the next build must still drop the stale ones


def test_fixing_a_broken_article_equals_a_clean_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    memory = Memory()
    assert build_site(site, out_dir=out, memory=memory).ok
    path = site / "content/articles/2024-11-10-report.md"
    edit_file(path, "by: The Post", "by:")
    assert not build_site(site, out_dir=out, memory=memory).ok
    edit_file(path, "by:", "by: The Post")
    edit_file(path, "Intro.", "Intro, fixed.")
    assert build_site(site, out_dir=out, memory=memory).ok
    assert tree(out) == clean_build(site, tmp_path)


def test_deleting_an_article_removes_its_pages(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {**FILES, "content/articles/2024-11-12-extra.md": article(
        "Extra", "2024-11-12", "::: statement\nid: extra-1\nby: Ann\n\nMore.\n:::\n")})
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    assert (out / "statements/extra-1/index.html").exists()
    (site / "content/articles/2024-11-12-extra.md").unlink()
    result = build_site(site, out_dir=out)
    assert result.ok and result.removed >= 2
    assert not (out / "statements/extra-1").exists()
    assert tree(out) == clean_build(site, tmp_path)


def test_no_change_rebuild_writes_nothing(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    first = build_site(site, out_dir=out)
    before = mtimes(out)
    second = build_site(site, out_dir=out)
    assert (second.written, second.unchanged, second.removed) == (0, first.written, 0)
    assert mtimes(out) == before


def test_unchanged_pages_keep_their_mtime_after_an_edit(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    build_site(site, out_dir=out)
    before = mtimes(out)
    path = site / "content/articles/2024-11-10-report.md"
    path.write_text(path.read_text().replace("Intro.", "Changed."))
    build_site(site, out_dir=out)
    after = mtimes(out)
    changed = sorted(p for p in after if after[p] != before.get(p))
    assert "articles/report/index.html" in changed
    assert "statements/no-call/index.html" not in changed and "assets/style.css" not in changed


def test_tag_pages_are_rendered_again_only_when_the_summary_changes(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    build_site(site, out_dir=out)
    rendered: list[str] = []
    original = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, page: rendered.append(page.path) or original(self, page))
    path = site / "content/articles/2024-11-10-report.md"

    path.write_text(path.read_text() + "\nA closing paragraph.\n")
    assert build_site(site, out_dir=out).ok
    assert "articles/report/index.html" in rendered and "tags/russia/index.html" not in rendered

    rendered.clear()
    edit_file(path, "Intro.", "A new first paragraph.")
    assert build_site(site, out_dir=out).ok
    assert "tags/russia/index.html" in rendered
    assert "A new first paragraph." in (out / "tags/russia/index.html").read_text()


def test_a_damaged_build_state_is_ignored_and_said(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    build_site(site, out_dir=out)
    store.store_path(site).write_bytes(os.urandom(4096))
    path = site / "content/articles/2024-11-10-report.md"
    path.write_text(path.read_text().replace("Intro.", "Changed."))
    notes: list[str] = []
    result = build_site(site, out_dir=out, notes=notes)
    assert result.ok
    assert any("unusable" in note for note in notes), notes
    assert tree(out) == clean_build(site, tmp_path)


def test_an_output_folder_changed_by_hand_is_rebuilt_whole(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    build_site(site, out_dir=out)
    (out / "index.html").unlink()  # changes the folder's mtime (a stray file is refused: test_output.py)
    result = build_site(site, out_dir=out)
    assert result.ok and result.written == 1
    assert tree(out) == clean_build(site, tmp_path)


def test_a_failed_incremental_build_changes_nothing(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    build_site(site, out_dir=out)
    before, stamps = tree(out), mtimes(out)
    path = site / "content/articles/2024-11-11-denial.md"
    path.write_text(path.read_text().replace("answers: call", "answers: cal"))
    result = build_site(site, out_dir=out)
    assert not result.ok
    assert [p.message for p in result.problems] == ["'answers' names unknown statement 'cal'"]
    assert tree(out) == before and mtimes(out) == stamps


def test_parallel_render_equals_single_process(tmp_path: Path) -> None:
    files = dict(FILES)
    for i in range(120):
        files[f"content/articles/2024-10-{i % 28 + 1:02}-a{i}.md"] = article(
            f"Article {i}", f"2024-10-{i % 28 + 1:02}",
            f"::: statement\nby: Speaker {i % 7}\nanswers: call\n\nText {i}.\n:::\n")
    site = write_site(tmp_path / "site", files)
    one, two = tmp_path / "one", tmp_path / "two"
    assert build_site(site, out_dir=one, jobs=1, use_cache=False).ok
    assert build_site(site, out_dir=two, jobs=2, use_cache=False).ok
    assert tree(one) == tree(two)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    build_site(site, out_dir=out)
    path = site / "content/articles/2024-11-10-report.md"
    stat = path.stat()
    path.write_text(path.read_text().replace("Thursday.", "Thursdaz."))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old mtime: only ctime tells
    result = build_site(site, out_dir=out)
    assert result.written > 0
    assert "Thursdaz" in (out / "statements/call/index.html").read_text()


def test_changes_a_watcher_reported_before_a_failed_build_are_kept(tmp_path: Path) -> None:
    """With a watcher's list of changed files, a failed build's changes still count in the next one."""
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    memory = Memory(watched=True)
    assert build_site(site, out_dir=out, memory=memory).ok
    report, denial = "content/articles/2024-11-10-report.md", "content/articles/2024-11-11-denial.md"
    edit_file(site / report, "Intro.", "An edit the next build must show.")
    edit_file(site / denial, "by: Dmitry Peskov", "by:")  # broken
    memory.touch([report, denial])
    assert not build_site(site, out_dir=out, memory=memory).ok
    edit_file(site / denial, "by:", "by: Dmitry Peskov")
    memory.touch([denial])
    assert build_site(site, out_dir=out, memory=memory).ok
    assert "An edit the next build must show." in (out / "articles/report/index.html").read_text()
    memory.search(wait=True)  # as the preview does after the reload
    assert tree(out) == clean_build(site, tmp_path)


def test_a_watched_build_looks_only_at_the_files_the_watcher_names(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    memory = Memory(watched=True)
    assert build_site(site, out_dir=out, memory=memory).ok
    report = "content/articles/2024-11-10-report.md"
    edit_file(site / report, "Intro.", "Unreported.")
    assert build_site(site, out_dir=out, memory=memory).written == 0  # no stat, no read: not seen
    memory.touch([report])
    assert build_site(site, out_dir=out, memory=memory).written > 0
    memory.search(wait=True)  # as the preview does after the reload
    assert tree(out) == clean_build(site, tmp_path)



def test_a_preview_into_a_throwaway_folder_keeps_the_last_builds_state(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "public"
    assert build_site(site, out_dir=out).ok
    before = stored_record(site, "build")
    memory = Memory(watched=True, persist=False)
    assert build_site(site, out_dir=tmp_path / "preview", memory=memory).ok
    assert memory.save() is None and stored_record(site, "build") == before

    path = site / "content/articles/2024-11-10-report.md"
    path.write_text(path.read_text().replace("Intro.", "Changed."))
    notes: list[str] = []
    result = build_site(site, out_dir=out, notes=notes)
    assert SWAPPED in notes and result.written < 10  # still an incremental build of public/
    assert tree(out) == clean_build(site, tmp_path)


def test_a_preview_lets_go_of_the_old_site_when_it_links_again(tmp_path: Path) -> None:
    """Memory.tidy freezes the site out of garbage collections, but a relinked site's old one is freed."""
    import gc
    import weakref

    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    memory = Memory(watched=True)
    try:
        assert build_site(site, out_dir=out, memory=memory).ok
        memory.tidy()
        assert gc.get_freeze_count() > 0
        old = weakref.ref(memory.site.statements["call"])
        path = site / "content/articles/2024-11-11-denial.md"
        edit_file(path, "::: denial", "::: confirmation")  # a status changes: everything is linked again
        memory.touch(["content/articles/2024-11-11-denial.md"])
        assert build_site(site, out_dir=out, memory=memory).ok
        memory.tidy()
        assert old() is None
    finally:
        gc.unfreeze()


def test_damaged_links_are_ignored_and_said(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    with sqlite3.connect(store.store_path(site)) as connection:
        connection.execute("UPDATE records SET data = '{\"digests\": 7}' WHERE name = 'links'")
    path = site / "content/articles/2024-11-10-report.md"
    edit_file(path, "They spoke on Thursday.", "They spoke on Friday.")
    notes: list[str] = []
    result = build_site(site, out_dir=out, notes=notes)
    assert result.ok and SWAPPED not in notes
    assert any("stored links" in note and "unreadable" in note for note in notes), notes
    assert tree(out) == clean_build(site, tmp_path)


def test_a_speaker_page_shows_the_new_text_of_an_answer_deep_in_its_thread(tmp_path: Path) -> None:
    """A speaker's page shows the whole thread under each statement; an edit deep in it, in a build
    that links again, renders that page again (the speaker page's key named only direct answers)."""
    chain = {f"content/articles/2024-11-0{i + 1}-part-{i}.md": article(f"Part {i}", f"2024-11-0{i + 1}", (
        f"::: {'claim' if i == 0 else 'dispute'}\nid: s{i}\nby: Speaker {i}\n"
        + (f"answers: s{i - 1}\n" if i else "") + f"\nSaid {i}.\n:::\n")) for i in range(4)}
    site = write_site(tmp_path / "site", chain)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    edit_file(site / "content/articles/2024-11-04-part-3.md", "Said 3.", "Said 3, again.")  # s3: 3 answers below s0
    (site / "content/articles/2024-11-09-new.md").write_text(  # a new speaker: the site is linked again
        article("New", "2024-11-09", "::: claim\nid: other\nby: Someone New\n\nElse.\n:::\n"))
    notes: list[str] = []
    assert build_site(site, out_dir=out, notes=notes).ok
    assert SWAPPED not in notes
    assert "Said 3, again." in (out / "speakers/speaker-0/index.html").read_text()
    assert tree(out) == clean_build(site, tmp_path)


def test_a_speaker_page_shows_the_whole_thread_below_each_statement_and_is_rendered_again(tmp_path: Path) -> None:
    """Found by tests/test_kill.py: an edit two answers below a statement reached its speaker's page late."""
    chain = {"a": ("claim", "Ann", None), "b": ("denial", "Bob", "a"), "c": ("dispute", "Cy", "b"),
             "d": ("denial", "Di", "c")}
    files = {
        f"content/articles/2024-11-1{n}-{i}.md": article(i.upper(), f"2024-11-1{n}", (
            f"::: {kind}\nid: {i}\nby: {by}\n" + (f"answers: {parent}\n" if parent else "")
            + f"\nOriginal {i}.\n:::\n"))
        for n, (i, (kind, by, parent)) in enumerate(chain.items())
    }
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    edit_file(site / "content/articles/2024-11-13-d.md", "Original d.", "Edited d.")
    new = article("E", "2024-11-14", "::: claim\nby: Ed\n\nNew.\n:::\n")
    (site / "content/articles/2024-11-14-e.md").write_text(new)
    notes: list[str] = []
    assert build_site(site, out_dir=out, notes=notes).ok and SWAPPED not in notes  # the general incremental path
    assert "Edited d." in (out / "speakers/ann/index.html").read_text()
    assert tree(out) == clean_build(site, tmp_path)


def test_a_thread_deeper_than_shown_gives_the_same_pages_whatever_was_rendered_first(tmp_path: Path) -> None:
    """Found by tests/test_kill.py: a thread cached where it was nested was reused at the top, cut short."""
    from generator.render.index import MAX_THREAD_DEPTH

    count = MAX_THREAD_DEPTH + 6
    files = {
        f"content/articles/a{i:03}.md": article(f"A{i}", "2024-11-11", (
            f"::: {'denial' if i else 'claim'}\nid: c{i}\nby: Speaker {i % 3}\n" + (f"answers: c{i - 1}\n" if i else "")
            + f"\nOriginal {i}.\n:::\n"))
        for i in range(count)
    }
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    assert tree(out) == clean_build(site, tmp_path)
    for i in (count - 1, 3):  # the speaker pages render threads from different depths
        edit_file(site / f"content/articles/a{i:03}.md", f"Original {i}.", f"Edited {i}.")
        (site / f"content/articles/e{i}.md").write_text(article("E", "2024-11-14", "::: claim\nby: Ed\n\nNew.\n:::\n"))
        assert build_site(site, out_dir=out).ok
        assert tree(out) == clean_build(site, tmp_path)


def test_a_preview_refreshes_the_search_index_after_the_reload(tmp_path: Path) -> None:
    """A watched build leaves Pagefind (seconds on a big site) for after the reload; then the output is whole."""
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    memory = Memory(watched=True)
    assert build_site(site, out_dir=out, memory=memory).ok
    index = {path: data for path, data in tree(out).items() if path.startswith("pagefind/")}
    path = "content/articles/2024-11-11-denial.md"
    edit_file(site / path, "> Untrue.", "> Wholly untrue.")  # the statement's text: its search record changes
    memory.touch([path])
    assert build_site(site, out_dir=out, memory=memory).ok
    assert "Wholly untrue." in (out / "statements/no-call/index.html").read_text()
    assert {path: data for path, data in tree(out).items() if path.startswith("pagefind/")} == index  # not yet
    assert memory.search(wait=True) == []
    assert tree(out) == clean_build(site, tmp_path)
    assert build_site(site, out_dir=out, memory=memory).written == 0  # the state records the new index
    memory.save()
    assert build_site(site, out_dir=out).written == 0  # and so does the state on disk


def test_the_stored_state_holds_every_output_file_s_hash_after_edits(tmp_path: Path) -> None:
    """The state's rows are rewritten only where they changed; what is read back is still the output as it is."""
    from generator.state.cache import BuildState, content_hash
    from generator.write import MANIFEST

    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    assert build_site(site, out_dir=out).ok
    path = site / "content/articles/2024-11-11-denial.md"
    for old, new in (("> Untrue.", "> Quite untrue."), ("::: denial", "::: dispute"), ("Quite untrue", "Untrue")):
        edit_file(path, old, new)
        assert build_site(site, out_dir=out).ok
        state = BuildState.load(site)
        files = {name: content_hash(data) for name, data in tree(out).items() if name != MANIFEST}
        assert state is not None and state.manifest == files
        with sqlite3.connect(store.store_path(site)) as connection:
            assert dict(connection.execute("SELECT * FROM inputs")) == state.inputs and len(state.inputs) > 5


@pytest.mark.parametrize("second", ["statement text", "later prose"])
def test_a_preview_edit_made_while_the_search_index_is_made_gives_a_clean_build(second: str,
                                                                                tmp_path: Path) -> None:
    """The index is made beside the builds: one made for a site an edit has since changed is never written."""
    site = write_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    memory = Memory(watched=True)
    assert build_site(site, out_dir=out, memory=memory).ok
    denial, report = "content/articles/2024-11-11-denial.md", "content/articles/2024-11-10-report.md"
    edit_file(site / denial, "> Untrue.", "> Wholly untrue.")
    memory.touch([denial])
    assert build_site(site, out_dir=out, memory=memory).ok
    assert memory.search() == []  # started, not waited for
    path = site / report
    path.write_text(EDITS[second](path.read_text()))
    memory.touch([report])
    assert build_site(site, out_dir=out, memory=memory).ok
    memory.search(wait=True)  # the first is written only if the second left the records as they were
    memory.search(wait=True)
    assert memory.search_later is None and memory.searching is None
    assert tree(out) == clean_build(site, tmp_path)
    assert memory.save() is None and build_site(site, out_dir=out).written == 0
