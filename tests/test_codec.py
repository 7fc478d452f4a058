"""The build state stores every field of the model: what comes back from the store equals what was parsed."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import build_site, load_site
from generator.state import codec

ROOT = Path(__file__).resolve().parent.parent


def test_every_article_of_the_example_site_comes_back_whole() -> None:
    site, problems = load_site(ROOT, use_cache=False)
    assert site is not None, problems
    for article in site.articles.values():
        assert codec.article_of(codec.loads(codec.dumps(codec.article_json(article)))) == article
    assert any(s.verdict for a in site.articles.values() for s in a.statements)  # a field added after the codec


def test_a_build_from_the_cache_shows_what_a_clean_build_shows(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.toml", site / "site.toml")
    assert build_site(site, out_dir=tmp_path / "first").ok  # fills the store
    (site / "content" / "timelines" / "trump-putin-call.md").touch()  # a change: not a no-op build
    assert build_site(site, out_dir=tmp_path / "cached").ok  # parses nothing: every article from the store
    assert build_site(site, out_dir=tmp_path / "clean", use_cache=False).ok
    page = "timelines/trump-putin-call/index.html"
    cached = (tmp_path / "cached" / page).read_text(encoding="utf-8")
    assert cached == (tmp_path / "clean" / page).read_text(encoding="utf-8")
    assert 'data-verdict="unproven"' in cached
