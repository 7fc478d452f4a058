"""Whether a folder may be a build's output, and what goes wrong writing it; nothing here writes.

The output folder is ours only when we made it: every build leaves a manifest of the
files it wrote (`.counterpoint-manifest`), and a folder holding anything else is
refused before anything is written, so a build never deletes a file it did not write.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .problems import ConfigError, SourceLocation, error

CONTENT_DIR = "content"
MANIFEST = ".counterpoint-manifest"  # JSON; no .json, so no tool takes it for part of the site


class OutputError(ConfigError):
    """The output folder is refused or cannot be written: exit status 2, said as `error: <message>`."""

    def __init__(self, message: str) -> None:
        super().__init__([error(SourceLocation("site.toml"), message)])
        self.message = message
        self.args = (message,)  # so that it survives pickling from a worker process


_REASONS = {
    errno.EACCES: "permission denied", errno.EPERM: "permission denied", errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
    errno.ENAMETOOLONG: "a file name is too long", errno.ENOENT: "a folder on the way does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
}


@contextlib.contextmanager
def output_errors(out_dir: Path) -> Iterator[None]:
    """The one place that turns an OS error on the output into `OutputError`: a message, no traceback."""
    try:
        yield
    except OSError as exc:
        reason = _REASONS.get(exc.errno) or (exc.strerror or str(exc) or type(exc).__name__).lower()
        where = f" ({exc.filename})" if exc.filename and Path(exc.filename) != Path(out_dir) else ""
        raise OutputError(f"cannot write output folder {out_dir}: {reason}{where}") from None


def output_dir_refusal(site_dir: Path, out_dir: Path) -> str | None:
    """Why `out_dir` can never be a build's output (the site, content, not a folder…); None if it can be."""
    site = Path(os.path.abspath(site_dir)).resolve()
    out = Path(os.path.abspath(out_dir)).resolve()
    if out == site:
        return "it is the site folder"
    if site.is_relative_to(out):
        return "it holds the site folder"
    for name in (CONTENT_DIR, "templates"):
        if out.is_relative_to(site / name):
            return f"it is inside the site's {name}/ folder"
    if out.exists() and not out.is_dir():
        return "it exists and is not a folder"
    if (out / CONTENT_DIR).exists():
        return f"it holds a {CONTENT_DIR}/ folder, so it looks like a site, not an output folder"
    if (out / "site.toml").exists():
        return "it holds a site.toml, so it looks like a site, not an output folder"
    return None


def foreign_files(out: Path) -> str | None:
    """Why `out` is not ours to change, when it holds something our last build did not write; else None."""
    if not out.is_dir() or not any(out.iterdir()):
        return None
    ours = read_manifest(out)
    if ours is None:
        return (f"it holds files but no {MANIFEST}, so a build did not make it "
                "(choose an empty or new folder; nothing was changed)")
    folders = {path[:end] for path in ours for end in _slashes(path)}
    stray = _first_stray(str(out), "", ours | {MANIFEST}, folders)
    if stray is not None:
        return f"it holds {stray}, which no build wrote (move it away, or choose another folder; nothing was changed)"
    return None


def _slashes(path: str) -> list[int]:
    return [i for i, char in enumerate(path) if char == "/"]


def _first_stray(folder: str, prefix: str, files: set[str], folders: set[str]) -> str | None:
    """The first entry under `folder` that is neither one of `files` nor one of `folders` (sorted, depth first).

    DirEntry's types come from the directory listing itself: no stat per file.
    """
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        path = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if path not in folders:
                return path
            stray = _first_stray(entry.path, path + "/", files, folders)
            if stray is not None:
                return stray
        elif not (path in files and entry.is_file(follow_symlinks=False)):
            return path
    return None


def read_manifest(out: Path) -> set[str] | None:
    """The files the build that made `out` wrote, from its manifest; None without a readable one."""
    try:
        stored = json.loads((out / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or not isinstance(stored.get("files"), list) \
            or not all(isinstance(path, str) for path in stored["files"]):
        return None
    return set(stored["files"])


def manifest_bytes(paths: Iterable[str]) -> bytes:
    """The manifest listing `paths`: sorted, so the same output gives the same bytes."""
    return (json.dumps({"generator": "counterpoint", "files": sorted(paths)}, indent=0) + "\n").encode()
