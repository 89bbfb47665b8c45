"""``mkdocs serve`` rebuilds on file events for the content (:mod:`generator.serve_watch`).

The server here is a stand-in with what MkDocs' ``LiveReloadServer`` offers (its rebuild
condition and flag, its polling ``watch``); the events are the system's own (inotify here).
The end-to-end run is ``tests/test_serve_search.py``: a real ``mkdocs serve`` reloads after an edit.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from generator import serve_watch


class StandInServer:
    """What the watcher uses of MkDocs' ``LiveReloadServer``."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.polled: list[str] = []

    def watch(self, path: str) -> None:
        self.polled.append(path)

    def asked(self) -> bool:
        """Whether a rebuild was asked for since the last call (and forget it)."""
        with self._rebuild_cond:
            asked, self._want_rebuild = self._want_rebuild, False
        return asked


def eventually(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content" / "organisations").mkdir(parents=True)
    (tmp_path / "content" / "organisations" / "csto.yaml").write_text("id: csto\n", encoding="utf-8")
    (tmp_path / "types.yaml").write_text("types: {}\n", encoding="utf-8")
    return tmp_path


def test_saves_ask_for_a_rebuild_and_reads_do_not(project: Path) -> None:
    server = StandInServer()
    entry = project / "content" / "organisations" / "csto.yaml"
    native = serve_watch.watch(server, [project / "content", project / "types.yaml"])
    assert native is not None, "this machine has file events (inotify)"
    try:
        assert server.polled == []
        entry.read_text(encoding="utf-8")  # the generator reads every entry in each build
        (project / "notes.txt").write_text("beside types.yaml, not watched", encoding="utf-8")
        (project / "content" / "events").mkdir()  # a folder alone builds nothing
        time.sleep(0.5)
        assert not server.asked()
        entry.write_text("id: csto\nname: CSTO\n", encoding="utf-8")
        assert eventually(server.asked)
        (project / "types.yaml").write_text("types: {organisation: {}}\n", encoding="utf-8")
        assert eventually(server.asked)
        saved = project / "content" / "events" / "charter.yaml.tmp"
        saved.write_text("id: charter\n", encoding="utf-8")
        assert eventually(server.asked)
        os.replace(saved, project / "content" / "events" / "charter.yaml")  # an editor's atomic save
        assert eventually(server.asked)
        entry.unlink()
        assert eventually(server.asked)
    finally:
        native.observer.stop()
        native.observer.join(timeout=10)


def test_a_change_is_announced_before_the_rebuild_is_asked_for(project: Path) -> None:
    """``on_change`` (the plugin stops the search refresh with it) runs for a save, before the
    server is asked to rebuild; not for a read."""
    server = StandInServer()
    seen: list[bool] = []

    def on_change() -> None:
        with server._rebuild_cond:
            seen.append(server._want_rebuild)

    entry = project / "content" / "organisations" / "csto.yaml"
    native = serve_watch.watch(server, [project / "content"], on_change=on_change)
    assert native is not None, "this machine has file events (inotify)"
    try:
        entry.read_text(encoding="utf-8")
        time.sleep(0.5)
        assert seen == [] and not server.asked()
        entry.write_text("id: csto\nname: CSTO\n", encoding="utf-8")
        assert eventually(server.asked)
        assert seen and seen[0] is False  # a save is several events; the first announces it
    finally:
        native.observer.stop()
        native.observer.join(timeout=10)


def test_a_server_without_the_rebuild_condition_polls_as_before(project: Path) -> None:
    class OldServer:
        def __init__(self) -> None:
            self.polled: list[str] = []

        def watch(self, path: str) -> None:
            self.polled.append(path)

    server = OldServer()
    paths = [project / "content", project / "types.yaml"]
    assert serve_watch.watch(server, paths) is None
    assert server.polled == [str(path) for path in paths]
