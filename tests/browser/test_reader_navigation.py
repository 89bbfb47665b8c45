"""A reader finds their way: the navigation, entry pages linking to each other, citations to their sources."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from conftest import Reader

ARTICLE = "article.md-content__inner"


def test_home_to_organisation_to_country_and_back(reader: Reader) -> None:
    page = reader.goto("")
    page.locator("nav.md-nav--primary").get_by_role("link", name="Organisations", exact=True).click()
    reader.wait_for_path("/organisations/")
    expect(page.locator(f"{ARTICLE} h1")).to_have_text(re.compile("^Organisations"))

    page.locator(ARTICLE).get_by_role("link", name="Collective Security Treaty Organization", exact=True).click()
    reader.wait_for_path("/organisations/csto/")
    expect(page.locator(f"{ARTICLE} h1")).to_have_text(re.compile("^Collective Security Treaty Organization"))

    membership = page.locator(f"{ARTICLE} table").filter(has_text="Kazakhstan").first
    membership.get_by_role("link", name="Kazakhstan", exact=True).click()
    reader.wait_for_path("/countries/kaz/")
    expect(page.locator(f"{ARTICLE} h1")).to_have_text(re.compile("^Kazakhstan"))
    # The country page links back to the organisation it belongs to.
    expect(page.locator(ARTICLE).locator('a[href$="organisations/csto/"]').first).to_be_visible()

    page.go_back()
    reader.wait_for_path("/organisations/csto/")
    expect(page.locator(f"{ARTICLE} h1")).to_have_text(re.compile("^Collective Security Treaty Organization"))


def test_every_navigation_link_leads_to_a_page(reader: Reader) -> None:
    page = reader.goto("")
    hrefs = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link[href]",
                                      "links => links.map(link => link.href)")
    targets = sorted({href.split("#")[0] for href in hrefs})
    assert len(targets) >= 10, targets
    for target in targets:
        assert reader.path(target).endswith("/"), f"navigation link to a file, not a page: {target}"
        response = page.request.get(target)
        assert response.ok, f"navigation link {target}: HTTP {response.status}"
        assert "<h1" in response.text(), f"navigation link {target}: no heading"


def test_citation_in_prose_leads_to_its_source_which_links_back(reader: Reader) -> None:
    page = reader.goto("organisations/csto/")
    citation = page.locator(f"{ARTICLE} .prose a.citation").first
    href = citation.get_attribute("href")
    # The citation leads to the cited place on the source page (an anchor in "Passages the site cites").
    assert href and re.fullmatch(r"(\.\./)+sources/[a-z0-9_-]+/#at-[a-z0-9-]+", href), href
    citation.click()
    reader.wait_for_path(urlsplit(urljoin(page.url, href)).path)
    expect(page.locator(f"[id='{urlsplit(href).fragment}']")).to_be_in_viewport()

    cited_on = page.locator(f"{ARTICLE} h2#cited-on")
    expect(cited_on).to_have_text(re.compile("^Cited on"))
    back = page.locator(f"{ARTICLE} h2#cited-on + ul").locator('a[href$="organisations/csto/"]').first
    expect(back).to_be_visible()
    back.click()
    reader.wait_for_path("/organisations/csto/")


def test_home_links_to_the_data_downloads(reader: Reader) -> None:
    page = reader.goto("")
    link = page.locator(ARTICLE).locator('a[href="data/"], a[href="data/index.html"]')
    if link.count() == 0:
        pytest.skip("no link to the data page on the home page yet (the /data/ downloads are being integrated)")
    link.first.click()
    reader.wait_for_path("/data/")
    downloads = page.eval_on_selector_all(f"{ARTICLE} a[href$='.csv'], {ARTICLE} a[href$='.json']",
                                          "links => links.map(link => link.href)")
    assert downloads, "the data page links no CSV or JSON download"
    for download in sorted(set(downloads)):
        response = page.request.get(download)
        assert response.ok, f"download {download}: HTTP {response.status}"
        assert response.body(), f"download {download} is empty"
