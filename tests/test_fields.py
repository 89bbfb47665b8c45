"""Field types: each turns a YAML node into a value or reports exactly what is wrong, and where."""

from __future__ import annotations

from typing import Any

import pytest

from generator.schema.dates import DateValue
from generator.diagnostics import Diagnostics, Location
from generator.schema.fields import (
    INVALID, Bool, CheckContext, Cite, CiteKey, Date, Enum, Field, FieldType, Lang, ListOf, Markdown, OneOrMany,
    Prose, Record, Ref, RefValue, Slug, Text,
)
from generator.schema.types import DATE_ALTERNATIVES, DATED, SOURCE
from generator.load.yamlload import YMap, load_yaml

PATH = "content/concepts/x.yaml"


def check(field_type: FieldType, yaml_value: str) -> tuple[Any, Diagnostics, CheckContext]:
    """Check the value written after ``v:`` (may span lines) against ``field_type``."""
    source = f"v: {yaml_value}\n"
    diagnostics = Diagnostics()
    root = load_yaml(source.encode("utf-8"), PATH, diagnostics)
    assert isinstance(root, YMap) and not diagnostics.items, diagnostics.report()
    ctx = CheckContext(PATH, diagnostics, source_lines=source.splitlines())
    return field_type.check(root.get("v"), ctx), diagnostics, ctx


def one_error(diagnostics: Diagnostics) -> tuple[str, str, int, int, str | None]:
    assert len(diagnostics.items) == 1, diagnostics.report()
    d = diagnostics.items[0]
    return d.code, d.message, d.location.line, d.location.column, d.hint


# -- Text and the YAML 1.1 surprises ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "reading"),
    [
        ("NO", "a boolean"), ("yes", "a boolean"), ("On", "a boolean"), ("off", "a boolean"), ("y", "a boolean"), ("N", "a boolean"),
        ("yes-and-no", None),
        ("1.10", "a float"), (".5", "a float"), (".inf", "a float"), ("-.inf", "a float"), (".NaN", "a float"),
        ("1e3", None),  # a float in YAML 1.2 only; PyYAML, like the 1.1 spec, needs a dot
        ("010", "an integer"), ("0x1F", "an integer"), ("0b101", "an integer"), ("1_000", "an integer"),
        ("12:30", "an integer"),  # sexagesimal in YAML 1.1
        ("2002-10-07", "a date"), ("2002-10-07T10:00:00Z", "a date"),
    ],
)
def test_plain_values_a_yaml_1_1_reader_would_misread(written: str, reading: str | None) -> None:
    value, diagnostics, _ = check(Text(), written)
    if reading is None:
        assert value == written and not diagnostics.items
        return
    assert value is INVALID
    assert one_error(diagnostics) == (
        "yaml.implicit-type", f"'{written}' would be read as {reading} by YAML 1.1 tools", 1, 4, f'quote it: "{written}"')


@pytest.mark.parametrize("written", ['"NO"', "'yes'", '"1.10"', '"010"', '"2002-10-07"', "12", "0", "1992", "Hello"])
def test_quoted_values_and_plain_decimals_are_text(written: str) -> None:
    value, diagnostics, _ = check(Text(), written)
    assert not diagnostics.items
    assert value == written.strip("'\"")


@pytest.mark.parametrize("written", ["", "~", "null", '""', '"   "'])
def test_empty_values(written: str) -> None:
    value, diagnostics, _ = check(Text(), written)
    assert value is INVALID
    assert one_error(diagnostics)[:2] == ("schema.empty", "value is empty")


def test_text_length_limit() -> None:
    value, diagnostics, _ = check(Text(max_length=5), "abcdef")
    assert value is INVALID
    assert one_error(diagnostics)[:2] == ("schema.too-long", "text is 6 characters; the limit is 5")


def test_single_line_text_collapses_whitespace() -> None:
    value, _, _ = check(Text(single_line=True), ">\n  one\n  two   three\n")
    assert value == "one two three"


def test_invisible_character_is_named_and_located() -> None:
    value, diagnostics, _ = check(Text(), "ab\u200bcd")
    assert value is INVALID
    code, message, line, column, hint = one_error(diagnostics)
    assert (code, message, line, column) == (
        "schema.invisible-char", "text contains the invisible character U+200B (ZERO WIDTH SPACE)", 1, 6)
    assert hint and "retype" in hint


@pytest.mark.parametrize("style", ["|", ">", "|-", ">+"])
def test_bidi_override_in_a_block_value_is_located_on_its_line(style: str) -> None:
    value, diagnostics, _ = check(Text(), f"{style}\n  first line\n\n  sec\u202eond\n")
    assert value is INVALID
    code, message, line, column, _ = one_error(diagnostics)
    assert code == "schema.invisible-char"
    assert message == "text contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)"
    assert (line, column) == (4, 6)


