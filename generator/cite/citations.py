"""The citation stage: every citation of the site, formatted in one pass.

Year suffixes (2011a, 2011b) depend on every work cited anywhere, so the stage
collects each citation cluster of the whole site first: each ``sources`` list in
entry fields and each Pandoc citation in prose. It hands them to the formatter
once, then answers the renderer's questions: the HTML of a cluster, an entry's
reference list, and which entries cite a source ("cited on").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol

from markupsafe import Markup

from generator.diagnostics import Diagnostics, Location
from generator.render.escaping import text as escape_text
from generator.schema.fields import CiteKey
from generator.load.loader import Entry
from generator.render.prose import MARKDOWN_INERT, Cluster, CiteRef, sanitise


class Formatted(Protocol):
    """What a formatter returns (see :class:`generator.bibliography.FormattedCitations`)."""

    clusters: list[str]
    references: dict[str, dict[str, str]]
    bibliography_order: dict[str, list[str]]


class Formatter(Protocol):
    """The formatting engine the stage plugs into."""

    styles: list[str]

    def format(self, clusters: list[list[Any]], reference_keys: list[str]) -> Formatted: ...


@dataclass(frozen=True)
class Citing:
    """One place that cites a source: the entry and the locators it gives."""

    entry: Entry
    locators: tuple[str, ...]


@dataclass(frozen=True)
class Passage:
    """One cited place in a source (all locators that share an anchor), with who cites it.

    Attributes:
        anchor: the element id on the source page (:func:`passage_anchor`).
        locator: the locator as readers see it (``p. 12``, ``sec. Taking stock``).
        citing: (entry, the quotations that entry gives from this place), by entry name.
    """

    anchor: str
    locator: str
    citing: tuple[tuple[Entry, tuple[str, ...]], ...]


_ANCHOR_JUNK = re.compile(r"[^\w]+")


def passage_anchor(locator_text: str) -> str:
    """The id of a cited place on its source page (``p. 12`` -> ``at-p-12``); a function of the text only.

    Locators that differ only in case or punctuation share an anchor (and one item on the page).
    """
    return "at-" + (_ANCHOR_JUNK.sub("-", locator_text.lower()).strip("-") or "x")


def _walk_sources(value: Any) -> Iterator[list[dict]]:
    """Every ``sources`` list (a list of source records) inside checked entry data."""
    if isinstance(value, dict):
        for name, inner in value.items():
            if name == "sources" and isinstance(inner, list):
                yield inner
            else:
                yield from _walk_sources(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk_sources(inner)


def _natural(text: str) -> tuple:
    """Sort key that orders numbers by value (``p. 9`` before ``p. 10``)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.split(r"(\d+)", text) if part)


_SHORT_LABELS = {"page": "p.", "note": "n.", "section": "sec.", "paragraph": "para.", "chapter": "chap."}


def _locator_text(locator: str | None, label: str | None) -> str:
    if not locator:
        return ""
    return f"{_SHORT_LABELS.get(label or 'page', '')} {locator}".strip()


