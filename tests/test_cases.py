"""Every bad-input case: `counterpoint check` prints exactly the expected problem lines.

Each folder under tests/cases/ is a small site. Its case.txt holds `exit N` and,
optionally, `args ...`; expected.txt holds the exact output. A case without a
site.toml gets a minimal one. `pytest --update-golden` rewrites expected.txt.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

CASES = Path(__file__).parent / "cases"
SITE_TOML = 'title = "Case"\nbase_url = "https://example.org/"\n'


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "case.txt").is_file())


def _read_case(case: Path) -> tuple[int, list[str]]:
    exit_code, args = 1, []
    for line in (case / "case.txt").read_text().splitlines():
        key, _, value = line.partition(" ")
        if key == "exit":
            exit_code = int(value)
        elif key == "args":
            args = value.split()
    return exit_code, args


@pytest.mark.parametrize("name", _case_names())
def test_case(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], update_golden: bool) -> None:
    case = CASES / name
    site = tmp_path / "site"
    shutil.copytree(case, site, ignore=shutil.ignore_patterns("case.txt", "expected.txt"))
    if not (site / "site.toml").exists():
        (site / "site.toml").write_text(SITE_TOML)
    expected_exit, args = _read_case(case)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))

    status = main(["check", "--site", str(site), *args])
    output = capsys.readouterr().out

    expected_file = case / "expected.txt"
    if update_golden:
        expected_file.write_text(output)
    assert output == expected_file.read_text()
    assert status == expected_exit
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before, "check must write nothing"


def test_there_are_enough_cases() -> None:
    errors = [n for n in _case_names() if _read_case(CASES / n)[0] != 0]
    assert len(errors) >= 20
