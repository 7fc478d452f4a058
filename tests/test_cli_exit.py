"""How the command ends: as the program, `build` and `check` skip the interpreter's teardown;
called from Python, `main` returns its status as always."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import article, write_site

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
# a program like the console script, with a teardown that prints when the interpreter runs it
PROGRAM = ("import atexit, sys\n"
           "atexit.register(lambda: print('interpreter teardown'))\n"
           "from generator.cli import main\n"
           "sys.exit(main({}))\n")


def run_program(*args: str, argv: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROGRAM.format(argv), *args], cwd=ROOT, capture_output=True,
                          text=True)


def good_site(root: Path) -> Path:
    body = "Text.\n\n::: claim\nid: a-claim\nby: Someone\n\nSomething was said.\n:::\n"
    return write_site(root, {"content/articles/2024-11-11-a.md": article("A", "2024-11-11", body)})


def broken_site(root: Path, problems: int = 1) -> Path:
    body = "".join(f"::: clam\nby: A\n\nx{i}\n:::\n\n" for i in range(problems))
    return write_site(root, {"content/articles/a.md": article("A", "2024-11-11", body)})


def test_a_build_run_as_the_program_prints_everything_and_skips_the_teardown(tmp_path: Path) -> None:
    site = good_site(tmp_path / "site")
    result = run_program("build", "--site", str(site), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built ") and "interpreter teardown" not in result.stdout
    assert (tmp_path / "out" / "statements" / "a-claim" / "index.html").is_file()


def test_a_failed_build_run_as_the_program_keeps_its_exit_status_and_messages(tmp_path: Path) -> None:
    site = broken_site(tmp_path / "site")
    result = run_program("build", "--site", str(site), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/articles/a.md:6:5: error: unknown statement kind 'clam' (did you mean 'claim'?)",
        "1 error, 0 warnings",
    ]
    assert result.stderr == "build failed; the output folder was left as it was\n"


def test_a_check_run_as_the_program_writes_all_of_a_long_report_through_a_pipe(tmp_path: Path) -> None:
    site = broken_site(tmp_path / "site", problems=400)
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--site", str(site), "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert len(result.stdout) > 65536  # more than a pipe holds: all of it was flushed before the process ended
    assert len(json.loads(result.stdout)) == 400


def test_other_commands_and_main_given_arguments_end_as_usual(tmp_path: Path) -> None:
    site = good_site(tmp_path / "site")
    given = run_program("build", "--site", str(site), "--out", str(tmp_path / "out"), argv="sys.argv[1:]")
    assert given.returncode == 0 and given.stdout.startswith("built ")
    assert given.stdout.endswith("interpreter teardown\n")
    new = run_program("new", "A title", "--site", str(site), "--date", "2024-11-12")
    assert new.returncode == 0 and new.stdout.endswith("interpreter teardown\n")


def test_main_called_from_python_returns_even_when_it_reads_sys_argv(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site = good_site(tmp_path / "site")
    monkeypatch.setattr(sys, "argv", ["counterpoint", "check", "--site", str(site), "--quiet"])
    assert main() == 0
    assert gc.isenabled()
    monkeypatch.setattr(sys, "argv", ["counterpoint", "build", "--site", str(site), "--out", str(tmp_path / "o")])
    assert main() == 0
    assert gc.isenabled()
