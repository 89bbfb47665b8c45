"""The site's data as downloadable tables: CSV and JSON, described by a Frictionless Data Package.

:func:`data_files` returns ``{path: text}`` for ``data/``: one CSV and one JSON file per
table (organisations, memberships, events, concepts, countries, sources) and
``data/datapackage.json``, a Frictionless Data Package (v1) whose resources are the CSV
files, each with a Table Schema (types, descriptions, primary and foreign keys).

Each table is declared once (:data:`TABLES`): the fields, their types and descriptions
and how a row is made from an entry. The CSV, the JSON and the schema all come from
that declaration.

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
from generator.schema.fields import Prose, RefValue
from generator.load.linker import Site
from generator.load.loader import Entry
from generator.schema.types import EVENT_KINDS, MEMBERSHIP_ROLES, ORGANISATION_KINDS, STATUS_CHANGES

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
)

TABLES: tuple[Table, ...] = (ORGANISATIONS, MEMBERSHIPS, EVENTS, CONCEPTS, COUNTRIES, SOURCES)


# --------------------------------------------------------------------------- rows


def _organisation_rows(site: Site, page: Callable[[str], str]) -> list[dict[str, Any]]:
    rows = []
    for org in site.of_type("organisation"):
        rows.append({
            "id": org.id, "name": org.name, "kind": org.get("kind"),
            "abbreviations": _names(org.get("abbreviations")), "names": _names(org.get("names")),
            **_date_values("founded", org.get("founded")), **_date_values("dissolved", org.get("dissolved")),
            "parent": _ref(org.get("parent")),
            "predecessors": _refs(org.get("predecessors")), "successors": _refs(org.get("successors")),
            "member_count": len(org.get("members") or []),
            **_tail(org, page),
        })
    return rows


def _membership_rows(site: Site) -> list[dict[str, Any]]:
    records = []
    for org in site.of_type("organisation"):
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


def _event_rows(site: Site, page: Callable[[str], str]) -> list[dict[str, Any]]:
    return [{
        "id": e.id, "name": e.name, "kind": e.get("kind"), **_date_values("date", e.get("date")),
        "organisations": _refs(e.get("organisations")), "countries": _refs(e.get("countries")),
        "place": e.get("place"), **_tail(e, page),
    } for e in site.of_type("event")]


def _concept_rows(site: Site, page: Callable[[str], str]) -> list[dict[str, Any]]:
    return [{
        "id": c.id, "name": c.name, "definition": c.get("definition", {}).get("text"),
        "definition_sources": _sources(c.get("definition", {}).get("sources")),
        "other_names": _names(c.get("other_names")), "related": _refs(c.get("related")), **_tail(c, page),
    } for c in site.of_type("concept")]


def _country_rows(site: Site, page: Callable[[str], str]) -> list[dict[str, Any]]:
    rows = []
    for country in site.of_type("country"):
        iso = pycountry.countries.get(alpha_3=country.id.upper())
        rows.append({
            "id": country.id, "name": country.name, "iso_alpha3": country.id.upper(),
            "iso_alpha2": getattr(iso, "alpha_2", None), "iso_numeric": getattr(iso, "numeric", None),
            "names": _names(country.get("names")),
            "membership_count": len(site.memberships.get(country.id, [])), **_tail(country, page),
        })
    return rows


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


def _csv(table: Table, rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([_csv_cell(c, row.get(c.name)) for c in table.columns])
    return out.getvalue()


def _json(table: Table, rows: list[dict[str, Any]]) -> str:
    # One record per line: as readable in a diff as indented JSON, and json.dumps without
    # ``indent`` runs in C (with ``indent`` it falls back to pure Python, 5x slower here).
    lines = [json.dumps({c.name: row.get(c.name) for c in table.columns}, ensure_ascii=False) for row in rows]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


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
               name: str = "research-companion") -> dict[str, str]:
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

    Returns:
        ``data/organisations.csv``, ``data/organisations.json``, ... for every table in
        :data:`TABLES`, and ``data/datapackage.json``.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""

    def page(url: str) -> str:
        return base + url

    rows = {
        "organisations": _organisation_rows(site, page),
        "memberships": _membership_rows(site),
        "events": _event_rows(site, page),
        "concepts": _concept_rows(site, page),
        "countries": _country_rows(site, page),
        "sources": _source_rows(bibliography, page),
    }
    files: dict[str, str] = {}
    resources = []
    for table in TABLES:
        table_rows = sorted(rows[table.name], key=table.sort_key)
        files[f"data/{table.name}.csv"] = _csv(table, table_rows)
        files[f"data/{table.name}.json"] = _json(table, table_rows)
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "title": table.title, "description": table.description + f" The same rows, with nested values as JSON "
                                                                      f"rather than text, are in {table.name}.json.",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True,
                        "header": True},
            "schema": table.schema(),
        })

    cited: set[str] = set()
    for name in ("organisations", "memberships", "events", "concepts", "countries"):
        _cited_keys(rows[name], cited)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": (
            "The companion's entries as tables: organisations, their memberships, events, concepts, countries and "
            "the works cited. Every fact carries its sources (BibTeX key and locator). Dates are EDTF as written, "
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
