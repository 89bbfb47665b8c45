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
    Bool, Cite, CheckContext, Enum, Field, Lang, ListOf, Markdown, Record, Ref, Relation, Slug, Text,
)
from generator.schema.records import (
    DATE_ALTERNATIVES, DATED, DATED_FACT, LOCATOR_LABELS, SOURCE, SOURCES, STATUS_CHANGE, STATUS_CHANGES, before,
    date_node, dates_of,
)
from generator.load.yamlload import YMap, YNode, YScalar, YSeq

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


ORGANISATION_KINDS = (
    "alliance", "collective-security-system", "military-force", "customs-union", "economic-union",
    "economic-community", "free-trade-area", "single-economic-space", "union-state", "commonwealth",
    "regional-organisation", "international-organisation", "forum", "council", "commission", "court",
    "parliamentary-assembly", "secretariat", "treaty", "treaty-regime", "bank", "programme", "other",
)
MEMBERSHIP_ROLES = (
    "member", "founding-member", "observer", "associate", "partner", "dialogue-partner", "signatory", "candidate",
)
MEMBERS = Relation(
    target="country", targets=("country",), roles=MEMBERSHIP_ROLES, changes=True,
    label="membership", inverse_label="Memberships", target_doc="The member state.",
    heading="Membership", target_noun="member state",
    chart_title="Membership of {the_holder}", chart_description="Timeline of {n} {targets} of the {holder}",
    target_chart_description="Timeline of {target}'s membership in {n} {holders}",
    role_styles=(("member", "member"), ("founding-member", "member"), ("signatory", "member"),
                 ("observer", "observer")),
    legend=(("member", "Member or signatory"), ("other", "Other role (partner, associate…)")),
    overview_start=1991,  # the Soviet Union's dissolution
    overview_group_field="kind",
    overview_groups=(
        ("Security", ("alliance", "collective-security-system", "military-force", "treaty-regime")),
        ("Economic", ("customs-union", "economic-union", "economic-community", "free-trade-area",
                      "single-economic-space", "bank")),
    ),
    overview_other_group="Political and other",
)
"""An organisation's members: states, each with a role, a period and status changes."""
MEMBERSHIP = MEMBERS.record
EVENT_KINDS = (
    "treaty-signed", "treaty-in-force", "founding", "accession", "withdrawal", "suspension", "reinstatement",
    "enlargement", "renaming", "dissolution", "summit", "boycott", "crisis", "war", "revolution", "election",
    "speech", "article", "doctrine", "declaration", "agreement", "decision", "negotiation", "exercise",
    "sanctions", "other",
)


def _relation_items(values: list, node: YNode | None, target: str) -> list[tuple[dict, YMap]]:
    """Checked relation records with their nodes, matched by where their ``target`` is written.

    The list holds only the records that passed their own checks, so position in
    the list does not match position in the file when one failed.
    """
    items = node.items if isinstance(node, YSeq) else []
    by_place = {(ref.line, ref.column): item for item in items
                if isinstance(item, YMap) and isinstance(ref := item.get(target), YScalar)}
    found = ((v, by_place.get((v[target].location.line, v[target].location.column))) for v in values)
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


def _check_organisation(value: dict, node: YMap, ctx: CheckContext) -> None:
    founded, dissolved = dates_of(value, "founded"), dates_of(value, "dissolved")
    if before(dissolved, founded):
        ctx.error("organisation.period", f"dissolved before it was founded ({', '.join(str(d) for d in founded)})",
                  date_node(node.get("dissolved"), node), "check the 'founded' and 'dissolved' dates")
    for membership, member_node in _relation_items(value.get("members", []), node.get("members"), "country"):
        country = membership["country"].target
        if before(dissolved, dates_of(membership, "from")):
            ctx.error("membership.outside-organisation", f"{country}'s membership begins after the organisation was "
                      f"dissolved ({', '.join(str(d) for d in dissolved)})",
                      date_node(member_node.get("from"), member_node),
                      "check the membership's 'from' and the organisation's 'dissolved'")
        elif before(dates_of(membership, "to"), founded):
            ctx.error("membership.outside-organisation", f"{country}'s membership ends before the organisation was "
                      f"founded ({', '.join(str(d) for d in founded)})", date_node(member_node.get("to"), member_node),
                      "check the membership's 'to' and the organisation's 'founded'")


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


FEATURES = frozenset({"backlinks", "search", "data", "glossary", "chronology", "timelines"})
"""The site features an entry type can take part in (see :attr:`EntryType.features`)."""

