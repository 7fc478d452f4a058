"""Hypothesis strategies for whole hostile sites: what a careless editor or an attacker might commit.

A site is a dict of relative path → bytes. The pieces are chosen to reach the parsers' corners
rather than to be random noise: YAML tags with values that do not fit them, statement blocks with
any fields, answers among a small pool of ids (so answers link, loop, answer themselves and answer
statements with errors), names longer than a file name, unicode line separators, CRLF, a BOM.
"""

from __future__ import annotations

import os

from hypothesis import strategies as st

from generator.vocab.kinds import KIND_NAMES

# YAML tags whose values do not fit them, and unicode line separators, in FRONT-MATTER too (issue 15, items
# 1 and 2); COUNTERPOINT_FUZZ_FRONT_MATTER=0 leaves them out.
HOSTILE_FRONT_MATTER = os.environ.get("COUNTERPOINT_FUZZ_FRONT_MATTER", "1") == "1"

SITE_TOML = 'title = "Fuzz"\nbase_url = "https://example.org/"\n'

KINDS = KIND_NAMES  # every kind the vocabulary has
FIELDS = ("by", "id", "role", "said", "about", "answers", "via", "source", "timeline", "tags")
FRONT_KEYS = ("title", "date", "timeline", "tags", "source", "slug", "summary", "draft", "titel", "author")
SPEAKER_KEYS = ("name", "role", "aliases", "kind", "url", "nmae")
IDS = ("a", "b", "c", "call-took-place", "kremlin-denies")
# Characters some reader takes for the end of a line, and other troublemakers.
BREAKS = ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\r", "\x1b[2K", "\u202e", "\t", "\x00")
TAGS = ("!!int", "!!float", "!!bool", "!!timestamp", "!!map", "!!seq", "!!set", "!!omap", "!!binary", "!!str",
        "!!null", "!!python/object:os.system", "!!python/name:os.system", "!custom", "!<tag:x>", "!!merge")

_word = st.sampled_from(["Ann", "Dmitry Peskov", "Ünïcødé Ñame", "x", "call-took-place", "2024", "yes", "null",
                         "🎉", "a-b", "Interfax", "http://example.org/a", "javascript:alert(1)", "~", "-", "?"])
_long = st.sampled_from(["a" * 256, "b" * 255, "㎒" * 100, "long name " * 30, "ﬃ" * 90, "é" * 200])
_date = st.sampled_from(["2024-11-11", "2024-11", "2024", "Thursday", "on Thursday", "yesterday", "32 November",
                         "2025-01-01", "early November", "~2024-11-07", "circa 1999", "next Tuesday", "2024-13-45",
                         "0000-00-00", "9999-12-31", "two days ago", "", "'2024-11-07'", "1e999"])
_scalar = st.one_of(
    _word, _date, _long,
    st.builds(lambda w, b, v: w + b + v, _word, st.sampled_from(BREAKS), _word),
    st.builds(lambda t, w: f"{t} {w}", st.sampled_from(TAGS), st.one_of(_word, _date, st.just("{a: b}"))),
    st.sampled_from(["[a, b]", "[]", "{}", "{a: b}", "[a, [b]]", "[call-took-place, a]", "'quoted'", '"dq\\u2028"',
                     "&x a", "*x", "|", ">", "[", "{", "'", "a: b", "- x", "# comment", "@x", "`x`", "%x",
                     "[" * 60 + "]" * 60, "!!set {a, b}", "[a, a, a]", "1e999", "0x1F", ".inf", "<<: *x"]),
    # values that make PyYAML's own constructors raise (KeyError, IndexError, AttributeError, ValueError)
    st.sampled_from(["!!bool maybe", "!!int :", "!!int", "!!timestamp 99999-01-01", "!!timestamp 2024-01-01T99:99",
                     "!!timestamp 2024-99-99", "!!float .", "!!int 0x", "&a [*a]", "{<<: *a}", "!!omap [a]"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
# What front-matter values may hold on this branch (see HOSTILE_FRONT_MATTER).
_front_scalar = _scalar if HOSTILE_FRONT_MATTER else st.one_of(
    _word, _date, _long,
    st.sampled_from(["[a, b]", "[]", "{}", "{a: b}", "'quoted'", "&x a", "*x", "|", ">", "[", "a: b", "- x", "`x`",
                     "1e999", ".inf", "[call-took-place, a]"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12),
)
_name = st.one_of(st.sampled_from(IDS), _word, _long, st.sampled_from(["Bad Id", "x" * 300, "", "UPPER"]))


@st.composite
def _field(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(FIELDS + ("sayd", "x-y", "answer")))
    if name in ("id", "answers"):
        value = draw(st.one_of(st.sampled_from(IDS), st.lists(st.sampled_from(IDS), max_size=3).map(
            lambda ids: "[" + ", ".join(ids) + "]"), _name, _scalar))
    elif name in ("said", "about"):
        value = draw(st.one_of(_date, _scalar))
    else:
        value = draw(_scalar)
    return f"{name}: {value}" if value else f"{name}:"


_text_line = st.one_of(
    st.sampled_from(["> This is completely untrue.", "Plain prose.", "", "- item", "    code", "```", "~~~", ":::",
                     "by: Ann", "<script>alert(1)</script>", "[link](javascript:alert(1))", "# Heading",
                     "> " * 40 + "deep", ">" * 33, "    " * 34 + "- deep", "1. " * 40 + "x", "> - " * 20 + "x",
                     "---", "| a | b |", "[x" * 50, "*" * 50]),
    _scalar,
)


@st.composite
def _block(draw: st.DrawFn) -> list[str]:
    colons = draw(st.sampled_from([":::", "::::", ":::  "]))
    kind = draw(st.one_of(st.sampled_from(KINDS), st.sampled_from(["clam", "", "CLAIM", "claim extra", "x" * 300])))
    lines = [f"{colons} {kind}".rstrip() if kind else colons]
    lines += draw(st.lists(_field(), max_size=6))
    if draw(st.booleans()):
        lines.append("")
    lines += draw(st.lists(_text_line, max_size=4))
    if draw(st.integers(0, 9)):  # now and then a block is left open
        lines.append(":::")
    return lines


@st.composite
def _front_matter(draw: st.DrawFn, keys: tuple[str, ...], required: dict[str, st.SearchStrategy[str]]) -> list[str]:
    lines = ["---"]
    for key, values in required.items():
        if draw(st.integers(0, 9)):  # now and then a required key is missing
            lines.append(f"{key}: {draw(values)}")
    for key in draw(st.lists(st.sampled_from(keys), max_size=4)):
        lines.append(f"{key}: {draw(_front_scalar)}")
    if draw(st.integers(0, 4)) == 0:  # a multi-line value: a block scalar or a flow list over lines
        key = draw(st.sampled_from(keys))
        lines += [f"{key}: {draw(st.sampled_from(['|', '>', '|-', '[a,']))}", f"  {draw(_front_scalar)}", "  b]"]
    if draw(st.integers(0, 19)):  # now and then it is never closed
        lines.append("---")
    return lines


@st.composite
def article_text(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """The lines of an article: front-matter, then prose and statement blocks."""
    front = draw(_front_matter(FRONT_KEYS, {"title": _front_scalar, "date": _date}))
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            lines += draw(st.lists(_text_line, min_size=1, max_size=3))
        else:
            lines += draw(_block())
        lines.append("")
    return front, lines


@st.composite
def _encoded(draw: st.DrawFn, parts: tuple[list[str], list[str]], *, broken: bool = True) -> bytes:
    """Front-matter and body lines joined with LF, CRLF, CR or a mix (the body's also with U+2028 and NEL),
    sometimes after a BOM, now and then with bytes that are not UTF-8."""
    front, body = parts
    endings = draw(st.sampled_from([["\n"], ["\r\n"], ["\r"], ["\n", "\r\n", "\r", "\u2028", "\x85"]]))
    endings = endings if broken else [e for e in endings if e in "\r\n"]  # U+2028 would join a block's lines
    front_endings = endings if HOSTILE_FRONT_MATTER else [e for e in endings if e in "\r\n"]
    text = "".join(line + draw(st.sampled_from(front_endings)) for line in front)
    text += "".join(line + draw(st.sampled_from(endings)) for line in body)
    data = (b"\xef\xbb\xbf" if draw(st.integers(0, 4)) == 0 else b"") + text.encode("utf-8", "surrogatepass")
    if broken and draw(st.integers(0, 29)) == 0:
        data += draw(st.sampled_from([b"\xff\xfe", b"\x00", b"\xc3"]))
    return data


_file_slug = st.one_of(st.sampled_from(["kremlin", "2024-11-11-report", "Bad Name", "a" * 240, "x.y", "-", "é"]),
                       st.sampled_from(IDS))


@st.composite
def sites(draw: st.DrawFn) -> dict[str, bytes]:
    """A whole site: site.toml, articles, speakers and timelines."""
    files: dict[str, bytes] = {"site.toml": SITE_TOML.encode()}
    for slug in draw(st.lists(_file_slug, min_size=1, max_size=4, unique=True)):
        files[f"content/articles/{slug}.md"] = draw(_encoded(draw(article_text())))
    for slug in draw(st.lists(_file_slug, max_size=2, unique=True)):
        parts = draw(_front_matter(SPEAKER_KEYS, {"name": _front_scalar})), draw(st.lists(_text_line, max_size=3))
        files[f"content/speakers/{slug}.md"] = draw(_encoded(parts))
    for slug in draw(st.lists(_file_slug, max_size=2, unique=True)):
        front = draw(_front_matter(("title", "titel"), {"title": _front_scalar}))
        parts = front, draw(st.lists(_text_line, max_size=3))
        files[f"content/timelines/{slug}.md"] = draw(_encoded(parts))
    return files


# Sites that are valid however odd they look: a build must write them. ----------------------------------

_odd_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    str.strip)
_speaker_names = ("Dmitry Peskov", "Ünïcødé Ñame", "x" * 255, "The Washington Post", "ﬃ Office", "Ann")


def _yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar, U+2028 and all (escaped: YAML reads them as line breaks)."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in text) + '"'


@st.composite
def _valid_block(draw: st.DrawFn, statement_id: str, earlier: list[str]) -> list[str]:
    kinds = KINDS if earlier else ("claim", "statement")
    kind = draw(st.sampled_from(kinds))
    lines = [f"::: {kind}", f"id: {statement_id}", f"by: {draw(st.sampled_from(_speaker_names))}"]
    if earlier and (kind not in ("claim", "statement") or draw(st.booleans())):
        lines.append(f"answers: [{', '.join(draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3)))}]")
    if draw(st.booleans()):
        lines.append(f"said: {draw(st.sampled_from(['2024-11-01', 'yesterday', 'on Thursday', 'early November']))}")
    if draw(st.booleans()):
        lines.append(f"tags: [{draw(st.sampled_from(['calls', 'é', 'g' * 255]))}]")
    lines.append("")
    quote = "> " if draw(st.booleans()) else ""
    lines += [quote + line for line in draw(st.lists(_valid_text_line, min_size=1, max_size=3))]
    lines.append(":::")
    return lines


_valid_text_line = st.one_of(
    _odd_text.filter(lambda t: not t.lstrip().startswith((":", "-", "*", "+", ">", "#", "`", "~", "|", "<", "["))
                     and ":" not in t),
    st.sampled_from(["Plain prose.", "<script>alert(1)</script> after", "[a link](javascript:alert(1))",
                     "a\u2028b\x85c", "> " * 31 + "as deep as allowed, with the block's own '>'",
                     "*emphasis* and `code`"]),
)


@st.composite
def valid_sites(draw: st.DrawFn) -> dict[str, bytes]:
    """A site with no errors: odd names at the length limit, unicode everywhere, answers in any direction."""
    files: dict[str, bytes] = {"site.toml": SITE_TOML.encode()}
    ids = [f"s{n}" for n in range(draw(st.integers(1, 6)))]
    if draw(st.booleans()):
        ids[0] = "i" * 255
    order = draw(st.permutations(ids))  # which article each statement lands in, and in what order
    cut = draw(st.integers(0, len(order)))
    for number, chunk in enumerate((order[:cut], order[cut:])):
        front = ["---", f"title: {_yaml_string(draw(_odd_text))}", f"date: 2024-11-1{number}",
                 f"timeline: {draw(st.sampled_from(['call', 't' * 255, '[call, other]']))}",
                 f"tags: [{_yaml_string(draw(_odd_text) + ' tag')}]"]
        if draw(st.booleans()):
            front.append(f"slug: {'s' * 254}{number}")
        body = ["---", ""] + draw(st.lists(_valid_text_line, max_size=2)) + [""]
        for statement_id in chunk:
            body += draw(_valid_block(statement_id, [i for i in ids[:ids.index(statement_id)]])) + [""]
        files[f"content/articles/2024-11-1{number}-a{number}.md"] = draw(_encoded((front, body), broken=False))
    if draw(st.booleans()):
        files["content/speakers/dmitry-peskov.md"] = draw(_encoded(
            (["---", "name: Dmitry Peskov", f"aliases: [{_yaml_string(draw(_odd_text))}]", "---"],
             draw(st.lists(_valid_text_line, max_size=2))), broken=False))
    if draw(st.booleans()):
        files["content/timelines/call.md"] = draw(_encoded((["---", f"title: {_yaml_string(draw(_odd_text))}",
                                                             "---"], draw(st.lists(_valid_text_line, max_size=2))),
                                                           broken=False))
    return files
