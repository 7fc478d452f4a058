"""The output folder: atomic swap, unchanged files kept as they were, refused folders refused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import write as output
from generator.build import build_site
from generator.model import OutputFile
from generator.output_folder import MANIFEST, foreign_files, output_dir_refusal
from generator.problems import ConfigError
from generator.render import Page
from generator.render.contexts import PageContext
from generator.state.incremental import WriteResult, replace_output

MANIFEST_BYTES = b'{\n"generator": "counterpoint",\n"files": [\n"a/b/c_txt",\n"a/index_html",\n"index_html"\n]\n}\n'

FIXTURE = Path(__file__).resolve().parent / "sites" / "render-fixture"


def files(**contents: str) -> list[OutputFile]:
    return [OutputFile(path.replace("__", "/"), text.encode()) for path, text in contents.items()]


class FilesRenderer:
    """A renderer whose page at each path is the given file: `replace_output`, the build's writer, without
    templates in the way."""

    def __init__(self, files: list[OutputFile]) -> None:
        self.files = {file.path: file for file in files}
        self.assets: list[OutputFile] = []

    def render(self, page: Page) -> OutputFile:
        return self.files[page.path]


def write_output(out: Path, files: list[OutputFile], previous: WriteResult | None = None) -> WriteResult:
    """Write `files` as a build does, one page each; `previous`, the last write, as the build's stored state."""
    pages = [Page(f.path, "page.html", PageContext(path=f.path, section=""), frozenset()) for f in files]
    return replace_output(out, FilesRenderer(files), pages, previous.manifest if previous else None, jobs=1)


def counts(result: WriteResult) -> tuple[int, int, int]:
    return result.written, result.unchanged, result.removed


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `folder`: bytes, inode and mtime."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


# --- replace_output ------------------------------------------------------------------------------------------


def test_writes_a_new_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    report = write_output(out, files(index_html="home", a__index_html="a", a__b__c_txt="c"))
    assert counts(report) == (3, 0, 0)
    assert {k: v[0] for k, v in snapshot(out).items()} == {"index_html": b"home", "a/index_html": b"a",
                                                          "a/b/c_txt": b"c", MANIFEST: MANIFEST_BYTES}
    assert leftovers(tmp_path) == []


def test_a_rebuild_without_changes_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = write_output(out, files(index_html="home", a__x="a"))
    before, folder = snapshot(out), out.stat()
    report = write_output(out, files(a__x="a", index_html="home"), first)
    assert counts(report) == (0, 2, 0)
    assert snapshot(out) == before
    assert (out.stat().st_ino, out.stat().st_mtime_ns) == (folder.st_ino, folder.st_mtime_ns)


