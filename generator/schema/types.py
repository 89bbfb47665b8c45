"""The entry types, each declared once.

An :class:`EntryType` names its folder, its URL pattern, its template and its
fields. Validation (:mod:`generator.load.loader`), the JSON Schemas
(:mod:`generator.schema.json_schema`) and the field reference in the documentation
(:mod:`generator.schema.reference_docs`) are all derived from these declarations. Adding a
type is one more declaration in :data:`ENTRY_TYPES` and, optionally, one template
``entry/<name>.md.jinja``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pycountry

from generator.diagnostics import Location
from generator.schema.fields import (
    Bool, Cite, CheckContext, Date, Enum, Field, FieldType, Lang, ListOf, Markdown, OneOrMany, Record, Ref,
    Slug, Text,
)
from generator.schema.dates import DateValue
from generator.load.yamlload import YMap, YNode, YScalar, YSeq

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

NAME = Record(
    name="name",
    fields=(
        Field("text", Text(max_length=300, single_line=True), "The name as written in its script.", required=True),
        Field("lang", Lang(), "Language tag (`en` when absent): `ru`, `kk`, `ru-Latn`..."),
        Field("translit", Text(max_length=300, single_line=True), "Latin transliteration of a name in another script."),
        Field("note", Text(max_length=1000), "When or where the name was used (plain text)."),
        Field("sources", SOURCES, "Where the name is attested."),
    ),
)


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

ORGANISATION_KINDS = (
    "alliance", "collective-security-system", "military-force", "customs-union", "economic-union",
    "economic-community", "free-trade-area", "single-economic-space", "union-state", "commonwealth",
    "regional-organisation", "international-organisation", "forum", "council", "commission", "court",
    "parliamentary-assembly", "secretariat", "treaty", "treaty-regime", "bank", "programme", "other",
)
MEMBERSHIP_ROLES = (
    "member", "founding-member", "observer", "associate", "partner", "dialogue-partner", "signatory", "candidate",
)
STATUS_CHANGES = ("suspended", "withdrawn", "rejoined", "reinstated", "downgraded", "upgraded")
EVENT_KINDS = (
    "treaty-signed", "treaty-in-force", "founding", "accession", "withdrawal", "suspension", "reinstatement",
    "enlargement", "renaming", "dissolution", "summit", "boycott", "crisis", "war", "revolution", "election",
    "speech", "article", "doctrine", "declaration", "agreement", "decision", "negotiation", "exercise",
    "sanctions", "other",
)


def _dates(value: dict, name: str) -> list[DateValue]:
    """The alternatives of a dated field (several where sources disagree); ``[]`` if absent."""
    return [alt["date"] for alt in value.get(name, [])]


def _before(later: list[DateValue], earlier: list[DateValue]) -> bool:
    """Whether every value in ``later`` must fall before every value in ``earlier``.

    Compared on the widest bounds, so that dates which are uncertain, approximate or
    disputed between sources are an error only if no reading of them can be true.
    """
    return bool(later and earlier) and max(d.latest for d in later) < min(d.earliest for d in earlier)


def _date_node(node: YNode | None, fallback: YNode) -> YNode:
    """Where a dated field's date is written (its value, or the ``date:`` of its one record)."""
    if isinstance(node, YMap):
        return node.get("date") or node
    return node or fallback


def _aligned(values: list, node: YNode | None) -> list[tuple[dict, YMap]]:
    """Checked records with their nodes (none if some records failed their own checks)."""
    if not isinstance(node, YSeq) or len(node.items) != len(values):
        return []
    return [(v, n) for v, n in zip(values, node.items) if isinstance(n, YMap)]


def _memberships(values: list, node: YNode | None) -> list[tuple[dict, YMap]]:
    """Checked memberships with their nodes, matched by where their country is written.

    The list holds only the memberships that passed their own checks, so position in
    the list does not match position in the file when one failed.
    """
    items = node.items if isinstance(node, YSeq) else []
    by_place = {(country.line, country.column): item for item in items
                if isinstance(item, YMap) and isinstance(country := item.get("country"), YScalar)}
    found = ((v, by_place.get((v["country"].location.line, v["country"].location.column))) for v in values)
    return [(v, n) for v, n in found if n is not None]


