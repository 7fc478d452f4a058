"""The build's state on disk: one SQLite file of JSON rows, `.counterpoint-cache/state.sqlite`.

It holds data only. A file that is not SQLite, or whose tables are not exactly the ones
this version makes (a foreign or crafted file could bring triggers or views), is
ignored and replaced; nothing in it is ever executed or unpickled.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..vocab.locations import CACHE_DIR

STORE_FILE = "state.sqlite"
STORE_FORMAT = "counterpoint-state-2"
_SCHEMA = {
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "parsed": "CREATE TABLE parsed (path TEXT PRIMARY KEY, digest TEXT NOT NULL, data TEXT NOT NULL)",
    "records": "CREATE TABLE records (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, data TEXT NOT NULL)",
    # the last build's output files (path → hash of the bytes) and page inputs (key → fingerprint): rows, so
    # that a build after one edit rewrites the few that changed, not 100,000
    "outputs": "CREATE TABLE outputs (path TEXT PRIMARY KEY, digest TEXT NOT NULL)",
    "inputs": "CREATE TABLE inputs (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)",
}
_AUTO_INDEXES = {f"sqlite_autoindex_{name}_1" for name in _SCHEMA}
_BUSY_SECONDS = 10.0  # a preview and a build of the same site may meet here


class StoreUnusable(Exception):
    """The store file is damaged, foreign or cannot be written; the message says which."""


def store_path(site_dir: Path) -> Path:
    """Where a site's build state lives."""
    return site_dir / CACHE_DIR / STORE_FILE


@contextlib.contextmanager
def opened(site_dir: Path, *, write: bool) -> Iterator[sqlite3.Connection]:
    """A connection to the site's store, checked; with `write`, one transaction, made if absent.

    Raises StoreUnusable. Without `write`, a missing store raises FileNotFoundError.
    A store found unusable while writing is removed and made afresh.
    """
    path = store_path(site_dir)
    if not write and not path.is_file():
        raise FileNotFoundError(path)
    try:
        if write:
            path.parent.mkdir(exist_ok=True)
            (path.parent / ".gitignore").write_text("*\n")
        connection = _connect(path, write)
    except (sqlite3.Error, OSError) as exc:
        raise StoreUnusable(_reason(path, exc)) from None
    try:
        try:
            problem = _check(connection, write)
        except sqlite3.Error as exc:
            problem = _reason(path, exc)
        if problem is not None and not write:
            raise StoreUnusable(problem)
        if problem is not None:
            connection.close()
            _remove_store(path)
            connection = _connect(path, write)
            _create(connection)
        try:
            with connection:  # one transaction: committed whole, or rolled back
                yield connection
        except sqlite3.Error as exc:
            raise StoreUnusable(_reason(path, exc)) from None
    except (sqlite3.Error, OSError) as exc:
        raise StoreUnusable(_reason(path, exc)) from None
    finally:
        connection.close()


def _connect(path: Path, write: bool) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if write else 'ro'}"
    connection = sqlite3.connect(uri, uri=True, timeout=_BUSY_SECONDS, isolation_level="DEFERRED")
    # Defence in depth: schema objects (views, triggers) may not call functions with side effects.
    connection.execute("PRAGMA trusted_schema = OFF")
    return connection


def _check(connection: sqlite3.Connection, write: bool) -> str | None:
    """None if the store is one this version made, else why not (an empty new file gets our tables)."""
    objects = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    if not objects and write:
        _create(connection)
        return None
    tables = {name: sql for kind, name, sql in objects if kind == "table"}
    others = {name for kind, name, _ in objects if kind != "table"} - _AUTO_INDEXES
    if tables != _SCHEMA or others:
        return "the build state was written by another version or is not ours; ignored"
    stored = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if stored != (STORE_FORMAT,):
        return "the build state was written by another version; ignored"
    return None


def _create(connection: sqlite3.Connection) -> None:
    with connection:
        for sql in _SCHEMA.values():
            connection.execute(sql)
        connection.execute("INSERT INTO meta VALUES ('format', ?)", (STORE_FORMAT,))


def _remove_store(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"),
                     path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _reason(path: Path, exc: Exception) -> str:
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
    return f"build state {path} is unusable ({detail}); ignored"


def read_record(site_dir: Path, name: str, fingerprint: str) -> tuple[str | None, str | None]:
    """The JSON text of record `name` if it was written with `fingerprint`, and a note when unusable."""
    try:
        with opened(site_dir, write=False) as connection:
            row = connection.execute("SELECT fingerprint, data FROM records WHERE name = ?", (name,)).fetchone()
    except FileNotFoundError:
        return None, None
    except StoreUnusable as exc:
        return None, str(exc)
    if row is None:
        return None, None
    if row[0] != fingerprint or not isinstance(row[1], str):
        return None, "cache written by another version or settings; ignored"
    return row[1], None
