"""Index and link the loaded entries into a read-only :class:`Site`.

Checks that need every entry at once live here: unique ids and URLs, aliases,
references between entries (in fields and in prose), citation keys, cycles in
predecessor and parent chains; and the derived data templates need: backlinks,
inverse relations and each country's memberships.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from .diagnostics import Diagnostics, Location, did_you_mean
from .fields import SLUG_RE, RefValue
from .loader import Entry
from .prose import ScannedProse, scan
from .types import ENTRY_TYPES, EntryType

RESERVED_IDS = frozenset({"index", "assets", "search", "sources", "data", "schemas", "reference", "pagefind",
                          "search-names"})
"""Ids that would collide with generated pages or site folders."""


@dataclass
class Membership:
    """A membership seen from the country's side."""

    organisation: Entry
    record: dict


@dataclass
class Site:
    """Every entry, indexed and cross-linked. Built once; read by the renderer."""

    entries: list[Entry]
    by_id: dict[str, Entry]
    aliases: dict[str, Entry]
    scanned: dict[int, list[ScannedProse]]
    backlinks: dict[str, list[Entry]]
    inverse: dict[str, dict[str, list[Entry]]]
    memberships: dict[str, list[Membership]]
    cited_keys: set[str] = field(default_factory=set)
    memo: dict[str, Any] = field(default_factory=dict)
    """Values derived once per build by later stages (e.g. timeline labels)."""

    def of_type(self, entry_type: EntryType | str) -> list[Entry]:
        name = entry_type if isinstance(entry_type, str) else entry_type.name
        return [e for e in self.entries if e.type.name == name]

    def prose_of(self, entry: Entry) -> list[ScannedProse]:
        return self.scanned.get(id(entry), [])

    def scanned_for(self, entry: Entry, prose: object) -> ScannedProse | None:
        for scanned in self.prose_of(entry):
            if scanned.prose is prose:
                return scanned
        return None


