"""The header's search box over the Pagefind index: what readers find first, and what it costs them.

At desktop and phone widths: an entry comes first for its name and each abbreviation in Latin
and Cyrillic script; Russian inflections find their lemma and English stemming still works;
opening a page fetches no part of the search index, and the first search fetches at most
``FIRST_SEARCH_BUDGET`` bytes, counted as GitHub Pages would send them (gzip).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Page, Response, expect

if TYPE_CHECKING:
    from conftest import NewReader, Reader

REPO = Path(__file__).resolve().parents[2]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDTHS = [pytest.param({}, id="desktop"), pytest.param(PHONE, id="phone")]
SEARCH_FILES = ("/pagefind/", "/search-names/")
"""Where the search index lives in the built site (generator/outputs/search_index.py, generator/outputs/search_names.py)."""
FIRST_SEARCH_BUDGET = 200_000
"""Issue 20: at today's size the first search downloads at most 200 KB compressed."""


def open_search(page: Page) -> None:
    """Put the cursor in the search box as a reader would: the box itself on a desktop, the magnifier on a phone."""
    box = page.locator("input.md-search__input")
    magnifier = page.locator("label.md-header__button[for='__search']")
    if magnifier.is_visible():  # below Material's 60em breakpoint the box is folded away
        magnifier.click()
    else:
        box.click()
    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()


