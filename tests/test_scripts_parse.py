"""Every script the site ships parses: a syntax error stops all of a file's features in every browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p for folder in ("docs/assets", "overrides/assets") for p in (REPO / folder).rglob("*.js"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[str(p.relative_to(REPO)) for p in SCRIPTS])
def test_script_parses(script: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed (the citation engine runs on it too)"
    run = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_scripts_are_found() -> None:
    assert any(p.name == "companion.js" for p in SCRIPTS)
