"""`counterpoint new` and `counterpoint init`: the files they write, and that those build clean."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import scaffold
from generator.cli import main
from generator.config import load_config

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in a subprocess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=REPO,
    )


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder that `new` accepts as a site."""
    (tmp_path / "site.toml").write_text('title = "T"\n', encoding="utf-8")
    return tmp_path


@pytest.fixture
def theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in default theme, so init's own behaviour is tested whatever templates/ holds."""
    folder = tmp_path / "theme"
    (folder / "assets").mkdir(parents=True)
    (folder / "base.html").write_text("<html>{% block main %}{% endblock %}</html>", encoding="utf-8")
    (folder / "assets" / "style.css").write_text("body {}", encoding="utf-8")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"")
    monkeypatch.setattr(scaffold, "default_theme", lambda: folder)
    return folder


def real_build():
    """The real build_site and load_site, or a skip saying why they are not there yet."""
    try:
        from generator.build import build_site, load_site
    except ImportError as exc:
        pytest.skip(f"generator.build is not importable yet: {exc}")
    return build_site, load_site


def real_site(tmp_path: Path) -> Path:
    """A site made by init with the repository's theme, or a skip if the theme is not there yet."""
    if not scaffold.default_theme().is_dir():
        pytest.skip(f"the default theme {scaffold.default_theme()} does not exist yet")
    target = tmp_path / "newsite"
    assert scaffold.init_site(target) == 0
    return target


def build_clean(site: Path, out: Path) -> None:
    """Build with the real build and check with the real CLI: no problems at all."""
    build_site, _ = real_build()
    try:
        result = build_site(site, out_dir=out)
    except ImportError as exc:
        pytest.skip(f"the real build is incomplete: {exc}")
    assert result.ok, "\n".join(map(str, result.problems))
    assert result.problems == ()
    assert (out / "index.html").is_file()
    check = run_cli("check", "--site", str(site), "--strict")
    assert check.returncode == 0, check.stdout + check.stderr


# ---------------------------------------------------------------------------
# slugs


# ---------------------------------------------------------------------------
# new


def test_new_writes_an_article_and_prints_its_path(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = scaffold.new_article(site, "Kremlin: “no call”", timeline="trump-putin-call", date="2024-11-11")
    assert status == 0
    path = site / "content" / "articles" / "2024-11-11-kremlin-no-call.md"
    out, err = capsys.readouterr()
    assert out.strip() == str(path)
    assert "content/timelines/trump-putin-call.md does not exist" in err
    text = path.read_text(encoding="utf-8")
    assert front_matter(text) == {
        "title": "Kremlin: “no call”",
        "date": dt.date(2024, 11, 11),
        "timeline": "trump-putin-call",
        "tags": [],
    }
    assert "<!--" in text and "-->" in text
    body = text.split("---\n", 2)[2]
    assert body.index("<!--") < body.index("    ::: claim") < body.index("-->")
    assert not any(line.startswith(":::") for line in text.splitlines())


def test_new_defaults_to_today_and_no_timeline(site: Path) -> None:
    assert scaffold.new_article(site, "Hello") == 0
    today = dt.date.today().isoformat()
    meta = front_matter((site / "content" / "articles" / f"{today}-hello.md").read_text(encoding="utf-8"))
    assert meta == {"title": "Hello", "date": dt.date.today(), "tags": []}


def test_new_accepts_a_date_time(site: Path) -> None:
    assert scaffold.new_article(site, "Hello", date="2024-11-07T14:30") == 0
    text = (site / "content" / "articles" / "2024-11-07-hello.md").read_text(encoding="utf-8")
    assert "\ndate: 2024-11-07T14:30\n" in text


def test_new_never_overwrites(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = site / "content" / "articles" / "2024-11-11-hello.md"
    path.parent.mkdir(parents=True)
    path.write_text("mine\n", encoding="utf-8")
    assert scaffold.new_article(site, "Hello", date="2024-11-11") == 1
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert "exists already" in capsys.readouterr().err


def test_new_refuses_a_slug_another_article_has(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert scaffold.new_article(site, "Hello", date="2024-11-10") == 0
    assert scaffold.new_article(site, "Hello!", date="2024-11-11") == 1
    assert "slug 'hello' exists already" in capsys.readouterr().err
    assert not (site / "content" / "articles" / "2024-11-11-hello.md").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": "???"}, "cannot make a file name"),
        ({"title": "Hello", "date": "11/11/2024"}, "--date must be an ISO date"),
        ({"title": "Hello", "date": "2024-02-30"}, "--date must be an ISO date"),
        ({"title": "Hello", "date": "2024-W45-1"}, "--date must be an ISO date"),
        ({"title": "Hello", "timeline": "Not A Slug"}, "--timeline must be a slug"),
        ({"title": "Hello", "timeline": "a--b"}, "--timeline must be a slug"),  # the checker refuses it too
    ],
)
def test_new_rejects_bad_arguments(
    site: Path, capsys: pytest.CaptureFixture[str], kwargs: dict, message: str
) -> None:
    title = kwargs.pop("title")
    assert scaffold.new_article(site, title, **kwargs) == 2
    assert message in capsys.readouterr().err
    assert not (site / "content").exists()


def test_new_outside_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert scaffold.new_article(tmp_path, "Hello") == 2
    assert "no site.toml" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


def test_new_through_the_command_line(site: Path) -> None:
    result = run_cli("new", "From the CLI", "--site", str(site), "--date", "2024-11-12")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("2024-11-12-from-the-cli.md")
    again = run_cli("new", "From the CLI", "--site", str(site), "--date", "2024-11-12")
    assert again.returncode == 1 and "exists already" in again.stderr


# ---------------------------------------------------------------------------
# init


def test_init_writes_a_site(tmp_path: Path, theme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "my-site"
    assert scaffold.init_site(target) == 0
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        "content/articles/2024-11-11-kremlin-denies-call.md",
        "content/speakers/dmitry-peskov.md",
        "content/speakers/the-washington-post.md",
        "content/timelines/trump-putin-call.md",
        "site.toml",
        "templates/README.md",
    ]
    assert load_config(target).title == "My site"
    article = (target / "content" / "articles" / "2024-11-11-kremlin-denies-call.md").read_text(
        encoding="utf-8"
    )
    assert "\n::: claim\n" in article and "\n::: denial\n" in article
    assert "my-site" in capsys.readouterr().out


def test_init_in_an_empty_folder(tmp_path: Path, theme: Path) -> None:
    assert scaffold.init_site(tmp_path / "empty") == 0  # new
    (tmp_path / "existing").mkdir()
    assert scaffold.init_site(tmp_path / "existing") == 0  # empty


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, theme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    assert scaffold.init_site(target) == 1
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert scaffold.init_site(tmp_path / "file") == 1


def test_init_without_a_theme_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scaffold, "default_theme", lambda: tmp_path / "missing")
    assert scaffold.init_site(tmp_path / "site") == 2
    assert not (tmp_path / "site").exists()


