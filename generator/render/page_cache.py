"""Rendered pages kept between builds, so that a rebuild renders only pages whose inputs changed.

An entry page shows data from more than its own file: the names of the entries it links
to, the entries that link to it ("Referenced by", memberships, successors), the
disagreements about it and whatever those link to, the glossary, the formatted
citations and the timeline labels. A page's key therefore covers:

* what is the same for every page (:meth:`PageCache.site_key`): the generator's code and
  rendering libraries, every template, the site's settings, the glossary, the timeline
  labels, and every formatted citation and reference;
* the bytes of each entry in the page's neighbourhood (:func:`neighbourhood`), computed
  from the current build's links, so a new link to a page changes that page's key;
* the page's own "cite this page" text and last-updated date.

A source page's key covers the same shared part, every ``.bib`` file, the guides and the
entries that cite the source. An entry's rows in the data tables are kept under its page's key
(:meth:`PageCache.derive`): they read a subset of what the page reads. Anything else is not
cached: guides (they read the whole bibliography), listings and the data files themselves are
made on every build. ``verify=True`` renders every page and derives every value anyway and
records each cached one that differs (the tests run edits with it on).
"""

from __future__ import annotations

import hashlib
import pickle
import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from generator.render.cache_files import library_versions, read_plain_pickle, write_atomically
from generator.load.entry_cache import fingerprint as loader_fingerprint
from generator.schema.fields import Cite

T = TypeVar("T")

DERIVED_SEPARATOR = "#"
"""Between a page's path and what a value derived from that page's inputs is (:meth:`PageCache.derive`):
``countries/kaz/index.md#data/countries``. No page's path holds it."""


def derived_name(page_path: str, what: str) -> str:
    """The cache name of the value ``what`` made from the inputs of the page at ``page_path``; it is
    filed with that page, so an edit rewrites no more files for its derived values."""
    return f"{page_path}{DERIVED_SEPARATOR}{what}"


FORMAT = 3
"""Bump when the file layout or the key's make-up changes."""
_LIBRARIES = ("Jinja2", "MarkupSafe", "markdown-it-py", "mdit-py-plugins", "nh3", "pylatexenc", "pycountry")


def uncached(entry_type: Any) -> bool:
    """Whether pages of ``entry_type`` read beyond their neighbourhood, so are never reused.

    A type with a citation-key field of its own (a guide's ``work``) shows what the
    whole site cites from that work, which any entry can change.
    """
    return any(isinstance(f.type, Cite) for f in entry_type.fields)


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    return hashlib.sha256(f"{FORMAT}\0{loader_fingerprint()}\0{library_versions(_LIBRARIES)}".encode()).hexdigest()


def neighbourhood(entry: Any, site: Any) -> dict[str, Any]:
    """Every entry (by id) whose file can change what ``entry``'s page shows.

    The entry; the entries it refers to (fields and prose); the entries that refer to it
    (which include its members, successors and parts); and, for each disagreement about
    it (shown on the page in full), the entries that disagreement refers to.
    """
    found = {entry.id: entry}
    found.update((e.id, e) for e in _targets(entry, site))
    for other in site.backlinks.get(entry.id, []):
        found[other.id] = other
        if other.type.name == "disagreement":
            found.update((e.id, e) for e in _targets(other, site))
    return found


def _targets(entry: Any, site: Any) -> Iterable[Any]:
    for ref in entry.refs:
        target = site.by_id.get(ref.target)
        if target is not None:
            yield target
    for scanned in site.prose_of(entry):
        for link in scanned.links:
            target = site.by_id.get(link.target)
            if target is not None:
                yield target


