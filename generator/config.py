"""site.toml → a frozen, typed `Config`, with every problem reported at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .i18n import N_, LanguageError, known_messages, parse_locale
from .load.markup import DEFAULT_EXTENSIONS, MarkdownOptions, extension_problem
from .model import Verdict
from .problems import ConfigError, Problem, SourceLocation, did_you_mean, error

CONFIG_FILE = "site.toml"

# the scale a site gets when site.toml has no [verdicts]: value 5 is best, 1 worst; 'unproven' is off the scale
# the labels are theme messages: shown in the site's language while the site keeps this scale's words
DEFAULT_VERDICTS = (
    Verdict("true", N_("True"), 5),
    Verdict("mostly-true", N_("Mostly true"), 4),
    Verdict("misleading", N_("Misleading"), 3),
    Verdict("mostly-false", N_("Mostly false"), 2),
    Verdict("false", N_("False"), 1),
    Verdict("unproven", N_("Unproven")),
)
BEST_RATING, WORST_RATING = 5, 1


@dataclass(frozen=True)
class Config:
    """Site settings. `base_url` always ends in '/'; `base_path` is its path ('/' or '/sub/')."""

    title: str = "Counterpoint"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    languages: tuple[str, ...] = ()  # a multilingual site's other languages, each published under /<code>/
    timezone: str = "UTC"
    output: str = "public"
    drafts: bool = False
    unsafe_html: bool = False
    latest_count: int = 20
    markdown_extensions: tuple[str, ...] = ()  # added to the defaults
    markdown_extension_configs: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    publisher: str = ""  # the organization that publishes the verdicts; the site's title when empty
    verdicts: tuple[Verdict, ...] = DEFAULT_VERDICTS
    strings: tuple[tuple[str, str], ...] = ()  # [strings]: the site's own words for theme messages

    @property
    def markdown(self) -> MarkdownOptions:
        """What Markdown rendering depends on: extensions, their settings, raw HTML."""
        return MarkdownOptions(self.markdown_extensions, self.markdown_extension_configs, self.unsafe_html)

    def verdict(self, name: str) -> Verdict:
        """The scale's verdict called `name` (parsing has checked that there is one)."""
        return next(v for v in self.verdicts if v.name == name)
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
        "languages": (list, "languages"),
        "timezone": (str, "timezone"),
        "latest_count": (int, "latest_count"),
        "publisher": (str, "publisher"),
    },
    "build": {"output": (str, "output"), "drafts": (bool, "drafts")},
    "markdown": {
        "unsafe_html": (bool, "unsafe_html"),
        "extensions": (list, "markdown_extensions"),
        "extension_configs": (dict, "markdown_extension_configs"),
    },
    "pagination": {"per_page": (int, "per_page")},
}



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
    return parse_config(data, text, overrides, site_dir)


def parse_config(data: dict[str, Any], text: str = "", overrides: dict[str, Any] | None = None,
                 site_dir: Path | None = None) -> Config:
    """Check a parsed site.toml and build the Config; raise ConfigError with all problems."""
    lines = text.splitlines()
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def where(section: str, key: str) -> SourceLocation:
        return SourceLocation(CONFIG_FILE, _key_line(lines, section, key), 1)

    for key, value in data.items():
        if key == "verdicts":
            scale = _verdict_scale(value, where, problems)
            if scale:
                values["verdicts"] = scale
            continue
        if key == "strings" and isinstance(value, dict):
            strings, found = _check_strings(value, lambda name: where("strings", name))
            values["strings"] = strings
            problems.extend(found)
            continue
        if key in _SCHEMA and key and isinstance(value, dict):
            section, table = key, value
        elif isinstance(value, dict):
            hint = did_you_mean(key, [*(s for s in _SCHEMA if s), "verdicts", "strings"])
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
    problems.extend(_check_markdown(values, lines, site_dir))
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
    if language is not None:
        try:
            parse_locale(language)
        except LanguageError:
            problems.append(error(where("", "language"), f"'language' must be a language code such as 'en', not "
                                  f"'{language}'", "a BCP 47 code that CLDR knows: 'fr', 'pt-BR', 'ar', 'sr-Latn'…"))
    problems.extend(_check_languages(values, language, where))
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


def _check_languages(values: dict[str, Any], language: str | None, where) -> list[Problem]:
    """'languages': the codes of a multilingual site's other languages; turned into a tuple in `values`."""
    codes = values.get("languages")
    if codes is None:
        return []
    problems = []
    default = (language or Config.language).lower()
    seen: set[str] = set()
    for code in codes:
        if not isinstance(code, str):
            problems.append(error(where("", "languages"), "'languages' must be a list of language codes such as "
                                  "[\"fr\", \"ru\"]"))
            continue
        try:
            parse_locale(code)
        except LanguageError:
            problems.append(error(where("", "languages"), f"'languages' names '{code}', which is no language code",
                                  "a BCP 47 code that CLDR knows: 'fr', 'pt-BR', 'ar', 'sr-Latn'…"))
            continue
        if code.lower() == default:
            problems.append(error(where("", "languages"), f"'languages' names '{code}', the site's own 'language'",
                                  "list only the other languages: the site's 'language' is published at /"))
        elif code.lower() in seen:
            problems.append(error(where("", "languages"), f"'languages' names '{code}' twice"))
        seen.add(code.lower())
    values["languages"] = tuple(code for code in codes if isinstance(code, str))
    return problems