def test_unchanged_files_keep_their_inode_and_mtime_changed_ones_are_written_stale_ones_removed(
        tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_output(out, files(index_html="home", same="same", changed="old", stale="gone"))
    before = snapshot(out)
    report = write_output(out, files(index_html="home", same="same", changed="new", added="new file"))
    assert counts(report) == (2, 2, 1)
    after = snapshot(out)
    assert after["same"] == before["same"] and after["index_html"] == before["index_html"]
    assert after["changed"][0] == b"new" and after["added"][0] == b"new file"
    assert "stale" not in after
    assert leftovers(tmp_path) == []


def test_the_fallback_swap_without_renameat2_gives_the_same_result(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "public"
    write_output(out, files(index_html="one", x="x"))
    before = snapshot(out)
    assert counts(write_output(out, files(index_html="two", x="x"))) == (1, 1, 0)
    assert snapshot(out)["x"] == before["x"] and snapshot(out)["index_html"][0] == b"two"
    assert leftovers(tmp_path) == []


def test_the_atomic_exchange_is_used_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = output._exchange
    monkeypatch.setattr(output, "_exchange", lambda a, b: calls.append((a, b)) or real(a, b))
    out = tmp_path / "public"
    write_output(out, files(index_html="one"))
    write_output(out, files(index_html="two"))
    assert len(calls) == 1 and calls[0][1] == out
    assert (out / "index_html").read_bytes() == b"two"


def test_a_failure_while_writing_leaves_the_output_as_it_was(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    write_output(out, files(index_html="good", a__b="good b"))
    before = snapshot(out)
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        if self.name == "boom":
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        write_output(out, files(index_html="new", a__b="new b", boom="x"))
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("path", ["/etc/passwd", "../escape", "a/../../escape", "a/./b", "", "a//b", "a/",
                                  "a\\b", "nul\0byte"])
def test_unsafe_paths_are_refused_before_anything_is_written(tmp_path: Path, path: str) -> None:
    out = tmp_path / "public"
    write_output(out, files(index_html="good"))
    before = snapshot(out)
    with pytest.raises(ValueError):
        write_output(out, [OutputFile("index_html", b"new"), OutputFile(path, b"x")])
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_duplicate_paths_and_file_folder_clashes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="two output files"):
        write_output(tmp_path / "o", [OutputFile("a", b"1"), OutputFile("a", b"2")])
    with pytest.raises(ValueError, match="also a folder"):
        write_output(tmp_path / "o", [OutputFile("a", b"1"), OutputFile("a/b", b"2")])
    with pytest.raises(ValueError, match="also a folder"):
        write_output(tmp_path / "o", [OutputFile("a/b", b"2"), OutputFile("a", b"1")])
    assert not (tmp_path / "o").exists()


def test_a_stale_temporary_folder_is_replaced(tmp_path: Path) -> None:
    stale = tmp_path / f".public.tmp-{os.getpid()}"
    (stale / "junk").mkdir(parents=True)
    write_output(tmp_path / "public", files(index_html="x"))
    assert not stale.exists()


# --- output_dir_refusal and foreign_files ---------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "templates").mkdir()
    (site / "site.toml").write_text("title = 'x'\n")
    return site


def check_output_dir(site: Path, out: Path) -> str | None:
    """Why a build of `site` refuses `out`, as the build asks: first the folder, then what it holds."""
    return output_dir_refusal(site, out) or foreign_files(Path(os.path.abspath(out)).resolve())


def test_usual_output_folders_are_accepted(site: Path, tmp_path: Path) -> None:
    assert check_output_dir(site, site / "public") is None
    assert check_output_dir(site, tmp_path / "elsewhere" / "out") is None
    (site / "public").mkdir()
    assert check_output_dir(site, site / "public") is None
    write_output(site / "public", [OutputFile("index.html", b"x"), OutputFile("a/index.html", b"y")])
    assert check_output_dir(site, site / "public") is None


@pytest.mark.parametrize(("where", "reason"), [
    (".", "site folder"),
    ("..", "holds the site folder"),
    ("/", "holds the site folder"),
    ("content", "content/"),
    ("content/articles", "content/"),
    ("templates/out", "templates/"),
    ("other-site", "content/"),
    ("a-file", "not a folder"),
    ("documents", f"no {MANIFEST}"),
])
def test_dangerous_output_folders_are_refused(site: Path, where: str, reason: str) -> None:
    (site / "other-site" / "content").mkdir(parents=True)
    (site / "a-file").write_text("x")
    (site / "documents").mkdir()
    (site / "documents" / "thesis.odt").write_text("years of work")
    refused = check_output_dir(site, site / where if where != "/" else Path("/"))
    assert refused is not None and reason in refused


def test_a_relative_output_path_is_judged_by_where_it_points(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site / "content")
    assert check_output_dir(site, Path("..")) == "it is the site folder"


# --- through build_site ------------------------------------------------------------------------------------


def test_a_broken_site_built_over_a_good_output_leaves_it_byte_for_byte(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    out = tmp_path / "public"
    assert build_site(site, out_dir=out).ok
    before = snapshot(out)
    (site / "content" / "articles" / "2024-03-09-broken.md").write_text(
        "---\ntitle: Broken\ndate: 2024-03-09\n---\n\n::: denial\nby: Someone\nanswers: no-such-statement\n"
        "\nNot so.\n:::\n", encoding="utf-8")
    result = build_site(site, out_dir=out)
    assert not result.ok and any("no-such-statement" in p.message for p in result.problems)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_a_no_change_rebuild_writes_no_file(tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = build_site(FIXTURE, out_dir=out)
    before = snapshot(out)
    second = build_site(FIXTURE, out_dir=out)
    assert first.written == second.unchanged > 30 and second.written == second.removed == 0
    assert snapshot(out) == before


def test_build_site_refuses_the_site_folder_as_output(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    with pytest.raises(ConfigError) as caught:
        build_site(site, out_dir=site)
    assert "site folder" in str(caught.value.problems[0])
    with pytest.raises(ConfigError):
        build_site(site, out_dir=site / "content")
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
