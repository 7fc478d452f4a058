"""`counterpoint build` as a user runs it: summary line, progress, exit codes, output."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.cli import _Progress

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^built .+: (\d+) written, (\d+) unchanged, (\d+) removed in \d+\.\d\d s$")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)


def test_a_non_terminal_build_prints_one_summary_line_and_no_progress(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--out", str(out))
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0])
    assert (out / "timelines/trump-putin-call/index.html").is_file()
    written = SUMMARY.match(lines[0]).group(1)
    again = run("build", "--out", str(out))
    assert SUMMARY.match(again.stdout.strip()).groups() == ("0", written, "0")


def test_a_quiet_build_prints_only_problems(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--out", str(out), "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (out / "timelines/trump-putin-call/index.html").is_file()
    bad = article("A", "2024-11-11", "::: clam\nby: A\n\nx\n:::\n")
    site = write_site(tmp_path / "site", {"content/articles/a.md": bad})
    failed = run("build", "--site", str(site), "--out", str(tmp_path / "out2"), "--quiet")
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[0].startswith("content/articles/a.md:6:5: error: unknown statement kind")


def test_a_broken_site_prints_problems_and_exits_1(tmp_path: Path) -> None:
    bad = article("A", "2024-11-11", "::: clam\nby: A\n\nx\n:::\n")
    site = write_site(tmp_path / "site", {"content/articles/a.md": bad})
    result = run("build", "--site", str(site), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/articles/a.md:6:5: error: unknown statement kind 'clam' (did you mean 'claim'?)",
        "1 error, 0 warnings",
    ]
    assert "left as it was" in result.stderr
    assert not (tmp_path / "out").exists()


def test_progress_shows_on_a_terminal_after_the_delay(capsys: pytest.CaptureFixture[str]) -> None:
    progress = _Progress(enabled=True, after=0)
    progress("rendering", 500, 60000)
    progress.clear()
    assert capsys.readouterr().err == "\r\033[Krendering: 500 of 60,000\r\033[K"


def test_no_progress_before_the_delay_or_when_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    _Progress(enabled=True, after=60)("rendering", 1, 2)
    quiet = _Progress(enabled=False, after=0)
    quiet("rendering", 1, 2)
    quiet.clear()
    assert capsys.readouterr().err == ""
