"""A real `mkdocs build --strict` of the fixture site, golden pages, and failure without a partial site."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.pipeline import ProjectConfig, build

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "site"
GOLDEN = REPO / "tests" / "golden"
GOLDEN_PAGES = [
    "organisations/csto/index.md",
    "organisations/cst/index.md",
    "events/csto-charter-2002/index.md",
    "concepts/dead-letter-regime/index.md",
    "countries/kgz/index.md",
    "disagreements/csto-founding-date/index.md",
    "organisations/index.md",
    "sources/troitskiy2020/index.md",
]
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def copy_fixture(tmp_path: Path) -> Path:
    """The fixture project in a temporary folder, its theme overrides pointing at the repository's."""
    project = tmp_path / "site-project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(REPO / "overrides")))
    return project


def mkdocs_build(project: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out), *options], cwd=project, env=ENV,
                          capture_output=True, text=True, timeout=600)


def test_fixture_site_builds_strictly(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    out = tmp_path / "out"
    run = mkdocs_build(project, out)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr
    for page in ["index.html", "organisations/csto/index.html", "organisations/index.html",
                 "sources/troitskiy2020/index.html", "sources/troitskiy2020/troitskiy2020.bib",
                 "schemas/organisation.schema.json", "reference/fields/index.html"]:
        assert (out / page).is_file(), page
    redirect = (out / "organisations/cst-organisation/index.html").read_text()
    assert 'url=../csto/' in redirect
    assert not (project / "docs" / "organisations").exists(), "the plugin must not write into docs_dir"


def test_broken_content_fails_without_writing_a_site(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    (project / "content/events/csto-charter-2002.yaml").write_text(
        (project / "content/events/csto-charter-2002.yaml").read_text().replace("organisations: [csto]",
                                                                                 "organisations: [cso]"))
    out = tmp_path / "out"
    run = mkdocs_build(project, out)
    assert run.returncode != 0
    assert ("content/events/csto-charter-2002.yaml:8:17: error[ref.unknown]: 'cso' is not an organisation"
            in run.stderr)
    assert "Traceback" not in run.stderr
    assert not (out / "index.html").exists()


def test_golden_pages() -> None:
    """Generated Markdown of the fixture equals the committed golden files (UPDATE_GOLDEN=1 rewrites them)."""
    result = build(ProjectConfig.for_project(FIXTURE, use_history=False))
    assert result.ok, result.diagnostics.report()
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    for page in GOLDEN_PAGES:
        golden = GOLDEN / page
        actual = result.files[page]
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
        assert golden.is_file(), f"missing golden file {golden}; run with UPDATE_GOLDEN=1 on purpose"
        assert actual == golden.read_text(encoding="utf-8"), f"{page} differs from its golden file"


def test_every_generated_page_has_front_matter_that_parses() -> None:
    """MkDocs drops front matter it cannot parse without a word (and with it `search: exclude`, the
    title, the description), so every generated page's front matter must be a YAML mapping."""
    import yaml

    result = build(ProjectConfig.for_project(REPO, use_history=False))
    assert result.ok, result.diagnostics.report()
    checked = 0
    for path, text in result.files.items():
        if not path.endswith(".md") or not text.startswith("---\n"):
            continue
        front = text[4: text.index("\n---\n", 4)]
        assert isinstance(yaml.safe_load(front), dict), f"{path}: front matter is not a mapping:\n{front}"
        checked += 1
    assert checked > 100


def test_project_site_builds_strictly(tmp_path: Path) -> None:
    """The real companion builds with `mkdocs build --strict` and zero warnings."""
    run = mkdocs_build(REPO, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr


def test_timeline_stylesheet_is_published_and_linked(tmp_path: Path) -> None:
    """The plugin publishes the timelines' CSS and links it from every page."""
    from generator.render.emit import TIMELINE_STYLESHEET
    from generator.outputs.timeline import TIMELINE_CSS

    project = copy_fixture(tmp_path)
    out = tmp_path / "out"
    assert mkdocs_build(project, out).returncode == 0
    assert (out / TIMELINE_STYLESHEET).read_text(encoding="utf-8") == TIMELINE_CSS
    assert TIMELINE_STYLESHEET in (out / "organisations/csto/index.html").read_text(encoding="utf-8")


def test_editions_page_lists_released_tags(tmp_path: Path) -> None:
    """A tagged release appears on /editions/ with its frozen address."""
    project = copy_fixture(tmp_path)
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"], ["tag", "v1.0"], ["tag", "v1.2"]):
        subprocess.run(git + args, check=True, capture_output=True)
    result = build(ProjectConfig.for_project(project))
    assert result.ok, result.diagnostics.report()
    page = html.unescape(result.files["editions/index.md"])  # values are written as character references
    assert page.index("| v1.2 |") < page.index("| v1.0 |"), "newest edition first"
    assert "https://fixture.example.org/v1.0/" in page
    assert "No edition has been released yet" not in page


def test_a_build_leaves_nothing_frozen_for_the_garbage_collector(tmp_path: Path) -> None:
    """The pipeline freezes what it loads (``gc.freeze``) while it renders, and must hand it back
    when it returns, also after content errors: under ``mkdocs serve`` a build's frozen objects
    would otherwise never be freed."""
    import gc

    project = copy_fixture(tmp_path)
    assert gc.get_freeze_count() == 0
    result = build(ProjectConfig.for_project(project, format_citations=False, use_history=False,
                                             entry_cache=None, bibliography_cache=None,
                                             page_cache=None))
    assert result.ok and result.files
    assert gc.get_freeze_count() == 0
    event = project / "content/events/csto-charter-2002.yaml"
    event.write_text(event.read_text().replace("organisations: [csto]", "organisations: [cso]"))
    result = build(ProjectConfig.for_project(project, format_citations=False, use_history=False,
                                             entry_cache=None, bibliography_cache=None,
                                             page_cache=None))
    assert not result.ok and not result.files
    assert gc.get_freeze_count() == 0
