"""JSON Schemas for editors, derived from the entry type declarations.

Each type's schema is published at ``/schemas/<type>.schema.json``; a YAML language
server pointed at it (see ``CONTRIBUTING.md``) completes and validates entries.
The schemas describe structure; checks that need the whole site (references,
citation keys, EDTF semantics) are made by ``python -m generator check``.
"""

from __future__ import annotations

from generator.schema.types import ENTRY_TYPES, EntryType

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(entry_type: EntryType) -> dict:
    """The JSON Schema of one entry type."""
    schema = entry_type.record.json_schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"schemas/{entry_type.name}.schema.json",
        "title": f"{entry_type.name} entry",
        "description": entry_type.doc,
        **schema,
    }


def json_schemas() -> dict[str, dict]:
    """Every type's schema, by type name."""
    return {t.name: json_schema(t) for t in ENTRY_TYPES}
