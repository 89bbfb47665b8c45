"""Load and validate every entry file under ``content/``.

:func:`load_entries` walks the type folders in a fixed order, parses each file with
the strict YAML loader, checks it against its type's declaration and returns typed
:class:`Entry` objects. Problems become diagnostics; a file with errors is left out
of the result (and the build fails), never half-used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, Location, did_you_mean
from .diagnostics import display_path
from .entry_cache import EntryCache
from .fields import INVALID, SLUG_RE, CheckContext, CiteKey, Prose, RefValue
from .prose import ScannedProse, scan
from .types import ENTRY_TYPES, TYPES_BY_FOLDER, EntryType
from .yamlload import YMap, YSeq, load_yaml

MAX_ENTRIES = 100_000
"""Most entry files accepted in one site."""


@dataclass
class Entry:
    """One validated entry.

    Attributes:
        type: its declared type.
        id: its id (equal to the file name).
        path: the file, relative to the project root.
        data: field values as checked by the declaration (records are dicts).
        name: the English name (declared, or derived for countries).
        refs: every reference to another entry in its fields.
        cites: every citation key in its ``sources`` fields.
        prose: every Markdown value, in file order.
        scanned: each of ``prose`` scanned for entry links and citations (same order).
    """

    type: EntryType
    id: str
    path: str
    data: dict[str, Any]
    name: str
    refs: list[RefValue] = field(default_factory=list)
    cites: list[CiteKey] = field(default_factory=list)
    prose: list[Prose] = field(default_factory=list)
    scanned: list[ScannedProse] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Site-relative URL, e.g. ``organisations/csto/``."""
        return self.type.url(self.id)

    @property
    def page_path(self) -> str:
        """Generated Markdown page, e.g. ``organisations/csto/index.md``."""
        return self.type.page_path(self.id)

    @property
    def first_date(self) -> Any:
        """Earliest value of the entry's ``date`` (events), for sorting and grouping."""
        return min(alt["date"] for alt in self.data["date"])

    @property
    def sort_letter(self) -> str:
        """Initial of the name, for alphabetical indexes."""
        first = self.name[:1].upper()
        return first if first.isalpha() else "#"

    @property
    def location(self) -> Location:
        return Location(self.path, 1, 1)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def __getattr__(self, name: str) -> Any:
        # Lets templates write entry.summary for entry.data["summary"].
        data = self.__dict__.get("data")
        if data is not None and name in data:
            return data[name]
        raise AttributeError(name)


def discover(content_dir: Path, root: Path, diagnostics: Diagnostics) -> list[tuple[EntryType, Path]]:
    """Every entry file, in a deterministic order; stray files are reported."""
    found: list[tuple[EntryType, Path]] = []
    if not content_dir.is_dir():
        diagnostics.error("content.missing", "content folder not found", Location(display_path(content_dir, root)))
        return found
    for child in sorted(content_dir.iterdir(), key=lambda p: p.name):
        if child.name.startswith("."):
            continue
        entry_type = TYPES_BY_FOLDER.get(child.name)
        if entry_type is None or not child.is_dir():
            diagnostics.error(
                "content.unknown-folder", f"'{child.name}' is not an entry folder", Location(display_path(child, root)),
                did_you_mean(child.name, TYPES_BY_FOLDER) or f"entry folders: {', '.join(TYPES_BY_FOLDER)}",
            )
            continue
        files = sorted(child.iterdir(), key=lambda p: p.name)
        by_folded_name: dict[str, list[str]] = {}
        for file in files:
            by_folded_name.setdefault(file.name.casefold(), []).append(file.name)
        for file in files:
            if file.name.startswith("."):
                continue
            if file.suffix != ".yaml" or not file.is_file():
                hint = "rename it to .yaml" if file.suffix == ".yml" else "entry files end in .yaml"
                diagnostics.error("content.unknown-file", f"'{file.name}' is not an entry file",
                                  Location(display_path(file, root)), hint)
                continue
            if not SLUG_RE.match(file.stem):
                twins = [name for name in by_folded_name[file.name.casefold()] if name != file.name]
                if twins:
                    diagnostics.error(
                        "content.file-name", f"'{file.name}' and '{twins[0]}' differ only in case",
                        Location(display_path(file, root)),
                        "they are one file on macOS and Windows; remove the one that is not lowercase")
                else:
                    candidate = re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-")
                    diagnostics.error(
                        "content.file-name", f"'{file.name}' is not a valid file name: the name is the entry's id, "
                        "in lowercase letters, digits and single hyphens", Location(display_path(file, root)),
                        f"rename it to '{candidate}.yaml'" if SLUG_RE.match(candidate) else None)
                continue
            found.append((entry_type, file))
    if len(found) > MAX_ENTRIES:
        diagnostics.error("content.too-many", f"{len(found)} entry files; the limit is {MAX_ENTRIES}",
                          Location(display_path(content_dir, root)))
        return []
    return found


