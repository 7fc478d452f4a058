"""What one build hands the next in the same process (the preview server): the loaded site and state."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..model import Site
from ..problems import Problem, sorted_problems
from ..render import Renderer
from ..render.search import SEARCH_DIR
from .cache import BuildState, Links, ParseCache, mark_writing
from .incremental import WriteResult, folder_stat, search_update, write_search


@dataclass
class Memory:
    """What one build hands the next in the same process (the preview server), instead of files.

    `cache` holds every parsed file, `links` what linking added to them and `site` the
    site both make. A build that can swap edited articles into `site` links nothing.
    """

    state: BuildState | None = None
    cache: ParseCache | None = None
    links: Links | None = None
    site: Site | None = None
    renderer: Renderer | None = None  # the last build's, with its templates and cards, when it rendered here
    unsaved: Path | None = None  # the site whose `state` is not yet on disk (see `save`)
    watched: bool = False  # a file watcher reports every changed content file through `touch`
    persist: bool = True  # write the build state to the site's cache (`save`); not for a throwaway output
    touched: set[str] | None = None  # content paths changed since `state` was made, once watched; else None
    relinked: bool = False  # a build linked the whole site again since `tidy`
    # (site folder, output folder, site) of the last watched build whose search index is out of date, and
    # the refresh `search` runs for it in the background: (that triple, its thread, what the thread made)
    search_later: tuple[Path, Path, Site] | None = None
    searching: tuple[tuple[Path, Path, Site], threading.Thread, dict[str, Any]] | None = None

    def touch(self, paths: Iterable[str]) -> None:
        """Note content paths a watcher saw change; once a build succeeds, only these are looked at."""
        if self.touched is not None:
            self.touched.update(paths)

    def tidy(self) -> None:
        """Collect garbage, then freeze what is left out of later collections.

        A full collection walks every object of a big site (~0.45 s at 10,000 articles);
        if it struck while an edit builds, the preview would wait for it. Frozen, the site
        is never walked again; each tidy collects only what came since the last one,
        except after a build that linked everything again, when the old site is let go.
        """
        if self.relinked:
            gc.unfreeze()
            self.relinked = False
        gc.collect()
        gc.freeze()

    def search(self, wait: bool = False) -> list[Problem]:
        """Bring the search index up to date with the last watched build, beside the builds: Pagefind takes
        seconds, and an edit must not wait for it. Starts making the index in a thread, or writes it once
        made (if no build came since; else starts again); with `wait`, until it is written. Returns the
        warnings it gave when written."""
        if self.searching is not None:
            target, thread, made = self.searching
            if wait:
                thread.join()
            if thread.is_alive():
                return []
            self.searching = None
            if target is self.search_later and self.state is not None:
                self.search_later = None
                return self._write_search(target, made)
        if self.search_later is not None and self.state is not None:
            target, made = self.search_later, {}
            site_dir, out, site = target
            manifest = dict(self.state.manifest)

            def make() -> None:
                problems: list[Problem] = []
                try:
                    made["files"] = search_update(out, site, manifest, problems)
                finally:
                    made["problems"] = problems

            thread = threading.Thread(target=make, name="counterpoint-search", daemon=True)
            thread.start()
            self.searching = (target, thread, made)
            if wait:
                return self.search(wait=True)
        return []

    def _write_search(self, target: tuple[Path, Path, Site], made: dict[str, Any]) -> list[Problem]:
        """Write the index the thread made into the output, and record it in `state` (to be saved)."""
        site_dir, out, _ = target
        state = self.state
        assert state is not None
        if "files" not in made:  # the thread failed: the state no longer says what the index holds
            self.state = None
            return list(made.get("problems", ()))
        if made["files"] is not None:
            if self.persist and mark_writing(site_dir) is not None:
                self.state = None  # the store cannot note the write: the next build checks every page
                return list(made["problems"])
            written = write_search(out, WriteResult(0, 0, 0, state.manifest), made["files"])
            kept = [p for p in state.warnings if p.location.path != SEARCH_DIR]
            self.state = replace(state, manifest=written.manifest, out_stat=folder_stat(out),
                                 warnings=tuple(sorted_problems([*kept, *made["problems"]])))
            self.unsaved = site_dir if self.persist else None
        return list(made["problems"])

    def warm(self, seconds: float) -> bool:
        """Spend about `seconds` rendering cards the next build may need; True when there is no more to do."""
        return self.renderer is None or self.renderer.warm(seconds)

    def save(self) -> str | None:
        """Write the last build's state to its site's cache: a preview does it after the reload."""
        if self.unsaved is None or self.state is None:
            return None
        site_dir, self.unsaved = self.unsaved, None
        return self.state.save(site_dir)
