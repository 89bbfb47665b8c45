"""Reading ``bibliography/*.bib``: every entry parsed, every problem a diagnostic.

:func:`load_bibliography` never raises on bad input. It reports, each at ``file:line:col``
(1-based; bibtexparser's 0-based lines are converted):

=========================  =====================================================================
code                       problem
=========================  =====================================================================
``bib.io``                 a file cannot be read, or is not UTF-8
``bib.control-char``       a NUL, escape or other control character (tab, newline and CR are fine)
``bib.file-too-large``     a file is larger than :data:`MAX_FILE_BYTES` (5 MB); it is skipped
``bib.syntax``             a block bibtexparser cannot parse, or a field value it cannot read
``bib.invalid-key``        an empty key, or one with spaces or any of ``,{}()"'#%=\\``
``bib.duplicate-key``      a key used twice, in one file or across files (the first one wins)
``bib.key-case``           keys that differ only in case (``Smith2011``/``smith2011``)
``bib.duplicate-field``    a field written twice in one entry (the entry is rejected)
``bib.duplicate-string``   an ``@string`` macro defined twice
``bib.undefined-macro``    a bare word that is neither an ``@string`` macro nor a month (jan..dec)
``bib.macro-cycle``        an ``@string`` macro that uses itself, directly or through others
``bib.macro-too-deep``     macros using macros more than :data:`~.macros.MAX_MACRO_DEPTH` (16) deep
``bib.macro-too-long``     a macro expanding to more than :data:`MAX_FIELD_CHARS`, or all expansions
                           together to more than :data:`~.macros.MAX_TOTAL_EXPANSION`
``bib.unknown-type``       an entry type not in :data:`~generator.bibliography.csl.ENTRY_TYPES`
``bib.field-too-long``     a field value longer than :data:`MAX_FIELD_CHARS` (20,000); dropped
``bib.latex``              LaTeX the site cannot convert (an unknown command, an environment...); dropped
``bib.too-deep``           braces nested deeper than :data:`~.latex.MAX_NESTING` (32); dropped
``bib.url``                a URL (``url``, ``pdf``, ``eprint``, ``\\url{}``, ``\\href{}``) that is not http(s); dropped
``bib.doi``                a ``doi`` that is not a DOI; dropped
``bib.crossref-missing``   ``crossref`` names no entry (the child is rejected)
``bib.crossref-cycle``     entries whose ``crossref`` chain loops (all of them are rejected)
``bib.citedin``            a malformed ``citedin`` field, or one naming an unknown key
``bib.value``              a date, month or language that cannot be converted to CSL
``bib.slug-collision``     two keys with the same :func:`~generator.bibliography.source_slug`
=========================  =====================================================================

Macros (``@string``) are global to the bibliography: one defined in any file can be used in
every file. Month macros ``jan``..``dec`` expand to the English month names. Macros are
checked and bounded before they are expanded (:mod:`generator.bibliography.macros`). A field
that is dropped because of its own problem, or because it uses a macro reported at its
definition, leaves the rest of the entry in place, so that one run reports everything else. ``crossref``
children inherit every field they lack from the parent (recursively), and a parent's
``title`` becomes the child's ``booktitle`` for in-book types.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model as bp

from generator.bibliography.csl import ENTRY_TYPES, VERBATIM_FIELDS, to_csl
from generator.bibliography.latex import latex_problems, latex_to_text, strip_outer_braces
from generator.bibliography.macros import Macros
from generator.bibliography.model import BibEntry, Bibliography
from generator.bibliography.slug import source_slug
from generator.bibliography.urls import URL_FIELDS, doi_problem, eprint_problem, url_problem
from generator.diagnostics import Diagnostics, Location, did_you_mean, display_path

#: Largest ``.bib`` file read, in bytes.
MAX_FILE_BYTES = 5_000_000
#: Longest field value kept, in characters (abstracts included).
MAX_FIELD_CHARS = 20_000

#: Control characters refused in a ``.bib`` file (C0 except tab, newline and CR; DEL; C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: At most this many control characters are reported per file (the first of each line).
MAX_CONTROL_REPORTS = 10
_IN_BOOK_TYPES = {"inbook", "incollection", "inproceedings", "conference", "inreference"}
_NOT_INHERITED = {"crossref", "citedin", "ids", "shorthand", "key"}
_MACRO_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_VALID_KEY = re.compile(r"^[^\s,{}()\"'#%=\\~]+$")
_CITEDIN_ITEM = re.compile(r"^([^\s:;,]+)(?::(\S+))?$")

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


class ValueSyntaxError(Exception):
    """A field value bibtexparser accepted but whose ``#`` expression cannot be read."""


