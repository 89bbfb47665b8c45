"""The field reference shown in the documentation, derived from the declarations."""

from __future__ import annotations

from dataclasses import dataclass

from generator.schema.fields import Record, records_in
from generator.schema.types import ENTRY_TYPES, EntryType


@dataclass(frozen=True)
class TypeReference:
    """One entry type as documented: where it lives and its fields."""

    type: EntryType
    record: Record


def field_reference() -> dict:
    """Types and the nested records (source, membership...) their fields use."""
    types = [TypeReference(t, t.record) for t in ENTRY_TYPES]
    nested = records_in([f.type for t in ENTRY_TYPES for f in t.fields])
    return {"types": types, "records": sorted(nested, key=lambda r: r.name)}
