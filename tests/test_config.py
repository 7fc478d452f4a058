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


# --- [markdown] extensions --------------------------------------------------------------------------------

MARKDOWN_SITE = '''title = "T"
base_url = "https://example.org/"

[markdown]
extensions = ["footnotes", "smarty"]

[markdown.extension_configs.footnotes]
BACKLINK_TEXT = "back to the text"
'''


def test_a_site_toml_extension_takes_effect_in_the_built_html(tmp_path: Path) -> None:
    from helpers import article, write_site

    from generator.build import build_site

    body = 'A "quoted" claim.[^1]\n\n[^1]: The footnote.\n'
    site = write_site(tmp_path / "site", {"content/articles/a.md": article("A", "2024-11-11", body)}, MARKDOWN_SITE)
    assert build_site(site, out_dir=tmp_path / "out").ok
    page = (tmp_path / "out" / "articles" / "a" / "index.html").read_text()
    assert "A &ldquo;quoted&rdquo; claim." in page or "A “quoted” claim." in page  # smarty
    assert '<li id="md-fn:1">' in page and 'href="#md-fn:1"' in page  # footnotes, ids kept under a prefix
    assert "back to the text" in page  # the extension's own setting
    plain = write_site(tmp_path / "plain", {"content/articles/a.md": article("A", "2024-11-11", body)})
    assert build_site(plain, out_dir=tmp_path / "plain-out").ok
    assert "[^1]" in (tmp_path / "plain-out" / "articles" / "a" / "index.html").read_text()


def test_bad_extensions_and_settings_are_reported_at_their_lines(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, 'title = "T"\n[markdown]\nextensions = ["footnotes",\n  "no_such_extension"]\n'
                       '[markdown.extension_configs.footnotes]\nBACKLINK_TEXT = "b"\nNO_SUCH = 1\n'
                       '[markdown.extension_configs.tables]\nuse_align_attribute = "maybe"\n'
                       '[markdown.extension_configs.toc]\nanchorlink = true\n')
    assert [str(p) for p in caught.value.problems] == [
        "site.toml:4:3: error: unknown Markdown extension 'no_such_extension' (name an installed Python-Markdown "
        "extension, such as 'footnotes' or 'pymdownx.tilde'; see docs/content.md)",
        "site.toml:7:1: error: Markdown extension 'footnotes' has no setting 'NO_SUCH'",
        "site.toml:9:1: error: Markdown extension 'tables' does not accept these settings: "
        "Cannot parse bool value: 'maybe'",
        "site.toml:10:1: error: 'markdown.extension_configs.toc' configures an extension that is not used "
        "(add \"toc\" to 'markdown.extensions')",
    ]


def test_an_extension_in_the_site_folder_never_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site_ext.py").write_text("raise SystemExit('site code ran')\n")
    monkeypatch.syspath_prepend(str(tmp_path))  # as `python -m generator` run in the site folder would
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, 'title = "T"\n[markdown]\nextensions = ["site_ext"]\n')
    assert [str(p) for p in caught.value.problems] == [
        "site.toml:3:15: error: Markdown extension 'site_ext' is a module in the site folder; only installed "
        "extensions load (name an installed Python-Markdown extension, such as 'footnotes' or 'pymdownx.tilde'; "
        "see docs/content.md)"]