_DROPPED = object()
"""A field left out because of a problem already reported elsewhere (a broken macro)."""


@dataclass
class _RawEntry:
    """An entry between parsing and conversion: LaTeX values, with locations."""

    block: bp.Entry
    key: str
    entry_type: str
    location: Location
    fields: dict[str, str] = field(default_factory=dict)
    field_locations: dict[str, Location] = field(default_factory=dict)
    raw_values: dict[str, str] = field(default_factory=dict)


def _block_location(path: str, lines: list[str], start_line: int | None) -> Location:
    if start_line is None:
        return Location(path, 0, 0)
    line_text = lines[start_line] if 0 <= start_line < len(lines) else ""
    column = line_text.find("@") + 1 if "@" in line_text else 1
    return Location(path, start_line + 1, column)


def _field_location(path: str, lines: list[str], start_line: int | None, name: str) -> Location:
    if start_line is None:
        return Location(path, 0, 0)
    line_text = lines[start_line] if 0 <= start_line < len(lines) else ""
    match = re.search(rf"(?<![\w-]){re.escape(name)}\s*=", line_text, flags=re.IGNORECASE)
    return Location(path, start_line + 1, match.start() + 1 if match else 1)


def _read_braced(text: str, start: int, close: str) -> int:
    """Index just past the closing delimiter of the value opening at ``start``."""
    depth = 0
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and close == "}":
                return index + 1
            depth -= 1
            if depth < 0:
                break
        elif char == close and depth == 0:
            return index + 1
    raise ValueSyntaxError("unbalanced braces or quotes")


def split_value(value: str) -> list[tuple[str, str]]:
    """A field's value expression -> parts ``("text", latex)`` or ``("macro", name)``.

    ``{A} # " B" # jan # 2011`` -> ``[("text", "A"), ("text", " B"), ("macro", "jan"), ("text", "2011")]``.
    """
    parts: list[tuple[str, str]] = []
    index, length = 0, len(value)
    while True:
        while index < length and value[index].isspace():
            index += 1
        if index >= length:
            raise ValueSyntaxError("a value is missing after '#'" if parts else "the value is empty")
        char = value[index]
        if char in "{\"":
            end = _read_braced(value, index, "}" if char == "{" else '"')
            parts.append(("text", value[index + 1:end - 1]))
            index = end
        elif char.isdigit():
            match = re.compile(r"\d+").match(value, index)
            parts.append(("text", match.group(0)))
            index = match.end()
        else:
            match = _MACRO_NAME.match(value, index)
            if not match:
                raise ValueSyntaxError(f"unexpected character {char!r}")
            parts.append(("macro", match.group(0)))
            index = match.end()
        while index < length and value[index].isspace():
            index += 1
        if index >= length:
            return parts
        if value[index] != "#":
            raise ValueSyntaxError(f"expected '#' or the end of the value, found {value[index]!r}")
        index += 1


