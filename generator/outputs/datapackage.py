"""The site's data as downloadable tables: CSV and JSON, described by a Frictionless Data Package.

:func:`data_files` returns ``{path: text}`` for ``data/``: one CSV and one JSON file per
table and ``data/datapackage.json``, a Frictionless Data Package (v1) whose resources are
the CSV files, each with a Table Schema (types, descriptions, primary and foreign keys).

The tables (:func:`site_tables`): one per entry type with the ``data`` feature, one link
table per :class:`~generator.schema.fields.Relation` field of those types (a membership a
row), and the sources. The generator's default types have hand-written tables
(:data:`TABLES`: organisations, memberships, events, concepts, countries, sources);
any other type's table is derived from its declared fields (:func:`type_table`,
:func:`relation_table`). Each table is declared once: the fields, their types and
descriptions and how a row is made from an entry. The CSV, the JSON and the schema all
come from that declaration.

- **Deterministic**: rows sorted by primary key, keys in declaration order, ``\\n``
  line ends, no timestamps; the same content and ``version`` give the same bytes.
- **Dates**: the EDTF value as written (alternatives joined with `` | ``) plus the
  earliest and latest day it can mean as ISO dates, so the tables sort and filter
  without an EDTF parser.
- **Nested values** (sources, alternatives, names) are JSON arrays; Table Schema's
  ``array`` type reads a CSV cell as JSON text.
- **Formula injection**: in the CSV, a text cell beginning with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is prefixed with an apostrophe so spreadsheets
  show it as text; the JSON files keep every value as written.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
import re
from typing import Any, Callable

import pycountry

from generator.bibliography import Bibliography, source_slug
from generator.schema.fields import (
    Bool, Cite, Date, Enum, Field, ListOf, Markdown, OneOrMany, Prose, Record, Ref, RefValue, Relation, Slug, Text,
)
from generator.load.linker import Site
from generator.load.loader import Entry
from generator.outputs.timeline import overview_relation
from generator.schema.types import EntryType, default_schema

# The tables below describe the default types' data (their enumerations as declared in default_types.yaml).
_ENUMS = default_schema().enums
EVENT_KINDS, MEMBERSHIP_ROLES = _ENUMS["event-kind"], _ENUMS["membership-role"]
ORGANISATION_KINDS, STATUS_CHANGES = _ENUMS["organisation-kind"], _ENUMS["status-change"]

DEFAULT_LICENCE = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT"}
"""The data licence when the site declares none (``extra.companion.data_package.licence``)."""


def package_identity(site_name: str, declared: dict[str, Any] | None = None) -> tuple[str, str, dict[str, str]]:
    """The data package's ``name``, ``title`` and licence: as the site declares them, else from its name.

    >>> package_identity("A Companion: Rivers")[:2]
    ('a-companion-rivers', 'A Companion: Rivers — data')
    """
    declared = declared or {}
    name = declared.get("name") or re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "companion"
    title = declared.get("title") or f"{site_name} — data"
    licence = declared.get("licence") if isinstance(declared.get("licence"), dict) else DEFAULT_LICENCE
    return str(name), str(title), {str(k): str(v) for k, v in licence.items()}


ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
ALTERNATIVES_SEPARATOR = " | "
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_NOTE = (" Spreadsheet-safe: in the CSV, a value beginning with =, +, -, @, a tab or a carriage return "
                "is preceded by an apostrophe (') so that spreadsheets do not run it as a formula; the JSON file "
                "has the value as written.")
_SOURCE_SHAPE = ('each source is {"key": BibTeX key (see sources.csv), "locator": where in the work, '
                 '"label": what the locator counts (page, note, section, paragraph, chapter), '
                 '"quote": optional short quotation}')
_ALTERNATIVES_SHAPE = ('JSON array of {"date": EDTF value, "sources": [...], "note": Markdown or null}, '
                       'one per value the sources give; ' + _SOURCE_SHAPE)


# --------------------------------------------------------------------------- values


def _iso(ymd: tuple[int, int, int]) -> str:
    return f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"


def _prose(value: Any) -> str | None:
    if value is None:
        return None
    return value.text if isinstance(value, Prose) else str(value)


def _ref(value: Any) -> str | None:
    return value.target if isinstance(value, RefValue) else value


def _refs(values: Any) -> list[str]:
    return sorted(_ref(v) for v in values or [])


def _sources(items: Any) -> list[dict[str, Any]]:
    out = []
    for item in items or []:
        source: dict[str, Any] = {"key": item["key"].key if hasattr(item["key"], "key") else str(item["key"]),
                                  "locator": item.get("locator"),
                                  "label": item.get("label") or ("page" if item.get("locator") else None)}
        if item.get("quote"):
            source["quote"] = item["quote"]
        out.append(source)
    return out


def _alternatives(alternatives: Any) -> list[dict[str, Any]]:
    return [{"date": alt["date"].text, "sources": _sources(alt.get("sources")), "note": _prose(alt.get("note"))}
            for alt in alternatives or []]


def _dates(alternatives: Any) -> str | None:
    texts = [alt["date"].text for alt in alternatives or []]
    return ALTERNATIVES_SEPARATOR.join(texts) if texts else None


def _earliest(alternatives: Any) -> str | None:
    lows = [alt["date"].lower for alt in alternatives or []]
    low = min(lows) if lows else None
    return _iso(low) if low and low > (1, 1, 1) else None


def _latest(alternatives: Any) -> str | None:
    highs = [alt["date"].upper for alt in alternatives or []]
    high = max(highs) if highs else None
    return _iso(high) if high and high[0] < 9999 else None


def _names(items: Any) -> list[dict[str, Any]]:
    return [{"text": n["text"], "lang": n.get("lang") or "en", "translit": n.get("translit"),
             "note": _prose(n.get("note"))} for n in items or []]


def _guard(value: str) -> str:
    """Make a text cell inert in spreadsheets."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Column:
    """One field of a table: its Table Schema type, description and constraints."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    unique: bool = False
    text: bool = False
    """Free text: guarded against formula injection in the CSV."""

    def schema(self) -> dict[str, Any]:
        field: dict[str, Any] = {"name": self.name, "type": self.type,
                                 "description": self.description + (FORMULA_NOTE if self.text else "")}
        if self.type == "date":
            field["format"] = "default"
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            field["constraints"] = constraints
        return field


def _id(description: str) -> Column:
    return Column("id", "string", description, required=True, unique=True, pattern=ID_PATTERN)


def _text(name: str, description: str, required: bool = False) -> Column:
    return Column(name, "string", description, required=required, text=True)


def _date_columns(name: str, what: str) -> tuple[Column, ...]:
    return (
        _text(name, f"{what}: the EDTF value as written (e.g. 1992-05-15, 2003~, 1996/1999); where the sources "
                    f"disagree, every value, separated by ' | '."),
        Column(f"{name}_earliest", "date", f"{what}: the earliest day the value(s) can mean (ISO 8601); empty "
                                           f"when open or unknown."),
        Column(f"{name}_latest", "date", f"{what}: the latest day the value(s) can mean (ISO 8601); empty "
                                         f"when open or unknown."),
        Column(f"{name}_alternatives", "array", f"{what}, with sources: {_ALTERNATIVES_SHAPE}."),
    )


def _date_values(prefix: str, alternatives: Any) -> dict[str, Any]:
    return {prefix: _dates(alternatives), f"{prefix}_earliest": _earliest(alternatives),
            f"{prefix}_latest": _latest(alternatives), f"{prefix}_alternatives": _alternatives(alternatives)}


_COMMON_TAIL = (
    _text("summary", "One neutral sentence (plain text).", required=True),
    Column("page", "string", "The entry's page on the site (URL, relative to the site root when no base URL was "
                             "given)."),
    Column("sources", "array", f"Sources for the entry as a whole: JSON array; {_SOURCE_SHAPE}."),
)


def _tail(entry: Entry, page: Callable[[str], str]) -> dict[str, Any]:
    return {"summary": entry.get("summary"), "page": page(entry.url), "sources": _sources(entry.get("sources"))}


@dataclass(frozen=True)
class Table:
    """One table: name, description, columns, keys and how its rows are made."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """``(field, resource, field)``; resource ``""`` refers to the table itself."""
    order: tuple[str, ...] = ()
    """Fields the rows are sorted by (the primary key when empty)."""
    download: str = ""
    """What the CSV file holds, in one line for the data page (default: the title and the columns)."""
    listed_as: str = ""
    """How the package's description names the table (default: the title in lower case)."""

    def download_text(self) -> str:
        """The data page's line for the CSV file."""
        if self.download:
            return self.download
        shown = [c.name.replace("_", " ") for c in self.columns if c.name not in ("page", "sources", "summary")
                 and not c.name.endswith(("_earliest", "_latest", "_alternatives"))]
        return f"{self.title}: {', '.join(shown[:8])}{', ...' if len(shown) > 8 else ''}."

    def sort_key(self, row: dict[str, Any]) -> tuple:
        return tuple(row[k] if isinstance(row[k], int) else str(row[k]) for k in self.order or self.primary_key)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.schema() for c in self.columns],
            "primaryKey": list(self.primary_key) if len(self.primary_key) > 1 else self.primary_key[0],
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [{"fields": f, "reference": {"resource": r, "fields": rf}}
                                     for f, r, rf in self.foreign_keys]
        return schema


