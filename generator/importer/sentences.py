"""Sentences and quotations of a paragraph: where quotes are, where sentences end, the quoted words."""

from __future__ import annotations

import re

QUOTE_MARKS = "\"“”"
MASK = "\ue000"  # stands in for quoted text, so that words inside quotes are never read as attribution

_TRAILING_PAUSE = re.compile(r"[,;:]$")
_QUOTE_MARK = re.compile(f"[{QUOTE_MARKS}]")
_STOP_OR_MARK = re.compile(f"[.!?{QUOTE_MARKS}]")  # where a sentence may end


def words(text: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(text.split())


_ABBREVIATIONS = words(
    "mr mrs ms dr st sen rep gov gen lt col sgt capt prof jr sr inc ltd co corp vs no jan feb mar apr jun jul aug "
    "sep sept oct nov dec"
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included; straight and curly marks pair in order."""
    marks = [match.start() for match in _QUOTE_MARK.finditer(text)]
    return [(marks[i], marks[i + 1] + 1) for i in range(0, len(marks) - 1, 2)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, never splitting inside a quotation or after an abbreviation."""
    spans = quote_spans(text)
    sentences: list[str] = []
    begin = 0
    following_span = 0  # the first quotation that does not close before the candidate
    for candidate in _STOP_OR_MARK.finditer(text):
        index, char = candidate.start(), candidate.group()
        while following_span < len(spans) and spans[following_span][1] - 1 < index:
            following_span += 1
        start, end = spans[following_span] if following_span < len(spans) else (len(text), len(text) + 1)
        if start <= index < end - 1:
            continue  # inside a quotation (its opening mark included)
        if char in QUOTE_MARKS and not (index == end - 1 and index > 0 and text[index - 1] in ".!?"):
            continue  # only a closing mark right after a full stop ('…untrue.”') ends a sentence
        following = text[index + 1: index + 3]
        if len(following) < 2 or not following[0].isspace() or not (following[1].isupper() or
                                                                     following[1] in QUOTE_MARKS):
            continue
        if char == "." and _is_abbreviation(_last_word(text, begin, index)):
            continue
        sentences.append(text[begin: index + 1].strip())
        begin = index + 1
    if text[begin:].strip():
        sentences.append(text[begin:].strip())
    return sentences


def _last_word(text: str, begin: int, end: int) -> str:
    """The last word of text[begin:end], read backwards so that a long sentence is not re-read at each full stop.

    Each candidate full stop is followed by a space, so the stretches read here never overlap.
    """
    stop = end
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    start = stop
    while start > begin and not text[start - 1].isspace():
        start -= 1
    return text[start:stop]


def _is_abbreviation(word: str) -> bool:
    word = word.lower().strip("(\"“")
    return len(word) == 1 or word in _ABBREVIATIONS or "." in word  # "U.S."


def quotes_of(text: str) -> list[str]:
    """The quoted words of a sentence, tidied: a trailing comma becomes a full stop."""
    quotes = []
    for start, end in quote_spans(text):
        words = _TRAILING_PAUSE.sub(".", " ".join(text[start + 1: end - 1].split()))
        if any(c.isalnum() for c in words):
            quotes.append(words)
    return quotes


def masked(text: str) -> str:
    """The text with every quotation (marks included) replaced by MASK characters, keeping offsets."""
    chars = list(text)
    for start, end in quote_spans(text):
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def is_quotation_only(sentence: str) -> bool:
    """True when a sentence is nothing but quoted words (it continues the last speaker)."""
    return bool(quote_spans(sentence)) and not any(c.isalnum() for c in masked(sentence))
