"""The strict YAML loader: a position-carrying node tree, or diagnostics; never an exception."""

from __future__ import annotations

import pytest

from generator.diagnostics import Diagnostics
from generator.load.yamlload import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, YMap, YScalar, YSeq, load_yaml


def load(data: bytes | str) -> tuple[object, Diagnostics]:
    diagnostics = Diagnostics()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return load_yaml(raw, "content/concepts/x.yaml", diagnostics), diagnostics


def only(diagnostics: Diagnostics) -> tuple[str, int, int, str]:
    """The one diagnostic recorded, as (code, line, column, message)."""
    assert len(diagnostics.items) == 1, diagnostics.report()
    d = diagnostics.items[0]
    return d.code, d.location.line, d.location.column, d.message


# -- what a good file becomes ---------------------------------------------------------------------------


def test_scalars_stay_strings_with_their_positions_and_style() -> None:
    node, diagnostics = load('id: csto\ncount: 12\nflag: "NO"\nlist:\n  - a\n  - b\n')
    assert not diagnostics.items
    assert isinstance(node, YMap)
    assert node.keys() == ["id", "count", "flag", "list"]
    count = node.get("count")
    assert count == YScalar("12", True, 2, 8, None)
    flag = node.get("flag")
    assert isinstance(flag, YScalar) and flag.value == "NO" and not flag.plain and flag.style == '"'
    items = node.get("list")
    assert isinstance(items, YSeq)
    assert [(i.value, i.line, i.column) for i in items.items] == [("a", 5, 5), ("b", 6, 5)]


@pytest.mark.parametrize("text", ["NO", "yes", "on", "1.10", "010", "2002-10-07", "~", "null", "0x1F", ".inf"])
def test_no_yaml_1_1_implicit_typing_is_applied(text: str) -> None:
    node, diagnostics = load(f"value: {text}\n")
    assert not diagnostics.items
    value = node.get("value")  # type: ignore[union-attr]
    assert value.value == text and value.plain


def test_literal_block_keeps_its_text_and_style() -> None:
    node, _ = load("body: |\n  one\n  two\n")
    body = node.get("body")  # type: ignore[union-attr]
    assert body.value == "one\ntwo\n" and body.style == "|" and (body.line, body.column) == (1, 7)


def test_windows_line_endings_are_accepted() -> None:
    node, diagnostics = load(b"id: a\r\nname: b\r\n")
    assert not diagnostics.items
    assert node.get("name").line == 2  # type: ignore[union-attr]


def test_nesting_up_to_the_limit_is_accepted() -> None:
    node, diagnostics = load("x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert not diagnostics.items and isinstance(node, YMap)


def test_a_file_of_exactly_the_size_limit_is_accepted() -> None:
    head = b"id: x\n"
    data = head + b"#" * (MAX_FILE_BYTES - len(head) - 1) + b"\n"
    assert len(data) == MAX_FILE_BYTES
    node, diagnostics = load(data)
    assert not diagnostics.items and isinstance(node, YMap)


# -- what a bad file becomes: one diagnostic, at the right place -----------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("a: &x 1\nb: 2\n", ("yaml.anchor", 1, 4, "anchor '&x' is not allowed")),
        ("a: [*x]\n", ("yaml.alias", 1, 5, "alias '*x' is not allowed")),
        ("a: !!str 1\n", ("yaml.tag", 1, 4, "explicit tag '!!str' is not allowed")),
        ("a: !!python/object:os.system {}\n", ("yaml.tag", 1, 4, "explicit tag '!!python/object:os.system' is not allowed")),
        ("a: !custom x\n", ("yaml.tag", 1, 4, "explicit tag '!custom' is not allowed")),
        ("a: !<tag:yaml.org,2002:int> 1\n", ("yaml.tag", 1, 4, "explicit tag '!!int' is not allowed")),
        ("? [a, b]\n: c\n", ("yaml.complex-key", 1, 3, "mapping keys must be plain strings")),
        ("? {a: b}\n: c\n", ("yaml.complex-key", 1, 3, "mapping keys must be plain strings")),
        ("", ("yaml.empty", 1, 1, "file holds no YAML document")),
        ("# only a comment\n", ("yaml.empty", 1, 1, "file holds no YAML document")),
        ("a: 1\n---\nb: 2\n", ("yaml.multi-document", 2, 1, "file holds more than one YAML document")),
        ("--- a\n--- b\n", ("yaml.multi-document", 2, 1, "file holds more than one YAML document")),
        ("a:\n\tb: 1\n", ("yaml.syntax", 2, 1, "line 2 is indented with a tab")),
        ('a: "open\n', ("yaml.syntax", 1, 4, 'the quote (") opened on line 1 is never closed')),
        ("a: [1, 2\n", None),
        ("a: b: c\n", None),
    ],
)
def test_rejected_documents(data: str, expected: tuple | None) -> None:
    node, diagnostics = load(data)
    assert node is None
    code, line, column, message = only(diagnostics)
    if expected is None:
        assert code == "yaml.syntax"
    else:
        assert (code, line, column, message) == expected


def test_an_alias_is_refused_where_it_is_used() -> None:
    # Anchors are refused first, so build the alias case with an anchor that is itself refused.
    _, diagnostics = load("a: &x 1\nb: *x\n")
    assert only(diagnostics)[0] == "yaml.anchor"


def test_a_tab_gets_a_hint() -> None:
    _, diagnostics = load("a:\n\tb: 1\n")
    assert diagnostics.items[0].hint == ("YAML indentation must use spaces: replace the tab with spaces, "
                                         "lined up with the lines above")


