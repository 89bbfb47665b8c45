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

Pagefind has no incremental mode and indexing is most of its cost (some 2.5 CPU ms a page), so a
large site's pages are split into shards by a hash of their path, each indexed on its own: shard
0 into ``pagefind/`` (with ``pagefind.js`` and the WebAssembly), shard *i* into
``pagefind/shard-i/``, listed in ``pagefind/companion-shards.json`` for the browser, which merges
them (Pagefind's ``mergeIndex``). A shard whose pages, Pagefind version and command line are those
of the previous build is not indexed again: its files are taken from the previous site, once
their hashes match the record in the cache file (``.cache/search-index.json``). A site of at
most ``SHARD_PAGES`` pages is one shard: its bundle is the one Pagefind alone would write.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from generator.publish.site_swap import link_or_copy, prune
from generator.render.cache_files import file_sha256

BUNDLE_DIR = "pagefind"
"""Where the index goes, relative to the site root (the search script's ``data-bundle``)."""

MANIFEST = "companion-shards.json"
"""In ``pagefind/``: the other shards' folders, relative to it (``{"shards": ["shard-1/", ...]}``)."""

SHARD_PAGES = 4000
"""Pages per shard: a site of more pages is split into ``ceil(pages / SHARD_PAGES)`` shards.
Re-indexing one shard costs some 2.5 CPU ms a page; each further shard costs a reader's first
search its entry file, its page list and one index chunk (some 25 KB) per word searched. At
12,009 pages (N = 10,000), 4 shards: 10 CPU s after a one-page edit instead of 32, and a first
search of at most 480 KB compressed instead of 429 KB; 7 shards would exceed 500 KB
(BENCHMARKS.md, "Sharded index")."""

SHARD_PAGES_VARIABLE = "COMPANION_SEARCH_SHARD_PAGES"
"""For tests only: an environment variable that replaces ``SHARD_PAGES`` (a positive integer)."""

PARALLEL = 2
"""Pagefind processes run at once (each uses one core for most of its run)."""

ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = ("[data-search-exclude]", ".headerlink")
TIMEOUT_SECONDS = 1800
CACHE_FORMAT = 2

_SHARD_FOLDER = re.compile(r"shard-[1-9][0-9]*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MERGED_FILES = re.compile(r"pagefind-entry\.json|.*\.pf_meta")
"""What a merged shard needs beside its folders (index/, fragment/, filter/): not the script or WebAssembly."""


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed; the message says why, with its output."""


class IndexingStopped(SearchIndexError):
    """The caller's ``stop`` event was set: Pagefind was ended (or never started), nothing was written."""


EXCLUDE_MARK = '<meta name="companion-search" content="exclude">'
"""What ``overrides/main.html`` writes into a page whose front matter says ``search: exclude: true``."""


@dataclass(frozen=True)
class IndexReport:
    """What a build did to the search index: how many of its shards were indexed, and why all of them."""

    shards: int
    indexed: int
    reason: str = ""
    """Why every shard was indexed (no cache, no previous site, ...), when no shard could be kept."""

    def __str__(self) -> str:
        text = f"search index: {self.indexed} of {self.shards} shards re-indexed"
        return f"{text} ({self.reason})" if self.reason else text


def pagefind_command(site_dir: Path, output: Path | None = None) -> list[str]:
    """The command that indexes ``site_dir`` (the ``pagefind`` wheel's binary, through its module)."""
    where = ["--output-path", str(output)] if output is not None else ["--output-subdir", BUNDLE_DIR]
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), *where,
               "--root-selector", ROOT_SELECTOR, "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def shard_pages() -> int:
    """``SHARD_PAGES``, or the positive integer in ``COMPANION_SEARCH_SHARD_PAGES`` (set by tests)."""
    value = os.environ.get(SHARD_PAGES_VARIABLE, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else SHARD_PAGES


def shard_count(pages: int, per_shard: int) -> int:
    """How many shards ``pages`` indexable pages make: one up to ``per_shard``, then one per ``per_shard``."""
    return max(1, math.ceil(pages / per_shard))


def shard_of(path: str, shards: int) -> int:
    """The shard of the page at ``path`` (relative to the site, ``/``-separated): stable across builds."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big") % shards


def shard_folder(shard: int) -> str:
    """Where shard ``shard``'s files go, relative to the site root."""
    return BUNDLE_DIR if shard == 0 else f"{BUNDLE_DIR}/shard-{shard}"


def index_site(site_dir: Path, previous: Path | None = None, cache: Path | None = None,
               fresh: bool = False, per_shard: int | None = None, known: Mapping[str, str] | None = None,
               stop: threading.Event | None = None) -> IndexReport:
    """Replace ``site_dir/pagefind/`` with an index of the HTML pages in ``site_dir``.

    ``previous`` is the site this build replaces and ``cache`` the record of its shards (both
    optional): a shard whose inputs did not change is taken from ``previous`` instead of being
    indexed, unless ``fresh``. The record of this build's shards is written to ``cache``.
    ``per_shard`` replaces :func:`shard_pages`. ``known`` gives the SHA-256 of pages the caller
    has just checked in ``site_dir`` (by site path): such a page, if the cache's record shows
    it searchable with that hash, is not read again. Once ``stop`` is set, running Pagefind
    processes are ended and :class:`IndexingStopped` is raised (the cache file is not written).
    """
    bundle = site_dir / BUNDLE_DIR
    records, reason = _previous_records(cache, previous, fresh)
    indexed_before = {(path, digest) for record in records or () if isinstance(record, dict)
                      for path, digest in _page_list(record.get("pages"))}
    pages = _readers_pages(site_dir, {path: digest for path, digest in (known or {}).items()
                                      if (path, digest) in indexed_before})
    shards = shard_count(len(pages), per_shard or shard_pages())
    members = _split(pages, shards)
    while shards > 1 and not all(members):  # Pagefind fails on no pages; only with a few pages a shard
        shards -= 1
        members = _split(pages, shards)
    command = pagefind_command(Path("{site}"), Path("{output}"))[1:]
    version = _pagefind_version()
    inputs = [_digest({"pagefind": version, "command": command, "shards": shards, "shard": shard,
                       "pages": members[shard]}) for shard in range(shards)]

    if records is not None and len(records) != shards:
        records, reason = None, f"the number of shards changed from {len(records)} to {shards}"
    outputs: dict[int, dict[str, str]] = {}
    for shard in range(shards):
        files = _reusable(records[shard] if records else None, inputs[shard], previous, shard)
        if files is not None:
            outputs[shard] = files
    # Whatever else is in the bundle goes before anything is written there: Pagefind adds files but
    # never removes a previous index's, and a recycled site's files may be the published site's.
    if bundle.is_dir() and not bundle.is_symlink():
        prune(bundle, {path[len(BUNDLE_DIR) + 1:] for files in outputs.values() for path in files})
    elif bundle.exists() or bundle.is_symlink():
        bundle.unlink()
    for files in outputs.values():
        _copy_files(previous, site_dir, files)  # a file a recycled site holds already stays
    todo = [shard for shard in range(shards) if shard not in outputs]
    with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL, len(todo)))) as pool:
        for shard in pool.map(lambda shard: _index_shard(site_dir, shard, members[shard], stop), todo):
            outputs[shard] = {path: file_sha256(site_dir / path) for path in _shard_files(site_dir, shard)}
    (bundle / MANIFEST).write_text(json.dumps({"shards": [f"shard-{n}/" for n in range(1, shards)]}) + "\n",
                                   encoding="utf-8")
    if cache is not None:
        _save(cache, [{"inputs": inputs[n], "files": outputs[n], "pages": members[n]} for n in range(shards)])
    if len(todo) < shards:
        reason = ""
    return IndexReport(shards=shards, indexed=len(todo), reason=reason)


