"""What a page's conversion looked at, recorded while it converts, for :mod:`generator.render_cache`.

The files it looked up (:class:`RecordingFiles`), the messages it logged, the anchors it gave
mkdocs-autorefs (:func:`listen_to_autorefs`), and the mkdocstrings handlers it used and the objects
it put in their inventory (:func:`listen_to_mkdocstrings`, :func:`handler_sources`); a kept page's
are replayed instead of converting it again. Also the filters that keep MkDocs' log as it would be
without kept pages.
"""

from __future__ import annotations

import hashlib
import logging
import os
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any, Iterator

from mkdocs.structure.files import Files

from generator.render.cache_files import file_sha256

_SKIPPED = "Page skipped: '"
"""How MkDocs (``_build_page``) starts its notice that a page rendered empty and was not written."""


class RecordingFiles(Files):
    """MkDocs' files, noting every lookup while :attr:`lookups` is a list (one page converting)."""

    lookups: list[list[Any]] | None = None

    def get_file_from_path(self, path: str) -> Any:
        found = super().get_file_from_path(path)
        if self.lookups is not None:
            self.lookups.append(lookup_answer(PurePath(path).as_posix(), found))
        return found


def lookup_answer(path: str, found: Any) -> list[Any]:
    """A lookup as recorded: ``[path, url, excluded]`` of the file found, or ``[path, None, False]``."""
    if found is None:
        return [path, None, False]
    return [path, found.url, bool(found.inclusion.is_excluded())]


class _Messages(logging.Handler):
    """Counts log messages (INFO and above) while a page converts."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _Below(logging.Filter):
    """Keeps from a handler what its logger's level would have kept out (while we listen to INFO)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


class Listening:
    """While a page converts: its file lookups, its log messages, its anchors given to autorefs, the
    mkdocstrings handlers it used and the objects it put in their inventory."""

    def __init__(self, files: RecordingFiles, autorefs: Any, handlers: Any = None) -> None:
        self.files = files
        self.lookups: list[list[Any]] = []
        self.anchors: list[list[Any]] = []
        self.handlers: list[str] = []
        self.inventory: list[list[Any]] = []
        self.messages = _Messages()
        self._autorefs = autorefs
        self._handlers = handlers
        self._logger = logging.getLogger("mkdocs")
        self._saved_level = self._logger.level
        self._gate: _Below | None = None

    def __enter__(self) -> "Listening":
        self.files.lookups = self.lookups
        level = self._logger.getEffectiveLevel()
        if level > logging.INFO:  # e.g. --quiet: listen anyway, show no more than before
            self._gate = _Below(level)
            for handler in self._logger.handlers:
                handler.addFilter(self._gate)
            self._logger.setLevel(logging.INFO)
        self._logger.addHandler(self.messages)
        logging.getLogger().addHandler(self.messages)
        if self._autorefs is not None:
            self._autorefs.companion_listening = self
        if self._handlers is not None:
            self._handlers.companion_listening = self
        return self

    def __exit__(self, *exc: object) -> None:
        self.files.lookups = None
        self._logger.removeHandler(self.messages)
        logging.getLogger().removeHandler(self.messages)
        if self._gate is not None:
            self._logger.setLevel(self._saved_level)
            for handler in self._logger.handlers:
                handler.removeFilter(self._gate)
        if self._autorefs is not None:
            self._autorefs.companion_listening = None
        if self._handlers is not None:
            self._handlers.companion_listening = None


class Silenced(logging.Filter):
    """Keeps every log message from the handlers it is added to, counting them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        self.count += 1
        return False


@contextmanager
def silenced() -> Iterator[Silenced]:
    """Nothing logged in the block reaches MkDocs' handlers (nor counts as a warning in strict mode)."""
    gate = Silenced()
    handlers = [*logging.getLogger("mkdocs").handlers, *logging.getLogger().handlers]
    for handler in handlers:
        handler.addFilter(gate)
    try:
        yield gate
    finally:
        for handler in handlers:
            handler.removeFilter(gate)