class _Loader:
    """One run of :func:`load_bibliography`; collects diagnostics as it goes."""

    def __init__(self, root: Path, diagnostics: Diagnostics) -> None:
        self.root = root
        self.diagnostics = diagnostics
        self.strings: dict[str, tuple[str, Location]] = {}
        self.raw_entries: list[_RawEntry] = []
        self.seen_keys: dict[str, Location] = {}
        self.seen_lower: dict[str, tuple[str, Location]] = {}

    def error(self, code: str, message: str, location: Location, hint: str | None = None) -> None:
        self.diagnostics.error(code, message, location, hint=hint)

    # -- reading ---------------------------------------------------------------------------

    def read_file(self, path: Path) -> None:
        shown = display_path(path, self.root)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.error("bib.io", f"cannot read file: {exc.strerror or exc}", Location(shown),
                       hint="check that the file exists, is readable and is a regular file")
            return
        if len(data) > MAX_FILE_BYTES:
            self.error("bib.file-too-large", f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                       Location(shown), hint="split it into several .bib files")
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            self.error("bib.io", f"not UTF-8 (byte {data[exc.start]:#04x})", Location(shown, line, column),
                       hint="save the file as UTF-8")
            return
        text = self.control_characters(text, shown)
        try:
            library = bibtexparser.parse_string(text, parse_stack=[])
        except Exception as exc:  # bibtexparser is third-party code: never let it crash a build
            self.error("bib.syntax", f"bibtexparser failed on this file: {exc}", Location(shown, 1, 1),
                       hint="look for an unbalanced brace or quote; check the file in a BibTeX editor")
            return
        lines = text.split("\n")  # bibtexparser counts "\n" only (not U+2028, form feeds...)
        for block in library.blocks:
            self.read_block(block, shown, lines)

    def control_characters(self, text: str, path: str) -> str:
        """Report control characters (the first of each line); the rest of the file is still read.

        They are replaced by U+FFFD for reading, so that every other problem of the file is
        found too; the error fails the run, so nothing with them is published.
        """
        if not _CONTROL.search(text):
            return text
        reported = 0
        for number, line in enumerate(text.split("\n"), start=1):
            match = _CONTROL.search(line)
            if match is None:
                continue
            reported += 1
            if reported > MAX_CONTROL_REPORTS:
                continue
            name = "NUL byte" if match.group() == "\x00" else f"control character U+{ord(match.group()):04X}"
            self.error("bib.control-char", f"{name} in file", Location(path, number, match.start() + 1),
                       hint="delete it; only tab, newline and carriage return may appear in a .bib file")
        if reported > MAX_CONTROL_REPORTS:
            self.error("bib.control-char", f"{reported - MAX_CONTROL_REPORTS} more lines with control characters",
                       Location(path, 1, 1), hint="delete them")
        return _CONTROL.sub("\ufffd", text)

    def read_block(self, block: bp.Block, path: str, lines: list[str]) -> None:
        location = _block_location(path, lines, block.start_line)
        if isinstance(block, bp.DuplicateFieldKeyBlock):
            self.duplicate_fields(block, path, lines)
        elif isinstance(block, bp.DuplicateBlockKeyBlock):
            duplicate = block.ignore_error_block
            if isinstance(duplicate, bp.String):
                self.error("bib.duplicate-string", f"@string '{block.key}' is defined twice", location,
                           hint="keep one definition and delete or rename the other")
            else:
                self.duplicate_key(block.key, location)
        elif isinstance(block, bp.ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
            first_line = (block.raw or "").splitlines()[0][:60] if block.raw else ""
            self.error("bib.syntax", f"cannot parse block '{first_line}': {reason.strip()}", location,
                       hint="check for an unclosed brace or quote, or a missing comma between fields")
        elif isinstance(block, bp.String):
            self.read_string(block, location)
        elif isinstance(block, bp.Entry):
            self.read_entry(block, path, lines, location)

    def duplicate_key(self, key: str, location: Location) -> None:
        first = self.seen_keys.get(key)
        where = f" (first defined at {first})" if first else ""
        self.error("bib.duplicate-key", f"duplicate key '{key}'{where}", location,
                   hint="each entry needs its own key; merge the entries or rename one")

    def duplicate_fields(self, block: bp.DuplicateFieldKeyBlock, path: str, lines: list[str]) -> None:
        entry = block.ignore_error_block
        key = getattr(entry, "key", "?")
        for name in sorted(block.duplicate_keys):
            occurrences = [f for f in entry.fields if f.key == name]
            for repeated in occurrences[1:]:
                self.error("bib.duplicate-field", f"field '{name}' appears twice in entry '{key}' (entry rejected)",
                           _field_location(path, lines, repeated.start_line, name),
                           hint="keep one of the two values")

    def read_string(self, block: bp.String, location: Location) -> None:
        name = block.key.lower()
        if name in self.strings:
            self.error("bib.duplicate-string", f"@string '{block.key}' is already defined at {self.strings[name][1]}",
                       location, hint="keep one definition and delete or rename the other")
            return
        self.strings[name] = (str(block.value), location)

    def read_entry(self, block: bp.Entry, path: str, lines: list[str], location: Location) -> None:
        entry_type = block.entry_type.lower()
        key = block.key
        if entry_type not in ENTRY_TYPES:
            self.error("bib.unknown-type", f"unknown entry type '@{block.entry_type}' for '{key}'", location,
                       hint=did_you_mean(entry_type, ENTRY_TYPES) or "see ENTRY_TYPES in generator/bibliography/csl.py")
            return
        if not _VALID_KEY.match(key):
            self.error("bib.invalid-key", f"invalid key {key!r} in @{block.entry_type}", location,
                       hint="a key is one word, without spaces or any of , { } ( ) \" ' # % = \\ ~")
            return
        if key in self.seen_keys:
            self.duplicate_key(key, location)
            return
        lower = key.lower()
        if lower in self.seen_lower:
            other, other_location = self.seen_lower[lower]
            self.error("bib.key-case", f"key '{key}' differs only in case from '{other}' ({other_location})",
                       location, hint="keys are matched case-insensitively by BibTeX tools; rename one")
            return
        raw = _RawEntry(block, key, entry_type, location)
        names_seen: dict[str, Location] = {}
        for bib_field in block.fields:
            name = bib_field.key.lower()
            field_location = _field_location(path, lines, bib_field.start_line, bib_field.key)
            if name in names_seen:
                self.error("bib.duplicate-field",
                           f"field '{name}' appears twice in entry '{key}' (entry rejected)", field_location,
                           hint="keep one of the two values")
                return
            names_seen[name] = field_location
            raw.field_locations[name] = field_location
            raw.raw_values[name] = str(bib_field.value)
        self.seen_keys[key] = location
        self.seen_lower[lower] = (key, location)
        self.raw_entries.append(raw)

    # -- resolving ---------------------------------------------------------------------------

    def check_macros(self) -> None:
        """Read every ``@string`` definition and check them all before any field is expanded."""
        definitions: dict[str, tuple[list[tuple[str, str]] | None, Location]] = {}
        for name, (value, location) in self.strings.items():
            try:
                definitions[name] = (split_value(value), location)
            except ValueSyntaxError as exc:
                self.error("bib.syntax", f"cannot read the value of @string '{name}': {exc}", location,
                           hint="write the value in braces or quotes, joining parts with #")
                definitions[name] = (None, location)
        self.macros = Macros(definitions, MAX_FIELD_CHARS,
                             lambda code, message, location, hint: self.error(code, message, location, hint))

    def undefined(self, name: str, field_name: str, key: str, location: Location) -> None:
        hint = did_you_mean(name.lower(), self.macros.names())
        self.error("bib.undefined-macro", f"undefined macro '{name}' in field '{field_name}' of '{key}'",
                   location, hint=hint or "define it with @string{name = {value}} or put the value in braces")

    def resolve_value(self, value: str, location: Location, field_name: str, key: str) -> str | object | None:
        """The field's value with macros expanded; ``None`` rejects the entry, ``_DROPPED`` the field.

        The expanded length is computed from the macros' checked lengths before anything is
        expanded, so a field over :data:`MAX_FIELD_CHARS` costs nothing to refuse.
        """
        try:
            parts = split_value(value)
        except ValueSyntaxError as exc:
            self.error("bib.syntax", f"cannot read the value of '{field_name}' in '{key}': {exc}", location,
                       hint="write the value in braces or quotes, joining parts with #")
            return None
        length = 0
        for kind, text in parts:
            if kind == "text":
                length += len(text)
                continue
            name = text.lower()
            if name not in self.macros:
                self.undefined(text, field_name, key, location)
                return None
            if name in self.macros.broken:
                return _DROPPED
            if name in self.macros.undefined:
                self.undefined(self.macros.undefined[name], field_name, key, location)
                return None
            length += self.macros.expanded_length(name)
        if length > MAX_FIELD_CHARS:
            self.error("bib.field-too-long",
                       f"field '{field_name}' of '{key}' has {length:,} characters; the limit is "
                       f"{MAX_FIELD_CHARS:,} (field dropped)", location,
                       hint="shorten the field; a long abstract or note does not belong in the bibliography")
            return _DROPPED
        out: list[str] = []
        for kind, text in parts:
            piece = text if kind == "text" else self.macros.expand(text.lower(), location)
            if piece is None:
                return _DROPPED
            out.append(piece)
        if len(parts) > 1 and not self.macros.charge(length, location):
            return _DROPPED
        return "".join(out)

    def value_problems(self, name: str, value: str, location: Location, key: str) -> bool:
        """Report what the site cannot publish in a field value; ``True`` when the value is fine."""
        where = f"field '{name}' of '{key}'"
        if name in VERBATIM_FIELDS:
            address = strip_outer_braces(value)
            checks = {"doi": doi_problem, "eprint": eprint_problem}
            check = url_problem if name in URL_FIELDS else checks.get(name)
            problem = check(address) if check else None
            if problem is None:
                return True
            code = "bib.doi" if name == "doi" else "bib.url"
            hint = ("write the DOI itself, such as 10.1234/abcd" if name == "doi"
                    else "write the address with http:// or https://")
            self.error(code, f"{where}: {problem} (field dropped)", location, hint=hint)
            return False
        problems = latex_problems(value)
        for problem in problems:
            self.error(problem.code, f"{where}: {problem.message} (field dropped)", location, hint=problem.hint)
        return not problems

    def resolve_fields(self, raw: _RawEntry) -> bool:
        ok = True
        for name, value in raw.raw_values.items():
            location = raw.field_locations[name]
            resolved = self.resolve_value(value, location, name, raw.key)
            if resolved is None:
                ok = False
                continue
            if resolved is _DROPPED or not self.value_problems(name, resolved, location, raw.key):
                continue
            raw.fields[name] = resolved
        return ok

    def resolve_crossrefs(self, by_key: dict[str, _RawEntry]) -> set[str]:
        """Fill children from parents; return the keys of rejected entries."""
        rejected: set[str] = set()
        done: set[str] = set()

        def parent_key_of(raw: _RawEntry) -> str | None:
            value = raw.fields.get("crossref")
            return None if value is None else latex_to_text(value)

        def reject_cycle(cycle: list[str], loop: str) -> None:
            for member in cycle:
                member_raw = by_key[member]
                if member not in rejected:
                    rejected.add(member)
                    done.add(member)
                    self.error("bib.crossref-cycle", f"crossref cycle {loop} (entry '{member}' rejected)",
                               member_raw.field_locations.get("crossref", member_raw.location),
                               hint="a crossref names the parent work (the book of a chapter); remove the "
                                    "crossref that points back down the chain")

        def resolve(start: _RawEntry) -> None:
            # Climb the chain to its top (iteratively: chains may be long), then fill it downwards.
            path: list[_RawEntry] = []
            on_path: dict[str, int] = {}
            raw = start
            while True:
                if raw.key in done:
                    ok = raw.key not in rejected
                    break
                parent_key = parent_key_of(raw)
                if parent_key is None:
                    done.add(raw.key)
                    ok = True
                    break
                if parent_key in on_path or parent_key == raw.key:
                    chain = [entry.key for entry in path]
                    cycle = (chain[on_path[parent_key]:] if parent_key in on_path else []) + [raw.key]
                    reject_cycle(cycle, " -> ".join(cycle + [parent_key]))
                    ok = False
                    break
                parent = by_key.get(parent_key)
                if parent is None:
                    rejected.add(raw.key)
                    done.add(raw.key)
                    self.error("bib.crossref-missing",
                               f"crossref '{parent_key}' of '{raw.key}' names no entry (entry rejected)",
                               raw.field_locations.get("crossref", raw.location), hint=did_you_mean(parent_key, by_key))
                    ok = False
                    break
                on_path[raw.key] = len(path)
                path.append(raw)
                raw = parent
            for child in reversed(path):
                if child.key in done:
                    ok = child.key not in rejected
                    continue
                parent_key = parent_key_of(child) or ""
                done.add(child.key)
                if not ok:
                    rejected.add(child.key)
                    self.error("bib.crossref-missing",
                               f"crossref '{parent_key}' of '{child.key}' was rejected (entry rejected)",
                               child.field_locations.get("crossref", child.location),
                               hint="fix the errors of the entry it cross-references, or remove the crossref")
                    continue
                parent = by_key[parent_key]
                for name, value in parent.fields.items():
                    if name in _NOT_INHERITED or name in child.fields:
                        continue
                    child.fields[name] = value
                    child.field_locations.setdefault(name, parent.field_locations.get(name, parent.location))
                if child.entry_type in _IN_BOOK_TYPES and "booktitle" not in child.fields and "title" in parent.fields:
                    child.fields["booktitle"] = parent.fields["title"]

        for raw in by_key.values():
            resolve(raw)
        return rejected

    def cited_in(self, raw: _RawEntry, keys: set[str]) -> list[tuple[str, str | None]]:
        value = raw.fields.get("citedin")
        if value is None:
            return []
        location = raw.field_locations["citedin"]
        result: list[tuple[str, str | None]] = []
        for item in re.split(r"[;,]", latex_to_text(value)):
            item = item.strip()
            if not item:
                continue
            match = _CITEDIN_ITEM.match(item)
            if not match:
                self.error("bib.citedin", f"cannot read '{item}' in citedin of '{raw.key}'", location,
                           hint="write 'seedkey' or 'seedkey:locator', separated by ';'")
                continue
            seed, locator = match.group(1), match.group(2)
            if seed not in keys:
                self.error("bib.citedin", f"citedin of '{raw.key}' names unknown key '{seed}'", location,
                           hint=did_you_mean(seed, keys))
                continue
            result.append((seed, locator))
        return result

    def build(self) -> Bibliography:
        self.check_macros()
        by_key: dict[str, _RawEntry] = {}
        for raw in self.raw_entries:
            if self.resolve_fields(raw):
                by_key[raw.key] = raw
        rejected = self.resolve_crossrefs(by_key)
        accepted = [raw for raw in by_key.values() if raw.key not in rejected]
        keys = {raw.key for raw in accepted}
        bibliography = Bibliography()
        slugs: dict[str, tuple[str, Location]] = {}
        for raw in accepted:
            def problem(field_name: str, message: str, raw: _RawEntry = raw) -> None:
                self.error("bib.value", f"{message} in '{raw.key}'",
                           raw.field_locations.get(field_name, raw.location),
                           hint="correct the field's value, or remove the field")

            try:
                csl = to_csl(raw.key, raw.entry_type, raw.fields, problem)
            except Exception as exc:  # noqa: BLE001 - one entry the converter fails on must not hide the rest
                self.error("bib.value", f"entry '{raw.key}' cannot be converted to CSL-JSON ({type(exc).__name__}: "
                           f"{str(exc)[:80]}); entry rejected", raw.location,
                           hint="simplify the entry's fields, and report the entry as a bug in the generator")
                continue
            display = {
                name: (value.strip() if name in VERBATIM_FIELDS else latex_to_text(value))
                for name, value in raw.fields.items()
            }
            entry = BibEntry(
                key=raw.key,
                entry_type=raw.entry_type,
                fields=display,
                location=raw.location,
                csl=csl,
                raw_bibtex=raw.block.raw or "",
                cited_in=self.cited_in(raw, keys),
                latex_fields=dict(raw.fields),
            )
            slug = source_slug(raw.key)
            if slug in slugs:
                other, other_location = slugs[slug]
                self.error("bib.slug-collision",
                           f"keys '{other}' ({other_location}) and '{raw.key}' have the same URL slug '{slug}'",
                           raw.location, hint="rename one key")
            else:
                slugs[slug] = (raw.key, raw.location)
            bibliography.entries[raw.key] = entry
        return bibliography


def load_bibliography(paths: list[Path], root: Path, diagnostics: Diagnostics) -> Bibliography:
    """Parse every ``.bib`` file into one :class:`Bibliography`, reporting problems as diagnostics.

    Args:
        paths: the ``.bib`` files, read in the order given (sort them for deterministic output).
        root: the project root; diagnostics show paths relative to it.
        diagnostics: where problems are recorded (codes in this module's docstring).

    Returns:
        Every entry that parsed and resolved; rejected entries are left out (and reported).
    """
    loader = _Loader(root, diagnostics)
    for path in paths:
        loader.read_file(Path(path))
    return loader.build()
