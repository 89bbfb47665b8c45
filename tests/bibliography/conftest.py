"""Shared fixtures for the bibliography tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# The helpers module sits beside this file; make it importable under any --import-mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bib_helpers import CASES, FIXTURES, load  # noqa: E402

from generator.bibliography import Bibliography, CiteItem  # noqa: E402


@pytest.fixture(scope="session")
def golden_bib() -> Bibliography:
    bib, diagnostics = load([FIXTURES / "golden.bib"], FIXTURES)
    assert not diagnostics.items, diagnostics.report()
    return bib


@pytest.fixture(scope="session")
def golden_clusters() -> list[list[CiteItem]]:
    raw = json.loads((FIXTURES / "golden-clusters.json").read_text(encoding="utf-8"))
    return [[CiteItem(**item) for item in cluster] for cluster in raw]


@pytest.fixture(scope="session")
def valid_bib() -> Bibliography:
    bib, diagnostics = load([CASES / "valid" / "refs.bib"], CASES / "valid")
    assert not diagnostics.items, diagnostics.report()
    return bib
