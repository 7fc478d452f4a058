"""A broken theme is reported at its template's file and line, by `check` and by `build` alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import article, write_site

CONTENT = {
    "content/articles/2024-11-11-a.md": article("A", "2024-11-11", "::: claim\nby: Ann\n\nA.\n:::\n", "tags: [x]\n"),
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True)


@pytest.mark.parametrize("command", ["check", "build"])
def test_unclosed_if_in_a_site_template(tmp_path: Path, command: str) -> None:
    site = write_site(tmp_path / "site", {**CONTENT, "templates/tag.html": "<p>\n{% if tag %}\n<b>x</b>\n"})
    result = run(command, "--site", str(site))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("templates/tag.html:3:1: error: template error: Unexpected end of template"), lines
    assert lines[-1] == "1 error, 0 warnings"
    assert "Traceback" not in result.stderr
    assert not (site / "public").exists()


@pytest.mark.parametrize("command", ["check", "build"])
def test_undefined_name_names_template_line_and_page(tmp_path: Path, command: str) -> None:
    template = "{% extends 'base.html' %}\n{% block content %}\n<h1>{{ tag.name }}</h1>\n{{ nosuch }}\n{% endblock %}\n"
    site = write_site(tmp_path / "site", {**CONTENT, "templates/tag.html": template})
    result = run(command, "--site", str(site))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "templates/tag.html:4:1: error: template error: 'nosuch' is undefined (while rendering tags/x/index.html, "
        "from tag 'x')",
        "1 error, 0 warnings",
    ]


def test_undefined_name_on_a_statement_page_names_the_block(tmp_path: Path) -> None:
    template = "{% extends 'base.html' %}\n{% block content %}\n{{ statement.nosuch_field }}\n{% endblock %}\n"
    site = write_site(tmp_path / "site", {**CONTENT, "templates/statement.html": template})
    result = run("build", "--site", str(site))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "templates/statement.html:3:1: error: template error: 'generator.model.Statement object' has no attribute "
        "'nosuch_field' (while rendering statements/a-1/index.html, from content/articles/2024-11-11-a.md:7)")


def test_a_site_template_cannot_run_code(tmp_path: Path) -> None:
    """Templates are sandboxed: Python's internals are out of reach, and the attempt is an error at its line."""
    marker = tmp_path / "ran"
    attack = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"
    template = "{% extends 'base.html' %}\n{% block content %}\n" + attack + "\n{% endblock %}\n"
    site = write_site(tmp_path / "site", {**CONTENT, "templates/tag.html": template})
    for command in ("check", "build"):
        result = run(command, "--site", str(site))
        assert result.returncode == 1, result.stdout + result.stderr
        first = result.stdout.splitlines()[0]
        assert first.startswith("templates/tag.html:3:1: error: template error: "), result.stdout
        assert "Traceback" not in result.stderr
    assert not marker.exists()
