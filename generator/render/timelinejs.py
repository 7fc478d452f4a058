"""timelines/<slug>/timelinejs.json: a timeline in TimelineJS3's JSON format, for newsrooms' embeds.

TimelineJS3 (Knight Lab) reads {"title": slide, "events": [slide…]}; a slide has a
`start_date` of year, month, day (and hour, minute), `display_date`, `text` {headline, text}
and `group`. A date gives only the parts its precision knows: "November 2024" has no day.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from markupsafe import escape

from ..i18n import Language
from ..i18n.labels import KIND_LABELS, STATUS_LABELS
from ..model import FuzzyDate, Precision, Statement
from .contexts import TimelineDataContext
from .filters import date_label, phrase_label, showing_status, statement_html
from .pages import Page

if TYPE_CHECKING:
    from .renderer import Renderer


def timelinejs_json(renderer: Renderer, page: Page) -> bytes:
    """The TimelineJS3 document of the page's timeline: a title slide, then one event per statement."""
    timeline = cast(TimelineDataContext, page.context).timeline
    statements = renderer.site.statements
    data = {
        "title": {"text": {"headline": str(escape(timeline.title)), "text": timeline.intro_html}},
        "events": [_event(renderer, statements[i]) for i in timeline.statements],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def start_date(date: FuzzyDate) -> dict[str, int]:
    """TimelineJS3's date object, only as precise as `date` (a week is placed on its Monday)."""
    value = date.value
    parts = {"year": value.year}
    if date.precision is not Precision.YEAR:
        parts["month"] = value.month
    if date.precision in (Precision.DAY, Precision.WEEK):
        parts["day"] = value.day
    if date.moment is not None:
        parts.update(hour=date.moment.hour, minute=date.moment.minute)
    return parts


def display_date(date: FuzzyDate, language: Language) -> str:
    """The date as the site shows it, with the reporter's words: "7 Nov 2024 · ‘Thursday’"."""
    phrase = phrase_label(date, language)
    return f"{date_label(date, language)} · ‘{phrase}’" if phrase else date_label(date, language)


def _event(renderer: Renderer, statement: Statement) -> dict[str, Any]:
    speaker = renderer.index.speaker_of(statement)
    language = renderer.language
    _ = language.gettext
    labels = [_(KIND_LABELS[statement.kind])]
    if showing_status(statement):
        labels.append(_(STATUS_LABELS[statement.status]))
    verdict = renderer.verdict_of(statement)
    if verdict is not None:
        labels.append(_("Verdict: %(label)s") % {"label": verdict.label})
    text = [f"<p>{escape(' · '.join(labels))}</p>",
            str(statement_html(statement, language, renderer.article_lang(statement)))]
    if statement.verdict_note:
        text.append(f"<p>{escape(statement.verdict_note)}</p>")
    text.append(f'<p><a href="{escape(renderer.abs_url("statement", statement.id))}">{escape(_("Permalink"))}</a></p>')
    return {
        "unique_id": statement.id,
        "start_date": start_date(statement.said),
        "display_date": display_date(statement.said, language),
        "text": {"headline": str(escape(f"{speaker.name}{', ' + statement.role if statement.role else ''}")),
                 "text": "\n".join(text)},
        "group": speaker.name,
    }
