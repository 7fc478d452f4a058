"""Link parsed files into a Site: speakers, answers, cycles, status, timelines, tags."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

from .config import Config
from .i18n import parse_locale
from .model import Article, Site, Speaker, Statement, Tag, Timeline
from .problems import Problem, SourceLocation, Suggestions, error, warning
from .state.cache import Links
from .state.lazy import LazyMapping, UnreadableStore
from .vocab.kinds import KINDS, status_of
from .vocab.limits import MAX_CYCLE_LINKS
from .vocab.slugs import slugify


def link_site(config: Config, articles: Sequence[Article], speakers: Sequence[Speaker],
              timelines: Sequence[Timeline]) -> tuple[Site | None, list[Problem]]:
    """Join every parsed file into one checked Site; None when linking finds errors."""
    problems: list[Problem] = []
    articles = _unique_articles(articles, problems)
    statements = _unique_statements(articles, problems)
    speaker_index, speaker_map = _speaker_index(speakers, problems)

    broken = {i for a in articles for i in a.broken_ids}
    problems.extend(_unknown_answers(statements, broken))
    problems.extend(_answer_cycles(statements))
    problems.extend(_translation_problems(articles, config.language))
    if any(p.is_error for p in problems):
        return None, problems

    article_dates = {a.slug: a.date.value for a in articles}

    def order_key(statement: Statement) -> tuple:
        return (statement.said.value, article_dates[statement.article], statement.location.path, statement.index)

    answered_by: dict[str, list[str]] = defaultdict(list)
    for statement in statements.values():
        for target in statement.answers:
            answered_by[target].append(statement.id)

    implicit: dict[str, Speaker] = {}
    linked: dict[str, Statement] = {}
    for statement in statements.values():
        speaker = speaker_index.get(statement.by.casefold())
        if speaker is None:
            slug = slugify(statement.by) or "unknown"
            speaker = speaker_map.get(slug) or implicit.setdefault(
                slug, Speaker(slug=slug, name=statement.by, implicit=True))
        answers = tuple(answered_by.get(statement.id, ()))
        linked[statement.id] = statement.linked(
            speaker=speaker.slug,
            role=statement.role or speaker.role,
            answered_by=tuple(sorted(answers, key=lambda i: order_key(statements[i]))) if answers else (),
            status=status_of(statements[i].kind for i in answers),
        )
    problems.extend(_self_answer_warnings(linked))

    ordered = dict(sorted(linked.items(), key=lambda item: order_key(item[1])))
    all_speakers = {**speaker_map, **{s: sp for s, sp in implicit.items() if s not in speaker_map}}
    site_timelines = _timelines(timelines, articles, ordered, problems)
    site = Site(
        config=config,
        articles=MappingProxyType({a.slug: a for a in sorted(articles, key=_newest_first)}),
        statements=MappingProxyType(ordered),
        speakers=MappingProxyType(dict(sorted(all_speakers.items(), key=lambda i: (i[1].name.casefold(), i[0])))),
        timelines=MappingProxyType(site_timelines),
        tags=MappingProxyType(_tags(articles)),
    )
    return site, problems


def _unique_articles(articles: Sequence[Article], problems: list[Problem]) -> list[Article]:
    seen: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.path):
        if article.slug in seen:
            problems.append(error(article.location, f"article slug '{article.slug}' is already used by "
                                  f"{seen[article.slug].path}", "set a different 'slug:' in the front-matter"))
            continue
        seen[article.slug] = article
    return list(seen.values())


def _unique_statements(articles: Sequence[Article], problems: list[Problem]) -> dict[str, Statement]:
    statements: dict[str, Statement] = {}
    for article in articles:
        for statement in article.statements:
            if statement.id in statements:
                first = statements[statement.id].location
                problems.append(error(statement.location, f"statement id '{statement.id}' is already used at "
                                      f"{first.path}:{first.line}", "ids must be unique in the whole site"))
                continue
            statements[statement.id] = statement
    return statements


def _speaker_index(speakers: Sequence[Speaker],
                   problems: list[Problem]) -> tuple[dict[str, Speaker], dict[str, Speaker]]:
    """Map every slug, name and alias (case-folded) to its speaker; report clashes."""
    index: dict[str, Speaker] = {}
    by_slug: dict[str, Speaker] = {}
    for speaker in sorted(speakers, key=lambda s: s.slug):
        by_slug[speaker.slug] = speaker
        names: dict[str, str] = {}
        for name in (speaker.name, *speaker.aliases, speaker.slug):
            names.setdefault(name.casefold(), name)
        for key, name in sorted(names.items()):
            other = index.get(key)
            if other is not None and other.slug != speaker.slug:
                problems.append(error(SourceLocation(speaker.path or ""), f"the name '{name}' matches both "
                                      f"speaker '{other.slug}' and speaker '{speaker.slug}'",
                                      "remove it from one speaker's aliases"))
                continue
            index[key] = speaker
    return index, by_slug


def _unknown_answers(statements: Mapping[str, Statement], broken: set[str]) -> list[Problem]:
    problems = []
    suggestions = Suggestions(statements)
    for statement in statements.values():
        for target in statement.answers:
            if target not in statements and target not in broken:
                problems.append(error(statement.location, f"'answers' names unknown statement '{target}'",
                                      suggestions.hint(target)))
    return problems


def _translation_problems(articles: Sequence[Article], default_language: str) -> list[Problem]:
    """Each 'translation_of' names another article, an original (not a translation), in another language;
    an original has one translation per language. So translations never form chains or cycles."""
    problems = []
    by_slug = {a.slug: a for a in articles}
    suggestions = Suggestions(by_slug)
    versions: dict[tuple[str, str], Article] = {}
    for article in articles:
        original_slug = article.translation_of
        if original_slug is None:
            continue
        at = article.translation_of_at or article.location
        original = by_slug.get(original_slug)
        lang = _language_of(article.lang or default_language)
        if original_slug == article.slug:
            problems.append(error(at, "an article cannot be a translation of itself",
                                  "name the article it translates, or remove 'translation_of'"))
        elif original is None:
            problems.append(error(at, f"'translation_of' names unknown article '{original_slug}'",
                                  suggestions.hint(original_slug) or "give the slug of the article it translates"))
        elif original.translation_of is not None:
            problems.append(error(at, f"'translation_of' names '{original_slug}', which is itself a translation of "
                                  f"'{original.translation_of}'", f"name the original: "
                                  f"'translation_of: {original.translation_of}'"))
        elif _language_of(original.lang or default_language) == lang:
            problems.append(error(at, f"'{article.slug}' and the article it translates, '{original_slug}', are both "
                                  f"in '{lang}'", "set 'lang:' to the language of the translation"))
        elif (original_slug, lang) in versions:
            other = versions[(original_slug, lang)]
            problems.append(error(at, f"'{original_slug}' already has a translation in '{lang}': {other.path}"))
        else:
            versions[(original_slug, lang)] = article
    return problems


def _language_of(code: str) -> str:
    """A code's language, without its region or script: 'fr-CA' → 'fr' (parsing has checked the code)."""
    return parse_locale(code).language