def test_every_duplicate_key_is_reported_and_the_first_value_kept() -> None:
    node, diagnostics = load("a: 1\na: 2\nb: 3\na: 4\n")
    assert [(d.code, d.location.line, d.location.column) for d in diagnostics.items] == [
        ("yaml.duplicate-key", 2, 1), ("yaml.duplicate-key", 4, 1)]
    assert diagnostics.items[0].message == "duplicate key 'a' (first defined at line 1)"
    assert isinstance(node, YMap) and node.get("a").value == "1"  # type: ignore[union-attr]


def test_billion_laughs_is_refused_at_the_first_anchor_without_expanding() -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    node, diagnostics = load("\n".join(levels) + "\n")
    assert node is None
    assert only(diagnostics)[:3] == ("yaml.anchor", 1, 4)


def test_nesting_beyond_the_limit_is_refused() -> None:
    depth = MAX_DEPTH + 2
    node, diagnostics = load("x: " + "[" * depth + "]" * depth + "\n")
    assert node is None
    code, line, column, message = only(diagnostics)
    assert code == "yaml.too-deep" and message == f"nesting deeper than {MAX_DEPTH} levels"
    assert (line, column) == (1, 4 + MAX_DEPTH)


def test_very_deep_block_nesting_is_refused_without_recursion_error() -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(700)) + " " * 700 + "v\n"
    assert len(text) < MAX_FILE_BYTES
    node, diagnostics = load(text)
    assert node is None
    assert only(diagnostics)[0] == "yaml.too-deep"


def test_too_many_nodes_is_refused() -> None:
    node, diagnostics = load("x: [" + "a, " * MAX_NODES + "a]\n")
    assert node is None
    assert only(diagnostics)[0] == "yaml.too-large"


def test_a_file_over_the_size_limit_is_refused_before_parsing() -> None:
    data = b"id: x\n" + b"#" * MAX_FILE_BYTES
    node, diagnostics = load(data)
    assert node is None
    assert only(diagnostics) == ("yaml.too-large", 1, 1, f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfid: x\n", ("yaml.bom", 1, 1, "file starts with a byte-order mark")),
        (b"id: x\nname: caf\xe9\n", ("yaml.encoding", 2, 10, "invalid UTF-8 byte 0xe9")),
        (b"id: x\nname: \xc3\n", ("yaml.encoding", 2, 7, "invalid UTF-8 byte 0xc3")),
        (b"\xff\xfei\x00d\x00", ("yaml.encoding", 1, 1, "invalid UTF-8 byte 0xff")),
        (b"id: x\nname: a\x00b\n", ("yaml.control-char", 2, 8, "NUL byte in file")),
        (b"id: x\x1b[31m\n", ("yaml.control-char", 1, 6, "control character U+001B in file")),
        ("id: x\u0085y\n".encode(), ("yaml.control-char", 1, 6,
                                         "control character U+0085 (NEXT LINE, which YAML reads as a line break) in file")),
        (b"id: x\x7f\n", ("yaml.control-char", 1, 6, "control character U+007F in file")),
        ("id: x\nname: a\u2028b\n".encode(), ("yaml.line-separator", 2, 8, "U+2028 LINE SEPARATOR in file: YAML "
                                                "reads it as a line break that editors do not show")),
        ("# note\u2029id: x\n".encode(), ("yaml.line-separator", 1, 7, "U+2029 PARAGRAPH SEPARATOR in file: YAML "
                                           "reads it as a line break that editors do not show")),
    ],
)
def test_bad_bytes(data: bytes, expected: tuple) -> None:
    node, diagnostics = load(data)
    assert node is None
    assert only(diagnostics) == expected


def test_a_lone_utf16_surrogate_escape_does_not_crash() -> None:
    node, diagnostics = load('name: "\\ud800"\n')
    # PyYAML accepts the escape; whatever the outcome, it is a node or a diagnostic, never an exception.
    assert node is not None or diagnostics.items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name: "a\\x00b"\n', ("yaml.control-char", 1, 7, "escaped control character U+0000 in a quoted value")),
        ('name: "\\e[31m"\n', ("yaml.control-char", 1, 7, "escaped control character U+001B in a quoted value")),
        ('name: "\\ud800"\n', ("yaml.control-char", 1, 7, "escaped lone surrogate U+D800 in a quoted value")),
        ('"\\x01": b\n', ("yaml.control-char", 1, 1, "escaped control character U+0001 in a quoted value")),
        ("id: x\nname: a\ufffeb\n", ("yaml.syntax", 2, 8, "character U+FFFE is not allowed in YAML")),
    ],
)
def test_characters_that_escape_or_slip_past_the_byte_check(text: str, expected: tuple) -> None:
    node, diagnostics = load(text)
    assert node is None
    assert only(diagnostics) == expected


def test_ordinary_escapes_are_fine() -> None:
    node, diagnostics = load('name: "tab\\there, line\\nbreak, \\u00e9t\\u00e9, \\U0001F600"\n')
    assert not diagnostics.items
    assert node.get("name").value == "tab\there, line\nbreak, été, \U0001F600"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["---\n", "--- \n...\n", "# a comment\n---\n"])
def test_a_document_marker_alone_is_an_empty_file(text: str) -> None:
    node, diagnostics = load(text)
    assert node is None
    assert only(diagnostics) == ("yaml.empty", 1, 1, "file holds no YAML document")
