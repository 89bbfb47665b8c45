"""How the generic entry page (``entry/generic.md.jinja``) lays out a type it knows only by its declaration.

:func:`entry_layout` sorts a type's declared fields into the parts of an entry page: the
facts box (single values, dates, references), definitions (shown first, as a concept's
is), prose sections, lists, lists of records and :class:`~generator.schema.fields.Relation`
tables. The fields every type shares (names, summary, body, sources, related...) are laid
out by ``entry/_base.md.jinja`` itself and are left out here.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from functools import lru_cache
from typing import Any

from generator.schema.fields import (
    Bool, Cite, Date, Enum, Field, ListOf, Markdown, OneOrMany, Record, Ref, Relation, Slug, Text,
)

SHARED_FIELDS = frozenset({"id", "name", "names", "abbreviations", "other_names", "summary", "body", "sources",
                           "related", "aliases", "glossary_links"})
"""Fields the base entry page lays out itself."""


@dataclass(frozen=True)
class Part:
    """One declared field as the generic page shows it.

    Attributes:
        name: the field's name.
        label: its heading or facts-box label (the name, capitalised, underscores as spaces).
        kind: how it is shown: ``enum``, ``text``, ``date`` (sourced date alternatives),
            ``bare-date``, ``ref``, ``refs``, ``bool``, ``cite``, ``definition``,
            ``prose``, ``list`` (of text or prose), ``records`` or ``relation``.
        field: the declaration.
        columns: for ``records``, the record's fields as ``(name, label, kind)``.
    """

    name: str
    label: str
    kind: str
    field: Field
    columns: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Layout:
    """The parts of one type's page, each in declaration order."""

    facts: tuple[Part, ...] = ()
    definitions: tuple[Part, ...] = ()
    prose: tuple[Part, ...] = ()
    lists: tuple[Part, ...] = ()
    records: tuple[Part, ...] = ()
    relations: tuple[Part, ...] = ()
    inverse: dict[str, Part] = dataclass_field(default_factory=dict)
    """Fields that declare an ``inverse``, by name (their facts line joins both directions)."""


def label_of(name: str) -> str:
    """A field's label: ``other_names`` -> ``Other names``."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _scalar_kind(field_type: Any) -> str | None:
    if isinstance(field_type, Enum):
        return "enum"
    if isinstance(field_type, (Text, Slug)):
        return "text"
    if isinstance(field_type, OneOrMany) and "date" in field_type.record.field_names():
        return "date"
    if isinstance(field_type, Date):
        return "bare-date"
    if isinstance(field_type, Ref):
        return "ref"
    if isinstance(field_type, Bool):
        return "bool"
    if isinstance(field_type, Cite):
        return "cite"
    if isinstance(field_type, Markdown):
        return "prose"
    return None


def _part(spec: Field) -> Part:
    kind = spec.type
    label = label_of(spec.name)
    if isinstance(kind, Relation):
        return Part(spec.name, label, "relation", spec)
    if isinstance(kind, Record) and {"text", "sources"} <= set(kind.field_names()):
        return Part(spec.name, label, "definition", spec)
    if isinstance(kind, ListOf) and isinstance(kind.item, Ref):
        return Part(spec.name, label, "refs", spec)
    if isinstance(kind, ListOf) and isinstance(kind.item, (Text, Markdown)):
        return Part(spec.name, label, "list", spec)
    if isinstance(kind, ListOf) and isinstance(kind.item, Record):
        columns = tuple((f.name, label_of(f.name), _scalar_kind(f.type) or "json") for f in kind.item.fields
                        if f.name != "sources")
        return Part(spec.name, label, "records", spec, columns)
    return Part(spec.name, label, _scalar_kind(kind) or "json", spec)


@lru_cache(maxsize=None)
def entry_layout(entry_type: Any) -> Layout:
    """The generic page's parts for ``entry_type`` (computed once per type)."""
    groups: dict[str, list[Part]] = {"facts": [], "definitions": [], "prose": [], "lists": [], "records": [],
                                     "relations": []}
    inverse: dict[str, Part] = {}
    for spec in entry_type.fields:
        if spec.name in SHARED_FIELDS:
            continue
        part = _part(spec)
        if spec.inverse:
            inverse[spec.name] = part
        group = {"relation": "relations", "definition": "definitions", "prose": "prose", "list": "lists",
                 "records": "records"}.get(part.kind, "facts")
        groups[group].append(part)
    return Layout(**{k: tuple(v) for k, v in groups.items()}, inverse=inverse)
