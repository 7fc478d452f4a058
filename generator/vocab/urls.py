"""Which URL schemes a link in published text may use: the sanitizer keeps them, the templates allow them."""

from __future__ import annotations

# Anything else (javascript:, data:, vbscript:, file:) could run code or read the reader's files.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
