"""Contributed Markdown: entry links, Pandoc citations, and safe HTML.

Prose is handled in two passes so that citations can be formatted for the whole
site at once (year suffixes such as 2011a/2011b depend on every citation):

1. :func:`scan` finds ``[[id]]`` / ``[[id|text]]`` links and Pandoc citations
   (``[see @a, p. 12; @b]``, ``@key`` in running text) with their file positions.
2. :func:`render` turns the prose into HTML with markdown-it (raw HTML disabled,
   so it shows as text), substitutes links and formatted citations, and passes the
   result through the nh3 sanitiser. Contributed text never becomes live markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from generator.diagnostics import Location
from generator.schema.fields import Prose

_KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"
WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
BRACKET_CLUSTER = re.compile(r"(?<!\\)\[(?P<body>[^\[\]\n]*?-?@" + _KEY + r"[^\[\]\n]*)\](?![(\[:])")
IN_TEXT = re.compile(r"(?<![\w@.\\/:])(?P<minus>-?)@(?P<key>" + _KEY + r")")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_ITEM = re.compile(r"^(?P<prefix>.*?)(?P<minus>-?)@(?P<key>" + _KEY + r")(?P<rest>.*)$", re.S)
_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page",
    "n": "note", "nn": "note", "note": "note", "notes": "note", "fn": "note",
    "sec": "section", "secs": "section", "section": "section", "sections": "section", "§": "section",
    "para": "paragraph", "paras": "paragraph", "paragraph": "paragraph", "¶": "paragraph",
    "ch": "chapter", "chap": "chapter", "chapter": "chapter", "chaps": "chapter",
}
_LOCATOR = re.compile(r"^\s*(?P<label>[A-Za-z§¶]+)\.?\s*(?P<value>.+?)\s*$", re.S)
PLACEHOLDER = "QCITEPLACEHOLDER{:06d}Q"
_PLACEHOLDER_RE = re.compile(r"QCITEPLACEHOLDER(\d{6})Q")


@dataclass(frozen=True)
class CiteRef:
    """One cited work inside a cluster, as written by the contributor."""

    key: str
    location: Location
    locator: str | None = None
    label: str | None = None
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Cluster:
    """One citation: ``[see @a, p. 1; @b]`` (parenthetical) or ``@a`` (in running text)."""

    items: tuple[CiteRef, ...]
    in_text: bool
    start: int
    end: int


@dataclass(frozen=True)
class EntryLink:
    """An ``[[id]]`` or ``[[id|text]]`` link."""

    target: str
    text: str | None
    location: Location
    start: int
    end: int


@dataclass
class ScannedProse:
    """Prose with its links and citation clusters located."""

    prose: Prose
    links: list[EntryLink] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)


def parse_locator(text: str) -> tuple[str | None, str | None, str]:
    """Split ``"p. 210"`` into ``("210", "page", "")``; ``"210, emphasis added"`` keeps a suffix.

    A bare number is a page, as in Pandoc. Returns (locator, label, suffix).
    """
    head, sep, tail = text.partition(",")
    suffix = (sep + tail) if sep else ""
    head = head.strip()
    if not head:
        return None, None, suffix
    match = _LOCATOR.match(head)
    if match and match.group("label").lower() in _LABELS:
        return match.group("value"), _LABELS[match.group("label").lower()], suffix
    if head[0].isdigit():
        return head, "page", suffix
    return None, None, ", " + text.strip()


def _cluster_items(body: str, prose: Prose, body_start: int) -> tuple[CiteRef, ...] | None:
    items: list[CiteRef] = []
    offset = body_start
    for part in body.split(";"):
        match = _ITEM.match(part)
        if match is None:
            return None
        locator, label, suffix = None, None, ""
        rest = match.group("rest")
        if rest.strip().startswith(","):
            locator, label, suffix = parse_locator(rest.strip()[1:])
        elif rest.strip():
            suffix = rest.rstrip()
        items.append(CiteRef(
            key=match.group("key"),
            location=prose.position(offset + match.start("minus")),
            locator=locator, label=label, prefix=match.group("prefix").strip(), suffix=suffix.strip(),
            suppress_author=bool(match.group("minus")),
        ))
        offset += len(part) + 1
    return tuple(items)


def scan(prose: Prose) -> ScannedProse:
    """Locate every entry link and citation in ``prose``."""
    result = ScannedProse(prose)
    text = prose.text
    taken: list[tuple[int, int]] = []
    for match in WIKI_LINK.finditer(text):
        target = match.group(1).strip()
        label = match.group(2).strip() if match.group(2) is not None else None
        result.links.append(EntryLink(target, label or None, prose.position(match.start() + 2), match.start(), match.end()))
        taken.append((match.start(), match.end()))
    for match in BRACKET_CLUSTER.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        items = _cluster_items(match.group("body"), prose, match.start("body"))
        if items:
            result.clusters.append(Cluster(items, False, match.start(), match.end()))
            taken.append((match.start(), match.end()))
    # "@name" in code (`@decorator`) or in a URL (https://x.org/@name) is not a citation.
    code = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text)]
    for match in IN_TEXT.finditer(text):
        if any(s <= match.start() < e for s, e in taken + code):
            continue
        ref = CiteRef(match.group("key"), prose.position(match.start()), suppress_author=bool(match.group("minus")))
        result.clusters.append(Cluster((ref,), True, match.start(), match.end()))
    result.clusters.sort(key=lambda c: c.start)
    return result


_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(["table", "strikethrough"])
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "data-cite", "data-locator"}, "abbr": {"title"}, "span": {"class"}, "div": {"class"},
    "th": {"style"}, "td": {"style"},
}


_TEMPLATE_SYNTAX = {ord("{"): "&#123;", ord("}"): "&#125;"}
_MARKDOWN_SYNTAX = {**_TEMPLATE_SYNTAX, **{ord(c): f"&#{ord(c)};" for c in "[]*_`\\~^|"}}
"""Characters written as references in rendered prose.

