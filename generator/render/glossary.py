"""Glossary annotations: abbreviation tooltips and first-mention links to concepts.

Works on HTML that has already been rendered and sanitised (prose) and on the
Markdown of generated pages (through Python-Markdown's ``abbr`` definitions). Only
text between tags is touched, never tags, attributes, links or code, and every
inserted value is escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from markupsafe import Markup

_TAG = re.compile(r"(<[^>]+>)")
_SKIP_INSIDE = {"a", "code", "pre", "abbr", "h3", "h4", "h5", "h6"}
_MARKDOWN_ABBR_UNSAFE = re.compile(r"[\[\]\\*_`<>&\n]")


@dataclass
class Glossary:
    """Every abbreviation and concept name of the site, compiled once.

    Attributes:
        abbreviations: abbreviation text -> expansion (e.g. "ОДКБ" -> "Collective Security Treaty Organization").
        terms: lowercased concept name or synonym -> concept id.
    """

    abbreviations: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._abbr_re = _alternation(self.abbreviations, flags=0)
        self._term_re = _alternation(self.terms, flags=re.IGNORECASE)

    def abbreviations_in(self, text: str) -> list[str]:
        """Abbreviations occurring in ``text``, sorted (for per-page ``abbr`` definitions)."""
        if self._abbr_re is None:
            return []
        return sorted({m.group(0) for m in self._abbr_re.finditer(text)})

    def markdown_definitions(self, text: str) -> str:
        """Python-Markdown ``*[ABBR]: expansion`` lines for the abbreviations used in ``text``."""
        lines = []
        for abbr in self.abbreviations_in(text):
            expansion = self.abbreviations[abbr]
            if _MARKDOWN_ABBR_UNSAFE.search(abbr) or _MARKDOWN_ABBR_UNSAFE.search(expansion):
                continue
            lines.append(f"*[{abbr}]: {expansion}")
        return "\n".join(lines)

    def annotate_html(self, fragment: str, concept_href: Callable[[str], str | None],
                      linked: set[str], self_id: str | None = None, abbreviations: bool = True) -> Markup:
        """Wrap abbreviations in ``<abbr title>`` and link the first mention of each concept.

        ``linked`` holds concept ids already linked on the page (updated in place), so
        only a term's first mention on a page becomes a link. ``abbreviations=False``
        leaves abbreviations to Python-Markdown's ``abbr`` (HTML that MkDocs parses again
        as Markdown would otherwise be marked twice).
        """
        out: list[str] = []
        stack: list[str] = []
        for piece in _TAG.split(fragment):
            if not piece:
                continue
            if piece.startswith("<"):
                name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
                if name:
                    tag = name.group(1).lower()
                    if piece.startswith("</"):
                        if tag in stack:
                            while stack and stack.pop() != tag:
                                pass
                    elif not piece.endswith("/>") and tag in _SKIP_INSIDE:
                        stack.append(tag)
                out.append(piece)
                continue
            if stack:
                out.append(piece)
                continue
            out.append(self._annotate_text(piece, concept_href, linked, self_id, abbreviations))
        return Markup("".join(out))

    def _annotate_text(self, text: str, concept_href: Callable[[str], str | None], linked: set[str],
                       self_id: str | None, abbreviations: bool = True) -> str:
        spans: list[tuple[int, int, str]] = []
        if self._term_re is not None:
            for match in self._term_re.finditer(text):
                concept = self.terms[match.group(0).lower()]
                if concept in linked or concept == self_id:
                    continue
                href = concept_href(concept)
                if href is None:
                    continue
                linked.add(concept)
                spans.append((match.start(), match.end(),
                              f'<a class="glossary-term" href="{html.escape(href)}">{match.group(0)}</a>'))
        if self._abbr_re is not None and abbreviations:
            for match in self._abbr_re.finditer(text):
                if any(s < match.end() and match.start() < e for s, e, _ in spans):
                    continue
                title = html.escape(self.abbreviations[match.group(0)], quote=True)
                spans.append((match.start(), match.end(), f'<abbr title="{title}">{match.group(0)}</abbr>'))
        if not spans:
            return text
        spans.sort()
        result, last = [], 0
        for start, end, replacement in spans:
            result.append(text[last:start])
            result.append(replacement)
            last = end
        result.append(text[last:])
        return "".join(result)


def _alternation(words: Iterable[str], flags: int) -> re.Pattern[str] | None:
    """One regex matching any of ``words`` as a whole word, the longest where several fit.

    The words are compiled as a trie (common prefixes factored out), so a position of
    the text is rejected after a character or two however many words there are: a plain
    ``a|b|c...`` alternation tries every word at every position.
    """
    # Words with &, < or > never occur as such in rendered text (they are escaped there).
    ordered = sorted({w for w in words if w.strip() and not set(w) & set("&<>")})
    if not ordered:
        return None
    trie: dict = {}
    for word in ordered:
        node = trie
        for char in (word.lower() if flags & re.IGNORECASE else word):
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(rf"(?<![\w-]){_trie_pattern(trie)}(?![\w-])", flags)


def _trie_pattern(node: dict) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    ends_here = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group


def build_glossary(entries: Iterable[object]) -> Glossary:
    """The site's glossary from its organisations' abbreviations and its concepts' names."""
    abbreviations: dict[str, str] = {}
    terms: dict[str, str] = {}
    for entry in entries:
        type_name = entry.type.name  # type: ignore[attr-defined]
        for abbr in entry.get("abbreviations", []):  # type: ignore[attr-defined]
            text = abbr["text"]
            if len(text) >= 2 and text not in abbreviations:
                abbreviations[text] = entry.name  # type: ignore[attr-defined]
        if type_name == "concept":
            names = [entry.name] + [n["text"] for n in entry.get("other_names", [])]  # type: ignore[attr-defined]
            for name in names:
                if len(name) >= 4:
                    terms.setdefault(name.lower(), entry.id)  # type: ignore[attr-defined]
    return Glossary(abbreviations, terms)
