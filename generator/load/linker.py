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
from pathlib import PurePosixPath
from typing import Any, Iterable

from generator.diagnostics import Diagnostics, Location, did_you_mean
from generator.schema.fields import SLUG_RE
from generator.load.loader import Entry, Remains
from generator.render.prose import ScannedProse, scan
from generator.diagnostics.suggest import citation_hint, close_id, rename_candidates
from generator.schema.types import ENTRY_TYPES, TYPES_BY_NAME, EntryType

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
               diagnostics: Diagnostics, broken_ids: Iterable[str] = (), manifest_urls: frozenset[str] | None = None,
               in_prose: bool = False) -> None:
    kind = " or ".join(_a(t) for t in wanted) if wanted else "an entry"
    if not ref_id:
        diagnostics.error("ref.unknown", "empty entry link", location, "write [[id]] or [[id|text]]")
        return
    renamed = _rename_hint(ref_id, wanted, by_id, manifest_urls, in_prose)
    if renamed:
        message, hint = renamed
        diagnostics.error("ref.unknown", message, location, hint)
        return
    candidates = [i for i, e in by_id.items() if not wanted or e.type.name in wanted]
    if not wanted:
        candidates += broken_ids  # files with errors of their own still have their ids
    # "[[Soft Power]]" should find 'soft-power': compare ids with ids.
    probe = ref_id if SLUG_RE.match(ref_id) else re.sub(r"[^a-z0-9]+", "-", ref_id.lower()).strip("-")
    guess = probe if probe in candidates else close_id(probe or ref_id, candidates)
    folders = "/".join(t.folder for t in ENTRY_TYPES if not wanted or t.name in wanted)
    diagnostics.error("ref.unknown", f"'{ref_id}' is not {kind}", location,
                      f"did you mean '{guess}'?" if guess else
                      f"write the id of an existing entry (its file name in content/{folders}/, without .yaml)"
                      if len(wanted) == 1 else
                      "write the id of an existing entry (its file name in content/, without .yaml)")


def _rename_hint(ref_id: str, wanted: tuple[str, ...], by_id: dict[str, Entry],
                 manifest_urls: frozenset[str] | None, in_prose: bool) -> tuple[str, str] | None:
    """Message and hint for a reference to an id that was published and is gone: likely a rename."""
    for entry_type in ENTRY_TYPES:
        if wanted and entry_type.name not in wanted:
            continue
        of_type = [i for i, e in by_id.items() if e.type.name == entry_type.name]
        new = rename_candidates(ref_id, entry_type.url_prefix, manifest_urls, of_type)
        if new is None:
            continue
        url = f"/{entry_type.url_prefix}/{ref_id}/"
        message = f"'{ref_id}' is not {_a(entry_type.name)} any more: {url} was published and no entry has this id"
        keep = f"keep the old address with `aliases: [{ref_id}]` in"
        if len(new) == 1:
            written = f"[[{new[0]}]]" if in_prose else f"'{new[0]}'"
            return message, (f"it looks renamed to '{new[0]}' (new in this change): write {written} and {keep} "
                             f"{by_id[new[0]].path}")
        if new:
            listed = ", ".join(f"'{i}'" for i in new[:5])
            return message, (f"if it was renamed, it is one of the {entry_type.plural.lower()} new in this change "
                             f"({listed}): write the new id and {keep} that entry's file")
        return message, (f"if it was renamed or merged into another {entry_type.name}, write that id and {keep} "
                         f"that entry's file")
    return None


class _Index:
    """Entries by id and by former id, and how to resolve a reference against them."""

    def __init__(self, claims: dict[str, list[Entry]], aliases: dict[str, Entry], broken_ids: Iterable[str],
                 published: frozenset[str] | None = None) -> None:
        self.claims = claims
        self.published = published
        self.by_id = {i: entries[0] for i, entries in claims.items()}
        self.aliases = aliases
        self.broken = set(broken_ids)
        self.known = set(claims) | self.broken

    def resolve(self, target: str, types: tuple[str, ...], location: Location, diagnostics: Diagnostics,
                hint_link: bool = False) -> Entry | None:
        """The entry ``target`` names, or ``None`` (after reporting why, unless already reported)."""
        claimants = self.claims.get(target)
        if claimants is None:
            if target in self.aliases:
                new = self.aliases[target].id
                diagnostics.error("ref.alias", f"'{target}' is a former id of '{new}'", location,
                                  f"write [[{new}]]" if hint_link else f"write '{new}'")
            elif target not in self.known:
                _ref_error(target, types, location, self.by_id, diagnostics, self.known - self.by_id.keys(),
                           self.published, in_prose=hint_link)
            return None
        # An id claimed twice is reported on each claimant (id.duplicate); a reference is
        # read as naming the claimant of the type it expects, so the clash does not cascade.
        fitting = [e for e in claimants if not types or e.type.name in types]
        if not fitting and target in self.broken:
            return None  # perhaps the file with errors of its own is the one meant
        if not fitting:
            kind = " or ".join(_a(t) for t in types)
            hint = did_you_mean(target, [i for i, e in self.by_id.items() if e.type.name in types])
            found = " and ".join(_a(e.type.name) for e in claimants)
            diagnostics.error("ref.wrong-type", f"'{target}' is {found}, not {kind}", location,
                              hint or f"this field takes the id of {kind}")
            return None
        return fitting[0]


