"""Replacing a built site as a whole: build beside it, then swap.

A build writes into a fresh folder next to the site (``.site.building-<pid>-<random>``)
and only a complete build is moved into place: the old site is renamed away
(``.site.previous-<pid>-<random>``), the new one renamed in, the old one deleted. A build
that fails, crashes or is killed leaves the previous site as it was; at worst a stray
``.site.*`` folder beside it, which the next build removes. If a build was killed in the
instant between the two renames, the next build renames the previous site back first.

Both folders are siblings of the site, so each rename stays on one file system and is atomic.

**Recycling.** Deleting the old site and making the new one's folders cost a rebuild that
keeps most pages more than anything it renders (at 10,000 entries, some 12,000 folders
made and 30,000 files and 12,000 folders deleted: about 6 CPU s of 50). So a caller may keep the
replaced site as the *spare* (``.site.spare``) instead of deleting it; the next build claims it
(:func:`claim_spare`), and once it knows which files it will keep, :func:`adopt` makes the
spare its staging folder and removes every other file from it (:func:`prune`) before anything is
written. A kept file in the spare is usually the same file (a hard link) as the site's, so it
needs no new link and no new folder. Nothing is ever written into a file of the spare: whatever
a build writes goes to a path that was pruned (or never existed), so a write cannot reach the
published site through a shared link.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import Collection

_BUILDING = "building"
_PREVIOUS = "previous"
_RECYCLING = "recycling"
_SPARE = "spare"


def _pattern(site: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(site.name)}\.({_BUILDING}|{_PREVIOUS}|{_RECYCLING})-([0-9]+)-[A-Za-z0-9_]+")


def spare_folder(site: Path) -> Path:
    """Where the site replaced by the last build waits to be recycled (see the module docstring)."""
    site = Path(site)
    return site.with_name(f".{site.name}.{_SPARE}")


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


def swap_in(staging: Path, site: Path, *, background: bool = False, keep_spare: bool = False) -> None:
    """Make the complete build in ``staging`` the site, then delete the previous site.

    With ``keep_spare``, the previous site becomes the spare (:func:`spare_folder`) for the next
    build to recycle, unless there is one already. With ``background``, the previous site is
    deleted by a thread while the caller goes on (``mkdocs serve``, whose reload need not wait
    for thousands of folders to go); if the process ends first, the next build removes what is
    left (:func:`recover`).
    """
    staging, site = Path(staging), Path(site)
    previous = None
    if site.exists() or site.is_symlink():
        previous = site.with_name(f".{site.name}.{_PREVIOUS}-{os.getpid()}-{secrets.token_hex(6)}")
        os.rename(site, previous)
    os.rename(staging, site)
    if previous is None:
        return
    if keep_spare and previous.is_dir() and not previous.is_symlink() and _make_spare(previous, site):
        return
    if background:
        threading.Thread(target=_remove, args=(previous,), name=f"remove {previous.name}", daemon=True).start()
    else:
        _remove(previous)


def claim_spare(site: Path) -> Path | None:
    """Take the spare for this build (renamed so that no other build takes it too), if there is one."""
    spare = spare_folder(site)
    if not spare.is_dir() or spare.is_symlink():
        return None
    claimed = site.with_name(f".{Path(site).name}.{_RECYCLING}-{os.getpid()}-{secrets.token_hex(6)}")
    try:
        os.rename(spare, claimed)
    except OSError:
        return None
    return claimed


def release(folder: Path, site: Path) -> None:
    """A build will not publish ``folder`` (a claimed spare, or a staging folder that adopted one):
    it becomes the spare again, or is deleted if there is a spare already."""
    if not _make_spare(folder, site):
        _remove(folder)


def _make_spare(folder: Path, site: Path) -> bool:
    """Rename ``folder`` to the spare unless there is one (another build may have made one)."""
    spare = spare_folder(site)
    if spare.exists() or spare.is_symlink():
        return False
    try:
        os.rename(folder, spare)
    except OSError:
        return False
    return True


def adopt(claimed: Path, staging: Path) -> bool:
    """Make the claimed spare the staging folder, if nothing was written into ``staging`` yet.

    Otherwise (or if the rename fails) the spare is deleted and ``staging`` stays as it is.
    The caller must :func:`prune` the adopted folder before anything writes into it.
    """
    try:
        if not any(os.scandir(staging)):
            mode = os.stat(staging).st_mode
            os.rename(claimed, staging)  # replaces the empty folder in one step
            os.chmod(staging, mode)
            return True
    except OSError:
        pass
    _remove(claimed)
    return False


def prune(folder: Path, keep: Collection[str], leave: str | None = None) -> int:
    """Delete every file under ``folder`` whose path (relative, with ``/``) is not in ``keep``,
    and every folder left empty; return how many entries were deleted.

    Symbolic links are deleted, never followed (a kept path must be a regular file). The
    top-level folder ``leave``, if given, is not looked into: its owner prunes it later
    (the search index, :func:`generator.outputs.search_index.index_site`).
    """
    removed = 0

    def walk(path: str, prefix: str) -> bool:
        nonlocal removed
        kept_any = False
        with os.scandir(path) as entries:
            listed = list(entries)
        for entry in listed:
            relative = prefix + entry.name
            if relative == leave and entry.is_dir(follow_symlinks=False):
                kept_any = True
                continue
            if entry.is_dir(follow_symlinks=False):
                if walk(entry.path, relative + "/"):
                    kept_any = True
                    continue
                os.rmdir(entry.path)
            elif relative in keep and entry.is_file(follow_symlinks=False):
                kept_any = True
                continue
            else:
                os.unlink(entry.path)
            removed += 1
        return kept_any

    walk(str(folder), "")
    return removed


def keep_identical(previous: Path, staging: Path, path: str, content: bytes) -> bool:
    """Put ``previous``'s file at ``path`` into ``staging`` if its bytes are ``content``.

    Linked first and compared after, so that what is compared is what the new site holds (a
    recycled staging folder may hold that very file already: it is left as it is).
    """
    source, target = os.path.join(previous, path), os.path.join(staging, path)
    try:
        found = os.lstat(source)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(content):
            return False
        try:
            there: os.stat_result | None = os.lstat(target)
        except FileNotFoundError:
            there = None
        if there is None or not os.path.samestat(found, there):
            if there is not None:
                os.unlink(target)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            link_or_copy(Path(source), Path(target))
        with open(target, "rb") as linked:
            if linked.read() == content:
                return True
    except OSError:
        pass
    try:
        os.unlink(target)
    except OSError:
        pass
    return False


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where links fail: another file system, say).

    A file already at ``target`` is left if it is ``source`` itself, and replaced otherwise,
    never written into: it may be a link to a file of a published site (a recycled spare).
    """
    try:
        os.link(source, target)
        return
    except FileExistsError:
        if os.path.samestat(os.stat(source), os.lstat(target)):
            return
        os.unlink(target)
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    except OSError:
        pass
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    shutil.copyfile(source, target)


def discard(staging: Path) -> None:
    """Delete a build that will not be published."""
    _remove(Path(staging))


__all__ = ["adopt", "claim_spare", "discard", "keep_identical", "link_or_copy", "prune", "recover", "release", "spare_folder",
           "staging_folder", "swap_in"]
