"""Small helpers shared by the build caches (citations, entries, pages): files and fingerprints."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from functools import lru_cache
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


_ALLOWED_BUILTINS = ("dict", "list", "tuple", "set", "frozenset", "str", "int", "float", "bool", "bytes")


@lru_cache(maxsize=None)
def value_classes(modules: tuple[str, ...]) -> dict[tuple[str, str], Any]:
    """The classes a cached record may be made of: dataclasses and enums *defined* in ``modules``
    (by exact name), ``datetime.date``/``datetime`` and plain builtins.

    Anything else a module merely holds (``Path``, functions, the YAML loader, dotted names
    such as ``Path.touch``) could run code when a pickle calls it.
    """
    import builtins
    import dataclasses
    import datetime
    import enum
    import importlib

    allowed: dict[tuple[str, str], Any] = {}
    for module_name in modules:
        for name, value in vars(importlib.import_module(module_name)).items():
            if (isinstance(value, type) and value.__module__ == module_name
                    and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))):
                allowed[(module_name, name)] = value
    allowed.update({("datetime", "date"): datetime.date, ("datetime", "datetime"): datetime.datetime})
    allowed.update({("builtins", name): getattr(builtins, name) for name in _ALLOWED_BUILTINS})
    allowed[("builtins", "NoneType")] = type(None)
    return allowed


class ValueUnpickler(pickle.Unpickler):
    """An unpickler that loads only the classes in ``allowed`` (see :func:`value_classes`) and
    those ``special`` maps by ``(module, name)``; anything else is an ``UnpicklingError``."""

    def __init__(self, stream: io.BytesIO, allowed: dict[tuple[str, str], Any],
                 special: dict[tuple[str, str], Any] | None = None) -> None:
        super().__init__(stream)
        self.allowed = allowed
        self.special = special or {}

    def find_class(self, module: str, name: str) -> Any:
        found = self.special.get((module, name)) or self.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")
        return found


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


__all__ = ["ValueUnpickler", "file_sha256", "library_versions", "read_plain_pickle", "value_classes",
           "write_atomically"]
