"""Field types: one declaration gives validation, JSON Schema and documentation.

Each :class:`FieldType` turns a :mod:`generator.load.yamlload` node into a Python value,
reporting problems to a :class:`CheckContext` instead of raising. The same object
produces its JSON Schema fragment (:meth:`FieldType.json_schema`) and its name in the
generated field reference (:meth:`FieldType.describe`), so the three never drift apart.
"""

from __future__ import annotations

import bisect
import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import yaml

from generator.schema.dates import DateValue, parse_date
from generator.diagnostics import Diagnostics, Location, did_you_mean
from generator.diagnostics.suggest import date_hint, enum_hint
from generator.load.yamlload import YMap, YNode, YScalar, YSeq

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$"
_LANG_RE = re.compile(LANG_PATTERN)
_YAML11 = yaml.resolver.Resolver()
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
MAX_TEXT = 20_000
"""Longest accepted plain-text value, in characters."""
MAX_PROSE = 100_000
"""Longest accepted Markdown value, in characters."""

_EMPTY_HINT = "write a value, or delete the field if it is optional"

INVALID = object()
"""Returned by a field type when the value is unusable (a diagnostic was recorded)."""


@dataclass(frozen=True)
class RefValue:
    """A reference to another entry, resolved after every entry is loaded."""

    target: str
    types: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class CiteKey:
    """A citation key, checked against the bibliography after loading."""

    key: str
    location: Location


@dataclass(frozen=True)
class Prose:
    """Markdown written by a contributor, with where it starts in the file.

    ``literal`` is true when the text is written in the file character for character
    (a literal block ``|``, or a value on one line without escapes). ``segments`` map a
    block value (literal ``|`` or folded ``>``) to its lines: each is the offset in the
    text where a line's content starts, and that line and column. With either,
    :meth:`position` gives the exact line and column of any character. Otherwise
    (multi-line quoted or plain values) every position is the value's start.
    """

    text: str
    location: Location
    literal: bool = False
    segments: tuple[tuple[int, int, int], ...] = ()

    def position(self, offset: int) -> Location:
        """File location of character ``offset`` within the text."""
        if self.segments:
            index = max(bisect.bisect_right(self.segments, (offset, sys.maxsize, sys.maxsize)) - 1, 0)
            start, line, column = self.segments[index]
            return Location(self.location.path, line, column + max(offset - start, 0))
        if not self.literal:
            return self.location
        line_index = self.text.count("\n", 0, offset)
        col = offset - (self.text.rfind("\n", 0, offset) + 1)
        return Location(self.location.path, self.location.line + line_index, self.location.column + col)


@dataclass
class CheckContext:
    """What a field type needs while checking one file."""

    path: str
    diagnostics: Diagnostics
    refs: list[RefValue] = field(default_factory=list)
    cites: list[CiteKey] = field(default_factory=list)
    prose: list[Prose] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)

    def at(self, node: YNode | YScalar) -> Location:
        return Location(self.path, node.line, node.column)

    def error(self, code: str, message: str, node: YNode, hint: str | None = None) -> object:
        self.diagnostics.error(code, message, self.at(node), hint)
        return INVALID


