"""The field kinds a ``types.yaml`` can use: name -> field type, with validated parameters.

A field is declared as ``{kind: <name>, doc: ..., required: true, <parameters>}``. Each
:class:`Kind` here says what its parameters are (:class:`Param`: what sort of value, its
default, what it means) and builds the :class:`~generator.schema.fields.FieldType` that
checks values, gives the JSON Schema and describes itself in the field reference. The
declaration loader (:mod:`generator.schema.declare`) reads and checks the parameters, and
resolves the names they hold (enumerations, records, entry types) before calling
:attr:`Kind.build`; the field reference documents every kind from :data:`KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from generator.schema.fields import (
    MAX_TEXT, Bool, Cite, Date, Enum, FieldType, Lang, ListOf, Markdown, OneOrMany, Ref, Relation, Slug, Text,
)

PARAM_SORTS = ("int", "bool", "text", "types", "enum", "record", "item", "map")
"""What a parameter's value can be: a whole number; ``true``/``false``; a text; entry type names (one, or a list);
an enumeration (the name of one declared under ``enums:``, or a list of values); the name of a record
declared under ``records:``; a nested field declaration (a kind name, or a mapping with ``kind:``); a mapping of
names to a text or a list of texts."""


@dataclass(frozen=True)
class Param:
    """One parameter of a kind."""

    sort: str
    """One of :data:`PARAM_SORTS`."""
    doc: str
    default: Any = None
    """Used when the parameter is absent; ``None`` makes it required unless ``optional``."""
    optional: bool = False
    minimum: int = 0
    """Smallest accepted value of an ``int`` parameter."""
    choices: tuple[str, ...] = ()
    """The values a ``text`` parameter accepts (any text when empty)."""


@dataclass(frozen=True)
class Kind:
    """A field kind: its name, what it is for, its parameters and how to build it."""

    name: str
    doc: str
    build: Callable[[dict[str, Any]], FieldType]
    """Called with every parameter resolved: enumerations as tuples of values, records as
    :class:`~generator.schema.fields.Record` objects, items as field types."""
    params: dict[str, Param] = field(default_factory=dict)


def _text(args: dict[str, Any]) -> FieldType:
    return Text(max_length=args["max_length"], single_line=args["single_line"])


def _list(args: dict[str, Any]) -> FieldType:
    return ListOf(args["of"], min_items=args["min_items"], max_items=args["max_items"])


_RELATION_DOCS = ("target_doc", "role_doc", "from_doc", "to_doc", "sources_doc", "note_doc", "changes_doc")


_RELATION_WORDING = ("heading", "target_noun", "chart_title", "chart_description", "target_chart_description",
                     "role_styles", "legend", "overview_start", "overview_group_field", "overview_groups",
                     "overview_other_group", "open_end", "role_required")


def _relation(args: dict[str, Any]) -> FieldType:
    wording = {name: args[name] for name in _RELATION_WORDING if args.get(name) is not None}
    return Relation(target=args["target"], targets=args["to"], roles=args["roles"], changes=args["changes"],
                    label=args["label"], inverse_label=args["inverse_label"],
                    **{name: args[name] for name in _RELATION_DOCS}, **wording)


_RECORD_HINT = "the name of a record declared under `records:`"

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("text", "Plain text, no Markdown; checked for emptiness, length, invisible characters and values that "
         "YAML 1.1 tools would misread.", _text, {
             "max_length": Param("int", "Longest accepted value, in characters.", MAX_TEXT, minimum=1),
             "single_line": Param("bool", "Whether runs of white space and line breaks are read as one space "
                                  "(a short value such as a name or a summary).", False),
         }),
    Kind("markdown", "Prose in Markdown, with `[[id]]` links to entries and Pandoc citations `[@key, p. 12]`, "
         "both checked against the site.", lambda args: Markdown()),
    Kind("slug", "An id: lowercase letters a-z, digits and single hyphens (`cst-signed-1992`).", lambda args: Slug()),
    Kind("lang", "A BCP 47 language tag: `en`, `ru`, `ru-Latn`, `kk-Cyrl`.", lambda args: Lang()),
    Kind("bool", "`true` or `false` (YAML 1.1 spellings such as `yes` are refused).", lambda args: Bool()),
    Kind("enum", "One of the values of an enumeration declared once under `enums:`.",
         lambda args: Enum(args["values"]), {
             "values": Param("enum", "The name of an enumeration declared under `enums:` (or a list of values)."),
         }),
    Kind("date", "An EDTF level 1 date: `1992-05-15`, `1992-05`, `2003~` (circa), `2010?` (uncertain), "
         "`1996/1999` (an interval).", lambda args: Date()),
    Kind("dated", "A sourced date: one record with `date`, `sources` and `note`, or a list of them where the "
         "sources disagree.", lambda args: OneOrMany(args["record"]), {
             "record": Param("record", f"The record of one dated fact ({_RECORD_HINT}).", "dated-fact"),
         }),
    Kind("date-alternatives", "A date inside a sourced record: a bare EDTF date, or sourced alternatives as in "
         "`dated`.", lambda args: OneOrMany(args["record"], shorthand=Date()), {
             "record": Param("record", f"The record of one alternative ({_RECORD_HINT}).", "dated-fact"),
         }),
    Kind("ref", "The id of another entry, checked after loading: it must exist and be of one of the named types.",
         lambda args: Ref(args["to"]), {
             "to": Param("types", "The entry types it may name (one, or a list); absent: any type.", (),
                         optional=True),
         }),
    Kind("cite", "A citation key of `bibliography/*.bib`, checked against the bibliography.", lambda args: Cite()),
    Kind("list", "A list of values of one kind.", _list, {
        "of": Param("item", "The kind of each item: a kind name (`markdown`), or a mapping with `kind:` and its "
                    "parameters."),
        "min_items": Param("int", "Fewest items accepted.", 0),
        "max_items": Param("int", "Most items accepted.", 5_000, minimum=1),
    }),
    Kind("record", "A mapping with the fields of a record declared once under `records:`; unknown and missing "
         "fields are errors.", lambda args: args["record"], {
             "record": Param("record", f"Which record ({_RECORD_HINT})."),
         }),
    Kind("names", "Names in several languages and scripts: a list of records with the name as written, its "
         "language tag, a Latin transliteration, a note and sources.", lambda args: ListOf(args["record"]), {
             "record": Param("record", f"The record of one name ({_RECORD_HINT}).", "name"),
         }),
    Kind("sources", "Where facts are attested: a list of at least one source record (BibTeX key, locator, "
         "what the locator counts, a short quotation).",
         lambda args: ListOf(args["record"], min_items=args["min_items"]), {
             "record": Param("record", f"The record of one source ({_RECORD_HINT}).", "source"),
             "min_items": Param("int", "Fewest sources accepted.", 1),
         }),
    Kind("relation", "A sourced relation over time, such as a state's membership of an organisation: a list of "
         "records, each naming an entry (in the field `target` names), with a role, `from` and `to` (a bare EDTF "
         "date or sourced alternatives), required `sources`, a `note` and, with `changes: true`, status changes "
         "(suspended, rejoined...) inside the period. Checked: each period ends after it starts and its changes "
         "fall inside it. Shown on both sides: on the entry's page and, under `inverse_label`, on each target's.",
         _relation, {
             "target": Param("text", "The name of the reference field in each record (`country`).", "target"),
             "to": Param("types", "The entry types the reference may name (one, or a list); absent: any type.", (),
                         optional=True),
             "roles": Param("enum", "The allowed roles (an enumeration name, or a list), then required; absent: an "
                            "optional free-text role.", optional=True),
             "changes": Param("bool", "Whether records may list status changes.", False),
             "label": Param("text", "The name of one record (`membership`), in the field reference and messages.",
                            "relation"),
             "inverse_label": Param("text", "The heading of the relation on a target's page (`Memberships`).",
                                    "Relations"),
             **{name: Param("text", f"The documentation of the record's `{name.removesuffix('_doc')}` field "
                            "(default: a sentence built from `label`).", "") for name in _RELATION_DOCS},
             "heading": Param("text", "The relation's heading on the holder's page (default: `label` in the "
                              "plural).", optional=True),
             "target_noun": Param("text", "What one target is called in chart descriptions (`member state`; "
                                  "default: the target type's name).", optional=True),
             "chart_title": Param("text", "The holder's chart title; `{holder}`, `{the_holder}`, `{heading}` "
                                  "are replaced.", optional=True),
             "chart_description": Param("text", "The start of the holder's chart description; `{holder}`, "
                                        "`{the_holder}`, `{n}`, `{targets}` are replaced.", optional=True),
             "target_chart_description": Param("text", "The start of a target's chart description; `{target}`, "
                                               "`{label}`, `{n}`, `{holders}` are replaced.", optional=True),
             "role_styles": Param("map", "How each role is drawn: `member` (solid), `observer` or `other` "
                                  "(absent: every record solid).", optional=True),
             "legend": Param("map", "Texts replacing the charts' legend entries `member`, `observer`, `other`.",
                             optional=True),
             "overview_start": Param("int", "First year of the overview chart (default: the earliest in the "
                                     "data).", optional=True),
             "overview_group_field": Param("text", "A field of the holders whose value groups the overview's "
                                           "columns (`kind`).", optional=True),
             "overview_groups": Param("map", "Group name -> the values of `overview_group_field` in it, in order.",
                                      optional=True),
             "overview_other_group": Param("text", "The name of the group of every other value.", optional=True),
             "open_end": Param("text", "What a record without `to` means: `continuing` (the relation lasts: drawn "
                               "running on to the present, with an arrow) or `unknown` (no source gives its end: "
                               "drawn fading out after its last known year, described as \"end not recorded\", "
                               "never as continuing).", "continuing", choices=("continuing", "unknown")),
             "role_required": Param("bool", "Whether a free-text role must be given (an enumerated role always "
                                    "must).", False),
         }),
)}
"""Every field kind by name."""


def register(kind: Kind) -> None:
    """Add a field kind (a kind of the same name is replaced)."""
    KINDS[kind.name] = kind


__all__ = ["KINDS", "Kind", "PARAM_SORTS", "Param", "register"]
