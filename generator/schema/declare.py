"""Read a site's entry types from its ``types.yaml`` (the declaration format).

A declaration has five sections, all optional::

    extends: default          # start from the generator's types (default_types.yaml)
    enums:                    # enumerations, declared once by name
      role: [member, observer]
    records:                  # records (mappings with declared fields), declared once by name
      membership:
        validators: [membership-period]
        fields:
          country: {kind: ref, to: country, required: true, doc: "The member state."}
    field_sets:               # fields several types share
      common:
        id: {kind: slug, required: true, doc: "The entry's id; equals the file name."}
    types:                    # the entry types, in the order of the site's listings
      person:
        plural: People
        folder: people        # content/people/<id>.yaml
        url_prefix: people    # /people/<id>/ (default: the folder)
        doc: "A person the texts discuss."
        include: common       # the fields of a field set, first
        omit: [abbreviations] # ...less these
        fields:               # then these (a field of the set with the same name is replaced in place)
          born: {kind: dated, doc: "When the person was born."}

With ``extends: default`` every section adds to the default's (an enumeration, record,
field set or type of the same name replaces the default's); without it the file declares
everything itself. A field is ``{kind: <kind>, doc: ..., required: true|false, <parameters>}``
with the kinds and parameters of :mod:`generator.schema.kinds`; a field that refers to
entries may also have ``inverse: <name>`` (the linker adds the reverse link under that name
to the target's page data) and ``acyclic: true`` (following it must never loop back).

The file is read with the strict YAML loader and checked whole: every problem is a
located ``types.*`` diagnostic, and a declaration with errors builds no schema.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field as dc_field
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostics, Location, did_you_mean
from generator.load.yamlload import YMap, YNode, YScalar, YSeq, load_yaml
from generator.schema.fields import SLUG_RE, Field, FieldType, ListOf, Record, Ref
from generator.schema.kinds import KINDS, Kind, Param
from generator.schema.types import FEATURES, EntryType, Schema
from generator.schema.validators import NAME_SOURCES, VALIDATORS, Validators

DEFAULT_FILE = Path(__file__).with_name("default_types.yaml")
"""The types the generator ships."""
DEFAULT_NAME = "default"
"""What ``extends:`` names to start from :data:`DEFAULT_FILE`."""
TYPES_FILE = "types.yaml"
"""A site's declaration, at the project root next to ``mkdocs.yml``."""

GENERATED_PAGES = frozenset({
    "index", "assets", "search", "search-names", "pagefind", "sources", "data", "schemas", "reference",
    "chronology", "glossary", "timeline", "editions",
})
"""First URL segments of the pages and folders the generator writes: no type's pages may start with one."""

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SECTIONS = ("extends", "enums", "records", "field_sets", "types")
_FIELD_KEYS = ("kind", "doc", "required", "inverse", "acyclic", "loop_hint", "json_ld")
_RECORD_KEYS = ("doc", "fields", "validators")
_TYPE_KEYS = ("plural", "folder", "url_prefix", "doc", "include", "omit", "fields", "validators", "derive_name",
              "template", "features", "chronology_date", "glossary_definition", "json_ld_type")
_REQUIRED_TYPE_KEYS = ("plural", "folder", "doc")


@dataclass
class _Declared:
    """One named declaration: where it is written (its file, its name's node) and its value's node."""

    path: str
    key: YScalar
    value: YNode


@dataclass
class _Declaration:
    """A declaration file read into its sections, by name, before anything is built."""

    sections: dict[str, dict[str, _Declared]] = dc_field(
        default_factory=lambda: {name: {} for name in _SECTIONS[1:]})
    texts: list[bytes] = dc_field(default_factory=list)
    files: list[str] = dc_field(default_factory=list)