def _kind(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return "a string"


class FieldType:
    """Base class: check a node, describe the type, give its JSON Schema."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


def _scalar(node: YNode, ctx: CheckContext, what: str) -> YScalar | None:
    if not isinstance(node, YScalar):
        ctx.error("schema.type", f"expected {what}, found {_kind(node)}", node,
                  "write a single value after the field name, without '- ' items or nested fields")
        return None
    return node


def _yaml11_surprise(node: YScalar) -> str | None:
    """How a YAML 1.1 reader would misread this plain scalar, if it would."""
    if not node.plain:
        return None
    tag = _YAML11.resolve(yaml.ScalarNode, node.value, (True, False)).rsplit(":", 1)[-1]
    if node.value in ("y", "Y", "n", "N"):
        tag = "bool"  # booleans in the YAML 1.1 spec (and Go's yaml.v2), though not in PyYAML
    if tag == "int" and re.fullmatch(r"[1-9][0-9]*|0", node.value):
        return None  # a decimal number reads the same as its text
    if tag in ("bool", "float", "int", "timestamp", "null"):
        article = "an" if tag == "int" else "a"
        names = {"bool": "boolean", "timestamp": "date", "int": "integer", "null": "null"}
        return f"{article} {names.get(tag, tag)}"
    return None


@dataclass(frozen=True)
class Text(FieldType):
    """Plain text on one line or several; no Markdown."""

    max_length: int = MAX_TEXT
    single_line: bool = False

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        scalar = _scalar(node, ctx, "text")
        if scalar is None:
            return INVALID
        surprise = _yaml11_surprise(scalar)
        if surprise == "a null":
            return ctx.error("schema.empty", "value is empty", node, _EMPTY_HINT)
        if surprise:
            return ctx.error(
                "yaml.implicit-type",
                f"'{scalar.value}' would be read as {surprise} by YAML 1.1 tools",
                node, f'quote it: "{scalar.value}"',
            )
        value = scalar.value
        if not value.strip():
            return ctx.error("schema.empty", "value is empty", node, _EMPTY_HINT)
        if len(value) > self.max_length:
            return ctx.error("schema.too-long", f"text is {len(value)} characters; the limit is {self.max_length}", node,
                             f"shorten it by {len(value) - self.max_length} characters"
                             + ("; longer text belongs in the entry's body" if self.max_length < MAX_TEXT else ""))
        invisible = _INVISIBLE.search(value)
        if invisible:
            char = invisible.group()
            message = f"text contains the invisible character U+{ord(char):04X} ({unicodedata.name(char, 'control')})"
            start = _verbatim_start(scalar, ctx)
            segments = block_segments(scalar, ctx.source_lines)
            if segments:
                location = Prose(value, ctx.at(node), segments=segments).position(invisible.start())
            elif start is not None:
                location = Location(ctx.path, start.line, start.column + invisible.start())
            else:
                location = ctx.at(node)
                message += f" after '{value[:invisible.start()][-20:]}'" if invisible.start() else " at its start"
            ctx.diagnostics.error(
                "schema.invisible-char", message, location,
                "retype the value; invisible and bidirectional control characters can hide what the text says")
            return INVALID
        if self.single_line:
            value = " ".join(value.split())
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length}

    def describe(self) -> str:
        return "text"


@dataclass(frozen=True)
class Slug(FieldType):
    """A lowercase ASCII slug such as ``csto`` or ``cst-signed-1992``."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        value = Text(max_length=100).check(node, ctx)
        if value is INVALID:
            return INVALID
        if not SLUG_RE.match(value):
            hint = "use lowercase letters a-z, digits and single hyphens, e.g. 'csto' or 'cst-signed-1992'"
            candidate = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            if candidate and SLUG_RE.match(candidate):
                hint = f"did you mean '{candidate}'?"
            return ctx.error("id.invalid", f"'{value}' is not a valid id (lowercase letters, digits and single hyphens)", node, hint)
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 100}

    def describe(self) -> str:
        return "id"


@dataclass(frozen=True)
class Lang(FieldType):
    """A BCP 47 language tag: ``en``, ``ru``, ``ru-Latn``, ``kk-Cyrl``."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        value = Text(max_length=20).check(node, ctx)
        if value is INVALID:
            return INVALID
        if not _LANG_RE.match(value):
            return ctx.error("schema.lang", f"'{value}' is not a language tag such as 'en', 'ru' or 'ru-Latn'", node,
                             "a language code in lowercase, then optionally a script ('Latn', 'Cyrl') and a region "
                             "('KZ'), separated by hyphens")
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": LANG_PATTERN}

    def describe(self) -> str:
        return "language tag"


@dataclass(frozen=True)
class Markdown(FieldType):
    """Markdown prose with ``[[id]]`` links and Pandoc citations."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        scalar = _scalar(node, ctx, "Markdown text")
        if scalar is None:
            return INVALID
        value = Text(max_length=MAX_PROSE).check(node, ctx)
        if value is INVALID:
            return INVALID
        start: Location | None = ctx.at(scalar)
        segments = block_segments(scalar, ctx.source_lines) or ()
        if scalar.style == "|":
            # The text of a literal block starts on the next line, at the block's indentation.
            start = Location(ctx.path, scalar.line + 1, _literal_indent(scalar, ctx) + 1)
            literal = True
        else:
            start = _verbatim_start(scalar, ctx)
            literal = start is not None
            start = start or ctx.at(scalar)
        prose = Prose(value, start, literal, segments)
        ctx.prose.append(prose)
        return prose

    def json_schema(self) -> dict:
        return {"type": "string", "minLength": 1, "maxLength": MAX_PROSE}

    def describe(self) -> str:
        return "Markdown"


