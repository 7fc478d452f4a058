"""Where things live: the default theme that ships inside the package, and a site's cache folder."""

from __future__ import annotations

from pathlib import Path

# generator/theme/: templates and assets/, installed with the package (pyproject's package data),
# so a wheel installed anywhere finds it. A site's own templates/ overrides it file by file.
DEFAULT_THEME = Path(__file__).resolve().parent.parent / "theme"
# Inside a site folder; holds only what a build can make again.
CACHE_DIR = ".counterpoint-cache"
