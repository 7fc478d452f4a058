"""Markdown → HTML through Python-Markdown and nh3: the default dialect, and what sanitizing keeps."""

from __future__ import annotations

from generator.load.markup import MarkdownOptions, MarkdownRenderer


def test_the_default_extensions_render_fences_tables_and_numbered_lists() -> None:
    html = MarkdownRenderer().to_html("```\n::: not a block\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n3. x\n4. y\n")
    assert "<pre><code>::: not a block\n</code></pre>" in html
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert '<ol start="3">' in html


def test_prose_cannot_wear_the_themes_classes_or_ids() -> None:
    html = MarkdownRenderer().to_html('<span class="badge denied" id="timeline-controls">Denied</span>')
    assert html == '<p><span class="md-badge md-denied" id="md-timeline-controls">Denied</span></p>'


def test_raw_html_is_kept_only_when_the_site_allows_it() -> None:
    text = 'Hi <script>alert(1)</script><a href="javascript:x" onclick="y">l</a>'
    assert MarkdownRenderer().to_html(text) == '<p>Hi <a rel="noopener noreferrer">l</a></p>'
    assert "<script>" in MarkdownRenderer(MarkdownOptions(unsafe_html=True)).to_html(text)


def test_one_engine_is_reset_between_fragments() -> None:
    renderer = MarkdownRenderer(MarkdownOptions(extensions=("footnotes",)))
    first = renderer.to_html("A[^1]\n\n[^1]: one\n")
    assert "one" in first
    assert renderer.to_html("B") == "<p>B</p>"  # no footnote left over from the first fragment