def test_bidi_override_in_a_multi_line_quoted_value_is_located_at_the_value() -> None:
    value, diagnostics, _ = check(Text(), '"first line\n  sec\u202eond"')
    assert value is INVALID
    code, message, line, column, _ = one_error(diagnostics)
    assert code == "schema.invisible-char"
    assert message == "text contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) after 'first line sec'"
    assert (line, column) == (1, 4)


@pytest.mark.parametrize(("written", "kind"), [("[a, b]", "a list"), ("{a: b}", "a mapping")])
def test_text_of_the_wrong_shape(written: str, kind: str) -> None:
    value, diagnostics, _ = check(Text(), written)
    assert value is INVALID
    assert one_error(diagnostics)[:2] == ("schema.type", f"expected text, found {kind}")


# -- ids, languages, enums, booleans ---------------------------------------------------------------------


SLUG_HINT = "use lowercase letters a-z, digits and single hyphens, e.g. 'csto' or 'cst-signed-1992'"


@pytest.mark.parametrize("written", ["csto", "cst-1992", "a", "1992", "eeu-2015-court"])
def test_valid_slugs(written: str) -> None:
    value, diagnostics, _ = check(Slug(), written)
    assert value == written and not diagnostics.items


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("CSTO", "did you mean 'csto'?"), ("../etc", "did you mean 'etc'?"), ("a/b", "did you mean 'a-b'?"),
        ("a--b", "did you mean 'a-b'?"), ("-a", "did you mean 'a'?"), ("a_b", "did you mean 'a-b'?"),
        ("'a b'", "did you mean 'a-b'?"), ("ёж", SLUG_HINT), ('"..."', SLUG_HINT), ("ｃｓｔｏ", SLUG_HINT),
    ],
)
def test_invalid_slugs(written: str, hint: str | None) -> None:
    value, diagnostics, _ = check(Slug(), written)
    assert value is INVALID
    code, message, _, _, got_hint = one_error(diagnostics)
    assert code == "id.invalid"
    assert message.endswith("is not a valid id (lowercase letters, digits and single hyphens)")
    assert got_hint == hint


def test_an_id_longer_than_100_characters_is_refused() -> None:
    value, diagnostics, _ = check(Slug(), "a" * 101)
    assert value is INVALID and one_error(diagnostics)[0] == "schema.too-long"


@pytest.mark.parametrize("written", ["en", "ru", "kk", "ru-Latn", "kk-Cyrl", "zh-Hant-TW", "sgn"])
def test_valid_language_tags(written: str) -> None:
    value, diagnostics, _ = check(Lang(), written)
    assert value == written and not diagnostics.items


@pytest.mark.parametrize("written", ["Russian", "RU", "ru_RU", "ru-latn", "e"])
def test_invalid_language_tags(written: str) -> None:
    value, diagnostics, _ = check(Lang(), written)
    assert value is INVALID
    assert one_error(diagnostics)[:2] == (
        "schema.lang", f"'{written}' is not a language tag such as 'en', 'ru' or 'ru-Latn'")


def test_enum_value_and_did_you_mean() -> None:
    kinds = Enum(("alliance", "customs-union", "forum"))
    assert check(kinds, "forum")[0] == "forum"
    value, diagnostics, _ = check(kinds, "aliance")
    assert value is INVALID
    assert one_error(diagnostics) == (
        "schema.enum", "'aliance' is not one of: alliance, customs-union, forum", 1, 4, "did you mean 'alliance'?")
    _, diagnostics, _ = check(kinds, "zzz")
    assert one_error(diagnostics)[4] == "write one of the listed values exactly, in lowercase"


@pytest.mark.parametrize(("written", "expected"), [("true", True), ("false", False)])
def test_booleans(written: str, expected: bool) -> None:
    assert check(Bool(), written)[0] is expected


@pytest.mark.parametrize("written", ["yes", "no", "True", '"true"', "1"])
def test_yaml_1_1_booleans_are_refused(written: str) -> None:
    value, diagnostics, _ = check(Bool(), written)
    assert value is INVALID and one_error(diagnostics)[0] == "schema.type"


# -- dates -----------------------------------------------------------------------------------------------


