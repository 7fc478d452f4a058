"""A content file's values → checked text, slugs, tags and URLs: each bad value a problem at its line.

Front-matter keys (articles, speakers, timelines) and a statement block's fields are read
here alike; what a value means is the caller's business.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..i18n import LanguageError, parse_locale
from ..problems import Problem, SourceLocation, did_you_mean, error, warning
from ..vocab.limits import MAX_SEGMENT_BYTES, segment_bytes
from ..vocab.slugs import SLUG, slugify
from .content import FrontMatter, string_list

# A host, then nothing or a path, query or fragment: one way to match each URL, so a long line that is no
# URL fails at once ("[^\s/?#]+[^\s]*" tried every split of the host: 6 s for 20 KB).
HTTP_URL = re.compile(r"^https?://[^\s/?#]+(?:[/?#]\S*)?$", re.I)

Where = Callable[[str], SourceLocation]  # a field's name → where it was written


def unknown_keys(path: str, front: FrontMatter, known: tuple[str, ...], *, near_miss_only: bool) -> list[Problem]:
    """Keys one typo away from a known key are warnings (other keys are kept for templates)."""
    problems = []
    for key in front.data:
        if key in known:
            continue
        hint = did_you_mean(key, known)
        if hint or not near_miss_only:
            problems.append(warning(front.location(path, key), f"unknown front-matter key '{key}'", hint))
    return problems


def required_text(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> str | None:
    """A front-matter key that must be there, as stripped text."""
    if key not in front.data:
        problems.append(error(SourceLocation(path, front.line), f"front-matter needs '{key}'"))
        return None
    return optional_text(path, front, key, problems)


def optional_text(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> str | None:
    """A front-matter key as stripped text; None when absent (a number or date is read as written)."""
    value = front.data.get(key)
    if value is None:
        return None
    if isinstance(value, list | dict | bool):
        problems.append(error(front.location(path, key), f"'{key}' must be text"))
        return None
    text = front.raw.get(key, str(value)) if not isinstance(value, str) else value
    if not text.strip():
        problems.append(error(front.location(path, key), f"'{key}' is empty"))
        return None
    return text.strip()


def slug_list(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> list[str]:
    """A front-matter slug or list of slugs (timelines), each checked."""
    value = front.data.get(key)
    if value is None:
        return []
    items = string_list(value)
    if items is None:
        problems.append(error(front.location(path, key), f"'{key}' must be a slug or a list of slugs"))
        return []
    where = front.location(path, key)
    for item in items:
        if not SLUG.match(item):
            problems.append(error(where, f"timeline slug '{item}' is not valid", f"try '{slugify(item)}'"))
    return [item for item in items if SLUG.match(item) and fits_a_path(item, item, "timeline slug", where, problems)]


def tag_list(path: str, front: FrontMatter, problems: list[Problem]) -> list[str]:
    """A front-matter list of tags, each checked."""
    value = front.data.get("tags")
    if value is None:
        return []
    items = string_list(value)
    if items is None:
        problems.append(error(front.location(path, "tags"), "'tags' must be a list of words"))
        return []
    return checked_tags(items, front.location(path, "tags"), problems)


def checked_tags(items: list[str], where: SourceLocation, problems: list[Problem]) -> list[str]:
    """The tags that make a slug fitting a path, stripped; a problem for each other one."""
    tags = []
    for item in items:
        slug = slugify(item)
        if not slug:
            problems.append(error(where, f"tag '{item}' has no letters or digits"))
        elif fits_a_path(item, slug, "tag", where, problems):
            tags.append(item.strip())
    return tags


def url_value(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> str | None:
    """A front-matter http or https URL; None, and a problem, for anything else."""
    value = front.data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not HTTP_URL.match(value.strip()):
        problems.append(error(front.location(path, key), f"'{key}' must be an http or https URL, not '{value}'"))
        return None
    return value.strip()


def text_value(values: dict[str, Any], name: str, where: Where, problems: list[Problem]) -> str | None:
    """A statement field's text; None, and a problem, when empty or not text."""
    if name not in values:
        return None
    value = values[name]
    if not isinstance(value, str) or not value.strip():
        problems.append(error(where(name), f"'{name}' must be text" if value is not None else f"'{name}' is empty"))
        return None
    return value.strip()


def slug_values(values: dict[str, Any], name: str, where: Where, problems: list[Problem],
                 what: str | None) -> list[str]:
    """A statement field's one value or list, without repeats: slugs (`what` names them) or, with `what` None, tags."""
    if name not in values:
        return []
    items = string_list(values[name])
    if not items:
        problems.append(error(where(name), f"'{name}' must be one value or a list of values"))
        return []
    if what is None:
        return checked_tags(items, where(name), problems)
    for item in items:
        if not SLUG.match(item):
            problems.append(error(where(name), f"{what} '{item}' is not valid",
                                  "use lowercase letters, digits and dashes"))
        elif what != "statement id":  # an id answered is only looked up; its own block checks its length
            fits_a_path(item, item, what, where(name), problems)
    return list(dict.fromkeys(items))


def fits_a_path(name: str, segment: str, what: str, where: SourceLocation, problems: list[Problem]) -> bool:
    """A name whose `segment` becomes a folder of the output must fit a file name; else an error, and False."""
    size = segment_bytes(segment)
    if size <= MAX_SEGMENT_BYTES:
        return True
    shown = name if len(name) <= 40 else name[:40] + "…"
    problems.append(error(where, f"{what} '{shown}' is too long: it makes a file name of {size} bytes, and at most "
                          f"{MAX_SEGMENT_BYTES} fit", "shorten it"))
    return False


def language_code(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> str | None:
    """The language code under `key` (an article's 'lang'), when it is one CLDR knows."""
    lang = optional_text(path, front, key, problems)
    if lang is None:
        return None
    try:
        parse_locale(lang)
    except LanguageError:
        problems.append(error(front.location(path, key), f"'{key}' must be a language code such as 'en' or 'fr', "
                              f"not '{lang}'", "a BCP 47 code that CLDR knows: 'uk', 'pt-BR', 'sr-Latn'…"))
        return None
    return lang


def language_titles(path: str, front: FrontMatter, key: str, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """A title in other languages, for a multilingual site ('titles: {fr: Le pont, ru: Мост}')."""
    value = front.data.get(key)
    if value is None:
        return ()
    where = front.location(path, key)
    if not isinstance(value, dict):
        problems.append(error(where, f"'{key}' must map language codes to titles, such as "
                              f"'{key}: {{fr: Le pont, ru: Мост}}'"))
        return ()
    titles = []
    for code, text in value.items():
        try:
            parse_locale(str(code))
        except LanguageError:
            problems.append(error(where, f"'{key}' names '{code}', which is no language code",
                                  "a BCP 47 code that CLDR knows: 'fr', 'pt-BR', 'sr-Latn'…"))
            continue
        if not isinstance(text, str) or not text.strip():
            problems.append(error(where, f"'{key}' gives no title for '{code}'"))
            continue
        titles.append((str(code), text.strip()))
    return tuple(titles)
