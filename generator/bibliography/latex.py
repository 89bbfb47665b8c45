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

Neither function raises: pylatexenc runs in tolerant mode, unbalanced input still decodes to
its best reading (the parser reports unbalanced braces separately), and a value that cannot be
converted (nested deeper than :data:`MAX_NESTING`, or anything pylatexenc fails on) is kept as
written.

:func:`latex_problems` says which values the site cannot convert faithfully, for located
diagnostics. The supported LaTeX is what bibliographies use: accents (``\\"u``, ``\\'{E}``,
``\\v{s}``), the symbol commands pylatexenc knows (``\\ss``, ``\\textendash``, ``\\&``), text
formatting (``\\emph``, ``\\textbf``, ``\\textsc``, ``\\textsuperscript``, ``\\mkbibquote``,
``\\enquote``, ``\\foreignlanguage``...), font switches (``{\\em ...}``), ``\\url``, ``\\href``, math
(kept as written) and comments (kept as written). Any other command (``\\today``, ``\\cite``,
``\\input``, an undefined ``\\noopsort``), an environment (``\\begin{itemize}``), a command without
its argument (``\\emph`` at the end), a non-http address in ``\\url``/``\\href``, and nesting of
braces deeper than :data:`MAX_NESTING` are problems.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latex2text import get_default_latex_context_db as _text_context_db
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexSpecialsNode,
    LatexWalker,
)
from pylatexenc.latexwalker import get_default_latex_context_db as _walker_context_db
from pylatexenc.macrospec import MacroSpec

from generator.bibliography.urls import url_problem

#: Deepest nesting of braces and environments in a field value (``{{{x}}}`` is 3); deeper is an error.
MAX_NESTING = 32

_ITALIC = {"emph", "textit", "textsl", "mkbibemph", "itshape", "it", "em"}
_BOLD = {"textbf", "mkbibbold", "bf", "bfseries"}
_SMALL_CAPS = {"textsc", "scshape"}
_SUPERSCRIPT = {"textsuperscript", "mkbibsuperscript"}
_SUBSCRIPT = {"textsubscript"}
_QUOTE = {"mkbibquote", "enquote"}
_URL_ARG = {"url", "nolinkurl"}
#: Commands whose argument is shown as it is (the walker parses it as text, not as a URL).
_TEXT_ARG = {"textrm", "textsf", "texttt", "textup", "textmd", "textnormal", "textlatin", "mbox", "hbox", "text",
             "NoCaseChange", "nocase"}
#: Font switches and spacing commands: no text of their own (``{\em x}`` keeps ``x``).
_SWITCHES = {"it", "em", "itshape", "bf", "bfseries", "scshape", "sc", "rm", "sf", "tt", "sl", "slshape", "upshape",
             "mdseries", "normalfont", "rmfamily", "sffamily", "ttfamily", "relax", "protect", "noindent", "xspace",
             "allowbreak", "nobreak", "unskip", "/", "@", "hbadness"}
#: Symbol commands pylatexenc does not know.
_EXTRA_SYMBOLS = {"%": "%", "S": "§", "P": "¶", "TeX": "TeX", "LaTeX": "LaTeX", "BibTeX": "BibTeX", "nobreakspace": "\u00a0"}
#: Accent commands: each takes one argument (``\"u``, ``\v{s}``).
_ACCENTS = set("'\"`^~=.uvHcdbkrt")
#: Symbol commands that pylatexenc knows but that have no place in a bibliography value.
_REFUSED_SYMBOLS = {"today", "item", "maketitle", "par", "newpage", "clearpage", "tableofcontents"}
_FORMATTING = _ITALIC | _BOLD | _SMALL_CAPS | _QUOTE | _TEXT_ARG
_FORMAT_FIELD = re.compile(r"%[s(]")  # pylatexenc's replacement texts that take the arguments
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")  # not \s: it would eat ~ (no-break space)

