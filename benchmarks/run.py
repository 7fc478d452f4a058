"""Benchmark Counterpoint's build against Pelican and Hugo on the same generated corpus.

    python benchmarks/run.py [--sizes 1000,10000] [--runs 3] [--work /dev/shm/cp-bench]
                             [--tools counterpoint,pelican,hugo]

For each corpus size and tool: a cold build, a no-change rebuild and a one-edit rebuild (each a new
process), the peak memory of each, medians over --runs. Prints a table and the goal ratios and writes
benchmarks/results.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MAKE_CORPUS = HERE / "make_corpus.py"
MEASURE = HERE / "measure.py"
PELICAN_VENV = HERE / ".venv-pelican"
PELICAN_REQUIREMENT = "pelican[markdown]>=4,<5"
SEARCH_FETCH = HERE / "search_fetch.py"
# "pelican" and "hugo" are configured for one page per article plus an index (the comparable job);
# "-default" rows build the same trees with their full default configurations (tags, categories, feeds…)
TOOLS = ("counterpoint", "pelican", "pelican-default", "hugo", "hugo-default")
CORPORA = ("bench", "news")
PHASES = ("cold", "nochange", "oneedit")


@dataclass
class Tool:
    """How to build one corpus tree with one generator."""

    name: str
    site: Path
    out: Path
    command: list[str]
    cwd: Path
    caches: list[Path]
    edit_file: Path
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Availability:
    available: bool
    version: str = ""
    reason: str = ""
    details: dict[str, str] = field(default_factory=dict)


# --- small helpers ----------------------------------------------------------------------------------------

def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_text(command: list[str], cwd: Path | None = None, timeout: float = 600) -> tuple[int, str]:
    """Run a command, return (exit status, stdout+stderr); a missing program is status 127."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return done.returncode, (done.stdout + done.stderr).strip()


def first_line(text: str) -> str:
    return text.splitlines()[0].strip() if text.strip() else ""


def read_first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def filesystem_of(path: Path) -> str:
    """The type of the file system holding `path` (longest mount point prefix in /proc/mounts)."""
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return kind
    for line in mounts:
        parts = line.split()
        if len(parts) < 3 or len(parts[1]) <= len(best):
            continue
        if resolved == parts[1] or resolved.startswith(parts[1].rstrip("/") + "/"):
            best, kind = parts[1], parts[2]
    return kind


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 4) if values else None


# --- machine and tools ------------------------------------------------------------------------------------