FILE_PAGES = frozenset({"reference/fields.md", "reference/diagnostics.md"})
"""Generated pages kept as plain files: as folder indexes they would become the index page of the
nav's Contributing section (Material's ``navigation.indexes``). They have no raw-HTML links."""


def page_file(name: str) -> str:
    """Where a generated page is written: ``chronology.md`` -> ``chronology/index.md``.

    Every generated page is the index of its own folder, so the folder of its source file is
    also the folder of its URL (``/chronology/``, as before). A relative link in raw HTML then
    reaches the same page whether the engine resolves it against the page's URL (MkDocs,
    ProperDocs) or against its source file (Zensical).

    >>> page_file("organisations/csto.md"), page_file("organisations/index.md"), page_file("index.md")
    ('organisations/csto/index.md', 'organisations/index.md', 'index.md')
    """
    if name == "index.md" or name.endswith("/index.md") or not name.endswith(".md") or name in FILE_PAGES:
        return name
    return name[: -len(".md")] + "/index.md"


def _check_membership(value: dict, node: YMap, ctx: CheckContext) -> None:
    starts, ends = _dates(value, "from"), _dates(value, "to")
    if _before(ends, starts):
        ctx.error("membership.period", "membership ends before it starts", _date_node(node.get("to"), node),
                  "check the 'from' and 'to' dates")
        return
    for change, change_node in _aligned(value.get("changes", []), node.get("changes")):
        when = _dates(change, "date")
        where = _date_node(change_node.get("date"), change_node)
        if _before(when, starts):
            ctx.error("membership.change-outside", f"'{change['status']}' is dated before the membership began "
                      f"({', '.join(str(d) for d in starts)})", where,
                      "check the change's date and the membership's 'from'; a change belongs inside its membership")
        elif _before(ends, when):
            ctx.error("membership.change-outside", f"'{change['status']}' is dated after the membership ended "
                      f"({', '.join(str(d) for d in ends)})", where,
                      "check the change's date and the membership's 'to'; a change belongs inside its membership")


def _check_organisation(value: dict, node: YMap, ctx: CheckContext) -> None:
    founded, dissolved = _dates(value, "founded"), _dates(value, "dissolved")
    if _before(dissolved, founded):
        ctx.error("organisation.period", f"dissolved before it was founded ({', '.join(str(d) for d in founded)})",
                  _date_node(node.get("dissolved"), node), "check the 'founded' and 'dissolved' dates")
    for membership, member_node in _memberships(value.get("members", []), node.get("members")):
        country = membership["country"].target
        if _before(dissolved, _dates(membership, "from")):
            ctx.error("membership.outside-organisation", f"{country}'s membership begins after the organisation was "
                      f"dissolved ({', '.join(str(d) for d in dissolved)})",
                      _date_node(member_node.get("from"), member_node),
                      "check the membership's 'from' and the organisation's 'dissolved'")
        elif _before(_dates(membership, "to"), founded):
            ctx.error("membership.outside-organisation", f"{country}'s membership ends before the organisation was "
                      f"founded ({', '.join(str(d) for d in founded)})", _date_node(member_node.get("to"), member_node),
                      "check the membership's 'to' and the organisation's 'founded'")


STATUS_CHANGE = Record(
    name="status change",
    fields=(
        Field("status", Enum(STATUS_CHANGES), "What changed.", required=True),
        Field("date", DATE_ALTERNATIVES, "When (EDTF).", required=True),
        Field("sources", SOURCES, "Where the change is reported.", required=True),
        Field("note", Markdown(), "A remark on the change."),
    ),
)

MEMBERSHIP = Record(
    name="membership",
    fields=(
        Field("country", Ref(("country",)), "The member state.", required=True),
        Field("role", Enum(MEMBERSHIP_ROLES), "Kind of membership.", required=True),
        Field("from", DATE_ALTERNATIVES, "When the membership began."),
        Field("to", DATE_ALTERNATIVES, "When it ended (absent while it lasts)."),
        Field("sources", SOURCES, "Where the membership is reported.", required=True),
        Field("note", Markdown(), "A remark on the membership."),
        Field("changes", ListOf(STATUS_CHANGE), "Suspensions, withdrawals, returns inside the membership."),
    ),
    check_whole=_check_membership,
)

POSITION = Record(
    name="position",
    fields=(
        Field("value", Text(max_length=500, single_line=True), "The value this side gives.", required=True),
        Field("sources", SOURCES, "Who gives it: each with a locator and, ideally, a short quote.", required=True),
        Field("note", Markdown(), "A remark on this position."),
    ),
)

