"""Counts and short labels for the bibliography page's filters."""

from __future__ import annotations

from collections import Counter
from typing import Any


def seed_counts(entries: dict[str, Any]) -> list[tuple[str, int]]:
    """(citing text's key, number of works it cites), by key."""
    counts = Counter(seed for e in entries.values() for seed in {s for s, _ in e.cited_in})
    return sorted(counts.items())


def type_counts(entries: dict[str, Any]) -> list[tuple[str, int]]:
    """(BibTeX entry type, number of works), by type."""
    return sorted(Counter(e.entry_type for e in entries.values()).items())


def short_reference(entries: dict[str, Any], key: str) -> str:
    """"Troitskiy 2020"-style label of a work, or its key if it is not in the bibliography."""
    entry = entries.get(key)
    if entry is None:
        return key
    csl = entry.csl
    names = csl.get("author") or csl.get("editor") or [{}]
    name = names[0].get("family") or names[0].get("literal") or key
    year = ((csl.get("issued") or {}).get("date-parts") or [[""]])[0][0]
    return f"{name} {year}".strip()


def works_cited_by(bibliography: Any, seed: str) -> list[tuple[str, list[str]]]:
    """(key, locators) of every work ``seed`` cites, by key; locators as given in ``citedin``."""
    found = []
    for key, entry in bibliography.entries.items():
        locators = [loc for s, loc in entry.cited_in if s == seed]
        if any(s == seed for s, _ in entry.cited_in):
            found.append((key, [loc for loc in locators if loc]))
    return sorted(found)


def entries_about(site: Any, key: str) -> list[Any]:
    """Entries about the work ``key``: those whose own citation-key field (a guide's ``work``) names it."""
    index = site.memo.get("entries_about")
    if index is None:  # once per build: each source page asks, and each question would scan every entry
        from generator.schema.fields import Cite

        index = site.memo["entries_about"] = {}
        cite_fields: dict[int, list[str]] = {}  # by id(): a type is a dataclass whose hash walks its fields
        for e in site.entries:
            names = cite_fields.get(id(e.type))
            if names is None:
                names = cite_fields[id(e.type)] = [f.name for f in e.type.fields if isinstance(f.type, Cite)]
            named = {getattr(e.get(name), "key", None) for name in names}
            for work in named - {None}:
                index.setdefault(work, []).append(e)
    return list(index.get(key, []))


def disagreements_citing(site: Any, seed: str) -> list[str]:
    """Ids of disagreements in which a position cites ``seed``."""
    return [d.id for d in site.of_type("disagreement")
            if any(s["key"].key == seed for p in d.positions for s in p["sources"])]


ENDING_CHANGES = frozenset({"suspended", "withdrawn"})
"""Status changes after which a membership no longer counts as current."""


def is_current(record: dict) -> bool:
    """Whether a membership record is current: no end date, and not last suspended or withdrawn."""
    if record.get("to"):
        return False
    changes = record.get("changes") or []
    if not changes:
        return True
    last = max(changes, key=lambda change: min(alt["date"] for alt in change["date"]))
    return last["status"] not in ENDING_CHANGES
