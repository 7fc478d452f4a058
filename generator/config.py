"""site.toml → a frozen, typed `Config`, with every problem reported at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .problems import ConfigError, Problem, SourceLocation, did_you_mean, error

CONFIG_FILE = "site.toml"


@dataclass(frozen=True)
class Config:
    """Site settings. `base_url` always ends in '/'; `base_path` is its path ('/' or '/sub/')."""

    title: str = "Counterpoint"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    output: str = "public"
    drafts: bool = False
    unsafe_html: bool = False
    latest_count: int = 20
    per_page: int = 20  # statements on one page of a timeline, a speaker or a statement's answers; articles of a tag

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def url(self, path: str) -> str:
        """The site-relative URL of `path` ('timelines/x/' → '/sub/timelines/x/')."""
        return self.base_path + path.lstrip("/")

    def absolute_url(self, path: str) -> str:
        """The absolute URL of `path`, for feeds, sitemaps and JSON."""
        return self.base_url + path.lstrip("/")


# section → key → (type, attribute name)
_SCHEMA: dict[str, dict[str, tuple[type, str]]] = {
    "": {
        "title": (str, "title"),
        "description": (str, "description"),
        "base_url": (str, "base_url"),
        "language": (str, "language"),
        "timezone": (str, "timezone"),
        "latest_count": (int, "latest_count"),
    },
    "build": {"output": (str, "output"), "drafts": (bool, "drafts")},
    "markdown": {"unsafe_html": (bool, "unsafe_html")},
    "pagination": {"per_page": (int, "per_page")},
}

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")


def load_config(site_dir: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read `site_dir/site.toml`; raise ConfigError with every problem in it."""
    path = site_dir / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            [error(SourceLocation(CONFIG_FILE), "no site.toml in the site folder",
                   "run 'counterpoint init DIR' to make a new site, or pass --site DIR")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([error(SourceLocation(CONFIG_FILE), f"cannot read site.toml: {exc}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_error_position(str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)$", "", str(exc))
        raise ConfigError(
            [error(SourceLocation(CONFIG_FILE, line, column), f"invalid TOML: {message}")]
        ) from None
    return parse_config(data, text, overrides)


def parse_config(data: dict[str, Any], text: str = "", overrides: dict[str, Any] | None = None) -> Config:
    """Check a parsed site.toml and build the Config; raise ConfigError with all problems."""
    lines = text.splitlines()
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def where(section: str, key: str) -> SourceLocation:
        return SourceLocation(CONFIG_FILE, _key_line(lines, section, key), 1)

    for key, value in data.items():
        if key in _SCHEMA and key and isinstance(value, dict):
            section, table = key, value
        elif isinstance(value, dict):
            hint = did_you_mean(key, [s for s in _SCHEMA if s])
            problems.append(error(where(key, ""), f"unknown section [{key}]", hint))
            continue
        else:
            section, table = "", {key: value}
        for name, item in table.items():
            known = _SCHEMA[section]
            label = f"{section}.{name}" if section else name
            if name not in known:
                hint = did_you_mean(name, known)
                problems.append(error(where(section, name), f"unknown setting '{label}'", hint))
                continue
            kind, attribute = known[name]
            if not isinstance(item, kind) or (kind is int and isinstance(item, bool)):
                problems.append(
                    error(where(section, name),
                          f"'{label}' must be {_TYPE_NAMES[kind]}, not {_type_name(item)}")
                )
                continue
            values[attribute] = item

    values.update(overrides or {})
    problems.extend(_check_values(values, where))
    if problems:
        raise ConfigError(problems)
    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    return Config(**values)


def _check_values(values: dict[str, Any], where) -> list[Problem]:
    problems = []
    base_url = values.get("base_url")
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            problems.append(
                error(where("", "base_url"), f"'base_url' must be an http(s) URL such as "
                      f"'https://example.org/factcheck/', not '{base_url}'")
            )
    language = values.get("language")
    if language is not None and not _LANGUAGE.match(language):
        problems.append(
            error(where("", "language"), f"'language' must be a language code such as 'en', not '{language}'")
        )
    timezone = values.get("timezone")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                error(where("", "timezone"), f"unknown timezone '{timezone}'",
                      "use an IANA name such as 'Europe/London'")
            )
    output = values.get("output")
    if output is not None and (not output.strip() or "\0" in output):
        problems.append(error(where("build", "output"), "'build.output' must name a folder"))
    latest = values.get("latest_count")
    if latest is not None and latest < 1:
        problems.append(error(where("", "latest_count"), "'latest_count' must be at least 1"))
    per_page = values.get("per_page")
    if per_page is not None and not 1 <= per_page <= 1000:
        problems.append(error(where("pagination", "per_page"), "'pagination.per_page' must be from 1 to 1000"))
    return problems


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number"}


def _type_name(value: Any) -> str:
    for kind, name in ((bool, "true or false"), (int, "a number"), (float, "a number"),
                       (str, "a string"), (list, "a list"), (dict, "a table")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _key_line(lines: list[str], section: str, key: str) -> int:
    """The line of `key` in `[section]` (or of the section header when key is empty)."""
    current = ""
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = header.group(1)
            if not key and current == section:
                return number
            continue
        if current == section and key and re.match(rf"^\"?{re.escape(key)}\"?\s*=", stripped):
            return number
    return 1


def _toml_error_position(message: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)