def _a(noun: str) -> str:
    """``'an organisation'``, ``'a country'``."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _ref_error(ref_id: str, wanted: tuple[str, ...], location: Location, by_id: dict[str, Entry],
               diagnostics: Diagnostics) -> None:
    kind = " or ".join(_a(t) for t in wanted) if wanted else "an entry"
    if not ref_id:
        diagnostics.error("ref.unknown", "empty entry link", location, "write [[id]] or [[id|text]]")
        return
    candidates = [i for i, e in by_id.items() if not wanted or e.type.name in wanted]
    # "[[Soft Power]]" should find 'soft-power': compare ids with ids.
    probe = ref_id if SLUG_RE.match(ref_id) else re.sub(r"[^a-z0-9]+", "-", ref_id.lower()).strip("-")
    hint = f"did you mean '{probe}'?" if probe in candidates else did_you_mean(probe or ref_id, candidates)
    diagnostics.error("ref.unknown", f"'{ref_id}' is not {kind}", location, hint)


def link(entries: Iterable[Entry], diagnostics: Diagnostics, bib_keys: set[str] | None,
         broken_ids: set[str] = frozenset()) -> Site:
    """Index ``entries`` and check everything that spans entries.

    ``bib_keys`` is the set of known citation keys (``None`` skips the check).
    ``broken_ids`` are ids of files that failed to load: references to them are not
    reported again.
    """
    order = {t.name: i for i, t in enumerate(ENTRY_TYPES)}
    entries = sorted(entries, key=lambda e: (order[e.type.name], e.id))
    by_id: dict[str, Entry] = {}
    kept: list[Entry] = []
    for entry in entries:
        if entry.id in RESERVED_IDS:
            diagnostics.error("url.collision", f"id '{entry.id}' is reserved for a generated page", entry.location,
                              "choose another id")
            continue
        other = by_id.get(entry.id)
        if other is not None:
            diagnostics.error("id.duplicate", f"id '{entry.id}' is already used by {other.path}", entry.location,
                              "ids are unique across all entry types")
            continue
        by_id[entry.id] = entry
        kept.append(entry)
    entries = kept

    aliases: dict[str, Entry] = {}
    for entry in entries:
        for alias in entry.get("aliases", []):
            if alias in RESERVED_IDS:
                diagnostics.error("alias.collision", f"alias '{alias}' is reserved for a generated page",
                                  entry.location, "remove it; no entry can have had this id")
            elif alias in by_id:
                diagnostics.error("alias.collision", f"alias '{alias}' is the id of an existing entry", entry.location,
                                  "an alias keeps a former id; it cannot be a current one")
            elif alias in aliases:
                diagnostics.error("alias.collision", f"alias '{alias}' is also claimed by {aliases[alias].path}",
                                  entry.location)
            else:
                aliases[alias] = entry

    known = set(by_id) | set(broken_ids)
    backlinks: dict[str, dict[str, Entry]] = defaultdict(dict)
    for entry in entries:
        for ref in entry.refs:
            target = by_id.get(ref.target)
            if target is None:
                if ref.target in aliases:
                    new = aliases[ref.target]
                    diagnostics.error("ref.alias", f"'{ref.target}' is a former id of '{new.id}'", ref.location,
                                      f"write '{new.id}'")
                elif ref.target not in known:
                    _ref_error(ref.target, ref.types, ref.location, by_id, diagnostics)
                continue
            if ref.types and target.type.name not in ref.types:
                diagnostics.error("ref.wrong-type", f"'{ref.target}' is {_a(target.type.name)}, not "
                                  f"{' or '.join(_a(t) for t in ref.types)}", ref.location)
                continue
            if target is entry:
                diagnostics.error("ref.self", f"'{entry.id}' refers to itself", ref.location)
                continue
            backlinks[target.id][entry.id] = entry

    scanned: dict[int, list[ScannedProse]] = {}
    for entry in entries:
        # Entries from the loader come scanned; others (built by hand) are scanned here.
        results = entry.scanned if len(entry.scanned) == len(entry.prose) else [scan(p) for p in entry.prose]
        scanned[id(entry)] = results
        for result in results:
            for link_ in result.links:
                target = by_id.get(link_.target)
                if target is None:
                    if link_.target in aliases:
                        diagnostics.error("ref.alias", f"'{link_.target}' is a former id of "
                                          f"'{aliases[link_.target].id}'", link_.location,
                                          f"write [[{aliases[link_.target].id}]]")
                    elif link_.target not in known:
                        _ref_error(link_.target, (), link_.location, by_id, diagnostics)
                elif target is not entry:
                    backlinks[target.id][entry.id] = entry

    cited: set[str] = set()
    for entry in entries:
        keys = [(c.key, c.location) for c in entry.cites]
        keys += [(item.key, item.location) for s in scanned[id(entry)] for c in s.clusters for item in c.items]
        for key, location in keys:
            if bib_keys is not None and key not in bib_keys:
                diagnostics.error("cite.unknown", f"'{key}' is not a key in bibliography/", location,
                                  did_you_mean(key, bib_keys) or "add the work to a .bib file in bibliography/")
            else:
                cited.add(key)

    _check_cycles(entries, by_id, "predecessors", diagnostics)
    _check_cycles(entries, by_id, "parent", diagnostics)

    inverse: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    memberships: dict[str, list[Membership]] = defaultdict(list)
    for entry in entries:
        for name, inverse_name in (("predecessors", "successors"), ("successors", "predecessors"),
                                   ("parent", "parts")):
            value = entry.get(name)
            for ref in (value if isinstance(value, list) else [value] if value else []):
                if ref.target in by_id:
                    inverse[ref.target][inverse_name].append(entry)
        for record in entry.get("members", []):
            if record["country"].target in by_id:
                memberships[record["country"].target].append(Membership(entry, record))

    return Site(
        entries=entries, by_id=by_id, aliases=aliases, scanned=scanned,
        backlinks={k: sorted(v.values(), key=lambda e: (order[e.type.name], e.name.lower()))
                   for k, v in backlinks.items()},
        inverse={k: dict(v) for k, v in inverse.items()}, memberships=dict(memberships), cited_keys=cited,
    )


def _check_cycles(entries: list[Entry], by_id: dict[str, Entry], field_name: str, diagnostics: Diagnostics) -> None:
    """Report each loop in a chain of ``field_name`` references once."""
    def targets(entry: Entry) -> list[RefValue]:
        value = entry.get(field_name)
        return value if isinstance(value, list) else [value] if value else []

    reported: set[frozenset[str]] = set()
    for start in entries:
        path = [start.id]
        stack = [(start, iter(targets(start)))]
        while stack:
            entry, refs = stack[-1]
            ref = next(refs, None)
            if ref is None:
                stack.pop()
                path.pop()
                continue
            if ref.target == start.id:
                loop = frozenset(path)
                if loop not in reported and len(path) > 1:
                    reported.add(loop)
                    diagnostics.error("ref.cycle", f"'{field_name}' forms a loop: {' -> '.join(path + [start.id])}",
                                      ref.location)
                continue
            nxt = by_id.get(ref.target)
            if nxt is None or ref.target in path or len(path) > 50:
                continue
            path.append(nxt.id)
            stack.append((nxt, iter(targets(nxt))))
