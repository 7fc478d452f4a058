"""Languages: the theme's words from gettext catalogs, dates from CLDR, a site's own strings over both.

The catalogs that ship must be complete and compiled from their .po files, and the template
(.pot) must hold exactly what the theme and the label tables mark; `pybabel` makes them
(docs/i18n.md). A French and a Russian site built from the same content differ only in words.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from generator import i18n
from generator.build import build_site
from generator.cli import main
from generator.i18n import LOCALES_DIR, TEMPLATE, Language, catalog_locales, known_messages, missing_messages
from generator.model import FuzzyDate, Precision
from generator.render.filters import date_label

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["ar", "de", "en", "es", "fr", "ru", "uk"]


def fuzzy(value: str, precision: str, phrase: str = "", **extra) -> FuzzyDate:
    return FuzzyDate(dt.date.fromisoformat(value), Precision(precision), phrase or value, **extra)


DAY = fuzzy("2024-11-07", "day")
WEEK = fuzzy("2024-11-04", "week")
MONTH = fuzzy("2024-11-01", "month")
EARLY = fuzzy("2024-11-01", "month", "early November", part="early")
LATE = fuzzy("2024-11-01", "month", "late November", part="late")
CIRCA = fuzzy("2024-11-07", "day", approximate=True)
YEAR = fuzzy("2024-01-01", "year")
MOMENT = fuzzy("2024-11-07", "day", moment=dt.datetime(2024, 11, 7, 14, 30, tzinfo=dt.UTC))


@pytest.mark.parametrize(("code", "date", "label"), [
    ("en", DAY, "7 Nov 2024"), ("en-GB", DAY, "7 Nov 2024"), ("en-US", DAY, "Nov 7, 2024"),
    ("fr", DAY, "7 nov. 2024"), ("de", DAY, "7. Nov. 2024"), ("es", DAY, "7 nov 2024"),
    ("ru", DAY, "7 нояб. 2024\u202fг."), ("uk", DAY, "7 лист. 2024\u202fр."), ("ar", DAY, "7 نوفمبر 2024"),
    ("en", WEEK, "week of 4 Nov 2024"), ("fr", WEEK, "semaine du 4 nov. 2024"), ("de", WEEK, "Woche vom 4. Nov. 2024"),
    ("ru", WEEK, "неделя с 4 нояб. 2024\u202fг."),
    ("en", MONTH, "Nov 2024"), ("fr", MONTH, "nov. 2024"), ("ru", MONTH, "нояб. 2024\u202fг."),
    ("en", EARLY, "early Nov 2024"), ("fr", EARLY, "début nov. 2024"), ("de", LATE, "Ende Nov. 2024"),
    ("es", EARLY, "principios de nov 2024"), ("uk", LATE, "кінець лист. 2024\u202fр."),
    ("en", CIRCA, "c. 7 Nov 2024"), ("fr", CIRCA, "env. 7 nov. 2024"), ("de", CIRCA, "ca. 7. Nov. 2024"),
    ("ru", CIRCA, "ок. 7 нояб. 2024\u202fг."),
    ("en", YEAR, "2024"), ("de", YEAR, "2024"),
    ("en", MOMENT, "7 Nov 2024, 14:30"), ("de", MOMENT, "7. Nov. 2024, 14:30"),
])
def test_dates_are_formatted_from_cldr_in_the_sites_language(code: str, date: FuzzyDate, label: str) -> None:
    assert date_label(date, Language(code)) == label


def test_english_keeps_counterponts_abbreviations_except_cldrs_sept() -> None:
    # CLDR's international and British English abbreviate September 'Sept': accepted (docs/i18n.md)
    english = Language("en")
    labels = [date_label(fuzzy(f"2024-{m:02d}-01", "day"), english) for m in range(1, 13)]
    assert labels == [f"1 {m} 2024" for m in
                      ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec")]


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_catalogs_are_complete(code: str) -> None:
    assert code in catalog_locales()
    assert missing_messages(code) == []


def test_a_language_without_a_catalog_lists_every_message_and_falls_back_to_english() -> None:
    assert missing_messages("it") == known_messages()
    italian = Language("it")
    assert italian.gettext("Permalink") == "Permalink"
    assert date_label(DAY, italian) == "7 nov 2024"  # dates still come from CLDR


def test_regional_variants_use_their_language_catalog() -> None:
    assert Language("fr-CA").gettext("Permalink") == "Lien permanent"
    assert missing_messages("de-AT") == []


@pytest.mark.parametrize("code", SHIPPED)
def test_compiled_catalogs_match_their_po_files(code: str) -> None:
    folder = LOCALES_DIR / code / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as file:
        po = read_po(file, locale=code)
    with (folder / "messages.mo").open("rb") as file:
        mo = read_mo(file)
    def strings(catalog) -> dict:
        return {_text(m.id): _text(m.string) for m in catalog if m.id}

    assert strings(po) == strings(mo), \
        "run 'pybabel compile -d generator/i18n/locales -D messages' (docs/i18n.md)"


def _text(value: str | tuple | list) -> str:
    return "\x00".join(value) if isinstance(value, tuple | list) else value


def test_the_catalog_template_holds_every_message_the_theme_marks(tmp_path: Path) -> None:
    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "generator/i18n/babel.cfg",
                    "-k", "N_", "-k", "plural_strings:1,2", "--no-location", "--sort-output", "-o", str(out), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as fresh, TEMPLATE.open("rb") as shipped:
        assert [m.id for m in read_po(fresh)] == [m.id for m in read_po(shipped)], \
            "the theme's messages changed: run pybabel extract, then update (docs/i18n.md)"


def test_plural_forms_follow_the_language() -> None:
    russian = Language("ru")
    forms = [russian.ngettext("%(num)s statement", "%(num)s statements", n) % {"num": n} for n in (1, 3, 5, 21)]
    assert forms == ["1 заявление", "3 заявления", "5 заявлений", "21 заявление"]
    assert russian.plural_samples() == {"many": 0, "one": 1, "few": 2}
    assert Language("en").plural_samples() == {"other": 0, "one": 1}


# --- built sites ----------------------------------------------------------------------------------------------

ARTICLE = """---
title: Ministry denies the dam report
date: 2024-11-11
timeline: dam
tags: [water]
---

