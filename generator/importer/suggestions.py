"""A whole article's sentences → suggested statement blocks: speakers followed across sentences, answers, ids.

Linear in the article: each sentence is analysed once, full names come from one pass over
the text, a suggestion keeps at most MAX_QUOTES quotations, and claims and ids are looked
up in constant time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..load.dates import DateError, DateResolver
from ..vocab.slugs import slugify
from .attribution import Attribution, analyse_sentence
from .names import full_names
from .sentences import is_quotation_only, quotes_of, split_sentences

ANSWERING_KINDS = ("denial", "confirmation", "no-comment")
ID_MAX = 80  # characters of the speaker's part of an id
# A block with more quotations than this is no longer a suggestion an editor can check; and comparing each
# new quotation with those kept (to drop repeats) would cost the square of their number.
MAX_QUOTES = 20
MAX_CUES = 8  # the words a block's comment names as the reason for it ("said", "untrue"…)
_NOT_WORDS = re.compile(r"\W+")


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
    more_quotes: int = 0  # quotations by the same speaker past MAX_QUOTES, left in the text only


@dataclass
class _Draft:
    """A suggestion being assembled from one or more sentences (internal, mutable)."""

    found: Attribution
    paragraph: int
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (comparison key, quotation)
    offered: int = 0
    more_quotes: int = 0

    def add_quotes(self, quotes: Iterable[str]) -> None:
        """Keep new quotations; one already kept (or inside one kept) is a repeat, one that contains a kept one
        replaces it."""
        for quote in quotes:
            self.offered += 1
            if self.offered > MAX_QUOTES:
                self.more_quotes += 1
                continue
            key = _quote_key(quote)
            if any(key in kept for kept, _ in self.quotes):
                continue
            self.quotes = [(kept, q) for kept, q in self.quotes if kept not in key] + [(key, quote)]

    def merge(self, more: Attribution) -> None:
        """A later sentence by the same speaker ("he told…") adds what the first lacked."""
        kind = self.found.kind
        if kind == "statement" and more.kind in ANSWERING_KINDS:
            kind = more.kind
        cue = (*self.found.cue, *(c for c in more.cue if c not in self.found.cue))[:MAX_CUES]
        self.found = replace(self.found, kind=kind, via=self.found.via or more.via,
                             said=self.found.said or more.said, about=self.found.about or more.about, cue=cue)
        self.add_quotes(more.quotes)


def _quote_key(quote: str) -> str:
    """The quotation's words, lowercased, between spaces: ' number 1 ' is in ' number 1 too ', not ' number 10 '."""
    return f" {_NOT_WORDS.sub(' ', quote.lower()).strip()} "


def suggest(paragraphs: Sequence[str], date: dt.date, taken_ids: Iterable[str] = (),
            dates: DateResolver | None = None) -> list[Suggestion]:
    """Suggested statement blocks for an article's paragraphs (source notes already removed)."""
    texts = list(paragraphs)
    dates = dates or DateResolver()
    names = full_names(texts)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for index, text in enumerate(texts):
        if current is not None and current.paragraph < index - 1:
            current = None  # "he said" continues a speaker only from the paragraph just before
        for sentence in split_sentences(text):
            found = analyse_sentence(sentence, dates)
            if found is None:
                if current is not None and is_quotation_only(sentence):
                    current.add_quotes(quotes_of(sentence))
                    current.paragraph = index
                continue
            if found.subject == "unnamed":
                current = None
            elif found.subject == "pronoun":
                if current is not None:
                    current.merge(found)
                    current.paragraph = index
            else:
                speaker = found.speaker or ""
                if " " not in speaker:  # 'Trump' → 'Donald Trump' when the text names him in full somewhere
                    speaker = names.get(speaker, speaker)
                current = _Draft(replace(found, speaker=speaker), index)
                current.add_quotes(found.quotes)
                drafts.append(current)
    return _finish(drafts, date, set(taken_ids), dates)


class _Claims:
    """The claims so far, answering 'the latest claim by someone other than X' in constant time."""

    def __init__(self) -> None:
        self.latest: tuple[str, str] | None = None  # (id, speaker)
        self.latest_by_another: tuple[str, str] | None = None  # the latest whose speaker differs from latest's

    def add(self, statement_id: str, speaker: str) -> None:
        if self.latest is not None and self.latest[1] != speaker:
            self.latest_by_another = self.latest
        self.latest = (statement_id, speaker)

    def latest_not_by(self, speaker: str) -> str | None:
        for claim in (self.latest, self.latest_by_another):
            if claim is not None and claim[1] != speaker:
                return claim[0]
        return None


class _Ids:
    """Unique ids: 'peskov-denial', then 'peskov-denial-2'…, remembering where each count stopped."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.counts: dict[str, int] = {}

    def unique(self, base: str) -> str:
        n = self.counts.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.counts[base] = n
        self.taken.add(candidate)
        return candidate


def _finish(drafts: list[_Draft], date: dt.date, taken: set[str], dates: DateResolver) -> list[Suggestion]:
    """Choose kinds, answers and unique ids; keep only dates the generator resolves."""
    suggestions: list[Suggestion] = []
    claims = _Claims()
    ids = _Ids(taken)
    for draft in drafts:
        found = draft.found
        speaker = found.speaker or ""
        kind, answers, guessed = found.kind, None, None
        if kind in ANSWERING_KINDS:
            answers = claims.latest_not_by(speaker)
            if answers is None:
                kind, guessed = "statement", kind
        statement_id = ids.unique(f"{slugify(speaker, ID_MAX) or 'statement'}-{kind}")
        if kind == "claim":
            claims.add(statement_id, speaker)
        said, about = _checked_dates(found.said, found.about, date, dates)
        suggestions.append(Suggestion(
            id=statement_id, kind=kind, by=speaker, paragraph=draft.paragraph, role=found.role, said=said,
            about=about, answers=answers, via=found.via, quotes=tuple(q for _, q in draft.quotes),
            paraphrase=found.paraphrase, cue=found.cue, guessed=guessed, more_quotes=draft.more_quotes,
        ))
    return suggestions


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
