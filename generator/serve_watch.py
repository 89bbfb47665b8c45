"""``mkdocs serve`` rebuilds as soon as a content file is saved, not at its next poll.

MkDocs watches files by polling (every 0.5 s, each poll listing every watched file), so a
rebuild starts on average a quarter of a second after a save, and at 10,000 entries each poll
of ``content/`` costs about 60 ms of CPU (some 12% of a core for as long as the server runs). The
content folders are watched with the system's file events instead
(inotify, FSEvents or ReadDirectoryChangesW, through watchdog, which MkDocs already uses): a save
asks the server for a rebuild exactly as MkDocs' own watcher does, and MkDocs still waits until
changes stop for a moment (its ``build_delay``) before building.

Only changes count: a file created, written, deleted or moved. Reading does not (the generator
reads every entry in each build), nor do directory events, as with MkDocs. Where there is no
such API, a watch cannot be set (too many folders for the system's limit, say), or the server
lacks what this relies on (``LiveReloadServer``'s rebuild condition, MkDocs 1.6), the paths are
handed to MkDocs' own polling watcher, as before.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger("mkdocs.plugins.companion")

CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed"})
"""The watchdog event types that ask for a rebuild (``closed`` is a file closed after writing)."""


class NativeWatch:
    """File events under some folders (and single files), turned into rebuild requests of a server."""

    def __init__(self, server: Any, observer: Any, on_change: Callable[[], object] | None = None) -> None:
        self.server = server
        self.observer = observer
        self.on_change = on_change
        """Called at each change, before the rebuild is asked for (from the observer's thread)."""
        self.files: set[str] = set()
        """Single files watched through their folder: events of other files there are ignored."""
        self.folders: set[str] = set()
        """Folders watched with everything under them."""

    def dispatch(self, event: Any) -> None:
        """watchdog's handler interface: ask for a rebuild if ``event`` changed a watched file."""
        if event.is_directory or event.event_type not in CHANGES:
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if not any(self._watched(str(path)) for path in paths if path):
            return
        if self.on_change is not None:
            self.on_change()
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def _watched(self, path: str) -> bool:
        return path in self.files or any(path.startswith(folder) for folder in self.folders)


def watch(server: Any, paths: list[Path], on_change: Callable[[], object] | None = None) -> NativeWatch | None:
    """Have changes under ``paths`` (folders or files) rebuild ``server``'s site, by file events where
    possible (returned; its observer thread ends with the process), else by MkDocs' watcher
    (``server.watch``; ``None`` is returned). With file events, ``on_change`` is called as soon as a
    change is seen, before MkDocs begins the rebuild."""
    native = _native_watch(server, paths, on_change)
    if native is None:
        for path in paths:
            server.watch(str(path))
        return None
    shown = ", ".join(f"'{path.name}'" for path in paths)
    log.info(f"companion: watching {shown} for changes with the system's file events")
    return native


def _native_watch(server: Any, paths: list[Path], on_change: Callable[[], object] | None) -> NativeWatch | None:
    if not all(hasattr(server, name) for name in ("_rebuild_cond", "_want_rebuild")):
        return None
    if not isinstance(server._rebuild_cond, threading.Condition):
        return None
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return None
    if Observer is PollingObserver:  # no file events on this system: MkDocs' polling does the same
        return None
    observer = Observer()
    handler = NativeWatch(server, observer, on_change)
    try:
        for path in paths:
            if path.is_dir():
                handler.folders.add(str(path.resolve()) + os.sep)
                observer.schedule(handler, str(path.resolve()), recursive=True)
            else:
                handler.files.add(str(path.resolve()))
                observer.schedule(handler, str(path.resolve().parent), recursive=False)
        observer.start()
    except (OSError, RuntimeError) as error:  # e.g. inotify's limit on watches
        log.info(f"companion: file events unavailable ({error}); MkDocs' watcher polls the content instead")
        try:
            observer.stop()
        except RuntimeError:  # never started
            pass
        return None
    return handler
