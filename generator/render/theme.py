"""The theme: the site's templates/ over the default theme that ships in the package."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..model import OutputFile
from ..vocab.locations import DEFAULT_THEME

ASSETS_DIR = "assets"


def theme_files(theme_dir: Path) -> tuple[tuple[str, str], ...]:
    """Every file of the theme (the site's and the default one) with a hash of its bytes."""
    return tuple(
        (str(path), hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
        for folder in theme_dirs(theme_dir) for path in sorted(folder.rglob("*")) if path.is_file()
    )


def theme_dirs(theme_dir: Path) -> list[Path]:
    """The site's theme, then the default theme for whatever it does not override."""
    dirs = [theme_dir] if theme_dir.is_dir() else []
    if DEFAULT_THEME.is_dir() and not any(d.resolve() == DEFAULT_THEME for d in dirs):
        dirs.append(DEFAULT_THEME)
    return dirs


def theme_assets(theme_dir: Path) -> list[OutputFile]:
    """assets/** of the theme (and of the default theme, where the site's has no such file), byte for byte."""
    found: dict[str, Path] = {}
    for folder in reversed(theme_dirs(theme_dir)):
        root = folder / ASSETS_DIR
        if root.is_dir():
            for path in root.rglob("*"):
                relative = path.relative_to(root)
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    found[f"{ASSETS_DIR}/{relative.as_posix()}"] = path
    return [OutputFile(name, found[name].read_bytes()) for name in sorted(found)]
