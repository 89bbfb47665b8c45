"""``python -m generator new <type> <id>``: the scaffold is derived from the declarations.

For every entry type: the new file names every declared field with its
documentation; unfilled, ``check`` reports each ``TODO`` as a ``scaffold.placeholder``
error (and nothing else); filled programmatically, ``check`` passes, both with only
the required fields and with every optional field uncommented too.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from generator import cli
from generator.schema.fields import (
    Bool, Cite, Date, Enum, FieldType, Lang, ListOf, Markdown, OneOrMany, Record, Ref, Slug, Text,
)
from generator.schema.scaffold import PLACEHOLDER, SCAFFOLD_CODES, find_placeholders, scaffold_text
from generator.schema.types import ENTRY_TYPES, TYPES_BY_NAME, EntryType

TESTS = Path(__file__).parent
REPO = TESTS.parent
NEW_IDS = {"country": "uzb"}
"""Ids for the new entries (countries need an ISO alpha-3 code)."""

BIB = """@book{smith2001,
  author    = {Smith, Jane},
  title     = {Regional Alliances},
  publisher = {Example Press},
  date      = {2001},
}
"""
ENTRIES = {
    "organisations/tso.yaml": "id: tso\nname: Test Security Organisation\nkind: alliance\n"
                              "summary: A test alliance.\nsources:\n  - key: smith2001\n",
    "organisations/tso-next.yaml": "id: tso-next\nname: Next Test Organisation\nkind: alliance\n"
                                   "summary: A test alliance.\nsources:\n  - key: smith2001\n",
    "countries/kaz.yaml": "id: kaz\nsummary: A test country.\nsources:\n  - key: smith2001\n",
    "concepts/balance.yaml": "id: balance\nname: Balancing\nsummary: A test concept.\ndefinition:\n"
                             "  text: Joining others against a stronger power.\n  sources: [{key: smith2001}]\n"
                             "sources:\n  - key: smith2001\n",
    "events/test-treaty.yaml": "id: test-treaty\nname: Test Treaty signed\nkind: treaty-signed\ndate:\n"
                               "  date: 1992-05-15\n  sources: [{key: smith2001}]\nsummary: A test event.\n"
                               "sources:\n  - key: smith2001\n",
}
EXISTING = {"organisation": "tso", "country": "kaz", "concept": "balance", "event": "test-treaty"}


def run_cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = cli.main(list(args))
    return status, err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "bibliography").mkdir(parents=True)
    (root / "bibliography" / "x.bib").write_text(BIB, encoding="utf-8")
    for name, text in ENTRIES.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert run_cli("--root", str(root), "check")[0] == 0
    return root


def example(field_type: FieldType, counter: Iterator[int]) -> str:
    """A valid YAML value for a placeholder of ``field_type`` in the test project."""
    if isinstance(field_type, Bool):
        return "true"
    if isinstance(field_type, Enum):
        return field_type.values[0]
    if isinstance(field_type, Date):
        return '"2001"'
    if isinstance(field_type, Cite):
        return "smith2001"
    if isinstance(field_type, Ref):
        wanted = field_type.types or ("concept",)
        if wanted == ("organisation",) and next(counter) % 2:
            return "tso-next"  # so that 'predecessors' and 'successors' name different organisations
        return next(EXISTING[t] for t in wanted if t in EXISTING)
    if isinstance(field_type, Slug):
        return f"former-id-{next(counter)}"
    if isinstance(field_type, Lang):
        return "ru"
    if isinstance(field_type, (Text, Markdown)):
        return '"Example text."'
    raise AssertionError(f"no example for {field_type!r}")


def placeholder_types(value: Any, field_type: FieldType) -> Iterator[FieldType]:
    """The declared type of every ``TODO`` in ``value``, in document order."""
    if isinstance(field_type, OneOrMany):
        if isinstance(value, list):
            field_type = ListOf(field_type.record)
        elif isinstance(value, dict):
            field_type = field_type.record
        else:
            field_type = field_type.shorthand
    if isinstance(field_type, Record):
        declared = {f.name: f.type for f in field_type.fields}
        for key, item in value.items():
            yield from placeholder_types(item, declared[key])
    elif isinstance(field_type, ListOf):
        for item in value:
            yield from placeholder_types(item, field_type.item)
    elif value == PLACEHOLDER:
        yield field_type


def fill(text: str, entry_type: EntryType) -> str:
    """Replace every live ``TODO`` with a valid value for its field."""
    data = yaml.safe_load(text)
    counter = iter(range(1, 1000))
    values = iter([example(t, counter) for t in placeholder_types(data, entry_type.record)])
    out = []
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            line = re.sub(r"(?<=[:-] )TODO\b", lambda _: next(values), line, count=1)
        out.append(line)
    assert next(values, None) is None, "a placeholder was not found in the text"
    return "\n".join(out) + "\n"


def uncomment_optional(text: str, entry_type: EntryType) -> str:
    """Uncomment every optional top-level field (one level of ``# ``), as a contributor would."""
    optional = {f.name for f in entry_type.fields if not f.required}
    out, inside = [], False
    for line in text.splitlines():
        match = re.match(r"# ([a-z_]+):", line)
        if match and match.group(1) in optional:
            inside = True
        elif not line.startswith("#  "):
            inside = False
        out.append(line[2:] if inside else line)
    return "\n".join(out) + "\n"


def new_id(entry_type: EntryType) -> str:
    return NEW_IDS.get(entry_type.name, f"new-{entry_type.name}")


@pytest.mark.parametrize("type_name", [t.name for t in ENTRY_TYPES])
def test_new_then_fill_then_check(type_name: str, project: Path) -> None:
    entry_type = TYPES_BY_NAME[type_name]
    entry_id = new_id(entry_type)
    status, output = run_cli("--root", str(project), "new", type_name, entry_id)
    assert status == 0, output
    path = project / "content" / entry_type.folder / f"{entry_id}.yaml"
    text = path.read_text(encoding="utf-8")

    status, output = run_cli("--root", str(project), "check")
    codes = re.findall(r"error\[([a-z.-]+)\]", output)
    placeholders = find_placeholders(text, "x.yaml")
    assert status == 1
    assert codes and set(codes) == {"scaffold.placeholder"}, output
    assert len(codes) == len(placeholders) == len(re.findall(r"^[ -]*(?:[a-z_]+: )?TODO\b", text, re.M))
    required = [f.name for f in entry_type.fields if f.required and f.name != "id"]
    for name in required:
        if re.search(rf"^{name}: TODO$", text, re.M):
            assert f"'{name}' is still the placeholder TODO" in output

    path.write_text(fill(text, entry_type), encoding="utf-8")
    status, output = run_cli("--root", str(project), "check")
    assert status == 0, output + path.read_text(encoding="utf-8")


@pytest.mark.parametrize("type_name", [t.name for t in ENTRY_TYPES])
def test_every_optional_field_uncommented_and_filled_passes(type_name: str, project: Path) -> None:
    entry_type = TYPES_BY_NAME[type_name]
    entry_id = new_id(entry_type)
    text = uncomment_optional(scaffold_text(entry_type, entry_id), entry_type)
    data = yaml.safe_load(text)
    assert set(data) == {f.name for f in entry_type.fields}
    path = project / "content" / entry_type.folder / f"{entry_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fill(text, entry_type), encoding="utf-8")
    status, output = run_cli("--root", str(project), "check")
    assert status == 0, output + path.read_text(encoding="utf-8")


@pytest.mark.parametrize("type_name", [t.name for t in ENTRY_TYPES])
def test_scaffold_documents_every_field(type_name: str) -> None:
    entry_type = TYPES_BY_NAME[type_name]
    text = scaffold_text(entry_type, new_id(entry_type))
    first = text.splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schemas/{type_name}.schema.json"
    schema = (REPO / "content" / entry_type.folder / first.split("=", 1)[1]).resolve()
    assert schema == REPO / "schemas" / f"{type_name}.schema.json"
    for field in entry_type.fields:
        state = "required" if field.required else "optional"
        live = "" if field.required else "# "
        assert re.search(rf"^{live}{field.name}:", text, re.M), field.name
        assert f"# {state} · " in text
        assert " ".join(field.doc.split()) in " ".join(line.lstrip("# ") for line in text.splitlines()), field.name


def test_scaffold_is_derived_not_written_by_hand() -> None:
    """A type declared in a test gets a scaffold too: nothing is specific to the real types."""
    from generator.schema.fields import Field
    toy = EntryType(name="toy", plural="Toys", folder="toys", url_prefix="toys", doc="A toy type.", fields=(
        Field("id", Slug(), "The id.", required=True),
        Field("colour", Enum(("red", "blue")), "Its colour.", required=True),
        Field("parts", ListOf(Record(name="part", fields=(Field("label", Text(), "A label.", required=True),)),
                              min_items=2), "Its parts.", required=True),
    ))
    text = scaffold_text(toy, "lego")
    assert "colour: TODO" in text and "one of: red, blue" in text
    assert text.count("  - label: TODO") == 2


@pytest.mark.parametrize("args, code", [
    (("country", "xyz"), "country.unknown-code"),
    (("country", "kz"), "country.unknown-code"),
    (("event", "Bad_Id"), "id.invalid"),
    (("concept", "index"), "url.collision"),
    (("concept", "tso"), "id.duplicate"),
    (("country", "kaz"), "scaffold.exists"),
    (("organisation", "old-tso"), "scaffold.former-id"),
])
def test_new_refuses(args: tuple[str, str], code: str, project: Path) -> None:
    tso = project / "content" / "organisations" / "tso.yaml"
    tso.write_text(tso.read_text(encoding="utf-8") + "aliases: [old-tso]\n", encoding="utf-8")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    status, output = run_cli("--root", str(project), "new", *args)
    assert status == 1
    assert re.match(rf"^content/[a-z]+/{re.escape(args[1])}\.yaml: error\[{re.escape(code)}\]: ", output), output
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_new_never_overwrites(project: Path) -> None:
    path = project / "content" / "countries" / "kaz.yaml"
    original = path.read_text(encoding="utf-8")
    assert run_cli("--root", str(project), "new", "country", "kaz")[0] == 1
    assert path.read_text(encoding="utf-8") == original


def test_unknown_type_is_a_usage_error(project: Path) -> None:
    with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(io.StringIO()):
        cli.main(["--root", str(project), "new", "treaty", "x"])
    assert exit_info.value.code == 2


def test_placeholder_diagnostic_points_at_the_value() -> None:
    text = "id: x\nname: TODO\nsources:\n  - key: TODO  # required · citation key: BibTeX key.\n# body: TODO\n"
    found = find_placeholders(text, "content/concepts/x.yaml")
    assert [str(d).splitlines()[0] for d in found] == [
        "content/concepts/x.yaml:2:7: error[scaffold.placeholder]: 'name' is still the placeholder TODO",
        "content/concepts/x.yaml:4:10: error[scaffold.placeholder]: 'key' is still the placeholder TODO",
    ]
    assert found[1].hint == "required · citation key: BibTeX key."


def test_codes_are_documented() -> None:
    for code, text in SCAFFOLD_CODES.items():
        assert code.startswith("scaffold.") and text.endswith(".")


def test_committed_schemas_match_the_declarations() -> None:
    status, output = run_cli("--root", str(REPO), "schemas", "--out", "schemas", "--check")
    assert status == 0, output + "\nrun `python -m generator schemas --out schemas/`"
    committed = sorted(p.name for p in (REPO / "schemas").glob("*.schema.json"))
    assert committed == sorted(f"{t.name}.schema.json" for t in ENTRY_TYPES)
    for t in ENTRY_TYPES:
        json.loads((REPO / "schemas" / f"{t.name}.schema.json").read_text(encoding="utf-8"))


def test_schemas_check_reports_an_outdated_copy(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    assert run_cli("--root", str(tmp_path), "schemas", "--out", str(out))[0] == 0
    (out / "event.schema.json").write_text("{}\n", encoding="utf-8")
    status, output = run_cli("--root", str(tmp_path), "schemas", "--out", str(out), "--check")
    assert status == 1 and "error[scaffold.schema-outdated]" in output and "event.schema.json" in output