ORGANISATIONS = Table(
    "organisations", "Organisations",
    "International organisations, treaty regimes, organs and forces.",
    (
        _id("The organisation's id (its usual English abbreviation where there is one), as in the site's URLs."),
        _text("name", "English name.", required=True),
        Column("kind", "string", "What sort of body it is.", required=True, enum=ORGANISATION_KINDS),
        Column("abbreviations", "array", 'Abbreviations in any script: JSON array of {"text", "lang", '
                                         '"translit", "note"}.'),
        Column("names", "array", 'Names in other languages: JSON array of {"text", "lang", "translit", "note"}.'),
        *_date_columns("founded", "When it was founded or signed"),
        *_date_columns("dissolved", "When it ceased to exist"),
        Column("parent", "string", "Id of the organisation it belongs to (for organs, courts, forces).",
               pattern=ID_PATTERN),
        Column("predecessors", "array", "Ids of the organisations it replaced (JSON array)."),
        Column("successors", "array", "Ids of the organisations that replaced it (JSON array)."),
        Column("member_count", "integer", "Number of membership records (rows of memberships.csv)."),
        *_COMMON_TAIL,
    ),
    ("id",), (("parent", "", "id"),),
    download="Organisations: id, names, kind, founding and dissolution dates.",
)

MEMBERSHIPS = Table(
    "memberships", "Memberships",
    "One row per membership period: a state's membership, observer status or other role in an organisation, "
    "as recorded in the organisation's entry.",
    (
        Column("id", "string", "Row id: organisation/country/sequence (sequence counts the country's periods in "
                               "the organisation from 1, in order of start).", required=True, unique=True),
        Column("organisation", "string", "Id of the organisation (organisations.csv).", required=True,
               pattern=ID_PATTERN),
        Column("country", "string", "Id of the member state (countries.csv): its ISO 3166-1 alpha-3 code in lower "
                                    "case.", required=True, pattern=ID_PATTERN),
        Column("sequence", "integer", "1 for the country's first period in the organisation, 2 for the next...",
               required=True),
        Column("role", "string", "Kind of membership.", required=True, enum=MEMBERSHIP_ROLES),
        *_date_columns("from", "When the period began (empty: not recorded)"),
        *_date_columns("to", "When the period ended (empty: no end recorded)"),
        Column("open_ended", "boolean", "true when no end date is recorded (the membership continues, unless a "
                                        "change such as a withdrawal or the organisation's dissolution ended it)."),
        Column("changes", "array", 'Status changes inside the period: JSON array of {"status": one of '
                                   f'{", ".join(STATUS_CHANGES)}, "date": [alternatives as in from_alternatives], '
                                   f'"sources": [...], "note": Markdown or null}}; {_SOURCE_SHAPE}.'),
        Column("sources", "array", f"Where the membership is reported: JSON array; {_SOURCE_SHAPE}."),
        _text("note", "A remark on the membership (Markdown with [[id]] links and [@key] citations)."),
    ),
    ("id",), (("organisation", "organisations", "id"), ("country", "countries", "id")),
    order=("organisation", "country", "sequence"),
    download="Memberships: organisation, country, role, period, status changes, sources.",
    listed_as="their memberships",
)

