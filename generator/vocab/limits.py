"""Limits on what one input may name or cost: past them a clear error, never a crash or a runaway build."""

from __future__ import annotations

from urllib.parse import quote

# A slug, id, tag or timeline becomes one folder name in the output (statements/<id>/) and one URL path
# segment. File systems allow 255 bytes per name (ext4, APFS, NTFS); past that a build dies with
# "File name too long" and a static host cannot serve it.
MAX_SEGMENT_BYTES = 255

# Blockquotes and lists nested deeper than this are refused before Markdown sees them: the Markdown
# engine recurses once per level and the sanitizer's work grows faster than the text (80 KB of nested
# '>' took 28 s). Real writing nests a few levels; a quotation in a quotation in a list is three.
MAX_NESTING = 32

# Python-Markdown's link and HTML patterns rescan the rest of a text for each '[' and '<' they try, so
# their cost grows with the square of how many a text holds (measured: 18 KB of '[x ' took 41 s, 10,000
# '<' across a document 20 s). Past this many in one text (an article's body, a statement's text) it is
# an error and the text is not rendered: at this count the worst case measured stays near one second.
# Real articles hold a few dozen; a long raw-HTML table a few hundred.
MAX_BRACKETS = 1000

# A cycle of answers is named link by link in its error; past this many links the rest are counted.
MAX_CYCLE_LINKS = 20


def segment_bytes(name: str) -> int:
    """How many bytes `name` takes as a path segment: UTF-8, percent-encoded (the longer of a file's and a URL's)."""
    return len(quote(name, safe=""))
