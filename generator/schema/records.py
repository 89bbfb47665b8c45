"""Records shared by entry types: sources, sourced dates, and the records of a relation.

These are the building blocks of declarations: :data:`SOURCES` (every fact's
provenance), :data:`DATED` and :data:`DATE_ALTERNATIVES` (a date, or the values
different sources give), and :func:`relation_record`, the record of one item of a
:class:`~generator.schema.fields.Relation` (a sourced relation over time, such as a
state's membership of an organisation). They live apart from the type declarations
so that a field kind can build its record without importing the types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from generator.schema.dates import DateValue
from generator.schema.fields import (
    CheckContext, Cite, Date, Enum, Field, FieldType, ListOf, Markdown, OneOrMany, Record, Ref, Text,
)
from generator.load.yamlload import YMap, YNode, YSeq

if TYPE_CHECKING:
    from generator.schema.fields import Relation

LOCATOR_LABELS = ("page", "note", "section", "paragraph", "chapter")

SOURCE = Record(
    name="source",
    fields=(
        Field("key", Cite(), "BibTeX key of the work in `bibliography/*.bib`.", required=True),
        Field("locator", Text(max_length=300, single_line=True),
              "Where in the work: page, footnote number, section title or paragraph number."),
        Field("label", Enum(LOCATOR_LABELS), "What the locator counts: `page` (default), `note`, `section`, "
              "`paragraph` or `chapter`."),
        Field("quote", Text(max_length=1000, single_line=True), "A short exact quotation supporting the fact."),
        Field("note", Text(max_length=2000), "A remark on the source (plain text)."),
    ),
)
SOURCES = ListOf(SOURCE, min_items=1)


DATED_FACT = Record(
    name="dated fact",
    fields=(
        Field("date", Date(), "The date, in EDTF.", required=True),
        Field("sources", SOURCES, "Where the date is given.", required=True),
        Field("note", Markdown(), "A remark, e.g. why the sources differ."),
    ),
)
DATED = OneOrMany(DATED_FACT)
"""A top-level date: one sourced value, or a list of them where sources disagree."""

DATE_ALTERNATIVES = OneOrMany(DATED_FACT, shorthand=Date())
"""A date inside a sourced record: a bare EDTF date, or sourced alternatives."""


STATUS_CHANGES = ("suspended", "withdrawn", "rejoined", "reinstated", "downgraded", "upgraded")

STATUS_CHANGE = Record(
    name="status change",
    fields=(
        Field("status", Enum(STATUS_CHANGES), "What changed.", required=True),
        Field("date", DATE_ALTERNATIVES, "When (EDTF).", required=True),
        Field("sources", SOURCES, "Where the change is reported.", required=True),
        Field("note", Markdown(), "A remark on the change."),
    ),
)


def dates_of(value: dict, name: str) -> list[DateValue]:
    """The alternatives of a dated field (several where sources disagree); ``[]`` if absent."""
    return [alt["date"] for alt in value.get(name, [])]


def before(later: list[DateValue], earlier: list[DateValue]) -> bool:
    """Whether every value in ``later`` must fall before every value in ``earlier``.

    Compared on the widest bounds, so that dates which are uncertain, approximate or
    disputed between sources are an error only if no reading of them can be true.
    """
    return bool(later and earlier) and max(d.latest for d in later) < min(d.earliest for d in earlier)


def date_node(node: YNode | None, fallback: YNode) -> YNode:
    """Where a dated field's date is written (its value, or the ``date:`` of its one record)."""
    if isinstance(node, YMap):
        return node.get("date") or node
    return node or fallback


def aligned(values: list, node: YNode | None) -> list[tuple[dict, YMap]]:
    """Checked records with their nodes (none if some records failed their own checks)."""
    if not isinstance(node, YSeq) or len(node.items) != len(values):
        return []
    return [(v, n) for v, n in zip(values, node.items) if isinstance(n, YMap)]


def _check_relation_item(relation: "Relation") -> "Callable[[dict, YMap, CheckContext], None]":
    """The checks of one relation item: it ends after it starts, its changes fall inside it."""
    label = relation.label

    def check(value: dict, node: YMap, ctx: CheckContext) -> None:
        starts, ends = dates_of(value, "from"), dates_of(value, "to")
        if before(ends, starts):
            ctx.error("membership.period", f"{label} ends before it starts", date_node(node.get("to"), node),
                      "check the 'from' and 'to' dates")
            return
        for change, change_node in aligned(value.get("changes", []), node.get("changes")):
            when = dates_of(change, "date")
            where = date_node(change_node.get("date"), change_node)
            if before(when, starts):
                ctx.error("membership.change-outside", f"'{change['status']}' is dated before the {label} began "
                          f"({', '.join(str(d) for d in starts)})", where,
                          f"check the change's date and the {label}'s 'from'; a change belongs inside its {label}")
            elif before(ends, when):
                ctx.error("membership.change-outside", f"'{change['status']}' is dated after the {label} ended "
                          f"({', '.join(str(d) for d in ends)})", where,
                          f"check the change's date and the {label}'s 'to'; a change belongs inside its {label}")

    return check


def relation_record(relation: "Relation") -> Record:
    """The record of one item of ``relation``: target, role, period, sources, note, changes.

    The field documentation comes from the relation's ``*_doc`` parameters, which
    default to sentences built from its ``label``.
    """
    label = relation.label
    role: FieldType = Enum(relation.roles) if relation.roles is not None else Text(max_length=200, single_line=True)
    fields = [
        Field(relation.target, Ref(relation.targets), relation.target_doc or f"The {relation.target}.", required=True),
        Field("role", role, relation.role_doc or f"Kind of {label}.", required=relation.roles is not None or relation.role_required),
        Field("from", DATE_ALTERNATIVES, relation.from_doc or f"When the {label} began."),
        Field("to", DATE_ALTERNATIVES, relation.to_doc or "When it ended (absent while it lasts)."),
        Field("sources", SOURCES, relation.sources_doc or f"Where the {label} is reported.", required=True),
        Field("note", Markdown(), relation.note_doc or f"A remark on the {label}."),
    ]
    if relation.changes:
        fields.append(Field("changes", ListOf(STATUS_CHANGE),
                            relation.changes_doc or f"Suspensions, withdrawals, returns inside the {label}."))
    return Record(name=label, fields=tuple(fields), check_whole=_check_relation_item(relation))
