"""The renderer's per-build caches: cards and threads kept compactly, served unchanged; JSON-LD made on demand."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import article, write_site

from generator.build import load_site
from generator.model import Site
from generator.render import DEFAULT_THEME, Renderer

BODY = """Text.

::: claim
id: first
by: Ana Duarte
said: 2024-11-10

The bridge is unsafe — and “everyone” knows it.
:::

::: denial
id: second
by: Piet Jansen
answers: first

It is safe.
:::

::: confirmation
id: third
by: Lena Okafor
answers: second

Engineers {text}
:::
"""


def load(tmp_path: Path, text: str = "checked it.") -> Site:
    body = BODY.format(text=text)
    write_site(tmp_path, {"content/articles/2024-11-11-bridge.md": article("Bridge", "2024-11-11", body)})
    site, problems = load_site(tmp_path, use_cache=False)
    assert site is not None, problems
    return site


def test_a_card_or_thread_served_from_the_cache_is_the_one_first_rendered(tmp_path: Path) -> None:
    site = load(tmp_path)
    renderer = Renderer(site, DEFAULT_THEME)
    first, second = site.statements["first"], site.statements["second"]
    card, thread = renderer.card(first), renderer.thread(first)
    assert "—" in card and "Piet Jansen" in thread and "Lena Okafor" in thread
    assert renderer.card(first) == card and renderer.thread(first) == thread
    assert type(renderer.card(first)) is type(card) and hasattr(renderer.thread(first), "__html__")
    # an answer shows in brief in the thread, linked to its own page, where its whole card is
    assert 'class="permalink" href="/statements/second/"' in thread and renderer.card(second) not in thread
    # kept as UTF-8 bytes: the HTML is not ASCII, so as str it would take 2 bytes a character
    assert renderer._cards["first"] == card.encode() and renderer._threads["first"] == thread.encode()


def test_json_ld_is_made_again_for_each_page_and_lists_the_answers(tmp_path: Path) -> None:
    site = load(tmp_path)
    renderer = Renderer(site, DEFAULT_THEME)
    claim, *answers = json.loads(renderer.claim_jsonld(site.statements["first"]))["@graph"]
    assert claim["@type"] == "Claim" and claim["text"] == "The bridge is unsafe — and “everyone” knows it."
    assert [c["@type"] for c in answers] == ["Claim"]
    answer = json.loads(renderer.claim_jsonld(site.statements["second"]))["@graph"][0]
    assert answer["@type"] == "Claim" and answer["about"] == [{"@type": "Claim", "@id": claim["@id"]}]
    # under the one it answers, by reference to the same Claim, which is whole on its own page
    assert answers[0] == {key: answer[key] for key in ("@type", "@id", "url", "genre", "about")}
    assert "text" in answer and "author" in answer


def test_json_ld_escapes_what_could_end_its_script_element_and_nothing_else(tmp_path: Path) -> None:
    site = load(tmp_path, text="say a < b & c > d.")  # (line and paragraph separators never reach the text)
    renderer = Renderer(site, DEFAULT_THEME)
    text = str(renderer.claim_jsonld(site.statements["third"]))
    assert not re.search("[<>&\u2028\u2029]", text)
    assert "a \\u003c b \\u0026 c \\u003e d." in text
    assert json.loads(text)["@graph"][0]["text"] == site.statements["third"].text
    plain = str(renderer.claim_jsonld(site.statements["first"]))
    assert "\\u" not in plain and "“everyone”" in plain
