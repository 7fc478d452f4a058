"""A build killed with SIGKILL at a random moment: the next build gives a fresh build's bytes, no leftovers.

CI runs a few kills; `COUNTERPOINT_KILL_ROUNDS=200 pytest tests/test_kill.py` runs many more
(`COUNTERPOINT_KILL_SEED` repeats a run).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import article, write_site

ROUNDS = int(os.environ.get("COUNTERPOINT_KILL_ROUNDS", "4"))
SEED = int(os.environ.get("COUNTERPOINT_KILL_SEED", str(random.randrange(10**6))))
ARTICLES = 60


def original(i: int) -> str:
    answers = f"answers: c{i - 1}\n" if i else ""
    kind = "denial" if i else "claim"
    return article(f"Story {i}", f"2024-11-{1 + i % 28:02}", (
        f"Paragraph {i}.\n\n::: {kind}\nid: c{i}\nby: Speaker {i % 7}\n{answers}\nSaid {i}.\n:::\n"
    ), f"timeline: t{i % 3}\ntags: [tag{i % 5}]\n")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(site: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--quiet", "--site", str(site),
                             "--out", str(out), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finished(process: subprocess.Popen) -> None:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()


def test_killed_builds_are_repaired_by_the_next(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    site = write_site(tmp_path / "site", {f"content/articles/a{i:03}.md": original(i) for i in range(ARTICLES)})
    out = tmp_path / "public"
    seconds = {}  # how long each kind of build takes here: kills land in its second half, where it writes
    for full in (True, False):
        (site / "content/articles/a000.md").write_text(original(0) + f"\n{full}\n")
        started = time.monotonic()
        finished(build(site, out, *(["--drafts"] if full else [])))
        seconds[full] = time.monotonic() - started
    for round_ in range(ROUNDS):
        what = f"seed {SEED}, round {round_}"
        # another setting (--drafts; there are none) renders everything into a new folder; else in place
        full = rng.random() < 0.4
        edits = rng.sample(range(ARTICLES), rng.randrange(1, ARTICLES))
        before = {i: (site / f"content/articles/a{i:03}.md").read_text() for i in edits}
        for i in edits:
            edited = original(i).replace(f"Said {i}.", f"Said {i} ({round_}).")
            (site / f"content/articles/a{i:03}.md").write_text(edited)
        victim = build(site, out, *(["--drafts"] if full else []))
        time.sleep(rng.uniform(0.4, 1.05) * seconds[full])
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        for i in rng.sample(edits, rng.randrange(0, len(edits) + 1)):  # edits undone, as in the issue
            (site / f"content/articles/a{i:03}.md").write_text(before[i])
        finished(build(site, out))
        fresh = tmp_path / "fresh"
        finished(build(site, fresh, "--no-cache"))
        assert tree(out) == tree(fresh), what
        assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "public", "site"], what
        shutil.rmtree(fresh)
