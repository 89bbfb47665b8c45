"""The citeproc-js engine, run as ONE Node process per build (``generator/citeproc/runner.js``).

citeproc-js is the CSL processor inside Zotero; running it (rather than a Python port) is
what makes our references match what a reader's Zotero would produce. The request and
response formats are documented at the top of ``runner.js``. Every failure (no ``node`` on
the PATH, ``npm ci`` not run, a crash, a timeout, bad output) is raised as
:class:`EngineError`, which :class:`~generator.bibliography.CitationFormatter` turns into a
``cite.engine`` diagnostic.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

#: The Node package: runner, vendored styles and locales, ``node_modules`` after ``npm ci``.
CITEPROC_DIR = Path(__file__).resolve().parent.parent / "citeproc"
STYLES_DIR = CITEPROC_DIR / "styles"
LOCALES_DIR = CITEPROC_DIR / "locales"
RUNNER = CITEPROC_DIR / "runner.js"
#: Seconds one engine run may take before it is stopped.
TIMEOUT_SECONDS = 900


class EngineError(Exception):
    """citeproc-js could not be run, or failed."""


def style_path(style_id: str) -> Path:
    """The vendored CSL file for a style id (``chicago-author-date`` -> ``styles/chicago-author-date.csl``)."""
    return STYLES_DIR / f"{style_id}.csl"


def available_styles() -> list[str]:
    """Ids of the vendored styles."""
    return sorted(path.stem for path in STYLES_DIR.glob("*.csl"))


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def locale_xml() -> str:
    """The en-US locale, the only one the site uses."""
    return _read(LOCALES_DIR / "locales-en-US.xml")


@cache
def engine_fingerprint() -> str:
    """Changes when the engine or the runner changes (part of every cache key)."""
    digest = hashlib.sha256()
    for path in (RUNNER, CITEPROC_DIR / "package-lock.json", LOCALES_DIR / "locales-en-US.xml"):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def node_executable() -> str:
    """``$COMPANION_NODE`` or ``node`` from the PATH."""
    node = os.environ.get("COMPANION_NODE") or shutil.which("node")
    if not node:
        raise EngineError("Node.js ('node') is not on the PATH; citeproc-js needs it")
    return node


def run_engine(request: dict[str, Any], timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """Send one request to a new citeproc-js process and return its response.

    Raises:
        EngineError: for any failure; the message says what to do.
    """
    if not (CITEPROC_DIR / "node_modules" / "citeproc").is_dir():
        raise EngineError(f"citeproc-js is not installed: run 'npm ci' in {CITEPROC_DIR} (make install does)")
    node = node_executable()
    try:
        completed = subprocess.run(
            [node, str(RUNNER)],
            input=json.dumps(request, ensure_ascii=False).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            cwd=CITEPROC_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise EngineError(f"citeproc-js did not finish within {timeout:.0f} s") from None
    except OSError as exc:
        raise EngineError(f"cannot start {node}: {exc.strerror or exc}") from None
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = stderr[0] if stderr else "no message"
        raise EngineError(f"citeproc-js exited with status {completed.returncode}: {detail}")
    try:
        response = json.loads(completed.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EngineError(f"citeproc-js wrote output that is not JSON: {exc}") from None
    if not isinstance(response, dict) or not isinstance(response.get("results"), dict):
        raise EngineError("citeproc-js wrote a response without 'results'")
    return response
