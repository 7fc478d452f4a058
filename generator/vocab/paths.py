"""Where things live: the default theme that ships with Counterpoint, and a site's cache folder."""

from __future__ import annotations

from pathlib import Path

# The repository's top-level templates/: what `init` copies and what a site without its own templates uses.
DEFAULT_THEME = Path(__file__).resolve().parent.parent.parent / "templates"
# Inside a site folder; holds only what a build can make again.
CACHE_DIR = ".counterpoint-cache"
