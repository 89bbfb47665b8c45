"""The site's search index: Pagefind run over the built site, writing ``pagefind/`` beside the pages.

Pagefind splits the index into chunks and page fragments, so a reader's browser fetches
nothing until the first search, and then only the chunks for the words searched and the
fragments of the results shown (see ``overrides/assets/javascripts/companion-search.js``).

What is indexed follows the pages' own markup, not Pagefind-only attributes where a neutral
one exists:

- only the article (``article.md-content__inner``): the theme's header, navigation,
  table of contents and footer stay out;
- ``data-search-exclude`` (timelines, "cite this page", BibTeX blocks, an entry page's
  reference list) and the heading permalinks stay out; Pagefind leaves out ``<form>``
  (the chronology and bibliography filters) by itself;
- entry pages mark their names and abbreviations with ``data-pagefind-meta="names[...]"``
  and a higher ``data-pagefind-weight`` (``generator/render/templates/entry/_base.md.jinja``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import subprocess
import sys
from pathlib import Path

BUNDLE_DIR = "pagefind"
"""Where the index goes, relative to the site root (the search script's ``data-bundle``)."""

ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = ("[data-search-exclude]", ".headerlink")
TIMEOUT_SECONDS = 1800


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed; the message says why, with its output."""


EXCLUDE_MARK = '<meta name="companion-search" content="exclude">'
"""What ``overrides/main.html`` writes into a page whose front matter says ``search: exclude: true``."""


def pagefind_command(site_dir: Path, output: Path | None = None) -> list[str]:
    """The command that indexes ``site_dir`` (the ``pagefind`` wheel's binary, through its module)."""
    where = ["--output-path", str(output)] if output is not None else ["--output-subdir", BUNDLE_DIR]
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), *where,
               "--root-selector", ROOT_SELECTOR, "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def index_site(site_dir: Path) -> None:
    """Replace ``site_dir/pagefind/`` with a fresh index of the HTML pages in ``site_dir``."""
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)  # Pagefind adds files but never removes the previous build's chunks
    with tempfile.TemporaryDirectory(prefix=".pagefind-pages-", dir=site_dir.parent) as pages:
        _readers_pages(site_dir, Path(pages))
        _run_pagefind(pagefind_command(Path(pages), output=bundle), bundle)


def _readers_pages(site_dir: Path, into: Path) -> None:
    """Hard links (copies where links fail) to the HTML pages readers search: not those marked excluded."""
    for page in site_dir.rglob("*.html"):
        if EXCLUDE_MARK in page.read_text(encoding="utf-8", errors="replace"):
            continue
        target = into / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, target)
        except OSError:
            shutil.copyfile(page, target)


def _run_pagefind(command: list[str], bundle: Path) -> None:
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except OSError as error:
        raise SearchIndexError(f"cannot run Pagefind ({error}); install the `pagefind[extended]` wheel") from None
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_SECONDS} s") from None
    if run.returncode != 0 or not (bundle / "pagefind.js").is_file():
        output = (run.stderr or run.stdout).strip()[-4000:]
        raise SearchIndexError(f"Pagefind failed (exit {run.returncode}); no search index was written:\n{output}")
