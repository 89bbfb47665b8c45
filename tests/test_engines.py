"""The site builds on more than one engine: MkDocs 1.x (the default), ProperDocs, Zensical.

- The lock files can never install MkDocs 2.x (no plugin system, refuses ``mkdocs.yml``) or
  any pre-release.
- ProperDocs, the fork of MkDocs 1.x, builds the project to the same files as MkDocs,
  byte for byte except the ``generator`` meta tag.
- Zensical builds ``python -m generator build --out`` (see the README's "Engines") to a site
  whose local links all resolve, by the project's own link checker.
"""

from __future__ import annotations

import os
import re
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
