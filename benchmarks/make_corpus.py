"""Write a seeded benchmark corpus: the same news articles as a Counterpoint, a Pelican and a Hugo site.

    python benchmarks/make_corpus.py --articles 1000 --out /dev/shm/cp-bench/corpus-1000 [--seed 1]

Dependency-free and deterministic: the same arguments give byte-identical trees. Besides the three
sites it writes `manifest.json` (counts, and each article's file in each tree) for the runner.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

BASE_URL = "https://bench.example/"
SITE_TITLE = "Counterpoint benchmark"
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
WEEKDAYS = list(calendar.day_name)
MONTHS = list(calendar.month_name)[1:]
NUMBER_WORDS = ["two", "three", "four", "five"]

ANSWER_KINDS = ("denial", "confirmation", "dispute", "no-comment")
OWN_ANSWER_KINDS = ("correction", "retraction")
# kind → weight; the first block of an article is always a claim or a statement
KIND_WEIGHTS = {
    "claim": 30, "statement": 20, "denial": 15, "confirmation": 10, "dispute": 10,
    "no-comment": 10, "correction": 3, "retraction": 2,
}

# --- vocabulary -------------------------------------------------------------------------------------------

def words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


DETERMINERS = words("the the the a this that every another one their its our")
ADJECTIVES = words(
    "new former senior regional national federal local early late public private provisional annual "
    "disputed official unnamed secret preliminary final interim bilateral economic military diplomatic "
    "financial urgent fragile narrow broad detailed brief lengthy internal external independent joint "
    "quarterly municipal coastal northern southern eastern western rural urban emergency temporary"
)
NOUNS = words(
    "ministry government report agreement budget proposal talks ceasefire council committee election "
    "campaign inquiry investigation spokesman spokeswoman minister delegation parliament court ruling "
    "statement leak document contract tender pipeline harbor railway bridge hospital school union "
    "strike protest march vote coalition opposition mayor governor senator agency regulator company "
    "merger deal audit tribunal summit envoy treaty sanction tariff subsidy fund reform draft bill law "
    "memo letter call meeting briefing interview broadcast poll survey figure estimate forecast deficit "
    "surplus shortage supply shipment border checkpoint crossing port airport network outage policy"
)
VERBS = words(
    "announced rejected confirmed denied approved delayed questioned criticised welcomed proposed "
    "published signed suspended reviewed extended reversed blocked endorsed cited challenged discussed "
    "dismissed acknowledged disclosed revised postponed scrapped backed opposed examined outlined "
    "defended negotiated ordered requested released reported"
)
ADVERBS = words(
    "quietly publicly formally briefly repeatedly reportedly initially eventually abruptly cautiously "
    "firmly openly privately sharply swiftly"
)
PREPOSITIONS = words("in at near across after before during over under against despite for with without")
CONNECTORS = ["and", "but", "while", "although", "as", "after", "because", "even though", "so"]
PLACES = words(
    "Aldermoor Brennick Castlereach Dunmere Eskerby Farrowgate Glenholt Harwick Islington Jarrowfield "
    "Kestrelmouth Larchmont Marrowby Northcombe Ostley Pennford Quarrington Redwater Saltash Thornbury "
    "Ulverby Valemont Westcliff Yarrowdale Zennor"
)
FIRST_NAMES = words(
    "Anna Boris Clara Dmitri Elena Farid Grace Hassan Ines Jonas Kasia Luca Maya Nikolai Olga Pavel "
    "Quinn Rosa Samir Tamara Umar Vera Wiktor Ximena Yusuf Zofia Adrian Beatrix Cyril Dalia Emil Freya "
    "Gideon Hanna Igor Julia Karim Lena Marek Nadia Oskar Petra Rafael Sofia Tomas Ursula Viktor Wanda"
)
LAST_NAMES = words(
    "Abernathy Baranov Castellanos Dimitrov Eriksen Fontaine Gallagher Horvath Ivanova Jansen Kowalski "
    "Lindqvist Marchetti Novak Okafor Petrov Quintero Rasmussen Schneider Takahashi Urquhart Varga "
    "Whitaker Xenakis Yilmaz Zielinski Albrecht Brennan Carvalho Delgado Engel Falk Grimaldi Haddad "
    "Iversen Jovanovic Keller Lombardi Moreau Nakamura O'Neill Pereira Quigley Romano Sokolov Tanaka "
    "Ulrich Vasquez Weber Young Zhou Ahmadi Bianchi Costa Duarte Esposito Ferrari Gruber Hoffmann"
)
ROLES = words(
    "spokesman|spokeswoman|minister of finance|foreign minister|interior minister|mayor|governor|senator|"
    "party leader|press secretary|chief executive|union leader|police chief|health commissioner|"
    "defence analyst|economist|opposition leader|ambassador|prosecutor|central bank governor"
, "|")
ORGANIZATIONS = words(
    "Ministry of Finance|Ministry of Defence|Foreign Ministry|Interior Ministry|Harbor Authority|"
    "Rail Workers Union|Central Bank|Electoral Commission|City Council|Regional Assembly|Energy Regulator|"
    "Health Agency|Supreme Court|Audit Office|Port Operators Association|Farmers Federation|"
    "Chamber of Commerce|Teachers Union|Transport Authority|Statistics Office"
, "|")
OUTLETS = words(
    "The Morning Ledger|The Evening Courier|Northwire|Meridian News Agency|The Harbor Gazette|"
    "Castle Radio|The Daily Standard|Eastgate Broadcasting|The Weekly Observer|Signal TV"
, "|")
ADHOC_LAST_NAMES = ["Ashdown", "Birkett", "Crowther", "Dunstan", "Elsworth"]
AGENCIES = ["Northwire", "Meridian News Agency", "Castle Radio", "Signal TV", "Eastgate Broadcasting"]
TAG_WORDS = words(
    "politics economy diplomacy defence energy health courts elections transport labour trade housing "
    "climate budget security education media agriculture finance migration infrastructure tourism "
    "technology water fisheries policing taxes pensions ports rail"
)


# --- the model --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Speaker:
    slug: str
    name: str
    role: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Timeline:
    slug: str
    title: str


@dataclass
class Block:
    kind: str
    by: str
    text: str
    quote: bool
    id: str | None = None
    role: str | None = None
    said: str | None = None
    about: str | None = None
    answers: list[str] = field(default_factory=list)
    via: str | None = None
    source: str | None = None


@dataclass
class Article:
    index: int
    date: dt.date
    slug: str
    title: str
    tags: list[str]
    timeline: Timeline | None
    # the body: prose paragraphs (str) and statement blocks, in order; always ends with a paragraph
    parts: list[str | Block]

    @property
    def file_stem(self) -> str:
        return f"{self.date.isoformat()}-{self.slug}"


@dataclass
class Pools:
    """Answerable statements seen so far: (id, by), globally and per timeline."""

    everywhere: list[tuple[str, str]] = field(default_factory=list)
    by_timeline: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, timeline: Timeline | None, entry: tuple[str, str]) -> None:
        self.everywhere.append(entry)
        if timeline is not None:
            self.by_timeline.setdefault(timeline.slug, []).append(entry)


# --- prose ------------------------------------------------------------------------------------------------

def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clause(rng: random.Random) -> str:
    """One news-like clause of about 7 to 14 words."""
    pick = rng.choice
    shape = rng.randrange(5)
    if shape == 0:
        return (f"{pick(DETERMINERS)} {pick(ADJECTIVES)} {pick(NOUNS)} {pick(VERBS)} {pick(DETERMINERS)} "
                f"{pick(NOUNS)} {pick(PREPOSITIONS)} {pick(PLACES)}")
    if shape == 1:
        return (f"officials in {pick(PLACES)} {pick(ADVERBS)} {pick(VERBS)} {pick(DETERMINERS)} "
                f"{pick(ADJECTIVES)} {pick(NOUNS)} {pick(PREPOSITIONS)} {pick(DETERMINERS)} {pick(NOUNS)}")
    if shape == 2:
        return (f"{pick(DETERMINERS)} {pick(NOUNS)} of {pick(DETERMINERS)} {pick(ADJECTIVES)} {pick(NOUNS)} "
                f"was {pick(VERBS)} {pick(PREPOSITIONS)} {pick(DETERMINERS)} {pick(NOUNS)}")
    if shape == 3:
        return (f"{rng.randint(2, 98)} percent of {pick(DETERMINERS)} {pick(NOUNS)} {pick(VERBS)} "
                f"{pick(DETERMINERS)} {pick(ADJECTIVES)} {pick(NOUNS)}")
    return (f"{pick(FIRST_NAMES)} {pick(LAST_NAMES)} {pick(ADVERBS)} {pick(VERBS)} {pick(DETERMINERS)} "
            f"{pick(NOUNS)} {pick(PREPOSITIONS)} {pick(DETERMINERS)} {pick(ADJECTIVES)} {pick(NOUNS)}")


AN = re.compile(r"\b([Aa]) (?=[aeiou])")


def sentence(rng: random.Random) -> str:
    text = clause(rng)
    if rng.random() < 0.45:
        text += f", {rng.choice(CONNECTORS)} {clause(rng)}"
    text = AN.sub(r"\1n ", text)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def prose(rng: random.Random, words: int) -> list[str]:
    """Paragraphs adding up to about `words` words."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        text = paragraph(rng)
        paragraphs.append(text)
        count += text.count(" ") + 1
    return paragraphs


