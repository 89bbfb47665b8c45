"""Editions: frozen, citable copies of the site under ``/<version>/``.

A tagged release (``vX.Y``) publishes an immutable copy of the site beside the
living one; "cite this page" offers both addresses.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_EDITION_RE = re.compile(r"^v[0-9]+(\.[0-9]+){1,2}$")


def edition_url(site_url: str, version: str, page_url: str) -> str:
    """The address of a page in a frozen edition: what "cite this page" should show.

    >>> edition_url("https://companion.example.org/", "v1.0", "organisations/csto/")
    'https://companion.example.org/v1.0/organisations/csto/'
    >>> edition_url("https://example.org/companion", "v2.1", "/")
    'https://example.org/companion/v2.1/'
    """
    if not _EDITION_RE.match(version):
        raise ValueError(f"'{version}' is not an edition name such as 'v1.0'")
    base = site_url.rstrip("/")
    page = page_url.lstrip("/")
    return f"{base}/{version}/{page}"


def current_edition(cwd: Path | None = None) -> str | None:
    """The edition this build belongs to, or ``None`` if there is none yet.

    ``SITE_EDITION`` (set by the release workflow) wins; otherwise the newest ``vX.Y``
    tag reachable from ``HEAD`` (``git describe --tags --abbrev=0 --match 'v*'``).
    """
    explicit = os.environ.get("SITE_EDITION", "").strip()
    if explicit:
        return explicit if _EDITION_RE.match(explicit) else None
    try:
        done = subprocess.run(["git", "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*"],
                              cwd=cwd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    tag = done.stdout.strip()
    return tag if done.returncode == 0 and _EDITION_RE.match(tag) else None


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
