"""Two builds of the same commit are byte-identical, whatever the hash seed, time zone, locale or listing order."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def copy_project(target: Path, reverse: bool) -> Path:
    """A copy of the project whose content files are created in the given order."""
    target.mkdir()
    for name in ("mkdocs.yml", "types.yaml", "docs", "overrides", "bibliography"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / name)
    files = sorted((REPO / "content").rglob("*.yaml"), reverse=reverse)
    for file in files:
        dest = target / file.relative_to(REPO)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, dest)
    return target


def build(project: Path, out: Path, env_changes: dict[str, str]) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "SOURCE_DATE_EPOCH": "1764000000", **env_changes}
    run = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out)], cwd=project, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "a", reverse=False)
    second = copy_project(tmp_path / "b", reverse=True)
    build(first, tmp_path / "site-a", {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"})
    build(second, tmp_path / "site-b", {"PYTHONHASHSEED": "4242", "TZ": "Asia/Almaty", "LC_ALL": "C"})
    a, b = tree_digest(tmp_path / "site-a"), tree_digest(tmp_path / "site-b")
    assert a.keys() == b.keys()
    differing = sorted(k for k in a if a[k] != b[k])
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
