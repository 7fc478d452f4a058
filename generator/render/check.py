"""What `check` asks of the theme: every template compiles, and one page of each template renders.

A build refuses a site whose templates fail; `check` must say so first, without writing.
Compiling finds every syntax error. Rendering one page per template, in memory, finds the
runtime errors most themes make (an undefined name, a missing asset); an error that only
some pages' data trigger still shows in `build`, at the same template line.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..model import Site
from ..problems import Problem
from .editions import list_pages
from .errors import TEMPLATE_SUFFIXES, RenderFailed, template_problem
from .renderer import Renderer, theme_environment
from .theme import ASSETS_DIR, theme_dirs


def theme_problems(site_dir: Path, site: Site | None) -> list[Problem]:
    """Problems with the site's theme: syntax errors in any template; runtime errors on a sample of pages."""
    theme_dir = site_dir / "templates"
    env = theme_environment(theme_dir)
    problems = []
    for name in sorted(_template_names(theme_dir)):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(template_problem(site_dir, exc))
        except jinja2.TemplateError:  # a missing include is found when rendering
            pass
    if problems or site is None:
        return problems
    try:
        renderer = Renderer(site, theme_dir)
    except jinja2.TemplateError as exc:
        return [template_problem(site_dir, exc)]
    seen: set[str] = set()
    for page in list_pages(site, renderer.index, keys=False):
        if page.template in seen:
            continue
        seen.add(page.template)
        try:
            renderer.render(page)
        except (RenderFailed, jinja2.TemplateError) as exc:
            problems.append(template_problem(site_dir, exc))
    return problems


def _template_names(theme_dir: Path) -> set[str]:
    names = set()
    for folder in theme_dirs(theme_dir):
        for path in folder.rglob("*"):
            relative = path.relative_to(folder)
            if path.is_file() and path.suffix in TEMPLATE_SUFFIXES and relative.parts[0] != ASSETS_DIR:
                names.add(relative.as_posix())
    return names
