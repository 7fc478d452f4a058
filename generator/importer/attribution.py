"""One sentence → who it says spoke, in what way (claim, denial, no comment…), when, through whom.

The heuristics are plain: a reporting verb ("said", "denied", "would not confirm"), the
capitalised name before it (or after it: "…,” said Peskov"), title words before the name,
"told <outlet>" for `via`, and time phrases. Quoted words are masked first, so nothing
inside a quotation is read as attribution. Each sentence costs time linear in its length:
at most MAX_VERBS reporting verbs are tried, each reading the sentence a bounded number of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..load.dates import ABSOLUTE_PROBES, DateError, DateResolver
from ..vocab.dates import MONTH_NAMES, WEEKDAY_NAMES
from .names import CONNECTORS, NOT_NAMES, UNNAMED_SUBJECTS, is_name_word, name_at_end, role_at_end, split_title
from .sentences import MASK, masked, quotes_of, words

MAX_VERBS = 8  # reporting verbs tried in one sentence; real sentences have two or three

_WEEKDAYS = "|".join(WEEKDAY_NAMES)
_MONTHS = "|".join(MONTH_NAMES)
# Time phrases as reporters write them; load/dates.py resolves what is found (and says which point forward).
_TIME = re.compile(
    rf"\b(?:(?i:on|last|this|next) )?(?:{_WEEKDAYS})\b"
    r"|\b(?:yesterday|today|tomorrow)\b"
    r"|\b(?:last|this|next) (?:week|month|year)\b"
    rf"|\bon \d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?\b"
    rf"|\bon (?:{_MONTHS}) \d{{1,2}}(?:, \d{{4}})?\b"
    rf"|\bin (?:{_MONTHS})(?: \d{{4}})?\b"
)

# Reporting verbs, the kind each suggests, strongest first where two overlap.
_VERBS = (
    ("no-comment", re.compile(r"\b(?:declined|refused|would not|wouldn't|will not|won't)\s+(?:immediately\s+)?"
                              r"(?:to\s+)?(?:comment|confirm|deny|say|discuss)\b")),
    ("no-comment", re.compile(r"\b(?:did not|didn't|could not|couldn't)\s+(?:immediately\s+)?"
                              r"(?:comment|confirm|deny|respond)\b")),
    ("denial", re.compile(r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed|dismisses)\b")),
    ("confirmation", re.compile(r"\b(?:confirmed|confirms|confirming)\b")),
    ("claim", re.compile(r"\b(?i:according) to\b|\breported\b")),
    ("statement", re.compile(r"\b(?:said|says|told|tells|added|adds|stated|wrote|writes|announced|insisted"
                             r"|argued|explained|warned)\b")),
)
_INVERTING_VERBS = frozenset({"said", "says", "added", "adds", "wrote", "writes"})
_DENIAL_WORDS = re.compile(r"\b(?:untrue|not true|false|fiction|fabricated|fabrication|fake|baseless|groundless"
                           r"|nonsense)\b", re.IGNORECASE)
_NO_COMMENT_WORDS = re.compile(r"\b(?:no comment|(?:do|does|did|will|would|cannot|can't|could) not comment"
                               r"|declined? to comment)\b", re.IGNORECASE)
_VIA = re.compile(r"\b(?:told|tells|interview with|statement to|speaking to|spoke to|comments to|talking to)\s+")
_ACCORDING_OBJECT = re.compile(
    r"\s+(?:(?:a|an|the)\s+)?(?:(?:new|recent|separate|earlier|later)\s+)?"
    r"(?:(?:report|article|story|statement|interview|investigation|analysis)s?\s+(?:in|by|from|with|on|of)\s+)?"
)
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s*")
_CLAUSE_END = re.compile(r"[,.;:!?]")
_LY_ADVERB = re.compile(r"^[a-z]+ly$")

_PRONOUNS = frozenset({"he", "she", "they", "it"})
_PASSIVE = frozenset({"was", "were", "is", "are", "been", "be", "being"})
_ADVERBS = frozenset({"also", "later", "then", "again", "previously", "earlier", "separately", "repeatedly",
                      "reportedly", "once", "first", "still"})
_VIA_STOPS = words(
    "that on in at last this next during about when before after yesterday today while as and but by for with "
    "since over"
)


@dataclass(frozen=True)
class Attribution:
    """Who a sentence says spoke, and how. `subject`: 'named', 'pronoun' ("he told…") or 'unnamed'."""

    subject: str
    kind: str = "statement"
    speaker: str | None = None
    role: str | None = None
    via: str | None = None
    said: str | None = None
    about: str | None = None
    quotes: tuple[str, ...] = ()
    paraphrase: str = ""
    cue: tuple[str, ...] = ()


def analyse_sentence(sentence: str, dates: DateResolver | None = None) -> Attribution | None:
    """The attribution a sentence makes, or None when it reports no speech."""
    hidden = masked(sentence)
    unnamed = False
    for kind, verb in _verb_matches(hidden)[:MAX_VERBS]:
        before = hidden[: verb.start()]
        if _is_passive(before):
            continue
        if verb.group().lower().startswith("according"):
            found = _according_to(sentence, hidden, verb)
            if found is None:
                unnamed = True
                continue
            speaker, role, paraphrase, end = found
            return _complete(Attribution("named", kind, speaker, role, paraphrase=paraphrase,
                                         cue=(verb.group(),)), sentence, hidden, end, -1, dates or DateResolver())
        subject, speaker, role = _subject(before, hidden, verb)
        if subject == "unnamed":
            unnamed = True
            continue
        return _complete(Attribution(subject, kind, speaker, role, paraphrase=sentence.strip(), cue=(verb.group(),)),
                         sentence, hidden, verb.end(), verb.start(), dates or DateResolver())
    return Attribution("unnamed") if unnamed else None


def _verb_matches(hidden: str) -> list[tuple[str, re.Match[str]]]:
    found = sorted(((m.start(), -len(m.group()), kind, m) for kind, pattern in _VERBS
                    for m in pattern.finditer(hidden)), key=lambda item: item[:2])
    matches: list[tuple[str, re.Match[str]]] = []
    end = -1
    for start, _, kind, match in found:
        if start >= end:  # "would not confirm" hides the "confirm" inside it
            matches.append((kind, match))
            end = match.end()
    return matches


def _is_adverb(word: str) -> bool:
    return word in _ADVERBS or _LY_ADVERB.match(word) is not None


def _is_passive(before: str) -> bool:
    """'The Republican was said to…': the last word before the verb, adverbs aside, is a form of 'be'."""
    for word in reversed(before.split()):
        if word.lower() not in _ADVERBS and not _LY_ADVERB.match(word):
            return word.lower() in _PASSIVE
    return False


def _subject(before: str, hidden: str, verb: re.Match[str]) -> tuple[str, str | None, str | None]:
    """('named', speaker, role), ('pronoun', None, None) or ('unnamed', None, None) for a verb."""
    tokens = before.split()
    while tokens and _is_adverb(tokens[-1]):
        tokens.pop()
    if tokens and tokens[-1].lower() in _PRONOUNS:
        return "pronoun", None, None
    appositive = bool(tokens) and tokens[-1].endswith(",") and not tokens[-1].startswith(MASK)
    if appositive:
        tokens[-1] = tokens[-1][:-1]
    name, rest = name_at_end(tokens)
    if name:
        title_role, name = split_title(name)
        if appositive and rest and rest[-1].endswith(","):
            role = role_at_end([*rest[:-1], rest[-1][:-1]])
        else:
            role = None if appositive else role_at_end(rest, title_role)
        return "named", " ".join(name), role if role else (" ".join(title_role) or None)
    if appositive and "," in " ".join(tokens):  # "Steven Cheung, Trump's spokesman, said"
        head, _, tail = " ".join(tokens).rpartition(", ")
        name, rest = name_at_end(head.split())
        role = role_at_end(tail.split())
        if name and role:
            return "named", " ".join(split_title(name)[1]), role
    if verb.group() in _INVERTING_VERBS and before.rstrip(" ,").endswith(MASK):  # "“…,” said Peskov."
        clause = _CLAUSE_END.split(hidden[verb.end():], maxsplit=1)[0].split()
        name, rest = name_at_end(clause)
        if name and len(rest) <= 6:
            title_role, name = split_title(name)
            return "named", " ".join(name), role_at_end(rest, title_role) or (" ".join(title_role) or None)
    return "unnamed", None, None


def _according_to(sentence: str, hidden: str,
                  verb: re.Match[str]) -> tuple[str, str | None, str, int] | None:
    """'According to a report in The Washington Post, X.' → (speaker, role, 'X.', end of the phrase)."""
    lead = _ACCORDING_OBJECT.match(hidden, verb.end())
    start = lead.end() if lead else verb.end()
    words: list[str] = []
    end = start
    for match in _WORD.finditer(hidden, start):
        word = match.group()
        bare = word.rstrip(",.;:")
        if not (is_name_word(bare) or (bare in CONNECTORS and words)):
            break
        words.append(bare)
        end = match.start() + len(bare)
        if bare != word:
            break
    while words and words[-1] in CONNECTORS:
        words.pop()
    if not words or (len(words) == 1 and words[0] in UNNAMED_SUBJECTS):
        return None
    title_role, name = split_title(words)
    rest = (sentence[: verb.start()].rstrip(" ,") + " " + sentence[end:].lstrip(" ,")).strip()
    if rest[-1:] in (".", "!", "?"):
        rest = rest[:-1].rstrip() + rest[-1]  # no space before the full stop the phrase's removal left
    paraphrase = rest[:1].upper() + rest[1:] if rest else sentence.strip()
    return " ".join(name), " ".join(title_role) or None, paraphrase, end


def _complete(found: Attribution, sentence: str, hidden: str, verb_end: int, lead_end: int,
              dates: DateResolver) -> Attribution:
    """Add via, dates, quotations and the kind the words suggest to a sentence's attribution."""
    via, via_end = _via(hidden)
    said = about = None
    right_after = {_skip_space(hidden, verb_end), _skip_space(hidden, via_end if via_end is not None else -1)}
    for match in _TIME.finditer(hidden):
        phrase = match.group()
        attached = match.start() in right_after
        attached = attached or (found.kind != "claim" and match.end() <= lead_end)  # "On Monday, Peskov said"
        if attached and said is None and not points_forward(phrase, dates):
            said = phrase
        elif about is None:
            about = phrase
    kind, cue = found.kind, found.cue
    if kind == "statement":
        if words := _DENIAL_WORDS.search(sentence):
            kind, cue = "denial", (*cue, words.group())
        elif words := _NO_COMMENT_WORDS.search(sentence):
            kind, cue = "no-comment", (*cue, words.group())
    return replace(found, kind=kind, cue=cue, via=via, said=said, about=about, quotes=tuple(quotes_of(sentence)))