The ministry answered a report about the dam.

::: claim
id: dam-cracked
by: The Valley Herald
said: 2024-11-07
about: 2024-11
lang: en
verdict: mostly-false
> The dam cracked in early November.
:::

::: denial
id: ministry-denies
by: Ministry of Water
answers: dam-cracked
said: ~2024-11-10
via: Radio One
lang: en

> There is no crack in the dam.
:::

::: no-comment
by: Dam Operator
answers: dam-cracked

The operator declined to comment.
:::

::: statement
id: mayor-of-dnipro
by: Olena Koval
answers: dam-cracked
lang: uk
translated_by: Radio One
translation: |
  The dam is *safe*.

  Engineers inspect it every week.

> Дамба *в безпеці*.
>
> Інженери перевіряють її щотижня.
:::
"""


def make_site(folder: Path, language: str, extra: str = "") -> Path:
    (folder / "content" / "articles").mkdir(parents=True)
    (folder / "content" / "articles" / "2024-11-11-dam.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "site.toml").write_text(f'title = "Valley"\nbase_url = "https://example.org/"\n'
                                      f'language = "{language}"\n{extra}', encoding="utf-8")
    return folder


def built(tmp_path: Path, language: str, extra: str = "") -> Path:
    site = make_site(tmp_path / f"site-{language}", language, extra)
    result = build_site(site, out_dir=tmp_path / f"out-{language}", use_cache=False)
    assert result.ok, [str(p) for p in result.problems]
    return tmp_path / f"out-{language}"


def search_records(out: Path) -> dict[str, dict]:
    """Pagefind's record of each article (its fragment files), by URL."""
    records = {}
    for path in (out / "pagefind" / "fragment").iterdir():
        record = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    return records


class Skeleton(HTMLParser):
    """An HTML page's elements and their attributes, without text or the attributes that carry words."""

    WORDY = {"lang", "aria-label", "title", "content", "data-strings", "data-count-said", "data-count-about",
             "data-current-label"}

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.items.append((tag, tuple((k, v) for k, v in attrs if k not in self.WORDY)))
        self.texts.extend(v for k, v in attrs if k in self.WORDY and v)

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("/" + tag,))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())


