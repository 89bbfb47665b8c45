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
    chart = page.locator("figure.timeline svg[role=img]").first
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
    for fragment in (site_dir / "pagefind" / "fragment").glob("*.pf_fragment"):
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
