"""`counterpoint import`: a raw text article → a draft article with suggested statement blocks.

The raw format (the seed's): a first line `date YYYY-MM-DD` followed by the first
paragraph's text, then paragraphs separated by blank lines, perhaps ending in a source
note such as "(The Washington Post)". Suggestions come from a few plain heuristics,
described in docs/import.md; an editor reviews every one before the draft is published.

Reading, analysing and writing the Markdown are pure functions; only `import_files` and
the two functions after it touch the disk.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .config import CONFIG_FILE, load_config
from .load.blocks import RawBlock, split_blocks
from .load.content import decode, find_content, slug_from_filename, split_source
from .load.dates import DateError, DateResolver
from .problems import Problem, SourceLocation, error, format_text, sorted_problems
from .scaffold import ARTICLES
from .scaffold import SLUG_MAX as NAME_MAX
from .vocab.slugs import SLUG_RULE, is_slug, slugify
from .vocab.yaml_words import reads_as_itself


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLE_MAX = 80
SLUG_MAX = 60
ANSWERING_KINDS = ("denial", "confirmation", "no-comment")

_DATE_LINE = re.compile(r"^\s*date\b:?[ \t]*(\S*)[ \t]*(.*)$", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SOURCE_NOTE = re.compile(r"\s*\((?P<note>[A-Z][^()]{0,80})\)\s*$")
_QUOTE_MARKS = "\"“”"
_MASK = "\ue000"  # stands in for quoted text, so that words inside quotes are never read as attribution

_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TIME = re.compile(
    rf"\b(?:(?i:on|last|this|next) )?(?:{_WEEKDAYS})\b"
    r"|\b(?:yesterday|today|tomorrow)\b"
    r"|\b(?:last|this|next) (?:week|month|year)\b"
    rf"|\bon \d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?\b"
    rf"|\bon (?:{_MONTHS}) \d{{1,2}}(?:, \d{{4}})?\b"
    rf"|\bin (?:{_MONTHS})(?: \d{{4}})?\b"
)
_FORWARD = re.compile(r"^(?:next|tomorrow)\b")

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

_NAME_WORD = re.compile(r"^[^\W\d_][\w’'.&-]*$")  # letters first; _is_name_word also wants a capital
_CONNECTORS = frozenset({"of", "de", "van", "von", "der", "al", "la", "le", "du", "bin"})
_PRONOUNS = frozenset({"he", "she", "they", "it"})
_PASSIVE = frozenset({"was", "were", "is", "are", "been", "be", "being"})
_ADVERBS = frozenset({"also", "later", "then", "again", "previously", "earlier", "separately", "repeatedly",
                      "reportedly", "once", "first", "still"})
# Capitalised words that start a sentence or a clause but are not part of a name.
_NOT_NAMES = _words(
    "On In At But And Or So Yet However Meanwhile Also Later Earlier Then Still Separately Asked According "
    "When While After Before If As Since During For From By With Without Under Over Last This Next "
    + _WEEKDAYS.replace("|", " ") + " " + _MONTHS.replace("|", " ")
)

# A name made only of one of these is a common noun at the start of a sentence.
_UNNAMED_SUBJECTS = _words(
    "Officials Sources Witnesses Analysts Experts Critics Residents Police Observers Others Some Many People "
    "Diplomats Aides Reports It This That There We I You They He She Who"
)
_TITLES = _words(
    "president president-elect vice prime minister premier chancellor secretary senator sen. rep. representative "
    "governor gov. mayor speaker spokesman spokeswoman spokesperson director chief executive officer ambassador "
    "general gen. judge justice king queen prince pope chairman chairwoman chair ceo adviser advisor aide official "
    "envoy commander leader head editor correspondent analyst lawyer attorney manager founder"
)
_ROLE_STOPS = _words(
    "the a an and or but in on at to for with by from as that who which while when after before said told "
    "according his her their its our is was were are has have had of"
)
_VIA_STOPS = _words(
    "that on in at last this next during about when before after yesterday today while as and but by for with "
    "since over"
)
_ABBREVIATIONS = _words(
    "mr mrs ms dr st sen rep gov gen lt col sgt capt prof jr sr inc ltd co corp vs no jan feb mar apr jun jul aug "
    "sep sept oct nov dec"
)
_HEADLINE_TAIL = _words("a an the and or but of to in on at for with by from between about as")


# ---------------------------------------------------------------------------
# The raw file


@dataclass(frozen=True)
class RawParagraph:
    """One paragraph of a raw article: its lines as written, and the line it starts on."""

    lines: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        """The paragraph on one line, for analysis."""
        return " ".join(self.lines)


@dataclass(frozen=True)
class RawArticle:
    """A raw text article: its date and paragraphs."""

    date: dt.date
    paragraphs: tuple[RawParagraph, ...]


def read_raw(label: str, text: str) -> tuple[RawArticle | None, list[Problem]]:
    """Raw text → RawArticle, or the problem that says why it is not in the format."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return None, [error(SourceLocation(label), "file is empty")]
    number = start + 1
    match = _DATE_LINE.match(lines[start])
    if not match:
        return None, [error(SourceLocation(label, number), "not a raw article: the first line must be "
                            "'date YYYY-MM-DD' followed by the text", "e.g. 'date 2024-11-11 The Kremlin denied…'")]
    value = match.group(1)
    column = match.start(1) + 1
    day = _iso_day(value)
    if day is None:
        shown = f"'{value}'" if value else "nothing"
        return None, [error(SourceLocation(label, number, column), f"the date must be YYYY-MM-DD, not {shown}",
                            "e.g. 'date 2024-11-11'")]
    body = [match.group(2), *lines[start + 1:]]
    paragraphs: list[RawParagraph] = []
    current: list[str] = []
    first = number
    for offset, line in enumerate(body):
        if line.strip():
            if not current:
                first = number + offset
            current.append(line.strip())
        elif current:
            paragraphs.append(RawParagraph(tuple(current), first))
            current = []
    if current:
        paragraphs.append(RawParagraph(tuple(current), first))
    if not paragraphs:
        return None, [error(SourceLocation(label, number), "the article has a date but no text")]
    return RawArticle(day, tuple(paragraphs)), []