def _literal_indent(scalar: YScalar, ctx: CheckContext) -> int:
    # Leading blank lines belong to the text but do not show the indentation.
    for following in ctx.source_lines[scalar.line:]:
        if following.strip(" "):
            return len(following) - len(following.lstrip(" "))
    return scalar.column


def block_segments(scalar: YScalar, source_lines: list[str]) -> tuple[tuple[int, int, int], ...] | None:
    """Where each line of a block value (``|`` or ``>``) starts: (offset in the value, line, column).

    Both styles keep a line's content as written and change only the line breaks
    between lines (folding turns some into spaces), so each content line is found in
    the value in turn. ``None`` if the value is not a block or its lines cannot be
    matched (then positions fall back to the value's start).
    """
    if scalar.style not in ("|", ">"):
        return None
    value, segments = scalar.value, []
    cursor, indent = 0, None
    for index in range(scalar.line, len(source_lines)):
        if cursor >= len(value):
            break
        line = source_lines[index]
        content = line.lstrip(" ")
        if not content:
            continue  # a blank line is only a line break in the value
        if indent is None:
            indent = len(line) - len(content)
        elif len(line) - len(content) < indent:
            break  # the block has ended
        content = line[indent:]
        found = value.find(content, cursor)
        if found < 0 or value[cursor:found].strip(" \n"):
            return None
        segments.append((found, index + 1, indent + 1))
        cursor = found + len(content)
    return tuple(segments) or None


def _verbatim_start(scalar: YScalar, ctx: CheckContext) -> Location | None:
    """Where a one-line value starts if the file holds it exactly as it reads (no escapes)."""
    if scalar.style not in (None, '"', "'") or "\n" in scalar.value or scalar.line > len(ctx.source_lines):
        return None
    line = ctx.source_lines[scalar.line - 1]
    column = scalar.column - 1 + (0 if scalar.style is None else 1)
    if line[column:column + len(scalar.value)] != scalar.value:
        return None
    return Location(ctx.path, scalar.line, column + 1)


@dataclass(frozen=True)
class Enum(FieldType):
    """One of a fixed list of values."""

    values: tuple[str, ...]

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        scalar = _scalar(node, ctx, "one of the listed values")
        if scalar is None:
            return INVALID
        if scalar.value not in self.values:
            return ctx.error(
                "schema.enum", f"'{scalar.value}' is not one of: {', '.join(self.values)}", node,
                enum_hint(scalar.value, self.values) or "write one of the listed values exactly, in lowercase",
            )
        return scalar.value

    def json_schema(self) -> dict:
        return {"type": "string", "enum": list(self.values)}

    def describe(self) -> str:
        return "one of " + ", ".join(f"`{v}`" for v in self.values)


@dataclass(frozen=True)
class Bool(FieldType):
    """``true`` or ``false`` (YAML 1.1 spellings like ``yes`` are refused)."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        scalar = _scalar(node, ctx, "true or false")
        if scalar is None:
            return INVALID
        if scalar.plain and scalar.value in ("true", "false"):
            return scalar.value == "true"
        return ctx.error("schema.type", f"expected true or false, found '{scalar.value}'", node,
                         "write true or false, unquoted and in lowercase")

    def json_schema(self) -> dict:
        return {"type": "boolean"}

    def describe(self) -> str:
        return "true or false"


@dataclass(frozen=True)
class Date(FieldType):
    """An EDTF level 1 date: ``1992-05-15``, ``1992-05``, ``2003~``, ``1996/1999``, ``2010?``."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        scalar = _scalar(node, ctx, "an EDTF date")
        if scalar is None:
            return INVALID
        if not scalar.value.strip():
            return ctx.error("schema.empty", "value is empty", node, _EMPTY_HINT)
        value, problem = parse_date(scalar.value)
        if value is None:
            message = f"'{scalar.value}' is not " + (f"a valid date: {problem}" if problem else "an EDTF date")
            return ctx.error("date.invalid", message, node, (None if problem else date_hint(scalar.value)) or
                             "write e.g. 1992-05-15, 1992-05, 1992, 2003~ (circa), 2010? (uncertain) or 1996/1999")
        return value

    def json_schema(self) -> dict:
        # A bare year (`from: 2004`) is an integer to every YAML reader; the checker reads it as EDTF text.
        return {"anyOf": [{"type": "string", "pattern": r"^[0-9X?~%./-]+$"}, {"type": "integer"}],
                "description": "EDTF level 1 date, e.g. 1992-05-15, 2003~, 1996/1999"}

    def describe(self) -> str:
        return "EDTF date"


