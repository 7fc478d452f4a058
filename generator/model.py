"""The data that moves between stages: frozen dataclasses, nothing mutable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .problems import SourceLocation
from .vocab.kinds import Kind, Status

if TYPE_CHECKING:
    from .config import Config



class Precision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class FuzzyDate:
    """A date as precise as its source: the first day of its period, and the words used.

    `value` is the first day of the period (weeks start on Monday). `moment` is set
    only for ISO date-times, which keep their time and offset. `part` is "early",
    "mid" or "late" for phrases such as "early November" (month precision).
    """

    value: dt.date
    precision: Precision
    phrase: str
    approximate: bool = False
    moment: dt.datetime | None = None
    part: str | None = None
    # Which resolver read the phrase ("iso", "grammar", "dateparser"), for `check --verbose`; not part of the date.
    resolver: str = field(default="iso", compare=False, repr=False)

    def iso(self) -> str:
        """The ISO form of `value` (the first day of the period)."""
        return self.value.isoformat()


@dataclass(frozen=True)
class Verdict:
    """One step of the site's verdict scale (site.toml [verdicts]): 'mostly-false', 'Mostly false', 2."""

    name: str
    label: str
    value: int | None = None  # 1 (worst) to 5 (best); None for a verdict off the scale, such as 'unproven'


class FrozenDict(dict):
    """A dict that refuses changes; unlike MappingProxyType it can be pickled (for the cache)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("FrozenDict cannot be changed")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (FrozenDict, (dict(self),))


def frozen_mapping(items: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only copy of `items`."""
    return FrozenDict(items or {})


@dataclass(frozen=True)
class Statement:
    """One statement reported by an article.

    Parsing fills everything up to `location`; linking (`timeline.link_site`) fills
    `speaker`, `answered_by` and `status`, and adds the site-wide timelines.
    """

    id: str
    kind: Kind
    by: str  # the name as written in the block
    role: str | None
    said: FuzzyDate
    about: FuzzyDate | None
    answers: tuple[str, ...]
    via: str | None
    source: str | None
    timelines: tuple[str, ...]  # the article's timelines and the block's own
    tags: tuple[str, ...]
    quote: bool  # the text is a blockquote: a direct quotation
    text: str  # plain text, quotation marks and Markdown removed
    html: str  # the text as safe HTML
    article: str  # the article's slug
    index: int  # 1-based position in its article
    location: SourceLocation
    speaker: str = ""  # speaker slug, set by linking
    answered_by: tuple[str, ...] = ()
    status: Status = Status.UNANSWERED
    verdict: str | None = None  # the site's own verdict: a name from the config's scale
    verdict_note: str | None = None  # why, in a sentence
    lang: str | None = None  # BCP 47: the language of the quotation (or paraphrase), when given
    translation: str | None = None  # plain text of the translation of a quotation
    translation_html: str | None = None  # the translation as safe HTML
    translated_by: str | None = None

    def linked(self, speaker: str, role: str | None, answered_by: tuple[str, ...], status: Status) -> Statement:
        """This statement as linking completes it: its speaker's slug and role, its answers, its status.

        Equal to `dataclasses.replace(self, speaker=…, role=…, answered_by=…, status=…)` (a test checks
        it), without running `__init__` again: a frozen dataclass's `__init__` sets each of the 26
        fields through `object.__setattr__`, and linking copies every statement (50,000 on a
        10,000-article site), measured 0.7 s that way against 0.08 s this way. So `Statement` keeps
        no `__post_init__` and no field computed from others: this copy would skip them.
        """
        copy = object.__new__(Statement)
        copy.__dict__.update(self.__dict__, speaker=speaker, role=role, answered_by=answered_by, status=status)
        return copy


@dataclass(frozen=True)
class Article:
    """An article: its front-matter, its body and the statements it reports.

    `body` interleaves HTML fragments (str) and statement ids: the statement blocks
    stand where they stood in the Markdown, as ("statement", id) pairs.
    """

    path: str  # relative to the site, e.g. content/articles/2024-11-11-kremlin.md
    slug: str
    title: str
    date: FuzzyDate
    timelines: tuple[str, ...]
    tags: tuple[str, ...]
    source: str | None
    summary: str  # plain text
    draft: bool
    body: tuple[str | tuple[str, str], ...]
    statements: tuple[Statement, ...]
    extra: Mapping[str, Any] = field(default_factory=frozen_mapping)
    location: SourceLocation = SourceLocation("", 1, 1)
    broken_ids: tuple[str, ...] = ()  # ids of blocks with errors, so answers to them are not "unknown"
    lang: str | None = None  # BCP 47: the article's language, when its front-matter gives one
    translation_of: str | None = None  # the slug of the article this one translates
    translation_of_at: SourceLocation | None = None  # where 'translation_of' is written, for problems


@dataclass(frozen=True)
class Speaker:
    slug: str
    name: str
    role: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str | None = None  # person, organization, outlet
    url: str | None = None
    bio_html: str = ""
    implicit: bool = False  # no file in content/speakers/
    path: str | None = None


@dataclass(frozen=True)
class Timeline:
    slug: str
    title: str
    intro_html: str = ""
    statements: tuple[str, ...] = ()  # ids, ordered by `said`
    implicit: bool = False  # no file in content/timelines/
    path: str | None = None
    titles: tuple[tuple[str, str], ...] = ()  # (language code, title): its title on a multilingual site's editions


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    articles: tuple[str, ...] = ()  # article slugs, newest first


@dataclass(frozen=True)
class Site:
    """The whole checked, linked site: everything the renderer needs."""

    config: Config
    articles: Mapping[str, Article]  # by slug, newest first
    statements: Mapping[str, Statement]  # by id, in timeline order (by `said`)
    speakers: Mapping[str, Speaker]  # by slug, sorted by name
    timelines: Mapping[str, Timeline]  # by slug, sorted by title
    tags: Mapping[str, Tag]  # by slug


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: its path under the output folder and its bytes."""

    path: str  # e.g. "timelines/trump-putin-call/index.html"
    content: bytes
