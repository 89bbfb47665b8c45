"""Load and validate every entry file under ``content/``.

:func:`load_entries` walks the type folders in a fixed order, parses each file with
the strict YAML loader, checks it against its type's declaration and returns typed
:class:`Entry` objects. Problems become diagnostics; a file with errors is left out
of the result (and the build fails), never half-used.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostics, Location, did_you_mean
from generator.diagnostics import display_path
from generator.load.entry_cache import EntryCache
from generator.schema.fields import INVALID, SLUG_RE, CheckContext, CiteKey, Prose, RefValue
from generator.render.prose import ScannedProse, scan
from generator.schema.types import ENTRY_TYPES, TYPES_BY_FOLDER, EntryType
from generator.load.yamlload import YMap, YSeq, load_yaml

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


def outside_project(path: Path, root: Path, diagnostics: Diagnostics) -> bool:
    """Whether ``path`` is a symbolic link leading out of ``root`` (reported; the caller must not read it).

    Only links are resolved: a plain file inside a folder inside the project cannot lead out.
    """
    if not path.is_symlink():
        return False
    try:
        target = path.resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        inside = False
    if inside:
        return False
    diagnostics.error("path.outside-project", f"'{path.name}' is a symbolic link to a place outside the project; "
                      "it is not read", Location(display_path(path, root), 1, 1),
                      "replace the link with a copy of what it points to, or point it inside the project")
    return True


def discover(content_dir: Path, root: Path, diagnostics: Diagnostics,
             unread: set[str] | None = None) -> list[tuple[EntryType, Path]]:
    """Every entry file, in a deterministic order; stray files are reported.

    ``unread``, if given, receives the ids (file names) of entry files that are refused
    unread (links out of the project), so that references to them are not reported again.
    """
    found: list[tuple[EntryType, Path]] = []
    if outside_project(content_dir, root, diagnostics):
        return found
    if not content_dir.is_dir():
        diagnostics.error("content.missing", "content folder not found",
                          Location(display_path(content_dir, root), 1, 1),
                          "create it, with one folder per entry type (organisations/, events/...)")
        return found
    for child in sorted(content_dir.iterdir(), key=lambda p: p.name):
        if child.name.startswith(".") or outside_project(child, root, diagnostics):
            continue
        entry_type = TYPES_BY_FOLDER.get(child.name)
        if entry_type is None or not child.is_dir():
            diagnostics.error(
                "content.unknown-folder", f"'{child.name}' is not an entry folder",
                Location(display_path(child, root), 1, 1),
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
            if outside_project(file, root, diagnostics):
                if unread is not None and file.suffix == ".yaml":
                    unread.add(file.stem)
                continue
            location = Location(display_path(file, root), 1, 1)
            if file.suffix != ".yaml" or not file.is_file():
                hint = ("rename it to .yaml" if file.suffix == ".yml" else "entry files end in .yaml"
                        if file.suffix != ".yaml" else "an entry is a file; entry folders hold no other folders")
                diagnostics.error("content.unknown-file", f"'{file.name}' is not an entry file", location, hint)
                continue
            if not SLUG_RE.match(file.stem):
                twins = [name for name in by_folded_name[file.name.casefold()] if name != file.name]
                if twins:
                    diagnostics.error(
                        "content.file-name", f"'{file.name}' and '{twins[0]}' differ only in case", location,
                        "they are one file on macOS and Windows; remove the one that is not lowercase")
                else:
                    candidate = re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-")
                    diagnostics.error(
                        "content.file-name", f"'{file.name}' is not a valid file name: the name is the entry's id, "
                        "in lowercase letters, digits and single hyphens", location,
                        f"rename it to '{candidate}.yaml'" if SLUG_RE.match(candidate)
                        else "rename it to its id, e.g. 'csto.yaml' or 'cst-signed-1992.yaml'")
                continue
            found.append((entry_type, file))
    if len(found) > MAX_ENTRIES:
        diagnostics.error("content.too-many", f"{len(found)} entry files; the limit is {MAX_ENTRIES}",
                          Location(display_path(content_dir, root), 1, 1),
                          "remove entry files, or split the content into several sites")
        return []
    return found


@dataclass
class Remains:
    """What can still be checked of an entry file that failed its own checks.

    The references, citation keys and prose of the fields that did validate, so that
    one run also reports the file's unknown ids and citation keys (see
    :func:`generator.load.linker.link`).
    """

    path: str
    refs: list[RefValue] = field(default_factory=list)
    cites: list[CiteKey] = field(default_factory=list)
    scanned: list[ScannedProse] = field(default_factory=list)


def load_entry(entry_type: EntryType, data: bytes, path: str, diagnostics: Diagnostics) -> Entry | None:
    """Parse and check one entry file's bytes; ``None`` if it has errors."""
    outcome = check_entry(entry_type, data, path, diagnostics)
    return outcome if isinstance(outcome, Entry) else None


