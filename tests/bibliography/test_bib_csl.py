"""BibTeX -> CSL-JSON conversion, and the parsed entry's other attributes."""

from __future__ import annotations

import pytest

from generator.bibliography import Bibliography, to_csl
from generator.bibliography.csl import csl_date, csl_names, language_code, parse_month
from generator.diagnostics import Location


def test_article(valid_bib: Bibliography) -> None:
    csl = valid_bib.entries["troitskiy2020"].csl
    assert csl == {
        "id": "troitskiy2020",
        "type": "article-journal",
        "title": 'Dead-Letter Regimes in the Post-<span class="nocase">Soviet</span> Space',
        "container-title": "Global Society",
        "author": [{"family": "Troitskiy", "given": "Evgeny"}],
        "issued": {"date-parts": [[2020]]},
        "issue": "2",
        "page": "206-225",
        "volume": "34",
        "DOI": "10.1080/13600826.2019.1700934",
    }


def test_russian_source_keeps_translated_title_and_language(valid_bib: Bibliography) -> None:
    entry = valid_bib.entries["nazarbayev2011"]
    assert entry.csl["title"] == (
        "SHOS: Desiat' let istorii [The <span class=\"nocase\">SCO</span>: Ten years of history]")
    assert entry.csl["language"] == "ru"
    assert entry.csl["container-title"] == "Rossiiskaya gazeta"  # @string macro resolved
    assert entry.csl["issued"] == {"date-parts": [[2011, 6]]}  # month macro jun
    assert entry.fields["month"] == "June"
    assert entry.fields["titleaddon"] == "[The SCO: Ten years of history]"


def test_cited_in(valid_bib: Bibliography) -> None:
    assert valid_bib.entries["nazarbayev2011"].cited_in == [("troitskiy2020", "n17"), ("molchanov2012", None)]
    assert valid_bib.entries["troitskiy2020"].cited_in == []


def test_crossref_child_inherits_from_parent(valid_bib: Bibliography) -> None:
    child = valid_bib.entries["gleason2015"]
    assert child.entry_type == "incollection"
    assert child.csl["type"] == "chapter"
    assert child.csl["container-title"] == "Handbook of Eurasian Integration"
    assert child.csl["publisher"] == "Routledge Press"  # macro # concatenation, inherited
    assert child.csl["editor"] == [{"family": "Smith", "given": "Jane"}]
    assert child.csl["issued"] == {"date-parts": [[2015]]}
    assert child.csl["title"] == "The Challenge"
    assert "crossref" not in child.latex_fields or child.latex_fields["crossref"] == "handbook2015"


def test_institutional_author_and_access_date(valid_bib: Bibliography) -> None:
    csl = valid_bib.entries["eec2015"].csl
    assert csl["author"] == [{"literal": "Eurasian Economic Commission"}]
    assert csl["accessed"] == {"date-parts": [[2020, 5, 1]]}
    assert csl["URL"] == "http://www.eurasiancommission.org/"
    assert csl["type"] == "report"


def test_entry_attributes(valid_bib: Bibliography) -> None:
    entry = valid_bib.entries["troitskiy2020"]
    assert entry.location == Location("refs.bib", 5, 1)
    assert entry.raw_bibtex.startswith("@article{troitskiy2020,")
    assert entry.fields["pages"] == "206–225"
    assert list(valid_bib.entries) == ["troitskiy2020", "nazarbayev2011", "handbook2015", "gleason2015",
                                       "eec2015", "molchanov2012"]


@pytest.mark.parametrize(
    ("bibtex_type", "extra", "csl_type"),
    [
        ("article", {}, "article-journal"),
        ("article", {"entrysubtype": "newspaper"}, "article-newspaper"),
        ("book", {}, "book"),
        ("incollection", {}, "chapter"),
        ("inproceedings", {}, "paper-conference"),
        ("techreport", {}, "report"),
        ("online", {}, "webpage"),
        ("legislation", {}, "legislation"),
        ("treaty", {}, "treaty"),
        ("unpublished", {}, "manuscript"),
        ("phdthesis", {}, "thesis"),
        ("misc", {}, "document"),
    ],
)
def test_types(bibtex_type: str, extra: dict[str, str], csl_type: str) -> None:
    assert to_csl("k", bibtex_type, {"title": "T", **extra})["type"] == csl_type


def test_names() -> None:
    assert csl_names(r"von Beethoven, Jr., Ludwig and {Eurasian Economic Commission} and M{\"u}ller, J{\"o}rg") == [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "von", "suffix": "Jr."},
        {"literal": "Eurasian Economic Commission"},
        {"family": "Müller", "given": "Jörg"},
    ]
    assert csl_names("Putin, Vladimir and others") == [{"family": "Putin", "given": "Vladimir"}]


def test_dates_months_languages() -> None:
    assert csl_date("2012-09-03") == {"date-parts": [[2012, 9, 3]]}
    assert csl_date("1996/1999") == {"date-parts": [[1996], [1999]]}
    assert csl_date("2012-13") is None
    assert csl_date("2003~") == {"date-parts": [[2003]], "circa": True}
    assert csl_date("2012-06/..") == {"date-parts": [[2012, 6]]}
    assert csl_date("soon") is None
    assert parse_month("Sept.") == 9
    assert parse_month("12") == 12
    assert parse_month("Smarch") is None
    assert language_code("russian") == "ru"
    assert language_code("en-GB") == "en-GB"
    assert language_code("Klingon language") is None
    assert to_csl("k", "book", {"year": "forthcoming"})["issued"] == {"literal": "forthcoming"}
    assert to_csl("k", "book", {"doi": "https://doi.org/10.1/x"})["DOI"] == "10.1/x"
