"""Emit the site: every generated page and file, as ``{docs-relative path: content}``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from markupsafe import Markup

from generator.bibliography import Bibliography, source_slug, to_bibtex, to_csl_json, to_ris
from generator.cite.citations import SiteCitations
from generator.diagnostics.codes import CODES
from generator.diagnostics import Diagnostics, Location
from generator.outputs.datapackage import Reuse, data_files, download_descriptions, package_identity
from generator.publish.editions import released_editions
from generator.load.linker import Site
from generator.load.loader import Entry
from generator.schema.reference_docs import field_reference
from generator.render.renderer import Renderer
from generator.schema.json_schema import json_schemas
from generator.outputs.timeline import TIMELINE_CSS, overview_relation
from generator.schema.fields import Enum, ListOf, Ref
from generator.schema.types import EntryType, page_file

REDIRECT_TEMPLATE = "redirect.html.jinja"
TIMELINE_STYLESHEET = "assets/companion-timeline.css"
"""The timelines' stylesheet, emitted from :data:`generator.outputs.timeline.TIMELINE_CSS`."""
def emit_site(site: Site, bibliography: Bibliography, citations: SiteCitations, renderer: Renderer,
              config: Any, diagnostics: Diagnostics,
              entry_page: Callable[[Entry], str] | None = None,
              source_page: Callable[[str, Callable[[], str]], str] | None = None,
              data_rows: Reuse | None = None) -> dict[str, str | bytes]:
    """Render every page and data file of the site.

    ``entry_page`` renders one entry's page (default :meth:`Renderer.entry_page`) and
    ``source_page(key, render)`` returns one source's page, given the function that renders
    it (default: call it); ``data_rows`` is the data tables' ``reuse`` (see
    :func:`generator.outputs.datapackage.data_files`); the pipeline passes ones that reuse pages
    and rows from the previous build.
    """
    entry_page = entry_page or renderer.entry_page
    source_page = source_page or (lambda key, render: render())
    files: dict[str, str | bytes] = {}

    def put(path: str, content: str | bytes, origin: Location | None = None) -> None:
        path = page_file(path)  # every page is its folder's index.md: see generator.schema.types.page_file
        if path in files:
            diagnostics.error("url.collision", f"two outputs claim '{path}'", origin or Location(path),
                              "rename the entry whose id makes this page collide with a generated one")
            return
        files[path] = content

    for entry in site.entries:
        put(entry.page_path, entry_page(entry), entry.location)
    for entry_type in site.schema.types:
        put(f"{entry_type.url_prefix}/index.md", renderer.listing_page(entry_type, site.of_type(entry_type)))
    for alias, entry in sorted(site.aliases.items()):
        put(f"{entry.type.url_prefix}/{alias}/index.html",
            renderer.page([REDIRECT_TEMPLATE], f"{entry.type.url_prefix}/{alias}/index.html",
                          f"{entry.type.url_prefix}/{alias}/", entry=entry, alias=alias), entry.location)

    for key, entry in bibliography.entries.items():
        slug = source_slug(key)
        base = f"sources/{slug}"
        def render_source(entry=entry, slug=slug, base=base, key=key) -> str:
            return renderer.page(["source.md.jinja"], f"{base}.md", f"{base}/", source=entry, slug=slug,
                                 cited_on=citations.cited_on.get(key, []), passages=citations.passages.get(key, []))

        put(f"{base}.md", source_page(key, render_source), entry.location)
        put(f"{base}/{slug}.bib", to_bibtex(entry), entry.location)
        put(f"{base}/{slug}.ris", to_ris(entry), entry.location)
        put(f"{base}/{slug}.json", to_csl_json(entry), entry.location)
    put("sources/index.md", renderer.page(["bibliography.md.jinja"], "sources/index.md", "sources/"))
    put("data/bibliography.bib", to_bibtex(bibliography))
    put("data/bibliography.json", to_csl_json(bibliography))
    downloads = [("bibliography.bib", "bibliography.bib", "Every source as BibTeX."),
                 ("bibliography.json", "bibliography.json", "Every source as CSL-JSON.")]
    package_name, package_title, licence = package_identity(config.site_name, config.data_package)
    descriptions = download_descriptions(site)
    for path, content in sorted(data_files(site, bibliography, config.edition or "living",
                                           site_url=config.addresses.base, licence=licence, title=package_title,
                                           name=package_name, reuse=data_rows).items()):
        put(path, content)
        name = path.removeprefix("data/")
        downloads.append((name, name, descriptions.get(name, "")))
    put("data/index.md", renderer.page(["data.md.jinja"], "data/index.md", "data/", downloads=downloads))

    put("glossary.md", renderer.page(["glossary.md.jinja"], "glossary.md", "glossary/", **glossary_items(site)))
    chronology = chronology_items(site)
    put("chronology.md", renderer.page(["chronology.md.jinja"], "chronology.md", "chronology/", **chronology))
    overview = overview_relation(site)
    if overview is not None:
        holder_type, field = overview
        shown = _overview_holders(site, holder_type, field.name, field.type.target)
        rows = sorted(((site.by_id[tid], r) for tid, related in site.related.items() for r in related
                       if r.field is field and r.holder.id in shown),
                      key=lambda r: (r[0].name.lower(), r[1].holder.name.lower()))
        with_records = sum(1 for o in site.of_type(holder_type) if o.get(field.name))
        put("timeline.md", renderer.page(["timeline.md.jinja"], "timeline.md", "timeline/",
                                         chart=renderer.globals["timelines"].overview(shown, "timeline/"), rows=rows,
                                         shown=len(shown), with_members=with_records, holder_type=holder_type,
                                         relation=field.type))
    put(TIMELINE_STYLESHEET, TIMELINE_CSS)  # declared in mkdocs.yml's extra_css
    editions = released_editions(config.root) if config.use_history else []
    put("editions.md", renderer.page(["editions.md.jinja"], "editions.md", "editions/", editions=editions))
    put("index.md", renderer.page(["home.md.jinja"], "index.md", "", counts=_counts(site, bibliography),
                                  has_chronology=bool(chronology["events"]), has_timeline=overview is not None))
    put("reference/fields.md", renderer.page(["reference/fields.md.jinja"], "reference/fields.md",
                                             "reference/fields/", reference=field_reference(site.schema)))
    put("reference/diagnostics.md", renderer.page(["reference/diagnostics.md.jinja"], "reference/diagnostics.md",
                                                  "reference/diagnostics/", codes=sorted(CODES.items())))
    for name, schema in json_schemas(site.schema).items():
        put(f"schemas/{name}.schema.json", json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return files


@dataclass(frozen=True)
class GlossaryItem:
    """One line of the glossary: a defined term (a concept), or one abbreviation of an entry.

    ``definition`` is the term's definition record (``text``, ``sources``), from the
    field its type declares as ``glossary_definition``.
    """

    sort_key: str
    kind: str
    text: str
    entry: Any
    lang: str = "en"
    translit: str | None = None
    definition: Any = None


def glossary_types(site: Site) -> list[EntryType]:
    """The types whose entries are defined in the glossary (the ``glossary`` feature and a ``glossary_definition``)."""
    return [t for t in site_types(site) if t.has("glossary") and t.glossary_definition]


def glossary_items(site: Site) -> dict[str, Any]:
    """Glossary lines grouped by initial letter, and the letter index."""
    items = [GlossaryItem(e.name.casefold(), "term", e.name, e, definition=e.get(t.glossary_definition))
             for t in glossary_types(site) for e in site.of_type(t)]
    for entry in site.entries:
        if not entry.type.has("glossary"):
            continue
        for abbr in entry.get("abbreviations", []):
            items.append(GlossaryItem(abbr["text"].casefold(), "abbreviation", abbr["text"], entry,
                                      abbr.get("lang", "en"), abbr.get("translit")))
    items.sort(key=lambda i: (i.sort_key, i.kind, i.entry.id))
    groups: dict[str, list[GlossaryItem]] = {}
    for item in items:
        letter = item.text[:1].upper()
        groups.setdefault(letter if letter.isalpha() else "#", []).append(item)
    ordered = [(letter, Markup(f"letter-{ord(letter[0]):04x}"), group) for letter, group in groups.items()]
    return {"items": ordered, "letters": [(letter, anchor) for letter, anchor, _ in ordered],
            "term_types": glossary_types(site)}


def site_types(site: Site) -> list[EntryType]:
    """The site's entry types, in declaration order."""
    return list(site.schema.types)


@dataclass(frozen=True)
class ChronologyFilter:
    """One filter of the chronology: a field of the dated entries, and the values to choose from.

    ``values`` are ``(value, label)`` pairs: entry ids and names for a list of references,
    the declared values for a choice (with hyphens read as spaces).
    """

    field: str
    label: str
    values: list[tuple[str, str]]
    refs: bool


def chronology_items(site: Site) -> dict[str, Any]:
    """The chronology: every entry of a type with the ``chronology`` feature and a ``chronology_date``,
    by date (the earliest any source gives), with filters from the types' reference lists and choices."""
    types = [t for t in site_types(site) if t.has("chronology") and t.chronology_date]
    events = sorted((e for t in types for e in site.of_type(t)), key=lambda e: (e.first_date, e.name))
    ref_filters: list[ChronologyFilter] = []
    enum_filters: list[ChronologyFilter] = []
    seen: set[str] = set()
    for entry_type in types:
        for spec in entry_type.fields:
            if spec.name in seen:
                continue
            if isinstance(spec.type, ListOf) and isinstance(spec.type.item, Ref) and len(spec.type.item.types) == 1:
                seen.add(spec.name)
                target = spec.type.item.types[0]
                ref_filters.append(ChronologyFilter(spec.name, target[:1].upper() + target[1:],
                                                    [(e.id, e.name) for e in _involved(site, events, spec.name)],
                                                    True))
            elif isinstance(spec.type, Enum) and spec.name != entry_type.chronology_date:
                seen.add(spec.name)
                values = sorted({e.get(spec.name) for e in events if e.get(spec.name)})
                enum_filters.append(ChronologyFilter(spec.name, spec.name[:1].upper() + spec.name[1:].replace("_", " "),
                                                     [(v, v.replace("-", " ")) for v in values], False))
    noun = types[0].plural.lower() if len(types) == 1 else "entries"
    singular = types[0].name if len(types) == 1 else "entry"
    return {"events": events, "noun": noun, "a_singular": ("an " if singular[:1] in "aeiou" else "a ") + singular,
            "ref_filters": ref_filters, "enum_filters": enum_filters}


OVERVIEW_LIMIT = 40
"""Most holders (organisations) drawn on the overview page, so that its size does not grow with the site."""


def _overview_holders(site: Site, holder_type: EntryType, field: str, target: str) -> set[str]:
    """The holders with the most distinct targets (organisations with the most member states; all in a small site)."""
    ranked = sorted((o for o in site.of_type(holder_type) if o.get(field)),
                    key=lambda o: (-len({m[target].target for m in o.get(field)}), o.id))
    return {o.id for o in ranked[:OVERVIEW_LIMIT]}


def _involved(site: Site, events: list[Any], field: str) -> list[Any]:
    """Entries named in ``field`` of any event, by name."""
    ids = {ref.target for event in events for ref in event.get(field, []) if ref.target in site.by_id}
    return sorted((site.by_id[i] for i in ids), key=lambda e: (e.name.lower(), e.id))


def _counts(site: Site, bibliography: Bibliography) -> list[tuple[Any, int]]:
    return [(t, len(site.of_type(t))) for t in site_types(site)] + [("sources", len(bibliography.entries))]