@dataclass(frozen=True)
class Ref(FieldType):
    """The id of another entry of one of ``types`` (any type when empty)."""

    types: tuple[str, ...] = ()

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        value = Slug().check(node, ctx)
        if value is INVALID:
            return INVALID
        ref = RefValue(value, self.types, ctx.at(node))
        ctx.refs.append(ref)
        return ref

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": SLUG_PATTERN}

    def describe(self) -> str:
        return "id of " + (" or ".join(f"{'an' if t[:1] in 'aeiou' else 'a'} {t}" for t in self.types)
                           if self.types else "any entry")


@dataclass(frozen=True)
class Cite(FieldType):
    """A citation key from ``bibliography/*.bib``."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        value = Text(max_length=200, single_line=True).check(node, ctx)
        if value is INVALID:
            return INVALID
        key = CiteKey(value, ctx.at(node))
        ctx.cites.append(key)
        return key

    def json_schema(self) -> dict:
        return {"type": "string", "minLength": 1}

    def describe(self) -> str:
        return "citation key"


@dataclass(frozen=True)
class ListOf(FieldType):
    """A list of values of one type."""

    item: FieldType
    min_items: int = 0
    max_items: int = 5_000

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        if not isinstance(node, YSeq):
            return ctx.error("schema.type", f"expected a list, found {_kind(node)}", node,
                             "write one item per line, each starting with '- '")
        if len(node.items) < self.min_items:
            wanted = f"{self.min_items} item{'' if self.min_items == 1 else 's'}"
            return ctx.error("schema.too-few", f"expected at least {wanted}, found {len(node.items)}", node,
                             f"add {self.min_items - len(node.items)} more, each on a line starting with '- '")
        if len(node.items) > self.max_items:
            return ctx.error("schema.too-many", f"at most {self.max_items} items are allowed", node,
                             f"remove {len(node.items) - self.max_items} of the {len(node.items)} items")
        values = [self.item.check(item, ctx) for item in node.items]
        return [v for v in values if v is not INVALID]

    def json_schema(self) -> dict:
        schema: dict = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema

    def describe(self) -> str:
        return f"list of {self.item.describe()}"


@dataclass(frozen=True)
class Field:
    """One declared field: its name, type, whether it is required, and its documentation."""

    name: str
    type: FieldType
    doc: str
    required: bool = False
    inverse: str | None = None
    """The field of the target entries that states the same link from their side
    (``predecessors`` <-> ``successors``): the linker shows each link on both pages."""
    acyclic: bool = False
    """Whether following this field (and its inverse) from entry to entry must never loop
    back (``predecessors``, ``successors``): the linker reports a loop as an error."""
    json_ld: str | None = None
    """The schema.org property the field gives in the page's JSON-LD (``foundingDate``): a
    dated field gives its first date, a text field its text (as a ``Place`` for ``location``)."""
    loop_hint: str | None = None
    """The hint of the error reporting a loop through an ``acyclic`` field (a sentence on the
    relation's meaning); ``None`` for a general one."""


@dataclass(frozen=True)
class Record(FieldType):
    """A mapping with declared fields; unknown and missing fields are errors."""

    fields: tuple[Field, ...]
    name: str = "mapping"
    check_whole: Callable[[dict, YMap, CheckContext], None] | None = None

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        if not isinstance(node, YMap):
            required = [f.name for f in self.fields if f.required]
            optional = [f.name for f in self.fields if not f.required]
            shape = f"a mapping with the fields {', '.join(required)}" if required else "a mapping"
            if optional:
                shape += f" (optional: {', '.join(optional)})" if required else f" of: {', '.join(optional)}"
            article = "an" if self.name[:1] in "aeiou" else "a"
            return ctx.error("schema.type", f"expected {article} {self.name}, found {_kind(node)}", node,
                             f"write {shape}")
        declared = {f.name: f for f in self.fields}
        result: dict[str, Any] = {}
        ok = True
        misspelt: set[str] = set()
        for key, value in node.pairs:
            spec = declared.get(key.value)
            if spec is None:
                close = difflib.get_close_matches(key.value, sorted(set(declared) - set(node.keys())), n=1, cutoff=0.6)
                if close:
                    misspelt.add(close[0])
                ctx.error("schema.unknown-field", f"unknown field '{key.value}'", key,
                          f"did you mean '{close[0]}'?" if close
                          else f"known fields: {', '.join(self.field_names())}")
                ok = False
                continue
            checked = spec.type.check(value, ctx)
            if checked is INVALID:
                ok = False
            else:
                result[key.value] = checked
        present = set(node.keys())
        for spec in self.fields:
            if spec.required and spec.name not in present and spec.name not in misspelt:
                ctx.error("schema.missing-field", f"missing required field '{spec.name}'", node,
                          f"{spec.name}: {spec.doc}")
                ok = False
        if self.check_whole is not None:
            # Over the fields that are valid, so that one run reports every problem.
            self.check_whole(result, node, ctx)
        return result if ok else INVALID

    def json_schema(self) -> dict:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in self.fields if f.required],
            "properties": {f.name: {**f.type.json_schema(), "description": f.doc} for f in self.fields},
        }

    def describe(self) -> str:
        return self.name