def _iso_day(value: str) -> dt.date | None:
    if not _ISO_DAY.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def source_note(text: str) -> tuple[str, str | None]:
    """Split a trailing source note off a paragraph: 'Text. (The Washington Post)' → ('Text.', 'The …')."""
    match = _SOURCE_NOTE.search(text)
    if not match or len(match.group("note").split()) > 8:
        return text, None
    return text[: match.start()], match.group("note").strip()


# ---------------------------------------------------------------------------
# Sentences and quotations


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included; straight and curly marks pair in order."""
    marks = [i for i, c in enumerate(text) if c in _QUOTE_MARKS]
    return [(marks[i], marks[i + 1] + 1) for i in range(0, len(marks) - 1, 2)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, never splitting inside a quotation or after an abbreviation."""
    spans = quote_spans(text)
    inside = set()
    for start, end in spans:
        inside.update(range(start, end - 1))
    closing = {end - 1 for _, end in spans}
    sentences: list[str] = []
    begin = 0
    for index, char in enumerate(text):
        if index in inside:
            continue
        ends_quote = index in closing and index > 0 and text[index - 1] in ".!?"
        if not (char in ".!?" and index not in closing) and not ends_quote:
            continue
        following = text[index + 1: index + 3]
        if len(following) < 2 or not following[0].isspace() or not (following[1].isupper() or
                                                                     following[1] in _QUOTE_MARKS):
            continue
        if char == "." and _is_abbreviation(text[begin:index]):
            continue
        sentences.append(text[begin: index + 1].strip())
        begin = index + 1
    if text[begin:].strip():
        sentences.append(text[begin:].strip())
    return sentences


def _is_abbreviation(before: str) -> bool:
    words = before.split()
    word = words[-1].lower().strip("(\"“") if words else ""
    return len(word) == 1 or word in _ABBREVIATIONS or "." in word  # "U.S."


def _quotes_of(text: str) -> list[str]:
    """The quoted words of a sentence, tidied: a trailing comma becomes a full stop."""
    quotes = []
    for start, end in quote_spans(text):
        words = " ".join(text[start + 1: end - 1].split())
        words = re.sub(r"[,;:]$", ".", words)
        if any(c.isalnum() for c in words):
            quotes.append(words)
    return quotes


def _masked(text: str) -> str:
    chars = list(text)
    for start, end in quote_spans(text):
        chars[start:end] = _MASK * (end - start)
    return "".join(chars)


# ---------------------------------------------------------------------------
# One sentence


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


