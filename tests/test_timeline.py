"""Membership timelines: accessible, escaped, static SVG, one row per member, same bytes every time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.outputs import timeline
from generator.diagnostics import Diagnostics
from generator.load.linker import Site
from generator.pipeline import ProjectConfig, load_and_link

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
YEAR = 2026
HOSTILE = '<script>alert("x")</script> & "Union"'

SRC = '[{key: smith2001, locator: "12"}]'
COUNTRIES = ("rus", "kaz", "uzb", "arm", "blr", "mda")
SYNTHETIC = {
    **{f"content/countries/{c}.yaml": f"id: {c}\nsummary: A state.\nsources: {SRC}\n" for c in COUNTRIES},
    "content/organisations/alpha.yaml": f"""\
id: alpha
name: '{HOSTILE}'
summary: An alliance with a hostile name.
kind: alliance
founded: {{date: 1994, sources: {SRC}}}
sources: {SRC}
members:
  - country: rus
    role: founding-member
    from: 1994-05-15
    sources: {SRC}
  - country: kaz
    role: member
    from:
      - {{date: 1994, sources: {SRC}}}
      - {{date: 1996, sources: {SRC}}}
    to: 2010-06
    sources: {SRC}
  - country: kaz
    role: observer
    from: 1993
    to: 1995
    sources: {SRC}
  - country: uzb
    role: member
    from: 1996
    to: 2012
    sources: {SRC}
    changes:
      - {{status: suspended, date: 2008, sources: {SRC}}}
      - {{status: reinstated, date: 2010, sources: {SRC}}}
      - {{status: withdrawn, date: 2012, sources: {SRC}}}
  - country: arm
    role: observer
    from: 2003~
    sources: {SRC}
  - country: blr
    role: partner
    sources: {SRC}
""",
    "content/organisations/beta.yaml": f"""\
id: beta
name: Beta Community
abbreviations: [{{text: BC}}]
summary: A community that was dissolved.
kind: economic-community
founded: {{date: 2000, sources: {SRC}}}
dissolved: {{date: 2015-01-01, sources: {SRC}}}
sources: {SRC}
members:
  - {{country: rus, role: member, from: 2000, sources: {SRC}}}
  - {{country: kaz, role: member, from: 2001, sources: {SRC}}}
""",
    "content/organisations/gamma.yaml": f"""\
id: gamma
name: Gamma Forum
summary: A forum without members.
kind: forum
sources: {SRC}
""",
}


def _site(root: Path) -> Site:
    diagnostics = Diagnostics()
    site, _ = load_and_link(ProjectConfig.for_project(root), diagnostics)
    assert not diagnostics.errors, [str(d) for d in diagnostics.errors]
    return site


@pytest.fixture
def synthetic(make_project) -> Site:
    return _site(make_project(SYNTHETIC))


@pytest.fixture(scope="module")
def real() -> Site:
    return _site(REPO)


def parse(markup: object) -> ET.Element:
    """The chart's <svg> element, checked for what every chart must have."""
    root = ET.fromstring(str(markup))
    assert root.tag == "div" and root.get("class") == "tl-figure"
    svg = root.find(f"{SVG}svg")
    assert svg is not None
    assert svg.get("role") == "img"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", svg.get("viewBox", ""))
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id and title.text
    assert desc is not None and desc.get("id") == desc_id and desc.text
    _assert_static(root)
    return svg


def _assert_static(root: ET.Element) -> None:
    """No script, no event handler, no external reference, no inline colour."""
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        assert tag not in ("script", "foreignObject", "image", "use", "a", "style"), tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "href" not in name, name
            assert name not in ("style", "color"), name
            if "url(" in value:
                assert re.fullmatch(r"url\(#tl-[a-z0-9-]+\)", value), value
            if name == "fill":
                assert value.startswith("url(#"), value


def rows(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "tl-row"]


