"""Scenario folders: each `tests/cases/<name>/` is a tiny project and its exact diagnostics.

A scenario holds ``content/``, ``bibliography/`` and ``expected.txt``: what
``python -m generator --root <scenario> check`` prints (every diagnostic with its
hint, then the summary line; ``ok: no problems found`` when there is nothing).
The exit status follows from it: 1 when the summary counts an error, else 0.
Scenarios named ``valid*`` report nothing, ``warn*`` only warnings, every other one
exactly one error.

Inputs that should not be committed as files (a NUL byte, invalid UTF-8, a
byte-order mark, a 600 kB file, two names differing only in case) are described in
the scenario's ``recipe.json`` and written by the test::

    {"about": "why", "files": [{"path": "content/...", "parts": [["escaped text", times], ...]}]}

Each part's text is decoded with Python escapes (``\\x00``, ``\\xef\\xbb\\xbf``) into
bytes and written ``times`` times.

A file given as ``{"path": ..., "symlink": "target"}`` is a symbolic link to
``target`` (relative to the link's folder). A ``path`` starting with ``../`` is
written outside the scenario's project folder: a place links can lead out to.

Every scenario is copied to a temporary folder first, so that no run writes into
the repository. Set ``UPDATE_EXPECTED=1`` to rewrite the ``expected.txt`` files
from the current output (then review the diff by eye).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli
from generator.pipeline import ProjectConfig, build

CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).parent.parent
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"
SCENARIOS = sorted(p.name for p in CASES.iterdir() if (p / "expected.txt").is_file() or (UPDATE and p.is_dir()))
KNOWN_BUGS: dict[str, str] = {}
"""Scenarios whose expected.txt states the intended output that the generator does not give yet."""
SEVERAL_ERRORS: dict[str, str] = {
    "id-duplicate-across-types": "the clash is reported on each file that claims the id",
    "id-duplicate-new-organisation-beside-country": "the clash is reported on each file that claims the id",
    "id-duplicate-new-file-with-its-own-error": "the new file's own error does not hide the clash",
    "field-error-keeps-link-and-citation-errors": "a field error does not hide the file's other problems",
    "field-errors-in-several-files": "every file's problems are reported in one run",
    "id-reserved-keeps-link-errors": "an entry left out for its id still has its links checked",
    "membership-error-beside-impossible-membership": "a broken membership does not hide another one's dates",
    "types-several-problems": "every problem of the types file is reported in one run",
}
"""Scenarios that are meant to report more than one error, and why."""


def materialise(name: str, target: Path) -> Path:
    """Copy scenario ``name`` to ``target`` and write the files its recipe describes."""
    source = CASES / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("expected.txt", "recipe.json"))
    recipe_path = source / "recipe.json"
    if recipe_path.is_file():
        recipe = json.loads(recipe_path.read_text(encoding="utf-8"))
        for spec in recipe["files"]:
            if "symlink" in spec:
                link = target / spec["path"]
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(spec["symlink"])
                continue
            data = b"".join(codecs.escape_decode(text.encode("utf-8"))[0] * times for text, times in spec["parts"])
            path = target / spec["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    (target / "content").mkdir(exist_ok=True)  # git keeps no empty folders
    return target


def run_check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """What `python -m generator --root ROOT check` prints to stderr, and its exit status."""
    status = cli.main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    assert captured.out == ""
    return status, captured.err


def expected_status(expected: str) -> int:
    summary = expected.strip().splitlines()[-1]
    match = re.fullmatch(r"(\d+) errors?, (\d+) warnings?", summary)
    return 1 if match and int(match.group(1)) > 0 else 0


def test_there_are_enough_scenarios() -> None:
    invalid = [name for name in SCENARIOS if not name.startswith("valid")]
    assert "valid-minimal" in SCENARIOS
    assert len(invalid) >= 45


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True)) if name in KNOWN_BUGS else name
    for name in SCENARIOS
])
def test_scenario(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = materialise(name, tmp_path / name)
    status, output = run_check(root, capsys)
    expected_file = CASES / name / "expected.txt"
    if UPDATE and name not in KNOWN_BUGS:
        expected_file.write_text(output, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")

    assert "Traceback" not in output
    assert output == expected
    assert status == expected_status(expected)
    # The second run takes every file's outcome from the entry cache: same diagnostics.
    assert run_check(root, capsys) == (status, output)
    if name.startswith("valid"):
        assert output == "ok: no problems found\n"
    elif name.startswith("warn"):
        # Warnings only: the run succeeds and reports no error.
        assert status == 0
        assert not re.findall(r"^\S.*: error\[", output, flags=re.M), output
        assert re.findall(r"^\S.*: warning\[", output, flags=re.M), output
    else:
        # One problem per scenario: exactly one error (unless listed above), and the run fails.
        assert status == 1
        errors = len(re.findall(r"^\S.*: error\[", output, flags=re.M))
        assert errors > 1 if name in SEVERAL_ERRORS else errors == 1, output


@pytest.mark.parametrize("name", [n for n in SCENARIOS if not n.startswith(("valid", "warn"))])
def test_no_partial_site_when_there_is_an_error(name: str, tmp_path: Path) -> None:
    root = materialise(name, tmp_path / name)
    result = build(ProjectConfig.for_project(root))
    assert result.diagnostics.errors
    assert result.files == {}
    assert not result.ok


def test_valid_minimal_builds_every_page(tmp_path: Path) -> None:
    root = materialise("valid-minimal", tmp_path / "valid-minimal")
    result = build(ProjectConfig.for_project(root, format_citations=False))
    assert result.ok, result.diagnostics.report()
    for page in ("organisations/tso/index.md", "events/test-treaty/index.md", "concepts/balance/index.md",
                 "countries/kaz/index.md", "disagreements/tso-founding-year/index.md"):
        assert page in result.files


@pytest.mark.parametrize("name", ["valid-minimal", "yaml-tag-python-object"])
def test_command_line_end_to_end(name: str, tmp_path: Path) -> None:
    """The real command, in a fresh interpreter: same output, right status, no traceback."""
    root = materialise(name, tmp_path / name)
    process = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "check"],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    expected = (CASES / name / "expected.txt").read_text(encoding="utf-8")
    assert process.stderr == expected
    assert process.returncode == expected_status(expected)
    assert process.stdout == ""
