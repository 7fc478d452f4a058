"""The persistent parse cache: parsed files keyed by their content hash.

A cache entry can never change output: it is found only by the hash of the file's
bytes together with a fingerprint of everything else parsing depends on (the code
version, the language, raw-HTML and draft settings). A cache file that cannot be
read, or was written by another version, is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__

CACHE_DIR = ".counterpoint-cache"
CACHE_FORMAT = 2
_FILE = "parsed.pickle"
_RECENT_FILE = "parsed-recent.pickle"
_LINKS_FILE = "links.pickle"
_TOKEN = "\0token"  # an entry of parsed.pickle that is not a path: which file it is
_SAVE_AFTER = 200  # changed entries; about 0.2 s of parsing


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

    On disk: `parsed.pickle`, every entry, rewritten only once many entries changed, and
    `parsed-recent.pickle`, the entries changed since (small, rewritten on every save).
    """

    folder: Path
    fingerprint: str
    entries: dict[str, tuple[str, Any]] = field(default_factory=dict)
    note: str | None = None  # why a cache file was ignored, for --verbose
    recent: dict[str, tuple[str, Any] | None] = field(default_factory=dict)  # changed since parsed.pickle; None: gone
    base: str = ""  # the token of the parsed.pickle the entries came from

    @classmethod
    def load(cls, site_dir: Path, fingerprint: str) -> ParseCache:
        """The site's cache, or an empty one (with a note) when the file is unusable."""
        cache = cls(site_dir / CACHE_DIR, fingerprint)
        stored, cache.note = _load(cache.folder / _FILE, fingerprint, items=True)
        if stored is None:
            return cache
        cache.base, cache.entries = stored.pop(_TOKEN, ""), stored
        recent, note = _load(cache.folder / _RECENT_FILE, f"{fingerprint}:{cache.base}")
        if recent is None:
            cache.note = cache.note or note
            return cache
        cache.recent = recent
        for path, entry in recent.items():
            if entry is None:
                cache.entries.pop(path, None)
            else:
                cache.entries[path] = entry
        return cache

    def get(self, path: str, digest: str) -> Any | None:
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, path: str, digest: str, result: Any) -> None:
        self.entries[path] = self.recent[path] = (digest, result)

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that no longer exist."""
        for gone in set(self.entries) - paths:
            del self.entries[gone]
            self.recent[gone] = None

    def save(self) -> None:
        """Write what changed; a failure to write is not an error.

        Rewriting a big site's cache (86 MB at 10,000 articles) costs far more than
        parsing the few files an edit changed, so small changes go to the small file
        until there are enough of them.
        """
        if len(self.recent) >= min(_SAVE_AFTER, max(1, len(self.entries) // 10)) or not self.base:
            self.base = os.urandom(8).hex()
            note = _save(self.folder / _FILE, self.fingerprint, {_TOKEN: self.base, **self.entries}, items=True)
            self.recent = {}
        elif self.recent:
            note = None
        else:
            return
        note = note or _save(self.folder / _RECENT_FILE, f"{self.fingerprint}:{self.base}", self.recent)
        self.note = note or self.note


@dataclass(frozen=True)
class Links:
    """What linking added to parsed files, for the files as they were (`digests`).

    With it and the parsed files, a site is rebuilt without linking (`site`), and an
    article whose edit leaves every link as it was is swapped in (`timeline.relink`).
    """

    digests: dict[str, str]  # every content path → content hash, as linked
    statements: tuple[tuple[str, str, Any, tuple[str, ...], Any], ...]  # (id, speaker, role, answered_by, status)
    articles: tuple[str, ...]  # slugs, newest first
    speakers: tuple[Any, ...]  # Speaker, in the site's order
    timelines: tuple[Any, ...]  # Timeline, with their statements, in the site's order
    tags: tuple[Any, ...]
    problems: tuple[Any, ...]  # what linking found (warnings)

    @classmethod
    def load(cls, site_dir: Path, fingerprint: str) -> tuple[Links | None, str | None]:
        """The stored links, or None with a note when the file is unusable (None alone when absent)."""
        stored, note = _load(site_dir / CACHE_DIR / _LINKS_FILE, fingerprint)
        return (stored, None) if isinstance(stored, cls) else (None, note)

    def save(self, site_dir: Path, fingerprint: str) -> str | None:
        return _save(site_dir / CACHE_DIR / _LINKS_FILE, fingerprint, self)


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
    warnings: tuple[Any, ...]

    @classmethod
    def load(cls, site_dir: Path) -> BuildState | None:
        stored, _ = _load(site_dir / CACHE_DIR / _STATE_FILE, fingerprint())
        return stored if isinstance(stored, cls) else None

    def save(self, site_dir: Path) -> str | None:
        """Write the state; a note if it could not be written."""
        return _save(site_dir / CACHE_DIR / _STATE_FILE, fingerprint(), self)


_STATE_FILE = "build-state.pickle"


def _load(path: Path, expected: str, *, items: bool = False) -> tuple[Any | None, str | None]:
    """The payload of a cache file written with fingerprint `expected`, and a note when it is unusable.

    With `items`, the payload is a dict stored as one pickle per item (see `_save`).
    """
    if not path.exists():
        return None, None
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)
            if not isinstance(stored, dict) or stored.get("fingerprint") != expected:
                return None, "cache written by another version or settings; ignored"
            if not items:
                return stored["payload"], None
            payload = dict(pickle.load(handle) for _ in range(stored["items"]))
            return payload, None
    except Exception as exc:  # noqa: BLE001 - any damage means: start afresh
        return None, f"cache file {path} is unreadable ({type(exc).__name__}); ignored"


def _save(path: Path, fingerprint_: str, payload: Any, *, items: bool = False) -> str | None:
    """Write a cache file atomically; a note instead of an error when that fails.

    With `items`, each item of the dict `payload` is pickled on its own, so the pickler's
    memo never holds every object of a large site at once.
    """
    try:
        path.parent.mkdir(exist_ok=True)
        (path.parent / ".gitignore").write_text("*\n")
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            if items:
                pickle.dump({"fingerprint": fingerprint_, "items": len(payload)}, handle)
                for item in payload.items():
                    pickle.dump(item, handle, protocol=pickle.HIGHEST_PROTOCOL)
            else:
                pickle.dump({"fingerprint": fingerprint_, "payload": payload}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as exc:
        return f"could not write the cache: {exc.strerror}"
    return None