def analyse_sentence(sentence: str) -> Attribution | None:
    """The attribution a sentence makes, or None when it reports no speech."""
    masked = _masked(sentence)
    unnamed = False
    for kind, verb in _verb_matches(masked):
        before = masked[: verb.start()]
        if _is_passive(before):
            continue
        if verb.group().lower().startswith("according"):
            found = _according_to(sentence, masked, verb)
            if found is None:
                unnamed = True
                continue
            speaker, role, paraphrase, end = found
            return _complete(Attribution("named", kind, speaker, role, paraphrase=paraphrase,
                                         cue=(verb.group(),)), sentence, masked, end, -1)
        subject, speaker, role = _subject(before, masked, verb)
        if subject == "unnamed":
            unnamed = True
            continue
        return _complete(Attribution(subject, kind, speaker, role, paraphrase=sentence.strip(),
                                     cue=(verb.group(),)), sentence, masked, verb.end(), verb.start())
    return Attribution("unnamed") if unnamed else None


def is_quotation_only(sentence: str) -> bool:
    """True when a sentence is nothing but quoted words (it continues the last speaker)."""
    return bool(quote_spans(sentence)) and not any(c.isalnum() for c in _masked(sentence))


def _verb_matches(masked: str) -> list[tuple[str, re.Match[str]]]:
    found = sorted(((m.start(), -len(m.group()), kind, m) for kind, pattern in _VERBS
                    for m in pattern.finditer(masked)), key=lambda item: item[:2])
    matches: list[tuple[str, re.Match[str]]] = []
    end = -1
    for start, _, kind, match in found:
        if start >= end:  # "would not confirm" hides the "confirm" inside it
            matches.append((kind, match))
            end = match.end()
    return matches


def _is_passive(before: str) -> bool:
    words = [w for w in before.split() if w.lower() not in _ADVERBS and not re.match(r"^[a-z]+ly$", w)]
    return bool(words) and words[-1].lower() in _PASSIVE


def _subject(before: str, masked: str, verb: re.Match[str]) -> tuple[str, str | None, str | None]:
    """('named', speaker, role), ('pronoun', None, None) or ('unnamed', None, None) for a verb."""
    tokens = before.split()
    while tokens and (tokens[-1] in _ADVERBS or re.match(r"^[a-z]+ly$", tokens[-1])):
        tokens.pop()
    if tokens and tokens[-1].lower() in _PRONOUNS:
        return "pronoun", None, None
    appositive = bool(tokens) and tokens[-1].endswith(",") and not tokens[-1].startswith(_MASK)
    if appositive:
        tokens[-1] = tokens[-1][:-1]
    name, rest = _name_at_end(tokens)
    if name:
        title_role, name = _split_title(name)
        if appositive and rest and rest[-1].endswith(","):
            role = _role_at_end([*rest[:-1], rest[-1][:-1]])
        else:
            role = None if appositive else _role_at_end(rest, title_role)
        return "named", " ".join(name), role if role else (" ".join(title_role) or None)
    if appositive and "," in " ".join(tokens):  # "Steven Cheung, Trump's spokesman, said"
        head, _, tail = " ".join(tokens).rpartition(", ")
        name, rest = _name_at_end(head.split())
        role = _role_at_end(tail.split())
        if name and role:
            return "named", " ".join(_split_title(name)[1]), role
    if verb.group() in _INVERTING_VERBS and before.rstrip(" ,").endswith(_MASK):  # "“…,” said Peskov."
        clause = re.split(r"[,.;:!?]", masked[verb.end():], maxsplit=1)[0].split()
        name, rest = _name_at_end(clause)
        if name and len(rest) <= 6:
            title_role, name = _split_title(name)
            return "named", " ".join(name), _role_at_end(rest, title_role) or (" ".join(title_role) or None)
    return "unnamed", None, None


