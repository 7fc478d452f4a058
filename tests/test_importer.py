"""`counterpoint import`: raw text → a draft article whose suggested blocks pass `check --drafts`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import scaffold
from generator.build import load_site
from generator.importer import import_files
from generator.importer.attribution import analyse_sentence
from generator.importer.drafts import TITLE_MAX, draft_text, headline
from generator.importer.read import read_raw, source_note
from generator.importer.sentences import split_sentences
from generator.importer.suggestions import ANSWERING_KINDS, suggest
from generator.load.dates import DateResolver
from generator.load.markup import MarkdownRenderer
from generator.load.parse import Tools, parse_article
from generator.model import Kind

REPO = Path(__file__).resolve().parent.parent
# The seed report lives beside the main checkout; a worktree elsewhere names it with COUNTERPOINT_SEEDS.
SEEDS = Path(os.environ.get("COUNTERPOINT_SEEDS") or Path(__file__).resolve().parents[2] / "shared" / "seeds")
DATE = dt.date(2024, 11, 11)


def seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip(f"no seed files in {SEEDS}")
    return files


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A fresh site made by `counterpoint init`, with the repository's theme."""
    if not scaffold.default_theme().is_dir():
        pytest.skip("the default theme is not there")
    target = tmp_path / "site"
    assert scaffold.init_site(target) == 0
    capsys.readouterr()
    return target


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


# ---------------------------------------------------------------------------
# The seed, imported into a new site and checked by the real check


SEED_STATEMENTS = [
    ("the-kremlin-statement", Kind.STATEMENT),
    ("the-washington-post-claim", Kind.CLAIM),
    ("donald-trump-statement", Kind.STATEMENT),
    ("donald-trump-statement-2", Kind.STATEMENT),
    ("dmitry-peskov-denial", Kind.DENIAL),
    ("steven-cheung-no-comment", Kind.NO_COMMENT),
]


def test_the_seed_imports_as_a_draft_that_checks_clean(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = seed_files()[0]
    assert import_files(site, [seed], timeline="trump-putin-call") == 0
    path = site / "content" / "articles" / "2024-11-11-the-kremlin-denied-a-phone-call-took-place.md"
    out, err = capsys.readouterr()
    assert out.strip() == str(path)
    assert err == ""

    text = path.read_text(encoding="utf-8")
    assert front_matter(text) == {
        "title": "The Kremlin denied a phone call took place…",
        "date": DATE,
        "draft": True,
        "timeline": "trump-putin-call",
        "tags": [],
    }
    assert "# Imported from " + seed.name in text and "needs review" in text
    assert "# The text credits The Washington Post" in text

    loaded, problems = load_site(site, drafts=True)
    assert [p for p in problems if p.is_error] == []
    assert loaded is not None
    article = loaded.articles["the-kremlin-denied-a-phone-call-took-place"]
    assert article.draft
    assert [(s.id, s.kind) for s in article.statements] == SEED_STATEMENTS
    by_id = {s.id: s for s in article.statements}

    post = by_id["the-washington-post-claim"]
    assert post.by == "The Washington Post"
    assert post.about is not None and post.about.value == dt.date(2024, 11, 7) and post.about.phrase == "on Thursday"
    assert post.text == "The two leaders spoke on Thursday."

    peskov = by_id["dmitry-peskov-denial"]
    assert (peskov.by, peskov.role, peskov.via) == ("Dmitry Peskov", "Kremlin spokesman", "Interfax")
    assert peskov.answers == ("the-washington-post-claim",)
    assert peskov.quote
    assert "This is completely untrue. This is pure fiction, this is simply false information." in peskov.text
    assert "most obvious example" in peskov.text

    cheung = by_id["steven-cheung-no-comment"]
    assert (cheung.by, cheung.role, cheung.via) == (
        "Steven Cheung", "Trump communication’s director", "Fox News Digital")
    assert cheung.answers == ("the-washington-post-claim",)
    assert cheung.quote and cheung.text.startswith("We do not comment on private calls")

    trump = by_id["donald-trump-statement-2"]
    assert (trump.by, trump.via, trump.said.phrase, trump.said.value) == (
        "Donald Trump", "NBC", "on Thursday", dt.date(2024, 11, 7))

    kremlin = by_id["the-kremlin-statement"]
    assert kremlin.answers == () and kremlin.about is not None and kremlin.about.phrase == "last week"
    comment = text[: text.index("id: the-kremlin-statement")].rsplit("<!--", 1)[1]
    assert "import suggests: denial" in comment and "add 'answers'" in comment


def test_the_seed_imports_with_the_real_command(site: Path) -> None:
    seed = seed_files()[0]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                              timeout=300, env=env, cwd=REPO)

    made = run("import", "--site", str(site), str(seed))
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith("2024-11-11-the-kremlin-denied-a-phone-call-took-place.md")
    check = run("check", "--drafts", "--site", str(site))
    assert check.returncode == 0, check.stdout + check.stderr
    again = run("import", "--site", str(site), str(seed))
    assert again.returncode == 1 and "exists already" in again.stderr


