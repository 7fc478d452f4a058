"""The build's state: parsed files by content hash, what linking added, what the last build made.

A parse cache entry can never change output: it is found only by the hash of the file's
bytes together with a fingerprint of everything else parsing depends on (the code
version, the language, raw-HTML and draft settings). Everything lives in the store
(`store.py`) as JSON written field by field (`codec.py`): data, never code. A store
that cannot be read, or was written by another version, is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import Speaker, Status, Tag, Timeline
from ..problems import Problem
from . import codec
from .codec import Malformed, Unstorable
from .store import CACHE_DIR, StoreUnusable, opened, read_record

__all__ = ["CACHE_DIR", "BuildState", "Links", "ParseCache", "content_hash", "fingerprint", "mark_writing"]
CACHE_FORMAT = 4
_PARSE_KEY = "parse-fingerprint"  # meta: the settings the rows of `parsed` were made with
_WRITING_KEY = "writing"  # meta: present while a build changes the output (see `mark_writing`)
_TABLES_KEY = "build-rows"  # meta: a new token each time the build state's rows are written


def content_hash(data: bytes) -> str:
    """A short, strong hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(*parts: Any) -> str:
    """A hash of the code version and the settings that parsing depends on."""
    return content_hash(repr((CACHE_FORMAT, __version__, _code_stamp(), *parts)).encode())


def _code_stamp() -> tuple:
    """Size and mtime of the package's modules and compiled catalogs, so editing either invalidates the cache."""
    package = Path(__file__).parent.parent
    return tuple(sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns)
                        for pattern in ("*.py", "*.mo") for p in package.rglob(pattern)))


@dataclass
class ParseCache:
    """Parsed results by (path, content hash); loaded once per build and saved if changed.

    Rows are read whole but decoded only when asked for (`get`); `save` writes only the
    rows that changed, in one transaction.
    """

    folder: Path  # the site folder
    fingerprint: str
    entries: dict[str, tuple[str, Any]] = field(default_factory=dict)  # path → (digest, JSON text or result)
    note: str | None = None  # why stored rows were ignored, for --verbose
    changed: set[str] = field(default_factory=set)  # paths put or dropped since the store was read

    @classmethod
    def load(cls, site_dir: Path, fingerprint: str) -> ParseCache:
        """The site's cache, or an empty one (with a note) when the store is unusable."""
        cache = cls(site_dir, fingerprint)
        try:
            with opened(site_dir, write=False) as connection:
                stored = connection.execute("SELECT value FROM meta WHERE key = ?", (_PARSE_KEY,)).fetchone()
                if stored is None:
                    return cache
                if stored != (fingerprint,):
                    cache.note = "cache written by another version or settings; ignored"
                    return cache
                cache.entries = {path: (digest, data) for path, digest, data
                                 in connection.execute("SELECT path, digest, data FROM parsed")
                                 if isinstance(path, str) and isinstance(digest, str) and isinstance(data, str)}
        except FileNotFoundError:
            pass
        except StoreUnusable as exc:
            cache.note = str(exc)
        return cache

    def get(self, path: str, digest: str) -> Any | None:
        """The parse result of `path` when its bytes hash to `digest`, else None."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        if not isinstance(entry[1], str):
            return entry[1]
        try:
            result = codec.parsed_of(entry[1])
        except (Malformed, RecursionError):
            self.note = self.note or f"cache entry for {path} is unreadable; ignored"
            return None
        if self.entries.get(path) is entry:  # not replaced meanwhile (the preview makes its search index in a thread)
            self.entries[path] = (digest, result)
        return result

    def holds(self, path: str, digest: str) -> bool:
        """Whether the parse result of `path` with bytes hashing to `digest` is here (it is not decoded)."""
        entry = self.entries.get(path)
        return entry is not None and entry[0] == digest

    def problems(self, path: str, digest: str) -> list[Problem] | None:
        """The problems of the stored parse of `path` (as `get`), decoding no more than needed: most have none."""
        entry = self.entries.get(path)
        if entry is not None and entry[0] == digest and isinstance(entry[1], str) and codec.without_problems(entry[1]):
            return []
        result = self.get(path, digest)
        return None if result is None else list(result[1])

    def put(self, path: str, digest: str, result: Any) -> None:
        self.entries[path] = (digest, result)
        self.changed.add(path)

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that no longer exist."""
        for gone in set(self.entries) - paths:
            del self.entries[gone]
            self.changed.add(gone)

    def save(self) -> None:
        """Write the rows that changed; a failure to write is a note, not an error."""
        if not self.changed:
            return
        try:
            with opened(self.folder, write=True) as connection:
                stored = connection.execute("SELECT value FROM meta WHERE key = ?", (_PARSE_KEY,)).fetchone()
                changed = self.changed if stored == (self.fingerprint,) else set(self.entries)
                if stored != (self.fingerprint,):
                    connection.execute("DELETE FROM parsed")
                    connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_PARSE_KEY, self.fingerprint))
                for path in sorted(changed):
                    row = self._row(path)
                    if row is None:
                        connection.execute("DELETE FROM parsed WHERE path = ?", (path,))
                    else:
                        connection.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", (path, *row))
            self.changed = set()
        except StoreUnusable as exc:
            self.note = self.note or f"could not write the cache: {exc}"

    def _row(self, path: str) -> tuple[str, str] | None:
        """(digest, JSON text) of an entry, or None when it is gone or cannot be stored."""
        entry = self.entries.get(path)
        if entry is None:
            return None
        digest, result = entry
        if isinstance(result, str):
            return digest, result
        try:
            return digest, codec.parsed_json(result)
        except Unstorable:
            return None