def test_date_field_accepts_a_bare_date() -> None:
    value, diagnostics, _ = check(Date(), "1992-05-15")
    assert isinstance(value, DateValue) and value.display == "15 May 1992" and not diagnostics.items


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1992-02-30", "'1992-02-30' is not a valid date: February 1992 has 29 days"),
        ("1900-02-29", "'1900-02-29' is not a valid date: February 1900 has 28 days"),
        ("1992-13", "'1992-13' is not a valid date: there is no month 13"),
        ("1999/1996", "'1999/1996' is not a valid date: the interval ends before it starts"),
        ("15 May 1992", "'15 May 1992' is not an EDTF date"),
        ("May", "'May' is not an EDTF date"),
    ],
)
def test_invalid_dates(written: str, message: str) -> None:
    value, diagnostics, _ = check(Date(), written)
    assert value is INVALID
    code, got, line, column, hint = one_error(diagnostics)
    assert (code, got, line, column) == ("date.invalid", message, 1, 4)
    assert hint and "1992-05-15" in hint


def test_empty_date() -> None:
    value, diagnostics, _ = check(Date(), '""')
    assert value is INVALID and one_error(diagnostics)[:2] == ("schema.empty", "value is empty")


# -- references and citation keys are collected for the linker -------------------------------------------


def test_ref_and_cite_are_recorded_with_positions() -> None:
    value, diagnostics, ctx = check(Ref(("organisation",)), "csto")
    assert value == RefValue("csto", ("organisation",), Location(PATH, 1, 4))
    assert ctx.refs == [value]
    key, _, ctx = check(Cite(), "troitskiy2020")
    assert key == CiteKey("troitskiy2020", Location(PATH, 1, 4)) and ctx.cites == [key]
    assert not diagnostics.items


def test_a_ref_that_is_not_a_slug_is_not_recorded() -> None:
    value, diagnostics, ctx = check(Ref(), "CSTO")
    assert value is INVALID and ctx.refs == [] and one_error(diagnostics)[0] == "id.invalid"


# -- lists and records -----------------------------------------------------------------------------------


def test_list_shape_and_bounds() -> None:
    value, diagnostics, _ = check(ListOf(Text()), "single")
    assert value is INVALID
    assert one_error(diagnostics) == ("schema.type", "expected a list, found a string", 1, 4,
                                      "write one item per line, each starting with '- '")
    value, diagnostics, _ = check(ListOf(Text(), min_items=2), "[a]")
    assert one_error(diagnostics)[:2] == ("schema.too-few", "expected at least 2 items, found 1")
    value, diagnostics, _ = check(ListOf(Text(), max_items=2), "[a, b, c]")
    assert one_error(diagnostics)[:2] == ("schema.too-many", "at most 2 items are allowed")


def test_list_keeps_valid_items_and_reports_each_bad_one() -> None:
    value, diagnostics, _ = check(ListOf(Slug()), "[ok, Bad, fine, Worse]")
    assert value == ["ok", "fine"]
    assert [d.location.column for d in diagnostics.items] == [9, 20]


RECORD = Record(name="source", fields=(
    Field("key", Text(), "The key.", required=True),
    Field("locator", Text(), "Where."),
    Field("label", Enum(("page", "note")), "What the locator counts."),
))


def test_record_values() -> None:
    value, diagnostics, _ = check(RECORD, "{key: a, locator: '12'}")
    assert value == {"key": "a", "locator": "12"} and not diagnostics.items


def test_record_of_the_wrong_shape_says_what_to_write() -> None:
    value, diagnostics, _ = check(RECORD, "smith2001")
    assert value is INVALID
    assert one_error(diagnostics) == ("schema.type", "expected a source, found a string", 1, 4,
                                      "write a mapping with the fields key (optional: locator, label)")


def test_unknown_field_suggests_the_missing_one_and_is_the_only_error() -> None:
    value, diagnostics, _ = check(RECORD, "{kye: a}")
    assert value is INVALID
    assert one_error(diagnostics) == ("schema.unknown-field", "unknown field 'kye'", 1, 5, "did you mean 'key'?")


def test_unknown_field_without_a_close_match_lists_the_fields() -> None:
    _, diagnostics, _ = check(RECORD, "{key: a, zzz: b}")
    assert one_error(diagnostics)[4] == "known fields: key, locator, label"


def test_unknown_field_does_not_suggest_a_field_already_present() -> None:
    _, diagnostics, _ = check(RECORD, "{key: a, kye: b}")
    assert one_error(diagnostics)[4] == "known fields: key, locator, label"


def test_missing_field_names_the_field_and_what_it_is() -> None:
    value, diagnostics, _ = check(RECORD, "{locator: '1'}")
    assert value is INVALID
    assert one_error(diagnostics) == ("schema.missing-field", "missing required field 'key'", 1, 4, "key: The key.")


