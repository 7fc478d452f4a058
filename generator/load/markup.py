"""Markdown → safe HTML (Python-Markdown, then nh3), and HTML → plain text."""

from __future__ import annotations

import html
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import nh3

from ..vocab.urls import URL_SCHEMES

# Chosen by measured cost per article (docs/decisions.md): fenced code and tables are what
# editors write from GitHub habits; sane_lists keeps '1.' and '-' lists apart as GitHub does.
# 'extra' (abbr, attr_list, def_list, footnotes, md_in_html…) costs several times these three.
DEFAULT_EXTENSIONS = ("fenced_code", "tables", "sane_lists")
# Tables align with the align attribute nh3 keeps, not a style attribute it would remove.
DEFAULT_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {"tables": {"use_align_attribute": True}}
_SAFE_TAGS = frozenset(nh3.ALLOWED_TAGS)
# Extensions (footnotes, toc) link within a fragment by id and mark their parts by class: both
# are kept, moved under a prefix, so that no prose can take an id the theme's script uses or
# dress up as the theme's own elements (class="badge denied").
ID_PREFIX = "md-"
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()} | {"*": {"id", "class"}}
_SPACE = re.compile(r"\s+")


def _prefix_ids(_tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return ID_PREFIX + value
    if attribute == "class":
        return " ".join(ID_PREFIX + name for name in value.split()) or None
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return "#" + ID_PREFIX + value[1:]
    return value


# Cleaners built once: nh3.clean() with arguments rebuilds its policy on every call (4x slower).
_SANITIZER = nh3.Cleaner(tags=set(_SAFE_TAGS), attributes=_ATTRIBUTES, attribute_filter=_prefix_ids,
                         url_schemes=set(URL_SCHEMES))
_TEXT_ONLY = nh3.Cleaner(tags=set())


@dataclass(frozen=True)
class MarkdownOptions:
    """The site's Markdown settings: extensions added to the defaults, their configs, raw HTML."""

    extensions: tuple[str, ...] = ()
    extension_configs: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    unsafe_html: bool = False

    def all_extensions(self) -> list[str]:
        return list(dict.fromkeys(DEFAULT_EXTENSIONS + self.extensions))

    def all_configs(self) -> dict[str, dict[str, Any]]:
        configs = {name: dict(values) for name, values in DEFAULT_EXTENSION_CONFIGS.items()}
        for name, values in self.extension_configs:
            configs.setdefault(name, {}).update(dict(values))
        return configs


class MarkdownRenderer:
    """One configured Python-Markdown instance, reset and reused for every fragment a process renders.

    Not thread-safe; each worker process makes its own.
    """

    def __init__(self, options: MarkdownOptions | None = None) -> None:
        options = options or MarkdownOptions()
        self._md = markdown.Markdown(extensions=options.all_extensions(), extension_configs=options.all_configs(),
                                     output_format="html")
        self._unsafe_html = options.unsafe_html

    def to_html(self, text: str) -> str:
        """Markdown text → HTML, sanitized unless the site allows raw HTML."""
        rendered = self._md.reset().convert(text)
        return rendered if self._unsafe_html else sanitize(rendered)


def extension_problem(name: str, config: Mapping[str, Any] | None, site_dir: Path | None = None) -> str | None:
    """Why Python-Markdown cannot load extension `name` with `config`, or None when it can.

    A name that would import a module from the site folder is refused: nothing in a site executes.
    """
    if not name.strip():
        return "an extension name is empty"
    top = name.partition(":")[0].split(".")[0]
    spec = _find_top_module(top) if top and top.isidentifier() else None
    origin = getattr(spec, "origin", None) or ""
    if site_dir is not None and origin and _is_inside(Path(origin), site_dir):
        return f"Markdown extension '{name}' is a module in the site folder; only installed extensions load"
    try:
        # Some settings fail only when used: render a sample that most extensions act on.
        engine = markdown.Markdown(extensions=[name], extension_configs={name: dict(config or {})})
        engine.convert(_SAMPLE)
    except (ImportError, AttributeError):
        return f"unknown Markdown extension '{name}'"
    except KeyError as exc:
        return f"Markdown extension '{name}' has no setting {exc}"
    except Exception as exc:  # noqa: BLE001 - a third-party extension rejecting its settings
        return f"Markdown extension '{name}' does not accept these settings: {exc}"
    return None


_SAMPLE = "# A\n\nText[^1] *b* **c** ~~d~~ \"e\" <https://example.org/>.\n\n- f\n\n| g |\n|---|\n| h |\n\n[^1]: i\n"


def _find_top_module(name: str) -> Any:
    try:
        return importlib.util.find_spec(name)  # a top-level name: found, not executed
    except (ImportError, ValueError):
        return None


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (OSError, ValueError):
        return False
    return True


def sanitize(fragment: str) -> str:
    """Remove anything executable from an HTML fragment; keep http(s), mailto and relative links."""
    return _SANITIZER.clean(fragment)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and white space folded."""
    return _SPACE.sub(" ", html.unescape(_TEXT_ONLY.clean(fragment))).strip()


def first_paragraph(fragment: str) -> str:
    """The plain text of the first <p> of an HTML fragment, or ''."""
    match = re.search(r"<p>(.*?)</p>", fragment, re.S)
    return plain_text(match.group(1)) if match else ""
