"""Run one command once and print, as one JSON line, its wall time and peak memory.

    python benchmarks/measure.py [--cwd DIR] [--log FILE] -- COMMAND [ARG...]

The runner starts this helper afresh for every measured build, so `getrusage(RUSAGE_CHILDREN)` here sees
only that build and whatever processes it waited for:

- `wall_s`: time.perf_counter() around starting the command and waiting for it;
- `maxrss_kb`: `ru_maxrss` of the children, the peak resident set of the largest single process;
- `tree_rss_kb`, `tree_pss_kb`: the largest sums of resident (RSS) and proportional (PSS) set sizes
  over the command's whole process tree, sampled from /proc every 50 ms (PSS less often: see
  TreeSampler), so worker processes count together; a peak shorter than the interval may be missed.
  PSS counts a page shared by forked workers once in all, RSS once per process;
- `peak_kb`: the larger of `maxrss_kb` and `tree_pss_kb`, the figure the runner reports as peak memory;
- `cpu_s`: user + system CPU time of the command and the processes it waited for (less disturbed than
  the wall time by other work on the machine);
- `sampler_cpu_s`: the CPU time of this helper itself (mostly the sampling), to show its overhead.

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
SAMPLE_SECONDS = 0.05
PSS_SECONDS = 1.0


def children_of(pid: int, all_threads: bool) -> list[int]:
    """Direct children of `pid` from /proc: those its main thread started, or any of its threads'."""
    tasks = [str(pid)]
    if all_threads:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return []
    found: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def process_tree(root: int, all_threads: bool) -> list[int]:
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        if pid not in found:
            found.append(pid)
            pending += children_of(pid, all_threads)
    return found


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by n processes counts 1/n in each (falls back to RSS)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return rss_kb(pid)


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree until stopped; keeps the peaks of its RSS and PSS sums.

    Cheap on purpose, as it shares the machine with the build: RSS comes from `statm`; PSS comes from
    `smaps_rollup`, which costs about 35 ms per GB, so it is read only when there are several processes
    (for one, PSS adds nothing to `ru_maxrss`), the RSS sum has grown by 5% since it was last read,
    and at most every PSS_SECONDS. Children of all threads are looked for on every 10th sample, of
    the main thread on the others.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.last_pss = -PSS_SECONDS
        self.pss_at_rss = 0
        self.stopping = threading.Event()

    def sample(self, count: int) -> None:
        tree = process_tree(self.pid, all_threads=count % 10 == 0)
        rss = sum(rss_kb(pid) for pid in tree)
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        if len(tree) == 1:
            self.peak_pss_kb = max(self.peak_pss_kb, rss)
        elif rss > 1.05 * self.pss_at_rss and time.monotonic() - self.last_pss >= PSS_SECONDS:
            self.last_pss, self.pss_at_rss = time.monotonic(), rss
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss_kb(pid) for pid in tree))

    def run(self) -> None:
        count = 0
        while not self.stopping.is_set():
            self.sample(count)
            count += 1
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
    own = resource.getrusage(resource.RUSAGE_SELF)
    result["sampler_cpu_s"] = round(own.ru_utime + own.ru_stime, 4)
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
