"""Which text YAML reads back as the very same string, so it can be written (and read) without quotes."""

from __future__ import annotations

import re

# Words and punctuation only, single spaces: no ':', '#', quotes or leading symbol that YAML would read.
PLAIN_TEXT = re.compile(r"^[A-Za-z][\w.,'’()/-]*(?: [\w.,'’()/-]+)*\Z")
# Plain words YAML 1.1 reads as booleans or null.
YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def reads_as_itself(value: str) -> bool:
    """True when YAML reads `value`, unquoted, as this same string."""
    return PLAIN_TEXT.match(value) is not None and value.lower() not in YAML_WORDS