EVENTS = Table(
    "events", "Events",
    "Dated events: treaties signed, accessions, summits, crises, speeches...",
    (
        _id("The event's id, as in the site's URLs."),
        _text("name", "English name.", required=True),
        Column("kind", "string", "What sort of event.", required=True, enum=EVENT_KINDS),
        *_date_columns("date", "When it happened"),
        Column("organisations", "array", "Ids of the organisations involved (JSON array)."),
        Column("countries", "array", "Ids of the countries involved (JSON array)."),
        _text("place", "Where it happened (plain text)."),
        *_COMMON_TAIL,
    ),
    ("id",),
    download="Events: id, date, kind, organisations and countries involved.",
)

CONCEPTS = Table(
    "concepts", "Concepts",
    "Analytical terms, as the site's glossary defines them.",
    (
        _id("The concept's id, as in the site's URLs."),
        _text("name", "The term.", required=True),
        _text("definition", "One-sentence definition.", required=True),
        Column("definition_sources", "array", f"Where the definition is given or used: JSON array; {_SOURCE_SHAPE}."),
        Column("other_names", "array", 'Synonyms and variant names: JSON array of {"text", "lang", "translit", '
                                       '"note"}.'),
        Column("related", "array", "Ids of related entries of any type (JSON array)."),
        *_COMMON_TAIL,
    ),
    ("id",),
    download="Concepts with their one-sentence definitions.",
)

COUNTRIES = Table(
    "countries", "Countries",
    "States, with their ISO 3166-1 codes; their memberships are in memberships.csv.",
    (
        _id("The country's id: its ISO 3166-1 alpha-3 code in lower case."),
        _text("name", "English name, from the ISO 3166 database (pycountry's common name where there is one).",
              required=True),
        Column("iso_alpha3", "string", "ISO 3166-1 alpha-3 code.", required=True, pattern="^[A-Z]{3}$"),
        Column("iso_alpha2", "string", "ISO 3166-1 alpha-2 code.", pattern="^[A-Z]{2}$"),
        Column("iso_numeric", "string", "ISO 3166-1 numeric code (three digits, kept as text).",
               pattern="^[0-9]{3}$"),
        Column("names", "array", 'Names in other languages: JSON array of {"text", "lang", "translit", "note"}.'),
        Column("membership_count", "integer", "Number of membership records naming the country."),
        *_COMMON_TAIL,
    ),
    ("id",),
    download="Countries with ISO 3166-1 codes.",
)

