"""The only code that writes the built site: an atomic swap of the whole output folder.

A build is written into a temporary folder beside the output and swapped in at the end,
so readers (and a failed build) only ever see the last good output or the new one.
A file whose bytes did not change is hard-linked from the old output instead of being
written again, so its mtime stays as it was; when nothing changed at all, the output
folder is not touched.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .model import OutputFile

CONTENT_DIR = "content"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


@dataclass(frozen=True)
class WriteReport:
    """How many files a write changed, kept, and removed."""

    written: int
    unchanged: int
    removed: int


def check_output_dir(site_dir: Path, out_dir: Path) -> str | None:
    """None if `out_dir` may be replaced by a build of `site_dir`, else the reason it is refused."""
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
    if out.is_dir() and not (out / "index.html").is_file() and any(out.iterdir()):
        return "it holds files but no index.html, so it does not look like a built site (a build replaces it whole)"
    return None


def write_output(out_dir: Path, files: Iterable[OutputFile]) -> WriteReport:
    """Make `out_dir` hold exactly `files`, atomically; files whose bytes are unchanged keep their mtime."""
    wanted = _checked(files)
    with Staging(out_dir) as staging:
        written = sum(staging.put(path, wanted[path].content, "") for path in sorted(wanted))
        if written == 0 and staging.out_dir.is_dir() and _existing_files(staging.out_dir).keys() == wanted.keys():
            return WriteReport(0, len(wanted), 0)  # the output already holds exactly these files
        removed = staging.commit(set(wanted))
    return WriteReport(written, len(wanted) - written, removed)


def _checked(files: Iterable[OutputFile]) -> dict[str, OutputFile]:
    """The files by path; raise ValueError for a path that could leave the folder, or a duplicate."""
    checked: dict[str, OutputFile] = {}
    for file in files:
        _check_path(file.path)
        if file.path in checked:
            raise ValueError(f"two output files have the path {file.path!r}")
        checked[file.path] = file
    directories = {str(parent) for path in checked for parent in PurePosixPath(path).parents}
    clash = sorted(directories & checked.keys())
    if clash:
        raise ValueError(f"output file {clash[0]!r} is also a folder of other output files")
    return checked


def _existing_files(out_dir: Path) -> dict[str, Path]:
    """The regular files under `out_dir` by relative POSIX path (symlinks are not followed)."""
    found: dict[str, Path] = {}
    if not out_dir.is_dir() or out_dir.is_symlink():
        return found
    for folder, _dirs, names in os.walk(out_dir):
        for name in names:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(out_dir).as_posix()] = path
    return found


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap_in(temp: Path, out_dir: Path) -> None:
    """Put `temp` where `out_dir` is; afterwards `temp` holds the old output (or nothing)."""
    if not out_dir.exists() and not out_dir.is_symlink():
        os.rename(temp, out_dir)
        return
    if _exchange(temp, out_dir):
        return
    aside = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    _remove(aside)
    os.rename(out_dir, aside)
    try:
        os.rename(temp, out_dir)
    except OSError:
        os.rename(aside, out_dir)
        raise
    _remove(aside)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


# --- streaming writes, for large sites ----------------------------------------------------------------


class Staging:
    """A new output folder filled beside the old one, file by file, then swapped in whole.

    Several forked worker processes may `put` into the same Staging at once. A file whose
    bytes equal the old output's (known from `old_digests`, the last build's manifest, or
    else by reading the old file) is hard-linked, so its mtime stays as it was.
    """

    def __init__(self, out_dir: Path, old_digests: dict[str, str] | None = None) -> None:
        self.out_dir = Path(os.path.abspath(out_dir))
        self.temp = self.out_dir.with_name(f".{self.out_dir.name}.tmp-{os.getpid()}")
        self.old_digests = old_digests
        self._made: set[Path] = set()

    def __enter__(self) -> Staging:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove(self.temp)
        self.temp.mkdir()
        self._made = {self.temp}
        return self

    def __exit__(self, *exc_info: object) -> None:
        _remove(self.temp)

    def put(self, path: str, content: bytes, digest: str) -> bool:
        """Stage one file; True if its bytes differ from the old output's (`digest` is used with a manifest)."""
        _check_path(path)
        target = self.temp / path
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.update(target.parents)
        old = self.out_dir / path
        if self.old_digests is not None:
            same = self.old_digests.get(path) == digest and old.is_file()
        else:
            same = _same_bytes(old, content)
        if same:
            _link_or_copy(old, target)
            return False
        target.write_bytes(content)
        return True

    def commit(self, paths: set[str]) -> int:
        """Swap the staged folder in, unless it holds exactly the old files; the number removed."""
        old = self.old_digests.keys() if self.old_digests is not None else _existing_files(self.out_dir).keys()
        removed = len(set(old) - paths)
        _swap_in(self.temp, self.out_dir)
        return removed


def write_in_place(out_dir: Path, files: Iterable[tuple[str, bytes]], remove: Iterable[str]) -> tuple[int, int]:
    """Replace changed files one by one (each atomically) and delete `remove`; (written, removed).

    For incremental rebuilds, where a new folder of tens of thousands of hard links would
    cost more than the change itself. Everything is rendered before this is called, so a
    failed build never reaches it.
    """
    out_dir = Path(os.path.abspath(out_dir))
    written = removed = 0
    for path, content in files:
        _check_path(path)
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_bytes(content)
        os.replace(temporary, target)
        written += 1
    for path in remove:
        _check_path(path)
        target = out_dir / path
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed += 1
            with contextlib.suppress(OSError):  # leave folders that still hold something
                target.parent.rmdir()
    return written, removed


def _check_path(path: str) -> None:
    pure = PurePosixPath(path)
    if (not pure.parts or pure.is_absolute() or ".." in pure.parts or "." in pure.parts or "\\" in path
            or "\0" in path or path != pure.as_posix()):
        raise ValueError(f"refusing to write output file {path!r}: not a plain relative path")
