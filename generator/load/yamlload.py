"""Strict, safe YAML loading into a position-carrying node tree.

Contributed YAML is untrusted. This loader never constructs Python objects from
tags; it composes PyYAML's event stream into :class:`YNode` trees whose scalars are
*strings* with their source position, and leaves typing to the field declarations
(:mod:`generator.schema.fields`). It rejects, as diagnostics rather than exceptions:

* invalid UTF-8, NUL and other control bytes, a byte-order mark;
* files over :data:`MAX_FILE_BYTES`, nesting deeper than :data:`MAX_DEPTH`, more
  than :data:`MAX_NODES` nodes;
* empty files and files holding more than one document;
* tabs used for indentation and every other YAML syntax error, explained in plain
  words by :mod:`generator.load.yaml_errors`;
* explicit tags (``!!python/object``, ``!!str``), anchors and aliases (so no
  "billion laughs" alias bombs), duplicate keys, non-scalar keys.

YAML 1.1 implicit typing ("NO" meaning false, "1.10" meaning 1.1, bare dates) is
not applied here; :mod:`generator.schema.fields` reports plain scalars a YAML 1.1 reader
would type differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

import yaml
from yaml import events

from generator.diagnostics import Diagnostics, Location
from generator.load.yaml_errors import explain as explain_syntax_error

MAX_FILE_BYTES = 512 * 1024
"""Largest accepted entry file, in bytes."""
MAX_DEPTH = 32
"""Deepest accepted nesting of mappings and sequences."""
MAX_NODES = 20_000
"""Most nodes (scalars, mappings, sequences) accepted in one file."""

_TOO_DEEP_HINT = "no entry field nests this deeply; check the indentation"
_EMPTY_HINT = "write the entry's fields, starting with id:, or delete the file"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINE_SEPARATOR = re.compile("[\u2028\u2029]")


@dataclass
class YScalar:
    """A scalar: its text, whether it was written plain (unquoted), and its position."""

    value: str
    plain: bool
    line: int
    column: int
    style: str | None = None


@dataclass
class YSeq:
    """A sequence of nodes."""

    items: list["YNode"]
    line: int
    column: int


@dataclass
class YMap:
    """A mapping; keys are scalars, kept in file order."""

    pairs: list[tuple[YScalar, "YNode"]] = field(default_factory=list)
    line: int = 0
    column: int = 0

    def get(self, key: str) -> "YNode | None":
        for k, v in self.pairs:
            if k.value == key:
                return v
        return None

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.pairs]


YNode = Union[YScalar, YSeq, YMap]


class _Rejected(Exception):
    """Internal: stop composing this file; the diagnostic is already recorded."""


def decode_text(data: bytes, path: str, diagnostics: Diagnostics) -> str | None:
    """Decode UTF-8 bytes strictly, reporting the first bad byte or character."""
    if len(data) > MAX_FILE_BYTES:
        diagnostics.error(
            "yaml.too-large",
            f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}",
            Location(path, 1, 1),
            "split the entry or shorten its prose",
        )
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        diagnostics.error(
            "yaml.bom", "file starts with a byte-order mark", Location(path, 1, 1),
            "save the file as UTF-8 without BOM",
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diagnostics.error(
            "yaml.encoding", f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
            Location(path, line, column), "save the file as UTF-8",
        )
        return None
    match = _CONTROL.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        name = "NUL byte" if match.group() == "\x00" else f"control character U+{ord(match.group()):04X}"
        if match.group() == "\x85":
            name += " (NEXT LINE, which YAML reads as a line break)"
        diagnostics.error("yaml.control-char", f"{name} in file", Location(path, line, column),
                          "delete it; it may be invisible in your editor")
        return None
    match = _LINE_SEPARATOR.search(text)
    if match:
        # Lines counted as editors count them, at "\n" only (PyYAML also breaks lines here).
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        name = "LINE SEPARATOR" if match.group() == "\u2028" else "PARAGRAPH SEPARATOR"
        diagnostics.error("yaml.line-separator", f"U+{ord(match.group()):04X} {name} in file: YAML reads it as a "
                          "line break that editors do not show", Location(path, line, column),
                          "replace it with a space, or with a new line")
        return None
    return text


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser when PyYAML was built with it: the same events, several times faster."""


def load_yaml(data: bytes, path: str, diagnostics: Diagnostics) -> YNode | None:
    """Parse one YAML document from ``data``; ``None`` (with diagnostics) if it is not acceptable."""
    text = decode_text(data, path, diagnostics)
    if text is None:
        return None
    if _FAST_LOADER is not None:
        # Valid files go through libyaml. Any problem is reported by parsing again with the
        # pure-Python parser, whose messages and positions are the ones documented and tested.
        trial = Diagnostics()
        try:
            node = _Composer(text, path, trial, _FAST_LOADER).compose()
        except Exception:
            node = None
        if node is not None and not trial.items:
            return node
    return _load_checked(text, path, diagnostics)