SOURCES = Table(
    "sources", "Sources",
    "Every work in the bibliography, by BibTeX key: the keys the other tables' sources cite.",
    (
        Column("key", "string", "BibTeX key.", required=True, unique=True),
        Column("type", "string", "BibTeX entry type (article, book, online...).", required=True),
        _text("author", "Authors as written in the bibliography (BibTeX 'and'-separated, LaTeX decoded)."),
        _text("title", "Title (LaTeX decoded)."),
        _text("date", "Date as in the bibliography (year, or ISO date)."),
        _text("container", "Journal, book or series the work appears in."),
        _text("url", "URL of the work, if any."),
        _text("doi", "DOI, if any."),
        Column("page", "string", "The work's page on the site."),
    ),
    ("key",),
    download="Sources: one row per work of the bibliography, for looking up the source keys in the other tables.",
    listed_as="the works cited",
)

TABLES: tuple[Table, ...] = (ORGANISATIONS, MEMBERSHIPS, EVENTS, CONCEPTS, COUNTRIES, SOURCES)
"""The hand-written tables of the generator's default types (and the sources)."""


# --------------------------------------------------------------------------- rows


RowsOf = Callable[[Entry, Callable[[str], str]], list[dict[str, Any]]]
"""What makes a table's rows from one entry, given the ``page`` URL maker: every table but the sources'
is the union of its entries' rows, so a rebuild can reuse the rows of entries that did not change."""


def _organisation_rows(site: Site, org: Entry, page: Callable[[str], str]) -> list[dict[str, Any]]:
    return [{
        "id": org.id, "name": org.name, "kind": org.get("kind"),
        "abbreviations": _names(org.get("abbreviations")), "names": _names(org.get("names")),
        **_date_values("founded", org.get("founded")), **_date_values("dissolved", org.get("dissolved")),
        "parent": _ref(org.get("parent")),
        "predecessors": _refs(org.get("predecessors")), "successors": _refs(org.get("successors")),
        "member_count": len(org.get("members") or []),
        **_tail(org, page),
    }]


def _membership_rows(site: Site, org: Entry, page: Callable[[str], str]) -> list[dict[str, Any]]:
    records = []
    for index, record in enumerate(org.get("members") or []):
        start = _earliest(record.get("from")) or ""
        records.append(((org.id, record["country"].target, start, record["role"], index), org, record))
    records.sort(key=lambda r: r[0])
    rows = []
    sequence: dict[tuple[str, str], int] = {}
    for (org_id, country_id, *_), org, record in records:
        n = sequence[(org_id, country_id)] = sequence.get((org_id, country_id), 0) + 1
        rows.append({
            "id": f"{org_id}/{country_id}/{n}", "organisation": org_id, "country": country_id, "sequence": n,
            "role": record["role"],
            **_date_values("from", record.get("from")), **_date_values("to", record.get("to")),
            "open_ended": not record.get("to"),
            "changes": [{"status": c["status"], "date": _alternatives(c.get("date")),
                         "sources": _sources(c.get("sources")), "note": _prose(c.get("note"))}
                        for c in record.get("changes") or []],
            "sources": _sources(record.get("sources")),
            "note": _prose(record.get("note")),
        })
    return rows


def _event_rows(site: Site, e: Entry, page: Callable[[str], str]) -> list[dict[str, Any]]:
    return [{
        "id": e.id, "name": e.name, "kind": e.get("kind"), **_date_values("date", e.get("date")),
        "organisations": _refs(e.get("organisations")), "countries": _refs(e.get("countries")),
        "place": e.get("place"), **_tail(e, page),
    }]


def _concept_rows(site: Site, c: Entry, page: Callable[[str], str]) -> list[dict[str, Any]]:
    return [{
        "id": c.id, "name": c.name, "definition": c.get("definition", {}).get("text"),
        "definition_sources": _sources(c.get("definition", {}).get("sources")),
        "other_names": _names(c.get("other_names")), "related": _refs(c.get("related")), **_tail(c, page),
    }]


def _country_rows(site: Site, country: Entry, page: Callable[[str], str]) -> list[dict[str, Any]]:
    overview = overview_relation(site)
    membership = overview[1] if overview is not None else None  # the organisations' members (not people's roles)
    iso = pycountry.countries.get(alpha_3=country.id.upper())
    return [{
        "id": country.id, "name": country.name, "iso_alpha3": country.id.upper(),
        "iso_alpha2": getattr(iso, "alpha_2", None), "iso_numeric": getattr(iso, "numeric", None),
        "names": _names(country.get("names")),
        "membership_count": len([r for r in site.related.get(country.id, []) if r.field is membership]),
        **_tail(country, page),
    }]