class SiteCitations:
    """Collects, formats and serves every citation of the site.

    Args:
        site: the linked :class:`generator.load.linker.Site`.
        bibliography: the parsed bibliography (``key in bibliography``, ``bibliography[key].csl``).
        formatter: the engine; ``None`` renders citations as plain keys (``check`` only).
        item_factory: builds the formatter's cite item from (key, locator, label, prefix, suffix, suppress).
        source_url: the site URL of a source's page (``sources/<slug>/``).
    """

    def __init__(self, site: Any, bibliography: Any, formatter: Formatter | None,
                 item_factory: Callable[..., Any], source_url: Callable[[str], str]) -> None:
        self.site = site
        self.bibliography = bibliography
        self.formatter = formatter
        self.item_factory = item_factory
        self.source_url = source_url
        self._clusters: list[list[Any]] = []
        self._index: dict[tuple, int] = {}
        self._by_source: dict[int, int] = {}
        self._by_prose_cluster: dict[int, list[int]] = {}
        self._entry_keys: dict[int, list[str]] = defaultdict(list)
        self.cited_on: dict[str, list[Citing]] = {}
        self.passages: dict[str, list[Passage]] = {}
        self._inner: dict[int, str] = {}
        self.formatted: Formatted | None = None

    def _register(self, key: str, locator: str | None = None, label: str | None = None, prefix: str = "",
                  suffix: str = "", suppress: bool = False) -> int:
        """The index of the one-item cluster citing ``key`` so; made (by ``item_factory``) on first use."""
        signature = ((key, locator, label, prefix, suffix, suppress),)
        index = self._index.get(signature)
        if index is None:
            index = self._index[signature] = len(self._clusters)
            self._clusters.append([self.item_factory(key, locator, label, prefix, suffix, suppress)])
        return index

    def collect(self) -> None:
        """Find every citation of every entry (fields first, then prose)."""
        citing: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        # key -> anchor -> [locator texts], {entry id: [quotes]}
        places: dict[str, dict[str, tuple[list[str], dict[str, list[str]]]]] = defaultdict(dict)
        anchors: dict[str, str] = {}  # locator text -> passage_anchor(locator text)
        known = self.bibliography.__contains__

        def note_place(key: str, entry: Entry, locator_text: str, quote: str | None) -> None:
            if not locator_text:
                return
            anchor = anchors.get(locator_text)
            if anchor is None:
                anchor = anchors[locator_text] = passage_anchor(locator_text)
            texts, by_entry = places[key].setdefault(anchor, ([], {}))
            if locator_text not in texts:
                texts.append(locator_text)
            quotes = by_entry.setdefault(entry.id, [])
            if quote and quote not in quotes:
                quotes.append(quote)

        for entry in self.site.entries:
            for sources in _walk_sources(entry.data):
                for source in sources:
                    key = source["key"].key
                    if not known(key):
                        continue
                    locator, label = source.get("locator"), source.get("label")
                    self._by_source[id(source)] = self._register(key, locator, label)
                    locator_text = _locator_text(locator, label)
                    citing[key][entry.id].add(locator_text)
                    note_place(key, entry, locator_text, source.get("quote"))
                    self._note_key(entry, key)
            for scanned in self.site.prose_of(entry):
                for cluster in scanned.clusters:
                    indexes = []
                    for ref in cluster.items:
                        if not known(ref.key):
                            continue
                        indexes.append(self._register(ref.key, ref.locator, ref.label, "", "",
                                                      True if cluster.in_text else ref.suppress_author))
                        locator_text = _locator_text(ref.locator, ref.label)
                        citing[ref.key][entry.id].add(locator_text)
                        note_place(ref.key, entry, locator_text, None)
                        self._note_key(entry, ref.key)
                    self._by_prose_cluster[id(cluster)] = indexes
        by_id = self.site.by_id
        names: dict[str, str] = {}  # entry id -> its name in lower case, the order of "cited on" lists

        def by_name(pair: tuple[str, Any]) -> str:
            name = names.get(pair[0])
            if name is None:
                name = names[pair[0]] = by_id[pair[0]].name.lower()
            return name

        self.cited_on = {
            key: [Citing(by_id[eid], tuple(sorted(l for l in locs if l)))
                  for eid, locs in sorted(per_entry.items(), key=by_name)]
            for key, per_entry in citing.items()
        }
        self.passages = {
            key: sorted(
                (Passage(anchor, " / ".join(texts), tuple(
                    (by_id[eid], tuple(quotes)) for eid, quotes in sorted(by_entry.items(), key=by_name)))
                 for anchor, (texts, by_entry) in per_anchor.items()),
                key=lambda passage: _natural(passage.locator))
            for key, per_anchor in places.items()
        }

    def _note_key(self, entry: Entry, key: str) -> None:
        keys = self._entry_keys[id(entry)]
        if key not in keys:
            keys.append(key)

    def format(self, extra_keys: list[str]) -> None:
        """Format every collected cluster and every reference in one engine run."""
        if self.formatter is None:
            return
        self.formatted = self.formatter.format(self._clusters, sorted(set(extra_keys)))

    def cache_state(self) -> tuple[Any, ...]:
        """Everything about the site's citations that a page's text can depend on.

        Every cluster (by signature, in order) and the engine's output for all of them: a
        citation's text can change when another page cites (year suffixes, name forms).
        """
        return tuple(self._index), self.formatted

    # -- answers for the renderer ------------------------------------------------

    def _item_html(self, index: int) -> str:
        if self.formatted is None:
            items = self._clusters[index]
            return "(" + "; ".join(escape_text(f"{i.key} {_locator_text(i.locator, i.label)}".strip())
                                   for i in items) + ")"
        return self.formatted.clusters[index]

    def _linked(self, index: int, page: Any) -> str:
        item = self._clusters[index][0]
        key = item.key
        href = page_relative(page.url, self.source_url(key))
        locator_text = _locator_text(item.locator, item.label)
        if locator_text:
            href += "#" + passage_anchor(locator_text)
        inner = self._inner.get(index)
        if inner is None:
            # Citations also land in Markdown lines (lists, table cells) that MkDocs parses again:
            # make the engine's text inert for Markdown as well as sanitised HTML.
            inner = _strip_parens(sanitise(self._item_html(index))).translate(MARKDOWN_INERT)
            self._inner[index] = inner
        locator_attr = f' data-locator="{escape_text(locator_text)}"' if locator_text else ""
        return f'<a class="citation" href="{href}" data-cite="{escape_text(key)}"{locator_attr}>{inner}</a>'

    def _join(self, indexes: list[int], page: Any, prefix: str = "", suffix: str = "", bare: bool = False) -> Markup:
        if not indexes:
            return Markup("")
        inner = "; ".join(self._linked(i, page) for i in indexes)
        if bare:
            return Markup(f'<span class="citation-cluster">{inner}</span>')
        return Markup(f'<span class="citation-cluster">({escape_text(prefix)}{" " if prefix else ""}'
                      f'{inner}{escape_text(suffix)})</span>')

    def sources_html(self, sources: list[dict], page: Any, bare: bool = False) -> Markup:
        """The in-text citation of a ``sources`` list, each work linked to its page.

        ``bare`` leaves out the parentheses (for a list of passages under their reference).
        """
        return self._join([self._by_source[id(s)] for s in sources if id(s) in self._by_source], page, bare=bare)

    def cluster_html_for(self, page: Any) -> Callable[[Cluster], str]:
        """A function rendering a prose citation cluster on ``page``."""
        def render(cluster: Cluster) -> str:
            indexes = self._by_prose_cluster.get(id(cluster), [])
            if cluster.in_text and indexes:
                key = cluster.items[0].key
                author = escape_text(_author_label(self.bibliography[key].csl))
                return f"{author} {self._join(indexes, page)}"
            prefix = cluster.items[0].prefix if cluster.items else ""
            suffix = cluster.items[-1].suffix if cluster.items else ""
            if suffix and not suffix.startswith(","):
                suffix = " " + suffix
            return str(self._join(indexes, page, prefix, suffix))
        return render

    def keys_of(self, entry: Entry) -> list[str]:
        """Keys an entry cites, in the default style's bibliography order."""
        keys = self._entry_keys.get(id(entry), [])
        if self.formatted is None:
            return sorted(keys)
        order = self.formatted.bibliography_order.get(self.default_style, [])
        rank = {k: i for i, k in enumerate(order)}
        return sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))

    def keys_in_order(self) -> list[str]:
        """Every bibliography key, sorted as the default style sorts its bibliography."""
        keys = list(self.bibliography.entries)
        if self.formatted is None:
            return sorted(keys)
        rank = {k: i for i, k in enumerate(self.formatted.bibliography_order.get(self.default_style, []))}
        return sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))

    @property
    def styles(self) -> list[str]:
        """Configured style ids (none when citations are not formatted)."""
        return list(self.formatter.styles) if self.formatter else []

    @property
    def default_style(self) -> str:
        return self.formatter.styles[0] if self.formatter else ""

    def reference_html(self, key: str, style: str | None = None, *, searchable: bool = True) -> Markup:
        """A formatted reference (``<div class="csl-entry" data-csl-style=...>``).

        ``searchable=False`` marks it ``data-search-exclude``: an entry page's reference list
        repeats what the source pages already make searchable. (Each reference is marked, not
        the list: Material's search leaves an excluded ``div`` at its first inner ``</div>``.)
        """
        style = style or self.default_style
        if self.formatted is None or key not in self.formatted.references.get(style, {}):
            html = f'<div class="csl-entry">{escape_text(key)}</div>'
        else:
            html = sanitise_reference(self.formatted.references[style][key])
        if not searchable and html.startswith("<div "):
            html = "<div data-search-exclude " + html[len("<div "):]
        return Markup(html)


