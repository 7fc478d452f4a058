"""Slugs and ids: the one rule they follow, and the one `slugify` that makes them from names and titles.

A slug (of an article, a speaker, a timeline, a tag) and a statement id are lowercase ASCII
letters and digits in runs joined by single dashes: DESIGN.md's `[a-z0-9-]+`, without a
dash at either end or two in a row, so that each name has exactly one spelling in a URL.
"""

from __future__ import annotations

import re
import unicodedata

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would accept a final newline
SLUG_RULE = "lowercase letters, digits and dashes"  # how messages name the rule

# Letters NFKD does not split into an ASCII base and accents.
_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)
# Dropped rather than read as a break between words: "O'Brien" is one name, "won't" one word.
_APOSTROPHES = re.compile(r"['’ʼ`]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_slug(text: str) -> bool:
    """True when `text` follows the slug rule (it can also serve as a statement id)."""
    return SLUG.match(text) is not None


def slugify(text: str, limit: int | None = None) -> str:
    """'Łukasz O'Brien-Nowak' → 'lukasz-obrien-nowak'; '' when nothing in `text` can be spelled in ASCII.

    Latin letters lose their accents (Ł → l, ø → o, ß → ss); every other character that is not
    a letter or digit separates words. With `limit`, a longer slug is cut at a word boundary.
    """
    text = _APOSTROPHES.sub("", text.translate(_TRANSLITERATE))
    # Accents split off by NFKD are dropped; letters that have no ASCII form become separators.
    marked = "".join(
        c if c.isalnum() else "" if unicodedata.combining(c) else "-" for c in unicodedata.normalize("NFKD", text)
    )
    slug = _NOT_SLUG.sub("-", marked.encode("ascii", "ignore").decode("ascii").lower()).strip("-")
    if limit is not None and len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug
