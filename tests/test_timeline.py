"""Membership timelines: accessible, escaped, static SVG, one row per member, same bytes every time."""

from __future__ import annotations

import re
import shutil
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


ENTRY_LINK = re.compile(r"(\.\./)*(organisations|countries)/[a-z0-9-]+/(#membership)?")
"""The only links a chart may hold: to an entry's page (the overview's, when given ``href``)."""


def parse(markup: object, linked: bool = False) -> ET.Element:
    """The chart's <svg> element, checked for what every chart must have (``linked``: links to entries allowed)."""
    root = ET.fromstring(str(markup))
    assert root.tag == "div" and root.get("class") == "tl-figure"
    svg = root.find(f"{SVG}svg")
    assert svg is not None
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", svg.get("viewBox", ""))
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    if linked:
        # A chart holding links is no image (an image's content is presentational, its links unreachable).
        assert svg.get("role") is None
        title_id, desc_id = svg.get("aria-labelledby", ""), svg.get("aria-describedby", "")
    else:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby", "").split()
    assert title is not None and title.get("id") == title_id and title.text
    assert desc is not None and desc.get("id") == desc_id and desc.text
    _assert_static(root, linked)
    return svg


def _assert_static(root: ET.Element, linked: bool = False) -> None:
    """No script, no event handler, no external reference, no inline colour; links only to entries."""
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        assert tag not in ("script", "foreignObject", "image", "use", "style"), tag
        if tag == "a":
            assert linked, "a link in a chart without links"
            assert ENTRY_LINK.fullmatch(element.get("href", "")), element.get("href")
            assert element.get("aria-label"), "a link without a name"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "href" not in name or (linked and tag == "a" and name == "href"), name
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
    svg = parse(timeline.holder_timeline(synthetic.by_id["alpha"], synthetic, today_year=YEAR))
    labels = [row_label(r) for r in rows(svg)]
    assert labels == ["Kazakhstan", "Russian Federation", "Uzbekistan", "Armenia", "Belarus"]


def test_hostile_name_stays_text(synthetic: Site) -> None:
    markup = str(timeline.holder_timeline(synthetic.by_id["alpha"], synthetic, today_year=YEAR))
    assert "<script" not in markup
    svg = parse(markup)
    assert HOSTILE in svg.find(f"{SVG}title").text
    assert HOSTILE in svg.find(f"{SVG}desc").text
    country_svg = parse(timeline.target_timeline(synthetic.by_id["kaz"], synthetic, today_year=YEAR))
    assert not [e for e in country_svg.iter() if e.tag.endswith("script")]
    texts = ["".join(e.itertext()) for e in country_svg.iter(f"{SVG}text")]
    assert any(HOSTILE in t for t in texts)  # the full name, as a tooltip of the row label
    overview = str(timeline.overview_chart(synthetic, today_year=YEAR))
    assert "<script" not in overview and "&lt;script&gt;" in overview


def test_roles_changes_uncertainty_and_ends_are_drawn(synthetic: Site) -> None:
    svg = parse(timeline.holder_timeline(synthetic.by_id["alpha"], synthetic, today_year=YEAR))
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

    beta = parse(timeline.holder_timeline(synthetic.by_id["beta"], synthetic, today_year=YEAR))
    assert "tl-end-cap" in classes(beta) and "tl-arrow" not in classes(beta)
    assert "dissolution (1 January 2015)" in beta.find(f"{SVG}desc").text


def test_no_members_no_chart(synthetic: Site) -> None:
    assert timeline.holder_timeline(synthetic.by_id["gamma"], synthetic, today_year=YEAR) is None
    assert timeline.target_timeline(synthetic.by_id["mda"], synthetic, today_year=YEAR) is None


def test_country_timeline_one_row_per_organisation(synthetic: Site) -> None:
    svg = parse(timeline.target_timeline(synthetic.by_id["kaz"], synthetic, today_year=YEAR))
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