def skeleton(html: str) -> Skeleton:
    parser = Skeleton()
    parser.feed(html)
    return parser


def test_a_french_and_a_russian_site_differ_only_in_language(tmp_path: Path) -> None:
    french, russian = built(tmp_path, "fr"), built(tmp_path, "ru")
    pages = sorted(p.relative_to(french).as_posix() for p in french.rglob("*.html"))
    assert pages == sorted(p.relative_to(russian).as_posix() for p in russian.rglob("*.html"))
    assert len(pages) >= 10
    for path in pages:
        fr, ru = skeleton((french / path).read_text()), skeleton((russian / path).read_text())
        assert fr.items == ru.items, path
        assert fr.texts != ru.texts, path
    statement = (french / "statements/ministry-denies/index.html").read_text()
    assert '<html lang="fr">' in statement
    assert "Démenti de Ministry of Water" in statement and "via Radio One" in statement
    assert 'En réponse à\u00a0: <a href="/statements/dam-cracked/">affirmation de The Valley Herald du ' \
           '7 nov. 2024</a>' in statement
    assert "env. 10 nov. 2024" in statement and "Lien permanent" in statement
    russian_statement = (russian / "statements/ministry-denies/index.html").read_text()
    assert '<html lang="ru">' in russian_statement
    assert 'В ответ на <a href="/statements/dam-cracked/">утверждение от 7 нояб. 2024\u202fг. (The Valley Herald)' \
        in russian_statement
    assert "ок. 10 нояб. 2024\u202fг." in russian_statement and "через Radio One" in russian_statement
    claim = (russian / "statements/dam-cracked/index.html").read_text()
    assert 'aria-label="Ответы на это утверждение"' in claim and "3 ответа" in claim
    assert "Опровергнуто" in claim  # its status


def test_every_word_of_a_french_site_is_french(tmp_path: Path) -> None:
    out = built(tmp_path, "fr")
    english = set(known_messages()) - {"Permalink", "Source", "Site", "Confirmation", "Correction", "Statement",
                                       "%(speaker)s:", "via %(name)s", "in %(article)s", "Tags", "Search",
                                       "Verdict"}
    for path in out.rglob("*.html"):
        texts = skeleton(path.read_text()).texts
        assert not english & set(texts), (path, english & set(texts))
    timeline = (out / "timelines/dam/index.html").read_text()
    for words in ("Trier par", "Date de la déclaration", "Date des faits", "Tous les intervenants", "Tous les types",
                  "4 déclarations", "Données (JSON)", "Flux Atom"):
        assert words in timeline
    assert ('"said": {"one": "{shown} sur {count} d\\u00e9claration affich\\u00e9e, par date de la '
            'd\\u00e9claration.", "other": "{shown} sur {count} d\\u00e9clarations affich\\u00e9es, par date de '
            'la d\\u00e9claration."}') in timeline
    assert '"more": "Afficher plus"' in timeline
    assert '"loading": "Chargement de toute la chronologie\\u2026"' in timeline
    # the count line the page is served with is the one timeline.js writes for the whole timeline
    assert '<p class="count" id="timeline-count" aria-live="polite">4 sur 4 déclarations affichées, par date de la ' \
           'déclaration.</p>' in timeline
    # the default verdict scale speaks the site's language: badge, filter, ClaimReview, TimelineJS
    assert '<span class="verdict v-mostly-false">Verdict\u00a0: Plutôt faux</span>' in timeline
    assert '<option value="">Tous les verdicts</option>' in timeline
    assert '<option value="mostly-false">Plutôt faux</option>' in timeline
    claim = (out / "statements/dam-cracked/index.html").read_text()
    assert '"reviewRating":{"@type":"Rating","alternateName":"Plutôt faux"' in claim
    assert "Verdict\u00a0: Plutôt faux" in (out / "timelines/dam/timelinejs.json").read_text()
    search = (out / "search/index.html").read_text()
    assert '"loading": "Chargement de la recherche\\u2026"' in search
    assert '"matches": {"one": "{count} article correspond", "other": "{count} articles correspondent"}' in search
    assert "<option>Démenti</option>" in search and "<option>Sans réponse</option>" in search
    record = search_records(out)["/articles/dam/"]  # Pagefind's: its filters and headings match the page's words
    assert "Démenti" in record["filters"]["kind"] and "Sans réponse" in record["filters"]["status"]
    assert "Démenti de Ministry of Water, env. 10 nov. 2024" in [a["text"] for a in record["anchors"]]
    assert record["meta"]["date"] == "11 nov. 2024"
    feed = (out / "timelines/dam/feed.xml").read_text()
    assert 'xml:lang="fr"' in feed and "(démenti)" in feed and "En réponse à" in feed


