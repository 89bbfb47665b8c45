"""The JSON Schemas for editors agree with the content and with the checker.

With the ``jsonschema`` library (Draft 2020-12), as a YAML language server would use
the committed ``schemas/<type>.schema.json``:

- every schema is itself a valid Draft 2020-12 schema;
- every committed entry in ``content/`` validates against its type's schema;
- the structurally invalid scenarios of ``tests/cases/`` (an unknown or missing
  field, a wrong type, a value outside an enum...) are rejected by it.

Files are read with ``yaml.safe_load``. It turns ``2002-10-06`` into a date object,
which JSON does not have; editors read YAML 1.2, where it stays a string, so dates
are turned back into their ISO text before validation.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.schema.fields import Date
from generator.schema.types import ENTRY_TYPES, TYPES_BY_FOLDER

REPO = Path(__file__).parent.parent
SCHEMAS = REPO / "schemas"
CASES = Path(__file__).parent / "cases"
STRUCTURAL = {
    "schema.unknown-field", "schema.missing-field", "schema.type", "schema.enum", "schema.lang", "schema.too-few",
    "schema.empty", "id.invalid",
}
"""Codes for problems a JSON Schema can express (shape, names, enums, patterns)."""
NOT_STRUCTURAL_FOR_SCHEMAS: dict[str, str] = {}
"""Scenarios with a structural code that a JSON Schema cannot catch, and why."""

DATE_SCHEMA_ACCEPTS_YEARS = Draft202012Validator(Date().json_schema()).is_valid(2004)
YEARS_REASON = ("fields.Date.json_schema() accepts only strings, but a bare year (`from: 2004`, allowed by the "
                "checker) is an integer for every YAML reader, so editors flag it; the Date schema should also "
                "accept {'type': 'integer'}")


def as_json(value: Any) -> Any:
    """``yaml.safe_load`` output as an editor's YAML 1.2 reader sees it (dates stay text)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def years_as_text(value: Any) -> Any:
    """Bare integers as text (what the Date schema currently expects for a year)."""
    if isinstance(value, dict):
        return {k: years_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [years_as_text(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def validator(type_name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{type_name}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def entry_files() -> list[Path]:
    return sorted((REPO / "content").glob("*/*.yaml"))


@pytest.mark.parametrize("type_name", [t.name for t in ENTRY_TYPES])
def test_schema_is_valid_draft_2020_12(type_name: str) -> None:
    schema = json.loads((SCHEMAS / f"{type_name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _errors(path: Path, convert=lambda v: v) -> list[str]:
    entry_type = TYPES_BY_FOLDER[path.parent.name]
    data = convert(as_json(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return [f"{path.relative_to(REPO)}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator(entry_type.name).iter_errors(data)]


def test_every_committed_entry_validates_with_years_as_text() -> None:
    files = entry_files()
    assert files, "no entries in content/"
    problems = [problem for path in files for problem in _errors(path, years_as_text)]
    assert not problems, "\n".join(problems[:30])


@pytest.mark.xfail(not DATE_SCHEMA_ACCEPTS_YEARS, reason=YEARS_REASON, strict=True)
def test_every_committed_entry_validates_as_written() -> None:
    problems = [problem for path in entry_files() for problem in _errors(path)]
    assert not problems, "\n".join(problems[:30])


def structural_cases() -> list[tuple[str, str]]:
    """(scenario, file) for every tests/cases scenario whose only errors are structural."""
    found = []
    for case in sorted(CASES.iterdir()) if CASES.is_dir() else []:
        expected = case / "expected.txt"
        if not expected.is_file() or case.name in NOT_STRUCTURAL_FOR_SCHEMAS:
            continue
        errors = re.findall(r"^(content/[^:]+\.yaml):\d+:\d+: error\[([a-z.-]+)\]", expected.read_text("utf-8"), re.M)
        if errors and all(code in STRUCTURAL for _, code in errors):
            found.extend(sorted({(case.name, path) for path, _ in errors}))
    return found


STRUCTURAL_CASES = structural_cases()


def test_structural_cases_are_found() -> None:
    names = {name for name, _ in STRUCTURAL_CASES}
    assert {"schema-unknown-field", "schema-missing-field", "schema-text-expected", "schema-enum"} <= names


@pytest.mark.parametrize("case, path", STRUCTURAL_CASES, ids=[f"{c}" for c, _ in STRUCTURAL_CASES])
def test_structurally_invalid_case_is_rejected(case: str, path: str) -> None:
    file = CASES / case / path
    data = as_json(yaml.safe_load(file.read_text(encoding="utf-8")))
    entry_type = TYPES_BY_FOLDER[file.parent.name]
    assert not validator(entry_type.name).is_valid(data), f"{case}: the {entry_type.name} schema accepts {path}"


def test_valid_minimal_case_validates() -> None:
    folder = CASES / "valid-minimal" / "content"
    if not folder.is_dir():
        pytest.skip("tests/cases/valid-minimal is not there")
    for file in sorted(folder.glob("*/*.yaml")):
        data = years_as_text(as_json(yaml.safe_load(file.read_text(encoding="utf-8"))))
        errors = [e.message for e in validator(TYPES_BY_FOLDER[file.parent.name].name).iter_errors(data)]
        assert not errors, f"{file}: {errors}"