# Macros biblatex users write that pylatexenc does not know: declared so that their
# argument is parsed as an argument (``21\textsuperscript{st}``), not as a protected group.
# ``\href`` is declared so that both its arguments are parsed (pylatexenc's walker does not know it,
# and its text converter would then index arguments that are not there).
_BIBTEX_MACROS = sorted(_SUPERSCRIPT | _SUBSCRIPT | _QUOTE | _TEXT_ARG | {"mkbibemph", "mkbibbold", "textsc"})
_WALKER_CONTEXT = _walker_context_db().filter_context()
_WALKER_CONTEXT.add_context_category(
    "bibtex", prepend=True,
    macros=[MacroSpec(name, "{") for name in _BIBTEX_MACROS]
    + [MacroSpec("href", "[{{"), MacroSpec("foreignlanguage", "[{{"), MacroSpec("url", "{"),
       MacroSpec("nolinkurl", "{")],
)
_TEXT_CONTEXT = _text_context_db().filter_context()
_l2t = LatexNodes2Text(latex_context=_TEXT_CONTEXT, math_mode="verbatim", strict_latex_spaces=False)
_PYLATEXENC_LOG = logging.getLogger("pylatexenc")


class _ConversionLog(logging.Handler):
    """Collects what pylatexenc logs while converting (it logs a failed substitution instead of raising)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@lru_cache(maxsize=4096)
def _parsed(value: str) -> tuple[LatexNode, ...]:
    walker = LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    return tuple(nodes or ())


def _nodes(value: str) -> list[LatexNode]:
    return list(_parsed(value))


def nesting_depth(value: str) -> int:
    """Deepest nesting of ``{``...``}`` and ``\\begin``...``\\end`` in ``value`` (escaped braces do not count)."""
    depth = deepest = 0
    index, length = 0, len(value)
    while index < length:
        char = value[index]
        if char == "\\":
            if value.startswith("begin", index + 1):
                depth += 1
            elif value.startswith("end", index + 1):
                depth = max(depth - 1, 0)
            index += 2
            continue
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth = max(depth - 1, 0)
        deepest = max(deepest, depth)
        index += 1
    return deepest


def _missing_argument(node: LatexMacroNode) -> bool:
    """True when a command that takes a ``{}`` argument was written without it (``\\emph`` at the end)."""
    spec = _WALKER_CONTEXT.get_macro_spec(node.macroname)
    argspec = getattr(getattr(spec, "args_parser", None), "argspec", "") or ""
    if "{" not in argspec:
        return False
    if node.nodeargd is None:
        return True
    return any(arg is None for arg, kind in zip(node.nodeargd.argnlist, node.nodeargd.argspec) if kind == "{")


def _is_symbol(name: str) -> bool:
    """A command pylatexenc replaces by fixed text (``\\ss``, ``\\textendash``) and that takes no argument."""
    if name in _REFUSED_SYMBOLS:
        return False
    spec = _TEXT_CONTEXT.get_macro_spec(name)
    replacement = getattr(spec, "simplify_repl", None)
    if not isinstance(replacement, str) or _FORMAT_FIELD.search(replacement):
        return False
    walker_spec = _WALKER_CONTEXT.get_macro_spec(name)
    return "{" not in (getattr(getattr(walker_spec, "args_parser", None), "argspec", "") or "")


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
            return self.escape(node.latex_verbatim())  # an unescaped % is text, not a comment
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
        if name in _URL_ARG:
            return self.escape(_strip_braces(args[0].latex_verbatim())) if args else ""
        if name in ("href", "foreignlanguage"):
            text = [arg for arg in args if isinstance(arg, LatexGroupNode)]
            return self.text(_arg_nodes(text[-1]), depth + 1) if len(text) == 2 else ""
        if name in _TEXT_ARG:
            return "".join(self.text(_arg_nodes(arg), depth + 1) for arg in args)
        if name in _EXTRA_SYMBOLS:
            return _EXTRA_SYMBOLS[name]
        if name in _SWITCHES:
            return ""
        markup = (
            ("<i>", "</i>") if name in _ITALIC
            else ("<b>", "</b>") if name in _BOLD
            else ('<span style="font-variant:small-caps;">', "</span>") if name in _SMALL_CAPS
            else ("<sup>", "</sup>") if name in _SUPERSCRIPT
            else ("<sub>", "</sub>") if name in _SUBSCRIPT
            else None
        )
        if name in _QUOTE:
            inner = "".join(self.text(_arg_nodes(arg), depth + 1) for arg in args)
            return f"“{inner}”"
        if markup is not None:
            inner = "".join(self.text(_arg_nodes(arg), depth + 1) for arg in args)
            return self.wrap(*markup, inner)
        if name in _ACCENTS or _is_symbol(name):
            return self.escape(_l2t.nodelist_to_text([node]))
        return self.escape(node.latex_verbatim())  # not supported (and reported): kept as written


def _strip_braces(text: str) -> str:
    return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def _normalise_space(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


_LATEX_SYNTAX = re.compile(r"[\\{}$~%&#^_]|--|``|''|[!?]`")


def _is_plain(value: str) -> bool:
    """True when pylatexenc would return the text unchanged (most titles): skip the slow parse."""
    return _LATEX_SYNTAX.search(value) is None


@lru_cache(maxsize=65536)
def _converted(value: str, rich: bool, protect: bool) -> str | None:
    """The conversion, or ``None`` when it is refused (too deep) or pylatexenc fails on the value.

    pylatexenc logs some failures (a replacement that lacks its arguments) instead of
    raising; those count as failures too, so the answer is the same whatever is cached.
    """
    if nesting_depth(value) > MAX_NESTING:
        return None
    log = _ConversionLog()
    _PYLATEXENC_LOG.addHandler(log)
    try:
        text = _normalise_space(_Walker(rich=rich, protect=protect).text(_nodes(value)))
    except Exception:  # noqa: BLE001 - third-party code on contributed text: the caller keeps the text
        return None
    finally:
        _PYLATEXENC_LOG.removeHandler(log)
    return None if log.messages else text


def latex_to_text(value: str) -> str:
    """Plain Unicode for display: ``M\\"{u}ller -- {CIS}`` -> ``Müller – CIS``."""
    if _is_plain(value):
        return _normalise_space(value)
    converted = _converted(value, False, False)
    return _normalise_space(value) if converted is None else converted


