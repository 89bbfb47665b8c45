"""The parsed bibliography kept between builds, so that a rebuild parses the ``.bib`` files only
when one of them changed.

Parsing is most of what loading the bibliography costs (bibtexparser, then pylatexenc on every
field that holds LaTeX: about 1.5 CPU s for 2,000 entries). Its outcome, the
:class:`~generator.bibliography.model.Bibliography` and the diagnostics the files gave, depends
only on the files' names and bytes, this package's code, Python and the parsing libraries;
those make the key, and any change to them parses again.

The cache is one file (``.cache/bibliography.pickle``) restored by CI like the others, so it is
read as if anyone could have written it: the outer layer with an unpickler that loads no class
at all, the record with one that loads only the bibliography's and the diagnostics' own value
classes (by exact name) and plain builtins, so a tampered file cannot run code; a record of the
wrong shape is a miss. An unreadable, damaged or foreign file is ignored (and rewritten).
"""

from __future__ import annotations

import hashlib
import io
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.bibliography.model import BibEntry, Bibliography
from generator.bibliography.parse import load_bibliography
from generator.diagnostics import Diagnostic, Diagnostics, display_path
from generator.load.entry_cache import fingerprint as code_fingerprint
from generator.render.cache_files import (
    ValueUnpickler, library_versions, read_plain_pickle, value_classes, write_atomically,
)

FORMAT = 1
"""Bump when the file layout changes."""
_LIBRARIES = ("bibtexparser", "pylatexenc")
_VALUE_MODULES = ("generator.bibliography.model", "generator.diagnostics")


def load_cached_bibliography(paths: list[Path], root: Path, diagnostics: Diagnostics,
                             cache: Path | None) -> Bibliography:
    """:func:`~generator.bibliography.parse.load_bibliography`, or the outcome it gave last time for
    the same files (its diagnostics are reported again). ``cache`` is the cache file (``None``: parse)."""
    key = _key(paths, root) if cache is not None else None
    if key is None:
        return load_bibliography(paths, root, diagnostics)
    kept = _read(cache, key)
    if kept is not None:
        bibliography, found = kept
        diagnostics.extend(found)
        return bibliography
    found_now = Diagnostics()
    bibliography = load_bibliography(paths, root, found_now)
    diagnostics.extend(found_now.items)
    record = pickle.dumps((bibliography, found_now.items), protocol=pickle.HIGHEST_PROTOCOL)
    write_atomically(cache, pickle.dumps({"format": FORMAT, "key": key, "record": record},
                                         protocol=pickle.HIGHEST_PROTOCOL))
    return bibliography


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """What, besides the files, decides the outcome: the format, our code, Python, the parsing libraries."""
    return f"{FORMAT}\0{code_fingerprint()}\0{library_versions(_LIBRARIES)}\0"


def _key(paths: list[Path], root: Path) -> str | None:
    """What the outcome depends on; ``None`` if a file cannot be read (the parser reports it)."""
    digest = hashlib.sha256(_fingerprint().encode())
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        digest.update(display_path(Path(path), root).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _read(cache: Path, key: str) -> tuple[Bibliography, list[Diagnostic]] | None:
    stored = read_plain_pickle(cache)
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("key") != key \
            or not isinstance(stored.get("record"), bytes):
        return None
    try:
        outcome = ValueUnpickler(io.BytesIO(stored["record"]), value_classes(_VALUE_MODULES)).load()
    except Exception:  # noqa: BLE001 - a damaged record is a miss, never a failed build
        return None
    return outcome if _well_formed(outcome) else None


def _well_formed(outcome: Any) -> bool:
    """Whether a record has the shape the cache stores: ``(Bibliography, [Diagnostic, ...])`` whose
    entries are :class:`BibEntry` under their own keys."""
    if not (isinstance(outcome, tuple) and len(outcome) == 2):
        return False
    bibliography, found = outcome
    return (isinstance(bibliography, Bibliography) and isinstance(bibliography.entries, dict)
            and all(isinstance(entry, BibEntry) and entry.key == key and isinstance(entry.fields, dict)
                    and isinstance(entry.csl, dict) for key, entry in bibliography.entries.items())
            and isinstance(found, list) and all(isinstance(d, Diagnostic) for d in found))


__all__ = ["load_cached_bibliography"]
