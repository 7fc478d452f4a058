"""Statement kinds and statuses: their names, labels, what each kind needs, and the status rule.

The one place these are defined. The block parser, the model, the linker, the theme's
labels, the scaffold's help text and the JSON schema all derive from the tables here
(tests/test_vocab.py checks the schema and the docs against them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a statement does."""

    CLAIM = "claim"
    STATEMENT = "statement"
    DENIAL = "denial"
    CONFIRMATION = "confirmation"
    DISPUTE = "dispute"
    NO_COMMENT = "no-comment"
    CORRECTION = "correction"
    RETRACTION = "retraction"

    @property
    def needs_answers(self) -> bool:
        """Whether a block of this kind must say which statement it `answers`."""
        return KINDS[self].needs_answers

    @property
    def label(self) -> str:
        """The kind as a reader sees it ("No comment")."""
        return KINDS[self].label


class Status(StrEnum):
    """What the answers to a statement say of it; see `status_of`."""

    RETRACTED = "retracted"
    CORRECTED = "corrected"
    CONTESTED = "contested"
    DENIED = "denied"
    DISPUTED = "disputed"
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    UNANSWERED = "unanswered"

    @property
    def label(self) -> str:
        """The status as a reader sees it ("Denied")."""
        return self.value.capitalize()


@dataclass(frozen=True)
class KindInfo:
    """What a kind means: its label, whether it answers, and whether only the answered author may use it."""

    label: str
    meaning: str
    needs_answers: bool
    own_author: bool = False  # a correction or retraction amends its own author's statement


KINDS: dict[Kind, KindInfo] = {
    Kind.CLAIM: KindInfo("Claim", "asserts that something happened or is true", needs_answers=False),
    Kind.STATEMENT: KindInfo("Statement", "anything else said on the record", needs_answers=False),
    Kind.DENIAL: KindInfo("Denial", "says the answered statement is false", needs_answers=True),
    Kind.CONFIRMATION: KindInfo("Confirmation", "says it is true", needs_answers=True),
    Kind.DISPUTE: KindInfo("Dispute", "contests part of it, or gives another account", needs_answers=True),
    Kind.NO_COMMENT: KindInfo("No comment", "declines to confirm or deny", needs_answers=True),
    Kind.CORRECTION: KindInfo("Correction", "its own author amends it", needs_answers=True, own_author=True),
    Kind.RETRACTION: KindInfo("Retraction", "its own author withdraws it", needs_answers=True, own_author=True),
}

KIND_NAMES: tuple[str, ...] = tuple(kind.value for kind in Kind)

# A statement's status from the kinds of its direct answers: the first rule whose kinds are all
# among the answers (and, when `any_of` is given, one of those too) wins. The note is for the docs.
STATUS_RULES: tuple[tuple[Status, frozenset[Kind], frozenset[Kind], str], ...] = (
    (Status.RETRACTED, frozenset({Kind.RETRACTION}), frozenset(), "a retraction"),
    (Status.CORRECTED, frozenset({Kind.CORRECTION}), frozenset(), "a correction"),
    (Status.CONTESTED, frozenset({Kind.CONFIRMATION}), frozenset({Kind.DENIAL, Kind.DISPUTE}),
     "a confirmation and a denial or dispute"),
    (Status.DENIED, frozenset({Kind.DENIAL}), frozenset(), ""),
    (Status.DISPUTED, frozenset({Kind.DISPUTE}), frozenset(), ""),
    (Status.CONFIRMED, frozenset({Kind.CONFIRMATION}), frozenset(), ""),
    (Status.UNCONFIRMED, frozenset({Kind.NO_COMMENT}), frozenset(), "only no-comments"),
)


def status_of(answer_kinds: Iterable[Kind]) -> Status:
    """A statement's status from the kinds of its direct answers; first match wins."""
    kinds = set(answer_kinds)
    for status, all_of, any_of, _ in STATUS_RULES:
        if all_of <= kinds and (not any_of or kinds & any_of):
            return status
    return Status.UNANSWERED


def kinds_table() -> str:
    """The docs' table of kinds (docs/content.md), made from `KINDS`."""
    rows = [f"| `{kind}` | {info.meaning} | {'required' if info.needs_answers else 'optional'} |"
            for kind, info in KINDS.items()]
    return "\n".join(["| kind | meaning | `answers` |", "|---|---|---|", *rows])


def status_rule_text() -> str:
    """The docs' sentence naming every status in rule order (docs/content.md), made from `STATUS_RULES`."""
    parts = [f"**{status}** ({note})" if note else f"**{status}**" for status, _, _, note in STATUS_RULES]
    return " · ".join([*parts, f"**{Status.UNANSWERED}**"]) + "."