@dataclass(frozen=True)
class Relation(ListOf):
    """A sourced relation over time: a list of records linking the entry to others.

    Each record names one entry (in the field called ``target``, of one of the types
    ``targets``), an optional ``role``, when the relation began and ended (``from``,
    ``to``: a bare EDTF date or sourced alternatives), its ``sources`` (required) and a
    ``note``; with ``changes``, also its status changes (suspended, rejoined...) inside
    that period. A state's membership of an organisation is one: ``Relation(target=
    "country", targets=("country",), roles=MEMBERSHIP_ROLES, changes=True,
    label="membership", inverse_label="Memberships")``.

    The site shows a relation on both sides: as a table (and a timeline chart) on the
    page of the entry that holds it, and under ``inverse_label`` on each target's page;
    its records also make a link table of the data package.

    Attributes:
        target: name of the reference field in each record (``country``).
        targets: entry types the reference may name (any type when empty).
        roles: allowed roles (a required field), or ``None`` for an optional free-text role.
        changes: whether records may list status changes.
        label: singular name of one record (``membership``): the record's name in the
            field reference and in diagnostics.
        inverse_label: heading of the relation on a target's page (``Memberships``).
        target_doc, role_doc, from_doc, to_doc, sources_doc, note_doc, changes_doc: the
            documentation of each record field; empty for a sentence built from ``label``.

    How the site words and draws the relation (all optional; see :mod:`generator.outputs.timeline`):

    Attributes:
        heading: heading of the relation on the holder's page (default: ``label`` in the
            plural, capitalised: ``Residences``).
        target_noun: what one target is called in chart descriptions (default: the
            first target type's name; ``member state``).
        chart_title, chart_description: the holder's chart title and the start of its
            description; ``{holder}``, ``{the_holder}`` (``the`` + name, unless the name
            starts with "the"), ``{heading}``, ``{n}`` and ``{targets}`` (``target_noun``,
            plural when ``n`` is not 1) are replaced.
        target_chart_description: the start of a target's chart description; ``{target}``,
            ``{label}``, ``{n}`` and ``{holders}`` (the holder type's name, or its plural)
            are replaced.
        role_styles: ``(role, style)`` pairs, style one of ``member`` (solid bar),
            ``observer`` or ``other``; a role not listed is ``other``. Empty: every record
            is drawn solid.
        legend: ``(key, text)`` pairs replacing the charts' default legend texts
            (keys ``member``, ``observer``, ``other``).
        overview_start: first year of the site's overview chart (default: the earliest
            year in the data).
        overview_group_field: a field of the holders whose value groups the overview's
            columns (``kind``); ``overview_groups`` gives ``(group name, values)`` in
            order, and ``overview_other_group`` names the group of every other value.
        open_end: what a record without ``to`` means: ``continuing`` (the relation lasts,
            as a membership does: drawn on to the present with an arrow) or ``unknown`` (no
            source gives its end: drawn fading out after its start and described as "end
            not recorded", never as continuing).
        role_required: whether a free-text role must be given (an enumerated role always must).
    """

    item: FieldType | None = None  # type: ignore[assignment]  # built from the parameters below
    target: str = "target"
    targets: tuple[str, ...] = ()
    roles: tuple[str, ...] | None = None
    changes: bool = False
    label: str = "relation"
    inverse_label: str = "Relations"
    target_doc: str = ""
    role_doc: str = ""
    from_doc: str = ""
    to_doc: str = ""
    sources_doc: str = ""
    note_doc: str = ""
    changes_doc: str = ""
    heading: str = ""
    target_noun: str = ""
    chart_title: str = "{heading} of {holder}"
    chart_description: str = "Timeline of {n} {targets} of {holder}"
    target_chart_description: str = "Timeline of {n} {holders} with {target}"
    role_styles: tuple[tuple[str, str], ...] = ()
    legend: tuple[tuple[str, str], ...] = ()
    overview_start: int | None = None
    overview_group_field: str | None = None
    overview_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    overview_other_group: str = "Other"
    open_end: str = "continuing"
    role_required: bool = False

    @property
    def section_heading(self) -> str:
        """The relation's heading on the holder's page (:attr:`heading`, or ``label`` in the plural)."""
        return self.heading or self.label[:1].upper() + self.label[1:] + "s"

    def __post_init__(self) -> None:
        if self.item is None:
            from generator.schema.records import relation_record  # the records build on this module
            object.__setattr__(self, "item", relation_record(self))

    @property
    def record(self) -> "Record":
        """The record of one item of the relation."""
        return self.item  # type: ignore[return-value]