def test_every_problem_in_a_record_is_reported() -> None:
    _, diagnostics, _ = check(RECORD, "{locator: [1], label: pgae}")
    assert sorted(d.code for d in diagnostics.items) == ["schema.enum", "schema.missing-field", "schema.type"]


def test_real_source_record_accepts_the_documented_form() -> None:
    value, diagnostics, ctx = check(SOURCE, '{key: troitskiy2020, locator: "28", label: note, quote: "exact words"}')
    assert not diagnostics.items
    assert value["key"].key == "troitskiy2020" and value["label"] == "note" and len(ctx.cites) == 1


def test_dated_fact_one_or_many() -> None:
    one, diagnostics, _ = check(DATED, '{date: 2002-10-07, sources: [{key: a, locator: "1"}]}')
    assert not diagnostics.items and [alt["date"].text for alt in one] == ["2002-10-07"]
    many, diagnostics, _ = check(DATED, "\n  - {date: 2002, sources: [{key: a}]}\n  - {date: '2003?', sources: [{key: b}]}")
    assert not diagnostics.items and [alt["date"].display for alt in many] == ["2002", "2003?"]
    bare, diagnostics, _ = check(DATED, "2002")
    assert bare is INVALID and one_error(diagnostics)[:2] == ("schema.type", "expected a dated fact, found a string")


def test_date_alternatives_accept_the_shorthand() -> None:
    value, diagnostics, _ = check(DATE_ALTERNATIVES, "2006")
    assert not diagnostics.items and value[0]["date"].text == "2006"


def test_one_or_many_is_invalid_if_any_alternative_is() -> None:
    value, diagnostics, _ = check(DATED, "\n  - {date: 2002, sources: [{key: a}]}\n  - {date: 2002-02-30, sources: [{key: b}]}")
    assert value is INVALID and one_error(diagnostics)[0] == "date.invalid"


def test_one_or_many_needs_at_least_one() -> None:
    value, diagnostics, _ = check(OneOrMany(RECORD), "[]")
    assert value is INVALID and one_error(diagnostics)[0] == "schema.too-few"


# -- Markdown: where each character of the prose is in the file ------------------------------------------


def prose_of(yaml_value: str) -> Prose:
    value, diagnostics, _ = check(Markdown(), yaml_value)
    assert isinstance(value, Prose), diagnostics.report()
    return value


def test_literal_block_positions_are_exact() -> None:
    prose = prose_of("|\n  first line\n  see [[csto]] here\n")
    offset = prose.text.index("csto")
    assert prose.literal
    assert prose.position(offset) == Location(PATH, 3, 9)
    assert prose.position(0) == Location(PATH, 2, 3)


def test_literal_block_starting_with_a_blank_line() -> None:
    prose = prose_of("|\n\n    indented [[x]]\n")
    assert prose.position(prose.text.index("x]]")) == Location(PATH, 3, 16)


def test_one_line_plain_value_positions_are_exact() -> None:
    prose = prose_of("Read [[csto]] first.")
    assert prose.position(prose.text.index("csto")) == Location(PATH, 1, 11)


def test_one_line_quoted_value_positions_are_exact() -> None:
    prose = prose_of('"Read [[csto]] first."')
    assert prose.position(prose.text.index("csto")) == Location(PATH, 1, 12)


def test_value_with_escapes_falls_back_to_its_start() -> None:
    prose = prose_of('"Read \\"it\\" [[csto]]"')
    assert not prose.literal
    assert prose.position(prose.text.index("csto")) == Location(PATH, 1, 4)


def test_folded_block_positions_are_exact() -> None:
    prose = prose_of(">-\n  Read\n  the [[csto]]\n\n    more indented [[cis]]\n  last [[eeu]]\n")
    assert prose.position(prose.text.index("csto")) == Location(PATH, 3, 9)
    assert prose.position(prose.text.index("cis")) == Location(PATH, 5, 21)
    assert prose.position(prose.text.index("eeu")) == Location(PATH, 6, 10)


def test_multi_line_quoted_value_falls_back_to_its_start() -> None:
    prose = prose_of('"Read\n  [[csto]]"')
    assert prose.position(prose.text.index("csto")) == Location(PATH, 1, 4)


def test_markdown_is_recorded_for_scanning() -> None:
    value, _, ctx = check(Markdown(), "text")
    assert ctx.prose == [value]


def test_markdown_refuses_yaml_1_1_surprises_too() -> None:
    value, diagnostics, _ = check(Markdown(), "yes")
    assert value is INVALID and one_error(diagnostics)[0] == "yaml.implicit-type"