class _Reader:
    """Checks one declaration and builds its schema, reporting every problem."""

    def __init__(self, declaration: _Declaration, diagnostics: Diagnostics) -> None:
        self.decl = declaration
        self.diagnostics = diagnostics
        self.failed = False
        self._enums: dict[str, tuple[str, ...] | None] = {}
        self._records: dict[str, Record | None] = {}
        self._building: list[str] = []
        self._field_sets: dict[str, tuple[Field, ...] | None] = {}
        self._type_refs: list[tuple[tuple[str, ...], str, YNode]] = []

    # -- reporting ---------------------------------------------------------------------------

    def error(self, code: str, message: str, path: str, node: YNode, hint: str | None = None) -> None:
        self.failed = True
        self.diagnostics.error(code, message, Location(path, node.line, node.column), hint)

    def _scalar(self, node: YNode, path: str, what: str) -> str | None:
        if isinstance(node, YScalar) and node.value.strip():
            return node.value
        found = "a mapping" if isinstance(node, YMap) else "a list" if isinstance(node, YSeq) else "nothing"
        self.error("types.bad-value", f"expected {what}, found {found}", path, node,
                   f"write {what} after the key")
        return None

    def _bool(self, node: YNode, path: str, key: str) -> bool | None:
        if isinstance(node, YScalar) and node.plain and node.value in ("true", "false"):
            return node.value == "true"
        self.error("types.bad-value", f"'{key}' must be true or false", path, node,
                   "write true or false, unquoted and in lowercase")
        return None

    def _int(self, node: YNode, path: str, key: str, minimum: int) -> int | None:
        if isinstance(node, YScalar) and node.plain and re.fullmatch(r"[0-9]{1,9}", node.value) \
                and int(node.value) >= minimum:
            return int(node.value)
        self.error("types.bad-value", f"'{key}' must be a whole number of at least {minimum}", path, node,
                   f"write a number such as {max(minimum, 1)}, without quotes")
        return None

    def _map(self, node: YNode, path: str, key: str) -> tuple[tuple[str, Any], ...] | None:
        """A mapping of names to a text or a list of texts, as ``((name, text or tuple), ...)`` in file order."""
        if not isinstance(node, YMap):
            self.error("types.bad-value", f"'{key}' takes a mapping", path, node, f"write e.g. {key}: {{a: b}}")
            return None
        pairs: list[tuple[str, Any]] = []
        for name, value in node.pairs:
            if isinstance(value, YSeq):
                items = [self._scalar(item, path, "a text") for item in value.items]
                if any(item is None for item in items):
                    return None
                pairs.append((name.value, tuple(items)))
            else:
                text = self._scalar(value, path, "a text")
                if text is None:
                    return None
                pairs.append((name.value, text))
        return tuple(pairs)

    def _names(self, node: YNode, path: str, key: str) -> list[tuple[str, YScalar]] | None:
        """One name or a list of names, with their nodes."""
        items = node.items if isinstance(node, YSeq) else [node]
        found = []
        for item in items:
            if not isinstance(item, YScalar) or not item.value.strip():
                self.error("types.bad-value", f"'{key}' takes a name or a list of names", path, item,
                           f"write e.g. {key}: [first, second]")
                return None
            found.append((item.value, item))
        return found

    def _keys(self, node: YMap, path: str, allowed: tuple[str, ...] | set[str], what: str) -> None:
        for key, _ in node.pairs:
            if key.value not in allowed:
                self.error("types.unknown-key", f"'{key.value}' is not a key of {what}", path, key,
                           did_you_mean(key.value, sorted(allowed)) or f"known keys: {', '.join(sorted(allowed))}")

    def _mapping(self, node: YNode, path: str, what: str) -> YMap | None:
        if isinstance(node, YMap):
            return node
        self.error("types.bad-value", f"expected {what} (a mapping), found "
                   f"{'a list' if isinstance(node, YSeq) else 'a single value'}", path, node,
                   "write one 'key: value' per line, indented under it")
        return None

    # -- named declarations --------------------------------------------------------------------

    def enum(self, name: str, path: str, at: YNode) -> tuple[str, ...] | None:
        declared = self.decl.sections["enums"].get(name)
        if declared is None:
            self.error("types.unknown-enum", f"no enumeration '{name}' is declared", path, at,
                       did_you_mean(name, sorted(self.decl.sections["enums"]))
                       or "declare it under 'enums:' as a list of values")
            return None
        if name not in self._enums:
            self._enums[name] = self._values(declared.value, declared.path, name)
        return self._enums[name]

    def _values(self, node: YNode, path: str, name: str) -> tuple[str, ...] | None:
        if not isinstance(node, YSeq) or not node.items:
            self.error("types.bad-value", f"enumeration '{name}' must be a list of at least one value", path, node,
                       "write e.g. [member, observer]")
            return None
        values: list[str] = []
        for item in node.items:
            value = self._scalar(item, path, "a value")
            if value is None:
                return None
            if value in values:
                self.error("types.duplicate", f"'{value}' is listed twice in '{name}'", path, item,
                           "remove one of the two")
                return None
            values.append(value)
        return tuple(values)

    def record(self, name: str, path: str, at: YNode) -> Record | None:
        declared = self.decl.sections["records"].get(name)
        if declared is None:
            self.error("types.unknown-record", f"no record '{name}' is declared", path, at,
                       did_you_mean(name, sorted(self.decl.sections["records"]))
                       or "declare it under 'records:' with its fields")
            return None
        if name in self._building:
            self.error("types.record-loop", f"record '{name}' contains itself: "
                       f"{' -> '.join(self._building[self._building.index(name):] + [name])}", path, at,
                       "a record cannot hold itself, directly or through other records; use a 'ref' to an entry")
            return None
        if name not in self._records:
            self._building.append(name)
            self._records[name] = self._build_record(name, declared)
            self._building.pop()
        return self._records[name]

    def _build_record(self, name: str, declared: _Declared) -> Record | None:
        node = self._mapping(declared.value, declared.path, f"record '{name}'")
        if node is None:
            return None
        self._keys(node, declared.path, _RECORD_KEYS, "a record")
        fields_node = node.get("fields")
        if fields_node is None:
            self.error("types.missing-key", f"record '{name}' has no 'fields'", declared.path, declared.key,
                       "list its fields under 'fields:', each with its kind and doc")
            return None
        fields = self._fields(fields_node, declared.path, f"record '{name}'")
        validators = self._validators(node.get("validators"), declared.path)
        if fields is None or validators is False:
            return None
        return Record(fields=tuple(fields), name=name.replace("-", " "), check_whole=validators)

    def _validators(self, node: YNode | None, path: str) -> Validators | None | bool:
        """The named validators (``None`` when there are none; ``False`` after an error)."""
        if node is None:
            return None
        names = self._names(node, path, "validators")
        if names is None:
            return False
        ok = True
        for name, at in names:
            if name not in VALIDATORS:
                ok = False
                self.error("types.unknown-validator", f"no validator is called '{name}'", path, at,
                           did_you_mean(name, sorted(VALIDATORS)) or f"validators: {', '.join(sorted(VALIDATORS))}")
        return Validators(tuple(name for name, _ in names)) if ok else False

    # -- fields --------------------------------------------------------------------------------

    def _fields(self, node: YNode, path: str, owner: str) -> list[Field] | None:
        mapping = self._mapping(node, path, f"the fields of {owner}")
        if mapping is None:
            return None
        fields: list[Field] = []
        ok = True
        for key, spec in mapping.pairs:
            if not FIELD_NAME.match(key.value):
                self.error("types.bad-name", f"'{key.value}' is not a field name", path, key,
                           "use lowercase letters, digits and underscores, starting with a letter")
                ok = False
                continue
            built = self.field(key.value, spec, path)
            if built is None:
                ok = False
            else:
                fields.append(built)
        return fields if ok else None

    def field(self, name: str, node: YNode, path: str) -> Field | None:
        """One field declaration: its kind with parameters, doc, required flag and relation options."""
        spec = self._mapping(node, path, f"the declaration of field '{name}'")
        if spec is None:
            return None
        field_type = self.field_type(spec, path, extra_keys=_FIELD_KEYS)
        doc_node = spec.get("doc")
        doc = None
        if doc_node is None:
            self.error("types.missing-key", f"field '{name}' has no 'doc'", path, spec,
                       "say in one sentence what the field holds: it is shown in the field reference and in hints")
        else:
            doc = self._scalar(doc_node, path, "a sentence")
        options: dict[str, Any] = {}
        for key in ("required", "acyclic"):
            if spec.get(key) is not None:
                options[key] = self._bool(spec.get(key), path, key)
        for key in ("inverse", "loop_hint", "json_ld"):
            if spec.get(key) is not None:
                options[key] = self._scalar(spec.get(key), path, "a sentence" if key == "loop_hint" else "a name")
        if options.get("inverse") is not None and not FIELD_NAME.match(options["inverse"]):
            self.error("types.bad-name", f"'{options['inverse']}' is not a field name", path, spec.get("inverse"),
                       "use lowercase letters, digits and underscores, starting with a letter")
            return None
        relational = {k for k in ("inverse", "acyclic", "loop_hint") if spec.get(k) is not None}
        if relational and field_type is not None and not _refers(field_type):
            key = sorted(relational)[0]
            self.error("types.bad-option", f"'{key}' applies only to a field that refers to entries", path,
                       spec.get(key), "use it on a field of kind 'ref', or a 'list' of 'ref'")
            return None
        if field_type is None or doc is None or any(v is None for v in options.values()):
            return None
        return Field(name, field_type, doc, required=bool(options.get("required", False)),
                     inverse=options.get("inverse"), acyclic=bool(options.get("acyclic", False)),
                     loop_hint=options.get("loop_hint"), json_ld=options.get("json_ld"))

    def field_type(self, spec: YNode, path: str, extra_keys: tuple[str, ...] = ()) -> FieldType | None:
        """A kind with its parameters: ``{kind: list, of: ref}``, or a bare kind name (``markdown``)."""
        if isinstance(spec, YScalar):
            kind_node: YNode = spec
            given: dict[str, YNode] = {}
        elif isinstance(spec, YMap):
            kind_node = spec.get("kind")
            if kind_node is None:
                self.error("types.missing-key", "no 'kind' is given", path, spec,
                           f"write kind: one of {', '.join(sorted(KINDS))}")
                return None
            given = {k.value: v for k, v in spec.pairs if k.value not in extra_keys}
        else:
            self.error("types.bad-value", "expected a kind name or a mapping with 'kind:'", path, spec,
                       "write e.g. {kind: list, of: markdown}")
            return None
        kind_name = self._scalar(kind_node, path, "a kind name")
        if kind_name is None:
            return None
        kind = KINDS.get(kind_name)
        if kind is None:
            self.error("types.unknown-kind", f"'{kind_name}' is not a field kind", path, kind_node,
                       did_you_mean(kind_name, sorted(KINDS)) or f"kinds: {', '.join(sorted(KINDS))}")
            return None
        return self._build_kind(kind, given, path, spec)

    def _build_kind(self, kind: Kind, given: dict[str, YNode], path: str, at: YNode) -> FieldType | None:
        args: dict[str, Any] = {}
        ok = True
        for key, value in given.items():
            if key == "kind":
                continue
            if key not in kind.params:
                ok = False
                known = sorted(kind.params)
                owner = at if not isinstance(at, YMap) else next(k for k, _ in at.pairs if k.value == key)
                self.error("types.unknown-parameter", f"kind '{kind.name}' has no parameter '{key}'", path, owner,
                           did_you_mean(key, known) or (f"its parameters: {', '.join(known)}" if known
                                                        else "it takes no parameters"))
        for name, param in kind.params.items():
            node = given.get(name)
            if node is None:
                if param.default is None and not param.optional:
                    self.error("types.missing-key", f"kind '{kind.name}' needs '{name}'", path, at,
                               f"{name}: {param.doc}")
                    ok = False
                    continue
                value = self._default(param, path, at)
            else:
                value = self._param(param, name, node, path)
            if value is None and not (param.optional and node is None):
                ok = False
            args[name] = value
        if not ok:
            return None
        return kind.build(args)

    def _default(self, param: Param, path: str, at: YNode) -> Any:
        if param.sort == "record" and isinstance(param.default, str):
            return self.record(param.default, path, at)
        return param.default

    def _param(self, param: Param, name: str, node: YNode, path: str) -> Any:
        if param.sort == "int":
            return self._int(node, path, name, param.minimum)
        if param.sort == "bool":
            return self._bool(node, path, name)
        if param.sort == "text":
            text = self._scalar(node, path, "a text")
            if text is not None and param.choices and text not in param.choices:
                self.error("types.bad-value", f"'{name}' must be one of: {', '.join(param.choices)}", path, node,
                           did_you_mean(text, list(param.choices)) or f"write {name}: {param.choices[0]}")
                return None
            return text
        if param.sort == "record":
            record_name = self._scalar(node, path, "a record name")
            return None if record_name is None else self.record(record_name, path, node)
        if param.sort == "enum":
            if isinstance(node, YSeq):
                return self._values(node, path, name)
            enum_name = self._scalar(node, path, "an enumeration name")
            return None if enum_name is None else self.enum(enum_name, path, node)
        if param.sort == "types":
            names = self._names(node, path, name)
            if names is None:
                return None
            for type_name, at in names:
                self._type_refs.append(((type_name,), path, at))
            return tuple(n for n, _ in names)
        if param.sort == "item":
            return self.field_type(node, path)
        if param.sort == "map":
            return self._map(node, path, name)
        raise ValueError(f"unknown parameter sort {param.sort!r}")  # a bug in KINDS, not in a declaration

    # -- types ---------------------------------------------------------------------------------

    def entry_type(self, name: str, declared: _Declared) -> EntryType | None:
        path = declared.path
        node = self._mapping(declared.value, path, f"type '{name}'")
        if node is None:
            return None
        ok = True
        if not SLUG_RE.match(name):
            self.error("types.bad-name", f"'{name}' is not a type name", path, declared.key,
                       "use lowercase letters a-z, digits and single hyphens, e.g. 'person'")
            ok = False
        self._keys(node, path, _TYPE_KEYS, "a type")
        for key in _REQUIRED_TYPE_KEYS:
            if node.get(key) is None:
                self.error("types.missing-key", f"type '{name}' has no '{key}'", path, declared.key,
                           {"plural": "write the heading of its listing page, e.g. plural: People",
                            "folder": "name its folder under content/, e.g. folder: people",
                            "doc": "say in one sentence what the type is for"}[key])
                ok = False
        texts: dict[str, str | None] = {}
        for key in ("plural", "folder", "url_prefix", "doc", "template", "chronology_date", "glossary_definition",
                    "json_ld_type", "derive_name", "include"):
            if node.get(key) is not None:
                texts[key] = self._scalar(node.get(key), path, "a value")
                ok = ok and texts[key] is not None
        for key in ("folder", "url_prefix"):
            value = texts.get(key)
            if value is not None and not SLUG_RE.match(value):
                self.error("types.bad-name", f"'{value}' is not a valid {key.replace('_', ' ')}", path,
                           node.get(key), "use lowercase letters a-z, digits and single hyphens, e.g. 'people'")
                ok = False
        fields = self._type_fields(name, node, path, texts.get("include"))
        check_whole = self._validators(node.get("validators"), path)
        derive_name = None
        if texts.get("derive_name") is not None:
            derive_name = NAME_SOURCES.get(texts["derive_name"])
            if derive_name is None:
                self.error("types.unknown-validator", f"no name source is called '{texts['derive_name']}'", path,
                           node.get("derive_name"), did_you_mean(texts["derive_name"], sorted(NAME_SOURCES))
                           or f"name sources: {', '.join(sorted(NAME_SOURCES))}")
                ok = False
        features = frozenset(FEATURES)
        if node.get("features") is not None:
            listed = self._names(node.get("features"), path, "features") or []
            for feature, at in listed:
                if feature not in FEATURES:
                    self.error("types.unknown-feature", f"'{feature}' is not a site feature", path, at,
                               did_you_mean(feature, sorted(FEATURES)) or f"features: {', '.join(sorted(FEATURES))}")
                    ok = False
            features = frozenset(f for f, _ in listed)
        if fields is not None:
            declared_fields = {f.name for f in fields}
            for key in ("chronology_date", "glossary_definition"):
                if texts.get(key) is not None and texts[key] not in declared_fields:
                    self.error("types.unknown-field", f"'{texts[key]}' is not a field of type '{name}'", path,
                               node.get(key), did_you_mean(texts[key], sorted(declared_fields))
                               or f"fields: {', '.join(sorted(declared_fields))}")
                    ok = False
            if "id" not in declared_fields:
                self.error("types.missing-key", f"type '{name}' has no 'id' field", path, declared.key,
                           "every entry has an id equal to its file name: include a field set with 'id', or "
                           "declare id: {kind: slug, required: true, doc: ...}")
                ok = False
            elif "name" not in declared_fields and derive_name is None:
                self.error("types.missing-key", f"type '{name}' has no 'name' field and no 'derive_name'", path,
                           declared.key, "declare a required text field 'name' (every entry is listed by its name)")
                ok = False
        if not ok or fields is None or check_whole is False:
            return None
        return EntryType(
            name=name, plural=texts["plural"], folder=texts["folder"],
            url_prefix=texts.get("url_prefix") or texts["folder"], fields=tuple(fields), doc=texts["doc"],
            derive_name=derive_name, check_whole=check_whole or None, features=features,
            template=texts.get("template"), chronology_date=texts.get("chronology_date"),
            glossary_definition=texts.get("glossary_definition"), json_ld_type=texts.get("json_ld_type") or "Thing",
        )

    def _type_fields(self, name: str, node: YMap, path: str, include: str | None) -> list[Field] | None:
        fields: list[Field] = []
        ok = True
        if include is not None:
            field_set = self.decl.sections["field_sets"].get(include)
            if field_set is None:
                self.error("types.unknown-field-set", f"no field set '{include}' is declared", path,
                           node.get("include"), did_you_mean(include, sorted(self.decl.sections["field_sets"]))
                           or "declare it under 'field_sets:'")
                ok = False
            else:
                built = self._field_set(include, field_set)
                ok = ok and built is not None
                fields = list(built or [])
        if node.get("omit") is not None:
            names = self._names(node.get("omit"), path, "omit") or []
            for omitted, at in names:
                if omitted not in {f.name for f in fields}:
                    self.error("types.unknown-field", f"'{omitted}' is not a field of the included set", path, at,
                               did_you_mean(omitted, [f.name for f in fields]) or "remove it from 'omit'")
                    ok = False
            dropped = {n for n, _ in names}
            fields = [f for f in fields if f.name not in dropped]
        if node.get("fields") is not None:
            own = self._fields(node.get("fields"), path, f"type '{name}'")
            if own is None:
                return None
            for new in own:
                at = next((i for i, f in enumerate(fields) if f.name == new.name), None)
                if at is None:
                    fields.append(new)
                else:
                    fields[at] = new
        return fields if ok else None

    def _field_set(self, name: str, declared: _Declared) -> tuple[Field, ...] | None:
        if name not in self._field_sets:  # built once, however many types include it
            fields = self._fields(declared.value, declared.path, f"field set '{name}'")
            self._field_sets[name] = tuple(fields) if fields is not None else None
        return self._field_sets[name]

    # -- the whole -----------------------------------------------------------------------------

    def schema(self) -> Schema | None:
        types: list[EntryType] = []
        declared_types = self.decl.sections["types"]
        for name, declared in declared_types.items():
            built = self.entry_type(name, declared)
            if built is not None:
                types.append(built)
        # Records and enumerations no type uses are still checked.
        for name, declared in self.decl.sections["records"].items():
            self.record(name, declared.path, declared.key)
        for name, declared in self.decl.sections["enums"].items():
            self.enum(name, declared.path, declared.key)
        for name, declared in self.decl.sections["field_sets"].items():
            self._field_set(name, declared)
        for wanted, path, at in self._type_refs:
            for type_name in wanted:
                if type_name not in declared_types:
                    self.error("types.unknown-type", f"no entry type '{type_name}' is declared", path, at,
                               did_you_mean(type_name, sorted(declared_types))
                               or f"types: {', '.join(declared_types) or 'none'}")
        self._check_places(declared_types)
        if not declared_types:
            self.failed = True
            self.diagnostics.error("types.no-types", "no entry type is declared",
                                   Location(self.decl.files[-1], 1, 1),
                                   "declare types under 'types:', or write 'extends: default'")
        if self.failed:
            return None
        digest = hashlib.sha256()
        for text in self.decl.texts:
            digest.update(hashlib.sha256(text).digest())
        return Schema(types=tuple(types), enums={k: v for k, v in self._enums.items() if v is not None},
                      records={k: v for k, v in self._records.items() if v is not None},
                      fingerprint=digest.hexdigest(), files=tuple(self.decl.files))

    def _check_places(self, declared_types: dict[str, _Declared]) -> None:
        """Two types in one folder, or at one URL prefix; a prefix taken by a generated page."""
        folders: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        for name, declared in declared_types.items():
            if not isinstance(declared.value, YMap):
                continue
            folder_node = declared.value.get("folder")
            prefix_node = declared.value.get("url_prefix") or folder_node
            folder = folder_node.value if isinstance(folder_node, YScalar) else None
            prefix = prefix_node.value if isinstance(prefix_node, YScalar) else None
            if folder is not None:
                if folder in folders:
                    self.error("types.folder-clash", f"types '{folders[folder]}' and '{name}' both use the folder "
                               f"content/{folder}/", declared.path, folder_node,
                               "give each type a folder of its own")
                else:
                    folders[folder] = name
            if prefix is None:
                continue
            if prefix in GENERATED_PAGES:
                self.error("types.url-clash", f"the URL prefix '{prefix}' is taken by the generated pages at "
                           f"/{prefix}/", declared.path, prefix_node,
                           f"choose another 'url_prefix'; taken: {', '.join(sorted(GENERATED_PAGES))}")
            elif prefix in prefixes:
                self.error("types.url-clash", f"types '{prefixes[prefix]}' and '{name}' both put their pages under "
                           f"/{prefix}/", declared.path, prefix_node, "give each type a 'url_prefix' of its own")
            else:
                prefixes[prefix] = name


