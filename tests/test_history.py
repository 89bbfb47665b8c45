"""Last-updated dates from the Git history (:mod:`generator.publish.history`)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from generator.publish import history


def commit(repo: Path, name: str, when: str) -> None:
    (repo / name).write_text(name, encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(repo), "add", name], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", name], check=True, env=env)


def test_each_commit_is_seen_and_the_walk_is_not_repeated_without_one(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "project"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit(repo, "a.yaml", "2024-03-01T12:00:00Z")
    walks = []
    real_run = subprocess.run

    def counting(command, *args, **kwargs):
        if "log" in command:
            walks.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", counting)
    first = history.last_changed(repo)
    assert first == {"a.yaml": dt.date(2024, 3, 1)}
    first["a.yaml"] = dt.date(1999, 1, 1)  # a caller's change does not reach the remembered walk
    assert history.last_changed(repo) == {"a.yaml": dt.date(2024, 3, 1)}
    assert len(walks) == 1  # the same commit: walked once (as mkdocs serve rebuilds)
    commit(repo, "b.yaml", "2025-06-02T12:00:00Z")
    assert history.last_changed(repo) == {"a.yaml": dt.date(2024, 3, 1), "b.yaml": dt.date(2025, 6, 2)}
    assert len(walks) == 2


def test_outside_git_there_are_no_dates(tmp_path: Path) -> None:
    assert history.last_changed(tmp_path) == {}
