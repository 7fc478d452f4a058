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

from . import __version__

CACHE_DIR = ".counterpoint-cache"
CACHE_FORMAT = 1
_FILE = "parsed.pickle"


def content_hash(data: bytes) -> str:
    """A short, strong hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(*parts: Any) -> str:
    """A hash of the code version and the settings that parsing depends on."""
    return content_hash(repr((CACHE_FORMAT, __version__, _code_stamp(), *parts)).encode())


def _code_stamp() -> tuple:
    """Size and mtime of the package's modules, so editing the code invalidates the cache."""
    package = Path(__file__).parent
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in package.glob("*.py")))


@dataclass
class ParseCache:
    """Parsed results by (path, content hash); loaded once per build and saved if changed."""

    folder: Path
    fingerprint: str
    entries: dict[str, tuple[str, Any]] = field(default_factory=dict)
    note: str | None = None  # why a cache file was ignored, for --verbose
    changed: bool = False

    @classmethod
    def load(cls, site_dir: Path, fingerprint: str) -> ParseCache:
        """The site's cache, or an empty one (with a note) when the file is unusable."""
        cache = cls(site_dir / CACHE_DIR, fingerprint)
        path = cache.folder / _FILE
        if not path.exists():
            return cache
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
            if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint:
                cache.note = "cache written by another version or settings; ignored"
                return cache
            cache.entries = stored["entries"]
        except Exception as exc:  # noqa: BLE001 - any damage means: start afresh
            cache.note = f"cache file {path} is unreadable ({type(exc).__name__}); ignored"
        return cache

    def get(self, path: str, digest: str) -> Any | None:
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, path: str, digest: str, result: Any) -> None:
        self.entries[path] = (digest, result)
        self.changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that no longer exist."""
        for gone in set(self.entries) - paths:
            del self.entries[gone]
            self.changed = True

    def save(self) -> None:
        """Write the cache atomically, if anything changed; a failure to write is not an error."""
        if not self.changed:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            temporary = self.folder / f"{_FILE}.{os.getpid()}.tmp"
            with temporary.open("wb") as handle:
                pickle.dump({"fingerprint": self.fingerprint, "entries": self.entries}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / _FILE)
        except OSError as exc:
            self.note = f"could not write the cache: {exc.strerror}"