def _name_at_end(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The capitalised run of words that ends `tokens`, and the words before it."""
    index = len(tokens)
    while index > 0:
        token = tokens[index - 1]
        if _is_name_word(token) or (token in _CONNECTORS and 1 < index < len(tokens)
                                    and _is_name_word(tokens[index - 2])):
            index -= 1
        else:
            break
    name = tokens[index:]
    cut = max((i + 1 for i, word in enumerate(name) if word in _NOT_NAMES), default=0)
    while cut < len(name) and name[cut] in _CONNECTORS:
        cut += 1
    rest, name = tokens[: index + cut], name[cut:]
    if len(name) == 1 and name[0] in _UNNAMED_SUBJECTS:
        return [], tokens
    return name, rest


def _is_name_word(token: str) -> bool:
    """'Peskov', 'U.S.', 'Élysée', 'O’Brien': a word that starts with a capital letter."""
    return token[:1].isupper() and bool(_NAME_WORD.match(token))


def _split_title(name: list[str]) -> tuple[list[str], list[str]]:
    """'Russian President Vladimir Putin' → (['Russian', 'President'], ['Vladimir', 'Putin'])."""
    titles = [i for i, word in enumerate(name[:-1]) if word.lower() in _TITLES]
    if not titles:
        return [], name
    return name[: titles[-1] + 1], name[titles[-1] + 1:]


def _role_at_end(tokens: list[str], title: Sequence[str] = ()) -> str | None:
    """The title words just before a name ('Kremlin spokesman'), if they end in a title noun."""
    words: list[str] = []
    for token in reversed(tokens):
        if token.lower() in _ROLE_STOPS or not token[-1:].isalnum() or _MASK in token or len(words) == 6:
            break
        words.insert(0, token)
    words += title
    if not words or _possessive_free(words[-1]).lower() not in _TITLES:
        return None
    return " ".join(words)


def _possessive_free(word: str) -> str:
    return re.sub(r"[’']s$", "", word)


def _according_to(sentence: str, masked: str,
                  verb: re.Match[str]) -> tuple[str, str | None, str, int] | None:
    """'According to a report in The Washington Post, X.' → (speaker, role, 'X.', end of the phrase)."""
    lead = _ACCORDING_OBJECT.match(masked, verb.end())
    start = lead.end() if lead else verb.end()
    words: list[str] = []
    end = start
    for match in re.finditer(r"\S+", masked[start:]):
        word = match.group()
        bare = word.rstrip(",.;:")
        if not (_is_name_word(bare) or (bare in _CONNECTORS and words)):
            break
        words.append(bare)
        end = start + match.start() + len(bare)
        if bare != word:
            break
    while words and words[-1] in _CONNECTORS:
        words.pop()
    if not words or (len(words) == 1 and words[0] in _UNNAMED_SUBJECTS):
        return None
    title_role, name = _split_title(words)
    rest = (sentence[: verb.start()].rstrip(" ,") + " " + sentence[end:].lstrip(" ,")).strip()
    rest = re.sub(r"\s+([.!?])$", r"\1", rest)
    paraphrase = rest[:1].upper() + rest[1:] if rest else sentence.strip()
    return " ".join(name), " ".join(title_role) or None, paraphrase, end


def _complete(found: Attribution, sentence: str, masked: str, verb_end: int, lead_end: int) -> Attribution:
    """Add via, dates, quotations and the kind the words suggest to a sentence's attribution."""
    via, via_end = _via(masked)
    said = about = None
    for match in _TIME.finditer(masked):
        phrase = match.group()
        attached = match.start() in (_skip_space(masked, verb_end), _skip_space(masked, via_end or -1))
        attached = attached or (found.kind != "claim" and match.end() <= lead_end)  # "On Monday, Peskov said"
        if attached and said is None and not _FORWARD.match(phrase):
            said = phrase
        elif about is None:
            about = phrase
    kind, cue = found.kind, found.cue
    if kind == "statement":
        if words := _DENIAL_WORDS.search(sentence):
            kind, cue = "denial", (*cue, words.group())
        elif words := _NO_COMMENT_WORDS.search(sentence):
            kind, cue = "no-comment", (*cue, words.group())
    return replace(found, kind=kind, cue=cue, via=via, said=said, about=about, quotes=tuple(_quotes_of(sentence)))


def _skip_space(text: str, index: int) -> int:
    if index < 0:
        return -2
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _via(masked: str) -> tuple[str | None, int | None]:
    """Who relayed the words: 'told Russian news agency Interfax' → 'Interfax' (the name ending the phrase)."""
    match = _VIA.search(masked)
    if not match:
        return None, None
    words: list[tuple[str, int]] = []
    for token in re.finditer(r"\S+", masked[match.end():]):
        word = token.group()
        bare = word.rstrip(",.;:!?")
        if not bare or bare.lower() in _VIA_STOPS or bare in _NOT_NAMES or _MASK in bare:
            break
        words.append((bare, match.end() + token.start() + len(bare)))
        if bare != word:
            break
    name, _ = _name_at_end([w for w, _ in words])
    if not name:
        return None, None
    return " ".join(name), words[-1][1]


# ---------------------------------------------------------------------------
# A whole article


@dataclass
class _Draft:
    """A suggestion being assembled from one or more sentences (internal, mutable)."""

    found: Attribution
    paragraph: int
    quotes: list[str] = field(default_factory=list)

    def add_quotes(self, quotes: Iterable[str]) -> None:
        for quote in quotes:
            key = _quote_key(quote)
            if any(key in _quote_key(q) for q in self.quotes):
                continue
            self.quotes = [q for q in self.quotes if _quote_key(q) not in key] + [quote]

    def merge(self, more: Attribution) -> None:
        """A later sentence by the same speaker ("he told…") adds what the first lacked."""
        kind = self.found.kind
        if kind == "statement" and more.kind in ANSWERING_KINDS:
            kind = more.kind
        self.found = replace(self.found, kind=kind, via=self.found.via or more.via,
                             said=self.found.said or more.said, about=self.found.about or more.about,
                             cue=(*self.found.cue, *(c for c in more.cue if c not in self.found.cue)))
        self.add_quotes(more.quotes)


def _quote_key(quote: str) -> str:
    return re.sub(r"\W+", " ", quote.lower()).strip()


@dataclass(frozen=True)
class Suggestion:
    """A suggested statement block, placed after paragraph `paragraph` (0-based)."""

    id: str
    kind: str
    by: str
    paragraph: int
    role: str | None = None
    said: str | None = None
    about: str | None = None
    answers: str | None = None
    via: str | None = None
    quotes: tuple[str, ...] = ()
    paraphrase: str = ""
    cue: tuple[str, ...] = ()
    guessed: str | None = None  # the kind the words suggest, when it could not be used (nothing to answer)


def suggest(paragraphs: Sequence[str], date: dt.date, taken_ids: Iterable[str] = (),
            dates: DateResolver | None = None) -> list[Suggestion]:
    """Suggested statement blocks for an article's paragraphs (source notes already removed)."""
    texts = list(paragraphs)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for index, text in enumerate(texts):
        if current is not None and current.paragraph < index - 1:
            current = None  # "he said" continues a speaker only from the paragraph just before
        for sentence in split_sentences(text):
            found = analyse_sentence(sentence)
            if found is None:
                if current is not None and is_quotation_only(sentence):
                    current.add_quotes(_quotes_of(sentence))
                    current.paragraph = index
                continue
            if found.subject == "unnamed":
                current = None
            elif found.subject == "pronoun":
                if current is not None:
                    current.merge(found)
                    current.paragraph = index
            else:
                current = _Draft(replace(found, speaker=_full_name(found.speaker or "", texts)), index)
                current.add_quotes(found.quotes)
                drafts.append(current)
    return _finish(drafts, date, set(taken_ids), dates or DateResolver())


def _full_name(name: str, texts: Sequence[str]) -> str:
    """'Trump' → 'Donald Trump' when the text names him in full somewhere."""
    if " " in name:
        return name
    for match in re.finditer(rf"\b([A-Z][\w’'-]+) {re.escape(name)}\b", " ".join(texts)):
        first = match.group(1)
        if first not in _NOT_NAMES and first.lower() not in _TITLES and first != "The" and "-" not in first:
            return f"{first} {name}"
    return name


def _finish(drafts: list[_Draft], date: dt.date, taken: set[str], dates: DateResolver) -> list[Suggestion]:
    """Choose kinds, answers and unique ids; keep only dates the generator resolves."""
    suggestions: list[Suggestion] = []
    claims: list[tuple[str, str]] = []  # (id, speaker) of each claim so far
    for draft in drafts:
        found = draft.found
        speaker = found.speaker or ""
        kind, answers, guessed = found.kind, None, None
        if kind in ANSWERING_KINDS:
            answers = next((cid for cid, by in reversed(claims) if by != speaker), None)
            if answers is None:
                kind, guessed = "statement", kind
        statement_id = _unique(f"{slugify(speaker, NAME_MAX) or 'statement'}-{kind}", taken)
        if kind == "claim":
            claims.append((statement_id, speaker))
        said, about = _checked_dates(found.said, found.about, date, dates)
        suggestions.append(Suggestion(
            id=statement_id, kind=kind, by=speaker, paragraph=draft.paragraph, role=found.role, said=said,
            about=about, answers=answers, via=found.via, quotes=tuple(draft.quotes), paraphrase=found.paraphrase,
            cue=found.cue, guessed=guessed,
        ))
    return suggestions


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _checked_dates(said: str | None, about: str | None, date: dt.date,
                   dates: DateResolver) -> tuple[str | None, str | None]:
    """Drop a phrase the generator could not resolve, or a `said` later than the article."""
    base = date
    if said is not None:
        try:
            resolved = dates.resolve(said, date)
        except DateError:
            said = None
        else:
            if resolved.value > date:
                said = None
            else:
                base = resolved.value
    if about is not None:
        try:
            dates.resolve(about, base)
        except DateError:
            about = None
    return said, about


# ---------------------------------------------------------------------------
# The draft article's text


def headline(sentence: str, limit: int = TITLE_MAX) -> str:
    """A title from a first sentence: without its full stop, cut at a word (not inside a name) if too long."""
    text = " ".join(sentence.split()).rstrip(".!?;:, ")
    if len(text) <= limit:
        return text
    words = text.split()
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > limit - 1:
            break
        kept.append(word)
    cut = list(kept)
    while len(cut) > 1 and cut[-1][:1].isupper() and words[len(cut)][:1].isupper():
        cut.pop()  # "… President Vladimir" would split a name
    while len(cut) > 1 and (cut[-1].lower() in _HEADLINE_TAIL or cut[-1].endswith(",")):
        cut.pop()
    if len(cut) < 3:
        cut = kept or [text[: limit - 1]]
    return " ".join(cut).rstrip(",;:") + "…"


def article_slug(title: str) -> str:
    """The slug of an imported article: its title's, at most SLUG_MAX characters, cut at a word."""
    return slugify(title.rstrip("…"), SLUG_MAX) or "imported"


def draft_text(raw: RawArticle, suggestions: Sequence[Suggestion], *, title: str, origin: str,
               timeline: str | None = None, notes: Sequence[str] = ()) -> str:
    """The draft article: front-matter, the paragraphs as written, each followed by its suggestions."""
    lines = [
        "---",
        f"# Imported from {origin} by 'counterpoint import': a draft that needs review.",
        "# The statement blocks are suggestions: check each kind, speaker, role, date and text",
        "# against the original, then remove 'draft: true'.",
    ]
    lines += [f"# The text credits {note}: set 'source:' to the original's URL." for note in notes]
    lines.append(yaml.safe_dump({"title": title}, allow_unicode=True, width=1000, sort_keys=False).rstrip("\n"))
    lines += [f"date: {raw.date.isoformat()}", "draft: true"]
    if timeline:
        lines.append(f"timeline: {timeline}")
    lines += ["tags: []", "---"]
    for index, paragraph in enumerate(raw.paragraphs):
        lines += ["", *(_escape_line(line) for line in paragraph.lines)]
        for suggestion in suggestions:
            if suggestion.paragraph == index:
                lines += ["", *block_lines(suggestion)]
    return "\n".join(lines) + "\n"


def block_lines(suggestion: Suggestion) -> list[str]:
    """A suggestion as a comment saying why, then the `::: kind` block."""
    cue = ", ".join(f'"{c}"' for c in suggestion.cue)
    if suggestion.guessed:
        note = (f"import suggests: {suggestion.guessed} ({cue}), but no earlier claim here for it to answer, "
                f"so it is a statement: add 'answers' (the id it answers) and make it a {suggestion.guessed}")
    else:
        note = f"import suggests: {suggestion.kind} ({cue})"
    lines = [f"<!-- {_comment_safe(note)} -->", "", f"::: {suggestion.kind}", f"id: {suggestion.id}",
             f"by: {_yaml_value(suggestion.by)}"]
    for name in ("role", "said", "about", "answers", "via"):
        value = getattr(suggestion, name)
        if value:
            lines.append(f"{name}: {_yaml_value(value)}")
    lines.append("")
    if suggestion.quotes:
        quoted = [f"> {quote}" for quote in suggestion.quotes]
        lines += [line for pair in zip(quoted, [">"] * len(quoted), strict=True) for line in pair][:-1]
    else:
        lines.append(_escape_line(" ".join(suggestion.paraphrase.split())))
    lines.append(":::")
    return lines


def _yaml_value(value: str) -> str:
    if reads_as_itself(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _escape_line(line: str) -> str:
    """Keep raw text from opening a statement block or fenced code."""
    if line.startswith(":::"):
        return "&#58;" + line[1:]
    if line.startswith("```"):
        return "\\" + line
    if line.startswith("~~~"):
        return "&#126;" + line[1:]
    return line


def _comment_safe(text: str) -> str:
    return text.replace("--", "–").replace(">", "›")


# ---------------------------------------------------------------------------
# The command


def import_files(site_dir: Path, paths: Sequence[Path], *, timeline: str | None = None) -> int:
    """Import raw text files as draft articles, never overwriting; print each created path; the exit status."""
    if not (site_dir / CONFIG_FILE).is_file():
        return _fail(2, f"no {CONFIG_FILE} in {site_dir}: pass the site folder with --site DIR, "
                        "or make a site with 'counterpoint init DIR'")
    if timeline is not None and not is_slug(timeline):
        return _fail(2, f"--timeline must be a slug of {SLUG_RULE}, not {timeline!r}")
    dates = DateResolver(load_config(site_dir).language)
    slugs, ids = existing_slugs_and_ids(site_dir)
    problems: list[Problem] = []
    for path in paths:
        created, found = _import_one(path, site_dir / ARTICLES, slugs, ids, dates, timeline)
        problems.extend(found)
        if created is not None:
            print(created)
    if problems:
        print(format_text(sorted_problems(problems)), file=sys.stderr)
        return 1
    return 0


def _import_one(path: Path, folder: Path, slugs: dict[str, Path], ids: set[str], dates: DateResolver,
                timeline: str | None) -> tuple[Path | None, list[Problem]]:
    """Write one draft; the new file, or the problems. Adds the new slug and ids to `slugs` and `ids`."""
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(SourceLocation(label), f"cannot read the file: {exc.strerror or exc}")]
    text, problems = decode(label, data)
    raw, found = read_raw(label, text) if text is not None else (None, [])
    if raw is None:
        return None, problems + found
    paragraphs, notes = [], []
    for paragraph in raw.paragraphs:
        analysed, note = source_note(paragraph.text)
        paragraphs.append(analysed)
        if note and note not in notes:
            notes.append(note)
    title = headline(next((s for p in paragraphs for s in split_sentences(p)), "") or "Imported article")
    slug = article_slug(title)
    target = folder / f"{raw.date.isoformat()}-{slug}.md"
    exists = error(SourceLocation(label), f"{target} exists already; it was left as it is")
    if target.exists():
        return None, [exists]
    if slug in slugs:
        return None, [error(SourceLocation(label), f"an article with the slug '{slug}' exists already: "
                            f"{slugs[slug]}; it was left as it is")]
    suggestions = suggest(paragraphs, raw.date, ids, dates)
    body = draft_text(raw, suggestions, title=title, origin=_printable(path.name), timeline=timeline, notes=notes)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as file:
            file.write(body)
    except FileExistsError:
        return None, [exists]
    slugs[slug] = target
    ids.update(s.id for s in suggestions)
    return target, []


def existing_slugs_and_ids(site_dir: Path) -> tuple[dict[str, Path], set[str]]:
    """The slugs of the site's articles (→ file) and the ids their statements use, explicit or default."""
    slugs: dict[str, Path] = {}
    ids: set[str] = set()
    for relative in find_content(site_dir).articles:
        path = site_dir / relative
        slug = slug_from_filename(relative)
        slugs.setdefault(slug, path)
        try:
            text, _ = decode(relative, path.read_bytes())
        except OSError:
            continue
        source, _ = split_source(relative, text) if text is not None else (None, [])
        if source is None:
            continue
        declared = source.front_matter.data.get("slug")
        if isinstance(declared, str):
            slug = declared
            slugs.setdefault(slug, path)
        parts, _ = split_blocks(source.body, source.body_line, relative)
        blocks = [part for part in parts if isinstance(part, RawBlock)]
        for index, block in enumerate(blocks, start=1):
            given = next((f.value.strip() for f in block.fields if f.name == "id"), None)
            ids.add(given or f"{slug}-{index}")
    return slugs, ids


def _printable(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)


def _fail(status: int, message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status
