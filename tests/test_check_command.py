"""`counterpoint check` as a user runs it: the example site, formats, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import article, write_site

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_example_site_is_clean_even_when_strict() -> None:
    result = run("check", "--strict")
    assert (result.returncode, result.stdout, result.stderr) == (0, "0 errors, 0 warnings\n", "")


def test_json_and_github_formats(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/articles/a.md": article("A", "2024-11-11", "::: clam\nby: Ann\n\nA.\n:::\n")})
    result = run("check", "--site", str(tmp_path), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == [{
        "path": "content/articles/a.md", "line": 6, "column": 5, "severity": "error",
        "message": "unknown statement kind 'clam'", "hint": "did you mean 'claim'?"}]
    result = run("check", "--site", str(tmp_path), "--format", "github")
    assert result.stdout == ("::error file=content/articles/a.md,line=6,col=5::"
                             "unknown statement kind 'clam' (did you mean 'claim'?)\n")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("check", "--site", str(tmp_path)).returncode == 2  # no site.toml
    assert run("check", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_verbose_check_says_which_resolver_read_each_date(tmp_path: Path) -> None:
    body = ("::: claim\nid: a-1\nby: Ann\nsaid: last night\nabout: late Thursday\n\nA.\n:::\n\n"
            "::: claim\nby: Bo\nsaid: earlier this week\n\nB.\n:::\n")
    write_site(tmp_path, {"content/articles/a.md": article("A", "2024-11-14", body)})
    result = run("check", "--site", str(tmp_path), "--verbose", "--no-cache")
    assert result.returncode == 0 and result.stdout == "0 errors, 0 warnings\n"
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: content/")]
    assert notes == [
        "note: content/articles/a.md:1: date '2024-11-14' → 2024-11-14 (day) by iso",
        "note: content/articles/a.md:6: said 'last night' → 2024-11-13 (day) by dateparser",
        "note: content/articles/a.md:6: about 'late Thursday' → 2024-11-07 (day) by grammar",
        "note: content/articles/a.md:15: said 'earlier this week' → 2024-11-11 (week) by grammar",
    ]
    quiet = run("check", "--site", str(tmp_path), "--no-cache")
    assert "note:" not in quiet.stderr
