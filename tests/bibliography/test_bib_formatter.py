"""CitationFormatter: citeproc-js output, site-wide disambiguation, cache, engine failures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from bib_helpers import FIXTURES, load

from generator.bibliography import Bibliography, CitationFormatter, CiteItem, FormattedCitations
from generator.diagnostics import Diagnostics

STYLES = ["chicago-author-date", "apa"]
GOLDEN = json.loads((FIXTURES / "golden.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def golden_result(golden_bib: Bibliography, golden_clusters: list[list[CiteItem]]) -> FormattedCitations:
    formatter = CitationFormatter(golden_bib, styles=STYLES, cache_dir=None)
    result = formatter.format(golden_clusters, list(golden_bib.entries))
    assert result.diagnostics == []
    assert formatter.engine_runs == 1
    return result


def test_conversion_matches_the_golden_csl(golden_bib: Bibliography) -> None:
    expected = json.loads((FIXTURES / "golden-csl.json").read_text(encoding="utf-8"))
    assert {key: entry.csl for key, entry in golden_bib.entries.items()} == expected


def test_references_match_citeproc_js(golden_result: FormattedCitations) -> None:
    assert golden_result.references == GOLDEN["references"]
    assert golden_result.bibliography_order == GOLDEN["order"]


def test_clusters_match_zotero_style_processing(golden_result: FormattedCitations) -> None:
    assert golden_result.clusters == GOLDEN["clusters"]


def test_known_forms(golden_result: FormattedCitations) -> None:
    chicago, apa = golden_result.references["chicago-author-date"], golden_result.references["apa"]
    assert chicago["troitskiy2020"].startswith(
        '<div class="csl-entry" data-csl-style="chicago-author-date">Troitskiy, Evgeny. 2020.')
    assert apa["troitskiy2020"].startswith('<div class="csl-entry" data-csl-style="apa">Troitskiy, E. (2020).')
    assert "<i>Missiia Rossii v 21 veke [Russia’s mission in the 21st century]</i>" in chicago["dugin2011a"]
    assert "Dugin, Aleksandr. 2011b." in chicago["dugin2011a"]
    assert "Dugin, Aleksandr. 2011a." in chicago["dugin2011b"]
    assert "Eurasian Economic Commission. 2015." in chicago["eec2015"]
    assert "Accessed March 24, 2012" in chicago["guam"]
    assert golden_result.clusters[0] == "(Troitskiy 2020, n. 28)"
    # This cluster cites one Dugin 2011 item only: the suffix comes from the whole registry.
    assert golden_result.clusters[3] == "(see 2011a)"
    assert set(golden_result.references["apa"]) == set(GOLDEN["references"]["apa"])


def _copy_with(bib: Bibliography, key: str, **csl: str) -> Bibliography:
    entries = dict(bib.entries)
    entries[key] = dataclasses.replace(bib.entries[key], csl={**bib.entries[key].csl, **csl})
    return Bibliography(entries)


def test_cache_rebuild_formats_nothing(golden_bib: Bibliography, golden_clusters: list[list[CiteItem]],
                                       tmp_path: Path) -> None:
    first = CitationFormatter(golden_bib, styles=STYLES, cache_dir=tmp_path)
    cold = first.format(golden_clusters, list(golden_bib.entries))
    assert first.engine_runs == 1
    assert first.formatted == 2 * len(golden_bib) + len(golden_clusters)

    second = CitationFormatter(golden_bib, styles=STYLES, cache_dir=tmp_path)
    warm = second.format(golden_clusters, list(golden_bib.entries))
    assert (second.engine_runs, second.formatted) == (0, 0)
    assert warm == cold

    # Editing one entry re-formats only it and its peers (same first-author family), and
    # the clusters (their registry changed); everything else comes from the cache.
    edited = _copy_with(golden_bib, "troitskiy2020", volume="35")
    third = CitationFormatter(edited, styles=STYLES, cache_dir=tmp_path)
    result = third.format(golden_clusters, list(edited.entries))
    assert third.engine_runs == 1
    assert third.formatted == 2 * 1 + len(golden_clusters)
    assert "35" in result.references["apa"]["troitskiy2020"]
    assert result.references["apa"]["eec2015"] == cold.references["apa"]["eec2015"]
    assert result.bibliography_order == GOLDEN["order"]  # order of the partial run: still all keys
    fresh = CitationFormatter(edited, styles=STYLES).format(golden_clusters, list(edited.entries))
    assert (result.references, result.clusters) == (fresh.references, fresh.clusters)


def test_engine_failure_is_a_diagnostic(golden_bib: Bibliography, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_NODE", "/nonexistent/node")
    diagnostics = Diagnostics()
    formatter = CitationFormatter(golden_bib, styles=STYLES, diagnostics=diagnostics)
    result = formatter.format([[CiteItem("troitskiy2020", "28", "note")]], ["troitskiy2020"])
    assert [d.code for d in diagnostics] == ["cite.engine"]
    assert result.clusters == ["(troitskiy2020, 28)"]
    assert result.references["apa"]["troitskiy2020"] == (
        '<div class="csl-entry" data-csl-style="apa">troitskiy2020</div>')


def test_engine_crash_is_a_diagnostic(golden_bib: Bibliography, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    fake = tmp_path / "node"
    fake.write_text("#!/bin/sh\necho 'Segmentation fault' >&2\nexit 139\n")
    fake.chmod(0o755)
    monkeypatch.setenv("COMPANION_NODE", str(fake))
    formatter = CitationFormatter(golden_bib, styles=["apa"])
    result = formatter.format([], [])
    assert [d.code for d in result.diagnostics] == ["cite.engine"]
    assert "status 139: Segmentation fault" in result.diagnostics[0].message


def test_unknown_keys_labels_and_styles_are_reported(golden_bib: Bibliography) -> None:
    formatter = CitationFormatter(golden_bib, styles=["apa", "chicago-autor-date"])
    result = formatter.format([[CiteItem("troitskiy202", "3")], [CiteItem("troitskiy2020", "3", "verse")]],
                              ["nosuchkey"])
    codes = sorted(d.code for d in result.diagnostics)
    assert codes == ["cite.label", "cite.style", "cite.unknown-key", "cite.unknown-key"]
    assert result.clusters[0] == "(troitskiy202, 3)"
    style_problem = next(d for d in result.diagnostics if d.code == "cite.style")
    assert style_problem.hint == "did you mean 'chicago-author-date'?"


def test_large_registry_runs_styles_in_parallel_workers(tmp_path: Path) -> None:
    # 300+ items switch runner.js to one worker thread per style.
    path = tmp_path / "many.bib"
    path.write_text("".join(
        f"@book{{b{i}, author = {{Author{i // 2}, A.}}, title = {{Book {i}}}, year = {{2011}}, publisher = {{P}}}}\n"
        for i in range(300)), encoding="utf-8")
    bib, diagnostics = load([path], tmp_path)
    assert not diagnostics.items
    result = CitationFormatter(bib, styles=STYLES).format([[CiteItem("b0")], [CiteItem("b1", "5")]], [])
    assert result.diagnostics == []
    assert result.clusters == ["(Author0 2011a)", "(Author0 2011b, 5)"]
    assert result.references["apa"]["b1"] == (
        '<div class="csl-entry" data-csl-style="apa">Author0, A. (2011b). <i>Book 1</i>. P.</div>')
    assert len(result.bibliography_order["chicago-author-date"]) == 300