class QuietSkips(logging.Filter):
    """Drops MkDocs' notice that a page rendered empty, for the kept pages (their file is linked)."""

    def __init__(self, uris: dict[str, str]) -> None:
        super().__init__()
        self.uris = uris

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith(_SKIPPED) and message[len(_SKIPPED):].partition("'")[0] in self.uris)


def listen_to_autorefs(plugin: Any) -> None:
    """Make the autorefs plugin tell the listener which anchors a page registers (to replay them)."""
    register = plugin.register_anchor
    plugin.companion_listening = None

    def register_anchor(page: Any, identifier: str, anchor: str | None = None, *, title: str | None = None,
                        primary: bool = True) -> None:
        listening = plugin.companion_listening
        if listening is not None:
            listening.anchors.append([identifier, anchor, title, bool(primary)])
        register(page, identifier, anchor, title=title, primary=primary)

    plugin.register_anchor = register_anchor


def listen_to_mkdocstrings(handlers: Any) -> None:
    """Make mkdocstrings' handlers (``plugin.handlers``) tell the listener which handlers a page uses and
    which objects it registers in the inventory (to replay them when the page is kept)."""
    get_handler, register = handlers.get_handler, handlers.inventory.register
    handlers.companion_listening = None

    def get(name: str, handler_config: dict | None = None) -> Any:
        listening = handlers.companion_listening
        if listening is not None and name not in listening.handlers:
            listening.handlers.append(name)
        return get_handler(name, handler_config)

    def register_item(name: str, domain: str, role: str, uri: str, priority: int = 1,
                      dispname: str | None = None) -> None:
        listening = handlers.companion_listening
        if listening is not None:
            listening.inventory.append([name, domain, role, uri, priority, dispname])
        register(name, domain, role, uri, priority, dispname)

    handlers.get_handler = get
    handlers.inventory.register = register_item


def handler_sources(handler: Any) -> dict[str, str] | None:
    """Every Python file a mkdocstrings handler has loaded, with its SHA-256, and the folder of every
    package it loaded (ending in ``/``), with the digest of its listing: a module added to a package
    changes what is documented without changing any file loaded. ``None`` if unknown: a handler
    other than mkdocstrings-python's, or one whose modules cannot be listed."""
    collection = getattr(handler, "_modules_collection", None)
    members = getattr(collection, "members", None)
    if not isinstance(members, dict):
        return None
    found: set[str] = set()
    try:
        todo = list(members.values())
        while todo:
            module = todo.pop()
            if getattr(module, "is_alias", False):
                continue
            paths = module.filepath if isinstance(module.filepath, list) else [module.filepath]
            found.update(str(path) for path in paths if path is not None)
            found.update(f"{Path(path).parent}/" for path in paths
                         if path is not None and Path(path).stem == "__init__")
            todo.extend(module.modules.values())
        return {path: source_digest(path) for path in sorted(found)}
    except Exception:  # noqa: BLE001 - griffe's objects, as they are; anything amiss: not kept
        return None


def source_digest(path: str) -> str | None:
    """The SHA-256 of a file, or of a package folder's listing (a path ending in ``/``: its modules and
    subfolders, caches and hidden entries aside); ``None`` if it cannot be read."""
    try:
        if not path.endswith("/"):
            return file_sha256(path)
        names = sorted(f"{entry.name}/" if entry.is_dir() else entry.name for entry in os.scandir(path)
                       if not entry.name.startswith((".", "__pycache__"))
                       and (entry.is_dir() or entry.name.endswith((".py", ".pyi"))))
    except OSError:
        return None
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()


__all__ = ["Listening", "QuietSkips", "RecordingFiles", "handler_sources", "source_digest",
           "listen_to_autorefs", "listen_to_mkdocstrings", "lookup_answer", "silenced"]