# ---------------------------------------------------------------------------
# Heuristics, one sentence at a time


def test_a_said_with_words_of_denial_is_a_denial_with_role_and_quote() -> None:
    found = analyse_sentence("Kremlin spokesman Dmitry Peskov said the report about a phone call is "
                             "“completely untrue.”")
    assert found is not None
    assert (found.subject, found.kind, found.speaker, found.role) == (
        "named", "denial", "Dmitry Peskov", "Kremlin spokesman")
    assert found.quotes == ("completely untrue.",)


def test_would_not_confirm_is_a_no_comment_and_an_appositive_gives_the_role() -> None:
    found = analyse_sentence("Trump communication’s director, Steven Cheung, would not confirm whether the call "
                             "took place.")
    assert found is not None
    assert (found.kind, found.speaker, found.role) == ("no-comment", "Steven Cheung", "Trump communication’s director")


def test_according_to_a_report_is_a_claim_whose_text_drops_the_attribution() -> None:
    found = analyse_sentence("According to a report in The Washington Post, the two leaders spoke on Thursday.")
    assert found is not None
    assert (found.kind, found.speaker, found.about, found.said) == ("claim", "The Washington Post", "on Thursday", None)
    assert found.paraphrase == "The two leaders spoke on Thursday."
    after = analyse_sentence("The two leaders spoke on Thursday, according to The Washington Post.")
    assert after is not None and after.paraphrase == "The two leaders spoke on Thursday."


@pytest.mark.parametrize(
    ("sentence", "via"),
    [
        ("“This is false,” he told Russian news agency Interfax.", "Interfax"),
        ("“We do not comment,” he told Fox News Digital.", "Fox News Digital"),
        ("Trump told NBC on Thursday that he had spoken to 70 leaders.", "NBC"),
        ("Smith told The New York Times that he disagreed.", "The New York Times"),
        ("Smith told reporters that he disagreed.", None),
        ("Smith told Russian state television that he disagreed.", None),
    ],
)
def test_via_is_the_name_that_ends_what_follows_told(sentence: str, via: str | None) -> None:
    found = analyse_sentence(sentence)
    assert found is not None and found.via == via


def test_a_phrase_after_the_verb_is_said_and_one_in_the_reported_words_is_about() -> None:
    found = analyse_sentence("Trump told NBC on Thursday that he had spoken to about 70 world leaders.")
    assert found is not None and (found.said, found.about) == ("on Thursday", None)
    found = analyse_sentence("Peskov said on Monday that the call took place last week.")
    assert found is not None and (found.said, found.about) == ("on Monday", "last week")
    found = analyse_sentence("The Kremlin denied a phone call took place last week.")
    assert found is not None and (found.kind, found.speaker, found.said, found.about) == (
        "denial", "The Kremlin", None, "last week")


