"""site.toml → Config: defaults, base_url paths, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.problems import ConfigError


def load(tmp_path: Path, text: str) -> Config:
    (tmp_path / "site.toml").write_text(text)
    return load_config(tmp_path)


def test_defaults_and_sub_path(tmp_path: Path) -> None:
    config = load(tmp_path, 'title = "Fact check"\nbase_url = "https://example.org/factcheck"\n')
    assert config.base_url == "https://example.org/factcheck/"
    assert config.base_path == "/factcheck/"
    assert config.url("timelines/x/") == "/factcheck/timelines/x/"
    assert config.absolute_url("/feed.xml") == "https://example.org/factcheck/feed.xml"
    assert (config.language, config.output, config.drafts, config.unsafe_html) == ("en", "public", False, False)


def test_sections(tmp_path: Path) -> None:
    config = load(tmp_path, '[build]\noutput = "out"\ndrafts = true\n[markdown]\nunsafe_html = true\n')
    assert (config.output, config.drafts, config.unsafe_html) == ("out", True, True)


def test_all_problems_at_once_with_lines(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, 'title = 3\ntimezone = "Mars/Olympus"\n\n[build]\noutptu = "x"\n')
    assert [str(p) for p in caught.value.problems] == [
        "site.toml:1:1: error: 'title' must be a string, not a number",
        "site.toml:5:1: error: unknown setting 'build.outptu' (did you mean 'output'?)",
        "site.toml:2:1: error: unknown timezone 'Mars/Olympus' (use an IANA name such as 'Europe/London')",
    ]


def test_missing_site_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert "no site.toml" in caught.value.problems[0].message
