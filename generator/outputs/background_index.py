"""The search index of ``mkdocs serve``: brought up to date after the reload, not before it.

Under ``mkdocs serve`` a reload should follow an edit within a second or two, while Pagefind
needs seconds for even one shard (:mod:`generator.outputs.search_index`). So a rebuild under
serve does not wait for it:

1. :meth:`BackgroundIndex.carry_over` links the served site's search bundle into the new build
   (as it was: it indexes the pages before the edit), so the new site is complete at once;
2. the new site is swapped in and the browser reloads;
3. :meth:`BackgroundIndex.refresh` then indexes the new pages in a thread (re-indexing only the
   shards whose pages changed) into a folder beside the site, and moves the new bundle into the
   served site, unless a newer build was swapped in meanwhile (then its own refresh will do).

When the next edit is saved (seen by :mod:`generator.serve_watch`), or at the latest when the next
rebuild begins, a refresh still running is stopped (:meth:`BackgroundIndex.stop`: its Pagefind is
ended): its bundle would be replaced by the new build's refresh anyway, and on a small machine it
took a core from the rebuild the editor is waiting for. If that rebuild fails, the served site is
still the one the stopped refresh was for, and :meth:`BackgroundIndex.resume` starts it again. When
the server stops, :meth:`BackgroundIndex.close` ends the refresh and waits for it to tidy up.

``mkdocs build`` never uses this: a built site is always indexed before it is published.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from generator.outputs.search_index import BUNDLE_DIR, IndexingStopped, SearchIndexError, index_site
from generator.publish.site_swap import link_or_copy

log = logging.getLogger("mkdocs.plugins.companion")


class BackgroundIndex:
    """The search index of the site ``mkdocs serve`` shows, kept up to date behind the reloads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._running: tuple[threading.Thread, threading.Event, tuple[Path, Path | None, dict[str, str]]] | None = None
        self._stopped: tuple[Path, Path | None, dict[str, str]] | None = None

    def carry_over(self, served: Path, staging: Path) -> bool:
        """Link the served site's search bundle into ``staging``; False if it has none."""
        with self._lock:
            bundle = served / BUNDLE_DIR
            if not (bundle / "pagefind.js").is_file():
                return False
            _link_tree(bundle, staging / BUNDLE_DIR)
            return True

    @contextmanager
    def swapping(self) -> Iterator[None]:
        """Hold while a new build replaces the served site: a refresh begun before it is dropped."""
        with self._lock:
            self._generation += 1
            yield

    def refresh(self, served: Path, cache: Path | None, known: Mapping[str, str] | None = None) -> None:
        """Index the pages of ``served`` in a thread and put the new bundle in place when done.

        ``known`` gives the SHA-256 of pages just checked in ``served``, by site path (see
        :func:`generator.outputs.search_index.index_site`).
        """
        with self._lock:
            generation = self._generation
            self._stopped = None
            job = (served, cache, dict(known or {}))
            stop = threading.Event()
            thread = threading.Thread(target=self._refresh, args=(*job, generation, stop),
                                      name="companion search index", daemon=True)
            self._running = (thread, stop, job)
            thread.start()

    def stop(self) -> bool:
        """A rebuild begins: end the refresh still running, if any (its Pagefind is killed; the thread
        tidies up on its own). True if one was running: :meth:`resume` starts it again."""
        with self._lock:
            running, self._running = self._running, None
            if running is None or not running[0].is_alive():
                return False
            _, stop, job = running
            stop.set()
            self._stopped = job
            return True

    def resume(self) -> None:
        """The rebuild failed: start again the refresh :meth:`stop` ended, for the site still served."""
        with self._lock:
            stopped, self._stopped = self._stopped, None
        if stopped is not None:
            served, cache, known = stopped
            self.refresh(served, cache, known)

    def close(self, timeout: float = 60) -> None:
        """The server stops: end the refresh still running and wait for it to tidy up, so that its
        working folder beside the served site does not outlive it (its thread is a daemon)."""
        with self._lock:
            running = self._running
        self.stop()
        with self._lock:
            self._stopped = None  # nothing to resume
        if running is not None:
            running[0].join(timeout)

    def _refresh(self, served: Path, cache: Path | None, known: dict[str, str], generation: int,
                 stop: threading.Event) -> None:
        try:
            work = Path(tempfile.mkdtemp(prefix=f".{served.name}.search-", dir=served.parent))
        except OSError as error:
            log.warning(f"companion: search index not brought up to date ({error})")
            return
        try:
            _link_pages(served, work, stop)
            report = index_site(work, served, cache, known=known, stop=stop)
            with self._lock:
                if generation != self._generation:
                    return  # a newer build is being made or was swapped in: its own refresh follows
                old = work / f"{BUNDLE_DIR}.old"
                os.rename(served / BUNDLE_DIR, old)
                os.rename(work / BUNDLE_DIR, served / BUNDLE_DIR)
            log.info(f"companion: {report} (after the reload)")
        except IndexingStopped:
            log.debug("companion: search index refresh stopped: a rebuild began")
        except (OSError, SearchIndexError) as error:
            log.warning(f"companion: search index not brought up to date: {error}")
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _link_pages(site: Path, into: Path, stop: threading.Event | None = None) -> None:
    """Hard links (copies where links fail) in ``into`` to every HTML page of ``site``, by path;
    given up (:class:`IndexingStopped`) as soon as ``stop`` is set."""
    for page in site.rglob("*.html"):
        if stop is not None and stop.is_set():
            raise IndexingStopped("stopped while linking the pages")
        relative = page.relative_to(site)
        if relative.parts[0] == BUNDLE_DIR:
            continue
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(page, target)


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as a tree of hard links (copies where links fail) to the files of ``source``."""
    for folder, _, names in os.walk(source):
        here = Path(folder)
        there = target / here.relative_to(source)
        there.mkdir(parents=True, exist_ok=True)
        for name in names:
            link_or_copy(here / name, there / name)


__all__ = ["BackgroundIndex"]