def _load_checked(text: str, path: str, diagnostics: Diagnostics) -> YNode | None:
    try:
        return _Composer(text, path, diagnostics).compose()
    except _Rejected:
        return None
    except yaml.MarkedYAMLError as exc:
        plain = explain_syntax_error(text, exc)
        diagnostics.error("yaml.syntax", plain.message, Location(path, plain.line, plain.column), plain.hint)
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; it carries no mark
        offset = exc.position
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        diagnostics.error("yaml.syntax", f"character U+{exc.character:04X} is not allowed in YAML",
                          Location(path, line, column), "delete it; it may be invisible in your editor")
        return None
    except yaml.YAMLError as exc:
        diagnostics.error("yaml.syntax", str(exc).splitlines()[0], Location(path, 1, 1),
                          "check the file's structure: one 'field: value' per line, lists with '- '")
        return None
    except RecursionError:
        diagnostics.error(
            "yaml.too-deep", f"nesting deeper than {MAX_DEPTH} levels", Location(path, 1, 1), _TOO_DEEP_HINT
        )
        return None


class _Composer:
    def __init__(self, text: str, path: str, diagnostics: Diagnostics, loader: type = yaml.SafeLoader) -> None:
        self.events = yaml.parse(text, Loader=loader)
        self.path = path
        self.diagnostics = diagnostics
        self.nodes = 0

    def _next(self) -> events.Event:
        return next(self.events)

    def _fail(self, code: str, message: str, event: events.Event, hint: str | None = None) -> None:
        mark = event.start_mark
        self.diagnostics.error(code, message, Location(self.path, mark.line + 1, mark.column + 1), hint)
        raise _Rejected

    def compose(self) -> YNode | None:
        first = self._next()
        assert isinstance(first, events.StreamStartEvent)
        event = self._next()
        if isinstance(event, events.StreamEndEvent):
            self.diagnostics.error("yaml.empty", "file holds no YAML document", Location(self.path, 1, 1),
                                   _EMPTY_HINT)
            return None
        node = self._node(self._next(), depth=0)
        if isinstance(node, YScalar) and node.plain and not node.value:  # "---" and nothing else
            self.diagnostics.error("yaml.empty", "file holds no YAML document", Location(self.path, 1, 1),
                                   _EMPTY_HINT)
            return None
        self._next()  # DocumentEndEvent
        extra = self._next()
        if not isinstance(extra, events.StreamEndEvent):
            self._fail(
                "yaml.multi-document", "file holds more than one YAML document", extra,
                "keep one entry per file and remove the '---' separator",
            )
        return node

    def _node(self, event: events.Event, depth: int) -> YNode:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail("yaml.too-large", f"more than {MAX_NODES} YAML nodes", event,
                       "split the entry, or shorten its lists")
        if depth > MAX_DEPTH:
            self._fail("yaml.too-deep", f"nesting deeper than {MAX_DEPTH} levels", event, _TOO_DEEP_HINT)
        if isinstance(event, events.AliasEvent):
            self._fail("yaml.alias", f"alias '*{event.anchor}' is not allowed", event,
                       "write the value out in full")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._fail("yaml.anchor", f"anchor '&{anchor}' is not allowed", event,
                       "anchors and aliases are not supported; write values out in full")
        tag = getattr(event, "tag", None)
        explicit_tag = tag is not None  # the parser sets a tag only when one is written
        if explicit_tag:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._fail("yaml.tag", f"explicit tag '{shown}' is not allowed", event,
                       "remove the tag; quote the value if it must be a string")
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, events.ScalarEvent):
            # Escapes in quoted values ("\x00", "\ud800") can produce what the file itself may not hold.
            bad = _CONTROL.search(event.value) or _SURROGATE.search(event.value)
            if bad:
                what = "lone surrogate" if _SURROGATE.match(bad.group()) else "control character"
                self._fail("yaml.control-char", f"escaped {what} U+{ord(bad.group()):04X} in a quoted value",
                           event, "remove the escape sequence")
            style = event.style or None  # libyaml reports a plain scalar's style as ''
            return YScalar(event.value, style is None, line, column, style)
        if isinstance(event, events.SequenceStartEvent):
            items: list[YNode] = []
            while not isinstance(nxt := self._next(), events.SequenceEndEvent):
                items.append(self._node(nxt, depth + 1))
            return YSeq(items, line, column)
        if isinstance(event, events.MappingStartEvent):
            mapping = YMap(line=line, column=column)
            seen: dict[str, YScalar] = {}
            while not isinstance(key_event := self._next(), events.MappingEndEvent):
                key = self._node(key_event, depth + 1)
                if not isinstance(key, YScalar):
                    self._fail("yaml.complex-key", "mapping keys must be plain strings", key_event,
                               "write a field name before the ':', not a list or mapping ('?' starts a complex key)")
                value = self._node(self._next(), depth + 1)
                assert isinstance(key, YScalar)
                if key.value in seen:
                    first = seen[key.value]
                    self.diagnostics.error(
                        "yaml.duplicate-key",
                        f"duplicate key '{key.value}' (first defined at line {first.line})",
                        Location(self.path, key.line, key.column),
                        "remove one of the two; other YAML tools would silently keep only the last",
                    )
                    continue
                seen[key.value] = key
                mapping.pairs.append((key, value))
            return mapping
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover
