"""The parsed bibliography kept between builds: the same outcome as parsing, diagnostics included,
and parsed again whenever a ``.bib`` file's name or bytes change (hostile cache files are in
``test_hostile_caches.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.bibliography import cache as bibliography_cache
from generator.bibliography.cache import load_cached_bibliography
from generator.diagnostics import Diagnostics

FIXTURE = Path(__file__).parent / "fixtures" / "site"

FAULTY = """
@book{faulty2020,
  author = {Someone, A.},
  title = {A \\unknowncommand{Title}},
  year = {2020},
  url = {ftp://example.org/x},
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE / "bibliography", root / "bibliography")
    (root / "bibliography" / "faulty.bib").write_text(FAULTY, encoding="utf-8")
    return root


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per time the ``.bib`` files were actually parsed."""
    calls: list[int] = []
    real = bibliography_cache.load_bibliography

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(bibliography_cache, "load_bibliography", spy)
    return calls


def load(root: Path, cache: Path | None) -> tuple[object, list[str]]:
    diagnostics = Diagnostics()
    paths = sorted((root / "bibliography").glob("*.bib"))
    bibliography = load_cached_bibliography(paths, root, diagnostics, cache)
    return bibliography, [str(d) for d in diagnostics.items]


def test_a_kept_bibliography_is_the_parsed_one_with_its_diagnostics(project: Path, parses: list[int]) -> None:
    cache = project / ".cache" / "bibliography.pickle"
    parsed, reported = load(project, None)
    assert any("bib.latex" in line for line in reported) and any("bib.url" in line for line in reported)
    assert load(project, cache) == (parsed, reported)
    assert len(parses) == 2 and cache.is_file()
    assert load(project, cache) == (parsed, reported)
    assert len(parses) == 2, "the second build with the cache parsed again"


@pytest.mark.parametrize("change", ["edit a file", "rename a file", "add a file", "remove a file"])
def test_any_change_to_the_files_parses_again(change: str, project: Path, parses: list[int]) -> None:
    cache = project / ".cache" / "bibliography.pickle"
    load(project, cache)
    folder = project / "bibliography"
    if change == "edit a file":
        (folder / "faulty.bib").write_text(FAULTY.replace("year = {2020}", "year = {2021}"), encoding="utf-8")
    elif change == "rename a file":
        (folder / "faulty.bib").rename(folder / "other.bib")
    elif change == "add a file":
        (folder / "more.bib").write_text("@misc{more2020, title = {More}, year = {2020}}\n", encoding="utf-8")
    else:
        (folder / "faulty.bib").unlink()
    parses.clear()
    assert load(project, cache) == load(project, None)
    assert len(parses) == 2
    parses.clear()
    load(project, cache)
    assert parses == []
