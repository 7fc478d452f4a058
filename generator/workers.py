"""Run one function in several forked processes, each seeing the parent's memory as it was.

Forking after the site is loaded lets every worker render from the same Site without
pickling it; only each worker's (small) result travels back, through a pipe.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Cyclic garbage collection off for a while: loading and rendering make hardly any reference cycles,
    but ~10^6 objects, and collections over them cost ~15-30% of a build's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class WorkerFailed(Exception):
    """A worker raised; carries its traceback as text."""


def run_forked(jobs: int, work: Callable[[int, int], T]) -> list[T]:
    """[work(0, jobs), …, work(jobs - 1, jobs)]: work(0) here, each other in its own forked process.

    This process works too, rather than waiting: one fewer copy of everything the
    workers touch (Python's reference counts make each forked worker copy the pages
    of every object it reads), and its share's result needs no pickling.
    """
    if jobs <= 1:
        return [work(0, 1)]
    children: list[tuple[int, int]] = []
    gc.freeze()  # keep the shared Site out of the children's collections, so its pages stay shared
    try:
        for index in range(1, jobs):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                os.close(read_end)
                _child(write_end, lambda index=index: work(index, jobs))
            os.close(write_end)
            children.append((pid, read_end))
        try:
            mine: tuple[str, object] = ("ok", work(0, jobs))
        except Exception as exc:  # noqa: BLE001 - raised below, once every child is reaped
            mine = ("error", exc)
        except BaseException:  # Ctrl-C: the workers stop too
            for pid, read_end in children:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(read_end)
            raise
        outcomes = [mine, *(_collect(pid, read_end) for pid, read_end in children)]  # reap every child first
    finally:
        gc.unfreeze()
    for kind, value in outcomes:
        if kind == "error":
            raise value
    return [value for _, value in outcomes]


def _child(write_end: int, call: Callable[[], T]) -> None:  # pragma: no cover - runs in the child
    try:
        payload = pickle.dumps(("ok", call()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        try:
            payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled travels as text
            payload = pickle.dumps(("error", WorkerFailed(traceback.format_exc())))
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)  # never back into the parent's code, even if the parent went away


def _collect(pid: int, read_end: int) -> tuple[str, object]:
    """The worker's result, unpickled as it arrives (its pickled bytes are never held whole)."""
    with os.fdopen(read_end, "rb") as pipe:
        try:
            outcome = pickle.load(pipe)
        except Exception:  # noqa: BLE001 - a worker that died mid-way sends nothing or a torn pickle
            outcome = None
    _, status = os.waitpid(pid, 0)
    if outcome is None:
        return "error", WorkerFailed(f"worker {pid} ended without a result (status {status})")
    return outcome