def row_label(row: ET.Element) -> str:
    text = next(t for t in row.iter(f"{SVG}text") if t.get("class") == "tl-row-label")
    return "".join(text.itertext())


def classes(svg: ET.Element) -> set[str]:
    return {c for e in svg.iter() for c in (e.get("class") or "").split()}


def test_organisation_timeline_one_row_per_member_state_in_order_of_joining(synthetic: Site) -> None:
    svg = parse(timeline.organisation_timeline(synthetic.by_id["alpha"], synthetic, today_year=YEAR))
    labels = [row_label(r) for r in rows(svg)]
    assert labels == ["Kazakhstan", "Russian Federation", "Uzbekistan", "Armenia", "Belarus"]


def test_hostile_name_stays_text(synthetic: Site) -> None:
    markup = str(timeline.organisation_timeline(synthetic.by_id["alpha"], synthetic, today_year=YEAR))
    assert "<script" not in markup
    svg = parse(markup)
    assert HOSTILE in svg.find(f"{SVG}title").text
    assert HOSTILE in svg.find(f"{SVG}desc").text
    country_svg = parse(timeline.country_timeline(synthetic.by_id["kaz"], synthetic, today_year=YEAR))
    assert not [e for e in country_svg.iter() if e.tag.endswith("script")]
    texts = ["".join(e.itertext()) for e in country_svg.iter(f"{SVG}text")]
    assert any(HOSTILE in t for t in texts)  # the full name, as a tooltip of the row label
    overview = str(timeline.overview_chart(synthetic, today_year=YEAR))
    assert "<script" not in overview and "&lt;script&gt;" in overview


def test_roles_changes_uncertainty_and_ends_are_drawn(synthetic: Site) -> None:
    svg = parse(timeline.organisation_timeline(synthetic.by_id["alpha"], synthetic, today_year=YEAR))
    used = classes(svg)
    assert {"tl-member", "tl-observer", "tl-other"} <= used
    assert {"tl-mark-suspended", "tl-mark-reinstated", "tl-mark-withdrawn"} <= used
    assert {"tl-fuzzy", "tl-suspended", "tl-arrow"} <= used
    kazakhstan = rows(svg)[0]
    assert len([g for g in kazakhstan.iter(f"{SVG}g") if g.get("class") == "tl-period"]) == 2
    lanes = {r.get("y") for r in kazakhstan.iter(f"{SVG}rect") if "tl-bar" in (r.get("class") or "")}
    assert len(lanes) == 2, "overlapping periods of one country go to separate lanes"
    hatched = [r for r in svg.iter(f"{SVG}rect") if (r.get("fill") or "").endswith("-hatch)")]
    assert hatched, "disputed and approximate dates are hatched"
    desc = svg.find(f"{SVG}desc").text
    assert "1994 or 1996 (sources differ)" in desc
    assert "suspended 2008; reinstated 2010" in desc
    assert "start not recorded" in desc

    beta = parse(timeline.organisation_timeline(synthetic.by_id["beta"], synthetic, today_year=YEAR))
    assert "tl-end-cap" in classes(beta) and "tl-arrow" not in classes(beta)
    assert "dissolution (1 January 2015)" in beta.find(f"{SVG}desc").text


def test_no_members_no_chart(synthetic: Site) -> None:
    assert timeline.organisation_timeline(synthetic.by_id["gamma"], synthetic, today_year=YEAR) is None
    assert timeline.country_timeline(synthetic.by_id["mda"], synthetic, today_year=YEAR) is None


def test_country_timeline_one_row_per_organisation(synthetic: Site) -> None:
    svg = parse(timeline.country_timeline(synthetic.by_id["kaz"], synthetic, today_year=YEAR))
    assert len(rows(svg)) == 2
    assert row_label(rows(svg)[1]).endswith("BC")  # the abbreviation, full name as tooltip
    assert svg.find(f"{SVG}title").text == "Memberships of Kazakhstan"