def news_sentence(rng: random.Random) -> str:
    """A sentence as a wire story writes it: who said what, where, with figures and quotations."""
    pick = rng.choice
    name = f"{pick(FIRST_NAMES)} {pick(LAST_NAMES)}"
    shape = rng.randrange(4)
    if shape == 0:
        quote = clause(rng)
        return (f"“{quote[0].upper() + quote[1:]},” {name}, a {pick(ROLES)}, told reporters in {pick(PLACES)} "
                f"on {pick(WEEKDAYS)}.")
    if shape == 1:
        return (f"The {pick(NOUNS)} in {pick(PLACES)} has cost {rng.randint(2, 900)} million so far, "
                f"according to figures released by {pick(ORGANIZATIONS)}.")
    if shape == 2:
        return f"{name} said {clause(rng)}, adding that {clause(rng)}."
    return sentence(rng)


def news_prose(rng: random.Random, words: int) -> list[str]:
    """Paragraphs of two or three news sentences adding up to about `words` words."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        text = " ".join(news_sentence(rng) for _ in range(rng.randint(2, 3)))
        paragraphs.append(text)
        count += text.count(" ") + 1
    return paragraphs


def headline(rng: random.Random) -> str:
    text = (f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.choice(DETERMINERS)} "
            f"{rng.choice(NOUNS)} {rng.choice(PREPOSITIONS)} {rng.choice(PLACES)}")
    return text[0].upper() + text[1:]


# --- speakers, timelines, tags ----------------------------------------------------------------------------

def speaker_count(articles: int, style: str = "bench") -> int:
    """About 200 speakers for 1,000 articles and 400 for 10,000; fewer for tiny corpora. A news corpus: 400."""
    if style == "news":
        return 400
    if articles >= 1000:
        return 200 + (articles - 1000) // 45
    return max(12, articles // 5)


def make_speakers(rng: random.Random, count: int) -> list[Speaker]:
    taken: set[str] = set()
    speakers: list[Speaker] = []
    fixed = [(name, "organization") for name in ORGANIZATIONS] + [(name, "outlet") for name in OUTLETS]
    rng.shuffle(fixed)
    fixed = fixed[: count // 8]
    while len(speakers) < count:
        if fixed:
            name, kind = fixed.pop()
            role = "press office" if kind == "organization" else "news outlet"
        else:
            name, kind = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "person"
            role = rng.choice(ROLES)
        if slugify(name) in taken or name.lower() in taken:
            continue
        taken.update({slugify(name), name.lower()})
        aliases = tuple(alias for alias in candidate_aliases(rng, name, kind) if alias.lower() not in taken)
        taken.update(alias.lower() for alias in aliases)
        speakers.append(Speaker(slugify(name), name, role, kind, aliases))
    return speakers


def candidate_aliases(rng: random.Random, name: str, kind: str) -> list[str]:
    if rng.random() >= 0.4:
        return []
    if kind != "person":
        return [f"the {name}"] if not name.startswith("The ") else [name[4:]]
    first, last = name.split(" ", 1)
    return [f"{first[0]}. {last}"] + ([f"{first} {last[0]}."] if rng.random() < 0.3 else [])


def make_timelines(rng: random.Random, articles: int, style: str = "bench") -> list[Timeline]:
    timelines = []
    for number in range(1, (50 if style == "news" else max(1, round(articles / 200))) + 1):
        affair = rng.choice(["affair", "dispute", "talks", "row"])
        title = f"The {rng.choice(PLACES)} {rng.choice(NOUNS)} {affair}"
        timelines.append(Timeline(f"{slugify(title)}-{number}", title))
    return timelines


def make_tags(rng: random.Random) -> list[str]:
    extra = [f"{rng.choice(PLACES).lower()}-{rng.choice(TAG_WORDS)}" for _ in range(30)]
    return sorted(set(TAG_WORDS + extra))


# --- dates ------------------------------------------------------------------------------------------------

def spread_dates(rng: random.Random, count: int) -> list[dt.date]:
    span = (LAST_DAY - FIRST_DAY).days
    return sorted(FIRST_DAY + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))


def month_part(day: dt.date) -> str:
    part = "early" if day.day <= 10 else "mid" if day.day <= 20 else "late"
    return f"{part} {MONTHS[day.month - 1]}"


def said_phrase(rng: random.Random, article_date: dt.date) -> str:
    """A relative `said` that resolves on or before the article's date."""
    choice = rng.randrange(8)
    if choice == 0:
        return rng.choice(WEEKDAYS)
    if choice == 1:
        return f"on {rng.choice(WEEKDAYS)}"
    if choice == 2:
        return "yesterday"
    if choice == 3:
        return f"{rng.choice(NUMBER_WORDS)} days ago"
    if choice == 4:
        return "last week"
    if choice == 5:
        return month_part(article_date)
    if choice == 6:
        return f"{rng.randint(1, article_date.day)} {MONTHS[article_date.month - 1]}"
    return (article_date - dt.timedelta(days=rng.randint(1, 6))).isoformat()