def _source_rows(bibliography: Bibliography, page: Callable[[str], str]) -> list[dict[str, Any]]:
    rows = []
    for key, entry in bibliography.entries.items():
        f = entry.fields
        rows.append({
            "key": key, "type": entry.entry_type, "author": f.get("author") or f.get("editor"),
            "title": f.get("title"), "date": f.get("date") or f.get("year"),
            "container": f.get("journaltitle") or f.get("journal") or f.get("booktitle") or f.get("howpublished"),
            "url": f.get("url"), "doi": f.get("doi"), "page": page(f"sources/{source_slug(key)}/"),
        })
    return rows



# --------------------------------------------------------------------------- tables of any type

_NAME_COLUMNS = {"names": "Names in other languages", "abbreviations": "Abbreviations in any script",
                 "other_names": "Former or variant names"}
_SKIPPED = frozenset({"id", "name", "summary", "sources", "body", "aliases", "glossary_links"})
_NAME_SHAPE = 'JSON array of {"text", "lang", "translit", "note"}'


def _is_dated(field_type: Any) -> bool:
    return isinstance(field_type, OneOrMany) and "date" in field_type.record.field_names()


def _defines(field_type: Any) -> bool:
    """A record with a ``text`` and its ``sources`` (a definition)."""
    return isinstance(field_type, Record) and {"text", "sources"} <= set(field_type.field_names())


def _field_columns(field: Field) -> tuple[Column, ...]:
    """The columns one declared field gives in its type's table."""
    kind, doc = field.type, field.doc
    if field.name in _NAME_COLUMNS and isinstance(kind, ListOf):
        return (Column(field.name, "array", f"{_NAME_COLUMNS[field.name]}: {_NAME_SHAPE}."),)
    if _is_dated(kind):
        return _date_columns(field.name, doc.rstrip("."))
    if isinstance(kind, Enum):
        return (Column(field.name, "string", doc, required=field.required, enum=kind.values),)
    if isinstance(kind, (Ref, Slug)):
        return (Column(field.name, "string", f"{doc} (an entry id)", required=field.required, pattern=ID_PATTERN),)
    if isinstance(kind, Cite):
        return (Column(field.name, "string", f"{doc} (a key of sources.csv)", required=field.required),)
    if isinstance(kind, Bool):
        return (Column(field.name, "boolean", doc),)
    if isinstance(kind, (Text, Markdown, Date)):
        return (_text(field.name, doc, required=field.required),)
    if _defines(kind):
        return (_text(field.name, doc, required=field.required),
                Column(f"{field.name}_sources", "array", f"Where it is given: JSON array; {_SOURCE_SHAPE}."))
    if isinstance(kind, Relation):
        return (Column(f"{field.name}_count", "integer",
                       f"Number of {kind.label} records ({field.name}: rows of {_relation_table_name(kind)}.csv)."),)
    if isinstance(kind, ListOf) and isinstance(kind.item, Ref):
        return (Column(field.name, "array", f"{doc} Entry ids (JSON array)."),)
    return (Column(field.name, "array" if isinstance(kind, (ListOf, OneOrMany)) else "object",
                   f"{doc} (JSON)."),)


def _plain(value: Any) -> Any:
    """A checked value as JSON data: references as ids, citation keys as keys, prose as its text."""
    if isinstance(value, RefValue):
        return value.target
    if isinstance(value, Prose):
        return value.text
    if hasattr(value, "key") and hasattr(value, "location"):
        return value.key
    if hasattr(value, "earliest") and hasattr(value, "text"):
        return value.text
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _field_values(field: Field, entry: Entry) -> dict[str, Any]:
    """The cells one declared field gives in its type's table (see :func:`_field_columns`)."""
    kind, value = field.type, entry.get(field.name)
    if field.name in _NAME_COLUMNS and isinstance(kind, ListOf):
        return {field.name: _names(value)}
    if _is_dated(kind):
        return _date_values(field.name, value)
    if isinstance(kind, (Ref, Cite)):
        return {field.name: _plain(value)}
    if isinstance(kind, (Text, Markdown, Enum, Slug, Bool)):
        return {field.name: _prose(value) if isinstance(value, Prose) else value}
    if isinstance(kind, Date):
        return {field.name: value.text if value is not None else None}
    if _defines(kind):
        value = value or {}
        return {field.name: value.get("text"), f"{field.name}_sources": _sources(value.get("sources"))}
    if isinstance(kind, Relation):
        return {f"{field.name}_count": len(value or [])}
    if isinstance(kind, ListOf) and isinstance(kind.item, Ref):
        return {field.name: _refs(value)}
    return {field.name: _plain(value)}


def type_table(entry_type: EntryType) -> Table:
    """The table of a type without a hand-written one: a column (or a few) per declared field."""
    columns = [_id(f"The {entry_type.name}'s id, as in the site's URLs."),
               _text("name", "English name.", required=True)]
    for field in entry_type.fields:
        if field.name not in _SKIPPED:
            columns.extend(_field_columns(field))
    columns.extend(_COMMON_TAIL)
    keys = tuple((f.name, "", "id") for f in entry_type.fields
                 if isinstance(f.type, Ref) and f.type.types == (entry_type.name,))
    return Table(entry_type.folder, entry_type.plural, entry_type.doc, tuple(columns), ("id",), keys)


