"""Cost per article of Python-Markdown extension sets, on the benchmark corpus's prose.

    python benchmarks/markdown_cost.py CORPUS_SITE [--articles 300] [--repeat 5]

Renders every prose part and statement text of the first N articles, as a build does
(one Markdown instance, reset between fragments), and prints the median ms per article
for each extension set. docs/decisions.md records what it printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.load.blocks import Prose, split_blocks  # noqa: E402
from generator.load.content import decode, split_source  # noqa: E402

SETS = {
    "none": [],
    "tables": ["tables"],
    "fenced_code": ["fenced_code"],
    "sane_lists": ["sane_lists"],
    "defaults (fenced_code, tables, sane_lists)": ["fenced_code", "tables", "sane_lists"],
    "footnotes": ["footnotes"],
    "smarty": ["smarty"],
    "toc": ["toc"],
    "extra": ["extra"],
    "defaults + footnotes + smarty": ["fenced_code", "tables", "sane_lists", "footnotes", "smarty"],
}


def fragments(site: Path, count: int) -> list[list[str]]:
    """Per article, the Markdown fragments a build renders."""
    articles = []
    for path in sorted((site / "content" / "articles").rglob("*.md"))[:count]:
        text, _ = decode(str(path), path.read_bytes())
        source, _ = split_source(str(path), text)
        parts, _ = split_blocks(source.body, source.body_line, str(path))
        articles.append([p.text for p in parts if isinstance(p, Prose) or p.text])
    return articles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    articles = fragments(args.site, args.articles)
    engines = {name: markdown.Markdown(extensions=extensions, output_format="html").reset
               for name, extensions in SETS.items()}
    try:
        import cmarkgfm  # the engine before Python-Markdown, for comparison, when still installed

        engines["cmark-gfm (table, strikethrough, autolink)"] = lambda: _Cmark(cmarkgfm)
    except ImportError:
        pass
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(args.repeat):  # interleaved, so that a busy moment of the machine hits every set alike
        for name, fresh in engines.items():
            start = time.perf_counter()
            for parts in articles:
                for text in parts:
                    fresh().convert(text)
            times[name].append((time.perf_counter() - start) * 1000 / len(articles))
    for name, measured in times.items():
        report(name, measured)


class _Cmark:
    def __init__(self, module) -> None:
        self.module = module

    def convert(self, text: str) -> str:
        return self.module.markdown_to_html_with_extensions(text, extensions=["table", "strikethrough", "autolink"])


def report(name: str, times: list[float]) -> None:
    print(f"{name:45s} {statistics.median(times):6.3f} ms/article (min {min(times):.3f}, max {max(times):.3f})")


if __name__ == "__main__":
    main()
