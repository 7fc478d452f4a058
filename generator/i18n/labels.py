"""The words the theme shows for kinds, statuses and dates, as gettext msgids (English).

Kinds' and statuses' words are defined with the kinds, in `vocab/kinds.py`; the date words
here. Each is marked with `N_` so that `pybabel extract` finds the strings; they are
translated where they are shown (`Language.gettext`).
"""

from __future__ import annotations

from ..vocab.kinds import KINDS, STATUS_LABELS
from . import N_

__all__ = ["ANSWERED_LABELS", "APPROXIMATE", "KIND_LABELS", "KIND_NOUNS", "MONTH_PARTS", "STATUS_LABELS",
           "THREAD_LABELS", "WEEK_OF"]

# the kinds' and statuses' words are the vocabulary's (vocab/kinds.py): one table, derived here by use
KIND_LABELS = {kind: info.label for kind, info in KINDS.items()}
KIND_NOUNS = {kind: info.noun for kind, info in KINDS.items()}  # "Answered by Dmitry Peskov (denial)"
THREAD_LABELS = {kind: info.thread for kind, info in KINDS.items()}  # the list of answers under a statement
ANSWERED_LABELS = {kind: info.answered for kind, info in KINDS.items()}  # "Dmitry Peskov’s denial of 11 Nov 2024"

# dates: "early Nov 2024", "week of 4 Nov 2024", "c. 7 Nov 2024"
MONTH_PARTS = {"early": N_("early %(month)s"), "mid": N_("mid %(month)s"), "late": N_("late %(month)s")}
WEEK_OF = N_("week of %(date)s")
APPROXIMATE = N_("c. %(date)s")
