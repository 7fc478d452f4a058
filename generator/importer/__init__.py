"""`counterpoint import`: a raw text article → a draft article with suggested statement blocks.

The raw format (the seed's): a first line `date YYYY-MM-DD` followed by the first
paragraph's text, then paragraphs separated by blank lines, perhaps ending in a source
note such as "(The Washington Post)". Suggestions come from a few plain heuristics,
described in docs/import.md; an editor reviews every one before the draft is published.

The stages, one module each, all pure but the last:
read (raw text → paragraphs) → sentences (sentences, quotations) → attribution (who said
what in one sentence, with names.py's word lists) → suggestions (sentences → statement
suggestions for the article) → drafts (the draft's Markdown) → command (files in, files out).
Every stage costs time linear in its input (or bounded per item): twice the quotations,
twice the work (tests/test_importer_scaling.py; times in benchmarks/import_scaling.py).
"""

from __future__ import annotations

from .command import import_files

__all__ = ["import_files"]
