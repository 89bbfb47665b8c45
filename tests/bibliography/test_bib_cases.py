"""Scenario folders: each ``cases/<name>/`` holds .bib files and the exact diagnostics expected.

Files that should not be committed as they are (control characters) are described in the
case's ``recipe.json``, in the format of ``tests/cases`` (see ``tests/test_scenarios.py``),
and written to a temporary folder by the test.
"""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.bibliography import load_bibliography
from generator.diagnostics import Diagnostics

CASES = Path(__file__).resolve().parent / "cases"

SCENARIOS = sorted(path for path in CASES.iterdir() if path.is_dir())


def materialise(case: Path, target: Path) -> Path:
    """The case's folder as it is, or a copy with the files its ``recipe.json`` describes."""
    recipe_path = case / "recipe.json"
    if not recipe_path.is_file():
        return case
    shutil.copytree(case, target, ignore=shutil.ignore_patterns("expected.txt", "recipe.json"))
    for spec in json.loads(recipe_path.read_text(encoding="utf-8"))["files"]:
        data = b"".join(codecs.escape_decode(text.encode("utf-8"))[0] * times for text, times in spec["parts"])
        (target / spec["path"]).write_bytes(data)
    return target


@pytest.mark.parametrize("case", SCENARIOS, ids=[path.name for path in SCENARIOS])
def test_scenario_reports_exactly_the_expected_diagnostics(case: Path, tmp_path: Path) -> None:
    folder = materialise(case, tmp_path / case.name)
    diagnostics = Diagnostics()
    load_bibliography(sorted(folder.glob("*.bib")), folder, diagnostics)
    rendered = "".join(f"{diagnostic}\n" for diagnostic in diagnostics)
    assert rendered == (case / "expected.txt").read_text(encoding="utf-8")


def test_every_error_code_has_a_scenario() -> None:
    documented = {
        "bib.syntax", "bib.duplicate-key", "bib.key-case", "bib.duplicate-field", "bib.duplicate-string",
        "bib.undefined-macro", "bib.unknown-type", "bib.field-too-long", "bib.crossref-missing",
        "bib.crossref-cycle", "bib.citedin", "bib.invalid-key", "bib.value", "bib.slug-collision", "bib.io",
        "bib.control-char", "bib.macro-cycle", "bib.macro-too-deep", "bib.macro-too-long", "bib.latex",
        "bib.too-deep", "bib.url", "bib.doi",
    }
    expected = "".join((case / "expected.txt").read_text(encoding="utf-8") for case in SCENARIOS)
    assert {code for code in documented if f"[{code}]" not in expected} == set()


def test_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    bib = load_bibliography([tmp_path / "absent.bib"], tmp_path, diagnostics)
    assert len(bib) == 0
    assert [d.code for d in diagnostics] == ["bib.io"]


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.bibliography.parse as parse

    monkeypatch.setattr(parse, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.bib"
    path.write_text("@book{a, title = {A long enough file}}\n", encoding="utf-8")
    diagnostics = Diagnostics()
    load_bibliography([path], tmp_path, diagnostics)
    assert [d.code for d in diagnostics] == ["bib.file-too-large"]


BIBTEXISH = st.text(alphabet='@{}",=#% \n\\abcdefgijklmnorstuvwxyz0123456789-_:;~^\'.é', max_size=300)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=BIBTEXISH)
def test_never_raises_on_arbitrary_input(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.bib"
    path.write_text("@article{k,\n title = {" + text + "},\n}\n" + text, encoding="utf-8")
    diagnostics = Diagnostics()
    bib = load_bibliography([path], tmp_path, diagnostics)
    for entry in bib.entries.values():
        assert entry.csl["id"] == entry.key
    for diagnostic in diagnostics:
        assert diagnostic.location.path == "fuzz.bib"