def _digest(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


BUCKETS = 256
"""Files the cache is split into, by a hash of each page's path: a rebuild after one edit rewrites the
files holding the pages whose key changed (tens at 10,000 entries), not every page (some 220 MB)."""


def _bucket(name: str) -> int:
    page = name.partition(DERIVED_SEPARATOR)[0]
    return zlib.crc32(page.encode("utf-8", "surrogatepass")) % BUCKETS


class PageCache:
    """Rendered pages by key.

    Args:
        path: the cache folder (``None``: nothing kept between builds). It holds :data:`BUCKETS`
            files, ``000.pickle`` …, each a plain pickle of the pages whose path hashes to it;
            each is read as if anyone could have written it (no class can be loaded) and one
            that is damaged, foreign or missing only loses its own pages.
        verify: render cached pages too and record those that differ in :attr:`stale`.
    """

    def __init__(self, path: Path | None, verify: bool = False) -> None:
        self.path = path
        self.verify = verify
        self._old: dict[str, tuple[str, Any]] = _read(path) if path is not None else {}
        self._new: dict[str, tuple[str, Any]] = {}
        self.hits = 0
        self.derived_hits = 0
        self.stale: list[str] = []

    @staticmethod
    def site_key(*, templates: Iterable[Path], settings: object, glossary: object, labels: object,
                 citations: object) -> str:
        """The part of every key that all pages share."""
        digest = hashlib.sha256(_code_fingerprint().encode())
        for folder in templates:
            if folder.is_dir():
                for file in sorted(folder.rglob("*")):
                    if file.is_file():
                        digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
        digest.update(_digest(settings, glossary, labels, citations).encode())
        return digest.hexdigest()

    @staticmethod
    def page_key(site_key: str, path: str, entry_digests: Iterable[tuple[str, str]], own: object) -> str:
        """The key of one page: the shared part, its neighbourhood's bytes and its own extras."""
        return _digest(site_key, path, sorted(entry_digests), own)

    def render(self, path: str, key: str, render: Callable[[], str]) -> str:
        """The page at ``path`` from the cache if its key matches, else rendered (and kept)."""
        text, hit = self._reuse(path, key, render, lambda value: isinstance(value, str))
        self.hits += hit
        return text

    def derive(self, name: str, key: str, compute: Callable[[], T], valid: Callable[[Any], bool]) -> T:
        """A value derived from the same inputs as a page (an entry's rows in a data table), kept like a
        page under ``name`` (a :func:`derived_name`): from the cache if its key matches and
        ``valid`` accepts it, else computed. The value must be plain data (containers, strings, numbers)."""
        value, hit = self._reuse(name, key, compute, valid)
        self.derived_hits += hit
        return value

    def _reuse(self, name: str, key: str, compute: Callable[[], T], valid: Callable[[Any], bool]) -> tuple[T, bool]:
        """The record ``name``'s value if its key matches and ``valid`` accepts it (checked against
        ``compute()`` when verifying), else ``compute()``; kept for the next build either way."""
        cached = self._old.get(name)
        hit = cached is not None and cached[0] == key and valid(cached[1])
        if hit:
            value = cached[1]
            if self.verify and compute() != value:
                self.stale.append(name)
        else:
            value = compute()
        self._new[name] = (key, value)
        return value, hit

    def save(self) -> None:
        """Keep this build's pages (only those: pages of removed entries drop out), rewriting only the
        files whose pages changed."""
        if self.path is None:
            return
        old: list[dict[str, tuple[str, Any]]] = [{} for _ in range(BUCKETS)]
        new: list[dict[str, tuple[str, Any]]] = [{} for _ in range(BUCKETS)]
        for pages, split in ((self._old, old), (self._new, new)):
            for page, record in pages.items():
                split[_bucket(page)][page] = record
        for number, (before, now) in enumerate(zip(old, new)):
            if now != before or not (self.path / _bucket_name(number)).is_file():
                write_atomically(self.path / _bucket_name(number),
                                 pickle.dumps({"fingerprint": _code_fingerprint(), "bucket": number, "pages": now},
                                              protocol=pickle.HIGHEST_PROTOCOL))
        _remove_former_layouts(self.path)


_FORMER_BUCKET = re.compile(r"[0-9a-f]{2}\.pickle")
_OWN_HEADER = b"fingerprint"
"""Within the first bytes of every file this cache wrote: its first key."""


def _remove_former_layouts(folder: Path) -> None:
    """Delete what earlier layouts of this cache left: one file beside the folder (``pages.pickle``
    for ``pages/``, rewritten whole at every build) and 64 files named by two hex digits in it.

    Only a regular file whose first bytes show it was written by this cache is deleted, so a
    file of the same name that someone else keeps there stays."""
    candidates = [folder.with_name(f"{folder.name}.pickle")]
    try:
        candidates += [path for path in folder.iterdir() if _FORMER_BUCKET.fullmatch(path.name)]
    except OSError:
        pass
    for path in candidates:
        try:
            if path.is_symlink() or not path.is_file():
                continue
            with path.open("rb") as file:
                head = file.read(64)
            if head[:1] == b"\x80" and _OWN_HEADER in head:
                path.unlink()
        except OSError:
            pass


def _bucket_name(number: int) -> str:
    return f"{number:03d}.pickle"


def _read(folder: Path) -> dict[str, tuple[str, Any]]:
    """The records of every readable file: ``{path: (key, page text or derived value)}``."""
    if not folder.is_dir():
        return {}
    pages: dict[str, tuple[str, Any]] = {}
    for number in range(BUCKETS):
        stored = read_plain_pickle(folder / _bucket_name(number))
        if not isinstance(stored, dict) or stored.get("fingerprint") != _code_fingerprint() \
                or stored.get("bucket") != number or not isinstance(stored.get("pages"), dict):
            continue
        pages.update((p, v) for p, v in stored["pages"].items()
                     if isinstance(p, str) and isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str)
                     and _bucket(p) == number)
    return pages


__all__ = ["BUCKETS", "DERIVED_SEPARATOR", "PageCache", "derived_name", "neighbourhood", "uncached"]