def test_overview_links_each_label_and_cell_to_its_entry(synthetic: Site) -> None:
    svg = parse(timeline.overview_chart(synthetic, today_year=YEAR, href=lambda entry: "../" + entry.url), linked=True)
    links = [a for a in svg.iter(f"{SVG}a")]
    heads = [a for a in links if a.find(f"{SVG}text") is not None
             and a.find(f"{SVG}text").get("class") == "tl-col-label"]
    labels = [a for a in links if a.find(f"{SVG}text") is not None
              and a.find(f"{SVG}text").get("class") == "tl-row-label"]
    cells = [a for a in links if a.get("class") == "tl-cell-group"]
    assert len(heads) == 2 and len(labels) == 5 and len(cells) == 7 and len(links) == 14
    assert {a.get("href") for a in labels} == {f"../countries/{c}/" for c in ("arm", "blr", "kaz", "rus", "uzb")}
    assert all(a.get("href").startswith("../organisations/") and a.get("href").endswith("/#membership") for a in cells)
    # Named by the visible label (label in name), then in full; a cell by its country, organisation and periods.
    for head in heads:
        org = synthetic.by_id[head.get("href").split("/")[2]]
        label = "".join(head.find(f"{SVG}text").itertext()).removeprefix(org.name)  # the <title> comes first
        assert head.get("aria-label") in (org.name, f"{label}, {org.name}"), (head.get("aria-label"), label)
        assert head.get("aria-label").startswith(label)
    assert all(a.get("aria-label").startswith(tuple(f"{c.name}, " for c in synthetic.of_type("country"))) for a in cells)
    # Without ``href`` (as before), no link at all.
    assert not list(parse(timeline.overview_chart(synthetic, today_year=YEAR)).iter(f"{SVG}a"))


def test_same_input_same_bytes_and_year_is_a_parameter(synthetic: Site, make_project, tmp_path: Path) -> None:
    org, country = synthetic.by_id["alpha"], synthetic.by_id["kaz"]
    first = [timeline.holder_timeline(org, synthetic, today_year=YEAR),
             timeline.target_timeline(country, synthetic, today_year=YEAR),
             timeline.overview_chart(synthetic, today_year=YEAR)]
    again = _site(make_project(SYNTHETIC))  # a second load of the same files
    second = [timeline.holder_timeline(again.by_id["alpha"], again, today_year=YEAR),
              timeline.target_timeline(again.by_id["kaz"], again, today_year=YEAR),
              timeline.overview_chart(again, today_year=YEAR)]
    assert [str(m).encode() for m in first] == [str(m).encode() for m in second]
    later = str(timeline.holder_timeline(org, synthetic, today_year=YEAR + 10))
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
        markup = timeline.holder_timeline(org, real, today_year=YEAR)
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
        markup = timeline.target_timeline(country, real, today_year=YEAR)
        organisations = {m.holder.id for m in real.related.get(country.id, []) if m.field.name == "members"}
        if not organisations:
            assert markup is None
            continue
        assert len(rows(parse(markup))) == len(organisations), country.id
    for target_id, related in real.related.items():  # every other relation naming an entry: a chart of its own
        target = real.by_id[target_id]
        for field in timeline.related_fields(target, real):
            svg = parse(timeline.target_timeline(target, real, today_year=YEAR, field=field))
            assert len(rows(svg)) == len({r.holder.id for r in related if r.field is field}), (target_id, field.name)
    members = {t for t, related in real.related.items() if any(r.field.name == "members" for r in related)}
    overview = parse(timeline.overview_chart(real, today_year=YEAR))
    assert len(rows(overview)) == len(members)


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


PEOPLE_TYPES = """\
extends: default
types:
  person:
    plural: People
    folder: people
    url_prefix: people
    doc: "A person."
    include: common
    fields:
      roles:
        kind: relation
        target: of
        to: [organisation, country]
        label: role
        inverse_label: People
        heading: Roles
        open_end: unknown
        doc: "Offices over time."
"""
PEOPLE = {
    **SYNTHETIC,
    "types.yaml": PEOPLE_TYPES,
    "content/people/ada.yaml": f"""\
id: ada
name: Ada Example
summary: A person.
sources: {SRC}
roles:
  - {{of: rus, role: President, from: 2000, to: 2008, sources: {SRC}}}
  - {{of: rus, role: Prime Minister, sources: {SRC}}}
  - {{of: alpha, role: Secretary-General, from: 2004, sources: {SRC}}}
""",
}


@pytest.fixture
def with_people(make_project) -> Site:
    return _site(make_project(PEOPLE))


@pytest.fixture
def both(make_project, tmp_path: Path) -> tuple[Site, Site]:
    """The synthetic site, and the same with people holding roles (each in its own folder)."""
    root = make_project(SYNTHETIC)
    base = _site(root)
    people = tmp_path / "with-people"
    shutil.copytree(root, people)
    for name in set(PEOPLE) - set(SYNTHETIC):
        (people / name).parent.mkdir(parents=True, exist_ok=True)
        (people / name).write_text(PEOPLE[name], encoding="utf-8")
    return base, _site(people)


def _titles(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}title")]


