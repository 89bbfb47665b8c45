"""schema.org JSON-LD for entry pages (Organization, Event, DefinedTerm, Country)."""

from __future__ import annotations

from typing import Any

SCHEMA_TYPES = {"organisation": "Organization", "event": "Event", "concept": "DefinedTerm",
                "country": "Country", "disagreement": "CreativeWork"}


def _iso(date: Any) -> str:
    """An EDTF value as the ISO date prefix schema.org accepts (lower bound, as precise as written)."""
    text = date.text.split("/")[0].rstrip("?~%")
    return text if text and text[0].isdigit() and "X" not in text else str(date.year)


def entry_json_ld(entry: Any, url: str, site_name: str, glossary_url: str) -> dict[str, Any]:
    """The schema.org description of one entry."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(entry.type.name, "Thing"),
        "name": entry.name,
        "description": entry.summary,
    }
    if url:
        data["url"] = url
    alternate = [n["text"] for key in ("names", "abbreviations", "other_names") for n in entry.get(key, [])]
    if alternate:
        data["alternateName"] = alternate
    name = entry.type.name
    if name == "organisation":
        if entry.get("founded"):
            data["foundingDate"] = _iso(entry.founded[0]["date"])
        if entry.get("dissolved"):
            data["dissolutionDate"] = _iso(entry.dissolved[0]["date"])
    elif name == "event":
        data["startDate"] = _iso(entry.date[0]["date"])
        if entry.get("place"):
            data["location"] = {"@type": "Place", "name": entry.place}
        data["eventStatus"] = "https://schema.org/EventScheduled"
    elif name == "concept":
        data["description"] = entry.definition["text"]
        data["inDefinedTermSet"] = {"@type": "DefinedTermSet", "name": f"{site_name}: glossary", "url": glossary_url}
    elif name == "country":
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "ISO 3166-1 alpha-3",
                              "value": entry.id.upper()}
    return data
