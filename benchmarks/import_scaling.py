"""Time `counterpoint import` of one paragraph holding 1,000, 5,000 and 20,000 quotations.

    python benchmarks/import_scaling.py [--sizes 1000,5000,20000] [--runs 3]

Each run is the real command in a fresh process, importing into a new site made by
`counterpoint init` in a temporary folder; the median wall time is printed with the time
per quotation, which stays about flat when the work grows linearly (issue 15: 20,000
quotations took 24 s when it grew with the square). tests/test_importer_scaling.py checks
the same property by counting work rather than timing it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHAPES: dict[str, Callable[[int], str]] = {
    "one speaker, then n × '“…,” he said.'": lambda n: "Dmitry Peskov said it was false. " + " ".join(
        f"“This is quotation number {i},” he said." for i in range(n)),
    "n speakers, one quotation each": lambda n: " ".join(
        f"“Quote {i},” said Name{chr(65 + i % 26)}{i}." for i in range(n)),
    "one sentence of n quotations": lambda n: "Dmitry Peskov said " + ", ".join(
        f"“point {i}”" for i in range(n)) + ".",
}


def counterpoint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def time_import(folder: Path, text: str, run: int) -> float:
    """Wall time of one `counterpoint import` of `text` into a new site."""
    site = folder / f"site-{run}"
    made = counterpoint("init", str(site))
    if made.returncode != 0:
        sys.exit(f"counterpoint init failed: {made.stderr}")
    raw = folder / f"raw-{run}.txt"
    raw.write_text(f"date 2024-11-11 {text}\n", encoding="utf-8")
    start = time.perf_counter()
    done = counterpoint("import", "--site", str(site), str(raw))
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"counterpoint import failed: {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="quotations per paragraph, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (the median is shown)")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    print(f"{'shape':40} {'quotations':>10} {'median s':>9} {'µs each':>8}")
    with tempfile.TemporaryDirectory(prefix="cp-import-") as temporary:
        folder = Path(temporary)
        run = 0
        for shape, make in SHAPES.items():
            for size in sizes:
                text = make(size)
                times = []
                for _ in range(options.runs):
                    run += 1
                    times.append(time_import(folder, text, run))
                median = statistics.median(times)
                print(f"{shape:40} {size:>10} {median:>9.2f} {median / size * 1e6:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