GENERIC_TEMPLATE = "entry/generic.md.jinja"
"""The page template of a type that has none of its own."""


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
        features: the site features the type's entries take part in, a subset of
            :data:`FEATURES` (all by default): ``backlinks`` ("Referenced by" on the
            pages they link to), ``search`` (the search index), ``data`` (a table of
            the data package), ``glossary`` (with ``glossary_definition``),
            ``chronology`` (with ``chronology_date``) and ``timelines`` (charts of
            its :class:`~generator.schema.fields.Relation` fields).
        template: the page template; ``None`` for ``entry/<name>.md.jinja`` when such a
            template exists, else the generic ``entry/generic.md.jinja``.
        chronology_date: the dated field that places an entry in the chronology
            (``date`` for events); ``None`` keeps the type out of it.
        glossary_definition: the field whose ``text`` defines an entry in the glossary
            (``definition`` for concepts); ``None`` keeps the type out of it.
        json_ld_type: the schema.org type of the page's JSON-LD (``Organization``).
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
    features: frozenset[str] = frozenset(FEATURES)
    template: str | None = None
    chronology_date: str | None = None
    glossary_definition: str | None = None
    json_ld_type: str = "Thing"

    def __post_init__(self) -> None:
        unknown = set(self.features) - FEATURES
        if unknown:
            raise ValueError(f"type '{self.name}': unknown features {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(FEATURES))}")

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
    def templates(self) -> list[str]:
        """Page templates to try, first found wins (see :attr:`template`)."""
        if self.template:
            return [self.template]
        return [f"entry/{self.name}.md.jinja", GENERIC_TEMPLATE]

    def has(self, feature: str) -> bool:
        """Whether the type's entries take part in ``feature`` (one of :data:`FEATURES`)."""
        return feature in self.features

    @property
    def relations(self) -> list[Field]:
        """The type's :class:`~generator.schema.fields.Relation` fields, in declaration order."""
        return [f for f in self.fields if isinstance(f.type, Relation)]

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
        json_ld_type="Organization",
        doc="An international organisation, treaty regime, organ or force.",
        fields=_with(COMMON_FIELDS, extra=(
            Field("kind", Enum(ORGANISATION_KINDS), "What sort of body it is.", required=True),
            Field("founded", DATED, "When it was founded or signed.", json_ld="foundingDate"),
            Field("dissolved", DATED, "When it ceased to exist.", json_ld="dissolutionDate"),
            Field("predecessors", ListOf(Ref(("organisation",))), "Organisations it replaced.",
                  inverse="successors", acyclic=True),
            Field("successors", ListOf(Ref(("organisation",))), "Organisations that replaced it.",
                  inverse="predecessors", acyclic=True),
            Field("parent", Ref(("organisation",)), "The body it belongs to (for organs, courts, forces).",
                  inverse="parts", acyclic=True),
            Field("members", MEMBERS, "Member, observer and other states, with periods and changes."),
        )),
        check_whole=_check_organisation,
    ),
    EntryType(
        name="event", plural="Events", folder="events", url_prefix="events",
        json_ld_type="Event", chronology_date="date",
        doc="A dated event: a treaty signed, an accession, a summit, a crisis, a speech...",
        fields=_with(COMMON_FIELDS, extra=(
            Field("date", DATED, "When it happened.", required=True, json_ld="startDate"),
            Field("kind", Enum(EVENT_KINDS), "What sort of event.", required=True),
            Field("organisations", ListOf(Ref(("organisation",))), "Organisations involved."),
            Field("countries", ListOf(Ref(("country",))), "Countries involved."),
            Field("place", Text(max_length=200, single_line=True), "Where it happened.", json_ld="location"),
        )),
    ),
    EntryType(
        name="concept", plural="Concepts", folder="concepts", url_prefix="concepts",
        json_ld_type="DefinedTerm", glossary_definition="definition",
        doc="An analytical term, shown in the glossary.",
        fields=_with(COMMON_FIELDS, override={
            "name": Field("name", Text(max_length=300, single_line=True), "The term.", required=True),
        }, extra=(
            Field("definition", DEFINITION, "The definition the texts give or use.", required=True),
        )),
    ),
    EntryType(
        name="country", plural="Countries", folder="countries", url_prefix="countries",
        json_ld_type="Country",
        doc="A state. The id is the ISO 3166-1 alpha-3 code; the English name comes from the ISO database; "
            "memberships come from the organisations.",
        fields=_with(COMMON_FIELDS, drop=("name",)),
        derive_name=_country_name,
    ),
    EntryType(
        name="disagreement", plural="Disagreements", folder="disagreements", url_prefix="disagreements",
        json_ld_type="CreativeWork", features=FEATURES - {"data"},
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
        json_ld_type="LearningResource", features=FEATURES - {"data"},
        doc="A reading guide to one of the texts the companion accompanies.",
        fields=_with(COMMON_FIELDS, extra=(
            Field("work", Cite(), "BibTeX key of the text the guide is about.", required=True, json_ld="about"),
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