def latex_to_rich(value: str, protect: bool = True) -> str:
    """CSL-JSON rich text: ``\\emph{x} {CIS}`` -> ``<i>x</i> <span class="nocase">CIS</span>``.

    Args:
        value: the field value without its outer delimiters.
        protect: mark top-level brace groups as ``nocase`` (titles); off for names and numbers.
    """
    if _is_plain(value):
        return _normalise_space(value)
    converted = _converted(value, True, protect)
    return _normalise_space(value) if converted is None else converted


def strip_outer_braces(value: str) -> str:
    """``{a} {b}`` stays as it is; ``{whole}`` becomes ``whole`` (URLs, DOIs: no LaTeX decoding)."""
    return _strip_braces(value.strip())


@dataclass(frozen=True)
class LatexProblem:
    """Why a field value cannot be converted faithfully: a ``bib.*`` code, a message and a hint."""

    code: str
    message: str
    hint: str


_UNSUPPORTED_HINT = ("write the text itself (any Unicode character may be typed directly); supported are accents, "
                     "symbols, \\emph, \\textbf, \\textsc, \\textsuperscript, \\mkbibquote, \\url and \\href")


def _dropped(value: str, nodes: tuple[LatexNode, ...] | list[LatexNode], start: int, end: int) -> str | None:
    """Text between ``start`` and ``end`` that the tolerant parser skipped (a stray ``\\end{x}`` or ``\\)``)."""
    position = start
    for node in nodes:
        if node.pos > position:
            return value[position:node.pos]
        position = max(position, node.pos + node.len)
        if isinstance(node, LatexGroupNode) and node.len >= 2:
            inner = _dropped(value, node.nodelist, node.pos + 1, node.pos + node.len - 1)
            if inner:
                return inner
    return value[position:end] if position < end else None


