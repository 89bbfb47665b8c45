"""Validated entries kept between builds, so that a rebuild parses only the files that changed.

Each entry file's outcome (the :class:`~generator.load.loader.Entry`, or ``None``, and the
diagnostics its checks produced) is stored under a key made of the file's bytes, its
path, its type, the fingerprint of the site's type declarations (``types.yaml`` and the
default types it extends) and a fingerprint of everything else that decides the outcome:
this package's source code, the Python version and the libraries that parse and check
(PyYAML, edtf, pycountry). Any change to those starts from an empty cache.

The cache is one pickle file (``.cache/entries.pickle``). CI restores it from the Actions
cache, so it is read as if anyone could have written it: the file itself with an
unpickler that loads no class at all, each record with one that loads only the
generator's own value classes (by exact name) and a few builtins, so a tampered file
cannot run code (an entry's type is found again by name in the build's own schema, never
by importing anything); a record of the wrong shape is a miss. An unreadable, corrupt or
foreign file is ignored (and rewritten), never an error.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.render.cache_files import (
    ValueUnpickler, library_versions, read_plain_pickle, value_classes, write_atomically,
)
from generator.diagnostics import Diagnostic
from generator.schema.types import EntryType, Schema, default_schema

FORMAT = 1
"""Bump when the file layout changes."""
_LIBRARIES = ("PyYAML", "edtf", "pycountry", "pyparsing")
_VALUE_MODULES = (
    "generator.load.loader", "generator.schema.fields", "generator.schema.dates", "generator.diagnostics", "generator.load.yamlload",
    "generator.render.prose",
)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What, besides a file's bytes, decides how it loads: our code, Python, the parsing libraries."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{library_versions(_LIBRARIES)}\0".encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


_TYPE_LOOKUP = ("generator.schema.types", "entry_type_named")
"""How an :class:`EntryType` is pickled (by name, see ``EntryType.__reduce__``)."""


def _unpickler(blob: bytes, schema: Schema) -> ValueUnpickler:
    """Loads only the generator's value classes; an entry's type is looked up by name in ``schema``
    (a name the schema does not declare is a ``KeyError``: a miss)."""
    return ValueUnpickler(io.BytesIO(blob), value_classes(_VALUE_MODULES), {_TYPE_LOOKUP: schema.type_named})


Outcome = tuple[Any, list[Diagnostic]]
"""What loading one file gave: the entry (or ``None``) and its diagnostics."""


class EntryCache:
    """Outcomes of loading entry files, by content.

    Args:
        path: the cache file; ``None`` keeps nothing between builds.
        schema: the site's entry types (default: the generator's); part of every key.
    """

    def __init__(self, path: Path | None, schema: Schema | None = None) -> None:
        self.path = path
        self.schema = schema or default_schema()
        self._old: dict[str, bytes] = self._read(path) if path is not None else {}
        self._new: dict[str, bytes] = {}

    def key(self, entry_type: EntryType, path: str, data: bytes) -> str:
        """The cache key of one file's bytes at ``path``."""
        digest = hashlib.sha256(f"{fingerprint()}\0{self.schema.fingerprint}\0{entry_type.name}\0{path}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Outcome | None:
        """The stored outcome for ``key``, or ``None`` (also when it cannot be read back)."""
        blob = self._old.get(key)
        if blob is None:
            return None
        try:
            outcome = _unpickler(blob, self.schema).load()
        except Exception:  # noqa: BLE001 - a damaged record is a miss, never a failed build
            return None
        if not _well_formed(outcome, self.schema):
            return None
        self._new[key] = blob
        return outcome

    def put(self, key: str, outcome: Outcome) -> None:
        """Remember an outcome (serialised now: later stages must not change what is stored)."""
        self._new[key] = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Write the outcomes of this build (only those: files removed since drop out)."""
        if self.path is None or self._new.keys() == self._old.keys():
            return
        write_atomically(self.path, pickle.dumps({"fingerprint": fingerprint(), "records": self._new},
                                                 protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def _read(path: Path) -> dict[str, bytes]:
        stored = read_plain_pickle(path)  # the records inside are unpickled one by one, in get()
        if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint():
            return {}
        records = stored.get("records")
        if not isinstance(records, dict):
            return {}
        return {k: v for k, v in records.items() if isinstance(k, str) and isinstance(v, bytes)}


def _well_formed(outcome: Any, schema: Schema) -> bool:
    """Whether a record has the shape :meth:`EntryCache.put` stores: ``(Entry | Remains | None, [Diagnostic, ...])``."""
    from generator.load.loader import Entry, Remains

    if not (isinstance(outcome, tuple) and len(outcome) == 2):
        return False
    entry, diagnostics = outcome
    return ((entry is None or (isinstance(entry, Remains) and isinstance(entry.path, str))
             or (isinstance(entry, Entry) and isinstance(entry.id, str)
                               and isinstance(entry.type, EntryType) and entry.type is schema.by_name.get(entry.type.name)
                               and isinstance(entry.path, str)))
            and isinstance(diagnostics, list) and all(isinstance(d, Diagnostic) for d in diagnostics))


__all__ = ["EntryCache", "fingerprint"]