@pytest.mark.parametrize(
    ("sentence", "kind", "speaker", "role"),
    [
        ("“This is false,” said Kremlin spokesman Dmitry Peskov.", "denial", "Dmitry Peskov", "Kremlin spokesman"),
        ("On Monday, Russian President Vladimir Putin said he was ready.", "statement", "Vladimir Putin",
         "Russian President"),
        ("Steven Cheung, Trump’s communications director, said little.", "statement", "Steven Cheung",
         "Trump’s communications director"),
        ("In his campaign, Trump said he would end the war.", "statement", "Trump", None),
        ("The White House declined to comment.", "no-comment", "The White House", None),
        ("Peskov did not deny the report.", "no-comment", "Peskov", None),
        ("Peskov confirmed the call.", "confirmation", "Peskov", None),
        ("The Kremlin rejected the report.", "denial", "The Kremlin", None),
        ("Peskov also told reporters there would be no comment.", "no-comment", "Peskov", None),
    ],
)
def test_kind_speaker_and_role(sentence: str, kind: str, speaker: str, role: str | None) -> None:
    found = analyse_sentence(sentence)
    assert found is not None and found.subject == "named"
    assert (found.kind, found.speaker, found.role) == (kind, speaker, role)


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("“Fine,” he told Interfax.", "pronoun"),
        ("people familiar with the matter said.", "unnamed"),
        ("Officials said the talks would resume.", "unnamed"),
        ("According to people familiar with the matter, they spoke.", "unnamed"),
        ("The ministry confirmed the meeting.", "unnamed"),
    ],
)
def test_pronouns_and_unnamed_sources(sentence: str, subject: str) -> None:
    found = analyse_sentence(sentence)
    assert found is not None and found.subject == subject


@pytest.mark.parametrize(
    "sentence",
    [
        "The Republican was said to have cautioned Putin.",
        "The call, which has not been previously reported, comes amid uncertainty.",
        "The two men discussed the goal of peace.",
        "“Nobody said anything,” the report began.",  # words inside quotes are never attribution
    ],
)
def test_sentences_that_report_no_speech(sentence: str) -> None:
    assert analyse_sentence(sentence) is None


def test_sentences_split_outside_quotes_and_not_after_abbreviations() -> None:
    text = ('Mr. Smith went to the U.S. Army base. “This is untrue. It is fiction,” he said. '
            '"We do not comment," she told Fox News. "Leaders know it."')
    assert split_sentences(text) == [
        "Mr. Smith went to the U.S. Army base.",
        "“This is untrue. It is fiction,” he said.",
        '"We do not comment," she told Fox News.',
        '"Leaders know it."',
    ]


def test_straight_and_curly_quotes_pair_in_order() -> None:
    found = analyse_sentence('“This is the most obvious example," he told Interfax.')
    assert found is not None and found.quotes == ("This is the most obvious example.",)


# ---------------------------------------------------------------------------
# Heuristics over paragraphs


def test_a_pronoun_paragraph_continues_the_speaker_before_it() -> None:
    paragraphs = [
        "According to a report in The Washington Post, the leaders spoke on Thursday.",
        "Kremlin spokesman Dmitry Peskov said the report is “completely untrue.”",
        '“It is a fine example," he told Interfax. "This is completely untrue. It is fiction."',
    ]
    claim, denial = suggest(paragraphs, DATE)
    assert (claim.id, claim.kind, claim.paragraph) == ("the-washington-post-claim", "claim", 0)
    assert (denial.id, denial.kind, denial.paragraph, denial.answers, denial.via) == (
        "dmitry-peskov-denial", "denial", 2, "the-washington-post-claim", "Interfax")
    # "completely untrue." is part of a longer quotation, so it is not repeated.
    assert denial.quotes == ("It is a fine example.", "This is completely untrue. It is fiction.")


def test_a_pronoun_after_an_unrelated_paragraph_starts_nothing() -> None:
    paragraphs = ["Peskov said the call was private.", "The weather was cold.", "“Yes,” he told Interfax."]
    [only] = suggest(paragraphs, DATE)
    assert (only.by, only.paragraph, only.via, only.quotes) == ("Peskov", 0, None, ())


