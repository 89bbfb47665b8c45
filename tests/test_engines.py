"""The site builds on more than one engine: MkDocs 1.x (the default), ProperDocs, Zensical.

- The lock files can never install MkDocs 2.x (no plugin system, refuses ``mkdocs.yml``) or
  any pre-release.
- ProperDocs, the fork of MkDocs 1.x, builds the project to the same files as MkDocs,
  byte for byte except the ``generator`` meta tag.
- Zensical builds ``python -m generator build --out`` (see the README's "Engines") to a site
  whose local links all resolve, by the project's own link checker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
LOCK_FILES = sorted(REPO.glob("requirements*.lock"))
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def lock_problems(text: str) -> list[str]:
    """What in a pip-compile lock file could install MkDocs 2.x or a pre-release."""
    problems = []
    if re.search(r"^\s*--pre\b", text, re.MULTILINE):
        problems.append("the lock file allows pre-releases (--pre)")
    for name, version in _PINNED.findall(text):
        try:
            parsed = Version(version)
        except InvalidVersion:
            problems.append(f"{name}=={version} is not a valid version")
            continue
        if parsed.is_prerelease or parsed.is_devrelease:
            problems.append(f"{name}=={version} is a pre-release")
        if name.lower() == "mkdocs" and parsed.major >= 2:
            problems.append(f"mkdocs=={version}: MkDocs 2 has no plugins and refuses mkdocs.yml")
    return problems


def test_lock_checker_catches_mkdocs_2_and_pre_releases() -> None:
    bad = "mkdocs==2.0.0 \\\n    --hash=sha256:00\nproperdocs==1.7.0rc1 \\\njinja2==3.1.6\n"
    assert lock_problems(bad) == [
        "mkdocs==2.0.0: MkDocs 2 has no plugins and refuses mkdocs.yml",
        "properdocs==1.7.0rc1 is a pre-release",
    ]
    assert lock_problems("--pre\nmkdocs==1.6.1\n") == ["the lock file allows pre-releases (--pre)"]


def test_lock_files_never_resolve_mkdocs_2_or_a_pre_release() -> None:
    assert REPO / "requirements.lock" in LOCK_FILES
    for lock in LOCK_FILES:
        text = lock.read_text(encoding="utf-8")
        assert _PINNED.search(text), f"{lock.name} pins nothing"
        assert lock_problems(text) == [], lock.name


def test_pyproject_keeps_mkdocs_below_2() -> None:
    """Even a `pip-compile --upgrade` cannot reach MkDocs 2 or one of its pre-releases."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    mkdocs = [r for r in requirements if r.name == "mkdocs"]
    assert len(mkdocs) == 1
    for version in ("2.0.0", "2.0.0a1", "2.1", "1.7.0b1"):
        assert not mkdocs[0].specifier.contains(version, prereleases=True), version
    assert mkdocs[0].specifier.contains("1.6.1")
    assert any(r.name == "properdocs" for r in requirements), "ProperDocs is the second engine"


GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')