def about_phrase(rng: random.Random, article_date: dt.date) -> str:
    """A relative `about` (resolved against `said`) or an absolute, possibly partial, date."""
    choice = rng.randrange(7)
    earlier = article_date - dt.timedelta(days=rng.randint(7, 120))
    if choice == 0:
        return rng.choice(WEEKDAYS)
    if choice == 1:
        return "last week"
    if choice == 2:
        return f"{rng.choice(NUMBER_WORDS)} days ago"
    if choice == 3:
        return month_part(article_date)
    if choice == 4:
        return f"{MONTHS[earlier.month - 1]} {earlier.year}"
    if choice == 5:
        return f"{earlier.year}-{earlier.month:02d}"
    return f"circa {MONTHS[earlier.month - 1]} {earlier.year}"


# --- statement blocks -------------------------------------------------------------------------------------

def speaker_label(rng: random.Random, speaker: Speaker) -> str:
    """How a reporter writes the speaker's name: usually the name, sometimes an alias."""
    if speaker.aliases and rng.random() < 0.25:
        return rng.choice(speaker.aliases)
    return speaker.name


def adhoc_name(rng: random.Random) -> str:
    """A speaker without a speaker file (a name that matches none)."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(ADHOC_LAST_NAMES)}"


def statement_text(rng: random.Random, quote: bool) -> str:
    sentences = [sentence(rng) for _ in range(rng.randint(1, 3))]
    if quote:
        return "\n".join(f"> {text}" for text in sentences)
    return " ".join(sentences)


def pick_target(rng: random.Random, pools: Pools, own: list[tuple[str, str]],
                timeline: Timeline | None) -> tuple[str, str]:
    """An earlier answerable statement: this article's, this timeline's, or any recent one."""
    if own and (rng.random() < 0.4 or not pools.everywhere):
        return rng.choice(own)
    recent = pools.by_timeline.get(timeline.slug, []) if timeline else []
    if not recent or rng.random() < 0.3:
        recent = pools.everywhere
    return rng.choice(recent[-40:])


def pick_kind(rng: random.Random, first: bool) -> str:
    if first:
        return "claim" if rng.random() < 0.6 else "statement"
    return rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]


def make_block(rng: random.Random, article: Article, number: int, speakers: list[Speaker],
               pools: Pools, own: list[tuple[str, str]]) -> Block:
    kind = pick_kind(rng, number == 1)
    speaker = rng.choice(speakers)
    by = adhoc_name(rng) if rng.random() < 0.03 else speaker_label(rng, speaker)
    quote = rng.random() < 0.5
    block = Block(kind, by, statement_text(rng, quote), quote)
    if kind in ("claim", "statement"):
        block.id = f"s{article.index}-{number}"
    elif kind in OWN_ANSWER_KINDS:
        target_id, block.by = pick_target(rng, pools, own, article.timeline)
        block.answers = [target_id]
    else:
        block.answers = [pick_target(rng, pools, own, article.timeline)[0]]
        if pools.everywhere and rng.random() < 0.05:
            second = pick_target(rng, pools, [], article.timeline)[0]
            block.answers += [second] if second not in block.answers else []
    if by == speaker.name and rng.random() < 0.4:
        block.role = speaker.role
    add_dates(rng, block, article.date)
    block.via = rng.choice(AGENCIES) if rng.random() < 0.2 else None
    if rng.random() < 0.15:
        block.source = f"https://example.org/{article.date.year}/{article.slug}/{number}"
    return block


def add_dates(rng: random.Random, block: Block, article_date: dt.date) -> None:
    if rng.random() >= 0.5:
        return
    which = rng.random()
    if which < 0.7:
        block.said = said_phrase(rng, article_date)
    if which >= 0.4:
        block.about = about_phrase(rng, article_date)


# --- articles ---------------------------------------------------------------------------------------------

def make_article(rng: random.Random, index: int, date: dt.date, context: Context) -> Article:
    title = headline(rng)
    timeline = rng.choice(context.timelines) if rng.random() < 0.7 else None
    tags = sorted(rng.sample(context.tags, rng.randint(1, 4)))
    slug = f"{slugify(title)}-{index}"
    article = Article(index, date, slug, title, tags, timeline, [])
    paragraphs = (news_prose if context.style == "news" else prose)(rng, rng.randint(540, 660))
    blocks: list[Block] = []
    own: list[tuple[str, str]] = []
    for number in range(1, rng.randint(4, 6) + 1):
        block = make_block(rng, article, number, context.speakers, context.pools, own)
        blocks.append(block)
        if block.id:
            own.append((block.id, block.by))
    for entry in own:
        context.pools.add(timeline, entry)
    article.parts = interleave(rng, paragraphs, blocks)
    return article


def interleave(rng: random.Random, paragraphs: list[str], blocks: list[Block]) -> list[str | Block]:
    """Blocks in order between paragraphs; the first and the last part are paragraphs."""
    slots = sorted(rng.randint(1, len(paragraphs) - 1) for _ in blocks) if len(paragraphs) > 1 else []
    parts: list[str | Block] = []
    remaining = list(blocks)
    for position, text in enumerate(paragraphs):
        while remaining and slots and slots[0] == position:
            slots.pop(0)
            parts.append(remaining.pop(0))
        parts.append(text)
    parts[-1:-1] = remaining
    return parts


@dataclass
class Context:
    speakers: list[Speaker]
    timelines: list[Timeline]
    tags: list[str]
    pools: Pools = field(default_factory=Pools)
    style: str = "bench"  # or "news": wire-story prose, 400 speakers and 50 timelines at any size


# --- writers: Counterpoint --------------------------------------------------------------------------------

def q(value: str) -> str:
    """A YAML-safe scalar (a JSON string is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def counterpoint_block(block: Block) -> str:
    header = [f"::: {block.kind}"]
    for name in ("id", "by", "role", "said", "about"):
        value = getattr(block, name)
        if value:
            header.append(f"{name}: {value}")
    if block.answers:
        answers = block.answers[0] if len(block.answers) == 1 else "[" + ", ".join(block.answers) + "]"
        header.append(f"answers: {answers}")
    for name in ("via", "source"):
        value = getattr(block, name)
        if value:
            header.append(f"{name}: {value}")
    return "\n".join(header) + "\n\n" + block.text + "\n:::"


def counterpoint_article(article: Article) -> str:
    lines = ["---", f"title: {q(article.title)}", f"date: {article.date.isoformat()}"]
    if article.timeline:
        lines.append(f"timeline: {article.timeline.slug}")
    lines += [f"tags: [{', '.join(article.tags)}]", "---", ""]
    body = [part if isinstance(part, str) else counterpoint_block(part) for part in article.parts]
    return "\n".join(lines) + "\n\n".join(body) + "\n"


def counterpoint_speaker(speaker: Speaker) -> str:
    lines = ["---", f"name: {q(speaker.name)}", f"role: {q(speaker.role)}", f"kind: {speaker.kind}"]
    if speaker.aliases:
        lines.append(f"aliases: [{', '.join(q(alias) for alias in speaker.aliases)}]")
    lines += ["---", "", biography(speaker)]
    return "\n".join(lines) + "\n"


def biography(speaker: Speaker) -> str:
    seed = sum(map(ord, speaker.slug))
    since = 2010 + seed % 5
    return f"{speaker.name} ({speaker.role}) has been quoted in this newsroom's reports since {since}."


def timeline_intro(timeline: Timeline) -> str:
    return (f"Every statement about {timeline.title.removeprefix('The ').lower()}: who said what, when, "
            "and who answered.")


def counterpoint_timeline(timeline: Timeline) -> str:
    return f"---\ntitle: {q(timeline.title)}\n---\n\n{timeline_intro(timeline)}\n"


def write_counterpoint(root: Path, context: Context, articles: list[Article]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(
        f'title = "{SITE_TITLE}"\nbase_url = "{BASE_URL}"\n', encoding="utf-8")
    write_all(root / "content/articles", ((f"{a.file_stem}.md", counterpoint_article(a)) for a in articles))
    write_all(root / "content/speakers",
              ((f"{s.slug}.md", counterpoint_speaker(s)) for s in context.speakers))
    write_all(root / "content/timelines",
              ((f"{t.slug}.md", counterpoint_timeline(t)) for t in context.timelines))


# --- writers: plain Markdown for Pelican and Hugo ---------------------------------------------------------

def plain_block(block: Block) -> str:
    """The block as ordinary Markdown: the text (quoted or not) and an attribution line."""
    details = [block.kind]
    details += [f"said {block.said}"] if block.said else []
    details += [f"about {block.about}"] if block.about else []
    details += [f"via {block.via}"] if block.via else []
    role = f", {block.role}" if block.role else ""
    return f"{block.text}\n\n— **{block.by}**{role} ({'; '.join(details)})"


def plain_body(article: Article) -> str:
    return "\n\n".join(part if isinstance(part, str) else plain_block(part) for part in article.parts) + "\n"


def category(article: Article) -> str:
    return article.timeline.title if article.timeline else "News"


def pelican_article(article: Article) -> str:
    return (f"Title: {article.title}\nDate: {article.date.isoformat()}\nTags: {', '.join(article.tags)}\n"
            f"Category: {category(article)}\nSlug: {article.slug}\n\n{plain_body(article)}")


def pelican_page(title: str, slug: str, text: str) -> str:
    return f"Title: {title}\nSlug: {slug}\n\n{text}\n"


PELICAN_CONF = '''\
"""Pelican settings for the benchmark corpus (written by benchmarks/make_corpus.py).

Default theme, no plugins, Pelican's default feeds. Caching is off (Pelican's defaults), so every
build re-reads all content: LOAD_CONTENT_CACHE = False and CACHE_CONTENT = False. The runner also
deletes the output folder and CACHE_PATH before a cold build.
"""

AUTHOR = "Bench Newsroom"
SITENAME = "{title}"
SITEURL = "{site_url}"
RELATIVE_URLS = True
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
ARTICLE_URL = "articles/{{slug}}/"
ARTICLE_SAVE_AS = "articles/{{slug}}/index.html"
PAGE_URL = "pages/{{slug}}/"
PAGE_SAVE_AS = "pages/{{slug}}/index.html"
PLUGINS: list[str] = []
DELETE_OUTPUT_DIRECTORY = False
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
CACHE_PATH = "cache"
'''


# One page per article plus an index (paginated): what Counterpoint's article pages are compared with.
PELICAN_LEAN = '''
# --- lean: one page per article plus the index; no tag, category, author, archive, page or feed output
TAG_SAVE_AS = TAGS_SAVE_AS = CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = PAGE_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
DIRECT_TEMPLATES = ["index"]
'''


def write_pelican(root: Path, context: Context, articles: list[Article]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    conf = PELICAN_CONF.format(title=SITE_TITLE, site_url=BASE_URL.rstrip("/"))
    (root / "pelicanconf.py").write_text(conf, encoding="utf-8")
    (root / "pelicanconf-lean.py").write_text(conf + PELICAN_LEAN, encoding="utf-8")
    write_all(root / "content/articles", ((f"{a.file_stem}.md", pelican_article(a)) for a in articles))
    write_all(root / "content/pages/speakers", (
        (f"{s.slug}.md", pelican_page(s.name, f"speaker-{s.slug}", biography(s))) for s in context.speakers))
    write_all(root / "content/pages/timelines", (
        (f"{t.slug}.md", pelican_page(t.title, f"timeline-{t.slug}", timeline_intro(t)))
        for t in context.timelines))


HUGO_CONF = '''\
# Hugo settings for the benchmark corpus (written by benchmarks/make_corpus.py).
baseURL = "{base_url}"
title = "{title}"
languageCode = "en"
# Every page kind the comparison needs stays on: page, section, home, taxonomy, term, RSS, sitemap.
disableKinds = ["robotsTXT"]
# Hugo 0.111 (Debian 12); newer Hugo spells it [pagination] pagerSize.
paginate = 20

[taxonomies]
  tag = "tags"
  category = "categories"
'''

HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" -}}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">
{{- end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 Jan 2006" }}</time>
<ul class="tags">{{ range .GetTerms "tags" -}}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
{{- end }}</ul>
{{ .Content }}
</article>
{{ end }}
"""

HUGO_LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "articles" }}{{ end }}
{{ $paginator := .Paginate $pages }}
{{ range $paginator.Pages }}
<article>
<h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
{{ if not .Date.IsZero }}<time>{{ .Date.Format "2 Jan 2006" }}</time>{{ end }}
<p>{{ .Summary }}</p>
</article>
{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
"""


def hugo_article(article: Article) -> str:
    tags = ", ".join(q(tag) for tag in article.tags)
    return (f"---\ntitle: {q(article.title)}\ndate: {article.date.isoformat()}\nslug: {article.slug}\n"
            f"tags: [{tags}]\ncategories: [{q(category(article))}]\n---\n\n{plain_body(article)}")


def hugo_page(title: str, text: str) -> str:
    return f"---\ntitle: {q(title)}\n---\n\n{text}\n"


def write_hugo(root: Path, context: Context, articles: list[Article]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    conf = HUGO_CONF.format(base_url=BASE_URL, title=SITE_TITLE)
    (root / "hugo.toml").write_text(conf, encoding="utf-8")
    # lean: one page per article plus the (paginated) home page; `hugo --config hugo-lean.toml`
    lean = conf.replace('disableKinds = ["robotsTXT"]',
                        'disableKinds = ["robotsTXT", "taxonomy", "term", "RSS", "sitemap", "section"]')
    (root / "hugo-lean.toml").write_text(lean, encoding="utf-8")
    layouts = root / "layouts/_default"
    write_all(layouts, [("baseof.html", HUGO_BASEOF), ("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST)])
    write_all(root / "content/articles", ((f"{a.slug}.md", hugo_article(a)) for a in articles))
    write_all(root / "content/speakers",
              ((f"{s.slug}.md", hugo_page(s.name, biography(s))) for s in context.speakers))
    write_all(root / "content/timelines",
              ((f"{t.slug}.md", hugo_page(t.title, timeline_intro(t))) for t in context.timelines))


# --- driver -----------------------------------------------------------------------------------------------

def write_all(folder: Path, files: Iterable[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8")


def build_corpus(articles: int, seed: int, style: str = "bench") -> tuple[Context, list[Article]]:
    rng = random.Random(seed)
    speakers = make_speakers(rng, speaker_count(articles, style))
    context = Context(speakers, make_timelines(rng, articles, style), make_tags(rng), style=style)
    dates = spread_dates(rng, articles)
    made = [make_article(rng, index, date, context) for index, date in enumerate(dates, start=1)]
    return context, made


def manifest(context: Context, articles: list[Article], seed: int) -> dict[str, object]:
    blocks = [part for article in articles for part in article.parts if isinstance(part, Block)]
    words = sum(len(part.split()) for article in articles for part in article.parts if isinstance(part, str))
    return {
        "seed": seed,
        "articles": len(articles),
        "speakers": len(context.speakers),
        "timelines": len(context.timelines),
        "tags": len(context.tags),
        "statements": len(blocks),
        "answers": sum(1 for block in blocks if block.answers),
        "prose_words": words,
        "files": [
            {"slug": a.slug, "counterpoint": f"counterpoint/content/articles/{a.file_stem}.md",
             "pelican": f"pelican/content/articles/{a.file_stem}.md",
             "hugo": f"hugo/content/articles/{a.slug}.md"}
            for a in articles
        ],
    }


def write_corpus(out: Path, articles: int, seed: int, style: str = "bench") -> dict[str, object]:
    context, made = build_corpus(articles, seed, style)
    for tree in ("counterpoint", "pelican", "hugo"):
        shutil.rmtree(out / tree, ignore_errors=True)
    write_counterpoint(out / "counterpoint", context, made)
    write_pelican(out / "pelican", context, made)
    write_hugo(out / "hugo", context, made)
    data = manifest(context, made, seed)
    (out / "manifest.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the three sites into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--style", choices=("bench", "news"), default="bench",
                        help="bench: the original corpus; news: wire-story prose, 400 speakers, 50 timelines")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    started = time.perf_counter()
    data = write_corpus(args.out, args.articles, args.seed, args.style)
    print(f"{data['articles']} articles, {data['statements']} statements, {data['speakers']} speakers, "
          f"{data['timelines']} timelines, {data['tags']} tags → {args.out} "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