def test_an_answer_with_no_earlier_claim_is_a_statement_that_names_the_kind_guessed() -> None:
    denial, claim = suggest(["The Kremlin denied the call took place.", "The Post reported that they spoke."], DATE)
    assert (denial.kind, denial.guessed, denial.answers) == ("statement", "denial", None)
    assert (claim.kind, claim.by) == ("claim", "The Post")


def test_an_answer_does_not_answer_its_own_speakers_claim() -> None:
    claim, answer = suggest(["Peskov reported that they met.", "Peskov denied it on Monday."], DATE)
    assert answer.kind == "statement" and answer.guessed == "denial"


def test_ids_are_unique_against_taken_ids_and_each_other() -> None:
    paragraphs = ["Trump said one thing.", "Trump said another."]
    found = suggest(paragraphs, DATE, taken_ids={"trump-statement"})
    assert [s.id for s in found] == ["trump-statement-2", "trump-statement-3"]


def test_a_short_name_takes_the_full_name_written_elsewhere() -> None:
    [found] = suggest(["President-elect Donald Trump won.", "Trump said he would end the war."], DATE)
    assert found.by == "Donald Trump"


def test_a_phrase_the_generator_cannot_date_is_left_out() -> None:
    [found] = suggest(["Peskov said next Tuesday that all was well."], DATE)
    assert found.said is None  # a 'said' after the article's date would be an error; it becomes 'about'
    assert found.about == "next Tuesday"


def test_headline_is_cut_at_a_word_outside_a_name() -> None:
    sentence = ("The Kremlin denied a phone call took place between Russian President Vladimir Putin and "
                "President-elect Donald Trump last week.")
    assert headline(sentence) == "The Kremlin denied a phone call took place…"
    assert headline("Peskov denies the call.") == "Peskov denies the call"
    assert len(headline("word " * 50)) <= TITLE_MAX


# ---------------------------------------------------------------------------
# Files: format errors, several files, never overwriting