def load_entry(entry_type: EntryType, data: bytes, path: str, diagnostics: Diagnostics) -> Entry | None:
    """Parse and check one entry file's bytes."""
    node = load_yaml(data, path, diagnostics)
    if node is None:
        return None
    if not isinstance(node, YMap):
        shown = " ".join(node.value.split()) if not isinstance(node, YSeq) else ""
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        found = "a list" if isinstance(node, YSeq) else f"the single value '{shown}'"
        diagnostics.error("schema.type", f"an entry file must be a mapping of fields, found {found}",
                          Location(path, node.line, node.column), "write one 'field: value' per line, starting with id:")
        return None
    ctx = CheckContext(path, diagnostics, source_lines=data.decode("utf-8").splitlines())
    values = entry_type.record.check(node, ctx)
    stem = Path(path).stem
    id_node = node.get("id")
    if values is INVALID:
        return None
    entry_id = values["id"]
    if entry_id != stem:
        diagnostics.error("id.file-name", f"id '{entry_id}' does not match the file name '{Path(path).name}'",
                          ctx.at(id_node) if id_node else Location(path, 1, 1),
                          f"rename the file to '{entry_id}.yaml' or set id: {stem}")
        return None
    name = values.get("name")
    if entry_type.derive_name is not None:
        name = entry_type.derive_name(entry_id)
        if name is None:
            diagnostics.error("country.unknown-code", f"'{entry_id}' is not an ISO 3166-1 alpha-3 country code",
                              ctx.at(id_node) if id_node else Location(path, 1, 1),
                              "use the lowercase alpha-3 code, e.g. 'rus', 'kaz', 'blr'")
            return None
    # Scanned here rather than when linking, so that the entry cache keeps the scans too.
    return Entry(entry_type, entry_id, path, values, name, ctx.refs, ctx.cites, ctx.prose,
                 [scan(p) for p in ctx.prose])


def load_entries(content_dir: Path, root: Path, diagnostics: Diagnostics, *, cache: EntryCache | None = None,
                 texts: dict[str, bytes] | None = None) -> tuple[list[Entry], set[str]]:
    """Load every entry under ``content_dir``; errors go to ``diagnostics``.

    Args:
        cache: outcomes of earlier builds; only files whose bytes are not in it are parsed.
        texts: if given, filled with each file's bytes by its displayed path.

    Returns the valid entries and the ids (file names) of files that failed, so that
    references to a broken file are not reported a second time.
    """
    entries = []
    broken: set[str] = set()
    for entry_type, file in discover(content_dir, root, diagnostics):
        path = display_path(file, root)
        try:
            data = file.read_bytes()
        except OSError as exc:
            diagnostics.error("content.unreadable", f"cannot read file: {exc.strerror}", Location(path))
            continue
        if texts is not None:
            texts[path] = data
        if cache is None:
            entry = load_entry(entry_type, data, path, diagnostics)
        else:
            key = cache.key(entry_type, path, data)
            outcome = cache.get(key)
            if outcome is None:
                found = Diagnostics()
                outcome = (load_entry(entry_type, data, path, found), found.items)
                cache.put(key, outcome)
            entry, items = outcome
            diagnostics.extend(items)
        if entry is not None:
            entries.append(entry)
        else:
            broken.add(file.stem)
    return entries, broken




__all__ = ["Entry", "ENTRY_TYPES", "discover", "load_entries", "load_entry"]
