"""A normal build prints what matters; the list of pages outside the nav only with --verbose.

Entry pages are reached from the listing pages, not from the nav, so MkDocs would
list every one of them ("not included in the nav"), hundreds of lines that bury the
real output. mkdocs.yml sets ``validation: omitted_files: ignore``, which MkDocs
logs at DEBUG level: shown by ``mkdocs build --verbose``, not otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.pipeline import read_mkdocs_yml
from test_site_build import REPO, copy_fixture, mkdocs_build

OMITTED = "exist in the docs directory, but are not included in the \"nav\" configuration"


def with_the_repository_validation(project: Path) -> None:
    """Give the fixture project (which has a nav, as the site has) the repository's own ``validation`` settings."""
    ours = read_mkdocs_yml(REPO / "mkdocs.yml")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    block = yaml.safe_dump({"validation": ours["validation"]}, sort_keys=False)
    text = re.sub(r"(?m)^validation:\n(?:[ ].*\n)*", block, text)
    config.write_text(text, encoding="utf-8")
    assert yaml.safe_load(text)["validation"] == ours["validation"]
    assert "nav" in yaml.safe_load(text)


def test_the_repository_config_hides_omitted_pages_from_a_normal_build() -> None:
    ours = read_mkdocs_yml(REPO / "mkdocs.yml")
    assert ours["validation"]["omitted_files"] == "ignore"


def test_pages_outside_the_nav_are_listed_only_with_verbose(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    with_the_repository_validation(project)
    quiet = mkdocs_build(project, tmp_path / "out")
    assert quiet.returncode == 0, quiet.stderr
    assert OMITTED not in quiet.stderr
    assert "organisations/csto.md" not in quiet.stderr
    assert len(quiet.stderr.splitlines()) < 20, quiet.stderr
    verbose = mkdocs_build(project, tmp_path / "out-verbose", "--verbose")
    assert verbose.returncode == 0, verbose.stderr
    assert re.search(rf"DEBUG\s+-\s+The following pages {re.escape(OMITTED)}", verbose.stderr), verbose.stderr[-3000:]
    assert "  - organisations/csto/index.md" in verbose.stderr
