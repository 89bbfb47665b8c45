"""Under ``mkdocs serve``, a rebuild stops the search index refresh of the site it replaces.

That refresh's bundle would be dropped when the rebuild is swapped in, and on a two-core machine its
Pagefind took a core from the rebuild the editor waits for. If the rebuild fails, the served site
is still the one the refresh was for, so it starts again (``generator/outputs/background_index.py``).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.outputs.background_index import BackgroundIndex
from generator.outputs.search_index import BUNDLE_DIR, IndexingStopped, _run, index_site

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article class="md-content__inner md-typeset"><h1>{title}</h1><p>{text}</p></article></body></html>
"""


def _bundle_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((site / BUNDLE_DIR).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _refreshes_running() -> bool:
    return any(thread.name == "companion search index" for thread in threading.enumerate())


def _wait_for_refreshes(timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while _refreshes_running():
        assert time.monotonic() < deadline, "the refresh did not end"
        time.sleep(0.05)


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """A served site of a few pages with its search bundle, then one page edited (the bundle is stale)."""
    site = tmp_path / "site"
    for number in range(6):
        page = site / f"page-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(title=f"Page {number}", text="Collective security in Eurasia."))
    index_site(site, cache=tmp_path / "search-index.json")
    (site / "page-3" / "index.html").write_text(PAGE.format(title="Page 3", text="Zyzzogeton treaty."))
    return site


def test_a_stopped_pagefind_is_ended_at_once(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    command = [sys.executable, "-c",
               f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(600)"]
    stop = threading.Event()
    threading.Thread(target=lambda: (_wait_for_file(pid_file), stop.set()), daemon=True).start()
    started = time.monotonic()
    with pytest.raises(IndexingStopped):
        _run(command, timeout=900, stop=stop)
    assert time.monotonic() - started < 300, "the process ran to its end instead of being killed"
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # killed and reaped


def test_nothing_starts_once_stopped() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(IndexingStopped):
        _run([sys.executable, "-c", "raise SystemExit('must not run')"], timeout=60, stop=stop)


def _wait_for_file(path: Path) -> None:
    while not path.exists() or not path.read_text():
        time.sleep(0.01)


def test_a_refresh_stopped_by_a_rebuild_is_dropped_and_resumed_if_the_rebuild_fails(served: Path) -> None:
    stale = _bundle_digest(served)
    background = BackgroundIndex()
    background.refresh(served, served.parent / "search-index.json")
    assert background.stop() is True  # a rebuild began
    _wait_for_refreshes()
    assert _bundle_digest(served) == stale, "the stopped refresh put its bundle in place"
    assert not list(served.parent.glob(f".{served.name}.search-*")), "the stopped refresh left its folder"

    background.resume()  # the rebuild failed: the served site still needs its index
    _wait_for_refreshes()
    fresh = _bundle_digest(served)
    assert fresh != stale
    assert background.stop() is False  # nothing running any more
    background.resume()  # nothing was stopped: nothing starts
    assert not _refreshes_running()


def test_a_refresh_that_finished_is_not_stopped_or_resumed(served: Path) -> None:
    background = BackgroundIndex()
    background.refresh(served, served.parent / "search-index.json")
    _wait_for_refreshes()
    done = _bundle_digest(served)
    assert background.stop() is False
    background.resume()
    assert not _refreshes_running()
    assert _bundle_digest(served) == done


def test_linking_the_pages_gives_up_once_stopped(served: Path, tmp_path: Path) -> None:
    from generator.outputs.background_index import _link_pages

    stop = threading.Event()
    stop.set()
    with pytest.raises(IndexingStopped):
        _link_pages(served, tmp_path / "work", stop)
    assert not (tmp_path / "work").exists()
    _link_pages(served, tmp_path / "work", threading.Event())
    assert len(list((tmp_path / "work").rglob("*.html"))) == 6


def test_closing_ends_the_refresh_and_leaves_no_folder(served: Path) -> None:
    background = BackgroundIndex()
    background.refresh(served, served.parent / "search-index.json")
    background.close()  # the server stops
    assert not _refreshes_running(), "close returned before the refresh ended"
    assert not list(served.parent.glob(f".{served.name}.search-*")), "the refresh left its folder"
    background.resume()  # nothing to resume after closing
    assert not _refreshes_running()
