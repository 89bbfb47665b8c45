"""Material's search finds entries by their names in Latin and Cyrillic script and by their abbreviations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from conftest import NewReader, Reader

SHOWN_FIRST = 10
"""Material renders the first ten results at once and the rest only as the reader scrolls."""


@pytest.fixture
def search_reader(new_reader: NewReader) -> Reader:
    """A reader whose pages load the site's real search index."""
    return new_reader(search=True)


def search(page: Page, query: str) -> list[str]:
    """Type a query into the header's search box as a reader would; the site paths of the results shown first."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=20)
    # Material reacts to keyup; Playwright types characters not on a US keyboard (Cyrillic) as text
    # input without key events, so finish with a real key, as every keyboard layout would.
    box.press("End")
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text("Type to start searching", timeout=10_000)
    expect(meta).not_to_have_text("Initializing search")
    links = page.eval_on_selector_all(".md-search-result__list > li > a.md-search-result__link",
                                      "links => links.map(link => new URL(link.href).pathname)")
    return links[:SHOWN_FIRST]


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param("ОДКБ", "/organisations/csto/", id="cyrillic-abbreviation"),
    pytest.param("Евразийское экономическое сообщество", "/organisations/eurasec/", id="cyrillic-name"),
    pytest.param("dead letter", "/concepts/dead-letter-regime/", id="latin-words"),
    pytest.param("EurAsEC", "/organisations/eurasec/", id="latin-abbreviation"),
    pytest.param("CSTO", "/organisations/csto/", id="latin-abbreviation-csto"),
])
def test_search_finds_the_entry_among_the_first_results(search_reader: Reader, query: str,
                                                        expected: str) -> None:
    page = search_reader.goto("")
    results = search(page, query)
    assert expected in results, f"searching {query!r}: {expected} is not among the first results {results}"


def test_search_result_opens_the_page(search_reader: Reader) -> None:
    reader = search_reader
    page = reader.goto("")
    assert "/concepts/dead-letter-regime/" in search(page, "dead letter")
    page.locator(".md-search-result__list > li > a.md-search-result__link"
                 "[href*='concepts/dead-letter-regime/']").first.click()
    reader.wait_for_path("/concepts/dead-letter-regime/")
    expect(page.locator("article.md-content__inner h1")).to_contain_text("Dead")