def _split(pages: list[tuple[str, str]], shards: int) -> list[list[tuple[str, str]]]:
    members: list[list[tuple[str, str]]] = [[] for _ in range(shards)]
    for path, digest in pages:
        members[shard_of(path, shards)].append((path, digest))
    return members


def _readers_pages(site_dir: Path, searchable: Mapping[str, str]) -> list[tuple[str, str]]:
    """The HTML pages readers search (not those marked excluded), as (site path, SHA-256), sorted.

    ``searchable`` holds pages known to be searchable, with their SHA-256: those are not read.
    """
    mark = EXCLUDE_MARK.encode("ascii")
    pages = []
    for folder, _, names in os.walk(site_dir):  # not Path.rglob: a third of the time at 12,000 pages
        relative = os.path.relpath(folder, site_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in names:
            if not name.endswith(".html"):
                continue
            path = prefix + name
            digest = searchable.get(path)
            if digest is not None:
                pages.append((path, digest))
                continue
            data = Path(folder, name).read_bytes()
            if mark not in data:
                pages.append((path, hashlib.sha256(data).hexdigest()))
    return sorted(pages)


def _page_list(value: object) -> list[tuple[str, str]]:
    """A cache record's list of indexed pages, as (path, SHA-256); nothing if it is not one."""
    if not isinstance(value, list):
        return []
    pages = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], str)
                and _SHA256.fullmatch(item[1])):
            return []
        pages.append((item[0], item[1]))
    return pages


def _digest(inputs: object) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _pagefind_version() -> str:
    """What ``pagefind --version`` says: a new Pagefind indexes every shard again."""
    run = _run([sys.executable, "-m", "pagefind", "--version"], timeout=120)
    if run.returncode != 0 or not run.stdout.strip():
        raise SearchIndexError(f"Pagefind failed (exit {run.returncode}) to say its version:\n"
                               f"{(run.stderr or run.stdout).strip()[-4000:]}")
    return run.stdout.strip()


