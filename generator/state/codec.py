"""The model as JSON and back, field by field from the dataclasses themselves: what the build state stores.

Decoding builds only our own frozen dataclasses from plain JSON values, checking each
value's type, so a stored value can be wrong data but never code. Anything malformed
raises `Malformed`; the caller then ignores the store. A value the encoder does not
know (front-matter extras of an exotic YAML type) raises `Unstorable`: that file is
simply not cached.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..model import Article, FuzzyDate, Precision, Speaker, Statement, Tag, Timeline, frozen_mapping
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


# --- the model: each dataclass field by field, from its own declared fields and types ----------------
# A field added to the model is stored without a change here: the codec reads `dataclasses.fields`
# and the type hints, so the model's fields are listed once, in model.py.


def _codec(tp: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How to write a value of the annotated type `tp` as JSON, and how to read it back, checking it."""
    if tp in _SPECIAL:
        return _SPECIAL[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [a for a in args if a is not type(None)]
        write, read = _codec(inner)
        return (lambda v: None if v is None else write(v)), (lambda v: None if v is None else read(v))
    if origin is tuple:
        write, read = _codec(args[0])
        return (lambda v: [write(item) for item in v]), (lambda v: as_tuple(v, read))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return (lambda v: v.value), (lambda v: as_enum(tp, v))
    if dataclasses.is_dataclass(tp):
        return _model_json(tp), _model_of(tp)
    if tp in _SCALARS:
        return (lambda v: v), _SCALARS[tp]
    raise TypeError(f"the build state cannot store a field of type {tp!r}")


_SCALARS: dict[Any, Callable[[Any], Any]] = {str: as_str, int: as_int, bool: as_bool}


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Callable[[Any], Any], Callable[[Any], Any]], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, *_codec(hints[f.name])) for f in dataclasses.fields(cls))


def _model_json(cls: type) -> Callable[[Any], list]:
    def write(value: Any) -> list:
        return [encode(getattr(value, name)) for name, encode, _ in _fields(cls)]
    return write


def _model_of(cls: type) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        fields = _fields(cls)
        return cls(*(decode(item) for (_, _, decode), item in zip(fields, as_list(value, len(fields)), strict=True)))
    return read


def _body_json(part: str | tuple[str, str]) -> Any:
    return part if isinstance(part, str) else list(part)


def _body_of(value: Any) -> str | tuple[str, str]:
    if isinstance(value, str):
        return value
    kind, name = as_list(value, 2)
    return (as_str(kind), as_str(name))


def _extra_mapping_of(value: Any) -> Mapping[str, Any]:
    extra = _extra_of(value)
    if not isinstance(extra, dict):
        raise Malformed("an article's extras are not a mapping")
    return frozen_mapping(extra)


_SPECIAL: dict[Any, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    FuzzyDate: (_date_json, _date_of),
    SourceLocation: (location_json, location_of),
    Mapping[str, Any]: (lambda v: _extra_json(dict(v)), _extra_mapping_of),
    str | tuple[str, str]: (_body_json, _body_of),
}

statement_json, statement_of = _model_json(Statement), _model_of(Statement)
article_json, article_of = _model_json(Article), _model_of(Article)
speaker_json, speaker_of = _model_json(Speaker), _model_of(Speaker)
timeline_json, timeline_of = _model_json(Timeline), _model_of(Timeline)
tag_json, tag_of = _model_json(Tag), _model_of(Tag)


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


def without_problems(text: str) -> bool:
    """Whether `parsed_json` text says its file had no problems, read from its end alone (`dumps` is compact)."""
    return text.endswith(",[]]")


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