def _looks_like_an_entry(node: YMap, entry_type: EntryType) -> bool:
    """Whether some key is a field of ``entry_type``, or a misspelling of one (``Id``, ``nmae``)."""
    fields = [f.name for f in entry_type.fields]
    return any(key.casefold() in fields or difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
               for key in node.keys())


def check_entry(entry_type: EntryType, data: bytes, path: str, diagnostics: Diagnostics) -> Entry | Remains | None:
    """Parse and check one entry file's bytes.

    Returns the entry; or, if its fields have errors, the :class:`Remains` still worth
    checking; or ``None`` if it is not YAML or not a mapping.
    """
    node = load_yaml(data, path, diagnostics)
    if node is None:
        return None
    if not isinstance(node, YMap):
        # The value is not quoted: a file that is not an entry may hold anything.
        found = "a list" if isinstance(node, YSeq) else "a single value"
        diagnostics.error("schema.type", f"an entry file must be a mapping of fields, found {found}",
                          Location(path, node.line, node.column), "write one 'field: value' per line, starting with id:")
        return None
    if not _looks_like_an_entry(node, entry_type):
        # Nothing of it is quoted: a file that is not an entry may hold anything (a secret).
        article = "an" if entry_type.name[:1] in "aeiou" else "a"
        diagnostics.error("schema.type", f"the file is not {article} {entry_type.name} entry: none of its keys is a field",
                          Location(path, node.line, node.column), "write one 'field: value' per line, starting with id:")
        return None
    ctx = CheckContext(path, diagnostics, source_lines=data.decode("utf-8").splitlines())
    values = entry_type.record.check(node, ctx)
    stem = Path(path).stem
    id_node = node.get("id")

    def remains() -> Remains:
        return Remains(path, ctx.refs, ctx.cites, [scan(p) for p in ctx.prose])

    if values is INVALID:
        return remains()
    entry_id = values["id"]
    if entry_id != stem:
        diagnostics.error("id.file-name", f"id '{entry_id}' does not match the file name '{Path(path).name}'",
                          ctx.at(id_node) if id_node else Location(path, 1, 1),
                          f"rename the file to '{entry_id}.yaml' or set id: {stem}")
        return remains()
    name = values.get("name")
    if entry_type.derive_name is not None:
        name = entry_type.derive_name(entry_id)
        if name is None:
            diagnostics.error("country.unknown-code", f"'{entry_id}' is not an ISO 3166-1 alpha-3 country code",
                              ctx.at(id_node) if id_node else Location(path, 1, 1),
                              "use the lowercase alpha-3 code, e.g. 'rus', 'kaz', 'blr'")
            return remains()
    # Scanned here rather than when linking, so that the entry cache keeps the scans too.
    return Entry(entry_type, entry_id, path, values, name, ctx.refs, ctx.cites, ctx.prose,
                 [scan(p) for p in ctx.prose])


def load_entries(content_dir: Path, root: Path, diagnostics: Diagnostics, *, cache: EntryCache | None = None,
                 texts: dict[str, bytes] | None = None,
                 remains: list[Remains] | None = None) -> tuple[list[Entry], set[str]]:
    """Load every entry under ``content_dir``; errors go to ``diagnostics``.

    Args:
        cache: outcomes of earlier builds; only files whose bytes are not in it are parsed.
        texts: if given, filled with each file's bytes by its displayed path.
        remains: if given, filled with what can still be checked of the files that failed.

    Returns the valid entries and the ids (file names) of files that failed, so that
    references to a broken file are not reported a second time.
    """
    entries = []
    broken: set[str] = set()
    for entry_type, file in discover(content_dir, root, diagnostics, broken):
        path = display_path(file, root)
        try:
            data = file.read_bytes()
        except OSError as exc:
            diagnostics.error("content.unreadable", f"cannot read file: {exc.strerror}", Location(path, 1, 1),
                              "check the file's permissions, or that it is not a broken link")
            broken.add(file.stem)
            continue
        if texts is not None:
            texts[path] = data
        if cache is None:
            entry = check_entry(entry_type, data, path, diagnostics)
        else:
            key = cache.key(entry_type, path, data)
            outcome = cache.get(key)
            if outcome is None:
                found = Diagnostics()
                outcome = (check_entry(entry_type, data, path, found), found.items)
                cache.put(key, outcome)
            entry, items = outcome
            diagnostics.extend(items)
        if isinstance(entry, Entry):
            entries.append(entry)
        else:
            broken.add(file.stem)
            if isinstance(entry, Remains) and remains is not None:
                remains.append(entry)
    return entries, broken




__all__ = ["Entry", "ENTRY_TYPES", "Remains", "check_entry", "discover", "outside_project", "load_entries", "load_entry"]
