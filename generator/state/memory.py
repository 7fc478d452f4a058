"""What one build hands the next in the same process (the preview server): the loaded site and state."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import Site
from ..problems import Problem, sorted_problems
from ..render import Renderer
from .cache import BuildState, Links, ParseCache
from .incremental import WriteResult, folder_stat, with_search


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
    search_later: tuple[Path, Site] | None = None  # (output folder, site) whose search index `search` refreshes

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

    def search(self) -> list[Problem]:
        """Refresh the search index a watched build left for after the reload (Pagefind takes seconds); the
        warnings that gave. The build's `state` then records the index's files."""
        if self.search_later is None or self.state is None:
            return []
        (out, site), self.search_later = self.search_later, None
        state, self.state = self.state, None  # untrusted until the index and the state agree again
        problems = list(state.warnings)
        written = with_search(out, site, WriteResult(0, 0, 0, state.manifest), problems)
        self.state = replace(state, manifest=written.manifest, out_stat=folder_stat(out),
                             warnings=tuple(sorted_problems(problems)))
        return problems[len(state.warnings):]

    def warm(self, seconds: float) -> bool:
        """Spend about `seconds` rendering cards the next build may need; True when there is no more to do."""
        return self.renderer is None or self.renderer.warm(seconds)

    def save(self) -> str | None:
        """Write the last build's state to its site's cache: a preview does it after the reload."""
        if self.unsaved is None or self.state is None:
            return None
        site_dir, self.unsaved = self.unsaved, None
        return self.state.save(site_dir)
