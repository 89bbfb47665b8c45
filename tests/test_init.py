"""``python -m generator init``: a new companion that checks clean and builds strictly as written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.init_project import InitError, init_project
from generator.pipeline import ProjectConfig, check
from generator.schema.types import ENTRY_TYPES

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def test_init_writes_a_companion_that_checks_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "rivers"
    run = subprocess.run([sys.executable, "-m", "generator", "init", str(target), "--name", "Rivers: A Companion"],
                         cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    for name in ("mkdocs.yml", "Makefile", "README.md", ".gitignore", "bibliography/sources.bib",
                 "overrides/main.html", "docs/about.md"):
        assert (target / name).is_file(), name
    for entry_type in ENTRY_TYPES:  # one sample entry of every type
        assert list((target / "content" / entry_type.folder).glob("*.yaml")), entry_type.name
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme and "Rivers: A Companion" in readme
    assert "research-companion-generator @ file:" in (target / "Makefile").read_text(encoding="utf-8")

    diagnostics = check(ProjectConfig.for_project(target))
    assert not list(diagnostics), diagnostics.report()

    build = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "--site-dir",
                            str(tmp_path / "site")], cwd=target, env=ENV, capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    site = tmp_path / "site"
    assert "<title>Rivers: A Companion</title>" in (site / "index.html").read_text(encoding="utf-8")
    for page in ("organisations/example-union/", "events/example-union-founded/", "concepts/example-concept/",
                 "countries/fra/", "disagreements/example-union-founding-date/", "guides/doe2020/",
                 "sources/doe2020/", "sources/roe2021/", "glossary/", "chronology/", "timeline/", "data/"):
        assert (site / page / "index.html").is_file(), page


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InitError):
        init_project(tmp_path, "X")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    run = subprocess.run([sys.executable, "-m", "generator", "init", str(tmp_path)], cwd=tmp_path, env=ENV,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "is not an empty folder" in run.stderr and "Traceback" not in run.stderr
