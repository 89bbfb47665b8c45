"""What a reader sees on entry pages: abbreviation tooltips, "Cite this page", the chronology filter, timelines."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DESKTOP, PHONE
from playwright.sync_api import Locator, Page, expect

if TYPE_CHECKING:
    from conftest import NewReader, Reader

ARTICLE = "article.md-content__inner"
COPY_BUTTON = 'button[data-md-type="copy"], button.md-clipboard'
"""Material's copy button on code blocks (``data-md-type="copy"`` in this version, ``.md-clipboard`` before)."""
TIMELINE = "figure.timeline svg.tl-chart"
"""A membership timeline: an inline SVG in a figure, named by its title (an image, except the overview,
whose labels and cells are links)."""


# --------------------------------------------------------------------------- abbreviations


@pytest.mark.parametrize(("path", "abbreviation", "expansion"), [
    ("organisations/csto/", "ОДКБ", "Collective Security Treaty Organization"),
    ("concepts/dead-letter-regime/", "CSTO", "Collective Security Treaty Organization"),
    ("glossary/", "EurAsEC", "Eurasian Economic Community"),
])
def test_hovering_an_abbreviation_shows_its_expansion(reader: Reader, path: str, abbreviation: str,
                                                      expansion: str) -> None:
    page = reader.goto(path)
    abbr = page.locator(f"{ARTICLE} abbr", has_text=re.compile(f"^{re.escape(abbreviation)}$")).first
    expect(abbr).to_have_attribute("title", expansion)
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    # companion.js shows the expansion (the theme's content.tooltips feature is off, for speed).
    tooltip = page.locator('#abbr-popover[role="tooltip"]')
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(expansion)
    expect(abbr).to_have_attribute("aria-describedby", "abbr-popover")
    # Leaving hides it and gives the abbreviation its title back.
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()
    expect(abbr).to_have_attribute("title", expansion)