def link(entries: Iterable[Entry], diagnostics: Diagnostics, bib_keys: set[str] | None,
         broken_ids: set[str] = frozenset(), remains: Iterable[Remains] = (),
         manifest_urls: Iterable[str] | None = None) -> Site:
    """Index ``entries`` and check everything that spans entries.

    ``bib_keys`` is the set of known citation keys (``None`` skips the check).
    ``broken_ids`` are ids of files that failed to load: references to them are not
    reported again. ``remains`` are what is left of those files: their references and
    citations are checked too. ``manifest_urls`` (the URLs of ``permalinks.json``, when known)
    lets a reference to a renamed entry say so instead of guessing a similar id.
    """
    published = frozenset(manifest_urls) if manifest_urls is not None else None
    order = {t.name: i for i, t in enumerate(ENTRY_TYPES)}
    entries = sorted(entries, key=lambda e: (order[e.type.name], e.id))
    claims: dict[str, list[Entry]] = {}
    kept: list[Entry] = []
    remains = list(remains)
    broken_ids = set(broken_ids)
    for entry in entries:
        if entry.id in RESERVED_IDS:
            diagnostics.error("url.collision", f"id '{entry.id}' is reserved for a generated page", entry.location,
                              "choose another id")
            # Left out of the site, but its own references are still checked, and not re-reported.
            remains.append(Remains(entry.path, entry.refs, entry.cites, entry.scanned))
            broken_ids.add(entry.id)
            continue
        claims.setdefault(entry.id, []).append(entry)
        kept.append(entry)
    entries = kept
    # A file with errors of its own still has its id (its file name): a clash with it is reported now too.
    paths: dict[str, list[str]] = {i: [e.path for e in claimants] for i, claimants in claims.items()}
    for broken in remains:
        paths.setdefault(PurePosixPath(broken.path).stem, []).append(broken.path)
    for entry_id, claimed in paths.items():
        if len(claimed) > 1:
            for path in claimed:
                others = ", ".join(other for other in claimed if other != path)
                diagnostics.error("id.duplicate", f"id '{entry_id}' is also used by {others}", Location(path, 1, 1),
                                  "ids are unique across all entry types; rename one of the files and its id")
    by_id = {i: claimants[0] for i, claimants in claims.items()}

    aliases: dict[str, Entry] = {}
    for entry in entries:
        for alias in entry.get("aliases", []):
            if alias in RESERVED_IDS:
                diagnostics.error("alias.collision", f"alias '{alias}' is reserved for a generated page",
                                  entry.location, "remove it; no entry can have had this id")
            elif alias in by_id:
                # The former id came first: the entry that took it is the one to change, never the redirect.
                taker = by_id[alias]
                diagnostics.error("alias.collision", f"id '{alias}' is a former id of '{entry.id}' ({entry.path}): links "
                                  f"to '{alias}' and its old address lead there, and readers cite them",
                                  taker.location, "choose another id for this entry (rename the file and its id); a "
                                  "former id is given to a new entry only by a reviewed change "
                                  "(see docs/contributing/permalinks.md)")
            elif alias in aliases:
                diagnostics.error("alias.collision", f"alias '{alias}' is also claimed by {aliases[alias].path}",
                                  entry.location, "an id can have been the former id of one entry only; "
                                  "remove it from one of the two")
            else:
                aliases[alias] = entry

    index = _Index(claims, aliases, broken_ids, published)
    backlinks: dict[str, dict[str, Entry]] = defaultdict(dict)
    for entry in entries:
        for ref in entry.refs:
            target = index.resolve(ref.target, ref.types, ref.location, diagnostics)
            if target is None:
                continue
            if target is entry:
                diagnostics.error("ref.self", f"'{entry.id}' refers to itself", ref.location,
                                  "remove the reference; an entry's page already shows its own facts")
                continue
            backlinks[target.id][entry.id] = entry

    scanned: dict[int, list[ScannedProse]] = {}
    for entry in entries:
        # Entries from the loader come scanned; others (built by hand) are scanned here.
        results = entry.scanned if len(entry.scanned) == len(entry.prose) else [scan(p) for p in entry.prose]
        scanned[id(entry)] = results
        for result in results:
            for link_ in result.links:
                target = index.resolve(link_.target, (), link_.location, diagnostics, hint_link=True)
                if target is not None and target is not entry:
                    backlinks[target.id][entry.id] = entry

    for broken in remains:
        # A file with errors of its own: its references and citations are still reported.
        for ref in broken.refs:
            index.resolve(ref.target, ref.types, ref.location, diagnostics)
        for result in broken.scanned:
            for link_ in result.links:
                index.resolve(link_.target, (), link_.location, diagnostics, hint_link=True)

    cited: set[str] = set()
    sources = [(entry.cites, scanned[id(entry)]) for entry in entries] + [(r.cites, r.scanned) for r in remains]
    for cites, results in sources:
        keys = [(c.key, c.location) for c in cites]
        keys += [(item.key, item.location) for s in results for c in s.clusters for item in c.items]
        for key, location in keys:
            if bib_keys is not None and key not in bib_keys:
                diagnostics.error("cite.unknown", f"'{key}' is not a key in bibliography/", location,
                                  citation_hint(key, bib_keys))
            else:
                cited.add(key)

    _check_succession(entries, by_id, diagnostics)
    _check_cycles(entries, by_id, _field_edges(entries, "parent"), diagnostics, set(), "'parent' forms a loop",
                  "an organisation cannot be part of itself; remove the 'parent' that closes the loop")

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


