"""Types declared as data: the default declaration, extending it, the kind registry, caches.

The types file's diagnostics are tested as scenario folders (``tests/cases/types-*``);
this module tests what a scenario cannot show.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.load.entry_cache import EntryCache
from generator.load.linker import link
from generator.load.loader import Entry, load_entries, load_entry
from generator.pipeline import ProjectConfig, build
from generator.schema import records
from generator.schema.declare import DEFAULT_FILE, GENERATED_PAGES, load_schema, read_schema
from generator.schema.fields import ListOf, Record, Ref, Relation, Text
from generator.schema.kinds import KINDS
from generator.schema.types import default_schema
from generator.schema.validators import NAME_SOURCES, VALIDATORS

REPO = Path(__file__).parent.parent
CASES = Path(__file__).parent / "cases"
SOURCES = 'sources: [{key: smith2001, locator: "1"}]\n'


def schema_of(text: str) -> tuple[object, list[str]]:
    diagnostics = Diagnostics()
    schema = read_schema(text.encode(), "types.yaml", diagnostics)
    return schema, [str(d).splitlines()[0] for d in diagnostics]


def test_default_types_are_the_six_with_their_places() -> None:
    schema = default_schema()
    assert [(t.name, t.folder, t.url_prefix, t.plural) for t in schema.types] == [
        ("organisation", "organisations", "organisations", "Organisations"),
        ("event", "events", "events", "Events"),
        ("concept", "concepts", "concepts", "Concepts"),
        ("country", "countries", "countries", "Countries"),
        ("disagreement", "disagreements", "disagreements", "Disagreements"),
        ("guide", "guides", "guides", "Reading guides"),
    ]
    assert schema.by_folder["countries"].derive_name is NAME_SOURCES["iso3166-country"]
    members = schema.by_name["organisation"].fields[-1]
    assert isinstance(members.type, Relation) and members.type.record.name == "membership"
    assert members.type.roles == schema.enums["membership-role"]
    parent = next(f for f in schema.by_name["organisation"].fields if f.name == "parent")
    assert (parent.inverse, parent.acyclic) == ("parts", True)


def test_declared_shared_records_equal_the_ones_relations_build_on() -> None:
    """A relation builds its record from generator.schema.records: the YAML declarations must not drift."""
    declared = default_schema().records
    assert declared["source"] == records.SOURCE
    assert declared["dated-fact"] == records.DATED_FACT
    assert declared["status-change"] == records.STATUS_CHANGE


def test_extending_adds_and_replaces_in_place() -> None:
    schema, problems = schema_of(
        "extends: default\n"
        "types:\n"
        "  concept:\n    plural: Terms\n    folder: terms\n    doc: \"A term.\"\n    include: common\n"
        "  person:\n    plural: People\n    folder: people\n    doc: \"A person.\"\n    include: common\n"
        "    omit: [abbreviations]\n"
        "    fields:\n      name: {kind: text, max_length: 80, single_line: true, required: true, doc: \"The name.\"}\n")
    assert problems == []
    assert [t.name for t in schema.types] == ["organisation", "event", "concept", "country", "disagreement", "guide",
                                              "person"]
    assert schema.by_name["concept"].folder == "terms" and schema.by_name["concept"].url_prefix == "terms"
    person = schema.by_name["person"]
    names = [f.name for f in person.fields]
    assert "abbreviations" not in names and names.index("name") == 1  # replaced where the field set has it
    assert person.fields[1].type == Text(max_length=80, single_line=True)
    assert person.templates == ["entry/person.md.jinja", "entry/generic.md.jinja"]


def test_a_file_without_extends_declares_only_its_own_types() -> None:
    schema, problems = schema_of(
        "records:\n  source:\n    fields:\n      key: {kind: cite, required: true, doc: \"The key.\"}\n"
        "types:\n  place:\n    plural: Places\n    folder: places\n    doc: \"A place.\"\n"
        "    fields:\n      id: {kind: slug, required: true, doc: \"The id.\"}\n"
        "      name: {kind: text, required: true, doc: \"The name.\"}\n"
        "      sources: {kind: sources, required: true, doc: \"Sources.\"}\n"
        "      near: {kind: list, of: {kind: ref, to: place}, inverse: near_of, acyclic: true, doc: \"Near.\"}\n")
    assert problems == []
    assert [t.name for t in schema.types] == ["place"]
    near = schema.by_name["place"].fields[-1]
    assert near.type == ListOf(Ref(("place",))) and near.inverse == "near_of" and near.acyclic


def test_a_site_must_declare_some_type() -> None:
    assert schema_of("enums:\n  x: [a]\n")[1] == [
        "types.yaml:1:1: error[types.no-types]: no entry type is declared"]


def test_every_kind_parameter_and_validator_is_documented() -> None:
    for kind in KINDS.values():
        assert kind.doc.strip().endswith("."), kind.name
        for name, param in kind.params.items():
            assert param.doc.strip().endswith((".", ")")), (kind.name, name)
    for validator in VALIDATORS.values():
        assert validator.doc.strip() and validator.codes
    assert {"text", "markdown", "slug", "lang", "bool", "enum", "date", "dated", "date-alternatives", "ref", "cite",
            "list", "record", "names", "sources", "relation"} <= set(KINDS)


def test_generated_pages_are_not_entry_prefixes() -> None:
    assert not GENERATED_PAGES & default_schema().url_prefixes
    for page in ("chronology", "glossary", "sources", "data", "timeline", "editions", "reference"):
        assert page in GENERATED_PAGES


def test_field_reference_describes_every_kind_from_the_registry(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(CASES / "valid-types-person", root, ignore=shutil.ignore_patterns("expected.txt"))
    result = build(ProjectConfig.for_project(root, format_citations=False))
    assert result.ok, result.diagnostics.report()
    page = result.files["reference/fields.md"]
    for kind in KINDS.values():
        assert f"| `{kind.name}` |" in page, kind.name
    for name in list(VALIDATORS) + list(NAME_SOURCES):
        assert f"`{name}`" in page
    assert "## Person" in page and "| `roles` | no | list of role |" in page
    assert "id of an organisation or a country" in page  # the role record's `of`


def test_a_declared_type_without_a_template_gets_pages(tmp_path: Path) -> None:
    """person has no template of its own: its pages render through the generic entry template."""
    root = tmp_path / "site"
    shutil.copytree(CASES / "valid-types-person", root, ignore=shutil.ignore_patterns("expected.txt"))
    result = build(ProjectConfig.for_project(root, format_citations=False))
    assert result.ok, result.diagnostics.report()
    page = result.files["people/test-secretary/index.md"]
    assert "# Test Secretary" in page and "Тестов" in page
    assert "## Roles" in page and "Secretary&#45;General" in page  # the generic template shows every field
    assert "[People](../index.md)" in page
    assert "Test Secretary" in result.files["people/index.md"]
    assert "schemas/person.schema.json" in result.files
    # The organisation the role names shows the person among the entries that refer to it.
    assert "people/test-secretary" in result.files["organisations/tso/index.md"]


def test_this_site_declares_person_in_its_own_types_file() -> None:
    diagnostics = Diagnostics()
    schema = load_schema(REPO, diagnostics)
    assert not diagnostics.items
    person = schema.by_name["person"]
    assert (person.folder, person.url_prefix, person.plural) == ("people", "people", "People")
    roles = next(f for f in person.fields if f.name == "roles")
    assert isinstance(roles.type, Relation)
    assert (roles.type.target, roles.type.targets, roles.type.roles) == ("of", ("organisation", "country"), None)
    assert (roles.type.label, roles.type.inverse_label, roles.type.open_end) == ("role", "Office holders", "unknown")
    role = roles.type.item
    assert isinstance(role, Record)
    assert [(f.name, f.required) for f in role.fields] == [
        ("of", True), ("role", True), ("from", False), ("to", False), ("sources", True), ("note", False)]
    assert role.fields[0].type == Ref(("organisation", "country"))
    assert role.fields[1].type == Text(max_length=200, single_line=True)
    assert [t.name for t in schema.types][:6] == [t.name for t in default_schema().types]


def _person_project(root: Path, types: bytes) -> Path:
    shutil.copytree(CASES / "valid-types-person", root, ignore=shutil.ignore_patterns("expected.txt"))
    (root / "types.yaml").write_bytes(types)
    return root


def test_entry_cache_reads_a_declared_type_back_and_keys_on_the_declaration(tmp_path: Path) -> None:
    types = (CASES / "valid-types-person" / "types.yaml").read_bytes()
    root = _person_project(tmp_path / "site", types)
    diagnostics = Diagnostics()
    schema = load_schema(root, diagnostics)
    cache_file = tmp_path / "entries.pickle"
    cache = EntryCache(cache_file, schema)
    entries, _ = load_entries(root / "content", root, diagnostics, cache=cache, schema=schema)
    cache.save()
    assert not diagnostics.errors

    again = EntryCache(cache_file, schema)
    path = "content/people/test-secretary.yaml"
    data = (root / path).read_bytes()
    outcome = again.get(again.key(schema.by_name["person"], path, data))
    assert outcome is not None
    entry = outcome[0]
    assert isinstance(entry, Entry) and entry.type is schema.by_name["person"]

    # Another declaration (a changed doc) is another schema: its keys differ, so nothing stale is reused.
    changed = load_schema(_person_project(tmp_path / "other", types.replace(b"Offices and roles", b"Roles")),
                          Diagnostics())
    assert changed.fingerprint != schema.fingerprint
    assert EntryCache(cache_file, changed).key(changed.by_name["person"], path, data) != \
        again.key(schema.by_name["person"], path, data)

    # A record naming a type the build's schema does not declare is a miss, not an error.
    other = EntryCache(cache_file, default_schema())
    blob = pickle.dumps((entry, []))
    other._old["k"] = blob
    assert other.get("k") is None


def test_inverse_and_acyclic_come_from_the_declaration() -> None:
    schema, problems = schema_of(
        "extends: default\n"
        "types:\n  place:\n    plural: Places\n    folder: places\n    doc: \"A place.\"\n    include: common\n"
        "    fields:\n      within: {kind: ref, to: place, inverse: contains, acyclic: true, doc: \"Where it lies.\"}\n")
    assert problems == []
    place = schema.by_name["place"]
    diagnostics = Diagnostics()
    entries = [load_entry(place, (f"id: {i}\nname: {i.title()}\nsummary: S.\n{SOURCES}within: {w}\n").encode(),
                          f"content/places/{i}.yaml", diagnostics) for i, w in (("a", "b"), ("b", "c"), ("c", "a"))]
    entries.append(load_entry(place, f"id: d\nname: D\nsummary: S.\n{SOURCES}within: a\n".encode(),
                              "content/places/d.yaml", diagnostics))
    assert not diagnostics.items
    site = link(entries, diagnostics, None, schema=schema)
    loops = [str(d) for d in diagnostics if d.code == "ref.cycle"]
    assert len(loops) == 1
    assert "'within' forms a loop: " in loops[0]
    assert "hint: a place cannot reach itself through 'within'; remove the reference that closes the loop" in loops[0]
    assert [e.id for e in site.inverse["a"]["contains"]] == ["c", "d"]


@pytest.mark.parametrize("mangle", [b"kind: datee", b"plural: [People]"])
def test_a_broken_types_file_stops_the_build_before_the_entries(tmp_path: Path, mangle: bytes) -> None:
    types = (CASES / "valid-types-person" / "types.yaml").read_bytes()
    broken = types.replace(b"kind: date-alternatives", mangle, 1) if mangle.startswith(b"kind") \
        else types.replace(b"plural: People", mangle, 1)
    root = _person_project(tmp_path / "site", broken)
    result = build(ProjectConfig.for_project(root, format_citations=False))
    assert result.files == {}
    assert {d.code for d in result.diagnostics} <= {"types.unknown-kind", "types.bad-value"}
    assert all(d.location.path == "types.yaml" and d.location.line for d in result.diagnostics)


def test_the_default_declaration_file_is_shipped_in_the_package() -> None:
    assert DEFAULT_FILE.is_file() and DEFAULT_FILE.parent.name == "schema"


def _mutations(text: str) -> list[str]:
    """The default declaration with one line deleted, or one line's value replaced, in turn."""
    lines = text.splitlines(keepends=True)
    found = []
    for index, line in enumerate(lines):
        found.append("".join(lines[:index] + lines[index + 1:]))
        if ": " in line:
            key, _, _ = line.partition(": ")
            for value in ("[]", "x", "yes"):
                found.append("".join(lines[:index] + [f"{key}: {value}\n"] + lines[index + 1:]))
    return found


def test_no_damage_to_a_declaration_raises() -> None:
    """Every broken declaration is reported, located, in the types file; nothing raises."""
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    broken = 0
    for mutated in _mutations(text):
        diagnostics = Diagnostics()
        schema = read_schema(mutated.encode(), "types.yaml", diagnostics)
        if schema is None:
            broken += 1
            assert diagnostics.errors, mutated
            assert all(d.location.path == "types.yaml" and d.location.line >= 1 for d in diagnostics), mutated
        else:
            assert not diagnostics.errors
    assert broken > 500


def test_the_contributor_guide_names_every_kind_validator_and_feature() -> None:
    """docs/contributing/types.md summarises the registry; the field reference has the full text."""
    from generator.schema.types import FEATURES

    guide = (REPO / "docs" / "contributing" / "types.md").read_text(encoding="utf-8")
    for name in [*KINDS, *VALIDATORS, *NAME_SOURCES, *FEATURES]:
        assert f"`{name}`" in guide, name
