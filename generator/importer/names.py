"""Names, titles and roles: which words before a reporting verb name its speaker, and what they hold."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..vocab.dates import MONTH_NAMES, WEEKDAY_NAMES
from .sentences import MASK, words

_NAME_WORD = re.compile(r"^[^\W\d_][\w’'.&-]*$")  # letters first; is_name_word also wants a capital
CONNECTORS = frozenset({"of", "de", "van", "von", "der", "al", "la", "le", "du", "bin"})
# Capitalised words that start a sentence or a clause but are not part of a name.
NOT_NAMES = words(
    "On In At But And Or So Yet However Meanwhile Also Later Earlier Then Still Separately Asked According "
    "When While After Before If As Since During For From By With Without Under Over Last This Next"
) | frozenset(MONTH_NAMES) | frozenset(WEEKDAY_NAMES)
# A name made only of one of these is a common noun at the start of a sentence.
UNNAMED_SUBJECTS = words(
    "Officials Sources Witnesses Analysts Experts Critics Residents Police Observers Others Some Many People "
    "Diplomats Aides Reports It This That There We I You They He She Who"
)
TITLES = words(
    "president president-elect vice prime minister premier chancellor secretary senator sen. rep. representative "
    "governor gov. mayor speaker spokesman spokeswoman spokesperson director chief executive officer ambassador "
    "general gen. judge justice king queen prince pope chairman chairwoman chair ceo adviser advisor aide official "
    "envoy commander leader head editor correspondent analyst lawyer attorney manager founder"
)
_ROLE_STOPS = words(
    "the a an and or but in on at to for with by from as that who which while when after before said told "
    "according his her their its our is was were are has have had of"
)
_ROLE_WORDS_MAX = 6
_FIRST_NAME_MAX = 40  # a longer "first name" is not one, and bounding it keeps the scan linear
_NAME_WORD_MAX = 60  # nor is a longer surname: its prefixes are not looked at (that would be quadratic)
# "First Last": a capitalised word, a space, and (looked at, not consumed) the word after it.
_NAME_PAIR = re.compile(rf"\b([A-Z][\w’'-]{{1,{_FIRST_NAME_MAX}}}) (?=([^\W\d_][\w’'.&-]*))")
_POSSESSIVE = re.compile(r"[’']s$")


def name_at_end(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The capitalised run of words that ends `tokens`, and the words before it."""
    index = len(tokens)
    while index > 0:
        token = tokens[index - 1]
        if is_name_word(token) or (token in CONNECTORS and 1 < index < len(tokens)
                                   and is_name_word(tokens[index - 2])):
            index -= 1
        else:
            break
    name = tokens[index:]
    cut = max((i + 1 for i, word in enumerate(name) if word in NOT_NAMES), default=0)
    while cut < len(name) and name[cut] in CONNECTORS:
        cut += 1
    rest, name = tokens[: index + cut], name[cut:]
    if len(name) == 1 and name[0] in UNNAMED_SUBJECTS:
        return [], tokens
    return name, rest


def is_name_word(token: str) -> bool:
    """'Peskov', 'U.S.', 'Élysée', 'O’Brien': a word that starts with a capital letter."""
    return token[:1].isupper() and bool(_NAME_WORD.match(token))


def split_title(name: list[str]) -> tuple[list[str], list[str]]:
    """'Russian President Vladimir Putin' → (['Russian', 'President'], ['Vladimir', 'Putin'])."""
    titles = [i for i, word in enumerate(name[:-1]) if word.lower() in TITLES]
    if not titles:
        return [], name
    return name[: titles[-1] + 1], name[titles[-1] + 1:]


def role_at_end(tokens: list[str], title: Sequence[str] = ()) -> str | None:
    """The title words just before a name ('Kremlin spokesman'), if they end in a title noun."""
    words: list[str] = []
    for token in reversed(tokens):
        if token.lower() in _ROLE_STOPS or not token[-1:].isalnum() or MASK in token or len(words) == _ROLE_WORDS_MAX:
            break
        words.insert(0, token)
    words += title
    if not words or _POSSESSIVE.sub("", words[-1]).lower() not in TITLES:
        return None
    return " ".join(words)


def full_names(texts: Iterable[str]) -> dict[str, str]:
    """Each word's first full-name form in the texts: {'Trump': 'Donald Trump', …}, found in one pass.

    A word is the end of a full name where a capitalised first name (not a title, a month or a
    clause opener) stands before it; 'Trump’s' counts for 'Trump' too.
    """
    text = " ".join(texts)
    found: dict[str, str] = {}
    ends: dict[str, int] = {}  # where each word's last pair ended: "The Trump Trump" pairs Trump with The only
    for match in _NAME_PAIR.finditer(text):
        first = match.group(1)
        usable = not (first in NOT_NAMES or first.lower() in TITLES or first == "The" or "-" in first)
        word, start = match.group(2), match.start(2)
        for length in range(1, min(len(word), _NAME_WORD_MAX) + 1):
            name = word[:length]
            if not _ends_word(text, start + length) or match.start(1) < ends.get(name, 0):
                continue
            ends[name] = start + length
            if usable:
                found.setdefault(name, f"{first} {name}")
    return found


def _ends_word(text: str, index: int) -> bool:
    """True at a word boundary (regex `\\b`) just before text[index]."""
    before = text[index - 1].isalnum() or text[index - 1] == "_"
    after = index < len(text) and (text[index].isalnum() or text[index] == "_")
    return before != after