def _answer_cycles(statements: Mapping[str, Statement]) -> list[Problem]:
    """One error per loop of answers, naming the links of its shortest cycle, at its first statement.

    A loop is a group of statements that answer each other round (a strongly connected component).
    One error per loop, not per cycle: a statement answering 4,000 others that answer it back makes
    4,000 cycles (35 s and 300 MB of messages, once), but it is one mistake in one place.
    """
    problems = []
    for loop in _loops(statements):
        first = min(loop, key=lambda i: (statements[i].location, i))
        cycle = _shortest_cycle(first, loop, statements)
        problems.append(_cycle_problem([statements[i] for i in cycle], len(loop)))
    return problems


def _loops(statements: Mapping[str, Statement]) -> list[set[str]]:
    """The groups of statements that answer each other round (Tarjan's algorithm, without recursion)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[set[str]] = []
    for root in sorted(statements):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(statements[root].answers))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in statements:
                    continue
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(statements[target].answers)))
                    break
                if target in on_stack:
                    low[node] = min(low[node], order[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    loop: set[str] = set()
                    while node not in loop:
                        member = stack.pop()
                        on_stack.discard(member)
                        loop.add(member)
                    if len(loop) > 1 or node in statements[node].answers:
                        loops.append(loop)
    return loops


def _shortest_cycle(first: str, loop: set[str], statements: Mapping[str, Statement]) -> list[str]:
    """The fewest statements from `first` round to it again, each answering the next (breadth first)."""
    came_from: dict[str, str | None] = {first: None}
    queue = deque([first])
    while queue:
        node = queue.popleft()
        for target in statements[node].answers:
            if target == first:
                cycle = [node]
                while came_from[cycle[-1]] is not None:
                    cycle.append(came_from[cycle[-1]])
                return cycle[::-1]
            if target in loop and target not in came_from:
                came_from[target] = node
                queue.append(target)
    raise AssertionError(f"{first} is in a loop, so a cycle leads back to it")


def _cycle_problem(cycle: list[Statement], loop_size: int) -> Problem:
    shown = cycle[:MAX_CYCLE_LINKS]
    links = ", ".join(
        f"'{s.id}' ({s.location.path}:{s.location.line}) answers '{cycle[(i + 1) % len(cycle)].id}'"
        for i, s in enumerate(shown)
    )
    if len(cycle) > len(shown):
        links += f", and {len(cycle) - len(shown)} more links back to '{cycle[0].id}'"
    hint = "a statement cannot answer itself, directly or through others"
    others = loop_size - len(cycle)
    if others:
        hint += f"; {others} more statement{'s' * (others != 1)} in the same loop"
    return error(cycle[0].location, f"answers form a cycle: {links}", hint)


def _self_answer_warnings(statements: Mapping[str, Statement]) -> list[Problem]:
    """A kind that amends its own author's statement (a correction, a retraction) comes from that author."""
    problems = []
    for statement in statements.values():
        if not KINDS[statement.kind].own_author:
            continue
        for target in statement.answers:
            other = statements.get(target)  # None: the answered statement has errors of its own (reported)
            if other is not None and other.speaker != statement.speaker:
                problems.append(warning(statement.location, f"{statement.kind} by '{statement.by}' answers "
                                        f"'{target}', said by '{other.by}'",
                                        f"a {statement.kind} comes from the statement's own author; "
                                        "use 'dispute' or 'denial' for someone else"))
    return problems