def _node_problems(nodes: tuple[LatexNode, ...] | list[LatexNode], found: list[LatexProblem]) -> None:
    for node in nodes:
        if isinstance(node, LatexEnvironmentNode):
            found.append(LatexProblem("bib.latex", f"LaTeX environment '\\begin{{{node.environmentname}}}' is not "
                                      "supported", "write the text without the environment"))
        elif isinstance(node, LatexGroupNode):
            _node_problems(node.nodelist, found)
        elif isinstance(node, LatexMacroNode):
            _macro_problems(node, found)


def _macro_problems(node: LatexMacroNode, found: list[LatexProblem]) -> None:
    name = node.macroname
    supported = (name in _ACCENTS or name in _FORMATTING or name in _SUPERSCRIPT or name in _SUBSCRIPT
                 or name in _URL_ARG or name in ("href", "foreignlanguage", "mkbibemph", "mkbibbold")
                 or name in _SWITCHES or name in _EXTRA_SYMBOLS or _is_symbol(name))
    if not supported:
        found.append(LatexProblem("bib.latex", f"unsupported LaTeX command '\\{name}'", _UNSUPPORTED_HINT))
        return
    if _missing_argument(node):
        example = "\\href{https://...}{text}" if name == "href" else f"\\{name}{{...}}"
        found.append(LatexProblem("bib.latex", f"LaTeX command '\\{name}' has no argument",
                                  f"write its argument in braces: {example}"))
        return
    args = _args(node)
    if name in _URL_ARG or name == "href":
        groups = [arg for arg in args if isinstance(arg, LatexGroupNode)]
        address = _strip_braces(groups[0].latex_verbatim()) if groups else ""
        problem = url_problem(address)
        if problem:
            found.append(LatexProblem("bib.url", f"\\{name}: {problem}",
                                      "link only to http(s) addresses; write a DOI in the doi field"))
    for arg in args:
        if name in _URL_ARG or (name == "href" and arg is args[0]):
            continue
        _node_problems(_arg_nodes(arg), found)


def latex_problems(value: str) -> list[LatexProblem]:
    """Everything in a field value (LaTeX, macros resolved) that the site cannot convert faithfully.

    An empty list means :func:`latex_to_text` and :func:`latex_to_rich` convert ``value`` as
    written; otherwise each problem is reported and the field is left out.
    """
    if _is_plain(value):
        return []
    depth = nesting_depth(value)
    if depth > MAX_NESTING:
        return [LatexProblem("bib.too-deep", f"braces and environments nested {depth} levels deep; the limit is "
                             f"{MAX_NESTING}", "remove the extra braces: one pair protects a word from case changes")]
    found: list[LatexProblem] = []
    try:
        nodes = _parsed(value)
        _node_problems(nodes, found)
        skipped = _dropped(value, nodes, 0, len(value))
        if skipped and not found:
            found.append(LatexProblem("bib.latex", f"cannot read '{skipped.strip()[:40]}' (a closing command or "
                                      "brace without its opening?)", "remove it, or add what it closes"))
        if not found and (_converted(value, False, False) is None or _converted(value, True, True) is None):
            found.append(LatexProblem("bib.latex", "cannot convert the LaTeX", _UNSUPPORTED_HINT))
    except Exception as exc:  # noqa: BLE001 - pylatexenc is third-party code: report, never crash
        found.append(LatexProblem("bib.latex", f"cannot read the LaTeX ({type(exc).__name__})", _UNSUPPORTED_HINT))
    return found
