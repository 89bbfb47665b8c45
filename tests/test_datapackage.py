"""The downloadable data: a valid Frictionless Data Package whose tables match the site, byte-stable."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import pytest

from generator.bibliography import Bibliography
from generator.outputs.datapackage import FORMULA_PREFIXES, TABLES, data_files
from generator.diagnostics import Diagnostics
from generator.load.linker import Site
from generator.pipeline import ProjectConfig, load_and_link

REPO = Path(__file__).resolve().parent.parent
SRC = '[{key: smith2001, locator: "12", label: note}]'
SYNTHETIC = {
    **{f"content/countries/{c}.yaml": f"id: {c}\nsummary: A state.\nsources: {SRC}\n" for c in ("rus", "kaz")},
    "content/organisations/alpha.yaml": f"""\
id: alpha
name: "+Plus Union"
summary: "=HYPERLINK(\\"http://example.org\\", \\"click\\")"
kind: alliance
abbreviations: [{{text: "@AU"}}]
founded:
  - {{date: 1994, sources: {SRC}}}
  - {{date: 1995~, sources: [{{key: smith2001, locator: "Part one", label: section}}]}}
sources: {SRC}
members:
  - country: kaz
    role: member
    from:
      - {{date: 1994, sources: {SRC}}}
      - {{date: 1996-03, sources: [{{key: smith2001, locator: "40"}}]}}
    to: 2010-06
    sources: {SRC}
    note: "-1 is how the treaty counted it, with a [[beta]] link"
    changes:
      - {{status: suspended, date: 2008, sources: {SRC}}}
  - {{country: kaz, role: member, from: 2014, sources: {SRC}}}
  - {{country: rus, role: founding-member, from: 1994, sources: {SRC}}}
""",
    "content/organisations/beta.yaml": f"""\
id: beta
name: Beta Council
summary: An organ of alpha.
kind: council
parent: alpha
sources: {SRC}
""",
    "content/events/alpha-founded.yaml": f"""\
id: alpha-founded
name: Alpha founded
summary: The founding.
kind: founding
date: {{date: 1994-05-15, sources: {SRC}}}
organisations: [alpha]
countries: [rus, kaz]
place: "@Tashkent"
sources: {SRC}
""",
    "content/concepts/tinkering.yaml": f"""\
