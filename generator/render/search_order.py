"""Pagefind's filter files in a stable order, so the same site gives the same bytes.

Pagefind writes each filter's values in the order of a Rust hash map, seeded anew on each
run: the same site gives filter files (and so the meta file naming them) that differ from
build to build. These files are gzip'd CBOR of a simple shape; here the values of each
filter are sorted, the filters in the meta file too, and the files named by a hash of
their new bytes (as Pagefind names them by theirs). Anything of another shape is left as
it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from typing import Any

from ..model import OutputFile

_SIGNATURE = b"pagefind_dcd"
_FILTER = re.compile(r"^(?P<dir>.*/filter/)(?P<lang>[a-z0-9_-]+)_[0-9a-f]+\.pf_filter$")
_META = re.compile(r"^(?P<dir>.*/)pagefind\.(?P<lang>[a-z0-9_-]+)_[0-9a-f]+\.pf_meta$")


def in_stable_order(files: list[OutputFile]) -> list[OutputFile]:
    """Pagefind's output with its filter files sorted and renamed, and the names that point at them updated."""
    try:
        return _reordered(files)
    except (ValueError, IndexError, KeyError, OSError, EOFError):
        return files  # a format we do not know: correct, if not byte-stable


def _reordered(files: list[OutputFile]) -> list[OutputFile]:
    renamed: dict[str, str] = {}  # old hash → new hash
    out: dict[str, OutputFile] = {}
    for f in files:
        match = _FILTER.match(f.path)
        if match is None:
            continue
        name, values = _load(f.content)
        content = _dump([name, sorted(values, key=lambda item: item[0])])
        new = f"{match['lang']}_{hashlib.blake2b(content, digest_size=8).hexdigest()[:7]}"
        renamed[f.path.rsplit("/", 1)[1].removesuffix(".pf_filter")] = new
        out[f.path] = OutputFile(f"{match['dir']}{new}.pf_filter", content)
    metas = {}
    for f in files:
        match = _META.match(f.path)
        if match is None:
            continue
        meta = _load(f.content)
        filters = meta[3]
        meta[3] = sorted([name, renamed.get(hash_, hash_)] for name, hash_ in filters)
        content = _dump(meta)
        old = f.path.rsplit("/", 1)[1].removeprefix("pagefind.").removesuffix(".pf_meta")
        new = f"{match['lang']}_{hashlib.blake2b(content, digest_size=8).hexdigest()[:10]}"
        metas[old] = new
        out[f.path] = OutputFile(f"{match['dir']}pagefind.{new}.pf_meta", content)
    for f in files:
        if f.path.endswith("pagefind-entry.json"):
            entry = json.loads(f.content)
            for language in entry["languages"].values():
                language["hash"] = metas.get(language["hash"], language["hash"])
            # a multilingual site's languages, in the order of a hash map too
            entry["languages"] = dict(sorted(entry["languages"].items()))
            out[f.path] = OutputFile(f.path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())
    return sorted((out.get(f.path, f) for f in files), key=lambda f: f.path)


def _load(content: bytes) -> Any:
    data = gzip.decompress(content)
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a Pagefind data file")
    value, end = _decode(data, len(_SIGNATURE))
    if end != len(data) or _encode(value) != data[len(_SIGNATURE):]:
        raise ValueError("CBOR we would not write back the same")
    return value


def _dump(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + _encode(value), mtime=0)


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    """One CBOR item of the kinds Pagefind writes here: unsigned ints, text, byte strings, arrays."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        length = info
    elif info <= 27:
        size = 1 << (info - 24)
        length, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError("indefinite or reserved CBOR length")
    if major == 0:
        return length, at
    if major == 2:
        return bytes(data[at:at + length]), at + length
    if major == 3:
        return data[at:at + length].decode("utf-8"), at + length
    if major == 4:
        items = []
        for _ in range(length):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major}")


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | info]) + length.to_bytes(size, "big")
    raise ValueError("CBOR length too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    raise ValueError(f"cannot encode {type(value).__name__}")
