"""Rendering on every core: the same bytes whatever the number of workers, each worker given one shard."""

from __future__ import annotations

from pathlib import Path

from helpers import article, write_site

from generator.build import build_site
from generator.render.parallel import in_shards


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_jobs_1_and_jobs_2_give_the_same_bytes(tmp_path: Path) -> None:
    files = {}
    for n in range(80):  # ~400 pages: enough for the renderer to fork
        blocks = "\n".join(f"::: {'denial' if k else 'claim'}\nid: a{n}-{k}\nby: Speaker {(n + k) % 7}\n"
                           f"{f'answers: a{n}-0' if k else ''}\n\nText {n}-{k}.\n:::\n" for k in range(4))
        files[f"content/articles/a{n:03d}.md"] = article(f"A{n}", f"2024-{n % 12 + 1:02d}-05", "Intro.\n\n" + blocks,
                                                         f"timeline: t{n % 3}\ntags: [x{n % 5}]\n")
    site = write_site(tmp_path / "site", files)
    one, two = tmp_path / "one", tmp_path / "two"
    assert build_site(site, out_dir=one, jobs=1, use_cache=False).ok
    assert build_site(site, out_dir=two, jobs=2, use_cache=False).ok
    built = tree(one)
    assert len([p for p in built if p.endswith(".html")]) > 300
    assert built == tree(two)


def test_each_worker_gets_one_contiguous_shard_of_the_pages() -> None:
    for count in range(0, 40):
        for jobs in range(1, 6):
            pages = list(range(count))
            dealt = in_shards(pages, jobs)  # the renderer gives worker i dealt[i::jobs]
            assert sorted(dealt) == pages
            shards = [dealt[i::jobs] for i in range(jobs)]
            assert [page for shard in shards for page in shard] == pages
            assert max(map(len, shards)) - min(map(len, shards)) <= 1
