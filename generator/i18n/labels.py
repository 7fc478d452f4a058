"""The words the theme shows for kinds, statuses and dates, as gettext msgids (English).

Each table is marked with `N_` so that `pybabel extract` finds the strings; they are
translated where they are shown (`Language.gettext`). Whole phrases are messages of their
own ("Answers to this denial"), because in many languages the words around a kind agree
with it (German "dieses Dementi", "diese Behauptung").
"""

from __future__ import annotations

from ..model import Kind, Status
from . import N_

KIND_LABELS = {
    Kind.CLAIM: N_("Claim"), Kind.STATEMENT: N_("Statement"), Kind.DENIAL: N_("Denial"),
    Kind.CONFIRMATION: N_("Confirmation"), Kind.DISPUTE: N_("Dispute"), Kind.NO_COMMENT: N_("No comment"),
    Kind.CORRECTION: N_("Correction"), Kind.RETRACTION: N_("Retraction"),
}

# a kind in running text: "Answered by Dmitry Peskov (denial)"
KIND_NOUNS = {
    Kind.CLAIM: N_("claim"), Kind.STATEMENT: N_("statement"), Kind.DENIAL: N_("denial"),
    Kind.CONFIRMATION: N_("confirmation"), Kind.DISPUTE: N_("dispute"), Kind.NO_COMMENT: N_("no comment"),
    Kind.CORRECTION: N_("correction"), Kind.RETRACTION: N_("retraction"),
}

STATUS_LABELS = {
    Status.RETRACTED: N_("Retracted"), Status.CORRECTED: N_("Corrected"), Status.CONTESTED: N_("Contested"),
    Status.DENIED: N_("Denied"), Status.DISPUTED: N_("Disputed"), Status.CONFIRMED: N_("Confirmed"),
    Status.UNCONFIRMED: N_("Unconfirmed"), Status.UNANSWERED: N_("Unanswered"),
}

# the label of the list of answers under a statement
THREAD_LABELS = {
    Kind.CLAIM: N_("Answers to this claim"), Kind.STATEMENT: N_("Answers to this statement"),
    Kind.DENIAL: N_("Answers to this denial"), Kind.CONFIRMATION: N_("Answers to this confirmation"),
    Kind.DISPUTE: N_("Answers to this dispute"), Kind.NO_COMMENT: N_("Answers to this no comment"),
    Kind.CORRECTION: N_("Answers to this correction"), Kind.RETRACTION: N_("Answers to this retraction"),
}

# the statement an answer answers: "Dmitry Peskov’s denial of 11 Nov 2024"
ANSWERED_LABELS = {
    Kind.CLAIM: N_("%(speaker)s’s claim of %(date)s"), Kind.STATEMENT: N_("%(speaker)s’s statement of %(date)s"),
    Kind.DENIAL: N_("%(speaker)s’s denial of %(date)s"),
    Kind.CONFIRMATION: N_("%(speaker)s’s confirmation of %(date)s"),
    Kind.DISPUTE: N_("%(speaker)s’s dispute of %(date)s"),
    Kind.NO_COMMENT: N_("%(speaker)s’s no comment of %(date)s"),
    Kind.CORRECTION: N_("%(speaker)s’s correction of %(date)s"),
    Kind.RETRACTION: N_("%(speaker)s’s retraction of %(date)s"),
}

# dates: "early Nov 2024", "week of 4 Nov 2024", "c. 7 Nov 2024"
MONTH_PARTS = {"early": N_("early %(month)s"), "mid": N_("mid %(month)s"), "late": N_("late %(month)s")}
WEEK_OF = N_("week of %(date)s")
APPROXIMATE = N_("c. %(date)s")
