"""What a scholar's Zotero saves from the site, asked of Zotero's own translation engine (issue 16).

One page of every entry type, a listing page, the bibliography page, a source page, and
every download file of every source imported again.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest

from generator.bibliography import source_slug
from generator.diagnostics import Diagnostics
from generator.pipeline import ProjectConfig, load_and_link

SITE_URL = "https://companion.example.net/er/"  # as the `built` fixture sets it

SITE_NAME = "Eurasian Regionalism: A Research Companion"
EDITORS = [{"firstName": "Anna", "lastName": "Petrova", "creatorType": "editor"},
           {"firstName": "John", "lastName": "Smith", "creatorType": "editor"},
           {"name": "Regional Studies Group", "creatorType": "editor"}]
ZOTERO_TYPE = {"article-journal": "journalArticle", "article-newspaper": "newspaperArticle",
               "article-magazine": "magazineArticle", "book": "book", "chapter": "bookSection",
               "document": "document", "webpage": "webpage", "manuscript": "manuscript", "report": "report",
               "paper-conference": "conferencePaper", "thesis": "thesis"}


@pytest.fixture(scope="module")
def loaded(built):
    site, bibliography = load_and_link(ProjectConfig.for_project(built.project, use_history=False), Diagnostics())
    return site, bibliography


def _one_of_each_type(site) -> list:
    chosen = {}
    for entry in sorted(site.entries, key=lambda e: e.id):
        chosen.setdefault(entry.type.name, entry)
    assert set(chosen) >= {"organisation", "event", "concept", "country", "disagreement", "guide"}
    return list(chosen.values())


def test_every_entry_type_is_saved_as_itself(zotero, built, loaded) -> None:
    site, _ = loaded
    for entry in _one_of_each_type(site) + [site.by_id["csto"]]:
        status, items = zotero.web(built.served + entry.url)
        assert status == 200, (entry.url, items)
        assert len(items) == 1, (entry.url, items)
        item = items[0]
        assert item["itemType"] == "encyclopediaArticle", entry.url
        assert item["title"] == entry.name  # no " - <site name>" appended
        assert item["encyclopediaTitle"] == SITE_NAME
        assert item["creators"] == EDITORS
        assert item["date"] == "2026-03-14"  # the commit that last changed it
        assert item["language"] == "en"
        assert item["url"] == urljoin(SITE_URL, entry.url)
        assert item["abstractNote"] == entry.summary
        assert "edition" not in item  # the living site


def test_listing_page_offers_every_entry(zotero, built, loaded) -> None:
    site, _ = loaded
    organisations = site.of_type("organisation")
    status, selection = zotero.web(built.served + "organisations/")
    assert status == 300, selection
    assert sorted(selection["items"].values()) == sorted(e.name for e in organisations)
    items = zotero.select(selection)
    assert len(items) == len(organisations)
    csto = next(i for i in items if i["title"] == site.by_id["csto"].name)
    assert csto["itemType"] == "encyclopediaArticle"
    assert csto["encyclopediaTitle"] == SITE_NAME
    assert csto["url"] == urljoin(SITE_URL, "organisations/csto/")
    assert csto["date"] == "2026-03-14"
    # COinS has no editor role: the people are contributors, the organisation an author.
    assert sorted((c.get("lastName") or c.get("name"), c["creatorType"]) for c in csto["creators"]) == \
        [("Petrova", "contributor"), ("Regional Studies Group", "author"), ("Smith", "contributor")]


def test_bibliography_page_offers_every_source(zotero, built, loaded) -> None:
    _, bibliography = loaded
    status, selection = zotero.web(built.served + "sources/")
    assert status == 300, selection
    assert len(selection["items"]) == len(bibliography.entries) == 94
    items = zotero.select(selection)
    assert len(items) == 94
    by_title = {item["title"]: item for item in items}
    troitskiy = by_title["Dead-Letter Regimes in the Post-Soviet Space: Strategies and Communication"]
    assert (troitskiy["itemType"], troitskiy["volume"], troitskiy["issue"], troitskiy["DOI"]) == \
        ("journalArticle", "34", "2", "10.1080/13600826.2019.1700934")
    types = sorted({item["itemType"] for item in items})
    assert types == sorted({ZOTERO_TYPE[e.csl["type"]] for e in bibliography.entries.values()})


def test_source_page(zotero, built) -> None:
    status, items = zotero.web(built.served + "sources/troitskiy2020/")
    assert status == 200, items
    [item] = items
    assert item["itemType"] == "journalArticle"
    assert item["creators"] == [{"firstName": "Evgeny", "lastName": "Troitskiy", "creatorType": "author"}]
    assert (item["publicationTitle"], item["volume"], item["issue"], item["pages"], item["date"]) == \
        ("Global Society", "34", "2", "206-225", "2020")


BIBTEX_TYPE = {"article-newspaper": "journalArticle"}
"""BibTeX has no newspaper type and Zotero's importer ignores biblatex's ``entrysubtype = {newspaper}``:
the one type Zotero cannot get back from a BibTeX file (the RIS and CSL JSON files carry it)."""


def _essentials(item: dict) -> dict:
    """The fields every format must carry alike."""
    # Zotero's rich text (<i>, <sup>) is kept in titles from CSL JSON; RIS is plain text.
    return {"itemType": item["itemType"], "title": re.sub(r"<[^>]+>", "", item.get("title") or ""),
            "creators": [(c.get("lastName") or c.get("name"), c.get("firstName", ""), c["creatorType"])
                         for c in item.get("creators", [])],
            "year": (re.findall(r"[0-9]{4}", item.get("date") or "") or [""])[0], "url": item.get("url", ""), "DOI": item.get("DOI", ""),
            "place": item.get("place", ""), "volume": item.get("volume", ""), "issue": item.get("issue", ""),
            "pages": item.get("pages", "").replace("–", "-")}


def test_every_download_round_trips(zotero, built, loaded) -> None:
    _, bibliography = loaded
    problems = []
    for key, entry in sorted(bibliography.entries.items()):
        slug = source_slug(key)
        imported = {}
        for ext in ("bib", "ris", "json"):
            items = zotero.import_((built.out / "sources" / slug / f"{slug}.{ext}").read_bytes())
            assert len(items) == 1, (key, ext, items)
            imported[ext] = _essentials(items[0])
            text = json.dumps(items[0], ensure_ascii=False)
            for leak in ("<span", "\\emph", "\\textit", "{\\"):
                if leak in text:
                    problems.append(f"{key}.{ext}: {leak} in {text[:300]}")
        expected_type = ZOTERO_TYPE[entry.csl["type"]]
        for ext, fields in imported.items():
            expected = BIBTEX_TYPE.get(entry.csl["type"], expected_type) if ext == "bib" else expected_type
            if fields["itemType"] != expected:
                problems.append(f"{key}.{ext}: {fields['itemType']}, not {expected}")
        if imported["ris"] != imported["json"]:
            problems.append(f"{key}: RIS {imported['ris']} / CSL JSON {imported['json']}")
        bib, json_item = imported["bib"], imported["json"]
        # BibTeX keeps a translated title in `titleaddon`, which Zotero leaves out.
        if not json_item["title"].startswith(bib["title"]) or \
                {k: v for k, v in bib.items() if k not in ("title", "itemType", "place", "issue")} != \
                {k: v for k, v in json_item.items() if k not in ("title", "itemType", "place", "issue")}:
            problems.append(f"{key}: BibTeX {bib} / CSL JSON {json_item}")
    assert not problems, "\n".join(problems)

