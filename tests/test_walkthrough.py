"""CONTRIBUTING.md's "A first contribution, step by step", run exactly as written.

The section is a sequence of fenced blocks:

* ``sh``: commands, run one by one from the project root with bash;
* ``yaml`` / ``bibtex`` whose first line is ``# save as PATH`` / ``% save as PATH``:
  the rest of the block is written to PATH, as a contributor saves it in an editor;
* ``text``: exactly what the commands of the ``sh`` block before it print (stdout and
  stderr together); ``[...]`` stands for any text within a line.

Every command must succeed, except the last command of a block whose output shows an
``error[``: that one must fail with status 1. The project is a scratch copy of this
checkout (a fresh Git repository on ``main``), so nothing here touches the checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SECTION = "## A first contribution, step by step"


def walkthrough_blocks() -> list[tuple[str, str]]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start:end if end != -1 else None]
    return re.findall(r"^```(\w+)\n(.*?)^```$", section, flags=re.M | re.S)


def scratch_project(target: Path) -> Path:
    """A copy of the checkout's tracked files (as they are now), with the shared installs linked in."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    venv = REPO / ".venv"
    if not (venv / "bin" / "python").exists():
        pytest.fail("no .venv in the checkout: run `make install`")
    (target / ".venv").symlink_to(venv.resolve())
    modules = REPO / "generator" / "citeproc" / "node_modules"
    if modules.exists():
        (target / "generator" / "citeproc" / "node_modules").symlink_to(modules.resolve())
    if (REPO / ".cache").is_dir():  # keyed by their inputs, so a copy only saves time
        shutil.copytree(REPO / ".cache", target / ".cache", symlinks=False, ignore_dangling_symlinks=True)
    for command in (["git", "init", "-q", "-b", "main"], ["git", "config", "user.name", "Practice"],
                    ["git", "config", "user.email", "practice@example.org"], ["git", "add", "-A"],
                    ["git", "commit", "-q", "-m", "The project"]):
        subprocess.run(command, cwd=target, check=True, capture_output=True)
    return target


def matches(expected: str, output: str) -> bool:
    pattern = "\n".join(".*?".join(map(re.escape, line.split("[...]"))) for line in expected.splitlines())
    return re.fullmatch(pattern, output.rstrip("\n")) is not None


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    blocks = walkthrough_blocks()
    kinds = [kind for kind, _ in blocks]
    assert kinds.count("sh") >= 8 and kinds.count("text") >= 6 and "bibtex" in kinds
    project = scratch_project(tmp_path / "project")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    env.pop("PYTHONPATH", None)  # the scratch copy's own generator/ is found from its root
    last: list[tuple[str, int]] = []
    output = ""
    for number, (kind, body) in enumerate(blocks, start=1):
        where = f"block {number} ({kind})"
        if kind == "sh":
            last, output = [], ""
            for command in filter(None, (line.strip() for line in body.splitlines())):
                done = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True,
                                      text=True, timeout=900)
                last.append((command, done.returncode))
                output += done.stdout + done.stderr
            failing = [(c, s) for c, s in last[:-1] if s != 0]
            assert not failing, f"{where}: {failing}\n{output}"
        elif kind in ("yaml", "bibtex"):
            first, _, content = body.partition("\n")
            match = re.fullmatch(r"[#%] save as (\S+)", first)
            assert match, f"{where} does not say where to save it: {first!r}"
            path = project / match.group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        elif kind == "text":
            assert last, f"{where} follows no commands"
            assert matches(body, output), f"{where}: expected\n{body}\ngot\n{output}"
            expected_status = 1 if "error[" in body else 0
            assert last[-1][1] == expected_status, f"{where}: {last[-1]}\n{output}"
            last = [(c, 0) for c, _ in last]  # checked
            continue
        else:
            pytest.fail(f"{where}: unknown block kind")
        if kind == "sh" and last and last[-1][1] != 0:
            # A failing last command must be explained by the text block that follows.
            following = blocks[number][0] if number < len(blocks) else None
            assert following == "text", f"{where}: {last[-1]} failed\n{output}"
    # The practice branch is gone and nothing was left behind on main.
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True).stdout
    assert status == "", status
    branches = subprocess.run(["git", "branch", "--list"], cwd=project, capture_output=True, text=True).stdout
    assert branches.split() == ["*", "main"]
