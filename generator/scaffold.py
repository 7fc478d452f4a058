"""New files from templates: `counterpoint new` (an article) and `counterpoint init` (a site)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

from .config import CONFIG_FILE
from .load.content import slug_from_filename
from .vocab.dates import ISO
from .vocab.kinds import KIND_NAMES
from .vocab.locations import CACHE_DIR, DEFAULT_THEME
from .vocab.slugs import SLUG_RULE, is_slug, slugify

ARTICLES = Path("content") / "articles"
SLUG_MAX = 80


_ARTICLE_BODY = """\
Write the article here. Its first paragraph is its summary unless the front-matter sets `summary`.

<!--
Mark each statement the article reports as a block. Copy an example below, remove
its four-space indentation, and fill it in (a line that starts with three colons
always opens or closes a block, outside fenced code):

    ::: claim
    id: what-was-claimed
    by: Name of who said it
    said: yesterday
    about: Thursday

    What they said, in your words. Write it as a "> " quotation if it is their words.
    :::

    ::: denial
    by: Name of who answered
    answers: what-was-claimed

    > Their words.
    :::

Kinds: KINDS.
Fields: by (required), id, role, said, about, answers, via, source, timeline, tags.
-->
""".replace("KINDS", ", ".join(KIND_NAMES))


def article_text(title: str, date: str, timeline: str | None = None) -> str:
    """The front-matter and commented example of a new article."""
    front = {"title": title}
    lines = ["---", yaml.safe_dump(front, allow_unicode=True, width=1000, sort_keys=False).rstrip("\n")]
    lines.append(f"date: {date}")
    if timeline:
        lines.append(f"timeline: {timeline}")
    lines += ["tags: []", "---", "", _ARTICLE_BODY]
    return "\n".join(lines)


def new_article(site_dir: Path, title: str, *, timeline: str | None = None, date: str | None = None) -> int:
    """Create content/articles/<date>-<slug>.md from a template, never overwriting; the exit status."""
    if not (site_dir / CONFIG_FILE).is_file():
        return _fail(
            2,
            f"no {CONFIG_FILE} in {site_dir}: pass the site folder with --site DIR, "
            "or make a site with 'counterpoint init DIR'",
        )
    slug = slugify(title, SLUG_MAX)
    if not title.strip() or not slug:
        return _fail(2, f"cannot make a file name from the title {title!r}: it needs letters or digits")
    if timeline is not None and not is_slug(timeline):
        return _fail(2, f"--timeline must be a slug of {SLUG_RULE}, not {timeline!r}")
    day = _parse_date(date)
    if day is None:
        return _fail(2, f"--date must be an ISO date such as 2024-11-11 (or 2024-11-11T14:30), not {date!r}")
    folder = site_dir / ARTICLES
    path = folder / f"{day.isoformat()}-{slug}.md"
    taken = _article_with_slug(folder, slug)
    if taken is not None and taken != path:
        return _fail(1, f"an article with the slug '{slug}' exists already: {taken}; choose another title")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(article_text(title, date or day.isoformat(), timeline))
    except FileExistsError:
        return _fail(1, f"{path} exists already; it was left as it is (choose another title or --date)")
    print(path)
    if timeline and not (site_dir / "content" / "timelines" / f"{timeline}.md").exists():
        print(
            f"note: content/timelines/{timeline}.md does not exist yet; the timeline's title will be "
            f"made from its slug",
            file=sys.stderr,
        )
    return 0


def _parse_date(date: str | None) -> dt.date | None:
    """The day a --date names (today without one); None unless it is an ISO date or date-time."""
    if date is None:
        return dt.date.today()
    match = ISO.fullmatch(date)
    if match is None or match["day"] is None:  # a month or a year names no day
        return None
    try:
        return dt.datetime.fromisoformat(date).date()
    except ValueError:
        return None


def _article_with_slug(folder: Path, slug: str) -> Path | None:
    """An existing article whose file name gives it `slug`, if any."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.md")):
        if slug_from_filename(path.name) == slug:
            return path
    return None