@dataclass(frozen=True)
class Links:
    """What linking added to parsed files, for the files as they were (`digests`).

    With it and the parsed files, a site is rebuilt without linking (`link.site_from_links`,
    which reads each parsed file only when asked for it), and an article whose edit leaves
    every link as it was is swapped in (`link.relink`).
    """

    digests: dict[str, str]  # every content path → content hash, as linked
    # (id, speaker, role, answered_by, status, article slug), in the site's order
    statements: tuple[tuple[str, str, str | None, tuple[str, ...], Status, str], ...]
    articles: tuple[tuple[str, str], ...]  # (slug, path), newest first
    speakers: tuple[Speaker, ...]  # in the site's order
    timelines: tuple[Timeline, ...]  # with their statements, in the site's order
    tags: tuple[Tag, ...]
    problems: tuple[Problem, ...]  # what linking found (warnings)

    @classmethod
    def load(cls, site_dir: Path, fingerprint: str) -> tuple[Links | None, str | None]:
        """The stored links, or None with a note when unusable (None alone when absent)."""
        text, note = read_record(site_dir, "links", fingerprint)
        if text is None:
            return None, note
        try:
            return cls.from_json(codec.loads(text)), None
        except (Malformed, RecursionError, ValueError, KeyError):
            return None, f"stored links in {site_dir / CACHE_DIR} are unreadable; ignored"

    def save(self, site_dir: Path, fingerprint: str) -> str | None:
        """Store the links; a note if they could not be written."""
        return _write_record(site_dir, "links", fingerprint, codec.dumps(self.to_json()))

    def to_json(self) -> dict[str, Any]:
        return {
            "digests": self.digests,
            "statements": [[i, speaker, role, list(answered_by), status.value, article]
                           for i, speaker, role, answered_by, status, article in self.statements],
            "articles": [list(pair) for pair in self.articles],
            "speakers": [codec.speaker_json(s) for s in self.speakers],
            "timelines": [codec.timeline_json(t) for t in self.timelines],
            "tags": [codec.tag_json(t) for t in self.tags],
            "problems": [codec.problem_json(p) for p in self.problems],
        }

    @classmethod
    def from_json(cls, value: Any) -> Links:
        if not isinstance(value, dict):
            raise Malformed("links are not an object")
        statements = []
        for row in codec.as_list(value["statements"]):
            i, speaker, role, answered_by, status, article = codec.as_list(row, 6)
            statements.append((codec.as_str(i), codec.as_str(speaker), codec.as_opt_str(role),
                               codec.as_strs(answered_by), codec.as_enum(Status, status), codec.as_str(article)))
        articles = tuple(tuple(codec.as_str(part) for part in codec.as_list(pair, 2))
                         for pair in codec.as_list(value["articles"]))
        return cls(codec.str_map(value["digests"]), tuple(statements), articles,  # type: ignore[arg-type]
                   codec.as_tuple(value["speakers"], codec.speaker_of),
                   codec.as_tuple(value["timelines"], codec.timeline_of),
                   codec.as_tuple(value["tags"], codec.tag_of), codec.as_tuple(value["problems"], codec.problem_of))