def _timelines(files: Sequence[Timeline], articles: Sequence[Article], statements: Mapping[str, Statement],
               problems: list[Problem]) -> dict[str, Timeline]:
    members: dict[str, list[str]] = defaultdict(list)
    first_use: dict[str, SourceLocation] = {}
    for statement in statements.values():  # already in timeline order
        for slug in statement.timelines:
            members[slug].append(statement.id)
            first_use.setdefault(slug, statement.location)
    for article in sorted(articles, key=lambda a: a.path):
        for slug in article.timelines:
            first_use[slug] = min(first_use.get(slug, article.location), article.location)
    timelines = {t.slug: t for t in files}
    for slug in sorted(first_use):
        if slug not in timelines:
            problems.append(warning(first_use[slug], f"timeline '{slug}' has no file "
                                    f"content/timelines/{slug}.md; its title is taken from its slug"))
            timelines[slug] = Timeline(slug=slug, title=slug.replace("-", " ").capitalize(), implicit=True)
    return {
        slug: replace(timeline, statements=tuple(members.get(slug, ())))
        for slug, timeline in sorted(timelines.items(), key=lambda i: (i[1].title.casefold(), i[0]))
    }


def _newest_first(article: Article) -> tuple:
    return (-article.date.value.toordinal(), article.path)