class _NestedAbbreviations(HTMLParser):
    """Collects abbreviations marked inside another ``<abbr>`` (screen readers announce the expansion twice)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.nested: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "abbr":
            if self.depth:
                self.nested.append(dict(attrs).get("title") or "")
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "abbr" and self.depth:
            self.depth -= 1


def test_no_abbreviation_is_marked_twice(site_dir: Path) -> None:
    """Every page of the built site: an abbreviation is one ``<abbr>``, never one inside another."""
    doubled = {}
    for html_file in sorted(site_dir.rglob("*.html")):
        parser = _NestedAbbreviations()
        parser.feed(html_file.read_text(encoding="utf-8"))
        if parser.nested:
            doubled[html_file.relative_to(site_dir).parent.as_posix() + "/"] = sorted(set(parser.nested))
    assert not doubled, (f"{len(doubled)} pages mark abbreviations inside abbreviations: "
                         + "; ".join(f"/{page} ({', '.join(titles[:3])})" for page, titles in doubled.items()))


# --------------------------------------------------------------------------- cite this page


@pytest.mark.parametrize("path", ["organisations/csto/", "concepts/dead-letter-regime/", "events/cst-signed-1992/"])
def test_cite_this_page(new_reader: NewReader, site_url: str, path: str) -> None:
    reader = new_reader(permissions=["clipboard-read", "clipboard-write"])
    page = reader.goto(path)
    permanent = site_url + path
    expect(page.locator('link[rel="canonical"]')).to_have_attribute("href", permanent)

    cite = page.locator(f"{ARTICLE} details.cite-this-page")
    expect(cite).to_have_count(1)
    chicago = cite.locator('.csl-entry[data-csl-style="chicago-author-date"]')
    expect(chicago).to_be_hidden()
    cite.locator("summary").click()
    expect(cite).to_have_attribute("open", "")

    # The page's title (without the heading's permalink mark), in whatever case the citation style uses.
    title = page.locator(f"{ARTICLE} h1").evaluate(
        "h1 => Array.from(h1.childNodes).filter(n => !n.classList?.contains('headerlink'))"
        ".map(n => n.textContent).join('').trim()")
    apa = cite.locator('.csl-entry[data-csl-style="apa"]')
    for style in (chicago, apa):
        expect(style).to_be_visible()
        expect(style).to_contain_text(permanent)
        expect(style).to_contain_text(re.compile(re.escape(title), re.IGNORECASE))
    bibtex = cite.locator("pre code.language-bibtex")
    expect(bibtex).to_be_visible()
    expect(bibtex).to_contain_text(re.compile(r"^@online\{"))
    expect(bibtex).to_contain_text(f"url = {{{permanent}}}")

    # Material's copy button (content.code.copy) copies the BibTeX exactly.
    copy = cite.locator(COPY_BUTTON)
    expect(copy).to_have_count(1)
    copy.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == bibtex.inner_text().strip()

    # The living site's access date is the reader's day, in the note and in BibTeX's urldate.
    today = page.evaluate("(() => { const d = new Date(); const p = n => String(n).padStart(2, '0');"
                          " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; })()")
    accessed = cite.locator(".cite-accessed")
    if accessed.count():  # only where the build knows its date (SOURCE_DATE_EPOCH or the history)
        expect(accessed).to_have_text(today)
        expect(bibtex).to_contain_text(f"urldate = {{{today}}}")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("path", ["organisations/csto/", "countries/rus/"])
def test_jumping_to_cite_this_page_moves_nothing(new_reader: NewReader, path: str, screen: str) -> None:
    """A reader who jumps to the end of a page (the End key, a link, a search hit) can click what they see.

    The box must stay where the jump put it in the next frames: a block above it that is laid out only
    when it comes into view (``content-visibility: auto`` with a guessed height) moved it by some 150 px,
    and a click aimed at "Cite this page" landed on the text above.
    """
    reader = new_reader(**(PHONE if screen == "phone" else DESKTOP))
    page = reader.goto(path)
    before, after = page.locator(f"{ARTICLE} details.cite-this-page summary").evaluate(
        """async summary => {
            summary.scrollIntoView({block: "end"});
            const before = summary.getBoundingClientRect().top;
            for (let frame = 0; frame < 3; frame++) await new Promise(done => requestAnimationFrame(done));
            await new Promise(done => setTimeout(done, 100));
            return [before, summary.getBoundingClientRect().top];
        }""")
    assert after == before, f"'Cite this page' moved from y = {before:.0f} to {after:.0f} after the jump"


def test_source_page_offers_its_bibtex_with_a_copy_button(reader: Reader) -> None:
    page = reader.goto("sources/troitskiy2020/")
    block = page.locator(f"{ARTICLE} pre", has=page.locator("code.language-bibtex")).first
    expect(block).to_contain_text("@article{troitskiy2020,")
    expect(block.locator(COPY_BUTTON)).to_have_count(1)
    for download in ("troitskiy2020.bib", "troitskiy2020.ris", "troitskiy2020.json"):
        response = page.request.get(reader.url(f"sources/troitskiy2020/{download}"))
        assert response.ok, f"{download}: HTTP {response.status}"


# --------------------------------------------------------------------------- chronology


def visible_events(page: Page) -> Locator:
    return page.locator("ol.chronology > li:visible")


@pytest.mark.parametrize(("path", "form", "below"), [("sources/", "form.bibliography-filter", "div.bibliography"),
                                                     ("chronology/", "form.chronology-filter", "ol.chronology")])
def test_filters_keep_their_place_until_the_script_shows_them(new_reader: NewReader, path: str, form: str,
                                                              below: str) -> None:
    """What follows the filters does not move when companion.js shows them (Lighthouse measured a layout
    shift of 0.056 on /sources/ when it did)."""
    waiting = new_reader(**PHONE)
    waiting.page.route("**/assets/companion.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body="/* companion.js has not run yet */"))
    page = waiting.goto(path)
    expect(page.locator(form)).to_be_hidden()
    top = "el => el.getBoundingClientRect().top + window.scrollY"
    before = page.locator(below).first.evaluate(top)
    shown = new_reader(**PHONE).goto(path)
    expect(shown.locator(form)).to_be_visible()
    after = shown.locator(below).first.evaluate(top)
    assert abs(after - before) <= 1, f"/{path}: the list moved from {before:.0f} to {after:.0f} px"


def test_chronology_filter_by_organisation(reader: Reader) -> None:
    page = reader.goto("chronology/")
    form = page.locator("form.chronology-filter")
    expect(form).to_be_visible()  # hidden without JavaScript, shown by companion.js
    events = page.locator("ol.chronology > li")
    total = events.count()
    assert total > 50
    expect(visible_events(page)).to_have_count(total)
    status = form.locator("output")
    expect(status).to_have_text(f"{total} of {total} events")

    form.locator('select[data-filter="organisations"]').select_option("csto")
    shown = visible_events(page)
    count = shown.count()
    assert 0 < count < total
    expect(status).to_have_text(f"{count} of {total} events")
    for organisations in shown.evaluate_all("items => items.map(item => item.dataset.organisations || '')"):
        assert "csto" in organisations.split(), organisations
    hidden = page.locator("ol.chronology > li:not(:visible)")
    expect(hidden).to_have_count(total - count)
    for organisations in hidden.evaluate_all("items => items.map(item => item.dataset.organisations || '')"):
        assert "csto" not in organisations.split(), organisations

    form.locator('select[data-filter="organisations"]').select_option("")
    expect(visible_events(page)).to_have_count(total)


def test_bibliography_filter_by_type_and_citing_text(reader: Reader) -> None:
    page = reader.goto("sources/")
    form = page.locator("form.bibliography-filter")
    expect(form).to_be_visible()
    items = page.locator(".bibliography-item")
    total = items.count()
    assert total > 50
    expect(form.locator("output")).to_have_text(f"{total} of {total} works")

    form.get_by_label("Cited by").select_option("troitskiy2020")
    cited = page.locator(".bibliography-item:visible").count()
    assert 0 < cited < total
    form.get_by_label("Type").select_option("article")
    shown = page.locator(".bibliography-item:visible")
    count = shown.count()
    assert 0 < count < cited
    expect(form.locator("output")).to_have_text(f"{count} of {total} works")
    for kind, cited_in in shown.evaluate_all("items => items.map(i => [i.dataset.type, i.dataset.citedIn || ''])"):
        assert kind == "article" and "troitskiy2020" in cited_in.split(), (kind, cited_in)


# --------------------------------------------------------------------------- membership timelines


def open_timeline_page(reader: Reader, path: str) -> Page:
    if not reader.page.request.get(reader.url(path)).ok:
        pytest.skip(f"no /{path} page yet (the timelines are being integrated)")
    return reader.goto(path)


def timeline_or_skip(page: Page, path: str) -> Locator:
    charts = page.locator(TIMELINE)
    if charts.count() == 0:
        pytest.skip(f"no membership timeline on {path} yet (the timeline SVGs are being integrated)")
    return charts.first


TIMELINE_PAGES = ["organisations/csto/", "countries/kaz/", "timeline/", "people/putin/"]
"""An organisation's members, a country's memberships, the overview of every country and organisation, and a
person's roles (a relation whose open ends are unknown)."""