def _refers(field_type: FieldType) -> bool:
    """Whether values of the type name entries: a reference, or a list of them."""
    return isinstance(field_type, Ref) or (isinstance(field_type, ListOf) and isinstance(field_type.item, Ref))


def _read(data: bytes, path: str, diagnostics: Diagnostics, into: _Declaration | None = None,
          may_extend: bool = True) -> _Declaration | None:
    """Read a declaration file into ``into`` (a copy of the base it extends, if any)."""
    before = len(diagnostics.errors)
    if not data.strip():
        diagnostics.error("types.no-types", "the types file is empty", Location(path, 1, 1),
                          f"write 'extends: {DEFAULT_NAME}' and the site's own types, or delete the file to use the "
                          "default types")
        return None
    node = load_yaml(data, path, diagnostics)
    if node is None:
        return None
    if not isinstance(node, YMap):
        diagnostics.error("types.bad-value", "a types file must be a mapping with 'types:' and the other sections",
                          Location(path, node.line, node.column), f"write e.g. 'extends: {DEFAULT_NAME}' and 'types:'")
        return None
    for key, value in node.pairs:
        if key.value not in _SECTIONS:
            diagnostics.error("types.unknown-key", f"'{key.value}' is not a section of a types file",
                              Location(path, key.line, key.column),
                              did_you_mean(key.value, _SECTIONS) or f"sections: {', '.join(_SECTIONS)}")
    declaration = into or _Declaration()
    extends = node.get("extends")
    if extends is not None:
        if not may_extend or not isinstance(extends, YScalar) or extends.value != DEFAULT_NAME:
            shown = extends.value if isinstance(extends, YScalar) else "this value"
            diagnostics.error("types.unknown-base", f"cannot extend '{shown}'", Location(path, extends.line,
                              extends.column), f"write 'extends: {DEFAULT_NAME}' (the generator's types), or leave it "
                              "out and declare every type")
        else:
            base = _default_declaration()
            for section, entries in base.sections.items():
                declaration.sections[section].update(entries)
            declaration.texts.extend(base.texts)
            declaration.files.extend(base.files)
    for section in _SECTIONS[1:]:
        value = node.get(section)
        if value is None:
            continue
        if not isinstance(value, YMap):
            diagnostics.error("types.bad-value", f"'{section}' must be a mapping of names to declarations",
                              Location(path, value.line, value.column), "write one 'name:' per line, indented under it")
            continue
        for key, item in value.pairs:
            if section != "types" and not SLUG_RE.match(key.value):
                diagnostics.error("types.bad-name", f"'{key.value}' is not a name", Location(path, key.line, key.column),
                                  "use lowercase letters a-z, digits and single hyphens")
                continue
            declaration.sections[section][key.value] = _Declared(path, key, item)
    declaration.texts.append(data)
    declaration.files.append(path)
    return None if len(diagnostics.errors) > before else declaration


