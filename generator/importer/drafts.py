"""The draft article's text: a title, a slug, the paragraphs as written, each followed by its suggested blocks."""

from __future__ import annotations

import json
from collections.abc import Sequence

import yaml

from ..vocab.slugs import slugify
from ..vocab.yaml_words import reads_as_itself
from .read import RawArticle
from .sentences import words
from .suggestions import Suggestion

TITLE_MAX = 80
SLUG_MAX = 60
_HEADLINE_TAIL = words("a an the and or but of to in on at for with by from between about as")


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
    after: dict[int, list[Suggestion]] = {}
    for suggestion in suggestions:
        after.setdefault(suggestion.paragraph, []).append(suggestion)
    for index, paragraph in enumerate(raw.paragraphs):
        lines += ["", *(_escape_line(line) for line in paragraph.lines)]
        for suggestion in after.get(index, ()):
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
    if suggestion.more_quotes:
        note += f"; {suggestion.more_quotes} more quotations by the same speaker are in the text above only"
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
    return value if reads_as_itself(value) else json.dumps(value, ensure_ascii=False)


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
