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
from generator.outputs.datapackage import data_files, package_identity
from generator.publish.editions import released_editions
from generator.load.linker import Site
from generator.load.loader import Entry
from generator.schema.reference_docs import field_reference
from generator.render.renderer import Renderer
from generator.schema.json_schema import json_schemas
from generator.outputs.timeline import TIMELINE_CSS
from generator.schema.types import ENTRY_TYPES, page_file

REDIRECT_TEMPLATE = "redirect.html.jinja"
TIMELINE_STYLESHEET = "assets/companion-timeline.css"
"""The timelines' stylesheet, emitted from :data:`generator.outputs.timeline.TIMELINE_CSS`."""
DATA_DESCRIPTIONS = {
    "datapackage.json": "Frictionless Data Package describing every table.",
    "organisations.csv": "Organisations: id, names, kind, founding and dissolution dates.",
    "organisations.json": "Organisations as JSON.",
    "memberships.csv": "Memberships: organisation, country, role, period, status changes, sources.",
    "memberships.json": "Memberships as JSON.",
    "events.csv": "Events: id, date, kind, organisations and countries involved.",
    "events.json": "Events as JSON.",
    "concepts.csv": "Concepts with their one-sentence definitions.",
    "concepts.json": "Concepts as JSON.",
    "countries.csv": "Countries with ISO 3166-1 codes.",
    "countries.json": "Countries as JSON.",
    "sources.csv": "Sources: one row per work of the bibliography, for looking up the source keys in the other tables.",
    "sources.json": "Sources as JSON.",
}


def emit_site(site: Site, bibliography: Bibliography, citations: SiteCitations, renderer: Renderer,
              config: Any, diagnostics: Diagnostics,
              entry_page: Callable[[Entry], str] | None = None,
              source_page: Callable[[str, Callable[[], str]], str] | None = None) -> dict[str, str | bytes]:
    """Render every page and data file of the site.

    ``entry_page`` renders one entry's page (default :meth:`Renderer.entry_page`) and
    ``source_page(key, render)`` returns one source's page, given the function that renders
    it (default: call it); the pipeline passes ones that reuse pages from the previous build.
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
    for entry_type in ENTRY_TYPES:
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
    for path, content in sorted(data_files(site, bibliography, config.edition or "living",
                                           site_url=config.addresses.base, licence=licence, title=package_title,
                                           name=package_name).items()):
        put(path, content)
        name = path.removeprefix("data/")
        downloads.append((name, name, DATA_DESCRIPTIONS.get(name, "")))
    put("data/index.md", renderer.page(["data.md.jinja"], "data/index.md", "data/", downloads=downloads))

    put("glossary.md", renderer.page(["glossary.md.jinja"], "glossary.md", "glossary/", **glossary_items(site)))
    events = sorted(site.of_type("event"), key=lambda e: (e.first_date, e.name))
    put("chronology.md", renderer.page(
        ["chronology.md.jinja"], "chronology.md", "chronology/", events=events,
        organisations=_involved(site, events, "organisations"),
        countries=_involved(site, events, "countries"),
        kinds=sorted({e.kind for e in events})))
    shown = _overview_organisations(site)
    rows = sorted(((site.by_id[cid], m) for cid, ms in site.memberships.items() for m in ms
                   if m.organisation.id in shown),
                  key=lambda r: (r[0].name.lower(), r[1].organisation.name.lower()))
    with_members = sum(1 for o in site.of_type("organisation") if o.get("members"))
    put("timeline.md", renderer.page(["timeline.md.jinja"], "timeline.md", "timeline/",
                                     chart=renderer.globals["timelines"].overview(shown), rows=rows,
                                     shown=len(shown), with_members=with_members))
    put(TIMELINE_STYLESHEET, TIMELINE_CSS)  # declared in mkdocs.yml's extra_css
    editions = released_editions(config.root) if config.use_history else []
    put("editions.md", renderer.page(["editions.md.jinja"], "editions.md", "editions/", editions=editions))
    put("index.md", renderer.page(["home.md.jinja"], "index.md", "", counts=_counts(site, bibliography)))
    put("reference/fields.md", renderer.page(["reference/fields.md.jinja"], "reference/fields.md",
                                             "reference/fields/", reference=field_reference()))
    put("reference/diagnostics.md", renderer.page(["reference/diagnostics.md.jinja"], "reference/diagnostics.md",
                                                  "reference/diagnostics/", codes=sorted(CODES.items())))
    for name, schema in json_schemas().items():
        put(f"schemas/{name}.schema.json", json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return files


@dataclass(frozen=True)
class GlossaryItem:
    """One line of the glossary: a concept, or one abbreviation of an organisation."""

    sort_key: str
    kind: str
    text: str
    entry: Any
    lang: str = "en"
    translit: str | None = None


def glossary_items(site: Site) -> dict[str, Any]:
    """Glossary lines grouped by initial letter, and the letter index."""
    items = [GlossaryItem(e.name.casefold(), "concept", e.name, e) for e in site.of_type("concept")]
    for entry in site.entries:
        for abbr in entry.get("abbreviations", []):
            items.append(GlossaryItem(abbr["text"].casefold(), "abbreviation", abbr["text"], entry,
                                      abbr.get("lang", "en"), abbr.get("translit")))
    items.sort(key=lambda i: (i.sort_key, i.kind, i.entry.id))
    groups: dict[str, list[GlossaryItem]] = {}
    for item in items:
        letter = item.text[:1].upper()
        groups.setdefault(letter if letter.isalpha() else "#", []).append(item)
    ordered = [(letter, Markup(f"letter-{ord(letter[0]):04x}"), group) for letter, group in groups.items()]
    return {"items": ordered, "letters": [(letter, anchor) for letter, anchor, _ in ordered]}


OVERVIEW_LIMIT = 40
"""Most organisations drawn on the overview page, so that its size does not grow with the site."""


def _overview_organisations(site: Site) -> set[str]:
    """The organisations with the most member states (all of them in a small site)."""
    ranked = sorted((o for o in site.of_type("organisation") if o.get("members")),
                    key=lambda o: (-len({m["country"].target for m in o.members}), o.id))
    return {o.id for o in ranked[:OVERVIEW_LIMIT]}


def _involved(site: Site, events: list[Any], field: str) -> list[Any]:
    """Entries named in ``field`` of any event, by name."""
    ids = {ref.target for event in events for ref in event.get(field, [])}
    return sorted((site.by_id[i] for i in ids), key=lambda e: (e.name.lower(), e.id))


def _counts(site: Site, bibliography: Bibliography) -> list[tuple[Any, int]]:
    return [(t, len(site.of_type(t))) for t in ENTRY_TYPES] + [("sources", len(bibliography.entries))]
