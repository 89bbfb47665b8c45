"""The reading experience of issue 15, measured on a laptop (1366 x 900) and a phone (390 x 844).

An entry page reads top-down (the explanation starts near the top, the facts box beside it on wide screens
and above it on phones), quotations render as quotations, and every citation previews its reference and
leads to the cited passage on its source page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from conftest import DESKTOP, PHONE
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from conftest import NewReader, Reader

ARTICLE = "article.md-content__inner"
FACTS = f"{ARTICLE} > .admonition.inline.end"
"""The "At a glance" facts box (a Material inline admonition)."""
PROSE = f"{ARTICLE} > .prose > p"
CSTO = "organisations/csto/"
POPOVER = "#citation-popover"

PROSE_TOP_DESKTOP = 900
"""The explanation starts within the first screen on a laptop (it started 5,370 px down before issue 15)."""
PROSE_TOP_PHONE = 2 * 844
"""On a phone the facts box comes first, so the explanation starts within the first two screens (was 8,400 px)."""


def top_in_document(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top + window.scrollY")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not rendered"
    return found


# --------------------------------------------------------------------------- top-down


def test_entry_prose_starts_on_the_first_screen_on_a_laptop(new_reader: NewReader) -> None:
    page = new_reader(**DESKTOP).goto(CSTO)
    top = top_in_document(page, PROSE)
    assert top < PROSE_TOP_DESKTOP, f"the explanation starts {top:.0f} px down (bound {PROSE_TOP_DESKTOP})"
    # The lead comes before it, under the title.
    assert top_in_document(page, f"{ARTICLE} > p.entry-summary") < top


def test_entry_prose_starts_near_the_top_on_a_phone(new_reader: NewReader) -> None:
    page = new_reader(**PHONE).goto(CSTO)
    top = top_in_document(page, PROSE)
    assert top < PROSE_TOP_PHONE, f"the explanation starts {top:.0f} px down (bound {PROSE_TOP_PHONE})"


def test_the_prose_sections_are_in_the_table_of_contents_before_the_pages_own(new_reader: NewReader) -> None:
    """The body's own headings (content/organisations/csto.yaml) are h2s with anchors, listed in the
    table of contents ahead of Membership; before, they were anchorless h4s and the contents list began
    at Membership."""
    page = new_reader(**DESKTOP).goto(CSTO)
    toc = page.locator("nav.md-nav--secondary > ul > li > a.md-nav__link")
    names = [" ".join(text.split()) for text in toc.all_inner_texts()]
    assert names[:2] == ["Charter and mandate", "An instrument of Russian policy"], names
    assert names.index("Membership") > names.index("Charter and mandate")
    heading = page.locator(f"{ARTICLE} > h2#charter-and-mandate")
    expect(heading).to_have_count(1)
    toc.first.click()
    expect(page).to_have_url(re.compile(r"#charter-and-mandate$"))
    assert heading.bounding_box()["y"] < 200


def test_facts_box_floats_beside_the_text_on_a_laptop(new_reader: NewReader) -> None:
    page = new_reader(**DESKTOP).goto(CSTO)
    facts, prose = box(page, FACTS), box(page, PROSE)
    expect(page.locator(FACTS).locator(".admonition-title")).to_have_text("At a glance")
    # Side by side: the box is right of the text's left edge and the two share vertical space.
    assert facts["x"] > prose["x"] + 200, (facts, prose)
    assert facts["y"] < prose["y"] + prose["height"] and prose["y"] < facts["y"] + facts["height"], (facts, prose)
    assert facts["width"] < 0.5 * box(page, ARTICLE)["width"], facts


def test_facts_box_is_above_the_text_on_a_phone(new_reader: NewReader) -> None:
    page = new_reader(**PHONE).goto(CSTO)
    facts, prose, article = box(page, FACTS), box(page, PROSE), box(page, ARTICLE)
    assert facts["y"] + facts["height"] <= prose["y"] + 1, (facts, prose)
    assert facts["width"] > 0.8 * article["width"], (facts, article)


# --------------------------------------------------------------------------- quotations


@pytest.mark.parametrize(("path", "section"), [
    (CSTO, "#where-the-texts-disagree"),
    ("disagreements/csto-founding-date/", "#positions"),
])
def test_disagreements_show_quotations_once_without_markup(reader: Reader, path: str, section: str) -> None:
    page = reader.goto(path)
    heading = page.locator(f"{ARTICLE} h2{section}")
    expect(heading).to_have_count(1)
    # The text of the section: everything after its heading up to the next h2.
    text = heading.evaluate("""h => { let out = "", el = h.nextElementSibling;
                                      while (el && el.tagName !== "H2") { out += el.innerText + "\\n"; el = el.nextElementSibling; }
                                      return out; }""")
    assert len(text) > 100, text
    assert ">" not in text, f"literal '>' in {path}{section}: {text[max(0, text.find('>') - 80):text.find('>') + 80]!r}"
    doubled = re.search(r"[“”\"]{2}|[‘’]{2}|«\s*«", text)
    assert not doubled, f"doubled quotation marks in {path}{section}: {text[max(0, doubled.start() - 80):doubled.end() + 80]!r}"
    if section == "#positions":
        quotes = page.locator(f"{ARTICLE} q")
        assert quotes.count() >= 2
        # <q> adds the marks once: the quoted text itself starts and ends without any.
        for inner in quotes.all_text_contents():
            assert not re.match(r"^\s*[“”\"«]", inner) and not re.search(r"[“”\"»]\s*$", inner), inner


# --------------------------------------------------------------------------- citation previews


def first_prose_citation(page: Page):  # noqa: ANN201 - a Playwright Locator
    citation = page.locator(f"{ARTICLE} .prose a.citation[data-locator]").first
    expect(citation).to_be_visible()
    return citation


def expect_preview_of(page: Page, citation) -> None:  # noqa: ANN001 - a Playwright Locator
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    # The full reference (as on the source page) and the cited place.
    expect(popover.locator(".csl-entry")).to_have_count(1)
    expect(popover.locator(".csl-entry")).to_contain_text(re.compile(r"\b(19|20)\d\d\b"))
    assert len(popover.locator(".csl-entry").inner_text()) > 40, popover.inner_text()
    locator = citation.get_attribute("data-locator")
    expect(popover).to_contain_text(locator)
    go = popover.locator("a.citation-popover-go")
    expect(go).to_have_attribute("href", citation.get_attribute("href"))
    expect(citation).to_have_attribute("aria-describedby", "citation-popover")


def test_citation_preview_on_hover(new_reader: NewReader) -> None:
    page = new_reader(**DESKTOP).goto(CSTO)
    citation = first_prose_citation(page)
    expect(page.locator(POPOVER)).to_have_count(0)
    citation.hover()
    expect_preview_of(page, citation)
    page.mouse.move(0, 0)
    expect(page.locator(POPOVER)).to_be_hidden()


def test_citation_preview_on_keyboard_focus(new_reader: NewReader) -> None:
    page = new_reader(**DESKTOP).goto(CSTO)
    citation = first_prose_citation(page)
    citation.focus()
    expect_preview_of(page, citation)
    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_be_hidden()


def test_citation_preview_on_first_tap_then_follows(new_reader: NewReader) -> None:
    reader = new_reader(**PHONE)
    page = reader.goto(CSTO)
    citation = first_prose_citation(page)
    citation.scroll_into_view_if_needed()
    citation.tap()
    expect_preview_of(page, citation)
    assert reader.path() == "/" + CSTO, "the first tap navigated instead of previewing"
    # The preview fits the phone's screen.
    preview = box(page, POPOVER)
    assert preview["x"] >= 0 and preview["x"] + preview["width"] <= 390, preview
    page.locator(f"{POPOVER} a.citation-popover-go").tap()
    reader.page.wait_for_url(re.compile(r"/sources/[a-z0-9_-]+/#at-"), wait_until="load")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_following_a_citation_lands_on_the_cited_passage(new_reader: NewReader, screen: str) -> None:
    reader = new_reader(**(DESKTOP if screen == "desktop" else PHONE))
    page = reader.goto(CSTO)
    citation = first_prose_citation(page)
    href = citation.get_attribute("href") or ""
    match = re.fullmatch(r"(?:\.\./)+sources/([a-z0-9_-]+)/#(at-[a-z0-9-]+)", href)
    assert match, href
    slug, anchor = match.groups()
    locator = citation.get_attribute("data-locator")
    page.goto(reader.url(f"sources/{slug}/#{anchor}"), wait_until="load")
    target = page.locator(f"[id='{anchor}']")
    expect(target).to_have_count(1)
    expect(target).to_have_text(locator)
    expect(target).to_be_in_viewport()
    # Listed under "Passages the site cites", with the entry that cites it.
    passage = page.locator(f"{ARTICLE} li", has=target).first
    expect(passage.locator(f'a[href$="{CSTO}"]').first).to_be_attached()
    assert page.evaluate("document.querySelector(':target')?.id") == anchor


# --------------------------------------------------------------------------- "(sources disagree)"


@pytest.mark.parametrize(("path", "target"), [
    # The disagreement about that very fact, told from its id or name among those concerning the entry.
    (CSTO, "/disagreements/csto-founding-date/"),                            # Founded; 8 disagreements concern the CSTO
    ("events/russia-foreign-policy-concept-2008/", "/disagreements/foreign-policy-concept-2008-date/"),  # not "...-csto-wording"
    ("events/uzbekistan-joins-eurasec/", "/disagreements/uzbekistan-eurasec-accession/"),                 # "When Uzbekistan joined ..."
    # No disagreement about the date: the entry's own list of disagreements.
    ("organisations/ces/", "#where-the-texts-disagree"),
])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_sources_disagree_in_the_facts_box_links_to_the_disagreement(new_reader: NewReader, path: str, target: str,
                                                                      screen: str) -> None:
    reader = new_reader(**(DESKTOP if screen == "desktop" else PHONE))
    page = reader.goto(path)
    disputed = page.locator(f"{FACTS} .disputed")
    expect(disputed).to_have_count(1)
    link = disputed.get_by_role("link", name="sources disagree")
    expect(link).to_have_count(1)
    expect(disputed).to_contain_text("(sources disagree)")
    link.scroll_into_view_if_needed()
    if screen == "phone":
        link.tap()
    else:
        link.click()
    if target.startswith("#"):
        page.wait_for_url(re.compile(re.escape(target) + "$"))
        heading = page.locator(f"{ARTICLE} h2{target}")
        expect(heading).to_be_in_viewport()
        # The section it opens lists the entry's disagreements, each linking to its page.
        expect(heading.locator("xpath=following-sibling::ul[1]//a[contains(@href, 'disagreements/')]").first).to_be_visible()
    else:
        reader.wait_for_path(target)
        expect(page.locator(f"{ARTICLE} h1")).to_be_visible()


def test_every_disputed_fact_in_a_facts_box_is_linked(new_reader: NewReader) -> None:
    """On every event and organisation page whose facts box shows "(sources disagree)", the words link to a
    disagreement page or to the entry's own list of disagreements."""
    reader = new_reader(**DESKTOP)
    paths = []
    for listing in ("events/", "organisations/"):
        page = reader.goto(listing)
        hrefs = page.locator(f"{ARTICLE} a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        paths += sorted({listing + h for h in hrefs if re.match(r"^[a-z0-9-]+/$", h)})
    assert len(paths) > 20, paths
    unlinked, linked = [], 0
    for path in paths:
        page = reader.goto(path)
        for disputed in page.locator(f"{FACTS} .disputed").all():
            href = disputed.locator("a", has_text="sources disagree").evaluate_all("links => links.map(a => a.getAttribute('href'))")
            if len(href) != 1 or not re.fullmatch(r"(\.\./)+disagreements/[a-z0-9-]+/|#where-the-texts-disagree", href[0]):
                unlinked.append(f"/{path}: {href}")
            else:
                linked += 1
    assert not unlinked, unlinked
    assert linked >= 5
