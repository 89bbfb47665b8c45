"""Which addresses a ``.bib`` file may give: http(s) URLs, DOIs as DOIs, identifiers as identifiers.

A URL from the bibliography ends up as a link on the source page, in ``citation_public_url``,
in the JSON-LD and in the exports, so only absolute ``http``/``https`` URLs with a host are
accepted, whatever their case or surrounding whitespace: ``javascript:``, ``data:``,
``vbscript:``, scheme-relative ``//host`` and relative addresses are refused.

* ``url`` (and ``pdf``): an http(s) URL.
* ``doi``: a DOI (``10.1234/abc``), bare or written ``doi:...`` or ``https://doi.org/...``.
* ``eprint``: an identifier (``2101.00001``, ``arXiv:2101.00001``, ``hdl:...``) or an http(s) URL;
  anything else that has a URL scheme is refused.
* The address in ``\\url{...}``, ``\\nolinkurl{...}`` and ``\\href{...}{...}`` in any field:
  an http(s) URL (checked by :mod:`generator.bibliography.latex`).

Each check returns ``None`` when the value is accepted, else the reason, for a ``bib.url`` or
``bib.doi`` diagnostic.
"""

from __future__ import annotations

import re

#: Fields whose whole value is a URL.
URL_FIELDS = frozenset({"url", "pdf"})

_HTTP_URL = re.compile(r"^https?://[^\s<>\"'`/?#\\]+(?:[/?#][^\s<>\"'`]*)?$", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/[^\s\"'`\\]+$")  # printable; no quotes or backslashes
#: ``prefix:`` forms of eprint identifiers that are not URL schemes.
_IDENTIFIER_PREFIXES = frozenset({"arxiv", "hdl", "doi", "urn", "pmid", "pmcid", "pmc", "jstor", "isbn", "issn",
                                  "oai", "ark", "ssrn", "repec"})


def _shown(value: str) -> str:
    text = " ".join(value.split())
    return text if len(text) <= 80 else text[:77] + "..."


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) URL, or ``None`` when it is one."""
    text = value.strip()
    if _HTTP_URL.match(text):
        return None
    if text.startswith("//"):
        return f"'{_shown(text)}' is a scheme-relative address; write it with https://"
    scheme = _SCHEME.match(text)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return f"'{_shown(text)}' has the scheme '{scheme.group(1).lower()}:'; only http and https are linked"
    return f"'{_shown(text)}' is not an absolute http(s) URL with a host"


def doi_problem(value: str) -> str | None:
    """Why ``value`` is not a DOI, or ``None`` when it is one (bare, ``doi:`` or a doi.org URL)."""
    text = _DOI_PREFIX.sub("", value.strip())
    if _DOI.match(text):
        return None
    return f"'{_shown(value.strip())}' is not a DOI (10.<registrant>/<suffix>)"


def eprint_problem(value: str) -> str | None:
    """Why ``value`` is neither an eprint identifier nor an http(s) URL, or ``None``."""
    text = value.strip()
    scheme = _SCHEME.match(text)
    if text.startswith("//") or (scheme and scheme.group(1).lower() not in _IDENTIFIER_PREFIXES):
        return url_problem(text)
    return None