def test_target_with_two_relations_gets_one_chart_per_relation(both: tuple[Site, Site]) -> None:
    synthetic, site = both
    assert "ada" not in synthetic.by_id and "ada" in site.by_id
    rus = site.by_id["rus"]
    members, roles = timeline.related_fields(rus, site)
    assert (members.name, roles.name) == ("members", "roles")
    memberships = parse(timeline.target_timeline(rus, site, today_year=YEAR, field=members))
    people = parse(timeline.target_timeline(rus, site, today_year=YEAR, field=roles))
    assert memberships.find(f"{SVG}title").text == "Memberships of Russian Federation"
    assert people.find(f"{SVG}title").text == "People of Russian Federation"
    assert [row_label(r) for r in rows(memberships)] == [row_label(r) for r in rows(parse(
        timeline.target_timeline(synthetic.by_id["rus"], synthetic, today_year=YEAR)))]
    assert not any("Ada" in t for t in _titles(memberships))
    assert [row_label(r) for r in rows(people)] == ["Ada Example"]
    # The membership chart is the default one and draws the same bytes as on a site without people.
    assert str(timeline.target_timeline(rus, site, today_year=YEAR)) == str(
        timeline.target_timeline(synthetic.by_id["rus"], synthetic, today_year=YEAR))
    ids = {e.get("id") for e in memberships.iter() if e.get("id")}
    assert ids and not ids & {e.get("id") for e in people.iter() if e.get("id")}
    # An organisation named by a role: its people chart.
    alpha_people = parse(timeline.target_timeline(site.by_id["alpha"], site, today_year=YEAR))
    assert alpha_people.find(f"{SVG}title").text == f"People of {HOSTILE}"


def test_open_end_unknown_is_never_described_as_continuing(with_people: Site) -> None:
    site = with_people
    ada = site.by_id["ada"]
    periods = timeline.holder_periods(ada, site)
    assert [p.end_kind for p in periods] == ["closed", "unknown", "unknown"]
    assert periods[1].text == "Prime Minister (start not recorded), end not recorded"
    assert periods[2].text == "Secretary-General from 2004, end not recorded"
    for markup in (timeline.holder_timeline(ada, site, today_year=YEAR),
                   timeline.target_timeline(site.by_id["rus"], site, today_year=YEAR,
                                            field=timeline.related_fields(site.by_id["rus"], site)[1])):
        svg = parse(markup)
        text = " ".join(t.text or "" for t in svg.iter()) + " ".join(_titles(svg))
        assert "continuing" not in text.lower() and "end not recorded" in text
        assert "tl-arrow" not in classes(svg)  # no "continuing" arrow, in the bars or the legend
        assert "End not recorded" in [t.text for t in svg.iter(f"{SVG}text")]
    # The Secretary-General bar stops after its start (2004) and fades: it does not run on to the present.
    svg = parse(timeline.holder_timeline(ada, site, today_year=YEAR))
    ticks = {int(t.text): float(t.get("x")) for t in svg.iter(f"{SVG}text") if re.fullmatch(r"20[0-9]{2}", t.text or "")}
    bars = [r for r in svg.iter(f"{SVG}rect") if "tl-bar" in (r.get("class") or "") and float(r.get("y")) < min(
        float(t.get("y")) for t in svg.iter(f"{SVG}text") if (t.text or "") in {str(y) for y in ticks})]
    faded = [r for r in bars if "-fade)" in (r.get("mask") or "")]
    assert len(faded) == 2  # the Prime Minister's and the Secretary-General's ends
    last_tick = max(ticks)
    assert last_tick >= 2020
    assert all(float(r.get("x")) + float(r.get("width")) < ticks[last_tick] for r in bars)
    # Memberships keep their declared meaning: an open record is continuing.
    alpha = [p for p in timeline.holder_periods(site.by_id["alpha"], site) if p.target.id == "rus"]
    assert alpha[0].end_kind == "open" and alpha[0].text.endswith(", continuing")


def test_open_end_takes_only_its_two_values(make_project) -> None:
    root = make_project({**PEOPLE, "types.yaml": PEOPLE_TYPES.replace("open_end: unknown", "open_end: unknwon")})
    diagnostics = Diagnostics()
    load_and_link(ProjectConfig.for_project(root), diagnostics)
    messages = [str(d) for d in diagnostics.errors]
    assert any("types.yaml:" in m and "types.bad-value" in m and "'open_end' must be one of: continuing, unknown"
               in m and "unknown" in m for m in messages), messages


def test_role_required_makes_a_free_text_role_required(make_project) -> None:
    files = {**PEOPLE, "content/people/ada.yaml": PEOPLE["content/people/ada.yaml"].replace("role: Prime Minister, ", "")}
    for required, errors in (("false", 0), ("true", 1)):
        types = PEOPLE_TYPES.replace("open_end: unknown", f"open_end: unknown\n        role_required: {required}")
        diagnostics = Diagnostics()
        load_and_link(ProjectConfig.for_project(make_project({**files, "types.yaml": types})), diagnostics)
        found = [str(d) for d in diagnostics.errors]
        assert len(found) == errors, found
        assert all("content/people/ada.yaml:" in m and "role" in m for m in found), found