def _type_rows(entry_type: EntryType, entry: Entry, page: Callable[[str], str]) -> list[dict[str, Any]]:
    row: dict[str, Any] = {"id": entry.id, "name": entry.name}
    for field in entry_type.fields:
        if field.name not in _SKIPPED:
            row.update(_field_values(field, entry))
    return [{**row, **_tail(entry, page)}]


def _relation_table_name(relation: Relation) -> str:
    return re.sub(r"[^a-z0-9]+", "-", relation.label.lower()).strip("-") + "s"


def relation_table(entry_type: EntryType, field: Field, tables: dict[str, Table]) -> Table:
    """The link table of a Relation field without a hand-written one: one row per record."""
    relation: Relation = field.type  # type: ignore[assignment]
    holder, target = entry_type.name, relation.target
    target_table = next((tables[t] for t in relation.targets if t in tables), None) if len(relation.targets) == 1 \
        else None
    columns = [
        Column("id", "string", f"Row id: {holder}/{target}/sequence (sequence counts the {target}'s records in the "
                               f"{holder} from 1, in order of start).", required=True, unique=True),
        Column(holder, "string", f"Id of the {holder} ({entry_type.folder}.csv).", required=True, pattern=ID_PATTERN),
        Column(target, "string", relation.record.fields[0].doc + " (an entry id).", required=True, pattern=ID_PATTERN),
        Column("sequence", "integer", f"1 for the {target}'s first record in the {holder}, 2 for the next...",
               required=True),
        Column("role", "string", relation.record.fields[1].doc, required=relation.roles is not None,
               enum=relation.roles),
        *_date_columns("from", "When the period began (empty: not recorded)"),
        *_date_columns("to", "When the period ended (empty: no end recorded)"),
        Column("open_ended", "boolean", "true when no end date is recorded" + (
            " (no source gives the end: not a sign that it continues)." if relation.open_end == "unknown" else ".")),
    ]
    if relation.changes:
        columns.append(Column("changes", "array", 'Status changes inside the period: JSON array of {"status", '
                                                  '"date": [alternatives as in from_alternatives], "sources": [...], '
                                                  f'"note": Markdown or null}}; {_SOURCE_SHAPE}.'))
    columns += [Column("sources", "array", f"Where the {relation.label} is reported: JSON array; {_SOURCE_SHAPE}."),
                _text("note", f"A remark on the {relation.label} (Markdown with [[id]] links and [@key] citations).")]
    keys = [(holder, entry_type.folder, "id")]
    if target_table is not None:
        keys.append((target, target_table.name, "id"))
    name = _relation_table_name(relation)
    return Table(name, name[:1].upper() + name[1:].replace("-", " "),
                 f"One row per {relation.label} record, as recorded in the {holder}'s entry.", tuple(columns), ("id",),
                 tuple(keys), order=(holder, target, "sequence"), listed_as=f"their {relation.label}s")


def _relation_rows(entry_type: EntryType, field: Field, entry: Entry) -> list[dict[str, Any]]:
    relation: Relation = field.type  # type: ignore[assignment]
    holder, target = entry_type.name, relation.target
    records = []
    for index, record in enumerate(entry.get(field.name) or []):
        start = _earliest(record.get("from")) or ""
        records.append(((entry.id, record[target].target, start, record.get("role") or "", index), record))
    records.sort(key=lambda r: r[0])
    rows = []
    sequence: dict[tuple[str, str], int] = {}
    for (holder_id, target_id, *_), record in records:
        n = sequence[(holder_id, target_id)] = sequence.get((holder_id, target_id), 0) + 1
        row = {"id": f"{holder_id}/{target_id}/{n}", holder: holder_id, target: target_id, "sequence": n,
               "role": record.get("role"), **_date_values("from", record.get("from")),
               **_date_values("to", record.get("to")), "open_ended": not record.get("to"),
               "sources": _sources(record.get("sources")), "note": _prose(record.get("note"))}
        if relation.changes:
            row["changes"] = [{"status": c["status"], "date": _alternatives(c.get("date")),
                               "sources": _sources(c.get("sources")), "note": _prose(c.get("note"))}
                              for c in record.get("changes") or []]
        rows.append(row)
    return rows


_DECLARED_TYPES: dict[str, tuple[Table, Callable[[Site, Entry, Callable[[str], str]], list[dict[str, Any]]]]] = {
    "organisation": (ORGANISATIONS, _organisation_rows), "event": (EVENTS, _event_rows),
    "concept": (CONCEPTS, _concept_rows), "country": (COUNTRIES, _country_rows),
}
"""The default types' hand-written tables (their column documentation is part of the declarations)."""
_DECLARED_RELATIONS: dict[tuple[str, str], tuple[Table, Callable[[Site, Entry, Callable[[str], str]], list[dict[str, Any]]]]] = {
    ("organisation", "members"): (MEMBERSHIPS, _membership_rows),
}


_DECLARED_FIELDS = {"organisation": {"kind", "founded", "dissolved", "parent", "predecessors", "successors", "members"},
                    "event": {"kind", "date", "organisations", "countries", "place"}, "concept": {"definition"},
                    "country": set()}