def _previous_records(cache: Path | None, previous: Path | None, fresh: bool) -> tuple[list[object] | None, str]:
    """The cache's record of each shard of the previous build, or None and why every shard is indexed."""
    if fresh:
        return None, "a --dirty build"
    if previous is None or not (previous / BUNDLE_DIR).is_dir():
        return None, "no previous search index"
    if cache is None:
        return None, "no search index cache"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, f"no search index cache yet ({cache.name})"
    except (OSError, UnicodeDecodeError, ValueError):
        return None, f"{cache.name} is not a readable search index cache"
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("shards"), list):
        return None, f"{cache.name} is not a search index cache of this version"
    return data["shards"], ""


def _reusable(record: object, inputs: str, previous: Path | None, shard: int) -> dict[str, str] | None:
    """The previous build's files of ``shard`` with their SHA-256, when ``record`` is of the shard's
    present inputs and matches the previous site exactly (the same files, each with its recorded hash)."""
    if previous is None or not isinstance(record, dict) or record.get("inputs") != inputs:
        return None
    files = record.get("files")
    if not isinstance(files, dict) or not files:
        return None
    if not all(isinstance(path, str) and isinstance(digest, str) and _SHA256.fullmatch(digest)
               for path, digest in files.items()):
        return None
    try:
        if set(files) != set(_shard_files(previous, shard)):
            return None
        for path, digest in files.items():
            source = previous / path
            if not stat.S_ISREG(os.lstat(source).st_mode) or file_sha256(source) != digest:
                return None
    except OSError:
        return None
    return files


def _shard_files(site_dir: Path, shard: int) -> list[str]:
    """The files of ``shard`` in ``site_dir``, relative to it (shard 0: not the other shards' or the manifest)."""
    top = site_dir / shard_folder(shard)
    found = []
    for folder, subfolders, names in os.walk(top):
        here = Path(folder)
        if shard == 0 and here == top:
            subfolders[:] = [name for name in subfolders if not _SHARD_FOLDER.fullmatch(name)]
            names = [name for name in names if name != MANIFEST]
        found += [(here / name).relative_to(site_dir).as_posix() for name in names]
        found += [(here / name).relative_to(site_dir).as_posix() for name in subfolders
                  if (here / name).is_symlink()]  # os.walk lists a link to a folder as a folder
    return sorted(found)


def _copy_files(source_site: Path | None, site_dir: Path, files: dict[str, str]) -> None:
    """Hard links (copies where links fail) in ``site_dir`` to ``files`` of ``source_site``."""
    assert source_site is not None
    folders: set[Path] = set()
    for path in files:
        target = site_dir / path
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        link_or_copy(source_site / path, target)


def _index_shard(site_dir: Path, shard: int, pages: list[tuple[str, str]], stop: threading.Event | None = None) -> int:
    """Run Pagefind over a folder of links to ``pages``, writing into the shard's folder."""
    output = site_dir / shard_folder(shard)
    with tempfile.TemporaryDirectory(prefix=".pagefind-pages-", dir=site_dir.parent) as folder:
        for path, _ in pages:
            target = Path(folder) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(site_dir / path, target)
        _run_pagefind(pagefind_command(Path(folder), output=output), output, stop)
    if shard != 0:
        for item in output.iterdir():
            if item.is_file() and not _MERGED_FILES.fullmatch(item.name):
                item.unlink()
    return shard


def _save(cache: Path, shards: list[dict[str, object]]) -> None:
    """Write the record of this build's shards (replacing the file in one step); where that cannot
    be done (``.cache`` is a file, the cache path a folder), the cache is simply off."""
    partial = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps({"format": CACHE_FORMAT, "shards": shards}, indent=0, sort_keys=True) + "\n",
                           encoding="utf-8")
        os.replace(partial, cache)
    except OSError:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass


STOP_POLL_SECONDS = 0.05
"""How often a running Pagefind is checked for its caller's ``stop`` event."""


def _run(command: list[str], timeout: float, stop: threading.Event | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``command`` to its end, or until ``timeout`` or ``stop`` (then it is killed)."""
    if stop is not None and stop.is_set():
        raise IndexingStopped("stopped before Pagefind started")
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        raise SearchIndexError(f"cannot run Pagefind ({error}); install the `pagefind[extended]` wheel") from None
    deadline = time.monotonic() + timeout
    with process:
        while True:
            try:
                stdout, stderr = process.communicate(timeout=STOP_POLL_SECONDS if stop is not None else timeout)
                return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
            except subprocess.TimeoutExpired:
                stopped = stop is not None and stop.is_set()
                if stopped or time.monotonic() >= deadline:
                    process.kill()
                    process.communicate()
                    if stopped:
                        raise IndexingStopped("Pagefind was stopped") from None
                    raise SearchIndexError(f"Pagefind did not finish within {timeout:g} s") from None


def _run_pagefind(command: list[str], bundle: Path, stop: threading.Event | None = None) -> None:
    run = _run(command, TIMEOUT_SECONDS, stop)
    if run.returncode != 0 or not (bundle / "pagefind.js").is_file():
        output = (run.stderr or run.stdout).strip()[-4000:]
        raise SearchIndexError(f"Pagefind failed (exit {run.returncode}); no search index was written:\n{output}")
