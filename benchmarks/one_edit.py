"""One-edit rebuilds of a corpus, each in a new process: prose only, and an edit that adds an answer.

    python benchmarks/one_edit.py --corpus /dev/shm/cp-bench/corpus-10000 [--out DIR] [--cold]

After a build (a cold one with --cold, else whatever the cache allows), times: a no-change
build; an edit to the last paragraph of the corpus's middle article (prose: no link
changes); the same article with a new denial answering a statement of another article
(a link changes); and the article put back (links change again). Prints seconds per build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(site: Path, out: Path, label: str) -> None:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(out),
                           "--quiet"], cwd=ROOT, capture_output=True, text=True, check=False)
    print(f"{label:<10} {time.perf_counter() - started:7.2f} s  exit {done.returncode} {done.stderr.strip()[-200:]}",
          flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder make_corpus.py wrote")
    parser.add_argument("--out", type=Path, help="output folder (default: CORPUS/one-edit-out)")
    parser.add_argument("--cold", action="store_true", help="remove the output and the cache first")
    args = parser.parse_args()
    site = args.corpus / "counterpoint"
    out = args.out or args.corpus / "one-edit-out"
    files = json.loads((args.corpus / "manifest.json").read_text())["files"]
    edited = args.corpus / files[len(files) // 2]["counterpoint"]
    other = (args.corpus / files[len(files) // 3]["counterpoint"]).read_text().splitlines()
    target = next(line.split(": ", 1)[1] for line in other if line.startswith("id: "))
    if args.cold:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".counterpoint-cache", ignore_errors=True)
    build(site, out, "first")
    build(site, out, "no change")
    original = edited.read_text()
    try:
        edited.write_text(original.rstrip("\n") + " The figures were revised again.\n")
        build(site, out, "prose")
        edited.write_text(original.rstrip("\n") + f"\n\n::: denial\nby: A New Speaker\nanswers: {target}\n\n"
                          "That is false.\n:::\n")
        build(site, out, "answer")
    finally:
        edited.write_text(original)
    build(site, out, "put back")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
