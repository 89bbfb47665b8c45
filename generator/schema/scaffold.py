"""``python -m generator new <type> <id>``: a new entry file, derived from its declaration.

The file lists every field of the type, each with its documentation, its type and
whether it is required, in declaration order. Required fields are written with the
placeholder ``TODO``; optional fields are written commented out, so that the file
needs only its placeholders replaced. Nothing here is specific to one entry type:
everything comes from :data:`generator.schema.types.ENTRY_TYPES`.

:func:`find_placeholders` reports every ``TODO`` still left in a file as a
``scaffold.placeholder`` error; ``python -m generator check`` runs it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity
from generator.diagnostics.codes import CODES
from generator.diagnostics import display_path
from generator.schema.fields import SLUG_RE, Date, Enum, Field, FieldType, ListOf, Markdown, OneOrMany, Record, Ref, Text
from generator.load.linker import RESERVED_IDS
from generator.schema.types import TYPES_BY_NAME, EntryType

PLACEHOLDER = "TODO"
"""What ``new`` writes where a value is needed."""

SCHEMA_FOLDER = "schemas"
"""Folder, at the project root, of the committed JSON Schemas (``python -m generator schemas``)."""

SCAFFOLD_CODES: dict[str, str] = {code: text for code, text in CODES.items() if code.startswith("scaffold.")}
"""This module's diagnostic codes (documented in :data:`generator.diagnostics.codes.CODES`)."""