@dataclass(frozen=True)
class OneOrMany(FieldType):
    """A single record, or a list of records where sources give different values."""

    record: Record
    shorthand: FieldType | None = None
    """A scalar form accepted instead of the record (e.g. a bare date)."""

    def check(self, node: YNode, ctx: CheckContext) -> Any:
        if isinstance(node, YSeq):
            value = ListOf(self.record, min_items=1).check(node, ctx)
            return value if value is not INVALID and len(value) == len(node.items) else INVALID
        if isinstance(node, YScalar) and self.shorthand is not None:
            value = self.shorthand.check(node, ctx)
            return INVALID if value is INVALID else [{"date": value}]
        value = self.record.check(node, ctx)
        return INVALID if value is INVALID else [value]

    def json_schema(self) -> dict:
        options = [self.record.json_schema(), {"type": "array", "minItems": 1, "items": self.record.json_schema()}]
        if self.shorthand is not None:
            options.insert(0, self.shorthand.json_schema())
        return {"oneOf": options}

    def describe(self) -> str:
        base = f"{self.record.name}, or a list of them where sources disagree"
        return f"{self.shorthand.describe()} or {base}" if self.shorthand else base


def records_in(types: Sequence[FieldType]) -> list[Record]:
    """Every :class:`Record` reachable from ``types`` (for the documentation)."""
    found: dict[str, Record] = {}

    def walk(t: FieldType) -> None:
        if isinstance(t, Record):
            if t.name not in found:
                found[t.name] = t
                for f in t.fields:
                    walk(f.type)
        elif isinstance(t, ListOf):
            walk(t.item)
        elif isinstance(t, OneOrMany):
            walk(t.record)

    for t in types:
        walk(t)
    return list(found.values())


__all__ = [
    "Bool", "CheckContext", "Cite", "CiteKey", "Date", "DateValue", "Enum", "Field", "FieldType", "INVALID",
    "Lang", "ListOf", "Markdown", "OneOrMany", "Prose", "Record", "Ref", "RefValue", "Relation", "SLUG_RE", "Slug",
    "Text",
]