@pytest.mark.parametrize("path", TIMELINE_PAGES)
def test_membership_timeline_is_named_and_described(reader: Reader, path: str) -> None:
    page = open_timeline_page(reader, path)
    chart = timeline_or_skip(page, path)
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 20, box
    title = chart.locator(":scope > title")
    desc = chart.locator(":scope > desc")
    expect(title).to_have_count(1)
    expect(desc).to_have_count(1)
    assert title.text_content().strip(), "the timeline's <title> is empty"
    assert len(desc.text_content().strip()) > 20, "the timeline's <desc> does not describe the chart"
    # The accessible name and description come from them.
    labelled_by = (chart.get_attribute("aria-labelledby") or "").split()
    for id_ in labelled_by:
        expect(page.locator(f"[id='{id_}']")).to_have_count(1)
    expect(chart).to_have_accessible_name(re.compile(r"\S"))
    described_by = chart.get_attribute("aria-describedby")
    if described_by:
        expect(page.locator(f"[id='{described_by}']")).to_have_count(1)
    # An entry's chart is an image; the overview holds links, so it must not be one.
    if path == "timeline/":
        assert chart.get_attribute("role") is None and chart.locator("a[href]").count() > 0
    else:
        expect(chart).to_have_attribute("role", "img")


def test_each_relation_naming_a_country_has_its_own_chart(reader: Reader) -> None:
    """A country's memberships and the roles people held in it: two charts, two sections, no shared ids."""
    page = open_timeline_page(reader, "countries/rus/")
    charts = page.locator(TIMELINE)
    expect(charts).to_have_count(2)
    titles = [charts.nth(i).locator(":scope > title").text_content() for i in range(2)]
    assert titles == ["Memberships of Russian Federation", "Office holders of Russian Federation"], titles
    memberships, holders = (charts.nth(i).text_content() for i in range(2))
    assert "Putin" not in memberships and "Putin" in holders
    assert "continuing" not in holders.lower() and "end not recorded" in holders
    ids = page.evaluate("() => Array.from(document.querySelectorAll('svg.tl-chart [id]')).map(e => e.id)")
    assert ids and len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    expect(page.get_by_role("heading", name="Office holders", level=2)).to_have_count(1)


