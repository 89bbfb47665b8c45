"""Prose: entry links and Pandoc citations found where they are written; hostile text rendered inert."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from generator.diagnostics import Location
from generator.schema.fields import Prose
from generator.render.prose import Cluster, EntryLink, ScannedProse, parse_locator, plain_text, render, scan

PATH = "content/concepts/x.yaml"


def prose(text: str, line: int = 10, column: int = 3, literal: bool = True) -> Prose:
    return Prose(text, Location(PATH, line, column), literal)


def clusters(text: str) -> list[list[tuple]]:
    """Each cluster as a list of (key, locator, label, prefix, suffix, suppress_author)."""
    return [[(i.key, i.locator, i.label, i.prefix, i.suffix, i.suppress_author) for i in c.items]
            for c in scan(prose(text)).clusters]


# -- locators --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("p. 12", ("12", "page", "")),
        ("pp. 3-5", ("3-5", "page", "")),
        ("12", ("12", "page", "")),
        ("n. 3", ("3", "note", "")),
        ("fn 3", ("3", "note", "")),
        ("sec. Conclusions", ("Conclusions", "section", "")),
        ("§ 4", ("4", "section", "")),
        ("para. 4", ("4", "paragraph", "")),
        ("¶ 4", ("4", "paragraph", "")),
        ("chap. 2", ("2", "chapter", "")),
        ("210, emphasis added", ("210", "page", ", emphasis added")),
        ("emphasis added", (None, None, ", emphasis added")),
        ("", (None, None, "")),
    ],
)
def test_parse_locator(text: str, expected: tuple) -> None:
    assert parse_locator(text) == expected


# -- citations -------------------------------------------------------------------------------------------


def test_bracketed_cluster_with_prefix_locator_and_two_works() -> None:
    assert clusters("As argued [see @a, p. 12; @b].") == [
        [("a", "12", "page", "see", "", False), ("b", None, None, "", "", False)]]


@pytest.mark.parametrize(
    ("text", "locator", "label"),
    [("[@a, n. 3]", "3", "note"), ("[@a, sec. Conclusions / Part one]", "Conclusions / Part one", "section"),
     ("[@a, para. 4]", "4", "paragraph"), ("[@a, chap. 2]", "2", "chapter"), ("[@a, 28]", "28", "page")],
)
def test_locator_labels(text: str, locator: str, label: str) -> None:
    assert clusters(text) == [[("a", locator, label, "", "", False)]]


def test_in_text_and_suppressed_author() -> None:
    scanned = scan(prose("@smith2001 says so, as Smith -@smith2001 and [-@jones2010, n. 4] agree."))
    assert [(c.in_text, c.items[0].key, c.items[0].suppress_author) for c in scanned.clusters] == [
        (True, "smith2001", False), (True, "smith2001", True), (False, "jones2010", True)]
    assert scanned.clusters[2].items[0].locator == "4"


@pytest.mark.parametrize("text", ["mail x@example.com", "a\\@b", "[text](http://a.org/@user)", "@", "[@]",
                                  "user.name@host"])
def test_things_that_are_not_citations(text: str) -> None:
    assert clusters(text) == []


def test_keys_with_punctuation_inside() -> None:
    assert [c[0][0] for c in clusters("[@doe:2001.a] and @van-der-berg_1999.")] == ["doe:2001.a", "van-der-berg_1999"]


def test_citation_positions_in_a_literal_block() -> None:
    scanned = scan(prose("First line\nthen [see @a, p. 2; @b] and @c.", line=10, column=3))
    items = [i for c in scanned.clusters for i in c.items]
    assert [(i.key, i.location.line, i.location.column) for i in items] == [
        ("a", 11, 13), ("b", 11, 23), ("c", 11, 31)]


def test_citation_positions_without_exact_mapping_are_the_value_start() -> None:
    scanned = scan(prose("a\nb [@key]", literal=False))
    assert scanned.clusters[0].items[0].location == Location(PATH, 10, 3)


# -- entry links -----------------------------------------------------------------------------------------


def test_wiki_links_with_and_without_text_and_their_positions() -> None:
    scanned = scan(prose("See [[csto]] and\nthe [[cst|Treaty of 1992]], not [[ eeu ]]."))
    assert [(l.target, l.text, l.location.line, l.location.column) for l in scanned.links] == [
        ("csto", None, 10, 9), ("cst", "Treaty of 1992", 11, 9), ("eeu", None, 11, 37)]
    first = scanned.links[0]
    assert scanned.prose.text[first.start:first.end] == "[[csto]]"


def test_empty_link_text_falls_back_to_the_entry_name() -> None:
    assert scan(prose("[[csto|]]")).links[0].text is None


def test_a_link_is_not_read_as_a_citation() -> None:
    scanned = scan(prose("[[csto]] [@a]"))
    assert len(scanned.links) == 1 and len(scanned.clusters) == 1


# -- rendering -------------------------------------------------------------------------------------------


def link_html(link: EntryLink) -> str:
    return f'<a href="../../x/{link.target}/">{link.text or link.target}</a>'


def cluster_html(cluster: Cluster) -> str:
    return '<span class="citation-cluster">(' + "; ".join(i.key for i in cluster.items) + ")</span>"


def rendered(text: str, inline: bool = False) -> str:
    return str(render(scan(prose(text)), link_html, cluster_html, inline=inline))


def test_render_links_citations_and_headings() -> None:
    html = rendered("# Title\n\nSee [[csto|the Organisation]] [@a, p. 3].")
    assert html == ('<h3>Title</h3>\n<p>See <a href="../../x/csto/" rel="noopener noreferrer">the Organisation</a> '
                    '<span class="citation-cluster">(a)</span>.</p>')


def test_inline_render_has_no_paragraph_and_no_line_breaks() -> None:
    assert rendered("one *two*\nthree", inline=True) == "one <em>two</em> three"


def test_placeholder_lookalike_in_contributed_text_stays_text() -> None:
    assert "QCITEPLACEHOLDER000009Q" in rendered("x QCITEPLACEHOLDER000009Q y")


def test_plain_text_keeps_link_text_and_drops_citations() -> None:
    scanned = scan(prose("See [[csto|the Organisation]] [@a, p. 3] and @b.\nMore."))
    assert plain_text(scanned, lambda l: l.text or l.target) == "See the Organisation and . More."


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\u0000script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "\\[x\\](javascript:alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x](https://example.org "onmouseover=alert(1)")',
    "*x*{: onclick=alert(1)}",
    "Paragraph\n{: onclick=\"alert(1)\" }",
    "# Heading {: onmouseover=alert(1) }",
    "{{ config.extra }} and {% include 'secret' %} and {# comment #}",
    "`{{ code }}` and `<script>`",
    "```\n<script>alert(1)</script>\n{: onclick=x}\n```",
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    "<div onclick=alert(1)>x</div>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "[[csto|<script>alert(1)</script>]]",
    "[see <img src=x onerror=alert(1)> @a]",
    "::: os.system",
    "*[HTML]: <script>alert(1)</script>",
]


class Inspector(HTMLParser):
    """Collects everything that could execute: tags, event attributes, URL schemes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "svg", "math", "form", "img", "frame", "base",
                  "link", "meta"}