"""The fields the hand-written tables read, by type."""


def _declared(entry_type: EntryType) -> bool:
    """Whether ``entry_type`` is one of the generator's default types (its name, and every field its
    hand-written table reads), not a site's own type of the same name."""
    wanted = _DECLARED_FIELDS.get(entry_type.name)
    return wanted is not None and wanted <= {f.name for f in entry_type.fields}


def _table_plan(site: Site) -> list[tuple[Table, EntryType, RowsOf]]:
    """The entry tables in order, each with the type whose entries give its rows and what makes one
    entry's rows: for each type with the ``data`` feature, its table, then one link table per Relation field."""
    types = _site_types(site)
    plan: list[tuple[Table, EntryType, RowsOf]] = []
    tables: dict[str, Table] = {}
    for entry_type in types:
        if not entry_type.has("data"):
            continue
        declared = _DECLARED_TYPES.get(entry_type.name) if _declared(entry_type) else None
        table = declared[0] if declared else type_table(entry_type)
        tables[entry_type.name] = table
    for entry_type in types:
        if entry_type.name not in tables:
            continue
        declared = _DECLARED_TYPES.get(entry_type.name) if _declared(entry_type) else None
        plan.append((tables[entry_type.name], entry_type,
                     (lambda entry, page, make=declared[1]: make(site, entry, page)) if declared else
                     (lambda entry, page, entry_type=entry_type: _type_rows(entry_type, entry, page))))
        for field in entry_type.relations:
            link = _DECLARED_RELATIONS.get((entry_type.name, field.name)) if _declared(entry_type) else None
            if link:
                plan.append((link[0], entry_type, lambda entry, page, make=link[1]: make(site, entry, page)))
            else:
                plan.append((relation_table(entry_type, field, tables), entry_type,
                             lambda entry, page, entry_type=entry_type, field=field:
                             _relation_rows(entry_type, field, entry)))
    return plan


def site_tables(site: Site, page: Callable[[str], str] | None = None,
                bibliography: Bibliography | None = None) -> list[tuple[Table, list[dict[str, Any]]]]:
    """Every table of the data package with its rows, in order: for each type with the ``data``
    feature, its table, then one link table per Relation field; the sources last."""
    page = page or (lambda url: url)
    out = [(table, [row for entry in site.of_type(entry_type) for row in rows_of(entry, page)])
           for table, entry_type, rows_of in _table_plan(site)]
    if bibliography is not None:
        out.append((SOURCES, _source_rows(bibliography, page)))
    return out


def _site_types(site: Site) -> list[EntryType]:
    """The site's entry types, in declaration order."""
    return list(site.schema.types)


def download_descriptions(site: Site) -> dict[str, str]:
    """The data page's line for each data file (``organisations.csv``: what it holds)."""
    out = {"datapackage.json": "Frictionless Data Package describing every table."}
    for table in [t for t, _, _ in _table_plan(site)] + [SOURCES]:
        out[f"{table.name}.csv"] = table.download_text()
        out[f"{table.name}.json"] = f"{table.title} as JSON."
    return out


# --------------------------------------------------------------------------- writing


def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.type == "array":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if column.type == "boolean":
        return "true" if value else "false"
    text = str(value)
    return _guard(text) if column.text else text


class _Lines:
    """A table's rows as the lines of its CSV and JSON files."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        types = {c.name: int if c.type == "integer" else str for c in table.columns}
        self._key_types = tuple(types.get(name, str) for name in table.order or table.primary_key)

    def well_formed(self, value: Any) -> bool:
        """Whether ``value`` has the shape of :data:`EncodedRows` for this table, sort keys included (a
        kept value is read as if anyone wrote it, and keys of other types could not be sorted)."""
        return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], tuple)
                and isinstance(value[1], tuple) and all(type(k) is str for k in value[1])
                and all(type(r) is tuple and len(r) == 3 and type(r[0]) is tuple
                        and tuple(map(type, r[0])) == self._key_types and type(r[1]) is str and type(r[2]) is str
                        for r in value[0]))

    def csv(self, values: list[str]) -> str:
        self._out.seek(0)
        self._out.truncate()
        self._writer.writerow(values)
        return self._out.getvalue()

    def encode(self, rows: list[dict[str, Any]], cited: bool) -> EncodedRows:
        """``rows`` as :data:`EncodedRows` (their citation keys left out when ``cited`` is false)."""
        columns = self.table.columns
        # JSON: one record per line, as readable in a diff as indented JSON, and json.dumps without
        # ``indent`` runs in C (with ``indent`` it falls back to pure Python, 5x slower here).
        encoded = tuple((self.table.sort_key(row), self.csv([_csv_cell(c, row.get(c.name)) for c in columns]),
                         json.dumps({c.name: row.get(c.name) for c in columns}, ensure_ascii=False))
                        for row in rows)
        keys: set[str] = set()
        if cited:
            _cited_keys(rows, keys)
        return encoded, tuple(sorted(keys))

    def files(self, encoded: list[tuple[tuple, str, str]]) -> tuple[str, str]:
        """The CSV and JSON files of the rows, sorted by the table's order."""
        encoded.sort(key=lambda line: line[0])
        header = self.csv([c.name for c in self.table.columns])
        json_lines = [line[2] for line in encoded]
        return (header + "".join(line[1] for line in encoded),
                "[\n" + ",\n".join(json_lines) + "\n]\n" if json_lines else "[]\n")