def test_init_toml_title_is_escaped(tmp_path: Path, theme: Path) -> None:
    target = tmp_path / 'quote"and\\slash'
    assert scaffold.init_site(target) == 0
    assert load_config(target).title == 'Quote"and\\slash'


def test_default_theme_ships_inside_the_package() -> None:
    theme = scaffold.default_theme()
    assert theme == REPO / "generator" / "theme"
    assert (theme / "base.html").is_file() and (theme / "assets" / "style.css").is_file()


def test_the_repository_templates_folder_only_explains_overrides(tmp_path: Path) -> None:
    """The example site overrides nothing: its templates/README.md is neither copied nor rendered."""
    assert sorted(p.name for p in (REPO / "templates").iterdir()) == ["README.md"]
    site, out = tmp_path / "site", tmp_path / "out"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "site.toml", site / "site.toml")
    assert main(["build", "--site", str(site), "--out", str(out), "--quiet"]) == 0
    assert (out / "index.html").is_file()
    assert not [p for p in out.rglob("*") if "readme" in p.name.lower()]


def test_init_leaves_the_theme_in_the_package(tmp_path: Path) -> None:
    """A new site overrides nothing: it renders with the packaged theme, so upgrades reach it."""
    target = real_site(tmp_path)
    assert [p.name for p in (target / "templates").iterdir()] == ["README.md"]
    build_site, _ = real_build()
    assert build_site(target).ok
    assert (target / "public" / "assets" / "style.css").read_bytes() == \
        (scaffold.default_theme() / "assets" / "style.css").read_bytes()


# ---------------------------------------------------------------------------
# With the real build: what init and new write must build and check clean


def test_init_site_builds_and_checks_clean(tmp_path: Path) -> None:
    site = real_site(tmp_path)
    build_clean(site, tmp_path / "out")
    _, load_site = real_build()
    loaded, problems = load_site(site)
    assert problems == [] and loaded is not None
    statement = loaded.statements["call-took-place"]
    assert statement.answered_by == ("kremlin-denies-call",) and str(statement.status) == "denied"
    assert {s.slug for s in loaded.speakers.values() if not s.implicit} == {
        "dmitry-peskov",
        "the-washington-post",
    }


def test_init_through_the_command_line_then_build(tmp_path: Path) -> None:
    build_clean(real_site(tmp_path), tmp_path / "out")  # skips until the theme and the build exist
    target = tmp_path / "cli-site"
    result = run_cli("init", str(target))
    assert result.returncode == 0, result.stderr
    again = run_cli("init", str(target))
    assert again.returncode == 1 and "not empty" in again.stderr
    built = run_cli("build", "--site", str(target))
    assert built.returncode == 0, built.stdout + built.stderr
    assert (target / "public" / "index.html").is_file()


def test_new_article_builds_and_checks_clean(tmp_path: Path) -> None:
    site = real_site(tmp_path)
    real_build()
    assert (
        scaffold.new_article(site, "Peskov speaks again", timeline="trump-putin-call", date="2024-11-12") == 0
    )
    assert scaffold.new_article(site, "Another story", date="2024-11-13") == 0
    build_clean(site, tmp_path / "out")
    _, load_site = real_build()
    loaded, _ = load_site(site)
    article = loaded.articles["peskov-speaks-again"]
    assert article.statements == ()  # the commented example is not parsed as a block
    assert article.timelines == ("trump-putin-call",)
