"""Entry types and the schema of one site.

An :class:`EntryType` names its folder, its URL pattern, its template and its fields.
The types are declared as data: the generator ships a default declaration
(``generator/schema/default_types.yaml``) and a site may extend or replace it with its
own ``types.yaml`` (read by :mod:`generator.schema.declare`). The types of one site make
its :class:`Schema`, which is passed through the build: validation
(:mod:`generator.load.loader`), linking, the JSON Schemas (:mod:`generator.schema.json_schema`),
the field reference (:mod:`generator.schema.reference_docs`), ``new`` and the caches all
work from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from generator.schema.fields import CheckContext, Field, Record, Relation
from generator.load.yamlload import YMap

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
        derive_name: for types whose English name comes from a database (countries): a
            :class:`~generator.schema.validators.NameSource`.
        check_whole: checks that need several fields at once (dates that cannot all be true):
            the type's named :class:`~generator.schema.validators.Validators`.
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
        # Pickled by name: the types are singletons of their schema (compared with `is`). The
        # entry cache unpickles with a lookup bound to the build's schema (see entry_cache.py).
        return entry_type_named, (self.name,)


@dataclass(frozen=True, eq=False)
class Schema:
    """The entry types of one site, as its declaration gives them.

    Attributes:
        types: every type, in declaration order (the order of listings and of the home page).
        enums: the declared enumerations by name.
        records: the declared records by name.
        fingerprint: a digest of the declaration files it was read from: a change to them
            changes every cache key that depends on the types.
        files: the declaration files, relative to the project (``types.yaml``), the default's first.
    """

    types: tuple[EntryType, ...]
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    fingerprint: str = ""
    files: tuple[str, ...] = ()
    by_name: dict[str, EntryType] = field(init=False, repr=False)
    """The types by name."""
    by_folder: dict[str, EntryType] = field(init=False, repr=False)
    """The types by folder under ``content/``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {t.name: t for t in self.types})
        object.__setattr__(self, "by_folder", {t.folder: t for t in self.types})

    def type_named(self, name: str) -> EntryType:
        """The type called ``name`` (``KeyError`` if undeclared)."""
        return self.by_name[name]

    @property
    def url_prefixes(self) -> frozenset[str]:
        """The first URL segment of every type's pages."""
        return frozenset(t.url_prefix for t in self.types)


def default_schema() -> Schema:
    """The types the generator ships (``generator/schema/default_types.yaml``)."""
    from generator.schema.declare import default_schema as load_default

    return load_default()


def entry_type_named(name: str) -> EntryType:
    """The default schema's type called ``name``.

    What a plain ``pickle.loads`` of an entry calls; the entry cache replaces it with
    the same lookup in the build's own schema.
    """
    return default_schema().by_name[name]