def engine_build(engine: str, site_dir: Path, project: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``ENGINE build --strict`` of ``project``, with the engine installed beside this Python."""
    command = BIN / engine
    if not command.is_file():
        pytest.fail(f"{engine} is not installed in {BIN}: run `make install` (it is in requirements.lock)")
    return subprocess.run([str(command), "build", "--strict", "--site-dir", str(site_dir)], cwd=project, env=ENV,
                          capture_output=True, text=True, timeout=900)


def site_differences(first: Path, second: Path) -> list[str]:
    """Files only in one site, or whose bytes differ beyond the ``generator`` meta tag."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(first), files(second)
    differences = [f"only in {first.name}: {name}" for name in sorted(a.keys() - b.keys())]
    differences += [f"only in {second.name}: {name}" for name in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        if GENERATOR_TAG.sub(b"", a[name].read_bytes()) != GENERATOR_TAG.sub(b"", b[name].read_bytes()):
            differences.append(f"differs: {name}")
    return differences


def test_site_differences_ignore_only_the_generator_tag(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for root, generator, body in ((one, "mkdocs-1.6.1", "a"), (two, "mkdocs-ProperDocs 1.6.7", "a")):
        (root / "x").mkdir(parents=True)
        (root / "x/index.html").write_text(f'<meta name="generator" content="{generator}">{body}')
    assert site_differences(one, two) == []
    (two / "x/index.html").write_text('<meta name="generator" content="mkdocs-ProperDocs 1.6.7">b')
    (two / "extra.css").write_text("")
    assert site_differences(one, two) == ["only in two: extra.css", "differs: x/index.html"]


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path: Path) -> None:
    """ProperDocs (the MkDocs 1.x fork) builds the project, plugin included, to the MkDocs site."""
    mkdocs_site, properdocs_site = tmp_path / "mkdocs", tmp_path / "properdocs"
    for engine, site in (("mkdocs", mkdocs_site), ("properdocs", properdocs_site)):
        run = engine_build(engine, site)
        assert run.returncode == 0, f"{engine}: {run.stderr}"
        assert "WARNING" not in run.stderr, f"{engine}: {run.stderr}"
    assert (properdocs_site / "organisations/csto/index.html").is_file()
    assert b"ProperDocs" in (properdocs_site / "index.html").read_bytes()
    assert site_differences(mkdocs_site, properdocs_site) == []


ZENSICAL_LOCK = REPO / "requirements-zensical.lock"
_RAW_RELATIVE_LINK = re.compile(r'<(?:a|link|img|script|source|iframe)\b[^>]*?\b(?:href|src)="(?![a-z][a-z0-9+.-]*:|#|/)')


def test_relative_links_in_raw_html_only_on_folder_index_pages() -> None:
    """Engines disagree on what a relative URL in raw HTML is relative to: MkDocs takes the page's
    URL, Zensical the page's source file. On ``x/index.md`` (URL ``x/``) the two are one folder."""
    from generator.pipeline import ProjectConfig, build

    result = build(ProjectConfig.for_project(REPO / "tests" / "fixtures" / "site", use_history=False))
    assert result.ok, result.diagnostics.report()
    pages = [path for path in result.files if path.endswith(".md")]
    assert "organisations/csto/index.md" in pages and "reference/fields.md" in pages
    texts = {path: str(result.files[path]) for path in pages}
    texts.update({f"docs/{p.relative_to(REPO / 'docs').as_posix()}": p.read_text(encoding="utf-8")
                  for p in (REPO / "docs").rglob("*.md")})  # the hand-written pages too
    offending = [path for path, text in texts.items() if not (path == "index.md" or path.endswith("/index.md"))
                 and _RAW_RELATIVE_LINK.search(text)]
    assert offending == []
    assert _RAW_RELATIVE_LINK.search(str(result.files["organisations/csto/index.md"])), "the check can match"


def test_pages_are_folder_indexes_and_links_name_them() -> None:
    from generator.render.renderer import PageContext
    from generator.schema.types import page_file

    assert [page_file(p) for p in ("organisations/csto.md", "chronology.md", "index.md", "sources/index.md",
                                   "reference/fields.md", "sources/x/x.bib")] == [
        "organisations/csto/index.md", "chronology/index.md", "index.md", "sources/index.md",
        "reference/fields.md", "sources/x/x.bib"]
    page = PageContext(path=page_file("glossary.md"), url="glossary/", site=None, citations=None)
    assert page.link_to_page("chronology.md", "c") == "[c](../chronology/index.md)"
    assert page.link_to_page("reference/fields.md", "f") == "[f](../reference/fields.md)"
    assert page.to_file("sources/x/x.bib") == "../sources/x/x.bib"
    assert page.html_link_to_page("organisations/csto.md", "o") == '<a href="../organisations/csto/">o</a>'
    assert page.html_link_to_page("reference/fields.md", "f") == '<a href="../reference/fields/">f</a>'


def test_link_checker_reports_links_that_climb_above_the_site_root(tmp_path: Path) -> None:
    from generator.diagnostics import Diagnostics
    from generator.publish.permalinks import check_site_links

    (tmp_path / "organisations/csto").mkdir(parents=True)
    (tmp_path / "sources/x").mkdir(parents=True)
    (tmp_path / "sources/x/index.html").write_text("")
    (tmp_path / "organisations/csto/index.html").write_text(
        '<a href="../../sources/x/">ok</a>\n<a href="../../../sources/x/">climbs</a>\n')
    diagnostics = Diagnostics()
    assert check_site_links(tmp_path, diagnostics, "site") == 2
    assert [str(d).splitlines()[0] for d in diagnostics.items] == [
        "site/organisations/csto/index.html:2:1: error[permalink.broken-link]: '../../../sources/x/' climbs above "
        "the site root: it reaches /sources/x/ only where the site is served at the root of its domain, not in an "
        "edition such as /v1.0/"]


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Zensical from ``.venv-zensical`` (``make zensical-site``), else installed from its lock file
    into a temporary environment; the test is skipped where it cannot be installed."""
    installed = REPO / ".venv-zensical" / "bin" / "zensical"
    if installed.is_file():
        return installed
    venv = tmp_path_factory.mktemp("zensical") / "venv"
    steps = ([sys.executable, "-m", "venv", str(venv)],
             [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--require-hashes", "--no-deps",
              "-r", str(ZENSICAL_LOCK)])
    for step in steps:
        run = subprocess.run(step, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            pytest.skip(f"Zensical cannot be installed here ({' '.join(step[-2:])}): "
                        f"{(run.stderr.strip().splitlines() or ['no message'])[-1]}")
    return venv / "bin" / "zensical"


def test_zensical_builds_the_generated_pages_with_every_link_working(zensical: Path, tmp_path: Path) -> None:
    """`python -m generator build --with-docs --out docs-generated` then `zensical build -f zensical.yml`
    (the README's recipe, in a copy of the project's configuration): every local link reaches a file."""
    from generator import cli
    from generator.diagnostics import Diagnostics
    from generator.publish.permalinks import check_site_links

    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "zensical.yml"):
        shutil.copy2(REPO / name, project / name)
    shutil.copytree(REPO / "overrides", project / "overrides")
    (project / "generator").symlink_to(REPO / "generator")  # what the API reference documents
    assert cli.main(["--root", str(REPO), "build", "--with-docs", "--out", str(project / "docs-generated")]) == 0
    run = subprocess.run([str(zensical), "build", "-f", "zensical.yml"], cwd=project, env=ENV,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    site = project / "site-zensical"
    assert 'content="zensical-' in (site / "index.html").read_text(encoding="utf-8")
    page = (site / "organisations/csto/index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/companion-timeline.css"' in page, "stylesheets come from mkdocs.yml"
    assert '<script type="application/ld+json">' in page, "overrides/main.html ran"
    for path in ("about/index.html", "chronology/index.html", "sources/troitskiy2020/troitskiy2020.bib",
                 "data/index.html", "reference/fields/index.html"):
        assert (site / path).is_file(), path
    assert 'id="generator.pipeline.build"' in (site / "reference/api/index.html").read_text(encoding="utf-8")
    diagnostics = Diagnostics()
    checked = check_site_links(site, diagnostics, "site-zensical")
    assert not diagnostics.items, diagnostics.report()
    assert checked > 10_000
    # Readers' URLs do not depend on the engine: every published permalink is served.
    urls = json.loads((REPO / "permalinks.json").read_text(encoding="utf-8"))["urls"]
    missing = [url for url in urls
               if not (site / url.lstrip("/") / ("index.html" if url.endswith("/") else "")).is_file()]
    assert len(urls) > 500 and missing == []


def test_mkdocs_build_stops_when_the_timeline_stylesheet_is_not_declared(tmp_path: Path) -> None:
    """The stylesheet must be in mkdocs.yml, where every engine reads it; the plugin only warns."""
    from test_site_build import copy_fixture, mkdocs_build

    project = copy_fixture(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "extra_css:\n  - assets/companion-timeline.css\n", ""), encoding="utf-8")
    run = mkdocs_build(project, tmp_path / "out")
    assert run.returncode != 0
    assert "mkdocs.yml: add 'assets/companion-timeline.css' to extra_css" in run.stderr
    assert "Traceback" not in run.stderr
