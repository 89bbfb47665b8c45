"""Editions: frozen, citable copies of the site under ``/<version>/``.

A tagged release (``vX.Y``) publishes an immutable copy of the site beside the
living one; "cite this page" offers both addresses.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.publish.addresses import EDITION_NAME as _EDITION_RE, Addresses


def edition_url(site_url: str, version: str, page_url: str) -> str:
    """The address of a page in a frozen edition (see :class:`generator.publish.addresses.Addresses`).

    >>> edition_url("https://companion.example.org/", "v1.0", "organisations/csto/")
    'https://companion.example.org/v1.0/organisations/csto/'
    >>> edition_url("https://example.org/companion", "v2.1", "/")
    'https://example.org/companion/v2.1/'
    """
    return Addresses.for_build(site_url, None).in_edition(version, page_url)


def current_edition() -> str | None:
    """The edition this build makes, or ``None`` for the living site.

    ``SITE_EDITION`` (set by the deploy workflow for a tag) wins; otherwise the version
    ``mike deploy`` is building (``MIKE_DOCS_VERSION``), if it is an edition name. A
    living build is never an edition, even after a tag: its pages are cited at their
    living addresses with an access date.
    """
    for variable in ("SITE_EDITION", "MIKE_DOCS_VERSION"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value if _EDITION_RE.match(value) else None
    return None


def released_editions(root: Path) -> list[str]:
    """Every edition tag (``vX.Y``) of the repository holding ``root``, newest first."""
    try:
        done = subprocess.run(["git", "-C", str(root), "tag", "--list", "v[0-9]*", "--sort=-version:refname"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    return [tag for tag in done.stdout.split() if _EDITION_RE.match(tag)]