id: tinkering
name: Tinkering
summary: A term.
definition: {{text: "+ a definition that starts with a plus", sources: {SRC}}}
sources: {SRC}
""",
}


def _load(root: Path) -> tuple[Site, Bibliography]:
    diagnostics = Diagnostics()
    site, bibliography = load_and_link(ProjectConfig.for_project(root), diagnostics)
    assert not diagnostics.errors, [str(d) for d in diagnostics.errors]
    return site, bibliography


def _write(files: dict[str, str], target: Path) -> Path:
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return target / "data" / "datapackage.json"


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def synthetic(make_project) -> tuple[Site, Bibliography]:
    return _load(make_project(SYNTHETIC))


@pytest.fixture(scope="module")
def real() -> tuple[Site, Bibliography]:
    return _load(REPO)


@pytest.mark.parametrize("which", ["synthetic", "real"])
def test_package_is_valid_and_rows_match_the_site(which: str, request, tmp_path: Path) -> None:
    site, bibliography = request.getfixturevalue(which)
    files = data_files(site, bibliography, "1.2.0", site_url="https://companion.example.org/")
    report = frictionless.validate(str(_write(files, tmp_path)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]

    counts = {
        "organisations": len(site.of_type("organisation")),
        "memberships": sum(len(o.get("members") or []) for o in site.of_type("organisation")),
        "events": len(site.of_type("event")),
        "concepts": len(site.of_type("concept")),
        "countries": len(site.of_type("country")),
        "sources": len(bibliography),
    }
    for name, count in counts.items():
        assert len(_csv_rows(files[f"data/{name}.csv"])) == count, name
        assert len(json.loads(files[f"data/{name}.json"])) == count, name

    organisations = {r["id"] for r in _csv_rows(files["data/organisations.csv"])}
    countries = {r["id"] for r in _csv_rows(files["data/countries.csv"])}
    for row in _csv_rows(files["data/memberships.csv"]):
        assert row["organisation"] in organisations and row["country"] in countries


def test_foreign_keys_are_declared_and_checked(synthetic, tmp_path: Path) -> None:
    files = data_files(*synthetic, "1")
    package = json.loads(files["data/datapackage.json"])
    memberships = next(r for r in package["resources"] if r["name"] == "memberships")
    assert memberships["schema"]["primaryKey"] == "id"
    assert {(fk["fields"], fk["reference"]["resource"]) for fk in memberships["schema"]["foreignKeys"]} == {
        ("organisation", "organisations"), ("country", "countries")}
    broken = files["data/memberships.csv"].replace(",kaz,", ",xyz,", 1)
    report = frictionless.validate(str(_write({**files, "data/memberships.csv": broken}, tmp_path)))
    assert not report.valid
    assert {e[0] for e in report.flatten(["type"])} == {"foreign-key"}


def test_descriptor(synthetic) -> None:
    files = data_files(*synthetic, "1.2.0")
    package = json.loads(files["data/datapackage.json"])
    assert package["profile"] == "tabular-data-package" and package["version"] == "1.2.0"
    assert package["licenses"] and package["licenses"][0]["name"]
    assert package["sources"] == [{"title": "Smith, Jane (2001). Regional Alliances"}]
    assert [r["path"] for r in package["resources"]] == [f"{t.name}.csv" for t in TABLES]
    for resource in package["resources"]:
        text = files[f"data/{resource['path']}"]
        header = text.split("\n", 1)[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert all(f.get("description") for f in resource["schema"]["fields"])
        row_keys = {tuple(row) for row in json.loads(files[f"data/{resource['name']}.json"])}
        assert row_keys <= {tuple(header)}
    assert set(files) == {f"data/{t.name}.{ext}" for t in TABLES for ext in ("csv", "json")} | {
        "data/datapackage.json"}


def test_spreadsheet_formulas_are_defused_in_csv_only(synthetic) -> None:
    files = data_files(*synthetic, "1")
    alpha = _csv_rows(files["data/organisations.csv"])[0]
    assert alpha["name"] == "'+Plus Union"
    assert alpha["summary"].startswith("'=HYPERLINK(")
    assert json.loads(files["data/organisations.json"])[0]["name"] == "+Plus Union"
    event = _csv_rows(files["data/events.csv"])[0]
    assert event["place"] == "'@Tashkent"
    concept = _csv_rows(files["data/concepts.csv"])[0]
    assert concept["definition"].startswith("'+ a definition")
    kaz = _csv_rows(files["data/memberships.csv"])[0]
    assert kaz["note"].startswith("'-1 is how")
    for name in ("organisations", "memberships", "events", "concepts", "countries", "sources"):
        for row in _csv_rows(files[f"data/{name}.csv"]):
            for value in row.values():
                assert not value.startswith(FORMULA_PREFIXES), (name, value)
    package = json.loads(files["data/datapackage.json"])
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "organisations" for f in r["schema"]["fields"]}
    assert "apostrophe" in fields["name"]["description"] and "apostrophe" in fields["summary"]["description"]


def test_memberships_keep_alternatives_with_sources(synthetic) -> None:
    files = data_files(*synthetic, "1")
    rows = _csv_rows(files["data/memberships.csv"])
    assert [r["id"] for r in rows] == ["alpha/kaz/1", "alpha/kaz/2", "alpha/rus/1"]
    first = rows[0]
    assert first["from"] == "1994 | 1996-03"
    assert (first["from_earliest"], first["from_latest"]) == ("1994-01-01", "1996-03-31")
    assert json.loads(first["from_alternatives"]) == [
        {"date": "1994", "sources": [{"key": "smith2001", "locator": "12", "label": "note"}], "note": None},
        {"date": "1996-03", "sources": [{"key": "smith2001", "locator": "40", "label": "page"}], "note": None},
    ]
    assert first["to"] == "2010-06" and first["open_ended"] == "false"
    assert json.loads(first["changes"])[0]["status"] == "suspended"
    assert rows[1]["open_ended"] == "true" and rows[1]["to"] == ""
    founded = _csv_rows(files["data/organisations.csv"])[0]
    assert founded["founded"] == "1994 | 1995~"


def test_same_input_same_bytes(synthetic, make_project) -> None:
    first = data_files(*synthetic, "1")
    second = data_files(*_load(make_project(SYNTHETIC)), "1")
    assert first == second
    for name, text in first.items():
        assert text.endswith("\n") and "\r\n" not in text, name


def test_real_memberships_with_disagreeing_dates(real) -> None:
    files = data_files(*real, "1")
    rows = {r["id"]: r for r in _csv_rows(files["data/memberships.csv"])}
    disputed = [r for r in rows.values() if " | " in r["from"]]
    assert disputed, "the content has at least one disputed membership date"
    for row in disputed:
        alternatives = json.loads(row["from_alternatives"])
        assert len(alternatives) == row["from"].count(" | ") + 1
        assert all(s["key"] and s["locator"] for a in alternatives for s in a["sources"])
    countries = {r["id"]: r for r in _csv_rows(files["data/countries.csv"])}
    assert countries["kaz"]["iso_alpha2"] == "KZ" and countries["kaz"]["iso_numeric"] == "398"
    assert countries["kaz"]["name"] == real[0].by_id["kaz"].name
