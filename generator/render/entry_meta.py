"""Machine-readable metadata of entry pages: for reference managers and for search engines.

Reference managers: every entry page (organisation, event, concept, country,
disagreement, reading guide) is cited as an *entry in a reference work*, Zotero's
``encyclopediaArticle``: the page's own title, the site as the encyclopedia, the
editors the site declares, the date of the page's last change, its language and its
permanent address (the edition's address in an edition). A web page (``webpage``)
was the alternative; it was not chosen because Zotero's web page has no editors, no
edition and no publisher, which a citable, edited and versioned companion needs.

How Zotero's *Embedded Metadata* translator reads the tags of :func:`entry_tags`
(checked by ``tests/zotero``): ``z:itemType`` picks the type (a bare
``citation_title`` would make a journal article, so there is none); ``DC.title`` the
title (never the browser title with the site name appended); ``prism.publicationName``
the encyclopedia title; ``citation_editor`` the editors; ``DC.date``, ``DC.language``,
``DC.publisher``, ``prism.edition``, ``og:url`` and ``og:description`` the rest. Listing
pages carry one COinS span per entry (:func:`entry_coins`) for Zotero's multiple
selection; COinS has no editor role, so there they are contributors.

Search engines: :func:`entry_json_ld`, schema.org (validated against schema.org's
vocabulary in ``tests/test_json_ld.py``).
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

ZOTERO_TYPE = "encyclopediaArticle"
"""The Zotero item type of an entry page (see the module docstring)."""

def _iso(date: Any) -> str:
    """An EDTF value as the ISO date prefix schema.org accepts (lower bound, as precise as written)."""
    text = date.text.split("/")[0].rstrip("?~%")
    return text if text and text[0].isdigit() and "X" not in text else str(date.year)


def _creator(person: Any) -> str:
    """A ``citation_editor`` value; an organisation ends in a comma, which Zotero reads as one-field name."""
    return person.name + "," if person.is_organisation else person.inverted()


def entry_tags(entry: Any, config: Any, date: _dt.date | None) -> list[dict[str, str]]:
    """The ``<meta>`` tags of an entry page, as ``[{"name" or "property": ..., "content": ...}]``."""
    site = config.site
    url = config.addresses.page(entry.url)
    tags: list[tuple[str, str, str]] = [
        ("name", "z:itemType", ZOTERO_TYPE),
        ("name", "DC.title", entry.name),
        ("name", "prism.publicationName", config.site_name),
    ]
    tags += [("name", "citation_editor", _creator(p)) for p in site.editors]
    if site.publisher:
        tags.append(("name", "DC.publisher", site.publisher))
    if date is not None:
        tags.append(("name", "DC.date", date.isoformat()))
    tags.append(("name", "DC.language", site.language))
    if config.edition:
        tags.append(("name", "prism.edition", config.edition))
        if site.doi(config.edition):
            tags.append(("name", "DC.identifier", f"https://doi.org/{site.doi(config.edition)}"))
    if url:
        tags.append(("property", "og:url", url))
    tags += [("property", "og:title", entry.name), ("property", "og:site_name", config.site_name),
             ("property", "og:description", entry.summary), ("property", "og:type", "article")]
    return [{kind: name, "content": content} for kind, name, content in tags if content]


def entry_coins(entry: Any, config: Any, date: _dt.date | None) -> str:
    """The COinS ``title`` of an entry page (OpenURL, Dublin Core format, Zotero item type in ``rft.type``)."""
    fields = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", ZOTERO_TYPE),
              ("rft.title", entry.name), ("rft.source", config.site_name)]
    fields += [("rft.contributor", p.inverted()) for p in config.site.editors if not p.is_organisation]
    fields += [("rft.aucorp", p.name) for p in config.site.editors if p.is_organisation]
    if config.site.publisher:
        fields.append(("rft.publisher", config.site.publisher))
    if date is not None:
        fields.append(("rft.date", date.isoformat()))
    fields += [("rft.language", config.site.language), ("rft.description", entry.summary)]
    if config.edition:
        fields.append(("rft.edition", config.edition))
    url = config.addresses.page(entry.url)
    if url:
        fields.append(("rft_id", url))
    return "&".join(_pair(k, v) if k in _PER_SITE else f"{k}={quote_plus(v)}" for k, v in fields if v)


_PER_SITE = frozenset({"ctx_ver", "rft_val_fmt", "rft.type", "rft.source", "rft.contributor", "rft.aucorp",
                       "rft.publisher", "rft.language", "rft.edition"})
"""COinS keys whose values are the same on every page of a build: each pair is encoded once."""


@lru_cache(maxsize=256)
def _pair(key: str, value: str) -> str:
    """``key=value`` as :func:`urllib.parse.urlencode` writes it (keys here need no quoting)."""
    return f"{key}={quote_plus(value)}"


def _first_date(value: Any) -> Any:
    """The first date of a dated field's value (sourced alternatives, or one bare date)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("date")
    return value if hasattr(value, "year") else None