DEFINITION = Record(
    name="definition",
    fields=(
        Field("text", Text(max_length=600, single_line=True),
              "One sentence: shown in the glossary and in tooltips.", required=True),
        Field("sources", SOURCES, "Where the definition is given or used.", required=True),
    ),
)

COMMON_FIELDS: tuple[Field, ...] = (
    Field("id", Slug(), "The entry's id; equals the file name.", required=True),
    Field("name", Text(max_length=300, single_line=True), "English name.", required=True),
    Field("names", ListOf(NAME), "Names in other languages and scripts, with transliteration."),
    Field("abbreviations", ListOf(NAME), "Abbreviations in any script (`CSTO`, `ОДКБ`)."),
    Field("other_names", ListOf(NAME), "Former or variant names."),
    Field("summary", Text(max_length=600, single_line=True), "One neutral sentence (plain text).", required=True),
    Field("body", Markdown(), "The entry's prose: Markdown with `[[id]]` links and `[@key, n. 12]` citations."),
    Field("sources", SOURCES, "Sources for the entry as a whole.", required=True),
    Field("related", ListOf(Ref()), "Ids of related entries of any type."),
    Field("aliases", ListOf(Slug()), "Former ids, kept so that old permalinks redirect here."),
    Field("glossary_links", Bool(), "Set to `false` to stop glossary terms in this entry's prose from being "
          "linked on first mention (default `true`)."),
)