Edge = tuple[str, Location]
"""A reference in a chain: the id it names and where it is written."""

_MAX_LOOP = 50
"""Longest loop looked for (a longer chain is not followed further)."""


def _field_edges(entries: list[Entry], field_name: str) -> dict[str, list[Edge]]:
    edges: dict[str, list[Edge]] = {}
    for entry in entries:
        value = entry.get(field_name)
        refs = value if isinstance(value, list) else [value] if value else []
        edges[entry.id] = [(ref.target, ref.location) for ref in refs]
    return edges


def _check_succession(entries: list[Entry], by_id: dict[str, Entry], diagnostics: Diagnostics) -> None:
    """Loops through ``predecessors``, through ``successors``, and through both together.

    ``a.successors: [b]`` and ``b.predecessors: [a]`` say the same thing; a loop in the
    relation they describe together is as impossible as a loop in either alone.
    """
    reported: set[frozenset[str]] = set()
    _check_cycles(entries, by_id, _field_edges(entries, "predecessors"), diagnostics, reported,
                  "'predecessors' forms a loop",
                  "an organisation cannot be its own predecessor; remove the reference that closes the loop")
    followed_by = _field_edges(entries, "successors")
    _check_cycles(entries, by_id, followed_by, diagnostics, reported, "'successors' forms a loop",
                  "an organisation cannot be its own successor; remove the reference that closes the loop")
    for entry in entries:
        for predecessor, location in _field_edges([entry], "predecessors")[entry.id]:
            followed_by.setdefault(predecessor, []).append((entry.id, location))
    _check_cycles(entries, by_id, followed_by, diagnostics, reported, "'successors' and 'predecessors' form a loop",
                  "an organisation cannot come both before and after another; "
                  "check which of the two references is the wrong way round")


def _check_cycles(entries: list[Entry], by_id: dict[str, Entry], edges: dict[str, list[Edge]],
                  diagnostics: Diagnostics, reported: set[frozenset[str]], problem: str, hint: str) -> None:
    """Report a loop through each entry that is on one, once per set of entries in the loop.

    A depth-first search from each entry, which does not enter an entry twice: the time is
    bounded by the entries and references reachable from it, however many paths join them.
    """
    for start in entries:
        path = [start.id]
        entered = {start.id}
        stack = [iter(edges.get(start.id, []))]
        while stack:
            edge = next(stack[-1], None)
            if edge is None:
                stack.pop()
                path.pop()
                continue
            target, location = edge
            if target == start.id:
                loop = frozenset(path)
                if loop not in reported and len(path) > 1:
                    reported.add(loop)
                    diagnostics.error("ref.cycle", f"{problem}: {' -> '.join(path + [start.id])}", location, hint)
                continue
            if target not in by_id or target in entered or len(path) > _MAX_LOOP:
                continue
            entered.add(target)
            path.append(target)
            stack.append(iter(edges.get(target, [])))
