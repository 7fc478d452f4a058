"""Render: the checked Site → every file of the static site, through the Jinja2 theme.

Rendering is two steps. `list_pages` (pages.py; editions.py for a multilingual site) is a
pure listing of what to render: one `Page` per output file, with its template, a small
context of model objects, and `key`, the inputs the page shows (so a later build can
re-render only pages whose inputs changed). `Renderer.render` (renderer.py) turns one Page into an OutputFile. Routes,
filters, data exports and theme discovery each have a module of their own.
"""

from .editions import list_pages
from .pages import Page, Pages
from .renderer import Renderer
from .theme import DEFAULT_THEME, theme_files

__all__ = ["DEFAULT_THEME", "Page", "Pages", "Renderer", "list_pages", "theme_files"]
