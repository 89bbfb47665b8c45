"""Escaping contributed text for the contexts our pages put it in.

Generated pages are Markdown that also holds HTML blocks, so one value may land in
Markdown inline text, an HTML element, an HTML attribute or a table cell. The
:func:`text` escaper writes every ASCII punctuation character as a numeric
character reference: inert in all four contexts (Markdown does not parse syntax
inside character references, HTML decodes them back to the same characters).
"""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.I)
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,;")
_TABLE: dict[int, str] = {}
for _code in range(128):
    _char = chr(_code)
    if _char not in _SAFE:
        _TABLE[_code] = f"&#{_code};"
for _code in (0x2028, 0x2029, 0x85):
    _TABLE[_code] = " "
_TABLE[ord("\n")] = " "
_TABLE[ord("\r")] = " "
_TABLE[ord("\t")] = " "


def text(value: object) -> Markup:
    """Escape any value for Markdown or HTML text and quoted attributes."""
    if isinstance(value, Markup):
        return value
    return Markup(str(value).translate(_TABLE))


def json_for_script(value: object) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block: cannot close the element."""
    dumped = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None)
    dumped = dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    dumped = dumped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(dumped)


def yaml_string(value: object) -> Markup:
    """A double-quoted YAML scalar (JSON is valid YAML) holding HTML-safe text.

    MkDocs themes print ``page.title`` and ``page.meta`` without escaping, so the
    value is HTML-escaped first.
    """
    escaped = str(value).translate({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;",
                                    ord('"'): "&quot;", ord("'"): "&#39;", ord("\n"): " ", ord("\r"): " "})
    return Markup(json.dumps(escaped, ensure_ascii=False))


def yaml_string_raw(value: object) -> Markup:
    """A double-quoted YAML scalar holding ``value`` unchanged (for script-safe JSON)."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def pre_text(value: object) -> Markup:
    """Escape text for a ``<pre>`` block, keeping its line breaks."""
    return Markup(html.escape(str(value), quote=True))


def md_trusted(value: object) -> Markup:
    """Developer-written Markdown (docstrings of our own declarations) for a table cell."""
    return Markup(str(value).replace("|", "\\|").replace("\n", " "))


def trusted(value: object) -> Markup:
    """Text a template has already built (and escaped) itself, captured with ``self.block()``."""
    return Markup(str(value))


_QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’"}


def unquoted(value: object) -> str:
    """A quotation without the quotation marks around it (``<q>`` adds them once)."""
    text = str(value).strip()
    if len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        return text[1:-1]
    return text


_CODE_SPAN_SAFE = re.compile(r"^[A-Za-z0-9_.\-/<>:]+$")


def md_code(value: object) -> Markup:
    """A Markdown code span showing ``value`` as written (``alias.collision``, ``other_names``).

    Inside a code span a character reference is shown as typed, so :func:`text`'s
    escaping would print ``alias&#46;collision``. Only identifiers our own
    declarations define are expected here; anything else falls back to :func:`text`.
    """
    shown = str(value)
    if not _CODE_SPAN_SAFE.match(shown):
        return Markup("<code>") + text(shown) + Markup("</code>")
    return Markup(f"`{shown}`")


def safe_url(value: object) -> bool:
    """Whether a URL may be linked: only absolute http(s) URLs are."""
    return bool(_SAFE_URL.match(str(value)))