def _check_markdown(values: dict[str, Any], lines: list[str], site_dir: Path | None) -> list[Problem]:
    """[markdown] extensions and extension_configs: each extension must load with its settings.

    Turns both into tuples in `values`, so that Config stays frozen and hashable.
    """
    problems: list[Problem] = []
    names = values.get("markdown_extensions", [])
    configs = values.get("markdown_extension_configs", {})
    listed_at = _key_line(lines, "markdown", "extensions", _key_line(lines, "markdown", ""))
    if not all(isinstance(name, str) for name in names):
        problems.append(error(SourceLocation(CONFIG_FILE, listed_at, 1),
                              "'markdown.extensions' must be a list of extension names (strings)"))
        names = [name for name in names if isinstance(name, str)]
    for name in names:
        config = configs.get(name) if isinstance(configs.get(name), dict) else None
        reason = extension_problem(name, config, site_dir)
        if reason and config is None:
            line, column = _value_position(lines, listed_at, f'"{name}"', f"'{name}'")
            problems.append(error(SourceLocation(CONFIG_FILE, line, column), reason,
                                  "name an installed Python-Markdown extension, such as 'footnotes' "
                                  "or 'pymdownx.tilde'; see docs/content.md"))
    table = "markdown.extension_configs"
    for name, config in configs.items():
        header = _key_line(lines, f"{table}.{name}", "", 0) or _key_line(lines, "markdown", "extension_configs")
        if not isinstance(config, dict):
            problems.append(error(SourceLocation(CONFIG_FILE, header, 1),
                                  f"'{table}.{name}' must be a table of settings"))
            continue
        if name not in names and name not in DEFAULT_EXTENSIONS:
            problems.append(error(SourceLocation(CONFIG_FILE, header, 1),
                                  f"'{table}.{name}' configures an extension that is not used",
                                  f"add \"{name}\" to 'markdown.extensions'"))
            continue
        reason = extension_problem(name, config, site_dir)
        if reason:
            # The line of the first setting that fails on its own; else the table's header.
            key = next((k for k in config if extension_problem(name, {k: config[k]}, site_dir)), None)
            line = _key_line(lines, f"{table}.{name}", key, header) if key else header
            problems.append(error(SourceLocation(CONFIG_FILE, line, 1), reason))
    values["markdown_extensions"] = tuple(dict.fromkeys(names))
    values["markdown_extension_configs"] = tuple(
        (name, tuple(config.items())) for name, config in configs.items() if isinstance(config, dict))
    return problems


def _value_position(lines: list[str], start: int, *needles: str) -> tuple[int, int]:
    """Line and column of the first of `needles` at or after line `start` (a value in a TOML array)."""
    for number in range(max(start, 1), len(lines) + 1):
        for needle in needles:
            column = lines[number - 1].find(needle)
            if column >= 0:
                return number, column + 1
    return start or 1, 1


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number", list: "a list", dict: "a table"}
_VERDICT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_VERDICT_KEYS = ("label", "value")


def _verdict_scale(table: Any, where, problems: list[Problem]) -> tuple[Verdict, ...]:
    """[verdicts]: name = { label = "…", value = 1…5 } (value left out for a verdict off the scale)."""
    if not isinstance(table, dict) or not table:
        problems.append(error(where("verdicts", ""), "[verdicts] must be a table of verdicts, such as "
                              "'false = { label = \"False\", value = 1 }'"))
        return ()
    scale = []
    for name, entry in table.items():
        at = where("verdicts", name)
        if at.line == 1:  # written as a [verdicts.NAME] table
            at = where(f"verdicts.{name}", "")
        if not _VERDICT_NAME.match(name):
            problems.append(error(at, f"verdict name '{name}' must be lowercase letters, digits and dashes"))
            continue
        if not isinstance(entry, dict):
            problems.append(error(at, f"verdict '{name}' must be a table such as "
                                  f"'{name} = {{ label = \"{name.capitalize()}\", value = 1 }}'"))
            continue
        unknown = [key for key in entry if key not in _VERDICT_KEYS]
        for key in unknown:
            problems.append(error(at, f"unknown setting 'verdicts.{name}.{key}'", did_you_mean(key, _VERDICT_KEYS)))
        label, value = entry.get("label"), entry.get("value")
        if not isinstance(label, str) or not label.strip():
            problems.append(error(at, f"verdict '{name}' needs a 'label': the words a reader sees"))
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not WORST_RATING <= value <= BEST_RATING):
            problems.append(error(at, f"verdict '{name}' has value {value!r}: it must be a whole number from "
                                  f"{WORST_RATING} (worst) to {BEST_RATING} (best), or left out",
                                  "leave 'value' out for a verdict off the scale, such as 'unproven'"))
        elif isinstance(label, str) and label.strip() and not unknown:
            scale.append(Verdict(name, label.strip(), value))
    return tuple(scale)


def _check_strings(table: dict[str, Any], where) -> tuple[tuple[tuple[str, str], ...], list[Problem]]:
    """[strings]: each key a message of the theme (its English text), each value a string."""
    known = known_messages()
    known_set = set(known)
    strings, problems = [], []
    for message, text in table.items():
        if message not in known_set:
            problems.append(error(where(message), f"[strings] names no message of the theme: '{message}'",
                                  did_you_mean(message, known) or "'counterpoint translations --missing LANG' "
                                  "lists the theme's messages"))
        elif not isinstance(text, str):
            problems.append(error(where(message), f"[strings] '{message}' must be a string, not {_type_name(text)}"))
        else:
            strings.append((message, text))
    return tuple(sorted(strings)), problems




def _type_name(value: Any) -> str:
    for kind, name in ((bool, "true or false"), (int, "a number"), (float, "a number"),
                       (str, "a string"), (list, "a list"), (dict, "a table")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _key_line(lines: list[str], section: str, key: str, default: int = 1) -> int:
    """The line of `key` in `[section]` (or of the section header when key is empty); else `default`."""
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
    return default


def _toml_error_position(message: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)