def _tags(articles: Sequence[Article]) -> dict[str, Tag]:
    names: dict[str, str] = {}
    members: dict[str, dict[str, None]] = defaultdict(dict)  # an ordered set of article slugs per tag
    for article in sorted(articles, key=_newest_first):
        for tag in article.tags:
            slug = slugify(tag)
            names.setdefault(slug, tag)
            members[slug][article.slug] = None
    return {slug: Tag(slug=slug, name=names[slug], articles=tuple(members[slug])) for slug in sorted(names)}


# --- rebuilding a linked site without linking it -----------------------------------------------------------


def links_of(site: Site, digests: Mapping[str, str], problems: Iterable[Problem]) -> Links:
    """What linking added to the parsed files of `site` (whose files had `digests`)."""
    return Links(
        digests=dict(digests),
        statements=tuple((s.id, s.speaker, s.role, s.answered_by, s.status, s.article)
                         for s in site.statements.values()),
        articles=tuple((a.slug, a.path) for a in site.articles.values()), speakers=tuple(site.speakers.values()),
        timelines=tuple(site.timelines.values()), tags=tuple(site.tags.values()), problems=tuple(problems),
    )


def site_from_links(config: Config, read: Callable[[str], Article], links: Links) -> Site:
    """The Site `link_site` made from the parsed articles `links` was made from, reading each (`read(path)`)
    only when a page asks for it or one of its statements."""
    paths = dict(links.articles)
    articles: LazyMapping[Article] = LazyMapping(paths, lambda slug: read(paths[slug]))
    linked = {row[0]: row for row in links.statements}

    def statement(statement_id: str) -> Statement:
        _, speaker, role, answered_by, status, slug = linked[statement_id]
        for parsed in articles[slug].statements:
            if parsed.id == statement_id:
                return parsed.linked(speaker, role, answered_by, status)
        raise UnreadableStore(f"statement {statement_id} is not in article {slug} as stored")

    return Site(
        config=config,
        articles=articles,
        statements=LazyMapping(linked, statement, known={i: row[1] for i, row in linked.items()}),
        speakers=MappingProxyType({s.slug: s for s in links.speakers}),
        timelines=MappingProxyType({t.slug: t for t in links.timelines}),
        tags=MappingProxyType({t.slug: t for t in links.tags}),
    )


def link_signature(article: Article) -> tuple:
    """Everything of an article that linking reads (or that cards of its statements show of it).

    Two versions of an article with the same signature link the same way: same ids,
    answers, speakers, order, timelines and tags. Only prose and statement text differ.
    """
    return (article.path, article.slug, article.title, article.date, article.timelines, article.tags, article.draft,
            article.broken_ids, article.lang, article.translation_of,
            tuple((s.id, s.kind, s.by, s.role, s.said, s.answers, s.timelines, s.tags, s.index)
                  for s in article.statements))


def relink(site: Site, old: Article, new: Article) -> Site | None:
    """`site` with the article `old` replaced by `new`, or None when that would change any link."""
    if link_signature(old) != link_signature(new) or site.articles.get(old.slug) is not old:
        return None
    statements = {}
    for statement in new.statements:
        linked = site.statements[statement.id]
        statements[statement.id] = statement.linked(linked.speaker, linked.role, linked.answered_by, linked.status)
    return replace(site, articles=_updated(site.articles, {new.slug: new}),
                   statements=_updated(site.statements, statements))


def _updated(mapping: Mapping, changes: Mapping) -> Mapping:
    """`mapping` with `changes` (to keys it has): a lazy mapping stays lazy."""
    if isinstance(mapping, LazyMapping):
        return mapping.updated(changes)
    return MappingProxyType({**mapping, **changes})  # a site of 50,000 statements is copied in ~1 ms


def answer_component(site: Site, statement_ids: Iterable[str]) -> set[str]:
    """These statements and every statement joined to them by answers, in either direction."""
    statements = site.statements
    found: set[str] = set()
    stack = [i for i in statement_ids if i in statements]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        statement = statements[current]
        stack.extend(i for i in (*statement.answers, *statement.answered_by) if i in statements and i not in found)
    return found
