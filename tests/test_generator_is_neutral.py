"""The generator knows nothing of this companion's subject: that lives in the site's own files.

Names of the three texts' authors and the word "Eurasia" may appear in ``generator/`` only as
documentation examples (docstrings and comments of Python modules, README files); never in code, templates,
stylesheets, scripts or package metadata.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "generator"
SUBJECT = re.compile(r"eurasia|molchanov|lukyanov|troitskiy", re.IGNORECASE)
SKIPPED_FOLDERS = {"node_modules", "__pycache__", "locales", "styles"}
"""Third-party files shipped with the package (npm modules, CSL styles and locales)."""


def _documentation_lines(source: str) -> set[int]:
    """Line numbers of docstrings and comments in a Python module."""
    lines: set[int] = set()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
        # An attribute's docstring: a bare string right after an assignment.
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                for before, after in zip(block, block[1:]):
                    if isinstance(before, (ast.Assign, ast.AnnAssign)) and isinstance(after, ast.Expr) \
                            and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
                        lines.update(range(after.lineno, after.end_lineno + 1))
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            lines.add(token.start[0])
    return lines


def _generator_files() -> list[Path]:
    return [path for path in sorted(GENERATOR.rglob("*"))
            if path.is_file() and not SKIPPED_FOLDERS.intersection(path.relative_to(GENERATOR).parts)]


def test_subject_appears_in_the_generator_only_as_documentation_examples() -> None:
    found = []
    for path in _generator_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix == ".md":  # a README of the package: documentation
            continue
        allowed = _documentation_lines(text) if path.suffix == ".py" else set()
        for number, line in enumerate(text.splitlines(), start=1):
            if SUBJECT.search(line) and number not in allowed:
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, "subject-specific text in generator/ (move it into the site's files):\n" + "\n".join(found)


def test_the_check_sees_subject_text_in_code() -> None:
    """The scan above is not blind: the same text in code or a template is caught."""
    source = 'SITE = "Eurasian companion"\n'
    assert SUBJECT.search(source) and 1 not in _documentation_lines(source)
    assert 1 in _documentation_lines('"""A Troitskiy 2020-style label."""\n')


def test_package_has_a_neutral_name_and_a_command() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not SUBJECT.search(project["name"]) and not SUBJECT.search(project["description"])
    assert project["scripts"]["companion"] == "generator.cli:main"
    assert project["entry-points"]["mkdocs.plugins"]["companion"] == "generator.mkdocs_plugin:CompanionPlugin"
