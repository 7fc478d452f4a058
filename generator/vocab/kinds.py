"""Statement kinds and statuses: their names, labels, what each kind needs, and the status rule.

The one place these are defined. The block parser, the model, the linker, the theme's
labels, the scaffold's help text and the JSON schema all derive from the tables here
(tests/test_vocab.py checks the schema and the docs against them). The words a reader sees
are gettext msgids marked with `N_`, so that `pybabel extract` finds them here; they are
translated where they are shown. Whole phrases are messages of their own ("Answers to this
denial"), because in many languages the words around a kind agree with it (German "dieses
Dementi", "diese Behauptung").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..i18n import N_


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
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.RETRACTED: N_("Retracted"), Status.CORRECTED: N_("Corrected"), Status.CONTESTED: N_("Contested"),
    Status.DENIED: N_("Denied"), Status.DISPUTED: N_("Disputed"), Status.CONFIRMED: N_("Confirmed"),
    Status.UNCONFIRMED: N_("Unconfirmed"), Status.UNANSWERED: N_("Unanswered"),
}


@dataclass(frozen=True)
class KindInfo:
    """What a kind means and the words that show it; whether it answers, and whether only the answered
    author may use it."""

    label: str  # on its card: "Denial"
    noun: str  # in running text: "Answered by Dmitry Peskov (denial)"
    thread: str  # the list of answers under a statement of this kind
    answered: str  # a statement of this kind, as its answers name it: "Dmitry Peskov’s denial of 11 Nov 2024"
    meaning: str  # for the docs' table
    needs_answers: bool
    own_author: bool = False  # a correction or retraction amends its own author's statement


KINDS: dict[Kind, KindInfo] = {
    Kind.CLAIM: KindInfo(
        N_("Claim"), N_("claim"), N_("Answers to this claim"), N_("%(speaker)s’s claim of %(date)s"),
        "asserts that something happened or is true", needs_answers=False),
    Kind.STATEMENT: KindInfo(
        N_("Statement"), N_("statement"), N_("Answers to this statement"), N_("%(speaker)s’s statement of %(date)s"),
        "anything else said on the record", needs_answers=False),
    Kind.DENIAL: KindInfo(
        N_("Denial"), N_("denial"), N_("Answers to this denial"), N_("%(speaker)s’s denial of %(date)s"),
        "says the answered statement is false", needs_answers=True),
    Kind.CONFIRMATION: KindInfo(
        N_("Confirmation"), N_("confirmation"), N_("Answers to this confirmation"),
        N_("%(speaker)s’s confirmation of %(date)s"),
        "says it is true", needs_answers=True),
    Kind.DISPUTE: KindInfo(
        N_("Dispute"), N_("dispute"), N_("Answers to this dispute"), N_("%(speaker)s’s dispute of %(date)s"),
        "contests part of it, or gives another account", needs_answers=True),
    Kind.NO_COMMENT: KindInfo(
        N_("No comment"), N_("no comment"), N_("Answers to this no comment"),
        N_("%(speaker)s’s no comment of %(date)s"),
        "declines to confirm or deny", needs_answers=True),
    Kind.CORRECTION: KindInfo(
        N_("Correction"), N_("correction"), N_("Answers to this correction"),
        N_("%(speaker)s’s correction of %(date)s"),
        "its own author amends it", needs_answers=True, own_author=True),
    Kind.RETRACTION: KindInfo(
        N_("Retraction"), N_("retraction"), N_("Answers to this retraction"),
        N_("%(speaker)s’s retraction of %(date)s"),
        "its own author withdraws it", needs_answers=True, own_author=True),
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
