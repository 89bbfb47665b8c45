"""Helpers shared by the bibliography tests (a uniquely named module, not ``conftest``)."""

from __future__ import annotations

from pathlib import Path

from generator.bibliography import Bibliography, load_bibliography
from generator.diagnostics import Diagnostics

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
CASES = HERE / "cases"


def load(paths: list[Path], root: Path) -> tuple[Bibliography, Diagnostics]:
    """Load .bib files, returning the bibliography and its diagnostics."""
    diagnostics = Diagnostics()
    return load_bibliography(paths, root, diagnostics), diagnostics
