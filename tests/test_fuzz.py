"""Fuzzing whole sites through the real command: any content gives problem lines, never a traceback.

Each example writes a generated site (tests/fuzz_sites.py) into a temporary folder and runs
`counterpoint check` (and, less often, `build`) in this process through `generator.cli.main`.
CI runs a few hundred examples; set COUNTERPOINT_FUZZ_EXAMPLES=20000 for a long campaign
(see tests/README.md).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from pathlib import Path

from fuzz_sites import sites, valid_sites
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main

_EXAMPLES = int(os.environ.get("COUNTERPOINT_FUZZ_EXAMPLES", "0"))
_SETTINGS = {"deadline": None, "database": None, "derandomize": not _EXAMPLES,
             "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]}

TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<message>.+)$")
COUNT_LINE = re.compile(r"^(?P<errors>\d+) errors?, (?P<warnings>\d+) warnings?$")
GITHUB_LINE = re.compile(r"^::(?P<severity>error|warning) file=(?P<path>[^,]*),line=(?P<line>\d+),"
                         r"col=(?P<column>\d+)::(?P<message>.*)$")
_LINE_ENDS = re.compile(r"\r\n|\r|\n")
# What must never reach a terminal from a problem line: control characters (a tab aside), line and
# paragraph separators, bidi overrides.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _write(root: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _line_count(data: bytes) -> int:
    """How many lines a file has, as an editor counts them (LF, CRLF or CR end a line)."""
    text = data.decode("utf-8", "replace")
    return len(_LINE_ENDS.split(text[:-1] if text.endswith(("\n", "\r")) else text)) or 1


def _run(*args: str) -> tuple[int, str, str]:
    """The command as a user runs it, in this process: exit status, stdout, stderr. A traceback fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def _check_location(files: dict[str, bytes], path: str, line: int, column: int) -> None:
    assert path in files, f"problem in a file the site does not have: {path!r}"
    assert 1 <= line <= _line_count(files[path]), f"{path}:{line} is outside its {_line_count(files[path])} lines"
    assert column >= 1


def _text_problems(files: dict[str, bytes], output: str) -> tuple[int, int]:
    """Every line one well-formed problem, then the count line; returns (errors, warnings)."""
    lines = output.split("\n")
    assert lines[-1] == "" and len(lines) >= 2, repr(output)
    *problem_lines, count, _ = lines
    count_match = COUNT_LINE.match(count)
    assert count_match, f"last line is not a count: {count!r}"
    severities = []
    for line in problem_lines:
        assert not _UNSAFE.search(line), f"a control character or line break in {line!r}"
        match = TEXT_LINE.match(line)
        assert match, f"not a problem line: {line!r}"
        _check_location(files, match["path"], int(match["line"]), int(match["column"]))
        severities.append(match["severity"])
    assert (severities.count("error"), severities.count("warning")) == (
        int(count_match["errors"]), int(count_match["warnings"]))
    return severities.count("error"), severities.count("warning")


def _expected_status(errors: int, warnings: int, strict: bool) -> int:
    """DESIGN.md: 0 success, 1 content errors (warnings too, with --strict); 2 is for configuration."""
    return 1 if errors or (strict and warnings) else 0


@settings(max_examples=_EXAMPLES or 120, **_SETTINGS)
@given(files=sites(), strict=st.booleans())
def test_check_reports_any_site_as_problem_lines(files: dict[str, bytes], strict: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _write(Path(folder), files)
        args = ["check", "--site", folder, "--jobs", "1", *(["--strict"] if strict else [])]
        status, output, errors_out = _run(*args)
        assert errors_out == ""
        errors, warnings = _text_problems(files, output)
        assert status == _expected_status(errors, warnings, strict)

        status_json, output_json, _ = _run(*args, "--format", "json")
        found = json.loads(output_json)
        assert status_json == status
        assert sum(p["severity"] == "error" for p in found) == errors and len(found) == errors + warnings
        for problem in found:
            assert set(problem) == {"path", "line", "column", "severity", "message", "hint"}
            _check_location(files, problem["path"], problem["line"], problem["column"])

        status_github, output_github, _ = _run(*args, "--format", "github")
        assert status_github == status
        lines = output_github.removesuffix("\n").split("\n") if output_github.strip() else []  # none: an empty line
        assert len(lines) == errors + warnings, output_github
        assert all(GITHUB_LINE.match(line) and not _UNSAFE.search(line) for line in lines), output_github


@settings(max_examples=max(_EXAMPLES // 10, 25), **_SETTINGS)
@given(files=sites())
def test_build_writes_a_site_exactly_when_check_passes(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site, out = Path(folder) / "site", Path(folder) / "out"
        _write(site, files)
        checked, _, _ = _run("check", "--site", str(site), "--jobs", "1")
        status, output, errors_out = _run("build", "--site", str(site), "--out", str(out), "--jobs", "1")
        assert status == checked, output + errors_out
        if status == 0:
            assert (out / "index.html").is_file()
            assert output.split("\n")[-2].startswith(f"built {out}: ")
        else:
            assert not out.exists()
            assert errors_out.strip() == "build failed; the output folder was left as it was"
            _text_problems(files, output)


@settings(max_examples=max(_EXAMPLES // 10, 20), **_SETTINGS)
@given(files=valid_sites())
def test_any_valid_site_builds_every_statement_page(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site, out = Path(folder) / "site", Path(folder) / "out"
        _write(site, files)
        status, output, errors_out = _run("build", "--site", str(site), "--out", str(out), "--jobs", "1")
        assert (status, errors_out) == (0, ""), output
        *warnings, built, _ = output.split("\n")
        assert built.startswith(f"built {out}: ")
        if warnings:  # a timeline without a file, a speaker of its own: fine, and said as problem lines
            assert _text_problems(files, "\n".join(warnings) + "\n")[0] == 0
        ids = {line.split(": ", 1)[1] for data in files.values() for line in data.decode("utf-8-sig").splitlines()
               if line.startswith("id: ")}
        assert ids and all((out / "statements" / i / "index.html").is_file() for i in ids)
