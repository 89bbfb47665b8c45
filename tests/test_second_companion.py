"""A second companion, unrelated to the first, built for real: the generator serves any companion.

``tests/companions/lantern-circle`` (invented data; see its README) declares its own entry types
in ``types.yaml``: people, places and works, a person's ``residences`` as a relation over time to
places, works dated (the chronology) and glossed (the glossary). It has no template, override or
code of its own: every page comes from the generic entry template and the declared attributes.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from generator import cli
from generator.bibliography import source_slug

REPO = Path(__file__).resolve().parent.parent
COMPANION = REPO / "tests" / "companions" / "lantern-circle"
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
       "SOURCE_DATE_EPOCH": "1767225600"}

PEOPLE = ("ada-merrow", "tomas-vell", "ines-corra", "bram-holloway")
PLACES = ("velmora", "port-ashby", "caldermoor")
WORKS = {"salt-ledger": "The Salt Ledger", "on-lamplight": "On Lamplight", "the-quiet-harbour": "The Quiet Harbour",
         "letters-from-caldermoor": "Letters from Caldermoor"}
BIB_KEYS = ("orrin1988", "quell1975", "tarrant2004", "brisk1999")

FIRST_COMPANION = re.compile(
    r"eurasia|molchanov|lukyanov|troitskiy|organisation|membership|member state|who belonged when|"
    r"cyrillic|political and other|\bcountr(y|ies)\b|\bCSTO\b|soviet|reading guide|where the texts disagree",
    re.IGNORECASE)
"""Words of the Eurasian regionalism companion (its subject, its types, its wording), none of which
the Lantern Circle's pages may contain."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The companion copied to a temporary folder and built with ``mkdocs build --strict``."""
    root = tmp_path_factory.mktemp("lantern")
    project = root / "lantern-circle"
    shutil.copytree(COMPANION, project)
    out = root / "site"
    run = subprocess.run([*MKDOCS, "build", "--strict", "--site-dir", str(out)], cwd=project, env=ENV,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr, run.stderr
    return project, out


def _page(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def _text(page: str) -> str:
    """The article's text, without tags (what a reader reads)."""
    article = page.split('<article class="md-content__inner', 1)[-1].split("</article>", 1)[0]
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)))
    return re.sub(r"\s+([),.;:])", r"\1", re.sub(r"\(\s+", "(", text))


def test_every_entry_has_a_page_laid_out_from_its_declaration(built: tuple[Path, Path]) -> None:
    _, out = built
    for person in PEOPLE:
        page = _page(out, f"people/{person}")
        assert '<h2 id="sources">' in page and '<h2 id="residences">' in page, person
    ada = _text(_page(out, "people/ada-merrow"))
    assert "At a glance Born: 1891 (Orrin 1988, 9) Died: 1960 (Orrin 1988, 201)" in ada
    assert "A. M. Lantern (Orrin 1988, 14)" in ada
    for place in PLACES:
        page = _page(out, f"places/{place}")
        assert "At a glance" in page and '<h2 id="residents">' in page and '<h2 id="referenced-by">' in page, place
    for work in WORKS:
        page = _page(out, f"works/{work}")
        assert "At a glance" in page and '<h2 id="sources">' in page, work
        assert 'class="admonition abstract"' in page and "Gloss" in page, work
    # The facts box links the author; the relation's table names each place with its role and sources.
    assert 'href="../../people/tomas-vell/"' in _page(out, "works/the-quiet-harbour")
    assert "Velmora lived 1910 1919" in ada and "Port Ashby lived 1919 1934" in ada
    assert "Port Ashby: The move followed the printer of the circle's books (Orrin 1988, 41)" in ada
    # Disputed dates keep both values, each with its source, and the note on them.
    lamplight = _text(_page(out, "works/on-lamplight"))
    assert "Published: 1923 (Quell 1975, 22); or 1924 (Orrin 1988, 47) (sources disagree)" in lamplight
    assert "The history dates the essay by its second printing" in lamplight


