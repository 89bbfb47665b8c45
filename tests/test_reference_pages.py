"""The Diagnostics and Field reference pages show codes and field names as real code.

A contributor copies ``alias.collision`` from an error and searches the page for it:
the code span must hold those characters, not ``alias&#46;collision``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest

from generator.diagnostics.codes import CODES
from generator.pipeline import ProjectConfig, build
from generator.schema.types import ENTRY_TYPES

CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("reference") / "project"
    shutil.copytree(CASES / "valid-minimal", root, ignore=shutil.ignore_patterns("expected.txt"))
    result = build(ProjectConfig.for_project(root, format_citations=False))
    assert result.ok, result.diagnostics.report()
    return {name: result.files[name].decode("utf-8") if isinstance(result.files[name], bytes) else result.files[name]
            for name in ("reference/diagnostics.md", "reference/fields.md")}


def code_spans(markdown_text: str) -> list[str]:
    """The text of every <code> element once the page is rendered (with tables, as MkDocs does)."""
    html = markdown.markdown(markdown_text.split("---", 2)[2], extensions=["tables"])
    return [re.sub(r"&(amp|lt|gt|quot);", lambda m: {"amp": "&", "lt": "<", "gt": ">", "quot": '"'}[m.group(1)], s)
            for s in re.findall(r"<code>(.*?)</code>", html)]


def test_every_diagnostic_code_is_shown_as_typed(pages: dict[str, str]) -> None:
    spans = code_spans(pages["reference/diagnostics.md"])
    for code in CODES:
        assert code in spans, code
    assert not [s for s in spans if "&#" in s]


def test_every_field_name_is_shown_as_typed(pages: dict[str, str]) -> None:
    spans = code_spans(pages["reference/fields.md"])
    names = {f.name for t in ENTRY_TYPES for f in t.fields}
    assert "other_names" in names or any("_" in n for n in names)
    for name in names:
        assert name in spans, name
    assert not [s for s in spans if "&#" in s]
    assert "content/organisations/<id>.yaml" in spans