def search(page: Page, query: str) -> list[str]:
    """Type ``query`` into the open search box; the site paths of the results shown, in order."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    expect(page.locator(".md-search-result__list")).to_have_attribute("aria-busy", "false")
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    return page.eval_on_selector_all(".md-search-result__list a.md-search-result__link",
                                     "links => links.map(link => new URL(link.href).pathname)")


def entries_named() -> dict[str, set[str]]:
    """Every abbreviation of an entry in the real content, with the pages of the entries it names."""
    named: dict[str, set[str]] = defaultdict(set)
    for path in sorted((REPO / "content").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for abbreviation in data.get("abbreviations") or []:
            named[abbreviation["text"]].add(f"/{path.parent.name}/{path.stem}/")
    return named


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize(("query", "expected"), [
    pytest.param("ОДКБ", "/organisations/csto/", id="cyrillic-abbreviation"),
    pytest.param("CSTO", "/organisations/csto/", id="latin-abbreviation"),
    pytest.param("ЕврАзЭС", "/organisations/eurasec/", id="cyrillic-abbreviation-mixed-case"),
    pytest.param("EurAsEC", "/organisations/eurasec/", id="latin-abbreviation-mixed-case"),
    pytest.param("EU", "/organisations/eu/", id="abbreviation-that-prefixes-others"),
    pytest.param("Евразийское экономическое сообщество", "/organisations/eurasec/", id="cyrillic-name"),
    pytest.param("Collective Security Treaty Organization", "/organisations/csto/", id="latin-name"),
    pytest.param("dead letter", "/concepts/dead-letter-regime/", id="latin-words"),
])
def test_search_shows_the_entry_first(new_reader: NewReader, device: dict, query: str, expected: str) -> None:
    page = new_reader(**device).goto("")
    open_search(page)
    results = search(page, query)
    assert results[:1] == [expected], f"searching {query!r}: {expected} is not first in {results}"


def test_every_abbreviation_shows_its_entry_first(reader: Reader) -> None:
    """All abbreviations in the content, in either script; entries that share one come before any other page."""
    named = entries_named()
    assert {"ОДКБ", "CSTO", "ЕврАзЭС"} <= set(named), "the content no longer has the abbreviations probed here"
    page = reader.goto("")
    open_search(page)
    misses = []
    for abbreviation, pages in sorted(named.items()):
        results = search(page, abbreviation)
        if set(results[:len(pages)]) != pages:
            misses.append(f"{abbreviation}: expected {sorted(pages)} first, got {results[:len(pages) + 2]}")
    assert not misses, "\n".join(misses)


@pytest.mark.parametrize(("query", "expected", "on_the_page"), [
    pytest.param("Лукашенки", "/disagreements/lukashenka-name-spelling/", "Лукашенко", id="genitive-surname"),
    pytest.param("Лукашенку", "/disagreements/lukashenka-name-spelling/", "Лукашенко", id="dative-surname"),
    pytest.param("Евразийского экономического сообщества", "/organisations/eurasec/",
                 "Евразийское экономическое сообщество", id="genitive-name"),
])
def test_russian_inflections_find_the_lemma(reader: Reader, query: str, expected: str, on_the_page: str) -> None:
    page = reader.goto(expected)
    text = page.locator("article").inner_text()
    assert on_the_page in text and query not in text, "the page must hold the lemma, not the form searched"
    open_search(page)
    assert expected in search(page, query)


def test_english_stemming_still_works(reader: Reader) -> None:
    page = reader.goto("organisations/eurasec-integration-committee/")
    text = page.locator("article").inner_text().lower()
    assert "integration" in text and "integrating" not in text, "the page must hold another form of the word"
    open_search(page)
    assert "/organisations/eurasec-integration-committee/" in search(page, "integrating")


def test_results_show_a_snippet_with_the_words_found(reader: Reader) -> None:
    page = reader.goto("")
    open_search(page)
    search(page, "dead letter")
    results = page.locator(".md-search-result__list > li")
    # First the entry the query names, with its summary; then pages with the words marked in context.
    expect(results.first.locator("h1")).to_have_text("Dead-letter regime")
    expect(results.first.locator("p")).to_contain_text("international regime")
    expect(results.nth(1).locator("p mark").first).to_have_text(re.compile(r"dead|letter", re.IGNORECASE))


def test_search_is_keyboard_accessible(reader: Reader) -> None:
    page = reader.goto("about/")
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    box.press_sequentially("dead letter", delay=20)
    expect(page.locator(".md-search-result__list")).to_have_attribute("aria-busy", "false")
    box.press("ArrowDown")
    first = page.locator(".md-search-result__list a.md-search-result__link").first
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    page.keyboard.press("/")
    page.keyboard.press("Enter")
    reader.wait_for_path("/concepts/dead-letter-regime/")
    expect(page.locator("article.md-content__inner h1")).to_contain_text("Dead")


def compressed_size(body: bytes) -> int:
    """What GitHub Pages sends: gzip, unless the file is smaller as it is (Pagefind's chunks are gzip already)."""
    return min(len(body), len(gzip.compress(body, compresslevel=6)))


@pytest.mark.parametrize("device", WIDTHS)
def test_pages_fetch_no_index_and_the_first_search_stays_small(new_reader: NewReader, device: dict) -> None:
    reader = new_reader(**device)
    page = reader.page
    fetched: list[Response] = []
    page.on("response", lambda response: fetched.append(response)
            if any(part in urlsplit(response.url).path for part in SEARCH_FILES) else None)
    for path in ("", "organisations/csto/", "chronology/"):
        reader.goto(path)
        page.wait_for_timeout(300)
        assert not fetched, f"opening /{path} fetched part of the search index: {[r.url for r in fetched]}"
    open_search(page)
    assert search(page, "ОДКБ")[0] == "/organisations/csto/"
    sizes = {urlsplit(response.url).path: compressed_size(response.body()) for response in fetched}
    assert any(path.endswith(".pf_index") for path in sizes), f"no index chunk was fetched: {sorted(sizes)}"
    total = sum(sizes.values())
    print(f"first search, {len(sizes)} files: {total:,} bytes compressed")
    assert total <= FIRST_SEARCH_BUDGET, f"the first search fetched {total:,} bytes compressed: {sizes}"


SECTION_LISTS = ("organisations/", "events/", "concepts/", "countries/", "disagreements/", "guides/",
                 "chronology/", "glossary/", "sources/", "timeline/")
"""Pages that list what entry pages say: in the index they outranked the entries and, naming every
entry, were the largest fragments a first search fetched (issue 20)."""


def test_section_lists_are_out_of_the_index_and_their_entries_in_it(site_dir: Path) -> None:
    locations = set()
    for fragment in (site_dir / "pagefind").rglob("*.pf_fragment"):  # every shard's
        data = gzip.decompress(fragment.read_bytes())
        locations.add(urlsplit(json.loads(data[data.index(b"{"):])["url"]).path.strip("/") + "/")
    assert not locations & set(SECTION_LISTS), f"section lists in the search index: {locations & set(SECTION_LISTS)}"
    entries = {f"{p.parent.name}/{p.stem}/" for p in (REPO / "content").glob("*/*.yaml")}
    assert entries <= locations, f"entries missing from the search index: {sorted(entries - locations)[:10]}"
    assert "/" in locations or "" in {loc.strip("/") for loc in locations}, "the home page left the index"