@dataclass(frozen=True)
class BuildState:
    """What the last successful build made, so the next can do only what changed.

    `stamp` hashes every input (content, theme, settings, code); `out_stat` is the output
    folder's (inode, mtime) after that build, so a folder replaced or changed since is
    noticed; `manifest` maps each output path to the hash of its bytes; `inputs` maps each
    page input ("statement:<id>", "article:<slug>"…) to a fingerprint of what it shows.
    """

    stamp: str
    sources: dict[str, str]  # content path → content hash
    stats: dict[str, tuple[int, int, int, int]]  # content path → (inode, size, mtime, ctime) when hashed
    settings: str  # hash of theme, settings and code: when it changes, everything is rendered
    out_dir: str
    out_stat: tuple[int, int]
    manifest: dict[str, str]
    inputs: dict[str, str]
    warnings: tuple[Problem, ...]

    token: str = field(default="", compare=False)  # names the rows of `outputs` and `inputs` it was read with

    @classmethod
    def load(cls, site_dir: Path, notes: list[str] | None = None) -> BuildState | None:
        """The state the last build left, or None when there is none to trust (with a note, if asked)."""
        note = None
        state = None
        try:
            with opened(site_dir, write=False) as connection:
                if connection.execute("SELECT 1 FROM meta WHERE key = ?", (_WRITING_KEY,)).fetchone() is not None:
                    note = "the last build stopped while writing the output; every page is checked again"
                else:
                    row = connection.execute("SELECT fingerprint, data FROM records WHERE name = 'build'").fetchone()
                    token = connection.execute("SELECT value FROM meta WHERE key = ?", (_TABLES_KEY,)).fetchone()
                    if row is not None and row[0] != fingerprint():
                        note = "cache written by another version or settings; ignored"
                    elif row is not None and token is not None:
                        state = cls.from_json(codec.loads(row[1]), dict(connection.execute("SELECT * FROM outputs")),
                                              dict(connection.execute("SELECT * FROM inputs")), token[0])
        except FileNotFoundError:
            return None
        except StoreUnusable as exc:
            note = str(exc)
        except (Malformed, RecursionError, ValueError, KeyError, TypeError):
            note = f"the build state in {site_dir / CACHE_DIR} is unreadable; ignored"
        if notes is not None and note:
            notes.append(note)
        return state

    def save(self, site_dir: Path, previous: BuildState | None = None) -> str | None:
        """Store the state and clear the `writing` mark, in one transaction; a note if that failed.

        With `previous`, the state read from the store, only the rows that differ from it are written.
        """
        try:
            with opened(site_dir, write=True) as connection:
                stored = connection.execute("SELECT value FROM meta WHERE key = ?", (_TABLES_KEY,)).fetchone()
                known = previous is not None and stored == (previous.token,)
                for table, key, rows, before in (("outputs", "path", self.manifest, previous and previous.manifest),
                                                 ("inputs", "key", self.inputs, previous and previous.inputs)):
                    if not known or before is None:
                        connection.execute(f"DELETE FROM {table}")
                        before = {}
                    connection.executemany(f"DELETE FROM {table} WHERE {key} = ?",
                                           ((gone,) for gone in before.keys() - rows.keys()))
                    connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                                           ((k, v) for k, v in rows.items() if before.get(k) != v))
                connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_TABLES_KEY, secrets.token_hex(8)))
                connection.execute("INSERT OR REPLACE INTO records VALUES ('build', ?, ?)",
                                   (fingerprint(), codec.dumps(self.to_json())))
                connection.execute("DELETE FROM meta WHERE key = ?", (_WRITING_KEY,))
        except StoreUnusable as exc:
            return f"could not write the cache: {exc}"
        return None

    def to_json(self) -> dict[str, Any]:
        """Everything but `manifest` and `inputs`, which are rows of their own."""
        return {"stamp": self.stamp, "sources": self.sources, "stats": {p: list(s) for p, s in self.stats.items()},
                "settings": self.settings, "out_dir": self.out_dir, "out_stat": list(self.out_stat),
                "warnings": [codec.problem_json(p) for p in self.warnings]}

    @classmethod
    def from_json(cls, value: Any, manifest: dict, inputs: dict, token: str) -> BuildState:
        if not isinstance(value, dict):
            raise Malformed("the build state is not an object")
        stats = value["stats"]
        if not isinstance(stats, dict):
            raise Malformed("stats are not an object")
        out_stat = tuple(codec.as_int(n) for n in codec.as_list(value["out_stat"], 2))
        return cls(codec.as_str(value["stamp"]), codec.str_map(value["sources"]),
                   {codec.as_str(p): tuple(codec.as_int(n) for n in codec.as_list(s, 4)) for p, s in stats.items()},
                   codec.as_str(value["settings"]), codec.as_str(value["out_dir"]), out_stat,  # type: ignore[arg-type]
                   codec.str_map(manifest), codec.str_map(inputs),
                   codec.as_tuple(value["warnings"], codec.problem_of), codec.as_str(token))


def mark_writing(site_dir: Path) -> str | None:
    """Note in the store that the output is about to change; None when noted, else why not.

    Until `BuildState.save` clears the mark, the stored state is not trusted: a build
    killed while writing leaves the mark, and the next build checks every page.
    """
    try:
        with opened(site_dir, write=True) as connection:
            connection.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", (_WRITING_KEY,))
    except StoreUnusable as exc:
        return f"could not write the cache: {exc}"
    return None


def _write_record(site_dir: Path, name: str, fingerprint_: str, text: str, *, done_writing: bool = False) -> str | None:
    try:
        with opened(site_dir, write=True) as connection:
            connection.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", (name, fingerprint_, text))
            if done_writing:
                connection.execute("DELETE FROM meta WHERE key = ?", (_WRITING_KEY,))
    except StoreUnusable as exc:
        return f"could not write the cache: {exc}"
    return None