CONTRAST_SCRIPT = """svg => {
  // Effective colours as the reader sees them: text fill against the first opaque background behind the chart.
  const parse = value => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  let background = null;
  for (let el = svg; el && !background; el = el.parentElement) {
    const colour = parse(getComputedStyle(el).backgroundColor);
    if (colour && colour[3] > 0) background = colour;
  }
  background = background || [255, 255, 255, 1];
  const luminance = rgb => {
    const [r, g, b] = rgb.map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return Array.from(svg.querySelectorAll("text")).filter(t => t.textContent.trim()).map(text => {
    const style = getComputedStyle(text);
    const fill = parse(style.fill);
    const opacity = Number(style.fillOpacity) * Number(style.opacity);
    const shown = fill ? over([fill[0], fill[1], fill[2], fill[3] * opacity], background) : null;
    const [hi, lo] = [luminance(shown || [0, 0, 0]), luminance(background)].sort((a, b) => b - a);
    return {text: text.textContent.trim(), fill: style.fill, background: `rgb(${background.slice(0, 3)})`,
            ratio: shown ? (hi + 0.05) / (lo + 0.05) : 0};
  });
}"""

MIN_TEXT_CONTRAST = 4.5
"""WCAG 2.x AA for normal-size text; the chart labels are 11-12px."""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", TIMELINE_PAGES)
def test_membership_timeline_text_is_readable_in_both_schemes(new_reader: NewReader, path: str,
                                                              scheme: str) -> None:
    reader = new_reader(color_scheme=scheme)
    page = open_timeline_page(reader, path)
    expected_scheme = "slate" if scheme == "dark" else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected_scheme)
    chart = timeline_or_skip(page, path)
    labels = chart.evaluate(CONTRAST_SCRIPT)
    assert labels, f"{path}: the timeline has no text labels"
    poor = [label for label in labels if label["ratio"] < MIN_TEXT_CONTRAST]
    assert not poor, (f"{path} ({scheme}): timeline text below {MIN_TEXT_CONTRAST}:1 contrast: "
                      + "; ".join(f"{p['text']!r} {p['fill']} on {p['background']} = {p['ratio']:.2f}"
                                  for p in poor[:5]))
