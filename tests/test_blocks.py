"""The statement block parser: where blocks and headers start and end."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.blocks import Prose, RawBlock, split_blocks


def parse(text: str):
    return split_blocks(text.split("\n"), 1, "a.md")


def test_block_with_header_and_text() -> None:
    parts, problems = parse("Intro.\n\n::: claim\nid: call\nby: The Post\nabout: Thursday\n\nThey spoke.\n:::\nAfter.")
    assert problems == []
    assert [type(p) for p in parts] == [Prose, RawBlock, Prose]
    block = parts[1]
    assert block.kind == "claim"
    assert [(f.name, f.value, f.line, f.column) for f in block.fields] == [
        ("id", "call", 4, 5), ("by", "The Post", 5, 5), ("about", "Thursday", 6, 8)]
    assert block.text == "They spoke."
    assert (block.line, block.text_line) == (3, 8)
    assert parts[2].text == "After." and parts[2].line == 10


def test_header_ends_at_first_line_of_another_shape() -> None:
    parts, problems = parse("::: claim\nby: Ann\nThe text: has a colon.\n:::")
    assert problems == []
    assert parts[0].text == "The text: has a colon."


def test_text_beginning_with_word_colon_needs_blank_line() -> None:
    _, problems = parse("::: claim\nby: Ann\nnote: this looks like a field\n:::")
    assert [str(p) for p in problems] == [
        "a.md:3:1: error: unknown field 'note' (if the text begins with 'word: ', put a blank line before it)"]
    parts, problems = parse("::: claim\nby: Ann\n\nnote: this is text\n:::")
    assert problems == [] and parts[0].text == "note: this is text"


def test_colons_inside_fenced_code_are_not_blocks() -> None:
    parts, problems = parse("```\n::: claim\n```\n\n~~~~\n:::\n~~~~")
    assert problems == []
    assert len(parts) == 1 and isinstance(parts[0], Prose)


def test_fenced_code_inside_a_block_may_hold_colons() -> None:
    parts, problems = parse("::: statement\nby: Ann\n\n```\n:::\n```\n:::")
    assert problems == []
    assert parts[0].text == "```\n:::\n```"


def test_longer_colon_runs_open_and_close() -> None:
    parts, problems = parse("::::: denial\nby: Bob\nanswers: x\n\nNo.\n::::::")
    assert problems == [] and parts[0].kind == "denial"


def test_indented_colons_are_prose() -> None:
    parts, problems = parse("    ::: claim\n")
    assert problems == [] and isinstance(parts[0], Prose)


def test_unclosed_block_is_reported_at_its_opening() -> None:
    _, problems = parse("Intro\n::: claim\nby: Ann\n\nText")
    assert [str(p) for p in problems] == [
        "a.md:2:1: error: statement block 'claim' is not closed (end it with a line of ':::')"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from([":::", "::: claim", "::: denial", "::: bogus", "```", "~~~", "by: Ann", "id: x", "", "> q",
                     "answers: x", "sayd: y", "text", "::::", "::: no-comment"]),
    st.text(max_size=30)), max_size=25))
def test_any_lines_give_parts_or_problems(lines: list[str]) -> None:
    text = "\n".join(lines)
    parts, problems = split_blocks(text.split("\n"), 1, "a.md")
    for problem in problems:
        assert problem.location.path == "a.md" and problem.location.line >= 1
    for part in parts:
        assert isinstance(part, Prose | RawBlock)