def _country_name(entry_id: str) -> str | None:
    country = pycountry.countries.get(alpha_3=entry_id.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", None) if country else None


@dataclass(frozen=True)
class EntryType:
    """One kind of entry: where its files live, where its pages go, what fields it has.

    Attributes:
        name: singular name, used in diagnostics and template names (`organisation`).
        plural: heading of the listing page (`Organisations`).
        folder: folder under `content/` holding one YAML file per entry.
        url_prefix: first URL segment; an entry's page is `/<url_prefix>/<id>/`.
        fields: the declared fields, common ones first.
        doc: what the type is for (shown in the field reference).
        derive_name: for types whose English name comes from a database (countries).
    """

    name: str
    plural: str
    folder: str
    url_prefix: str
    fields: tuple[Field, ...]
    doc: str
    derive_name: Callable[[str], str | None] | None = None
    check_whole: Callable[[dict, YMap, CheckContext], None] | None = None
    """Checks that need several fields at once (dates that cannot all be true)."""

    @property
    def record(self) -> Record:
        """The type's fields as one record (what a file must be)."""
        return Record(name=f"{self.name} entry", fields=self.fields, check_whole=self.check_whole)

    def url(self, entry_id: str) -> str:
        """Site-relative URL of an entry page, with trailing slash."""
        return f"{self.url_prefix}/{entry_id}/"

    def page_path(self, entry_id: str) -> str:
        """Path of the generated Markdown page (``organisations/csto/index.md``, see :func:`page_file`)."""
        return page_file(f"{self.url_prefix}/{entry_id}.md")

    @property
    def template(self) -> str:
        return f"entry/{self.name}.md.jinja"

    def __reduce__(self) -> tuple[Callable[[str], "EntryType"], tuple[str]]:
        # Pickled by name: the types are singletons (compared with `is`), and their
        # declarations hold functions that pickle cannot store.
        return entry_type_named, (self.name,)


def _with(common: tuple[Field, ...], *, drop: tuple[str, ...] = (), override: dict[str, Field] | None = None,
          extra: tuple[Field, ...] = ()) -> tuple[Field, ...]:
    override = override or {}
    kept = tuple(override.get(f.name, f) for f in common if f.name not in drop)
    return kept + extra


ENTRY_TYPES: tuple[EntryType, ...] = (
    EntryType(
        name="organisation", plural="Organisations", folder="organisations", url_prefix="organisations",
        doc="An international organisation, treaty regime, organ or force.",
        fields=_with(COMMON_FIELDS, extra=(
            Field("kind", Enum(ORGANISATION_KINDS), "What sort of body it is.", required=True),
            Field("founded", DATED, "When it was founded or signed."),
            Field("dissolved", DATED, "When it ceased to exist."),
            Field("predecessors", ListOf(Ref(("organisation",))), "Organisations it replaced."),
            Field("successors", ListOf(Ref(("organisation",))), "Organisations that replaced it."),
            Field("parent", Ref(("organisation",)), "The body it belongs to (for organs, courts, forces)."),
            Field("members", ListOf(MEMBERSHIP), "Member, observer and other states, with periods and changes."),
        )),
        check_whole=_check_organisation,
    ),
    EntryType(
        name="event", plural="Events", folder="events", url_prefix="events",
        doc="A dated event: a treaty signed, an accession, a summit, a crisis, a speech...",
        fields=_with(COMMON_FIELDS, extra=(
            Field("date", DATED, "When it happened.", required=True),
            Field("kind", Enum(EVENT_KINDS), "What sort of event.", required=True),
            Field("organisations", ListOf(Ref(("organisation",))), "Organisations involved."),
            Field("countries", ListOf(Ref(("country",))), "Countries involved."),
            Field("place", Text(max_length=200, single_line=True), "Where it happened."),
        )),
    ),
    EntryType(
        name="concept", plural="Concepts", folder="concepts", url_prefix="concepts",
        doc="An analytical term, shown in the glossary.",
        fields=_with(COMMON_FIELDS, override={
            "name": Field("name", Text(max_length=300, single_line=True), "The term.", required=True),
        }, extra=(
            Field("definition", DEFINITION, "The definition the texts give or use.", required=True),
        )),
    ),
    EntryType(
        name="country", plural="Countries", folder="countries", url_prefix="countries",
        doc="A state. The id is the ISO 3166-1 alpha-3 code; the English name comes from the ISO database; "
            "memberships come from the organisations.",
        fields=_with(COMMON_FIELDS, drop=("name",)),
        derive_name=_country_name,
    ),
    EntryType(
        name="disagreement", plural="Disagreements", folder="disagreements", url_prefix="disagreements",
        doc="A factual point on which the texts differ, with each side's words.",
        fields=_with(COMMON_FIELDS, override={
            "name": Field("name", Text(max_length=300, single_line=True), "The question.", required=True),
        }, extra=(
            Field("concerns", ListOf(Ref(), min_items=1), "Entries the disagreement concerns.", required=True),
            Field("positions", ListOf(POSITION, min_items=2), "The competing values.", required=True),
            Field("resolution", Markdown(), "What the site's other sources say, if they settle it."),
        )),
    ),
)

OUTLINE_SECTION = Record(
    name="outline section",
    fields=(
        Field("title", Text(max_length=300, single_line=True), "The section's title as the text gives it.",
              required=True),
        Field("locator", Text(max_length=300, single_line=True),
              "Where it is: a page range, or the section name where the text has no pages."),
        Field("summary", Markdown(), "What the section does, in the site's own words, cited.", required=True),
    ),
)

ENTRY_TYPES = ENTRY_TYPES + (
    EntryType(
        name="guide", plural="Reading guides", folder="guides", url_prefix="guides",
        doc="A reading guide to one of the texts the companion accompanies.",
        fields=_with(COMMON_FIELDS, extra=(
            Field("work", Cite(), "BibTeX key of the text the guide is about.", required=True),
            Field("question", Markdown(), "The question the text asks.", required=True),
            Field("abstract", Markdown(), "A neutral abstract in the site's own words, cited.", required=True),
            Field("argument", ListOf(Markdown(), min_items=1), "The argument in a few steps, each cited.",
                  required=True),
            Field("outline", ListOf(OUTLINE_SECTION, min_items=1), "The text's sections in order.", required=True),
            Field("concepts", ListOf(Ref(("concept",))), "Concepts the text introduces or relies on."),
            Field("organisations", ListOf(Ref(("organisation",))), "Organisations the text discusses."),
            Field("events", ListOf(Ref(("event",))), "Events the text discusses."),
            Field("countries", ListOf(Ref(("country",))), "Countries the text discusses."),
        )),
    ),
)

TYPES_BY_NAME: dict[str, EntryType] = {t.name: t for t in ENTRY_TYPES}


def entry_type_named(name: str) -> EntryType:
    """The declared type called ``name`` (how pickled entries find their type again)."""
    return TYPES_BY_NAME[name]

TYPES_BY_FOLDER: dict[str, EntryType] = {t.folder: t for t in ENTRY_TYPES}
