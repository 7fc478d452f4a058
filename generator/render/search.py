"""The search index: Pagefind's, of every article and statement, made from the Site as files under pagefind/.

Pagefind splits its index into small chunks the reader's browser fetches as it needs
them, so one search fetches a few hundred KB at any site size (the old search/index.json
was fetched whole: 20 MB at 10,000 articles). Its binary ships in the
`pagefind-bin-extended` package and is found through the `pagefind` package (or
PAGEFIND_BINARY_PATH); when it is missing or fails, the site is built without a search
index and says why, once.

Each article becomes one small HTML record (its title, summary and statements, each
statement a section Pagefind returns as a sub-result), with Pagefind's `data-pagefind-*`
attributes for its filters (speaker, kind, status, timeline), in a temporary folder that
the binary indexes, in its own process, while the build renders the pages (`start_search_index`):
Pagefind works mostly on one core, ~20 s at 10,000 articles, so the build does not wait for it.
Its peak memory grows with the words indexed (~115 KB per article record of ~400 words, 1.15 GB
at 10,000 articles), which no setting of its own bounds. Not the Python API's custom records:
its client waits 100 ms for each answer from the service, an hour at 50,000 statements.
Not the rendered pages: list pages would be indexed too, and each page parsed again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from markupsafe import escape

from ..i18n import Language
from ..i18n.labels import KIND_LABELS, STATUS_LABELS
from ..model import OutputFile, Site
from .editions import editions, title_in
from .filters import date_label
from .routes import file_path
from .search_order import in_stable_order

SEARCH_DIR = "pagefind"  # under the output folder; the search page loads pagefind.js from it
RECORDS_FILE = f"{SEARCH_DIR}/records.sha256"  # a digest of the records the index was made from
_TIMEOUT = 900  # seconds; a stuck binary must not hang the build
# Pagefind's allocator (jemalloc) with one arena rather than one per thread: its peak is ~15% lower,
# its time the same (measured at 5,000 records: 584 MB against 688 MB)
_ALLOCATOR = "narenas:1"


def search_records(site: Site) -> Iterator[tuple[str, str]]:
    """(output path, HTML record) for each article, in a stable order: its title, summary and statements.

    One record per article, its statements as sections (`<h2 id="s-<id>">`, which Pagefind
    returns as sub-results): Pagefind's meta file, fetched by every search, grows by ~5 bytes a
    record, so 60,000 records (articles and statements apart) cost 300 KB before any result. The
    record's filters are the union of its statements' (a denial filter finds articles with one).
    No `data-pagefind-sort`: the search page never asks for an order, and a sort costs the meta file
    ~2.5 bytes a record (25 KB of the 95 KB every search fetched at 10,000 articles).
    """
    timelines, config = site.timelines, site.config
    # a multilingual site's records are each in their article's edition: its folder, its language's words
    homes = {slug: (edition.code, edition.prefix) for edition in editions(site) for slug in edition.articles}
    languages = {code: Language(code, dict(config.strings)) for code in {config.language, *config.languages}}
    for article in site.articles.values():
        code, prefix = homes.get(article.slug, (config.language, ""))
        words = languages[code]  # filters and dates in the language of the pages the record stands for
        _ = words.gettext
        language = escape(code)
        filters: dict[str, set[str]] = {"timeline": {title_in(timelines[t], code) for t in article.timelines
                                                     if t in timelines}}
        sections = []
        for part in article.statements:
            s = site.statements[part.id]
            speaker = site.speakers.get(s.speaker)
            name = speaker.name if speaker is not None else s.by
            kind = _(KIND_LABELS[s.kind])
            for key, value in (("speaker", name), ("kind", kind), ("status", _(STATUS_LABELS[s.status]))):
                filters.setdefault(key, set()).add(value)
            filters["timeline"].update(title_in(timelines[t], code) for t in s.timelines if t in timelines)
            heading = _("%(kind)s by %(speaker)s, %(date)s") % {
                "kind": kind, "speaker": name, "date": date_label(s.said, words)}
            translation = f"<p>{escape(s.translation)}</p>" if s.translation else ""  # found in either language
            sections.append(f'<h2 id="s-{escape(s.id)}">{escape(heading)}</h2><p>{escape(s.text)}</p>{translation}')
        marks = "".join(f'<span data-pagefind-filter="{escape(name)}:{escape(value)}"></span>'
                        for name, values in filters.items() for value in sorted(values))
        date = escape(date_label(article.date, words))
        yield prefix + file_path("article", article.slug), (
            f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{escape(article.title)}'
            f'</title></head><body data-pagefind-body data-pagefind-meta="date:{date}">'
            f'<h1>{escape(article.title)}</h1>{marks}'
            f'<p>{escape(article.summary or "")}</p>{"".join(sections)}</body></html>')


def records_file(records: list[tuple[str, str]]) -> OutputFile:
    """pagefind/records.sha256: a digest of the records, so a build whose records are the same as the last
    one's (an edit to an article's prose beyond its summary) keeps the index instead of making it again."""
    digest = hashlib.sha256()
    for path, html in records:
        digest.update(f"{len(path)}:{path}{len(html)}:{html}".encode())
    return OutputFile(RECORDS_FILE, f"{digest.hexdigest()}\n".encode())


class PendingIndex:
    """A search index being made by Pagefind in its own process, while this one renders; `wait` gives it."""

    def __init__(self, files: list[OutputFile], why: str | None, folder: Path | None = None,
                 process: subprocess.Popen | None = None) -> None:
        self._files, self._why, self._folder, self._process = files, why, folder, process

    def wait(self) -> tuple[list[OutputFile], str | None]:
        """The index's files under pagefind/ (with the records' digest); or none, and why not."""
        if self._process is None or self._folder is None:
            return self._files, self._why
        process, root = self._process, self._folder
        self._process = None
        try:
            try:
                process.wait(timeout=_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                return [], f"no search index: Pagefind did not finish within {_TIMEOUT} s"
            bundle = root / "bundle"
            if process.returncode != 0 or not (bundle / "pagefind.js").is_file():
                said = (root / "pagefind.log").read_text("utf-8", "replace").strip().splitlines()
                last = said[-1] if said else f"exit status {process.returncode}"
                return [], f"no search index: Pagefind failed ({last})"
            files = [OutputFile(f"{SEARCH_DIR}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
                     for path in sorted(bundle.rglob("*")) if path.is_file()]
            return [*in_stable_order(files), *self._files], None
        finally:
            shutil.rmtree(root, ignore_errors=True)

    def stop(self) -> None:
        """Pagefind stopped and its folder removed, if `wait` was not called (the build failed meanwhile)."""
        if self._process is not None and self._folder is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
            shutil.rmtree(self._folder, ignore_errors=True)


def start_search_index(site: Site, records: list[tuple[str, str]] | None = None,
                       out_dir: Path | None = None) -> PendingIndex:
    """Pagefind started on the records of `site` (or `records`), in the background; `wait()` gives its files.

    The records go to a temporary folder, which the binary reads, so nothing of them need stay in
    this process while it runs: it runs beside the rendering (on a core the render workers leave
    idle part of the time) instead of after it. With `out_dir`, that folder is beside the output,
    as the build's staging folder is (see `_scratch_folder`).
    """
    records = list(search_records(site)) if records is None else records
    binary = _binary()
    if binary is None:
        return PendingIndex([], "no search index: Pagefind's binary was not found (pip install 'pagefind[extended]')")
    marker = records_file(records)
    try:
        root = _scratch_folder(out_dir)
    except OSError as exc:
        return PendingIndex([], f"no search index: no folder for its records ({exc})")
    try:
        # records sit under the site's base path, so that the index's URLs carry it, as links do
        under = root / "site" / site.config.base_path.strip("/")
        for path, html in records:
            target = under / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        command = [str(binary), "--site", str(root / "site"), "--output-path", str(root / "bundle")]
        if not site.config.languages:  # else Pagefind makes an index per language, from each record's <html lang>
            command += ["--force-language", site.config.language.split("-")[0]]
        with open(root / "pagefind.log", "wb") as log:  # a file, not a pipe: nobody reads it while Pagefind runs
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       env={**os.environ, "_RJEM_MALLOC_CONF": _ALLOCATOR})
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        return PendingIndex([], f"no search index: Pagefind could not run ({exc})")
    return PendingIndex([marker], None, root, process)


def current_search_index(site: Site, out_dir: Path, manifest: dict[str, str] | None,
                         digest: Callable[[bytes], str]) -> PendingIndex:
    """The search index for `site`: the one in `out_dir` when `manifest` (the last build's, path → `digest` of
    the bytes) says it was made from the same records and the files are still those; else started anew."""
    records = list(search_records(site))
    marker = records_file(records)
    if manifest and manifest.get(RECORDS_FILE) == digest(marker.content):
        kept = []
        for path in sorted(p for p in manifest if p.startswith(SEARCH_DIR + "/")):
            try:
                content = (out_dir / path).read_bytes()
            except OSError:
                break
            if digest(content) != manifest[path]:
                break
            kept.append(OutputFile(path, content))
        else:
            return PendingIndex(kept, None)
    return start_search_index(site, records, out_dir)


def _scratch_folder(out_dir: Path | None) -> Path:
    """A new folder for the records: beside `out_dir`, on the output's own file system (one record a folder,
    10,000 folders, is seconds on a slow disk), named `.<output>.search-<pid>-…` so that the next build
    removes it if this one is killed (write.remove_leftovers); else in the system's temporary folder."""
    if out_dir is None:
        return Path(tempfile.mkdtemp(prefix="counterpoint-search-"))
    out_dir = Path(os.path.abspath(out_dir))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.search-{os.getpid()}-", dir=out_dir.parent))


def _binary() -> Path | None:
    """Pagefind's executable: PAGEFIND_BINARY_PATH, else the one the pagefind package finds."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    try:
        return get_executable()
    except Exception:  # noqa: BLE001 - a broken install is reported as a missing binary
        return None
