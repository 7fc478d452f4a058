"""Watching the site: which changes rebuild, and the threads that notice them.

content/ and templates/ are watched recursively, the site folder itself one level deep
(site.toml, and content/ or templates/ appearing or going away), so an output folder or
.git beside them costs no watches. Editors' temporary files never rebuild.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..config import CONFIG_FILE

WATCHED_TOP_LEVEL = ("content", "templates", CONFIG_FILE)

# Editors' swap, backup and lock files: saving a file must not rebuild once per temp file.
_EDITOR_TEMP = re.compile(r"(\.sw[a-z]$|~$|^\.#|^#.*#$|^4913$|\.tmp$|^\.DS_Store$)")

def is_watched(path: Path, site_dir: Path, ignored: Iterable[Path]) -> bool:
    """Whether a change to `path` should rebuild: site.toml, content/ or templates/, no temp files."""
    if _EDITOR_TEMP.search(path.name):
        return False
    if any(path == folder or path.is_relative_to(folder) for folder in ignored):
        return False
    if not path.is_relative_to(site_dir) or path == site_dir:
        return False
    parts = path.relative_to(site_dir).parts
    if parts[0] not in WATCHED_TOP_LEVEL or (parts[0] == CONFIG_FILE and len(parts) > 1):
        return False
    return not any(part.startswith(".") for part in parts)


class _EitherEvent:
    """Set when either of two events is: how watchfiles is told to stop or to restart."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


class SiteWatcher:
    """Watches content/, templates/ and site.toml in background threads; calls back with changed paths."""

    def __init__(
        self, site_dir: Path, ignored: Iterable[Path], on_change: Callable[[set[Path]], None]
    ) -> None:
        self.site_dir = site_dir
        self.ignored = tuple(ignored)
        self.on_change = on_change
        self.stop_event = threading.Event()
        self._restart = threading.Event()
        self._ready = (threading.Event(), threading.Event())
        self._threads = [
            threading.Thread(target=self._watch_folders, name="counterpoint-watch", daemon=True),
            threading.Thread(target=self._watch_top, name="counterpoint-watch-top", daemon=True),
        ]

    def start(self, timeout: float = 10.0) -> None:
        """Start watching; return once the watches are in place, so no later edit is missed."""
        for thread in self._threads:
            thread.start()
        for ready in self._ready:
            ready.wait(timeout)

    def stop(self) -> None:
        """Stop watching and wait (briefly) for the threads."""
        self.stop_event.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=2)

    def _accept(self, _change: Any, path: str) -> bool:
        return is_watched(Path(path), self.site_dir, self.ignored)

    def _watch_folders(self) -> None:
        while not self.stop_event.is_set():
            self._restart.clear()
            folders = [self.site_dir / name for name in ("content", "templates")]
            folders = [folder for folder in folders if folder.is_dir()]
            if not folders:
                self._ready[0].set()
                self._restart.wait(timeout=1)
                continue
            stop = _EitherEvent(self.stop_event, self._restart)
            self._run_watch(folders, self._ready[0], recursive=True, stop=stop)

    def _watch_top(self) -> None:
        while not self.stop_event.is_set():
            self._run_watch([self.site_dir], self._ready[1], recursive=False, stop=self.stop_event)

    def _run_watch(self, paths: list[Path], ready: threading.Event, *, recursive: bool, stop: Any) -> None:
        from watchfiles import watch  # imported here: only serving needs it

        try:
            # yield_on_timeout: the first (maybe empty) yield tells that the watches are in place.
            for changes in watch(
                *paths,
                watch_filter=self._accept,
                stop_event=stop,
                recursive=recursive,
                debounce=400,
                step=20,  # ms without new changes before yielding them: an editor's save is one burst
                rust_timeout=250,
                yield_on_timeout=True,
                raise_interrupt=False,
            ):
                ready.set()
                changed = {Path(path) for _change, path in changes}
                if not changed:
                    continue
                if not recursive and any(p.name != CONFIG_FILE for p in changed):
                    self._restart.set()  # content/ or templates/ appeared or went away
                self.on_change(changed)
        except Exception as exc:  # a watched folder removed under us: start again shortly
            ready.set()
            print(f"counterpoint: watching stopped ({exc}); retrying", file=sys.stderr, flush=True)
            self.stop_event.wait(timeout=1)
