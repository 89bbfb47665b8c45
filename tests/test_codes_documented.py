"""Every diagnostic code is documented, every documented code exists, every field has a doc."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import generator
from generator.diagnostics.codes import CODES
from generator.schema.fields import Field, records_in
from generator.schema.types import ENTRY_TYPES

SOURCE_ROOT = Path(generator.__file__).parent
SOURCES = sorted(p for p in SOURCE_ROOT.rglob("*.py") if "node_modules" not in p.parts)
CODE_SHAPE = re.compile(r"^[a-z]+\.[a-z]+(-[a-z]+)*$")
REPORTING_CALLS = {"error", "warning", "Diagnostic", "_fail"}
"""Functions whose first argument (or ``code=``) is a diagnostic code."""


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def emitted_codes() -> dict[str, list[str]]:
    """Code -> the places (file:line) that report it with a literal code."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        if path.name == "codes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _call_name(node) not in REPORTING_CALLS:
                continue
            arguments = node.args[:1] + [k.value for k in node.keywords if k.arg == "code"]
            for argument in arguments:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    place = f"{path.relative_to(SOURCE_ROOT.parent)}:{node.lineno}"
                    found.setdefault(argument.value, []).append(place)
    return found


def string_constants() -> set[str]:
    """Every string literal in the generator except the code table itself."""
    strings: set[str] = set()
    for path in SOURCES:
        if path.name != "codes.py":
            strings |= {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return strings


def test_the_scan_finds_the_reporting_calls() -> None:
    emitted = emitted_codes()
    # One code from each layer, so a change in how codes are passed cannot make this test vacuous.
    for code in ("yaml.tag", "schema.unknown-field", "id.file-name", "ref.unknown", "bib.syntax", "cite.engine"):
        assert code in emitted, code
    assert len(emitted) > 40


def test_every_emitted_code_is_documented() -> None:
    undocumented = {code: places for code, places in emitted_codes().items() if code not in CODES}
    assert not undocumented, f"add these to generator/diagnostics/codes.py: {undocumented}"


def test_every_emitted_code_has_the_shape_of_a_code() -> None:
    assert all(CODE_SHAPE.match(code) for code in emitted_codes()), emitted_codes().keys()


def test_every_documented_code_is_emitted_somewhere() -> None:
    strings = string_constants()
    unused = sorted(code for code in CODES if code not in strings)
    assert not unused, f"documented in generator/diagnostics/codes.py but never emitted: {unused}"


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_has_a_sentence(code: str) -> None:
    assert CODE_SHAPE.match(code)
    text = CODES[code].strip()
    assert text, code
    assert text.endswith((".", ")")), code


def _all_fields() -> list[tuple[str, Field]]:
    fields = [(f"{t.name}.{f.name}", f) for t in ENTRY_TYPES for f in t.fields]
    for record in records_in([f.type for t in ENTRY_TYPES for f in t.fields]):
        fields += [(f"{record.name}.{f.name}", f) for f in record.fields]
    return fields


@pytest.mark.parametrize(("where", "declared"), _all_fields(), ids=[w for w, _ in _all_fields()])
def test_every_declared_field_has_a_doc(where: str, declared: Field) -> None:
    assert declared.doc.strip(), f"{where} has no documentation"


def test_nested_records_are_covered() -> None:
    names = {w.split(".")[0] for w, _ in _all_fields()}
    assert {"source", "name", "membership", "status change", "dated fact", "position", "definition"} <= names


@pytest.mark.parametrize("entry_type", ENTRY_TYPES, ids=[t.name for t in ENTRY_TYPES])
def test_every_type_has_a_doc(entry_type: object) -> None:
    assert entry_type.doc.strip()  # type: ignore[attr-defined]


def test_documented_limits_match_the_code() -> None:
    """The limits table in the content format guide states the limits the code enforces."""
    import generator.bibliography as bib
    import generator.bibliography.latex as latex
    import generator.bibliography.macros as macros
    import generator.schema.fields as fields
    import generator.load.loader as loader
    import generator.load.yamlload as yamlload

    doc = (Path(__file__).resolve().parent.parent / "docs/contributing/content-format.md").read_text()
    assert f"| {yamlload.MAX_FILE_BYTES // 1024} KiB |" in doc
    assert f"| {yamlload.MAX_NODES:,} |" in doc
    assert f"| {yamlload.MAX_DEPTH} levels |" in doc
    assert f"| {fields.MAX_TEXT:,} characters" in doc
    assert f"| {fields.MAX_PROSE:,} characters |" in doc
    assert f"| {loader.MAX_ENTRIES:,} |" in doc
    assert f"| {bib.MAX_FILE_BYTES // 1_000_000} MB |" in doc
    assert f"| {bib.MAX_FIELD_CHARS:,} characters |" in doc
    assert f"| nesting of braces in one BibTeX field | {latex.MAX_NESTING} levels |" in doc
    assert f"| {macros.MAX_MACRO_DEPTH} levels | `bib.macro-too-deep` |" in doc
    assert f"| one `@string` macro, expanded | {bib.MAX_FIELD_CHARS:,} characters |" in doc
    assert f"| {macros.MAX_TOTAL_EXPANSION:,} characters | `bib.macro-too-long` |" in doc


def _reports_without_a_hint() -> list[str]:
    """Reporting calls with a literal code that pass no hint, or a literal ``None``."""
    missing = []
    for path in SOURCES:
        if path.name == "codes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _call_name(node) not in REPORTING_CALLS:
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
                continue
            position = 4 if _call_name(node) == "Diagnostic" else 3
            hint = node.args[position] if len(node.args) > position else next(
                (k.value for k in node.keywords if k.arg == "hint"), None)
            if hint is None or (isinstance(hint, ast.Constant) and hint.value is None):
                missing.append(f"{path.relative_to(SOURCE_ROOT.parent)}:{node.lineno} {node.args[0].value}")
    return missing


def test_every_report_gives_a_hint() -> None:
    assert _reports_without_a_hint() == []