def points_forward(phrase: str, dates: DateResolver) -> bool:
    """True for a phrase that means a later day whatever day it is said on ('next Tuesday', 'tomorrow').

    Such a phrase cannot say when something was said, so it is what was spoken about.
    """
    try:
        return all(dates.resolve(phrase, probe).value > probe for probe in ABSOLUTE_PROBES)
    except DateError:
        return False


def _skip_space(text: str, index: int) -> int:
    """Where the next word after `index` starts; -2 (nowhere) for no index."""
    if index < 0:
        return -2
    return _SPACES.match(text, index).end()  # type: ignore[union-attr]  # \s* always matches


def _via(hidden: str) -> tuple[str | None, int | None]:
    """Who relayed the words: 'told Russian news agency Interfax' → 'Interfax' (the name ending the phrase)."""
    match = _VIA.search(hidden)
    if not match:
        return None, None
    words: list[tuple[str, int]] = []
    for token in _WORD.finditer(hidden, match.end()):
        word = token.group()
        bare = word.rstrip(",.;:!?")
        if not bare or bare.lower() in _VIA_STOPS or bare in NOT_NAMES or MASK in bare:
            break
        words.append((bare, token.start() + len(bare)))
        if bare != word:
            break
    name, _ = name_at_end([w for w, _ in words])
    if not name:
        return None, None
    return " ".join(name), words[-1][1]
