"""Exporters, each parsed back with a real parser (bibtexparser; RIS by the tag grammar)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
from bib_helpers import load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.bibliography import Bibliography, to_bibtex, to_csl_json, to_ris
from generator.bibliography.export import portable_csl

RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")


def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    """RIS records by the spec's grammar: ``TAG  - value`` lines, TY first, ER last."""
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        match = RIS_LINE.match(line)
        assert match, f"not an RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            assert current is None, "TY inside a record"
            current = []
        assert current is not None, f"{tag} outside a record"
        current.append((tag, value))
        if tag == "ER":
            assert value == ""
            records.append(current)
            current = None
    assert current is None, "record without ER"
    return records


def test_bibtex_round_trip(valid_bib: Bibliography, tmp_path: Path) -> None:
    text = to_bibtex(valid_bib)
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == list(valid_bib.entries)
    for entry in library.entries:
        original = valid_bib.entries[entry.key]
        expected = {k: v for k, v in original.latex_fields.items() if k not in ("crossref", "citedin")}
        assert {field.key: field.value for field in entry.fields} == expected
    path = tmp_path / "export.bib"
    path.write_text(text, encoding="utf-8")
    reloaded, diagnostics = load([path], tmp_path)
    assert not diagnostics.items, diagnostics.report()
    assert {k: e.csl for k, e in reloaded.entries.items()} == {k: e.csl for k, e in valid_bib.entries.items()}


def test_single_entry_bibtex_is_normalised(valid_bib: Bibliography) -> None:
    text = to_bibtex(valid_bib.entries["gleason2015"])
    assert text.startswith("@incollection{gleason2015,\n  author = {Gleason, G.},\n")
    assert "crossref" not in text
    assert "  booktitle = {Handbook of Eurasian Integration},\n" in text


def test_ris(valid_bib: Bibliography) -> None:
    records = parse_ris(to_ris(valid_bib))
    assert len(records) == len(valid_bib)
    by_id = {dict(record)["ID"]: record for record in records}
    assert by_id["troitskiy2020"] == [
        ("TY", "JOUR"), ("AU", "Troitskiy, Evgeny"), ("PY", "2020"), ("DA", "2020///"),
        ("TI", "Dead-Letter Regimes in the Post-Soviet Space"), ("T2", "Global Society"), ("VL", "34"),
        ("IS", "2"), ("DO", "10.1080/13600826.2019.1700934"), ("SP", "206"), ("EP", "225"),
        ("ID", "troitskiy2020"), ("ER", ""),
    ]
    eec = dict(by_id["eec2015"])
    assert eec["TY"] == "RPRT"
    assert eec["AU"] == "Eurasian Economic Commission"
    assert eec["UR"] == "http://www.eurasiancommission.org/"
    assert eec["Y2"] == "2020/05/01/"
    assert dict(by_id["gleason2015"])["TY"] == "CHAP"


def test_csl_json(valid_bib: Bibliography) -> None:
    items = json.loads(to_csl_json(valid_bib))
    assert items == [portable_csl(entry.csl) for entry in valid_bib.entries.values()]
    assert json.loads(to_csl_json(valid_bib.entries["eec2015"]))["id"] == "eec2015"


def test_csl_json_download_has_no_citeproc_markup(valid_bib: Bibliography) -> None:
    # Zotero keeps <span class="nocase"> as literal text (issue 16); the engine's items keep it.
    troitskiy = valid_bib.entries["troitskiy2020"]
    assert '<span class="nocase">' in troitskiy.csl["title"]
    item = json.loads(to_csl_json(troitskiy))
    assert item["title"] == "Dead-Letter Regimes in the Post-Soviet Space"
    assert portable_csl({"genre": "A <i>x</i> and <span class=\"nocase\">UN</span>", "title": "<i>T</i>"}) == \
        {"genre": "A x and UN", "title": "<i>T</i>"}


BALANCED = st.recursive(
    st.text(alphabet='abcXYZ 019.,;:!?-\'"@#%&~^_/éё\\', max_size=12).filter(
        lambda text: not text.endswith("\\")),
    lambda inner: st.lists(inner, max_size=3).map(lambda parts: "{" + "".join(parts) + "}"),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.lists(BALANCED, min_size=1, max_size=4).map("".join))
def test_bibtex_export_round_trips_any_balanced_value(tmp_path: Path, title: str) -> None:
    path = tmp_path / "one.bib"
    path.write_text("@book{k,\n  title = {" + title + "},\n}\n", encoding="utf-8")
    first, first_problems = load([path], tmp_path)
    if "k" not in first.entries:
        return  # bibtexparser rejected the value (reported as a diagnostic): nothing to export
    path.write_text(to_bibtex(first), encoding="utf-8")
    second, second_problems = load([path], tmp_path)
    assert second.entries["k"].latex_fields == first.entries["k"].latex_fields
    assert second.entries["k"].csl == first.entries["k"].csl
    # A field the site cannot convert (``\0``, unsupported LaTeX) is reported and left out, so it is not exported.
    dropped = {"bib.latex", "bib.too-deep"}
    assert [d.code for d in second_problems] == [d.code for d in first_problems if d.code not in dropped]