@lru_cache(maxsize=1)
def _default_declaration() -> _Declaration:
    diagnostics = Diagnostics()
    declaration = _read(DEFAULT_FILE.read_bytes(), "generator/schema/default_types.yaml", diagnostics,
                        may_extend=False)
    if declaration is None:
        raise RuntimeError("the default types do not read: " + "; ".join(str(d) for d in diagnostics))
    return declaration


@lru_cache(maxsize=1)
def default_schema() -> Schema:
    """The types the generator ships, built once."""
    diagnostics = Diagnostics()
    schema = _Reader(_default_declaration(), diagnostics).schema()
    if schema is None:
        raise RuntimeError("the default types do not build: " + "; ".join(str(d) for d in diagnostics))
    return schema


def read_schema(data: bytes, path: str, diagnostics: Diagnostics) -> Schema | None:
    """The schema a declaration file's bytes declare; ``None`` (with diagnostics) if it has errors."""
    declaration = _read(data, path, diagnostics, _Declaration())
    if declaration is None:
        return None
    return _Reader(declaration, diagnostics).schema()


def load_schema(root: Path, diagnostics: Diagnostics) -> Schema:
    """The schema of the project at ``root``: its ``types.yaml``, or the default types without one.

    With errors in the file, they are reported and the default types are returned (the
    caller stops on the errors).
    """
    from generator.load.loader import outside_project  # the loader needs the types; this needs it only here

    path = root / TYPES_FILE
    if outside_project(path, root, diagnostics) or not path.is_file():
        return default_schema()
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error("types.unreadable", f"cannot read file: {exc.strerror}", Location(TYPES_FILE, 1, 1),
                          "check the file's permissions")
        return default_schema()
    return read_schema(data, TYPES_FILE, diagnostics) or default_schema()


__all__ = ["DEFAULT_FILE", "GENERATED_PAGES", "TYPES_FILE", "default_schema", "load_schema", "read_schema"]