def test_a_verdict_scale_of_the_sites_own_is_shown_as_written(tmp_path: Path) -> None:
    out = built(tmp_path, "fr", '\n[verdicts]\nmostly-false = { label = "False", value = 2 }\n')
    timeline = (out / "timelines/dam/index.html").read_text()
    assert '<span class="verdict v-mostly-false">Verdict\u00a0: False</span>' in timeline
    assert '<option value="mostly-false">False</option>' in timeline


def test_a_site_overrides_any_string_and_its_text_stays_text(tmp_path: Path) -> None:
    out = built(tmp_path, "en", '\n[strings]\n"Answers to this claim" = "Replies"\n'
                                '"Permalink" = "Link <b>here</b>"\n"Denial" = "Démenti"\n')
    claim = (out / "statements/dam-cracked/index.html").read_text()
    assert 'aria-label="Replies"' in claim and "Answers to this claim" not in claim
    assert ">Link &lt;b&gt;here&lt;/b&gt;</a>" in claim
    assert "Démenti" in search_records(out)["/articles/dam/"]["filters"]["kind"]


def test_missing_strings_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["translations", "--missing", "fr"]) == 0
    assert "fr: every one of" in capsys.readouterr().out
    assert main(["translations", "--missing", "it"]) == 1
    out = capsys.readouterr().out
    assert "Permalink" in out.splitlines() and f"it: {len(known_messages())} untranslated" in out
    site = tmp_path / "site"
    make_site(site, "it", '\n[strings]\n"Permalink" = "Link permanente"\n')
    assert main(["translations", "--missing", "it", "--site", str(site)]) == 1
    out = capsys.readouterr().out
    assert "Permalink" not in out.splitlines() and f"it: {len(known_messages()) - 1} untranslated" in out
    assert main(["translations", "--missing", "klingon"]) == 2
    assert "unknown language" in capsys.readouterr().err


