"""Where Counterpoint's own files live: the default theme ships inside the package."""

from __future__ import annotations

from pathlib import Path

# generator/theme/: templates and assets/, installed with the package (pyproject's package data),
# so a wheel installed anywhere finds it. A site's own templates/ overrides it file by file.
DEFAULT_THEME = Path(__file__).resolve().parent.parent / "theme"
