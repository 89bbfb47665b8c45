"""Fixtures shared by the test modules (keep this small; module-specific helpers stay in their module)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest


SMALL_BIB = """@book{smith2001,
  author    = {Smith, Jane},
  title     = {Regional Alliances},
  publisher = {Example Press},
  date      = {2001},
}
"""


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a tiny project: ``{"content/concepts/x.yaml": text, ...}`` plus a one-entry .bib.

    Returns the project root. A ``bibliography/...`` key replaces the default .bib file.
    """
    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "project"
        (root / "content").mkdir(parents=True, exist_ok=True)
        if not any(name.startswith("bibliography/") for name in files):
            files = {**files, "bibliography/x.bib": SMALL_BIB}
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root
    return make
