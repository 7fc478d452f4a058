"""The only code that writes the built site: an atomic swap of the whole output folder.

A build is written into a temporary folder beside the output and swapped in at the end,
so readers (and a failed build) only ever see the last good output or the new one.
A file whose bytes did not change is hard-linked from the old output instead of being
written again, so its mtime stays as it was; when nothing changed at all, the output
folder is not touched.

Which folders a build may write, and the manifest that says a folder is ours, are
`output_folder.py`'s. Temporary folders are named `.<output>.tmp-<pid>` (and `.<output>.search-<pid>-…`
for the search index's records); one left by a killed build (its process gone) is removed by the next.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .output_folder import MANIFEST, OutputError, manifest_bytes, read_manifest

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def remove_leftovers(out_dir: Path) -> None:
    """Remove temporary folders of our naming beside `out_dir` whose build process is gone."""
    out_dir = Path(os.path.abspath(out_dir))
    # staging (tmp), the old output (old) and the search index's records (search-<pid>-<mkdtemp's letters>)
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}\.(?:tmp|old|search)-([0-9]+)(?:-[a-z0-9_]+)?")
    with contextlib.suppress(OSError):
        for entry in out_dir.parent.iterdir():
            found = pattern.fullmatch(entry.name)
            if found and not _alive(int(found.group(1))) and not entry.is_symlink():
                _remove(entry)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process: not ours to judge
    return True


def checked_paths(paths: Iterable[str]) -> set[str]:
    """The paths as a set; raise ValueError for one that could leave the folder, a duplicate, or a file
    that is also a folder of others (two pages on one path would otherwise lose one of them unseen)."""
    checked: set[str] = set()
    for path in paths:
        _check_path(path)
        if path in checked:
            raise ValueError(f"two output files have the path {path!r}")
        checked.add(path)
    directories = {str(parent) for path in checked for parent in PurePosixPath(path).parents}
    clash = sorted(directories & checked)
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
    found.pop(MANIFEST, None)
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


def _check_removable(out_dir: Path) -> None:
    """Raise PermissionError if the old output could not be removed once swapped out (a read-only folder).

    Checked before the swap, so that such a folder keeps the last good output.
    """
    if not out_dir.is_dir() or out_dir.is_symlink():
        return
    for folder, _dirs, _names in os.walk(out_dir):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "permission denied", folder)


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
        remove_leftovers(self.out_dir)
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
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                raise ValueError(f"output file {path!r} is inside a path that is also a folder of other output "
                                 "files") from None
            self._made.update(target.parents)
        old = self.out_dir / path
        if self.old_digests is not None:
            same = self.old_digests.get(path) == digest and old.is_file()
        else:
            same = _same_bytes(old, content)
        if same:
            _link_or_copy(old, target)
            return False
        try:
            target.write_bytes(content)
        except IsADirectoryError:
            raise ValueError(f"output file {path!r} is also a folder of other output files") from None
        return True

    def commit(self, staged: Iterable[str]) -> int:
        """Swap the staged folder in, holding exactly the `staged` paths (checked: see `checked_paths`);
        the number of old files removed."""
        paths = checked_paths(staged)
        old = self.old_digests.keys() if self.old_digests is not None else _existing_files(self.out_dir).keys()
        removed = len(set(old) - paths)
        (self.temp / MANIFEST).write_bytes(manifest_bytes(paths))
        _check_removable(self.out_dir)
        _swap_in(self.temp, self.out_dir)
        return removed


def write_in_place(out_dir: Path, files: Iterable[tuple[str, bytes]], remove: Iterable[str],
                   owned: Iterable[str]) -> tuple[int, int]:
    """Replace changed files one by one (each atomically) and delete `remove`; (written, removed).

    For incremental rebuilds, where a new folder of tens of thousands of hard links would
    cost more than the change itself. Everything is rendered before this is called, so a
    failed build never reaches it. Only files of the manifest are replaced or removed, and
    a new file may not stand where a file the manifest does not list stands; other stray
    files are left alone here and refused by the next build that replaces the whole
    folder (walking 60,000 files would cost more than an edit's rebuild). `owned` is
    every file the output holds afterwards: the
    manifest lists them and the files being removed before anything changes, so a build
    killed half-way leaves a folder that is still ours.
    """
    out_dir = Path(os.path.abspath(out_dir))
    files, remove, owned = list(files), list(remove), set(owned)
    for path in [p for p, _ in files] + remove:
        _check_path(path)
    ours = read_manifest(out_dir) or set()
    for path, _ in files:  # a file this build adds must not replace one a user put there
        if path not in ours and os.path.lexists(out_dir / path):
            raise OutputError(f"refusing output folder {out_dir}: it holds {path}, which no build wrote "
                              "(move it away, or choose another folder; nothing was changed)")
    temp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    remove_leftovers(out_dir)
    _remove(temp)
    temp.mkdir()
    try:
        listed = ours
        if owned | set(remove) != listed:  # an edit's rebuild adds and removes nothing: its manifest stays
            listed = owned | set(remove)
            _put_file(temp, out_dir, MANIFEST, manifest_bytes(listed))
        written = removed = 0
        for path, content in files:
            _put_file(temp, out_dir, path, content)
            written += 1
        for path in remove:
            target = out_dir / path
            if target.is_file() and not target.is_symlink():
                target.unlink()
                removed += 1
                _prune_empty(target.parent, out_dir)
        if owned != listed:
            _put_file(temp, out_dir, MANIFEST, manifest_bytes(owned))
    finally:
        _remove(temp)
    return written, removed


def _put_file(temp: Path, out_dir: Path, path: str, content: bytes) -> None:
    """Write `content` to out_dir/path atomically, through a file in `temp` (beside the output, same disk)."""
    target = out_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = temp / "file"
    staged.write_bytes(content)
    os.replace(staged, target)


def _prune_empty(folder: Path, out_dir: Path) -> None:
    """Remove `folder` and its parents below `out_dir` while they are empty."""
    while folder != out_dir and out_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _check_path(path: str) -> None:
    pure = PurePosixPath(path)
    if (not pure.parts or pure.is_absolute() or ".." in pure.parts or "." in pure.parts or "\\" in path
            or "\0" in path or path != pure.as_posix()):
        raise ValueError(f"refusing to write output file {path!r}: not a plain relative path")
