"""Properties that hold for any input: loaders only report, escapers and prose never emit live markup."""

from __future__ import annotations

import html
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render import escaping
from generator.schema.dates import parse_date
from generator.diagnostics import Diagnostics, Location
from generator.schema.fields import INVALID, SLUG_RE, CheckContext, Prose, Slug
from generator.load.loader import load_entry
from generator.render.prose import render, scan
from generator.schema.types import TYPES_BY_NAME
from generator.load.yamlload import YMap, YScalar, load_yaml
from test_prose import assert_inert, cluster_html, link_html

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "300"))
"""Examples per property; raise it for a deeper search: ``PROPERTY_EXAMPLES=5000 pytest tests/test_properties.py``."""
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATH = "content/concepts/x.yaml"

YAML_PIECES = st.sampled_from([
    "id: x\n", "name: ", "a: ", "- ", "  ", "\t", "\n", ": ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ",
    "!!python/object:os.system ", "? ", "---\n", "...\n", "|\n", ">\n", '"', "'", "#", "%YAML 1.1\n", "%TAG ! x\n",
    "\\x00", "\\u202e", "yes", "NO", "1.10", "010", "2002-10-07", "~", "@", "`", "\ufeff", "\u2028", "\x85", "\r\n",
])
YAML_TEXT = st.lists(st.one_of(YAML_PIECES, st.text(max_size=8)), max_size=40).map("".join)


def _reported_or_returned(node: object, diagnostics: Diagnostics) -> None:
    assert node is not None or diagnostics.errors
    for d in diagnostics.items:
        assert d.code and d.message and d.location.path == PATH


@FAST
@given(st.binary(max_size=400))
def test_yaml_loader_on_arbitrary_bytes_only_reports(data: bytes) -> None:
    diagnostics = Diagnostics()
    _reported_or_returned(load_yaml(data, PATH, diagnostics), diagnostics)


@FAST
@given(YAML_TEXT)
def test_yaml_loader_on_yaml_like_text_only_reports(text: str) -> None:
    diagnostics = Diagnostics()
    node = load_yaml(text.encode("utf-8", "surrogatepass"), PATH, diagnostics)
    _reported_or_returned(node, diagnostics)


@FAST
@given(YAML_TEXT, st.sampled_from(sorted(TYPES_BY_NAME)))
def test_entry_loader_on_yaml_like_text_only_reports(text: str, type_name: str) -> None:
    diagnostics = Diagnostics()
    entry = load_entry(TYPES_BY_NAME[type_name], text.encode("utf-8", "surrogatepass"), PATH, diagnostics)
    assert entry is not None or diagnostics.errors
    if entry is not None:
        assert not diagnostics.errors and entry.id == "x"


@FAST
@given(st.text(max_size=40))
def test_slug_check_accepts_exactly_the_slugs(text: str) -> None:
    diagnostics = Diagnostics()
    ctx = CheckContext(PATH, diagnostics)
    node = YScalar(text, False, 1, 5, '"')
    value = Slug().check(node, ctx)
    if value is INVALID:
        assert len(diagnostics.items) == 1
        hint = diagnostics.items[0].hint
        if hint and hint.startswith("did you mean"):
            assert SLUG_RE.match(re.search(r"'(.*)'", hint).group(1))  # type: ignore[union-attr]
    else:
        assert SLUG_RE.match(value) and value == text and not diagnostics.items


ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


@FAST
@given(st.text())
def test_escaped_text_has_no_markup_characters(text: str) -> None:
    escaped = str(escaping.text(text))
    for forbidden in "<>`[]{}\n\r":
        assert forbidden not in escaped
    assert all(ENTITY.match(escaped, m.start()) for m in re.finditer("&", escaped))


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\r\t")))
def test_escaped_text_reads_the_same(text: str) -> None:
    whitespace = {ord(c): " " for c in "\n\r\t\u2028\u2029"}
    assert html.unescape(str(escaping.text(text))) == text.translate(whitespace)


HOSTILE_PIECES = st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "javascript&#58;", "&#106;", "[x](",
    ")", "[", "]", "(", "{:", " onclick=", "alert(1)", "}", "{{", "}}", "{%", "%}", "<", ">", "\"", "'", "`",
    "\n", "\n\n", "# ", "* ", "> ", "    ", "![", "<a href=", "<iframe>", "<svg onload=x>", "data:text/html,",
    "[[", "]]", "|", "@key", "[@a, p. 1]", "-@b", "\\", "&", ";", "QCITEPLACEHOLDER000000Q", "::: ", "*[", "]:",
])
PROSE_TEXT = st.lists(st.one_of(HOSTILE_PIECES, st.text(max_size=6)), max_size=30).map("".join)


@FAST
@given(PROSE_TEXT, st.booleans())
def test_rendered_prose_never_holds_live_markup(text: str, inline: bool) -> None:
    scanned = scan(Prose(text, Location(PATH, 3, 7), literal=True))
    assert_inert(str(render(scanned, link_html, cluster_html, inline=inline)))


@FAST
@given(PROSE_TEXT)
def test_scanned_positions_lie_inside_the_prose(text: str) -> None:
    prose = Prose(text, Location(PATH, 3, 7), literal=True)
    scanned = scan(prose)
    last_line = 3 + text.count("\n")
    spans = [(l.start, l.end) for l in scanned.links] + [(c.start, c.end) for c in scanned.clusters]
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    for location in [l.location for l in scanned.links] + [i.location for c in scanned.clusters for i in c.items]:
        assert 3 <= location.line <= last_line and location.column >= 1


@settings(max_examples=max(EXAMPLES * 2 // 5, 1), deadline=None)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"\A-?[0-9X]{1,5}(-[0-9X]{1,2}){0,2}[?~%]?(/\.\.|/[0-9]{4})?\Z")))
def test_parse_date_never_raises_and_bounds_are_ordered(text: str) -> None:
    value, problem = parse_date(text)
    if value is None:
        assert isinstance(problem, str)
    else:
        assert value.lower <= value.upper and value.display


@FAST
@given(st.dictionaries(st.sampled_from(["id", "name", "summary", "sources", "body", "related", "kind"]),
                       st.one_of(st.text(max_size=20), st.lists(st.text(max_size=5), max_size=3)), max_size=7))
def test_entry_loader_on_generated_mappings_only_reports(fields: dict) -> None:
    import json

    text = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()) + "\n"
    diagnostics = Diagnostics()
    entry = load_entry(TYPES_BY_NAME["concept"], text.encode("utf-8", "surrogatepass"), PATH, diagnostics)
    assert entry is not None or diagnostics.errors
    node = load_yaml(text.encode("utf-8", "surrogatepass"), PATH, Diagnostics())
    assert node is None or isinstance(node, YMap)
