"""Dates from the repository history: when each content file last changed.

One ``git log`` walk gives every file's last commit date, so pages carry a
"last updated" date that is the same on every build of the same commit (no clock,
no file modification times). Outside a Git checkout the dates are simply absent.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
from functools import lru_cache
from pathlib import Path


def last_changed(root: Path) -> dict[str, _dt.date]:
    """Path (relative to ``root``, POSIX) -> date (UTC) of the last commit touching it.

    The walk is remembered for the commit checked out, so that the rebuilds of ``mkdocs serve``
    repeat it only after a commit (it takes 0.1 s for this project's 245 commits, and grows
    with the history).
    """
    head = _head(root)
    return dict(_walk(root, head)) if head is not None else {}


def _head(root: Path) -> str | None:
    """The commit checked out in the repository holding ``root`` (``None`` outside Git)."""
    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout.strip() if run.returncode == 0 and run.stdout.strip() else None


@lru_cache(maxsize=4)
def _walk(root: Path, head: str) -> dict[str, _dt.date]:
    """:func:`last_changed` at commit ``head`` (only a key here: ``git log`` reads the checkout)."""
    try:
        run = subprocess.run(
            ["git", "-C", str(root), "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", "."],
            capture_output=True, text=True, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if run.returncode != 0:
        return {}
    prefix = _prefix(root)
    dates: dict[str, _dt.date] = {}
    current: _dt.date | None = None
    for line in run.stdout.splitlines():
        if line.startswith("\x00"):
            current = _dt.datetime.fromtimestamp(int(line[1:]), _dt.timezone.utc).date()
        elif line and current is not None:
            path = line[len(prefix):] if prefix and line.startswith(prefix) else line
            dates.setdefault(path, current)
    return dates


def _prefix(root: Path) -> str:
    """The project's folder inside the Git work tree ('' at the top)."""
    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True,
                             text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""


def last_commit_epoch(root: Path) -> int | None:
    """Unix time of the last commit of the checkout holding ``root`` (``None`` outside Git)."""
    try:
        run = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                             text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = run.stdout.strip()
    return int(value) if run.returncode == 0 and value.isdigit() else None
