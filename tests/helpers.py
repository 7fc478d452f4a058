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
