"""Phones and pictures (issue 15): nothing scrolls sideways at 390 px, charts stay legible and say what
they show, abbreviations open on a tap, the glossary's initials and the chronology's filters are usable."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from conftest import DESKTOP, PHONE
from playwright.sync_api import expect

if TYPE_CHECKING:
    from conftest import NewReader

ARTICLE = "article.md-content__inner"
PHONE_WIDTH = PHONE["viewport"]["width"]
MIN_LABEL_PX = 11

ONE_PAGE_OF_EACH_TYPE = [
    "",                                     # home
    "organisations/csto/",                  # organisation: chart and membership table
    "countries/kaz/",                       # country: chart and memberships
    "events/cst-signed-1992/",              # event
    "concepts/dead-letter-regime/",         # concept
    "disagreements/csto-founding-date/",    # disagreement
    "guides/troitskiy2020/",                # reading guide (a table)
    "sources/troitskiy2020/",               # source
    "organisations/",                       # a listing
    "chronology/", "timeline/", "glossary/", "sources/",
]

OVERFLOWING = """() => {
  // Elements reaching past the screen's right edge that are not inside a scrollable, labelled figure.
  const width = document.documentElement.clientWidth;
  const scrollsInside = el => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (["auto", "scroll"].includes(style.overflowX) && up.clientWidth < up.scrollWidth + 1
          && (up.getAttribute("aria-labelledby") || up.getAttribute("aria-label"))) return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll("article *")).filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !scrollsInside(el);
  }).slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""} right=${Math.round(el.getBoundingClientRect().right)}`);
}"""


def test_no_page_scrolls_sideways_on_a_phone(new_reader: NewReader) -> None:
    reader = new_reader(**PHONE)
    problems = []
    for path in ONE_PAGE_OF_EACH_TYPE:
        page = reader.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            problems.append(f"/{path}: the page is {width} px wide")
        overflowing = page.evaluate(OVERFLOWING)
        if overflowing:
            problems.append(f"/{path}: outside a scrollable labelled figure: {overflowing}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- charts


LABEL_SIZES = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Array.from(svg.querySelectorAll("text")).filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => ({text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * scale}));
}"""


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("path", ["organisations/csto/", "countries/kaz/", "timeline/"])
def test_chart_labels_stay_legible(new_reader: NewReader, path: str, screen: str) -> None:
    page = new_reader(**(PHONE if screen == "phone" else DESKTOP)).goto(path)
    chart = page.locator("figure.timeline svg.tl-chart").first
    labels = chart.evaluate(LABEL_SIZES)
    assert labels
    small = [label for label in labels if label["px"] < MIN_LABEL_PX - 0.01]
    assert not small, f"/{path} ({screen}): labels under {MIN_LABEL_PX} px: {small[:5]}"
    # Where the chart is wider than the column, its figure scrolls and is reachable by keyboard.
    region = page.locator("figure.timeline .tl-figure[role=region]").first
    expect(region).to_have_attribute("tabindex", "0")
    caption = page.locator("figure.timeline figcaption").first
    expect(caption).not_to_contain_text("hover")
    if chart.evaluate("svg => svg.getBoundingClientRect().width > svg.parentElement.clientWidth + 1"):
        expect(caption).to_contain_text("scroll")


def test_a_suspended_membership_is_not_drawn_as_continuing(new_reader: NewReader) -> None:
    page = new_reader(**DESKTOP).goto("organisations/csto/")
    chart = page.locator("figure.timeline svg[role=img]").first
    description = chart.locator(":scope > desc").text_content()
    uzbekistan = re.search(r"Uzbekistan: ([^.]*)\.", description)
    assert uzbekistan, description
    assert "continuing" not in uzbekistan.group(1) and "suspended since 2012" in uzbekistan.group(1), uzbekistan.group(0)
    # The bar visibly changes: its stretch after 2012 is drawn as suspended.
    assert chart.locator("rect.tl-suspended").count() >= 1
    # The membership table and the event page say the same.
    row = page.locator(f"{ARTICLE} table tr", has=page.locator('a[href$="countries/uzb/"]')).first
    expect(row).to_contain_text("suspended")
    expect(row).to_contain_text("2012")
    event = new_reader(**DESKTOP).goto("events/uzbekistan-suspends-csto-2012/")
    expect(event.locator(f"{ARTICLE} h1")).to_contain_text(re.compile("suspend", re.IGNORECASE))


def test_overview_columns_are_explained_and_linked(new_reader: NewReader) -> None:
    page = new_reader(**PHONE).goto("timeline/")
    # The heads' own text (each also holds a <title> with the full name, shown on hover only).
    heads = page.locator("figure.timeline svg .tl-col-label").evaluate_all(
        "labels => labels.map(l => Array.from(l.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join('').trim())")
    assert len(heads) > 5
    key = page.locator(f"{ARTICLE} p", has_text="The chart's columns:")
    expect(key).to_have_count(1)
    text = key.inner_text()
    for head in heads:
        assert f"{head}, " in text, f"column {head!r} is not explained: {text}"
    expect(key.locator('a[href*="organisations/"]')).to_have_count(len(heads))


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_overview_bars_and_labels_link_to_their_entries(new_reader: NewReader, screen: str) -> None:
    reader = new_reader(**(PHONE if screen == "phone" else DESKTOP))
    page = reader.goto("timeline/")
    chart = page.locator("figure.timeline svg.tl-chart")
    # A chart holding links is not marked as an image (an image's content is presentational, its links
    # unreachable); it is named by its title and its links are in the accessibility tree.
    assert chart.get_attribute("role") is None
    expect(chart).to_have_accessible_name(re.compile(r"^Memberships of \d+ countries"))
    expect(chart.get_by_role("link", name="CSTO, Collective Security Treaty Organization", exact=True)).to_have_count(1)
    links = chart.locator("a[href]").evaluate_all("""links => links.map(a => ({
        href: new URL(a.getAttribute("href"), location.href).pathname + new URL(a.getAttribute("href"), location.href).hash,
        name: a.getAttribute("aria-label") || "", kind: a.querySelector(".tl-col-label") ? "column"
          : a.querySelector(".tl-row-label") ? "row" : a.classList.contains("tl-cell-group") ? "cell" : "other"}))""")
    columns = [link for link in links if link["kind"] == "column"]
    rows = [link for link in links if link["kind"] == "row"]
    cells = [link for link in links if link["kind"] == "cell"]
    # Every column head, row label and filled cell is a link, named in full.
    assert len(columns) == chart.locator(".tl-col-label").count() > 5
    assert len(rows) == chart.locator(".tl-row-label").count() > 5
    assert len(cells) == chart.locator(".tl-cell-group").count() > len(rows)
    assert not [link for link in links if link["kind"] == "other"], links
    assert all(re.fullmatch(r"/organisations/[a-z0-9-]+/", link["href"]) for link in columns), columns
    assert all(re.fullmatch(r"/countries/[a-z0-9-]+/", link["href"]) for link in rows), rows
    assert all(re.fullmatch(r"/organisations/[a-z0-9-]+/#membership", link["href"]) for link in cells), cells
    assert all(len(link["name"]) > 3 for link in links), [link for link in links if len(link["name"]) <= 3]
    csto = next(link for link in columns if link["href"] == "/organisations/csto/")
    # The visible abbreviation first (label in name), then the full name.
    assert csto["name"] == "CSTO, Collective Security Treaty Organization", csto
    kazakhstan_in_csto = [link for link in cells if link["name"].startswith("Kazakhstan, Collective Security Treaty Organization:")]
    assert len(kazakhstan_in_csto) == 1 and kazakhstan_in_csto[0]["href"] == "/organisations/csto/#membership", cells

    # Reachable by keyboard: from the chart's scrolling region, Tab reaches its first link.
    region = page.locator("figure.timeline .tl-figure[role=region]")
    region.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const el = document.activeElement;
        return {inChart: !!el.closest("svg.tl-chart"), tag: el.tagName.toLowerCase(), name: el.getAttribute("aria-label")}; }""")
    assert focused["inChart"] and focused["tag"] == "a" and focused["name"], focused

    # A tap or click on a bar opens the organisation's membership section.
    cell = chart.locator("a.tl-cell-group", has=page.locator("rect.tl-bar")).first
    target = cell.evaluate("a => new URL(a.getAttribute('href'), location.href).pathname")
    cell.scroll_into_view_if_needed()
    if screen == "phone":
        cell.tap()
    else:
        cell.click()
    reader.wait_for_path(target)
    expect(page.locator(f"{ARTICLE} h2#membership")).to_be_in_viewport()


def test_overview_column_key_is_visible_without_hover(new_reader: NewReader) -> None:
    page = new_reader(**PHONE).goto("timeline/")
    key = page.locator(f"{ARTICLE} p", has_text="The chart's columns:")
    key.scroll_into_view_if_needed()
    expect(key).to_be_visible()
    # Next to the chart (right after its figure), not at the end of the page.
    assert key.evaluate("p => p.previousElementSibling && p.previousElementSibling.matches('figure.timeline')")


# --------------------------------------------------------------------------- tables


BROKEN_WORDS = r"""table => {
  // Words (runs between spaces, hyphens, dashes and slashes) whose letters lie on more than one line.
  const broken = [];
  for (const cell of table.querySelectorAll("td, th")) {
    if (!cell.getClientRects().length) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\s\-\u2010-\u2015\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
NARROW_CELLS = """table => Array.from(table.querySelectorAll("td")).filter(td => {
    if (!td.textContent.trim() || !td.getClientRects().length || td.getBoundingClientRect().width >= 72) return false;
    const range = document.createRange();
    range.selectNodeContents(td);
    return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom))).size > 1;
  }).map(td => `${td.textContent.trim().slice(0, 30)} (${Math.round(td.getBoundingClientRect().width)} px)`)"""
"""Squeezed columns: cells a few characters wide (72 px is about eight letters of table text) whose text wraps."""

PAGES_WITH_TABLES = [
    "", "organisations/csto/", "organisations/eurasec/", "countries/kaz/", "countries/uzb/", "timeline/",
    "guides/troitskiy2020/", "guides/molchanov2012/", "sources/", "data/",
]


@pytest.mark.parametrize("path", PAGES_WITH_TABLES, ids=lambda path: path or "home")
def test_table_cells_keep_their_words_whole_on_a_phone(new_reader: NewReader, path: str) -> None:
    page = new_reader(**PHONE).goto(path)
    tables = page.locator(f"{ARTICLE} table")
    assert tables.count() >= 1
    for table in tables.all():
        table.scroll_into_view_if_needed()
        broken = table.evaluate(BROKEN_WORDS)
        assert not broken, f"/{path}: words broken across lines in a table cell: {broken[:10]}"
        narrow = table.evaluate(NARROW_CELLS)
        assert not narrow, f"/{path}: table cells a few letters wide: {narrow[:10]}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"/{path}: the page is {width} px wide"


def test_membership_rows_are_labelled_cards_on_a_phone(new_reader: NewReader) -> None:
    page = new_reader(**PHONE).goto("organisations/csto/")
    table = page.locator(f"{ARTICLE} table").first
    row = table.locator("tbody tr", has=page.locator('a[href$="countries/uzb/"]')).first
    row.scroll_into_view_if_needed()
    # One card a row, as wide as the column; each value says which column it is.
    card, article = row.bounding_box(), page.locator(ARTICLE).bounding_box()
    assert card and article and card["width"] > 0.85 * article["width"], (card, article)
    joined = row.locator('td[data-label="From"]')
    expect(joined).to_contain_text("2006")
    assert joined.evaluate("td => getComputedStyle(td, '::before').content") == '"From: "'
    # An empty cell (no end date) is left out rather than shown as a bare label.
    expect(row.locator('td[data-label="To"]')).to_be_hidden()
    expect(row.locator('td[data-label="Changes"]')).to_contain_text("suspended")
    # The column headings stay in the table for screen readers.
    expect(table.get_by_role("columnheader", name="Country")).to_have_count(1)
    # On a laptop it is an ordinary table.
    desktop = new_reader(**DESKTOP).goto("organisations/csto/")
    assert desktop.locator(f"{ARTICLE} table tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "table-row"


# --------------------------------------------------------------------------- abbreviations, glossary


def test_an_abbreviation_opens_on_a_tap(new_reader: NewReader) -> None:
    page = new_reader(**PHONE).goto("concepts/dead-letter-regime/")
    abbr = page.locator(f"{ARTICLE} .prose abbr[title]").first
    expansion = abbr.get_attribute("title")
    abbr.evaluate("el => el.scrollIntoView({block: 'center'})")  # not under the sticky header
    abbr.tap()
    popover = page.locator("#abbr-popover")
    expect(popover).to_be_visible()
    expect(popover).to_have_text(expansion)
    box = popover.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box


def test_an_abbreviation_opens_on_keyboard_focus(new_reader: NewReader) -> None:
    page = new_reader(**DESKTOP).goto("concepts/dead-letter-regime/")
    abbr = page.locator(f"{ARTICLE} .prose abbr[title]").first
    expect(abbr).to_have_attribute("tabindex", "0")
    abbr.focus()
    expect(page.locator("#abbr-popover")).to_have_text(abbr.get_attribute("title"))


def test_glossary_initials_are_separated_by_script_and_easy_to_tap(new_reader: NewReader) -> None:
    page = new_reader(**PHONE).goto("glossary/")
    index = page.locator(f"{ARTICLE} .letter-index[role=navigation]")
    rows = index.locator("p")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Latin:")
    expect(rows.nth(1)).to_contain_text("Cyrillic:")
    for letter in rows.nth(0).locator("a").all_text_contents():
        assert not re.match(r"[\u0400-\u04ff]", letter), letter
    cyrillic = rows.nth(1).locator("a").all_text_contents()
    assert cyrillic and all(re.match(r"[\u0400-\u04ff]", letter) for letter in cyrillic), cyrillic
    sizes = index.locator("a").evaluate_all("links => links.map(a => [a.textContent, a.getBoundingClientRect().width, a.getBoundingClientRect().height])")
    small = [size for size in sizes if size[1] < 24 or size[2] < 24]
    assert not small, f"tap targets under 24 px: {small[:5]}"


# --------------------------------------------------------------------------- chronology


def test_chronology_filters_live_in_the_address(new_reader: NewReader) -> None:
    reader = new_reader(**PHONE)
    page = reader.goto("chronology/")
    form = page.locator("form.chronology-filter")
    select = form.locator('select[data-filter="organisations"]')
    box = select.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE_WIDTH, box
    assert select.evaluate("s => parseFloat(getComputedStyle(s).fontSize)") >= 12
    total = page.locator("ol.chronology > li").count()
    select.select_option("csto")
    page.wait_for_url(re.compile(r"[?&]organisations=csto\b"))
    shown = page.locator("ol.chronology > li:visible").count()
    assert 0 < shown < total

    # Shareable and kept on reload.
    page.reload(wait_until="load")
    expect(page.locator('form.chronology-filter select[data-filter="organisations"]')).to_have_value("csto")
    expect(page.locator("ol.chronology > li:visible")).to_have_count(shown)
    other = new_reader(**DESKTOP)
    other.goto("chronology/?organisations=csto")
    expect(other.page.locator("ol.chronology > li:visible")).to_have_count(shown)

    page.locator("form.chronology-filter").get_by_role("button", name="Show all events").tap()
    expect(page.locator("ol.chronology > li:visible")).to_have_count(total)
    page.wait_for_url(lambda url: "organisations=" not in url)


# --------------------------------------------------------------------------- page chrome


def test_entry_page_has_a_breadcrumb_and_its_section_highlighted(new_reader: NewReader) -> None:
    reader = new_reader(**DESKTOP)
    page = reader.goto("organisations/csto/")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs).to_have_count(1)
    expect(crumbs).to_contain_text("Collective Security Treaty Organization")
    crumbs.get_by_role("link", name="Organisations").click()
    reader.wait_for_path("/organisations/")
    page.go_back()
    reader.wait_for_path("/organisations/csto/")
    active = page.locator("nav.md-nav--primary a.md-nav__link--active")
    expect(active).to_have_count(1)
    expect(active).to_have_text(re.compile(r"^\s*Organisations\s*$"))


CONTRAST = """el => {
  const parse = v => v.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = null;
  for (let up = el; up && !bg; up = up.parentElement) {
    const c = parse(getComputedStyle(up).backgroundColor);
    if ((c[3] ?? 1) > 0) bg = c;
  }
  const fg = parse(getComputedStyle(el).color);
  const a = fg[3] ?? 1;
  const shown = fg.slice(0, 3).map((c, i) => c * a + bg[i] * (1 - a));
  const [hi, lo] = [lum(shown), lum(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_footer_names_licences_errors_and_edition_legibly(new_reader: NewReader, scheme: str) -> None:
    page = new_reader(color_scheme=scheme, **PHONE).goto("organisations/csto/")
    footer = page.locator("footer .md-copyright")
    expect(footer).to_contain_text("Text:")
    expect(footer).to_contain_text("Data:")
    expect(footer).to_contain_text("edition", ignore_case=True)
    report = footer.get_by_role("link", name="How to report it")
    expect(report).to_have_attribute("href", re.compile(r"about/#reporting-an-error$"))
    for element in [footer, *footer.locator("a").all()]:
        ratio = element.evaluate(CONTRAST)
        assert ratio >= 4.5, f"footer text contrast {ratio:.2f}:1 ({scheme})"
    expect(page.locator('.md-search[role="dialog"]')).to_have_accessible_name(re.compile(r"\S"))


def test_developer_pages_are_out_of_the_readers_search(site_dir) -> None:  # noqa: ANN001 - a Path
    import gzip
    import json

    locations = set()
    for fragment in (site_dir / "pagefind").rglob("*.pf_fragment"):  # every shard's
        data = gzip.decompress(fragment.read_bytes())
        locations.add(json.loads(data[data.index(b"{"):])["url"].strip("/") + "/")
    for developer_page in ("reference/fields/", "reference/diagnostics/", "reference/api/"):
        assert developer_page not in locations, f"{developer_page} is in the readers' search index"
    assert "organisations/csto/" in locations


@pytest.mark.parametrize(("path", "field", "value"), [("organisations/csto/", "organisations", "csto"),
                                                      ("countries/kaz/", "countries", "kaz")])
def test_entry_links_to_its_filtered_chronology(new_reader: NewReader, path: str, field: str, value: str) -> None:
    reader = new_reader(**PHONE)
    page = reader.goto(path)
    link = page.locator(f"{ARTICLE} .admonition a", has_text="in the chronology")
    expect(link).to_have_count(1)
    count = int(re.match(r"\d+", link.inner_text()).group())
    link.tap()
    page.wait_for_url(re.compile(rf"/chronology/\?{field}={value}$"), wait_until="load")
    expect(page.locator(f'form.chronology-filter select[data-filter="{field}"]')).to_have_value(value)
    expect(page.locator("ol.chronology > li:visible")).to_have_count(count)