def test_adding_a_language_is_init_translate_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documented step (docs/i18n.md), on a copy of the catalogs: the new one is listed, found and used."""
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales)
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    monkeypatch.setattr(i18n, "TEMPLATE", locales / "messages.pot")
    frontend = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*frontend, "init", "-i", str(locales / "messages.pot"), "-d", str(locales), "-D", "messages",
                    "-l", "it"], check=True, capture_output=True)
    po = locales / "it" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "Permalink"\nmsgstr ""', 'msgid "Permalink"\nmsgstr "Link permanente"'),
                  encoding="utf-8")
    subprocess.run([*frontend, "compile", "-d", str(locales), "-D", "messages", "-l", "it"],
                   check=True, capture_output=True)
    assert "it" in i18n.catalog_locales()
    assert Language("it").gettext("Permalink") == "Link permanente"
    missing = missing_messages("it")
    assert "Permalink" not in missing and len(missing) == len(known_messages()) - 1


# --- quotations in their own language ------------------------------------------------------------------------


def test_a_quotation_keeps_its_language_and_shows_its_translation(tmp_path: Path) -> None:
    out = built(tmp_path, "ru")
    page = (out / "statements/mayor-of-dnipro/index.html").read_text()
    assert '<blockquote lang="uk">\n<p>Дамба <em>в безпеці</em>.</p>\n<p>Інженери перевіряють її щотижня.</p>' in page
    assert ('<div class="translation">\n<p class="translation-label">Перевод · <span class="translated-by">Radio One'
            '</span></p>\n<p>The dam is <em>safe</em>.</p>\n<p>Engineers inspect it every week.</p>\n</div>') in page
    assert '<blockquote lang="en">' in (out / "statements/ministry-denies/index.html").read_text()
    data = json.loads((out / "timelines/dam/timeline.json").read_text())
    mayor = next(s for s in data["statements"] if s["id"] == "mayor-of-dnipro")
    assert mayor["lang"] == "uk" and mayor["text"] == "Дамба в безпеці. Інженери перевіряють її щотижня."
    assert mayor["translation"] == {"text": "The dam is safe. Engineers inspect it every week.",
                                    "html": "<p>The dam is <em>safe</em>.</p>\n<p>Engineers inspect it every week.</p>",
                                    "translated_by": "Radio One"}
    assert next(s for s in data["statements"] if s["id"] == "dam-operator" or s["kind"] == "no-comment")[
        "translation"] is None
    record = search_records(out)["/articles/dam/"]  # the quotation is found by its words and by its translation's
    assert "Дамба в безпеці" in record["content"] and "The dam is safe." in record["content"]
    feed = (out / "timelines/dam/feed.xml").read_text()
    assert "&lt;blockquote lang=&#34;uk&#34;&gt;" in feed and "Перевод · Radio One" in feed


def test_json_ld_carries_the_language_and_the_translation_as_schema_org_defines_them(tmp_path: Path) -> None:
    out = built(tmp_path, "ru")
    page = (out / "statements/mayor-of-dnipro/index.html").read_text()
    # the page's statement is the first Claim of the graph; its answers follow
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))["@graph"][0]
    # Claim is a CreativeWork: inLanguage (Text, BCP 47) and workTranslation (a CreativeWork) apply to it;
    # the translation's translator (a Person or an Organization) is a CreativeWork's property too
    assert data["@type"] == "Claim" and data["@id"].endswith("/statements/mayor-of-dnipro/")
    assert data["inLanguage"] == "uk"
    assert data["workTranslation"] == {"@type": "CreativeWork", "inLanguage": "ru", "translator": {"name": "Radio One"},
                                       "text": "The dam is safe. Engineers inspect it every week."}
    graph = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                 (out / "statements/ministry-denies/index.html").read_text()).group(1))["@graph"]
    assert [c["@id"].rsplit("/", 2)[1] for c in graph] == ["ministry-denies"]
    assert "workTranslation" not in graph[0] and graph[0]["inLanguage"] == "en"


def test_a_quotation_in_a_right_to_left_language_on_a_left_to_right_site_gets_dir(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", "en")
    article = site / "content/articles/2024-11-11-dam.md"
    article.write_text(article.read_text().replace("lang: uk", "lang: ar").replace(
        "> Дамба *в безпеці*.", "> السد آمن."), encoding="utf-8")
    assert build_site(site, out_dir=tmp_path / "out", use_cache=False).ok
    page = (tmp_path / "out/statements/mayor-of-dnipro/index.html").read_text()
    assert '<blockquote lang="ar" dir="rtl">' in page


def test_the_pages_of_a_long_list_speak_the_sites_language(tmp_path: Path) -> None:
    out = built(tmp_path, "fr", "\n[pagination]\nper_page = 2\n")
    first = (out / "timelines/dam/index.html").read_text()
    second = (out / "timelines/dam/page/2/index.html").read_text()
    assert '<nav class="pager" aria-label="Pages de cette chronologie">' in first
    assert '<p class="pager-where">Page 1 sur 2</p>' in first and ">Suivante →</a>" in first
    assert "← Précédente</a>" in second and "<title>Dam (page 2) — " in second
    assert 'data-json="/timelines/dam/timeline.json"' in first and '"more": "Afficher plus"' in first
    english = set(known_messages()) - {"Permalink", "Source", "Site", "Confirmation", "Correction", "Statement",
                                       "%(speaker)s:", "via %(name)s", "in %(article)s", "Tags", "Search",
                                       "Verdict"}
    for path in out.rglob("*.html"):
        texts = skeleton(path.read_text()).texts
        assert not english & set(texts), (path, english & set(texts))