def entry_json_ld(entry: Any, config: Any, bibliography: Any = None) -> dict[str, Any]:
    """The schema.org description of what one entry is about (an organisation, an event...).

    Its ``@type`` is the type's declared ``json_ld_type``; each field declaring a
    ``json_ld`` property gives that property (in declaration order); a type in the
    glossary is a ``DefinedTerm`` of the glossary's ``DefinedTermSet``. Types that are
    the site's own writing (a ``CreativeWork`` or ``LearningResource``) say that they
    are part of the site.
    """
    addresses = config.addresses
    url = addresses.page(entry.url)
    entry_type = entry.type
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": entry_type.json_ld_type,
        "name": entry.name,
        "description": entry.summary,
    }
    if url:
        data["url"] = url
    alternate = [n["text"] for key in ("names", "abbreviations", "other_names") for n in entry.get(key, [])]
    if alternate:
        data["alternateName"] = alternate
    kind = entry_type.json_ld_type
    if kind == "LearningResource":
        data["learningResourceType"] = entry_type.plural.lower().removesuffix("s")
    for field in entry_type.fields:
        value = entry.get(field.name)
        if not field.json_ld or value is None:
            continue
        if hasattr(value, "key"):  # a citation key: the work the entry is about
            work = bibliography.entries.get(value.key) if bibliography is not None else None
            if work is not None:
                data[field.json_ld] = _work(work, addresses)
        elif isinstance(value, str):
            data[field.json_ld] = {"@type": "Place", "name": value} if field.json_ld == "location" else value
        elif _first_date(value) is not None:
            # A past event: no eventStatus (schema.org's statuses are for events still to come).
            data[field.json_ld] = _iso(_first_date(value))
    definition = entry_type.glossary_definition
    if definition and entry_type.has("glossary") and entry.get(definition):
        data["description"] = entry.get(definition)["text"]
        glossary = {"@type": "DefinedTermSet", "name": f"{config.site_name}: glossary"}
        if addresses.page("glossary/"):
            glossary["url"] = addresses.page("glossary/")
        data["inDefinedTermSet"] = glossary
    if kind == "Country":
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "ISO 3166-1 alpha-3",
                              "value": entry.id.upper()}
    if kind in ("CreativeWork", "LearningResource"):
        data["inLanguage"] = config.site.language
        data["isPartOf"] = {"@type": "WebSite", "name": config.site_name}
        if addresses.base:
            data["isPartOf"]["url"] = addresses.base
    return data


def _work(work: Any, addresses: Any) -> dict[str, Any]:
    """A work of the bibliography as a schema.org object, linked to its source page."""
    from generator.bibliography import source_slug
    from generator.cite.source_meta import SCHEMA_TYPES as WORK_TYPES, plain

    about = {"@type": WORK_TYPES.get(work.csl.get("type", ""), "CreativeWork"),
             "name": plain(work.csl.get("title", work.key))}
    if addresses.page(f"sources/{source_slug(work.key)}/"):
        about["url"] = addresses.page(f"sources/{source_slug(work.key)}/")
    return about