_TAG = re.compile(r"(<[^>]*>)")
_BARE_URL = re.compile(r"https?://[^\s<>\"']+?(?=[.,;:)\]]*(?:\s|$))")


def link_urls(html: str) -> str:
    """Make the URLs and DOI addresses written out in a formatted reference links (outside ``<a>``)."""
    out, inside_link = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            if part.startswith("<a ") or part == "<a>":
                inside_link += 1
            elif part == "</a>":
                inside_link = max(0, inside_link - 1)
            out.append(part)
        elif inside_link or "http" not in part:
            out.append(part)
        else:
            out.append(_BARE_URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', part))
    return "".join(out)


def sanitise_reference(html: str) -> str:
    """Keep the engine's ``csl-entry`` wrapper and its style attribute while sanitising; URLs become links."""
    import nh3

    return link_urls(nh3.clean(
        html,
        tags={"div", "i", "b", "span", "sup", "sub", "a", "em", "strong"},
        attributes={"div": {"class", "data-csl-style"}, "span": {"class", "style"}, "a": {"href"}},
        url_schemes={"http", "https"}, link_rel="noopener noreferrer",
        filter_style_properties={"font-variant", "font-style", "font-weight"},
    ))


def _strip_parens(html: str) -> str:
    html = html.strip()
    if html.startswith("(") and html.endswith(")"):
        return html[1:-1]
    return html


def _author_label(csl: dict) -> str:
    names = csl.get("author") or csl.get("editor") or []
    if not names:
        return csl.get("title", csl.get("id", ""))[:60]
    first = names[0]
    label = first.get("family") or first.get("literal") or ""
    if len(names) == 2:
        label += " and " + (names[1].get("family") or names[1].get("literal") or "")
    elif len(names) > 2:
        label += " et al."
    return label


def page_relative(from_url: str, to_url: str) -> str:
    from generator.render.renderer import relative_url

    return relative_url(from_url, to_url)


__all__ = ["Citing", "SiteCitations", "page_relative", "sanitise_reference"]
