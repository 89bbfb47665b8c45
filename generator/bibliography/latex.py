"""LaTeX in BibTeX field values, decoded to Unicode for display and to CSL-JSON rich text.

Two outputs from one walk of pylatexenc's node tree:

* :func:`latex_to_text` gives plain Unicode (accents, ``--``/``---`` dashes, ``{\\ss}``, ``\\&``),
  for :attr:`BibEntry.fields` and exporters that want plain text (RIS).
* :func:`latex_to_rich` gives CSL-JSON rich text, the HTML-like subset citeproc-js reads:
  ``\\emph{}``/``\\textit{}`` become ``<i>``, ``\\textbf{}`` ``<b>``, ``\\textsc{}`` small caps,
  and a brace group that protects capitals (``{CIS}``) becomes ``<span class="nocase">`` so
  that a style's title-casing or sentence-casing leaves it alone. A group that starts with an
  accent or symbol macro (``{\\"o}``, ``{\\ss}``) is BibTeX's "special character" and is not
  protected; ``{\\emph{Izvestia}}`` is.

Neither function raises: pylatexenc runs in tolerant mode, and unbalanced input still
decodes to its best reading (the parser reports unbalanced braces separately).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latex2text import get_default_latex_context_db as _text_context_db
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexSpecialsNode,
    LatexWalker,
)
from pylatexenc.latexwalker import get_default_latex_context_db as _walker_context_db
from pylatexenc.macrospec import MacroSpec

_ITALIC = {"emph", "textit", "textsl", "mkbibemph", "itshape", "it", "em"}
_BOLD = {"textbf", "mkbibbold", "bf", "bfseries"}
_SMALL_CAPS = {"textsc", "scshape"}
_SUPERSCRIPT = {"textsuperscript", "mkbibsuperscript"}
_SUBSCRIPT = {"textsubscript"}
_VERBATIM_ARG = {"url", "href", "path", "nolinkurl"}
_FORMATTING = _ITALIC | _BOLD | _SMALL_CAPS | {"mkbibquote"}
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")  # not \s: it would eat ~ (no-break space)

# Macros biblatex users write that pylatexenc does not know: declared so that their
# argument is parsed as an argument (``21\textsuperscript{st}``), not as a protected group.
_BIBTEX_MACROS = sorted(_SUPERSCRIPT | _SUBSCRIPT | {"mkbibemph", "mkbibbold", "mkbibquote", "textsc"})
_WALKER_CONTEXT = _walker_context_db().filter_context()
_WALKER_CONTEXT.add_context_category(
    "bibtex", prepend=True, macros=[MacroSpec(name, "{") for name in _BIBTEX_MACROS]
)
_TEXT_CONTEXT = _text_context_db().filter_context()
_l2t = LatexNodes2Text(latex_context=_TEXT_CONTEXT, math_mode="verbatim", strict_latex_spaces=False)


def _nodes(value: str) -> list[LatexNode]:
    walker = LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    return nodes or []


def _args(node: LatexMacroNode) -> list[LatexNode]:
    if node.nodeargd is None:
        return []
    return [arg for arg in node.nodeargd.argnlist if arg is not None]


def _arg_nodes(arg: LatexNode) -> list[LatexNode]:
    return list(arg.nodelist) if isinstance(arg, LatexGroupNode) else [arg]


class _Walker:
    """Turns a node list into text; ``rich`` switches CSL rich-text markup on."""

    def __init__(self, rich: bool, protect: bool) -> None:
        self.rich = rich
        self.protect = protect

    def text(self, nodes: list[LatexNode], depth: int = 0) -> str:
        return "".join(self.node(node, depth) for node in nodes)

    def escape(self, text: str) -> str:
        # citeproc-js reads rich text literally (it escapes ``&`` and a stray ``<`` itself and
        # decodes no entities), so text is passed through as it is.
        return text

    def wrap(self, open_tag: str, close_tag: str, inner: str) -> str:
        return f"{open_tag}{inner}{close_tag}" if self.rich and inner else inner

    def node(self, node: LatexNode, depth: int) -> str:
        if isinstance(node, LatexCommentNode):
            return ""
        if isinstance(node, LatexCharsNode):
            return self.escape(node.chars)
        if isinstance(node, LatexGroupNode):
            return self.group(node, depth)
        if isinstance(node, LatexMacroNode):
            return self.macro(node, depth)
        if isinstance(node, (LatexSpecialsNode, LatexMathNode)):
            return self.escape(_l2t.nodelist_to_text([node]))
        return self.escape(node.latex_verbatim())

    def group(self, node: LatexGroupNode, depth: int) -> str:
        children = list(node.nodelist)
        inner = self.text(children, depth + 1)
        special_character = (
            bool(children)
            and isinstance(children[0], LatexMacroNode)
            and children[0].macroname not in _FORMATTING
        )
        if depth == 0 and self.protect and not special_character:
            return self.wrap('<span class="nocase">', "</span>", inner)
        return inner

    def macro(self, node: LatexMacroNode, depth: int) -> str:
        name = node.macroname
        args = _args(node)
        if name in _VERBATIM_ARG and args:
            return self.escape(_strip_braces(args[0].latex_verbatim()))
        markup = (
            ("<i>", "</i>") if name in _ITALIC
            else ("<b>", "</b>") if name in _BOLD
            else ('<span style="font-variant:small-caps;">', "</span>") if name in _SMALL_CAPS
            else ("<sup>", "</sup>") if name in _SUPERSCRIPT
            else ("<sub>", "</sub>") if name in _SUBSCRIPT
            else None
        )
        if name == "mkbibquote":
            inner = "".join(self.text(_arg_nodes(arg), depth + 1) for arg in args)
            return f"“{inner}”"
        if markup is not None:
            inner = "".join(self.text(_arg_nodes(arg), depth + 1) for arg in args)
            return self.wrap(*markup, inner)
        return self.escape(_l2t.nodelist_to_text([node]))


def _strip_braces(text: str) -> str:
    return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def _normalise_space(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


_LATEX_SYNTAX = re.compile(r"[\\{}$~%&#^_]|--|``|''|[!?]`")


def _is_plain(value: str) -> bool:
    """True when pylatexenc would return the text unchanged (most titles): skip the slow parse."""
    return _LATEX_SYNTAX.search(value) is None


@lru_cache(maxsize=65536)
def latex_to_text(value: str) -> str:
    """Plain Unicode for display: ``M\\"{u}ller -- {CIS}`` -> ``Müller – CIS``."""
    if _is_plain(value):
        return _normalise_space(value)
    return _normalise_space(_Walker(rich=False, protect=False).text(_nodes(value)))


@lru_cache(maxsize=65536)
def latex_to_rich(value: str, protect: bool = True) -> str:
    """CSL-JSON rich text: ``\\emph{x} {CIS}`` -> ``<i>x</i> <span class="nocase">CIS</span>``.

    Args:
        value: the field value without its outer delimiters.
        protect: mark top-level brace groups as ``nocase`` (titles); off for names and numbers.
    """
    if _is_plain(value):
        return _normalise_space(value)
    return _normalise_space(_Walker(rich=True, protect=protect).text(_nodes(value)))


def strip_outer_braces(value: str) -> str:
    """``{a} {b}`` stays as it is; ``{whole}`` becomes ``whole`` (URLs, DOIs: no LaTeX decoding)."""
    return _strip_braces(value.strip())