def assert_inert(html: str) -> None:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    assert not DANGEROUS_TAGS & set(inspector.tags), html
    for name, value in inspector.attributes:
        assert not name.startswith("on"), html
        if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
            scheme = "".join(value.split()).lower()
            assert not scheme.startswith(("javascript:", "data:", "vbscript:")), html
    for syntax in ("{{", "{%", "{#", "{:"):
        assert syntax not in html, html


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("inline", [False, True])
def test_hostile_prose_renders_inert(text: str, inline: bool) -> None:
    assert_inert(rendered(text, inline=inline))


MKDOCS_EXTENSIONS = ["abbr", "admonition", "attr_list", "tables", "toc", "pymdownx.superfences"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_inline_prose_stays_inert_when_mkdocs_parses_the_page(text: str) -> None:
    """Inline prose lands in a Markdown list item; MkDocs parses that line again."""
    page = f"- [Kazakhstan](../kaz/): {rendered(text, inline=True)}\n- next item\n"
    assert_inert(markdown.markdown(page, extensions=MKDOCS_EXTENSIONS))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_block_prose_stays_inert_when_mkdocs_parses_the_page(text: str) -> None:
    page = f'## Body\n\n<div class="prose">\n{rendered(text)}\n</div>\n\nafter\n'
    assert_inert(markdown.markdown(page, extensions=MKDOCS_EXTENSIONS))


def test_text_that_only_looks_hostile_is_still_shown() -> None:
    html = rendered("Use <b> tags & {{ braces }}")
    assert "&lt;b&gt;" in html and "&amp;" in html and "&#123;&#123; braces &#125;&#125;" in html


def test_scanned_prose_is_a_plain_dataclass() -> None:
    scanned = ScannedProse(prose("x"))
    assert scanned.links == [] and scanned.clusters == []


@pytest.mark.parametrize("text", ["`@decorator` in code", "``a @b c``", "see https://t.me/@channel", "mailto:@x"])
def test_at_signs_in_code_and_urls_are_not_citations(text: str) -> None:
    assert clusters(text) == []


def test_in_text_citation_next_to_code_is_still_found() -> None:
    assert [c[0][0] for c in clusters("`x` @a and `y`")] == ["a"]