def test_a_file_not_in_the_format_is_an_error_at_its_line(site: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.txt", "\n\nThe Kremlin denied it.\n")
    assert import_files(site, [bad]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{bad}:3:1: error: not a raw article: the first line must be 'date YYYY-MM-DD'" in err
    assert "1 error, 0 warnings" in err


def test_a_bad_date_is_an_error_at_its_column() -> None:
    raw, problems = read_raw("x.txt", " date 2024-13-45 Text.\n")
    assert raw is None
    assert [str(p) for p in problems] == [
        "x.txt:1:7: error: the date must be YYYY-MM-DD, not '2024-13-45' (e.g. 'date 2024-11-11')"]


def test_paragraphs_keep_their_lines_and_numbers() -> None:
    raw, problems = read_raw("x.txt", "\ufeffdate 2024-11-11 First line\nsecond line.\n\n\nNext one.\n")
    assert problems == [] and raw is not None
    assert raw.date == DATE
    assert [(p.lines, p.line) for p in raw.paragraphs] == [(("First line", "second line."), 1), (("Next one.",), 5)]


def test_several_files_are_all_processed_and_all_problems_reported(site: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path / "good.txt", "date 2024-11-12 Peskov said the call was private.\n")
    bad = write(tmp_path / "bad.txt", "hello\n")
    empty = write(tmp_path / "empty.txt", "")
    missing = tmp_path / "missing.txt"
    assert import_files(site, [bad, good, empty, missing]) == 1
    out, err = capsys.readouterr()
    assert out.strip() == str(site / "content" / "articles" / "2024-11-12-peskov-said-the-call-was-private.md")
    assert f"{bad}:1:1: error: not a raw article" in err
    assert f"{empty}:1:1: error: file is empty" in err
    assert f"{missing}:1:1: error: cannot read the file" in err
    assert "3 errors, 0 warnings" in err


def test_an_existing_file_is_never_overwritten(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = write(tmp_path / "raw.txt", "date 2024-11-12 Peskov said the call was private.\n")
    assert import_files(site, [raw]) == 0
    target = site / "content" / "articles" / "2024-11-12-peskov-said-the-call-was-private.md"
    write(target, "edited by hand\n")
    capsys.readouterr()
    assert import_files(site, [raw]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{raw}:1:1: error: {target} exists already; it was left as it is" in err
    assert target.read_text(encoding="utf-8") == "edited by hand\n"


def test_a_slug_taken_by_an_article_of_another_date_is_refused(site: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    raw = write(tmp_path / "raw.txt", "date 2024-11-12 Kremlin denies call.\n")
    assert import_files(site, [raw]) == 1
    assert "an article with the slug 'kremlin-denies-call' exists already" in capsys.readouterr().err


def test_ids_already_in_the_site_are_not_reused(site: Path, tmp_path: Path) -> None:
    raw = write(tmp_path / "raw.txt", "date 2024-11-12 The Washington Post reported that they spoke.\n\n"
                                      "Dmitry Peskov denied it.\n")
    (site / "content" / "articles" / "2024-11-01-older.md").write_text(
        "---\ntitle: Older\ndate: 2024-11-01\n---\n\n::: claim\nid: the-washington-post-claim\nby: X\n\nText.\n:::\n"
        "\n::: statement\nby: Y\n\nMore.\n:::\n", encoding="utf-8")
    assert import_files(site, [raw]) == 0
    loaded, problems = load_site(site, drafts=True)
    assert loaded is not None, problems
    article = next(a for a in loaded.articles.values() if a.draft)
    assert [(s.id, s.answers) for s in article.statements] == [
        ("the-washington-post-claim-2", ()), ("dmitry-peskov-denial", ("the-washington-post-claim-2",))]


def test_a_bad_timeline_or_a_missing_site_is_a_usage_error(site: Path, tmp_path: Path) -> None:
    raw = write(tmp_path / "raw.txt", "date 2024-11-12 Text.\n")
    assert import_files(site, [raw], timeline="Not A Slug") == 2
    assert import_files(tmp_path / "nowhere", [raw]) == 2


def test_lines_that_would_open_a_block_or_a_fence_are_escaped(site: Path, tmp_path: Path) -> None:
    raw = write(tmp_path / "raw.txt", "date 2024-11-12 Text.\n\n::: claim\n```\n~~~\n")
    assert import_files(site, [raw]) == 0
    loaded, problems = load_site(site, drafts=True)
    assert loaded is not None, problems
    text = next((site / "content" / "articles").glob("2024-11-12-*.md")).read_text(encoding="utf-8")
    assert "\n&#58;:: claim\n\\```\n&#126;~~\n" in text


# ---------------------------------------------------------------------------
# Any text in the format gives a draft that parses without errors

_PIECES = ["Peskov", "Dmitry Peskov", "Kremlin spokesman", "The Kremlin", "he", "said", "told", "denied",
           "would not confirm", "declined to comment", "confirmed", "according to a report in", "The Post",
           "Fox News Digital", "on Thursday", "next Tuesday", "last week", "untrue", "the call", "was said to",
           '"', "“", "”", ",", ".", ":::", "```", "id:", "—", "(Reuters)", "Mr.", "U.S.", "#", ">", "yes: no"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14), min_size=1, max_size=5))
def test_any_raw_text_gives_a_draft_that_parses(paragraphs: list[list[str]]) -> None:
    text = "date 2024-11-11 " + "\n\n".join(" ".join(words) for words in paragraphs)
    raw, problems = read_raw("raw.txt", text)
    assert raw is not None and problems == []
    analysed = [source_note(p.text)[0] for p in raw.paragraphs]
    suggestions = suggest(analysed, raw.date)
    draft = draft_text(raw, suggestions, title="T", origin="raw.txt")
    tools = Tools(DateResolver(), MarkdownRenderer(), include_drafts=True)
    article, found = parse_article("content/articles/2024-11-11-t.md", draft, tools)
    assert [p for p in found if p.is_error] == [], draft
    assert article is not None and [s.id for s in article.statements] == [s.id for s in suggestions]
    ids = {s.id for s in suggestions}
    assert all(s.answers and s.answers in ids for s in suggestions if s.kind in ANSWERING_KINDS)