_WIDTH = 100
_INDENT = "  "
_PLACEHOLDER_RE = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?:(?P<key>[A-Za-z_][\w-]*):\s+)?(?P<value>TODO)\s*(?:#.*)?$")


def type_summary(field_type: FieldType) -> str:
    """A short description of a field type with its limits (``text, one line, at most 300 characters``)."""
    if isinstance(field_type, Text):
        parts = ["text"]
        if field_type.single_line:
            parts.append("one line")
        parts.append(f"at most {field_type.max_length} characters")
        return ", ".join(parts)
    if isinstance(field_type, Markdown):
        return "Markdown with [[id]] links and [@key, n. 12] citations"
    if isinstance(field_type, ListOf):
        least = f" (at least {field_type.min_items})" if field_type.min_items else ""
        return f"list{least} of {type_summary(field_type.item)}"
    if isinstance(field_type, Enum):
        return "one of: " + ", ".join(field_type.values)
    if isinstance(field_type, Date):
        return "EDTF date such as 1992-05-15, 1992-05, 2003~, 2010? or 1996/1999"
    if isinstance(field_type, Ref):
        kinds = " or ".join(f"{'an' if t[0] in 'aeiou' else 'a'} {t}" for t in field_type.types)
        return f"id of {kinds or 'any entry'}"
    return field_type.describe()


def _field_note(field: Field) -> str:
    return f"{'required' if field.required else 'optional'} · {type_summary(field.type)}"


def _comment_out(lines: list[str], column: int) -> list[str]:
    """Comment out a block whose key starts at ``column``."""
    return [line[:column] + "# " + line[column:] if line.strip() else line for line in lines]


def _scalar_value(field_type: FieldType, example: str | None) -> str | None:
    """The placeholder for a scalar type, or ``None`` if the type is not a scalar."""
    if isinstance(field_type, OneOrMany) and field_type.shorthand is not None:
        return _scalar_value(field_type.shorthand, example)
    if isinstance(field_type, (ListOf, Record, OneOrMany)):
        return None
    return example or PLACEHOLDER


def _record_lines(record: Record, column: int, first_prefix: str = "") -> list[str]:
    """A mapping: required fields live, optional ones commented out, each with its documentation.

    ``first_prefix`` (``"- "``) starts the first line, for a list item; the first
    required field is moved to the front then, so that the item never starts with a
    commented-out line.
    """
    fields = list(record.fields)
    if first_prefix and fields and not fields[0].required:
        first = next((f for f in fields if f.required), fields[0])
        fields = [first] + [f for f in fields if f is not first]
    lines: list[str] = []
    for index, field in enumerate(fields):
        lead = " " * column
        if index == 0 and first_prefix:
            lead = " " * (column - len(first_prefix)) + first_prefix
        block = _field_lines(field, column, lead, nested=True)
        if not field.required:
            block = _comment_out(block, column)
        lines.extend(block)
    return lines


def _value_block(field_type: FieldType, column: int) -> list[str]:
    """The lines under a ``key:`` for a list or mapping value, indented at ``column``."""
    if isinstance(field_type, ListOf):
        count = max(1, field_type.min_items)
        item = field_type.item
        lines: list[str] = []
        for _ in range(count):
            scalar = _scalar_value(item, None)
            if scalar is not None:
                lines.append(" " * column + "- " + scalar)
            elif isinstance(item, (Record, OneOrMany)):
                record = item if isinstance(item, Record) else item.record
                lines.extend(_record_lines(record, column + 2, first_prefix="- "))
            else:
                lines.append(" " * column + "-")
                lines.extend(_value_block(item, column + 2))
        return lines
    if isinstance(field_type, OneOrMany):
        return _record_lines(field_type.record, column)
    if isinstance(field_type, Record):
        return _record_lines(field_type, column)
    return [" " * column + PLACEHOLDER]


def _field_lines(field: Field, column: int, lead: str, nested: bool, example: str | None = None) -> list[str]:
    """One field: documentation, key and placeholder value (not yet commented out)."""
    scalar = _scalar_value(field.type, example)
    if nested:
        note = f"  # {_field_note(field)}: {field.doc}"
        if scalar is not None:
            return [f"{lead}{field.name}: {scalar}{note}"]
        return [f"{lead}{field.name}:{note}"] + _value_block(field.type, column + 2)
    head = [f"# {line}" for line in textwrap.wrap(field.doc, _WIDTH - 2)] + [f"# {_field_note(field)}"]
    if scalar is not None:
        return head + [f"{field.name}: {scalar}"]
    return head + [f"{field.name}:"] + _value_block(field.type, 2)


def scaffold_text(entry_type: EntryType, entry_id: str) -> str:
    """The text of a new entry file of ``entry_type`` with id ``entry_id``."""
    lines = [
        f"# yaml-language-server: $schema=../../{SCHEMA_FOLDER}/{entry_type.name}.schema.json",
        f"# A new {entry_type.name}: {entry_type.doc}",
        f"# Replace every {PLACEHOLDER}. Optional fields are commented out: uncomment the ones you use",
        "# (remove the leading '# ') and delete the rest. Every fact needs a source with a locator:",
        "# see CONTRIBUTING.md. Then run `python -m generator check`.",
    ]
    for field in entry_type.fields:
        example = entry_id if field.name == "id" else None
        block = _field_lines(field, 0, "", nested=False, example=example)
        if not field.required:
            doc_lines = [line for line in block if line.startswith("# ")]
            value_lines = block[len(doc_lines):]
            block = doc_lines + _comment_out(value_lines, 0)
        lines.append("")
        lines.extend(block)
    return "\n".join(lines) + "\n"


def entry_path(content_dir: Path, entry_type: EntryType, entry_id: str) -> Path:
    """Where ``new`` writes an entry."""
    return content_dir / entry_type.folder / f"{entry_id}.yaml"


def validate_new_id(entry_type: EntryType, entry_id: str, content_dir: Path, shown: str,
                    diagnostics: Diagnostics) -> bool:
    """Check an id given to ``new`` before anything is written."""
    where = Location(shown)
    if not SLUG_RE.match(entry_id):
        candidate = re.sub(r"[^a-z0-9]+", "-", entry_id.lower()).strip("-")
        diagnostics.error("id.invalid", f"'{entry_id}' is not a valid id (lowercase letters, digits and single "
                          "hyphens)", where, f"did you mean '{candidate}'?" if SLUG_RE.match(candidate)
                          else "use lowercase letters a-z, digits and single hyphens")
        return False
    if entry_id in RESERVED_IDS:
        diagnostics.error("url.collision", f"id '{entry_id}' is reserved for a generated page", where,
                          "choose another id")
        return False
    if entry_type.derive_name is not None and entry_type.derive_name(entry_id) is None:
        diagnostics.error("country.unknown-code", f"'{entry_id}' is not an ISO 3166-1 alpha-3 country code", where,
                          "use the lowercase alpha-3 code, e.g. 'rus', 'kaz', 'blr'")
        return False
    target = entry_path(content_dir, entry_type, entry_id)
    if target.exists():
        diagnostics.error("scaffold.exists", f"{shown} already exists", where, "edit it, or choose another id")
        return False
    if content_dir.is_dir():
        for other in sorted(content_dir.glob(f"*/{entry_id}.yaml")):
            diagnostics.error("id.duplicate", f"id '{entry_id}' is already used by {other.parent.name}/{other.name}",
                              where, "ids are unique across all entry types")
            return False
        holder = former_id_holder(content_dir, entry_id)
        if holder is not None:
            diagnostics.error("scaffold.former-id", f"'{entry_id}' is a former id of {holder.parent.name}/{holder.name}: "
                              f"its address redirects there, and readers cite it", where,
                              "choose another id; a former id is given to a new entry only by a reviewed change "
                              "(see docs/contributing/permalinks.md)")
            return False
    return True


def former_id_holder(content_dir: Path, entry_id: str) -> Path | None:
    """The entry file that lists ``entry_id`` in its ``aliases``, if any."""
    from generator.load.yamlload import YMap, YScalar, YSeq, load_yaml

    needle = entry_id.encode()
    for path in sorted(content_dir.glob("*/*.yaml")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if b"aliases" not in data or needle not in data:
            continue
        node = load_yaml(data, str(path), Diagnostics())
        aliases = node.get("aliases") if isinstance(node, YMap) else None
        items = aliases.items if isinstance(aliases, YSeq) else [aliases] if isinstance(aliases, YScalar) else []
        if any(isinstance(item, YScalar) and item.value == entry_id for item in items):
            return path
    return None


def create_entry(content_dir: Path, root: Path, type_name: str, entry_id: str,
                 diagnostics: Diagnostics) -> Path | None:
    """Write a new entry file; returns its path, or ``None`` (with a diagnostic) if refused."""
    entry_type = TYPES_BY_NAME[type_name]
    target = entry_path(content_dir, entry_type, entry_id)
    shown = display_path(target, root)
    if not validate_new_id(entry_type, entry_id, content_dir, shown, diagnostics):
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(scaffold_text(entry_type, entry_id))
    return target


def find_placeholders(text: str, path: str) -> list[Diagnostic]:
    """Every ``TODO`` placeholder left in the live (uncommented) lines of an entry file."""
    found: list[Diagnostic] = []
    lines = text.splitlines()
    parents: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        key_match = re.match(r"\s*(?:-\s+)*([A-Za-z_][\w-]*):", line)
        while parents and parents[-1][0] >= indent:
            parents.pop()
        match = _PLACEHOLDER_RE.match(line)
        if match:
            key = match.group("key") or (parents[-1][1] if parents else "value")
            doc = _doc_for(lines, number - 1)
            found.append(Diagnostic(
                "scaffold.placeholder", f"'{key}' is still the placeholder {PLACEHOLDER}",
                Location(path, number, match.start("value") + 1), Severity.ERROR,
                f"{doc}" if doc else "replace it with a value, or delete the field if it is optional",
            ))
        if key_match:
            parents.append((indent + line[indent:].find(key_match.group(1)), key_match.group(1)))
    return found


def _doc_for(lines: list[str], index: int) -> str:
    """The documentation written beside or above a placeholder line."""
    line = lines[index]
    if "  # " in line:
        return line.split("  # ", 1)[1].strip()
    above: list[str] = []
    for previous in reversed(lines[:index]):
        if not previous.startswith("# ") or previous.startswith(("# yaml-language-server", "#   ", "# - ")):
            break
        if re.match(r"# [A-Za-z_][\w-]*:", previous):
            break  # a commented-out optional field, not documentation
        above.insert(0, previous[2:].strip())
    return " ".join(above)


__all__ = [
    "PLACEHOLDER", "SCAFFOLD_CODES", "create_entry", "entry_path", "find_placeholders", "scaffold_text",
    "type_summary", "validate_new_id",
]
