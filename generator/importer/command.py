"""The `import` command: raw text files in, draft articles out (never overwriting), problems reported."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..config import CONFIG_FILE, load_config
from ..load.blocks import RawBlock, split_blocks
from ..load.content import decode, find_content, slug_from_filename, split_source
from ..load.dates import DateResolver
from ..problems import Problem, SourceLocation, error, format_text, sorted_problems
from ..scaffold import ARTICLES
from ..vocab.slugs import SLUG_RULE, is_slug
from .drafts import article_slug, draft_text, headline
from .read import read_raw, source_note
from .sentences import split_sentences
from .suggestions import suggest


def import_files(site_dir: Path, paths: Sequence[Path], *, timeline: str | None = None) -> int:
    """Import raw text files as draft articles, never overwriting; print each created path; the exit status."""
    if not (site_dir / CONFIG_FILE).is_file():
        return _fail(2, f"no {CONFIG_FILE} in {site_dir}: pass the site folder with --site DIR, "
                        "or make a site with 'counterpoint init DIR'")
    if timeline is not None and not is_slug(timeline):
        return _fail(2, f"--timeline must be a slug of {SLUG_RULE}, not {timeline!r}")
    dates = DateResolver(load_config(site_dir).language)
    slugs, ids = existing_slugs_and_ids(site_dir)
    problems: list[Problem] = []
    for path in paths:
        created, found = _import_one(path, site_dir / ARTICLES, slugs, ids, dates, timeline)
        problems.extend(found)
        if created is not None:
            print(created)
    if problems:
        print(format_text(sorted_problems(problems)), file=sys.stderr)
        return 1
    return 0


def _import_one(path: Path, folder: Path, slugs: dict[str, Path], ids: set[str], dates: DateResolver,
                timeline: str | None) -> tuple[Path | None, list[Problem]]:
    """Write one draft; the new file, or the problems. Adds the new slug and ids to `slugs` and `ids`."""
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(SourceLocation(label), f"cannot read the file: {exc.strerror or exc}")]
    text, problems = decode(label, data)
    raw, found = read_raw(label, text) if text is not None else (None, [])
    if raw is None:
        return None, problems + found
    paragraphs: list[str] = []
    notes: dict[str, None] = {}  # each source note once, in the order of first mention
    for paragraph in raw.paragraphs:
        analysed, note = source_note(paragraph.text)
        paragraphs.append(analysed)
        if note:
            notes.setdefault(note)
    title = headline(next((s for p in paragraphs for s in split_sentences(p)), "") or "Imported article")
    slug = article_slug(title)
    target = folder / f"{raw.date.isoformat()}-{slug}.md"
    exists = error(SourceLocation(label), f"{target} exists already; it was left as it is")
    if target.exists():
        return None, [exists]
    if slug in slugs:
        return None, [error(SourceLocation(label), f"an article with the slug '{slug}' exists already: "
                            f"{slugs[slug]}; it was left as it is")]
    suggestions = suggest(paragraphs, raw.date, ids, dates)
    body = draft_text(raw, suggestions, title=title, origin=_printable(path.name), timeline=timeline, notes=list(notes))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as file:
            file.write(body)
    except FileExistsError:
        return None, [exists]
    slugs[slug] = target
    ids.update(s.id for s in suggestions)
    return target, []


def existing_slugs_and_ids(site_dir: Path) -> tuple[dict[str, Path], set[str]]:
    """The slugs of the site's articles (→ file) and the ids their statements use, explicit or default."""
    slugs: dict[str, Path] = {}
    ids: set[str] = set()
    for relative in find_content(site_dir).articles:
        path = site_dir / relative
        slug = slug_from_filename(relative)
        slugs.setdefault(slug, path)
        try:
            text, _ = decode(relative, path.read_bytes())
        except OSError:
            continue
        source, _ = split_source(relative, text) if text is not None else (None, [])
        if source is None:
            continue
        declared = source.front_matter.data.get("slug")
        if isinstance(declared, str):
            slug = declared
            slugs.setdefault(slug, path)
        parts, _ = split_blocks(source.body, source.body_line, relative)
        blocks = [part for part in parts if isinstance(part, RawBlock)]
        for index, block in enumerate(blocks, start=1):
            given = next((f.value.strip() for f in block.fields if f.name == "id"), None)
            ids.add(given or f"{slug}-{index}")
    return slugs, ids


def _printable(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)


def _fail(status: int, message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status
