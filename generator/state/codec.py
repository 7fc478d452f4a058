"""The model as JSON and back, written out field by field: what the build state stores.

Decoding builds only our own frozen dataclasses from plain JSON values, checking each
value's type, so a stored value can be wrong data but never code. Anything malformed
raises `Malformed`; the caller then ignores the store. A value the encoder does not
know (front-matter extras of an exotic YAML type) raises `Unstorable`: that file is
simply not cached.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..model import Article, FuzzyDate, Kind, Precision, Speaker, Statement, Status, Tag, Timeline, frozen_mapping
from ..problems import Problem, Severity, SourceLocation

T = TypeVar("T")


class Malformed(ValueError):
    """A stored value does not have the shape this version writes."""


class Unstorable(ValueError):
    """A value the store cannot hold as JSON."""


def dumps(value: Any) -> str:
    """Compact JSON text; keys in the order given, so equal values give equal text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """JSON text back to plain values; Malformed if it is not JSON."""
    try:
        return json.loads(text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise Malformed(f"not JSON ({type(exc).__name__})") from None


# --- checked plain values ------------------------------------------------------------------------------


def as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise Malformed(f"expected text, found {type(value).__name__}")
    return value


def as_opt_str(value: Any) -> str | None:
    return None if value is None else as_str(value)


def as_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Malformed(f"expected a whole number, found {type(value).__name__}")
    return value


def as_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Malformed(f"expected true or false, found {type(value).__name__}")
    return value


def as_list(value: Any, length: int | None = None) -> list:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise Malformed("expected a list" + (f" of {length}" if length is not None else ""))
    return value


def as_strs(value: Any) -> tuple[str, ...]:
    return tuple(as_str(item) for item in as_list(value))


def as_tuple(value: Any, decode: Callable[[Any], T]) -> tuple[T, ...]:
    return tuple(decode(item) for item in as_list(value))


def str_map(value: Any) -> dict[str, str]:
    """A JSON object of text values, checked."""
    if not isinstance(value, dict):
        raise Malformed("expected an object")
    return {as_str(key): as_str(item) for key, item in value.items()}


def as_enum(kind: Callable[[str], T], value: Any) -> T:
    try:
        return kind(as_str(value))
    except ValueError:
        raise Malformed(f"unknown value {value!r}") from None


# --- problems and dates --------------------------------------------------------------------------------


def location_json(location: SourceLocation) -> list:
    return [location.path, location.line, location.column]


def location_of(value: Any) -> SourceLocation:
    path, line, column = as_list(value, 3)
    return SourceLocation(as_str(path), as_int(line), as_int(column))


def problem_json(problem: Problem) -> list:
    """A Problem as JSON."""
    return [location_json(problem.location), problem.severity.value, problem.message, problem.hint]


def problem_of(value: Any) -> Problem:
    """A Problem from `problem_json`."""
    location, severity, message, hint = as_list(value, 4)
    return Problem(location_of(location), as_enum(Severity, severity), as_str(message), as_opt_str(hint))


def _date_json(date: FuzzyDate) -> list:
    moment = date.moment.isoformat() if date.moment is not None else None
    return [date.value.isoformat(), date.precision.value, date.phrase, date.approximate, moment, date.part]


def _date_of(value: Any) -> FuzzyDate:
    day, precision, phrase, approximate, moment, part = as_list(value, 6)
    try:
        return FuzzyDate(dt.date.fromisoformat(as_str(day)), as_enum(Precision, precision), as_str(phrase),
                         as_bool(approximate), None if moment is None else dt.datetime.fromisoformat(as_str(moment)),
                         as_opt_str(part))
    except ValueError as exc:
        raise Malformed(str(exc)) from None


def _opt_date_of(value: Any) -> FuzzyDate | None:
    return None if value is None else _date_of(value)


# --- front-matter extras: any value YAML's safe loader makes --------------------------------------------


def _extra_json(value: Any) -> Any:
    """A front-matter value, tagged where JSON has no type of its own."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return {"list": [_extra_json(item) for item in value]}
    if isinstance(value, Mapping):
        return {"map": [[_extra_json(k), _extra_json(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((_extra_json(item) for item in value), key=dumps)}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode("ascii")}
    raise Unstorable(f"cannot store a {type(value).__name__}")


def _extra_of(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise Malformed("expected a tagged value")
    (tag, inner), = value.items()
    try:
        if tag == "datetime":
            return dt.datetime.fromisoformat(as_str(inner))
        if tag == "date":
            return dt.date.fromisoformat(as_str(inner))
        if tag == "list":
            return [_extra_of(item) for item in as_list(inner)]
        if tag == "map":
            return {_key(_extra_of(k)): _extra_of(v) for k, v in (as_list(pair, 2) for pair in as_list(inner))}
        if tag == "set":
            return {_key(_extra_of(item)) for item in as_list(inner)}
        if tag == "bytes":
            return base64.b64decode(as_str(inner), validate=True)
    except (ValueError, TypeError) as exc:
        raise Malformed(str(exc)) from None
    raise Malformed(f"unknown tag {tag!r}")


def _key(value: Any) -> Any:
    if isinstance(value, (list, dict, set)):
        raise Malformed("a mapping key that cannot be hashed")
    return value


# --- the model -----------------------------------------------------------------------------------------


def statement_json(s: Statement) -> list:
    """A Statement as JSON (a list, in field order)."""
    return [s.id, s.kind.value, s.by, s.role, _date_json(s.said), None if s.about is None else _date_json(s.about),
            list(s.answers), s.via, s.source, list(s.timelines), list(s.tags), s.quote, s.text, s.html, s.article,
            s.index, location_json(s.location), s.speaker, list(s.answered_by), s.status.value]


def statement_of(value: Any) -> Statement:
    """A Statement from `statement_json`."""
    (id_, kind, by, role, said, about, answers, via, source, timelines, tags, quote, text, html, article, index,
     location, speaker, answered_by, status) = as_list(value, 20)
    return Statement(as_str(id_), as_enum(Kind, kind), as_str(by), as_opt_str(role), _date_of(said),
                     _opt_date_of(about), as_strs(answers), as_opt_str(via), as_opt_str(source), as_strs(timelines),
                     as_strs(tags), as_bool(quote), as_str(text), as_str(html), as_str(article), as_int(index),
                     location_of(location), as_str(speaker),
                     as_strs(answered_by), as_enum(Status, status))


def _body_json(part: str | tuple[str, str]) -> Any:
    return part if isinstance(part, str) else list(part)


def _body_of(value: Any) -> str | tuple[str, str]:
    if isinstance(value, str):
        return value
    kind, name = as_list(value, 2)
    return (as_str(kind), as_str(name))


def article_json(a: Article) -> list:
    """An Article as JSON; Unstorable if a front-matter extra has a type JSON cannot tag."""
    return [a.path, a.slug, a.title, _date_json(a.date), list(a.timelines), list(a.tags), a.source, a.summary,
            a.draft, [_body_json(part) for part in a.body], [statement_json(s) for s in a.statements],
            _extra_json(dict(a.extra)), location_json(a.location), list(a.broken_ids)]


def article_of(value: Any) -> Article:
    """An Article from `article_json`."""
    (path, slug, title, date, timelines, tags, source, summary, draft, body, statements, extra, location,
     broken_ids) = as_list(value, 14)
    extra = _extra_of(extra)
    if not isinstance(extra, dict):
        raise Malformed("an article's extras are not a mapping")
    return Article(as_str(path), as_str(slug), as_str(title), _date_of(date), as_strs(timelines), as_strs(tags),
                   as_opt_str(source), as_str(summary), as_bool(draft), as_tuple(body, _body_of),
                   as_tuple(statements, statement_of), frozen_mapping(extra), location_of(location),
                   as_strs(broken_ids))


def speaker_json(s: Speaker) -> list:
    """A Speaker as JSON."""
    return [s.slug, s.name, s.role, list(s.aliases), s.kind, s.url, s.bio_html, s.implicit, s.path]


def speaker_of(value: Any) -> Speaker:
    """A Speaker from `speaker_json`."""
    slug, name, role, aliases, kind, url, bio_html, implicit, path = as_list(value, 9)
    return Speaker(as_str(slug), as_str(name), as_opt_str(role), as_strs(aliases), as_opt_str(kind), as_opt_str(url),
                   as_str(bio_html), as_bool(implicit), as_opt_str(path))


def timeline_json(t: Timeline) -> list:
    """A Timeline as JSON."""
    return [t.slug, t.title, t.intro_html, list(t.statements), t.implicit, t.path]


def timeline_of(value: Any) -> Timeline:
    """A Timeline from `timeline_json`."""
    slug, title, intro_html, statements, implicit, path = as_list(value, 6)
    return Timeline(as_str(slug), as_str(title), as_str(intro_html), as_strs(statements), as_bool(implicit),
                    as_opt_str(path))


def tag_json(t: Tag) -> list:
    """A Tag as JSON."""
    return [t.slug, t.name, list(t.articles)]


def tag_of(value: Any) -> Tag:
    """A Tag from `tag_json`."""
    slug, name, articles = as_list(value, 3)
    return Tag(as_str(slug), as_str(name), as_strs(articles))


_ITEMS: dict[type, tuple[str, Callable[[Any], Any]]] = {
    Article: ("article", article_json), Speaker: ("speaker", speaker_json), Timeline: ("timeline", timeline_json),
}
_READERS: dict[str, Callable[[Any], Any]] = {"article": article_of, "speaker": speaker_of, "timeline": timeline_of}


def parsed_json(result: tuple[Any, list[Problem]]) -> str:
    """One file's parse result, (item or None, problems), as JSON text."""
    item, problems = result
    if item is None:
        stored: Any = None
    elif type(item) in _ITEMS:
        name, encode = _ITEMS[type(item)]
        stored = [name, encode(item)]
    else:
        raise Unstorable(f"cannot store a {type(item).__name__}")
    return dumps([stored, [problem_json(p) for p in problems]])


def parsed_of(text: str | bytes) -> tuple[Any, list[Problem]]:
    """One file's parse result from `parsed_json`."""
    stored, problems = as_list(loads(text), 2)
    item = None
    if stored is not None:
        name, value = as_list(stored, 2)
        if name not in _READERS:
            raise Malformed(f"unknown kind {name!r}")
        item = _READERS[name](value)
    return item, [problem_of(p) for p in as_list(problems)]
