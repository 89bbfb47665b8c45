"""Small helpers shared by the build caches (citations, entries, pages): files and fingerprints."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable


def library_versions(names: Iterable[str]) -> str:
    """``name=version`` of each installed distribution (``none`` if missing), for cache fingerprints."""
    found = []
    for name in names:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return "\0".join(found)


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of the file at ``path``, in hex (raises ``OSError`` if it cannot be read)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``path`` through a unique temporary file renamed into place.

    Concurrent builds never see half a file. Returns ``False`` if it could not be written
    (a read-only checkout still builds, just without the cache).
    """
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        return False
    return True


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")


def read_plain_pickle(path: Path) -> Any:
    """A pickle holding only builtin containers, strings and bytes; ``None`` if missing, damaged or anything else.

    No class can be loaded, so a tampered file cannot run code.
    """
    try:
        with path.open("rb") as stream:
            return _PlainUnpickler(stream).load()
    except Exception:  # noqa: BLE001 - missing, truncated or foreign: the cache starts empty
        return None


__all__ = ["library_versions", "read_plain_pickle", "write_atomically"]
