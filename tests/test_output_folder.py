"""The output folder is ours only when we made it; errors writing it are one clear line; leftovers go."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import write
from generator.build import build_site
from generator.output_folder import MANIFEST, OutputError, read_manifest

FIXTURE = Path(__file__).resolve().parent / "sites" / "render-fixture"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def counterpoint(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def edit_and_build(site: Path, out: Path) -> None:
    """Edit a story and build with other settings (--drafts): every page is rendered into a new folder."""
    story = site / "content" / "articles" / "2024-03-06-council-answers.md"
    story.write_text(story.read_text() + "\nOne more paragraph.\n")
    build_site(site, out_dir=out, drafts=True)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns(".counterpoint-cache"))
    return site


def test_a_home_folder_with_an_index_html_is_refused_and_left_intact(site: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("PRIVATE KEY")
    (home / "Documents").mkdir()
    (home / "Documents" / "thesis.odt").write_text("years of work")
    (home / "index.html").write_text("<p>my own page</p>")
    before = snapshot(home)
    done = counterpoint("build", "--site", site, "--out", home)
    assert done.returncode == 2, done
    assert done.stderr.startswith(f"error: refusing output folder {home}: it holds files but no {MANIFEST}")
    assert "Traceback" not in done.stderr + done.stdout
    assert snapshot(home) == before and sorted(os.listdir(tmp_path)) == ["home", "site"]


def test_a_file_added_to_a_built_output_is_kept_and_refused_before_it_could_be_lost(site: Path,
                                                                                  tmp_path: Path) -> None:
    """The decision (docs/decisions.md): a stray file is never deleted or replaced; a build that would refuses."""
    out = tmp_path / "public"
    assert build_site(site, out_dir=out).ok
    (out / "tags" / "mine.txt").write_text("my notes")  # in a subfolder: the output's own mtime stays
    (out / "articles" / "late-story").mkdir()
    (out / "articles" / "late-story" / "index.html").write_text("my own page")
    story = site / "content" / "articles" / "2024-03-06-council-answers.md"
    story.write_text(story.read_text() + "\nOne more paragraph.\n")
    assert build_site(site, out_dir=out).ok  # in place: only files of the manifest change
    assert (out / "tags" / "mine.txt").read_text() == "my notes"
    before = snapshot(out)

    late = site / "content" / "articles" / "2024-03-09-late-story.md"
    late.write_text("---\ntitle: Late story\ndate: 2024-03-09\n---\n\nText.\n")
    with pytest.raises(OutputError) as refused:  # its page would replace the user's file
        build_site(site, out_dir=out)
    assert refused.value.message == (f"refusing output folder {out}: it holds articles/late-story/index.html, "
                                     "which no build wrote (move it away, or choose another folder; nothing was "
                                     "changed)")
    assert snapshot(out) == before
    late.unlink()
    with pytest.raises(OutputError) as refused:  # other settings: the whole folder would be replaced
        build_site(site, out_dir=out, drafts=True)
    assert "it holds articles/late-story, which no build wrote" in refused.value.message
    assert snapshot(out) == before

    (out / "tags" / "mine.txt").unlink()
    shutil.rmtree(out / "articles" / "late-story")
    assert build_site(site, out_dir=out, drafts=True).ok
    assert set(snapshot(out)) == read_manifest(out) | {MANIFEST}


def test_a_file_added_at_the_top_of_a_built_output_is_refused_at_once(site: Path, tmp_path: Path) -> None:
    """The folder changed since the last build: it is checked whole, as a full build would."""
    out = tmp_path / "public"
    assert build_site(site, out_dir=out).ok
    (out / "CNAME").write_text("example.org")
    before = snapshot(out)
    story = site / "content" / "articles" / "2024-03-06-council-answers.md"
    story.write_text(story.read_text() + "\nOne more paragraph.\n")
    with pytest.raises(OutputError, match="it holds CNAME, which no build wrote"):
        build_site(site, out_dir=out)
    assert snapshot(out) == before


def test_an_empty_folder_and_our_own_output_are_accepted(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert build_site(site, out_dir=out).ok
    files = read_manifest(out)
    assert files is not None and "index.html" in files and set(snapshot(out)) == files | {MANIFEST}


def test_leftover_temporary_folders_of_dead_builds_are_removed_and_only_those(site: Path, tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    alive = subprocess.Popen(["sleep", "60"])
    try:
        names = [f".public.tmp-{gone.pid}", f".public.old-{gone.pid}", f".public.tmp-{alive.pid}",
                 ".public.tmp-mine", f".other.tmp-{gone.pid}"]
        for name in names:
            (tmp_path / name / "x").mkdir(parents=True)
        assert build_site(site, out_dir=tmp_path / "public").ok
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == sorted(names[2:])
        (tmp_path / names[0] / "x").mkdir(parents=True)
        assert build_site(site, out_dir=tmp_path / "public").written == 0  # also when nothing is written
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == sorted(names[2:])
    finally:
        alive.kill()
        alive.wait()


def test_a_build_with_nothing_to_write_still_removes_a_dead_builds_folder(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build_site(site, out_dir=out).ok
    gone = subprocess.Popen(["true"])
    gone.wait()
    (tmp_path / f".public.tmp-{gone.pid}" / "x").mkdir(parents=True)  # as a build killed while staging leaves it
    result = build_site(site, out_dir=out)
    assert result.ok and result.written == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]


def test_an_output_folder_under_proc_is_one_clear_error(site: Path) -> None:
    done = counterpoint("build", "--site", site, "--out", "/proc/counterpoint-out")
    assert done.returncode == 2, done
    assert done.stderr.startswith("error: cannot write output folder /proc/counterpoint-out: ")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize(("number", "reason"), [(errno.EACCES, "permission denied"),
                                                (errno.EROFS, "read-only file system"),
                                                (errno.ENOSPC, "no space left on device")])
def test_a_failing_write_keeps_the_last_good_output(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    number: int, reason: str) -> None:
    out = tmp_path / "public"
    assert build_site(site, out_dir=out).ok
    before = snapshot(out)
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        if self.name == MANIFEST:  # the last file a build writes before the swap
            raise OSError(number, os.strerror(number), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OutputError) as caught:
        edit_and_build(site, out)
    assert caught.value.message.startswith(f"cannot write output folder {out}: {reason} (")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]


def test_a_read_only_output_folder_keeps_its_output_and_leaves_nothing(site: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The old output could not be removed once swapped out: the build stops before the swap."""
    out = tmp_path / "public"
    assert build_site(site, out_dir=out).ok
    before = snapshot(out)
    real = os.access
    monkeypatch.setattr(write.os, "access", lambda path, mode: False if Path(path) == out else real(path, mode))
    with pytest.raises(OutputError, match=f"cannot write output folder {out}: permission denied"):
        edit_and_build(site, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_parent_folder_is_one_clear_error(site: Path, tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        done = counterpoint("build", "--site", site, "--out", parent / "public")
    finally:
        parent.chmod(0o755)
    assert done.returncode == 2 and done.stderr.startswith(f"error: cannot write output folder {parent / 'public'}: "
                                                           "permission denied")