def _fail(status: int, message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


# ---------------------------------------------------------------------------
# counterpoint init

_SITE_TOML = """\
# Counterpoint site settings.
title = {title}
description = "Who said what, when, and who answered."
# The address the site will be published at; a sub-path such as
# "https://example.org/factcheck/" works too.
base_url = "http://localhost:8000/"
language = "en"
timezone = "UTC"

[build]
output = "public"

[markdown]
# Raw HTML in Markdown is sanitized unless this is true.
unsafe_html = false
# Python-Markdown extensions added to fenced_code, tables and sane_lists (docs/content.md):
# extensions = ["footnotes", "smarty"]
# [markdown.extension_configs.footnotes]
# BACKLINK_TEXT = "↩"
"""

_EXAMPLE_FILES = {
    "content/articles/2024-11-11-kremlin-denies-call.md": """\
---
title: Kremlin denies report of a Trump–Putin phone call
date: 2024-11-11
timeline: trump-putin-call
tags: [russia, ukraine, diplomacy]
---

The Kremlin on Monday denied a report that President-elect Donald Trump and President
Vladimir Putin had spoken by phone the week before.

::: claim
id: call-took-place
by: The Washington Post
about: Thursday

The two leaders spoke by phone on Thursday, and Trump cautioned Putin against
escalating the war in Ukraine.
:::

Kremlin spokesman Dmitry Peskov told the Russian news agency Interfax that the report
was the most obvious example of the quality of what is now published.

::: denial
id: kremlin-denies-call
by: Dmitry Peskov
role: Kremlin spokesman
answers: call-took-place
via: Interfax

> This is completely untrue. This is pure fiction, this is simply false information.
:::
""",
    "content/speakers/dmitry-peskov.md": """\
---
name: Dmitry Peskov
role: Kremlin spokesman
aliases: [Peskov]
kind: person
---

Press secretary of the President of Russia since 2012.
""",
    "content/speakers/the-washington-post.md": """\
---
name: The Washington Post
aliases: [Washington Post]
kind: outlet
url: https://www.washingtonpost.com/
---

A daily newspaper published in Washington, D.C.
""",
    "content/timelines/trump-putin-call.md": """\
---
title: The Trump–Putin phone call
---

Did President-elect Donald Trump speak to Vladimir Putin in November 2024? A report,
and the answers to it.
""",
}


_TEMPLATES_README = """\
# This site's own templates

Put a file here to override Counterpoint's default theme, file by file: a file with the
name of one of the default theme's (say `_card.html` or `assets/style.css`) is used
instead of it, and every other file still comes from the default theme, which ships
inside the package. Copy the one you want to change from the folder that
`python -c "import generator.vocab.locations as l; print(l.DEFAULT_THEME)"` prints.
A site with templates of its own renders them in Jinja's sandbox (see docs/security.md).
"""


def default_theme() -> Path:
    """The default theme a new site uses: the one shipped inside the package."""
    return DEFAULT_THEME


def init_site(target: Path) -> int:
    """Make a new site in `target` (a new or empty folder) that builds as it is; the exit status."""
    if target.exists() and not target.is_dir():
        return _fail(1, f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()):
        return _fail(1, f"{target} is not empty; 'init' makes a site only in a new or empty folder")
    theme = default_theme()
    if not theme.is_dir():
        return _fail(2, f"the default theme is missing (looked in {theme}); is Counterpoint installed whole?")
    target.mkdir(parents=True, exist_ok=True)
    title = target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "Fact timelines"
    (target / CONFIG_FILE).write_text(_SITE_TOML.format(title=_toml_string(title)), encoding="utf-8")
    for relative, text in _EXAMPLE_FILES.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # The theme stays in the package, so a site gets its fixes with each upgrade and renders
    # trusted templates (a site's own templates render in Jinja's slower sandbox); templates/
    # holds only what a site overrides, file by file.
    (target / "templates").mkdir()
    (target / "templates" / "README.md").write_text(_TEMPLATES_README, encoding="utf-8")
    (target / ".gitignore").write_text(f"/public/\n/{CACHE_DIR}/\n", encoding="utf-8")
    print(f"Created a new site in {target}")
    print(f"Next: counterpoint serve --site {target}")
    return 0


def _toml_string(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'
