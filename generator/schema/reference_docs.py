"""The field reference shown in the documentation, derived from the declarations."""

from __future__ import annotations

from dataclasses import dataclass

from generator.schema.fields import Record, records_in
from generator.schema.kinds import KINDS, Kind
from generator.schema.types import EntryType, Schema
from generator.schema.validators import NAME_SOURCES, VALIDATORS


@dataclass(frozen=True)
class TypeReference:
    """One entry type as documented: where it lives and its fields."""

    type: EntryType
    record: Record


def field_reference(schema: Schema) -> dict:
    """Types, the nested records (source, membership...) their fields use, the field kinds and the named
    validators, for ``reference/fields.md``."""
    types = [TypeReference(t, t.record) for t in schema.types]
    nested = records_in([f.type for t in schema.types for f in t.fields])
    kinds: list[Kind] = sorted(KINDS.values(), key=lambda k: k.name)
    return {"types": types, "records": sorted(nested, key=lambda r: r.name), "kinds": kinds,
            "validators": sorted(VALIDATORS.values(), key=lambda v: v.name),
            "name_sources": sorted(NAME_SOURCES.values(), key=lambda s: s.name), "files": schema.files}