EncodedRows = tuple[tuple[tuple[tuple, str, str], ...], tuple[str, ...]]
"""Some rows of a table, encoded: for each row its sort key, CSV line and JSON line; then the
citation keys the rows hold (plain data, so that a build can keep them for the next)."""

Reuse = Callable[[str, Entry, Callable[[], EncodedRows], Callable[[Any], bool]], EncodedRows]
"""``reuse(table_name, entry, encode, well_formed)``: the entry's encoded rows in that table, from
``encode()`` or from an earlier build if ``well_formed`` accepts them (see :func:`data_files`)."""


def _cited_keys(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        if "key" in value and "locator" in value:
            found.add(value["key"])
        for item in value.values():
            _cited_keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _cited_keys(item, found)


def _work_title(bibliography: Bibliography, key: str) -> str:
    entry = bibliography.entries.get(key)
    if entry is None:
        return key
    f = entry.fields
    who = f.get("author") or f.get("editor") or ""
    year = (f.get("date") or f.get("year") or "")[:4]
    head = f"{who} ({year})" if who and year else who or year
    return f"{head}. {f.get('title', key)}" if head else f.get("title", key)


def data_files(site: Site, bibliography: Bibliography, version: str, *, site_url: str = "",
               licence: dict[str, str] | None = None, title: str = "Research companion — data",
               name: str = "research-companion", reuse: Reuse | None = None) -> dict[str, str]:
    """The data tables and their Data Package descriptor, as ``{"data/<file>": text}``.

    Args:
        site: the linked site.
        bibliography: the parsed bibliography (for ``sources.csv`` and the package's sources).
        version: the data's version (the package's ``version``), e.g. the site's release.
        site_url: base URL for the ``page`` columns and the package's ``homepage``; relative
            URLs when empty.
        licence: the data licence as a Data Package licence object (defaults to
            :data:`DEFAULT_LICENCE`).
        title: the package's title.
        name: the package's name (lowercase letters, digits, ``-._``).
        reuse: ``reuse(table_name, entry, encode, well_formed)`` returns an entry's rows in a table as
            ``encode()`` gives them; a build passes one that keeps them between builds (keyed by everything the
            entry's page depends on, see :mod:`generator.render.page_cache`). Default: encode every time.

    Returns:
        ``data/organisations.csv``, ``data/organisations.json``, ... for every table of
        :func:`site_tables`, and ``data/datapackage.json``.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""

    def page(url: str) -> str:
        return base + url

    reuse = reuse or (lambda table_name, entry, encode, well_formed: encode())
    files: dict[str, str] = {}
    resources = []
    cited: set[str] = set()
    tables: list[Table] = []
    for table, entry_type, rows_of in [*_table_plan(site), (SOURCES, None, None)]:
        lines = _Lines(table)
        encoded: list[tuple[tuple, str, str]] = []
        if entry_type is None:
            encoded.extend(lines.encode(_source_rows(bibliography, page), cited=False)[0])
        else:
            for entry in site.of_type(entry_type):
                rows, keys = reuse(table.name, entry, lambda: lines.encode(rows_of(entry, page), cited=True),
                                   lines.well_formed)
                encoded.extend(rows)
                cited.update(keys)
        tables.append(table)
        files[f"data/{table.name}.csv"], files[f"data/{table.name}.json"] = lines.files(encoded)
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "title": table.title, "description": table.description + f" The same rows, with nested values as JSON "
                                                                      f"rather than text, are in {table.name}.json.",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True,
                        "header": True},
            "schema": table.schema(),
        })
    listed = [t.listed_as or t.title.lower() for t in tables]
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": (
            f"The companion's entries as tables: {', '.join(listed[:-1])} and {listed[-1]}. Every fact carries its sources (BibTeX key and locator). Dates are EDTF as written, "
            "with the earliest and latest ISO day they can mean; where sources disagree, every value is kept. "
            "Nested values are JSON text in the CSV files. Text cells in the CSV files that begin with =, +, -, @, "
            "a tab or a carriage return are prefixed with an apostrophe against spreadsheet formula injection; the "
            "JSON files keep values as written."
        ),
        "version": version,
        "licenses": [dict(licence or DEFAULT_LICENCE)],
        "sources": [{"title": _work_title(bibliography, key), "path": page(f"sources/{source_slug(key)}/")}
                    if base else {"title": _work_title(bibliography, key)} for key in sorted(cited)],
        "resources": resources,
    }
    if base:
        package["homepage"] = base
    files["data/datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    return files
