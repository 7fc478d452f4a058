"""Run one command once and print, as one JSON line, its wall time and peak memory.

    python benchmarks/measure.py [--cwd DIR] [--log FILE] -- COMMAND [ARG...]

The runner starts this helper afresh for every measured build, so `getrusage(RUSAGE_CHILDREN)` here sees
only that build and whatever processes it waited for:

- `wall_s`: time.perf_counter() around starting the command and waiting for it;
- `maxrss_kb`: `ru_maxrss` of the children, the peak resident set of the largest single process;
- `tree_rss_kb`, `tree_pss_kb`: the largest sums of resident (RSS) and proportional (PSS) set sizes over
  the command's whole process tree, sampled from /proc every 20 ms, so worker processes count
  together (may miss a peak shorter than the interval). PSS counts a page shared by forked workers
  once in all, RSS once per process;
- `peak_kb`: the larger of `maxrss_kb` and `tree_pss_kb`, the figure the runner reports as peak memory;
- `cpu_s`: user + system CPU time of the command and the processes it waited for (less disturbed than
  the wall time by other work on the machine).

The command's stdout and stderr go to `--log` (default: discarded).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_SECONDS = 0.02


def children_of(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (all threads' `children` files)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(resident, proportional) set size of one process in KiB; PSS counts shared pages once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            fields = dict(line.split(":", 1) for line in handle.read().splitlines()[1:] if ":" in line)
        return int(fields["Rss"].split()[0]), int(fields["Pss"].split()[0])
    except (OSError, KeyError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            rss = int(handle.read().split()[1]) * PAGE_KB
        return rss, rss
    except (OSError, IndexError, ValueError):
        return 0, 0


def tree_memory_kb(root: int) -> tuple[int, int]:
    """Summed (RSS, PSS) over `root` and all its descendants."""
    rss = pss = 0
    pending, seen = [root], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        one_rss, one_pss = memory_kb(pid)
        rss, pss = rss + one_rss, pss + one_pss
        pending += children_of(pid)
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree until stopped; keeps the peaks of its RSS and PSS sums."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            rss, pss = tree_memory_kb(self.pid)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.stopping.wait(SAMPLE_SECONDS)

    def stop(self) -> dict[str, int]:
        self.stopping.set()
        self.join()
        return {"tree_rss_kb": self.peak_rss_kb, "tree_pss_kb": self.peak_pss_kb}


def output_sink(log: Path | None) -> contextlib.AbstractContextManager[Any]:
    return open(log, "wb") if log else contextlib.nullcontext(subprocess.DEVNULL)


def run_sampled(command: list[str], cwd: Path | None, sink: Any, timeout: float) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    sampler = TreeSampler(process.pid)
    sampler.start()
    timed_out = False
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        returncode, timed_out = process.wait(), True
    wall = time.perf_counter() - started
    return {"returncode": returncode, "timed_out": timed_out, "wall_s": round(wall, 4), **sampler.stop()}


def measure(command: list[str], cwd: Path | None, log: Path | None, timeout: float) -> dict[str, Any]:
    with output_sink(log) as sink:
        result = run_sampled(command, cwd, sink, timeout)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    maxrss = usage.ru_maxrss
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 4)
    result["maxrss_kb"] = maxrss
    result["peak_kb"] = max(maxrss, result["tree_pss_kb"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cwd", type=Path)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    try:
        result = measure(command, args.cwd, args.log, args.timeout)
    except OSError as exc:
        result = {"returncode": 127, "error": str(exc)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