def machine_info(work: Path) -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": read_first("/proc/cpuinfo", "model name") or platform.processor(),
        "memory": read_first("/proc/meminfo", "MemTotal"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "work_dir": str(work),
        "work_fs": filesystem_of(work),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def ensure_pelican() -> Availability:
    """Pelican 4.x and Markdown in benchmarks/.venv-pelican, created on first use."""
    pelican = PELICAN_VENV / "bin/pelican"
    python = PELICAN_VENV / "bin/python"
    if not pelican.exists():
        log(f"installing {PELICAN_REQUIREMENT} into {PELICAN_VENV}")
        status, output = run_text([sys.executable, "-m", "venv", str(PELICAN_VENV)])
        if status == 0:
            status, output = run_text([str(python), "-m", "pip", "install", "--quiet", PELICAN_REQUIREMENT])
        if status != 0:
            return Availability(False, reason=f"install failed: {output[-500:]}")
    status, version = run_text([str(pelican), "--version"])
    if status != 0:
        return Availability(False, reason=f"pelican --version failed: {version[-300:]}")
    _, markdown = run_text([str(python), "-c", "import markdown; print(markdown.__version__)"])
    return Availability(True, first_line(version), details={"markdown": first_line(markdown)})


def ensure_hugo() -> Availability:
    """Debian's hugo, installed with apt-get when no `hugo` is on PATH."""
    if shutil.which("hugo") is None and shutil.which("apt-get"):
        log("installing hugo with apt-get")
        if run_text(["apt-get", "install", "-y", "hugo"], timeout=1200)[0] != 0:
            run_text(["apt-get", "update"], timeout=1200)
            run_text(["apt-get", "install", "-y", "hugo"], timeout=1200)
    if shutil.which("hugo") is None:
        return Availability(False, reason="hugo is not installed and apt-get could not install it")
    status, version = run_text(["hugo", "version"])
    if status != 0:
        return Availability(False, reason=f"hugo version failed: {version[-300:]}")
    return Availability(True, first_line(version))


def counterpoint_command(spec: str) -> list[str]:
    return shlex.split(spec) if spec else [sys.executable, "-m", "generator"]


def counterpoint_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH", "")
    return {"PYTHONPATH": f"{REPO}{os.pathsep}{path}" if path else str(REPO)}


def check_counterpoint(command: list[str]) -> Availability:
    """Available when `COMMAND build --help` exits 0 from the repository root."""
    env = {**os.environ, **counterpoint_env()}
    try:
        done = subprocess.run([*command, "build", "--help"], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Availability(False, reason=str(exc))
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return Availability(False, reason=f"'build --help' exited {done.returncode}: {tail[0][:300]}")
    _, commit = run_text(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    _, version = run_text([*command, "--version"], cwd=REPO)
    shown = first_line(version) if "rror" not in version else ""
    return Availability(True, shown, details={"commit": commit})


def check_tools(names: list[str], spec: str) -> dict[str, Availability]:
    checks: dict[str, Callable[[], Availability]] = {
        "counterpoint": lambda: check_counterpoint(counterpoint_command(spec)),
        "pelican": ensure_pelican,
        "hugo": ensure_hugo,
    }
    return {name: checks[name]() for name in names}


# --- corpus -----------------------------------------------------------------------------------------------

def corpus_stamp(size: int, seed: int, style: str = "bench") -> str:
    digest = hashlib.sha256(MAKE_CORPUS.read_bytes()).hexdigest()[:16]
    return f"articles={size} seed={seed} style={style} generator={digest}"


def ensure_corpus(folder: Path, size: int, seed: int, regenerate: bool, style: str = "bench") -> dict[str, Any]:
    """Generate the corpus unless an identical one (same size, seed, style and generator) is there already."""
    stamp_file = folder / "corpus.stamp"
    stamp = corpus_stamp(size, seed, style)
    reused = not regenerate and stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp
    seconds = None
    if not reused:
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--articles", str(size), "--out", str(folder),
                        "--seed", str(seed), "--style", style], check=True)
        seconds = round(time.perf_counter() - started, 2)
        stamp_file.write_text(stamp, encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["generation_s"] = seconds
    manifest["reused"] = reused
    return manifest


def make_tools(names: list[str], corpus: Path, out_root: Path, manifest: dict[str, Any],
               args: argparse.Namespace) -> dict[str, Tool]:
    edit = manifest["files"][len(manifest["files"]) // 2]
    builders: dict[str, Callable[[Path, Path, Path], Tool]] = {
        "counterpoint": lambda site, out, target: counterpoint_tool(site, out, target, args),
        "pelican": lambda site, out, target: pelican_tool(site, out, target, "pelicanconf-lean.py", "pelican"),
        "pelican-default": lambda site, out, target: pelican_tool(site, out, target, "pelicanconf.py",
                                                                  "pelican-default"),
        "hugo": lambda site, out, target: hugo_tool(site, out, target, out_root / "hugo-cache", "hugo-lean.toml",
                                                    "hugo"),
        "hugo-default": lambda site, out, target: hugo_tool(site, out, target, out_root / "hugo-default-cache",
                                                            "hugo.toml", "hugo-default"),
    }
    tree = {name: name.removesuffix("-default") for name in names}  # the two configurations share a tree
    return {name: builders[name](corpus / tree[name], out_root / name, corpus / edit[tree[name]]) for name in names}


def counterpoint_tool(site: Path, out: Path, edit_file: Path, args: argparse.Namespace) -> Tool:
    command = [*counterpoint_command(args.counterpoint), "build", "--site", str(site), "--out", str(out),
               "--quiet"]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    templates = REPO / "templates"
    if templates.is_dir() and not (site / "templates").exists():
        shutil.copytree(templates, site / "templates")
    return Tool("counterpoint", site, out, command, REPO, [site / ".counterpoint-cache"], edit_file,
                counterpoint_env())


def pelican_tool(site: Path, out: Path, edit_file: Path, config: str, name: str) -> Tool:
    command = [str(PELICAN_VENV / "bin/pelican"), str(site / "content"), "-s", str(site / config),
               "-o", str(out), "-q"]
    return Tool(name, site, out, command, site, [site / "cache", site / "__pycache__"], edit_file)


def hugo_tool(site: Path, out: Path, edit_file: Path, cache: Path, config: str, name: str) -> Tool:
    command = ["hugo", "--source", str(site), "--config", str(site / config), "--destination", str(out),
               "--cacheDir", str(cache), "--quiet"]
    return Tool(name, site, out, command, site, [cache, site / "resources"], edit_file)


# --- measuring --------------------------------------------------------------------------------------------

def measure(tool: Tool, phase: str, run: int, logs: Path, timeout: float) -> dict[str, Any]:
    """One build in a fresh helper process: wall time, peak memory, exit status."""
    log_file = logs / f"{tool.name}-{phase}-{run}.log"
    command = [sys.executable, str(MEASURE), "--cwd", str(tool.cwd), "--log", str(log_file),
               "--timeout", str(timeout), "--", *tool.command]
    load = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **tool.env})
    try:
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {"returncode": -1, "error": f"measure helper failed: {done.stderr[-500:]}"}
    result["load_before"] = round(load, 2)
    if result.get("returncode") != 0:
        result["log_tail"] = tail_of(log_file)
    return result


def tail_of(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder`: relative path → (mtime in ns, inode)."""
    found: dict[str, tuple[int, int]] = {}
    for directory, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(directory, name)
            info = os.stat(path)
            found[os.path.relpath(path, folder)] = (info.st_mtime_ns, info.st_ino)
    return found


def compare(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> dict[str, int]:
    common = before.keys() & after.keys()
    return {
        "files": len(after),
        "rewritten": sum(1 for path in common if before[path][0] != after[path][0]),
        "replaced_inode": sum(1 for path in common if before[path][1] != after[path][1]),
        "added": len(after.keys() - before.keys()),
        "removed": len(before.keys() - after.keys()),
    }


def inventory(out: Path) -> dict[str, Any]:
    """What a build produced: files and bytes in all, HTML files, article pages (articles/<slug>/index.html),
    and the heaviest HTML page."""
    files = [path for path in out.rglob("*") if path.is_file()]
    html = [(path.stat().st_size, path) for path in files if path.suffix == ".html"]
    articles = sum(1 for _ in (out / "articles").glob("*/index.html")) if (out / "articles").is_dir() else 0
    heaviest = max(html, default=(0, out))
    return {"out_files": len(files), "out_bytes": sum(path.stat().st_size for path in files),
            "html_files": len(html), "article_pages": articles,
            "heaviest_page": {"path": heaviest[1].relative_to(out).as_posix(), "bytes": heaviest[0]}}


def search_cost(tool: Tool, query: str, timeout: float) -> dict[str, Any] | None:
    """What one search fetches on Counterpoint's output (search_fetch.py in Chromium); None for the others."""
    if tool.name != "counterpoint":
        return None
    try:
        done = subprocess.run([sys.executable, str(SEARCH_FETCH), str(tool.out), query], capture_output=True,
                              text=True, timeout=timeout, env={**os.environ, **tool.env})
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, IndexError, json.JSONDecodeError, OSError) as exc:
        return {"error": f"search_fetch failed: {exc}"}


def prepare_cold(tool: Tool) -> None:
    for path in [tool.out, *tool.caches]:
        shutil.rmtree(path, ignore_errors=True)


def edited(text: str, run: int) -> str:
    """The article with one sentence added to its last paragraph (always prose, never a block)."""
    body = text.rstrip("\n")
    return f"{body} The figures were revised again in update {run}.\n"


def one_run(tool: Tool, run: int, logs: Path, timeout: float, query: str = "said") -> dict[str, Any]:
    prepare_cold(tool)
    result: dict[str, Any] = {"cold": measure(tool, "cold", run, logs, timeout)}
    if result["cold"].get("returncode") != 0:
        return result
    result["output"] = inventory(tool.out)
    result["search"] = search_cost(tool, query, timeout)
    before = snapshot(tool.out)
    result["nochange"] = measure(tool, "nochange", run, logs, timeout)
    result["nochange_files"] = compare(before, snapshot(tool.out))
    before = snapshot(tool.out)
    original = tool.edit_file.read_bytes()
    try:
        tool.edit_file.write_text(edited(original.decode("utf-8"), run), encoding="utf-8")
        result["oneedit"] = measure(tool, "oneedit", run, logs, timeout)
    finally:
        tool.edit_file.write_bytes(original)
    result["oneedit_files"] = compare(before, snapshot(tool.out))
    return result


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    good = [run for run in runs if all(run.get(phase, {}).get("returncode") == 0 for phase in PHASES)]
    summary: dict[str, Any] = {"ok_runs": len(good), "runs": len(runs)}
    for phase in PHASES:
        summary[f"{phase}_s"] = median([run[phase]["wall_s"] for run in good])
        summary[f"{phase}_cpu_s"] = median([run[phase]["cpu_s"] for run in good])
        summary[f"{phase}_peak_mb"] = median([run[phase]["peak_kb"] / 1024 for run in good])
    summary["peak_mb"] = median([max(run[phase]["peak_kb"] for phase in PHASES) / 1024 for run in good])
    if good:
        summary.update(good[-1]["output"])
        summary["search"] = good[-1].get("search")
        summary["nochange_rewritten"] = max(run["nochange_files"]["rewritten"] for run in good)
        summary["nochange_files"] = good[-1]["nochange_files"]
        summary["oneedit_files"] = good[-1]["oneedit_files"]
    return summary


def bench_tool(tool: Tool, runs: int, logs: Path, timeout: float, query: str = "said") -> dict[str, Any]:
    results = []
    for run in range(1, runs + 1):
        log(f"  {tool.name}: run {run}/{runs}")
        result = one_run(tool, run, logs, timeout, query)
        results.append(result)
        failed = [phase for phase in PHASES if result.get(phase, {}).get("returncode") != 0]
        if failed:
            log(f"  {tool.name}: {failed[0]} build failed: {result[failed[0]].get('log_tail', '')[-800:]}")
            break
    return {"available": True, "summary": summarize(results), "runs": results}


# --- goals and report -------------------------------------------------------------------------------------

def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return round(numerator / denominator, 3) if numerator is not None and denominator else None


def goal(name: str, value: float | None, limit: float, size: int | str) -> dict[str, Any]:
    met = None if value is None else value <= limit
    return {"goal": name, "size": size, "value": value, "limit": limit, "met": met}


def summary_of(sizes: dict[str, Any], key: str, tool: str) -> dict[str, Any]:
    entry = sizes.get(key, {}).get("tools", {}).get(tool, {})
    return entry.get("summary", {}) if entry.get("available") else {}


def entry_key(style: str, size: int) -> str:
    """How results.json names one corpus at one size: 'bench-1000', 'news-10000'."""
    return f"{style}-{size}"


def goals(sizes: dict[str, Any], size_list: list[int], styles: list[str]) -> list[dict[str, Any]]:
    """Issue 11's goals, for every corpus and size measured (ratios against the one-page-per-article peers)."""
    found = []
    for style in styles:
        for size in size_list:
            key = entry_key(style, size)
            cp, pelican, hugo = (summary_of(sizes, key, name) for name in ("counterpoint", "pelican", "hugo"))
            search = (cp.get("search") or {}).get("bytes")
            found += [
                goal("cold / pelican cold", ratio(cp.get("cold_s"), pelican.get("cold_s")), 0.7, key),
                goal("one-edit / hugo cold", ratio(cp.get("oneedit_s"), hugo.get("cold_s")), 0.3, key),
                goal("files rewritten by a no-change rebuild", cp.get("nochange_rewritten"), 0, key),
                goal("peak memory, MiB", cp.get("peak_mb"), 2048 if size >= 100_000 else 400, key),
                goal("output, MB", None if cp.get("out_bytes") is None else round(cp["out_bytes"] / 1e6, 1),
                     350, key),
                goal("heaviest HTML page, KB", (cp.get("heaviest_page") or {}).get("bytes", 0) / 1000 or None,
                     250, key),
                goal("one search fetches, KB", None if search is None else round(search / 1000, 1), 300, key),
            ]
        if {10_000, 100_000} <= set(size_list):
            scaling = ratio(summary_of(sizes, entry_key(style, 100_000), "counterpoint").get("cold_s"),
                            summary_of(sizes, entry_key(style, 10_000), "counterpoint").get("cold_s"))
            found.append(goal("cold at 100,000 / at 10,000", scaling, 11, style))
    return found


def ratio_lines(sizes: dict[str, Any]) -> str:
    """Counterpoint against the peers, as ratios from the same run."""
    lines = []
    for key in sizes:
        cp = summary_of(sizes, key, "counterpoint")
        parts = []
        for peer in ("pelican", "pelican-default", "hugo", "hugo-default"):
            other = summary_of(sizes, key, peer)
            if other:
                parts.append(f"{peer}: cold {fmt(ratio(cp.get('cold_s'), other.get('cold_s')))}×, "
                             f"one-edit/their cold {fmt(ratio(cp.get('oneedit_s'), other.get('cold_s')))}×, "
                             f"peak {fmt(ratio(cp.get('peak_mb'), other.get('peak_mb')))}×, "
                             f"output {fmt(ratio(cp.get('out_bytes'), other.get('out_bytes')))}×")
        if parts:
            lines.append(f"  {key}: " + "; ".join(parts))
    return "\n".join(lines)


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(sizes: dict[str, Any]) -> str:
    header = (f"{'corpus':>12}  {'tool':<16}{'cold s':>8}{'(cpu s)':>9}{'no-chg s':>9}{'1-edit s':>9}"
              f"{'peak MB':>8}{'out MB':>8}{'files':>8}{'html':>7}{'heavy KB':>9}{'search KB':>10}{'rewritten':>12}")
    lines = [header, "-" * len(header)]
    for key, entry in sizes.items():
        for name, data in entry["tools"].items():
            if not data.get("available"):
                lines.append(f"{key:>12}  {name:<16}not available: {data.get('reason', '')[:70]}")
                continue
            s = data["summary"]
            rewritten = s.get("nochange_files", {})
            search = (s.get("search") or {}).get("bytes")
            lines.append(
                f"{key:>12}  {name:<16}{fmt(s.get('cold_s')):>8}{fmt(s.get('cold_cpu_s')):>9}"
                f"{fmt(s.get('nochange_s')):>9}{fmt(s.get('oneedit_s')):>9}{fmt(s.get('peak_mb'), 0):>8}"
                f"{fmt(s.get('out_bytes', 0) / 1e6 if 'out_bytes' in s else None, 1):>8}{s.get('out_files', '-'):>8}"
                f"{s.get('html_files', '-'):>7}{fmt((s.get('heaviest_page') or {}).get('bytes', 0) / 1000, 0):>9}"
                f"{fmt(search / 1000 if search else None, 0):>10}"
                f"{str(rewritten.get('rewritten', '-')) + '/' + str(rewritten.get('files', '-')):>12}")
            if s.get("ok_runs", 0) < s.get("runs", 0):
                lines.append(f"{'':>14}{name} failed in {s['runs'] - s['ok_runs']} run(s); see results.json")
    return "\n".join(lines)


def goal_lines(found: list[dict[str, Any]]) -> str:
    lines = []
    for item in found:
        state = {True: "met", False: "MISSED", None: "n/a"}[item["met"]]
        value = "-" if item["value"] is None else item["value"]
        lines.append(f"  [{state:>6}] {item['goal']} (size {item['size']}): {value}"
                     f"  (goal <= {item['limit']})")
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    machine = results["machine"]
    versions = ", ".join(f"{name} {data['version'] or '?'}" if data["available"] else f"{name} not available"
                         for name, data in results["tools"].items())
    head = (f"machine: {machine['nproc']} CPUs ({machine['cpu_model']}), {machine['memory']}, "
            f"Python {machine['python']}, work on {machine['work_fs']}, "
            f"load average at start {machine['load_average'][0]}\ntools: {versions}")
    return (f"{head}\n\n{table(results['sizes'])}\n\nratios, Counterpoint / peer (same run):\n"
            f"{ratio_lines(results['sizes'])}\n\ngoals (issue 11):\n{goal_lines(results['goals'])}")


# --- driver -----------------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated article counts")
    parser.add_argument("--corpora", default=",".join(CORPORA),
                        help="bench (make_corpus.py's original), news (wire-story prose, 400 speakers, 50 timelines)")
    parser.add_argument("--query", default="minister", help="the word searched for to measure a search's fetches")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/cp-bench"),
                        help="corpora and outputs (use tmpfs)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, help="pass --jobs N to Counterpoint's build")
    parser.add_argument("--counterpoint", default="",
                        help="Counterpoint command (default: this Python with -m generator, from the repo)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed for one build")
    parser.add_argument("--regenerate", action="store_true", help="regenerate corpora even if present")
    parser.add_argument("--results", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    args.size_list = [int(size) for size in args.sizes.split(",") if size.strip()]
    args.tool_list = [name.strip() for name in args.tools.split(",") if name.strip()]
    args.style_list = [name.strip() for name in args.corpora.split(",") if name.strip()]
    unknown = (set(args.tool_list) - set(TOOLS)) | (set(args.style_list) - set(CORPORA))
    if unknown or not args.tool_list or not args.size_list or not args.style_list or args.runs < 1:
        parser.error(f"bad --tools/--corpora/--sizes/--runs (unknown: {sorted(unknown)})")
    return args


def bench_size(size: int, args: argparse.Namespace, availability: dict[str, Availability],
               style: str = "bench") -> dict[str, Any]:
    key = entry_key(style, size)
    corpus = args.work / f"corpus-{key}"
    out_root = args.work / f"out-{key}"
    logs = args.work / f"logs-{key}"
    logs.mkdir(parents=True, exist_ok=True)
    manifest = ensure_corpus(corpus, size, args.seed, args.regenerate, style)
    tools = make_tools(args.tool_list, corpus, out_root, manifest, args)
    entry: dict[str, Any] = {"corpus": {k: v for k, v in manifest.items() if k != "files"}, "tools": {}}
    entry["corpus"]["style"] = style
    entry["corpus"]["edited_article"] = manifest["files"][len(manifest["files"]) // 2]["slug"]
    for name, tool in tools.items():
        if not availability[name.removesuffix("-default")].available:
            entry["tools"][name] = {"available": False, "reason": availability[name.removesuffix("-default")].reason}
            continue
        log(f"{key}: {name}")
        entry["tools"][name] = bench_tool(tool, args.runs, logs, args.timeout, args.query)
        entry["tools"][name]["command"] = shlex.join(tool.command)
    return entry


@contextlib.contextmanager
def exclusive(work: Path) -> Iterator[None]:
    """Hold WORK/.lock: two runs sharing a work folder would delete each other's outputs (and timings
    taken side by side mean little), so a second run waits for the first."""
    with open(work / ".lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            log(f"another benchmark run ({holder}) is using {work}; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    with exclusive(args.work):
        return run_all(args)


def run_all(args: argparse.Namespace) -> int:
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    availability = check_tools(sorted({name.removesuffix("-default") for name in args.tool_list}), args.counterpoint)
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        log(f"note: load average {os.getloadavg()[0]:.1f}: other work is running; timings will be noisy")
    results: dict[str, Any] = {
        "started": started,
        "machine": machine_info(args.work),
        "params": {"sizes": args.size_list, "corpora": args.style_list, "runs": args.runs, "seed": args.seed,
                   "jobs": args.jobs, "tools": args.tool_list, "query": args.query},
        "tools": {name: vars(data) for name, data in availability.items()},
        "sizes": {},
    }
    for size in args.size_list:
        for style in args.style_list:
            results["sizes"][entry_key(style, size)] = bench_size(size, args, availability, style)
            results["goals"] = goals(results["sizes"], args.size_list, args.style_list)
        args.results.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    args.results.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(report(results))
    print(f"\nresults written to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
