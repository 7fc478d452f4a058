"""Small helpers shared by the tests: write a site to a folder."""

from __future__ import annotations

from pathlib import Path

SITE_TOML = 'title = "Test site"\nbase_url = "https://example.org/"\n'


def write_site(root: Path, files: dict[str, str], site_toml: str = SITE_TOML) -> Path:
    """Write `files` (path → text) under root, with a site.toml unless one is given."""
    files = {"site.toml": site_toml, **files}
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def article(title: str, date: str, body: str, extra: str = "") -> str:
    """An article file's text."""
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}"


def render_all(site, theme_dir: Path) -> list:
    """Every file of a hand-made `Site`, rendered by the objects `build_site` uses (Renderer, list_pages)."""
    from generator.render import Renderer, list_pages

    renderer = Renderer(site, theme_dir)
    files = [renderer.render(page) for page in list_pages(site, renderer.index)]
    return sorted([*files, *renderer.assets], key=lambda f: f.path)
