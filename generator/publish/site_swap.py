"""Replacing a built site as a whole: build beside it, then swap.

A build writes into a fresh folder next to the site (``.site.building-<pid>-<random>``)
and only a complete build is moved into place: the old site is renamed away
(``.site.previous-<pid>-<random>``), the new one renamed in, the old one deleted. A build
that fails, crashes or is killed leaves the previous site as it was; at worst a stray
``.site.*`` folder beside it, which the next build removes. If a build was killed in the
instant between the two renames, the next build renames the previous site back first.

Both folders are siblings of the site, so each rename stays on one file system and is atomic.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

_BUILDING = "building"
_PREVIOUS = "previous"


def _pattern(site: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(site.name)}\.({_BUILDING}|{_PREVIOUS})-([0-9]+)-[A-Za-z0-9_]+")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def recover(site: Path) -> None:
    """Tidy up after builds that were killed: restore a site lost between renames, drop stray folders.

    Folders of builds still running (their process is alive) are left alone.
    """
    site = Path(site)
    parent = site.parent
    if not parent.is_dir():
        return
    pattern = _pattern(site)
    strays = []
    for child in parent.iterdir():
        match = pattern.fullmatch(child.name)
        if match and not _alive(int(match.group(2))):
            strays.append((match.group(1), child))
    if not site.exists() and not site.is_symlink():
        previous = [path for kind, path in strays if kind == _PREVIOUS]
        if previous:
            newest = max(previous, key=lambda p: p.stat().st_mtime)
            os.rename(newest, site)
            strays = [(kind, path) for kind, path in strays if path != newest]
    for _, path in strays:
        _remove(path)


def staging_folder(site: Path) -> Path:
    """A new empty folder beside ``site`` to build into (after :func:`recover`)."""
    site = Path(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    recover(site)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.{_BUILDING}-{os.getpid()}-", dir=site.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the site is not
    return staging


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def swap_in(staging: Path, site: Path, *, background: bool = False) -> None:
    """Make the complete build in ``staging`` the site, then delete the previous site.

    With ``background``, the previous site is deleted by a thread while the caller goes on
    (``mkdocs serve``, whose reload need not wait for thousands of folders to go); if the
    process ends first, the next build removes what is left (:func:`recover`).
    """
    staging, site = Path(staging), Path(site)
    previous = None
    if site.exists() or site.is_symlink():
        previous = site.with_name(f".{site.name}.{_PREVIOUS}-{os.getpid()}-{secrets.token_hex(6)}")
        os.rename(site, previous)
    os.rename(staging, site)
    if previous is None:
        return
    if background:
        threading.Thread(target=_remove, args=(previous,), name=f"remove {previous.name}", daemon=True).start()
    else:
        _remove(previous)


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where links fail: another file system, say)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def discard(staging: Path) -> None:
    """Delete a build that will not be published."""
    _remove(Path(staging))


__all__ = ["discard", "link_or_copy", "recover", "staging_folder", "swap_in"]