def test_overview_matrix(synthetic: Site) -> None:
    svg = parse(timeline.overview_chart(synthetic, today_year=YEAR))
    labels = [row_label(r) for r in rows(svg)]
    assert labels == ["Armenia", "Belarus", "Kazakhstan", "Russian Federation", "Uzbekistan"]
    columns = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "tl-col-label"]
    assert len(columns) == 2 and not any("Gamma" in c for c in columns)
    cells = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "tl-cell-group"]
    assert len(cells) == 7  # distinct (country, organisation) pairs
    assert "1991" in svg.find(f"{SVG}title").text and str(YEAR) in svg.find(f"{SVG}title").text


def test_same_input_same_bytes_and_year_is_a_parameter(synthetic: Site, make_project, tmp_path: Path) -> None:
    org, country = synthetic.by_id["alpha"], synthetic.by_id["kaz"]
    first = [timeline.organisation_timeline(org, synthetic, today_year=YEAR),
             timeline.country_timeline(country, synthetic, today_year=YEAR),
             timeline.overview_chart(synthetic, today_year=YEAR)]
    again = _site(make_project(SYNTHETIC))  # a second load of the same files
    second = [timeline.organisation_timeline(again.by_id["alpha"], again, today_year=YEAR),
              timeline.country_timeline(again.by_id["kaz"], again, today_year=YEAR),
              timeline.overview_chart(again, today_year=YEAR)]
    assert [str(m).encode() for m in first] == [str(m).encode() for m in second]
    later = str(timeline.organisation_timeline(org, synthetic, today_year=YEAR + 10))
    assert later != str(first[0])
    assert f"to {YEAR + 10}." in later


def test_present_year_is_reproducible() -> None:
    assert timeline.present_year({"SOURCE_DATE_EPOCH": "1764000000"}) == 2025
    assert timeline.present_year({}) >= 2025


def test_short_labels_are_distinct(real: Site) -> None:
    labels = timeline.short_labels(real.of_type("organisation"))
    with_members = [o.id for o in real.of_type("organisation") if o.get("members")]
    shown = [labels[i] for i in with_members]
    assert len(shown) == len(set(shown))


def test_real_content_every_chart(real: Site) -> None:
    ids: dict[str, str] = {}
    for org in real.of_type("organisation"):
        markup = timeline.organisation_timeline(org, real, today_year=YEAR)
        members = {m["country"].target for m in org.get("members") or []}
        if not members:
            assert markup is None
            continue
        svg = parse(markup)
        assert len(rows(svg)) == len(members), org.id
        assert {row_label(r) for r in rows(svg)} == {timeline._clip(real.by_id[c].name) for c in members}
        for element in svg.iter():
            if element.get("id"):
                element_id = element.get("id")
                assert element_id not in ids, f"id {element_id} in {org.id} and {ids.get(element_id)}"
                ids[element_id] = org.id
    for country in real.of_type("country"):
        markup = timeline.country_timeline(country, real, today_year=YEAR)
        organisations = {m.organisation.id for m in real.memberships.get(country.id, [])}
        if not organisations:
            assert markup is None
            continue
        assert len(rows(parse(markup))) == len(organisations), country.id
    overview = parse(timeline.overview_chart(real, today_year=YEAR))
    assert len(rows(overview)) == len(real.memberships)


def test_every_colour_comes_from_the_stylesheet(real: Site) -> None:
    css = timeline.TIMELINE_CSS
    for value in re.findall(r"(?:fill|stroke|color):\s*([^;]+);", css):
        assert value.startswith(("var(--md-", "currentColor", "none", "inherit")), value
    svg = parse(timeline.overview_chart(real, today_year=YEAR))
    painted = {c for c in classes(svg) if c.startswith("tl-")} - {
        "tl-chart", "tl-overview", "tl-rows", "tl-row", "tl-headers", "tl-cell-group", "tl-legend", "tl-bar",
        "tl-row-label", "tl-period"}
    for name in painted:
        assert f".{name}" in css, name