Inline prose lands in a Markdown line of the generated page (a list item), which
MkDocs parses again: there a literal ``[x](javascript:...)`` or ``{: onclick=...}``
left by markdown-it would become a live link or attribute. Character references
are inert for Markdown and decode to the same characters in HTML (also inside
attribute values), so replacing them everywhere in the sanitised HTML is safe.
Block prose sits in a raw ``<div>`` that MkDocs does not parse; only template
syntax is neutralised there."""


MARKDOWN_INERT = _MARKDOWN_SYNTAX
"""Translation table making sanitised HTML text inert when a Markdown parser reads it again."""


def sanitise(html: str) -> str:
    """Remove anything that is not plain, inert document markup."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer", strip_comments=True,
        filter_style_properties={"text-align"},
    )


def _shift_headings(html: str) -> str:
    """Prose headings sit under the page's own h2 sections: # becomes h3."""
    def shift(match: re.Match[str]) -> str:
        level = min(int(match.group(2)) + 2, 6)
        return f"<{match.group(1)}h{level}>"
    return re.sub(r"<(/?)h([1-6])>", shift, html)


def render(
    scanned: ScannedProse,
    link_html: Callable[[EntryLink], str],
    cluster_html: Callable[[Cluster], str],
    inline: bool = False,
) -> Markup:
    """Render scanned prose to sanitised HTML.

    ``link_html`` and ``cluster_html`` return trusted HTML for a link and for a
    formatted citation; both are still passed through the sanitiser.
    """
    text = scanned.prose.text
    pieces: list[str] = []
    replacements: list[str] = []
    last = 0
    spans = sorted([(l.start, l.end, l) for l in scanned.links] + [(c.start, c.end, c) for c in scanned.clusters],
                   key=lambda s: s[0])
    for start, end, item in spans:
        pieces.append(text[last:start])
        replacements.append(link_html(item) if isinstance(item, EntryLink) else cluster_html(item))
        pieces.append(PLACEHOLDER.format(len(replacements) - 1))
        last = end
    pieces.append(text[last:])
    source = "".join(pieces)
    html = _MD.renderInline(source) if inline else _MD.render(source)
    # Contributed text may itself contain something shaped like a placeholder: leave it as text.
    html = _PLACEHOLDER_RE.sub(
        lambda m: replacements[int(m.group(1))] if int(m.group(1)) < len(replacements) else m.group(0), html)
    html = _shift_headings(html)
    html = sanitise(html).strip()
    if inline:
        # A line break could end the list item and start a Markdown block (a heading, a fence).
        html = " ".join(html.splitlines())
        return Markup(html.translate(_MARKDOWN_SYNTAX))
    return Markup(html.translate(_TEMPLATE_SYNTAX))


def plain_text(scanned: ScannedProse, link_text: Callable[[EntryLink], str]) -> str:
    """The prose as plain text (for descriptions and search); citations dropped."""
    text = scanned.prose.text
    spans = sorted([(l.start, l.end, link_text(l)) for l in scanned.links]
                   + [(c.start, c.end, "") for c in scanned.clusters], key=lambda s: s[0])
    out, last = [], 0
    for start, end, replacement in spans:
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return " ".join("".join(out).split())


def escape_html(text: str) -> Markup:
    """HTML-escape contributed text."""
    return escape(text)