def test_glossary_and_chronology_hold_the_works(built: tuple[Path, Path]) -> None:
    _, out = built
    glossary = _text(_page(out, "glossary"))
    chronology = _page(out, "chronology")
    for work_id, name in WORKS.items():
        assert name in glossary, name
        assert f'href="../works/{work_id}/"' in chronology, work_id
    assert "A cycle of sea poems that gave the circle its name." in glossary
    assert "4 works, from the texts' own dates" in _text(chronology)
    # Filters from the works' declared fields: the places they name and their form.
    assert 'data-filter="places"' in chronology and 'data-filter="form"' in chronology
    listed = chronology.split('<ol class="chronology">', 1)[1]
    order = [listed.index(f'href="../works/{w}/"') for w in
             ("salt-ledger", "on-lamplight", "the-quiet-harbour", "letters-from-caldermoor")]
    assert order == sorted(order), "the chronology is in date order"


def test_timelines_on_both_sides_of_the_relation(built: tuple[Path, Path]) -> None:
    _, out = built
    for url in [f"people/{p}" for p in PEOPLE] + [f"places/{p}" for p in PLACES]:
        html = _page(out, url)
        assert re.search(r'<svg[^>]*class="tl-chart', html), url
    ada = _page(out, "people/ada-merrow")
    assert "Residences of Ada Merrow" in ada and "lived from 1910 until 1919" in ada
    assert "Residents of Caldermoor" in _page(out, "places/caldermoor")
    overview = _page(out, "timeline")
    assert "Residents of 3 places in 4 people" in overview


def test_citation_pages_for_every_work_of_the_bibliography(built: tuple[Path, Path]) -> None:
    _, out = built
    for key in BIB_KEYS:
        slug = source_slug(key)
        assert (out / "sources" / slug / "index.html").is_file(), key
        assert (out / "sources" / slug / f"{slug}.bib").is_file(), key
    # A work's own citation-key field (printed_in) makes it an entry about that edition.
    edition = _text(_page(out, f"sources/{source_slug('quell1975')}"))
    assert "Work Letters from Caldermoor: Letters written in exile and printed on the circle's press." in edition


def test_the_data_package_is_valid(built: tuple[Path, Path]) -> None:
    _, out = built
    package = json.loads((out / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == ["people", "residences", "places", "works", "sources"]
    assert package["name"] == "lantern-circle-fixture"
    report = frictionless.validate(str(out / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    residences = (out / "data" / "residences.csv").read_text(encoding="utf-8").splitlines()
    assert residences[0].startswith("id,person,place,sequence,role,")
    assert len(residences) == 1 + 6


def test_permalinks_manifest_and_check(built: tuple[Path, Path]) -> None:
    project, _ = built
    for args in (["permalinks", "update"], ["permalinks", "check", "--strict"], ["check"]):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = cli.main(["--root", str(project), *args])
        assert status == 0, (args, err.getvalue())
        assert "error" not in err.getvalue().lower(), (args, err.getvalue())
    urls = json.loads((project / "permalinks.json").read_text(encoding="utf-8"))
    listed = json.dumps(urls)
    for url in [f"/people/{p}/" for p in PEOPLE] + [f"/places/{p}/" for p in PLACES] + [f"/works/{w}/" for w in WORKS]:
        assert url in listed, url


def test_nothing_of_the_first_companion_leaks_in(built: tuple[Path, Path]) -> None:
    _, out = built
    found = []
    for page in sorted(out.rglob("*.html")):
        if page.relative_to(out).parts[0] == "reference":
            # The generator's own reference: every diagnostic code, field kind and validator it has,
            # documented with examples from its default types (a state's membership of an organisation).
            continue
        for match in FIRST_COMPANION.finditer(_text(page.read_text(encoding="utf-8"))):
            found.append(f"{page.relative_to(out)}: {match.group()}")
    for data in sorted((out / "data").glob("*")):
        for match in FIRST_COMPANION.finditer(data.read_text(encoding="utf-8")):
            found.append(f"{data.relative_to(out)}: {match.group()}")
    assert not found, "\n".join(found[:40])
