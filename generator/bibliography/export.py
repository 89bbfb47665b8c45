"""Exporters: BibTeX, RIS and CSL-JSON, for one entry or a whole bibliography.

* :func:`to_bibtex` writes normalised BibTeX: lowercase type and field names, every value in
  braces with its LaTeX kept, macros expanded and ``crossref`` resolved (the entry stands
  alone), internal fields (``citedin``) left out. Parsing the output again gives the same entry.
* :func:`to_ris` writes RIS (``TAG  - value`` lines, ending ``ER  - ``), plain Unicode text.
* :func:`to_csl_json` writes the CSL-JSON items citeproc-js formats.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from generator.bibliography.model import BibEntry, Bibliography

#: Fields never exported: resolved away (``crossref``) or internal to the site (``citedin``).
NOT_EXPORTED = frozenset({"crossref", "citedin"})

_RIS_TYPES = {
    "article-journal": "JOUR", "article-newspaper": "NEWS", "article-magazine": "MGZN",
    "periodical": "JFULL", "book": "BOOK", "chapter": "CHAP", "paper-conference": "CPAPER",
    "report": "RPRT", "thesis": "THES", "webpage": "ELEC", "legislation": "STAT",
    "legal_case": "CASE", "manuscript": "MANSCPT", "pamphlet": "PAMP", "entry-encyclopedia": "ENCYC",
    "dataset": "DATA", "software": "COMP", "patent": "PAT",
    # A work of no more specific type. RIS's GEN would be right, but Zotero reads GEN as a
    # journal article; AGGR is the one RIS type Zotero reads as its generic "document".
    "document": "AGGR",
}
#: The types Zotero reads ``CY`` as the place for; others read ``C1`` (conference papers).
_RIS_PLACE_IN_C1 = frozenset({"paper-conference"})
_NOCASE = re.compile(r'<span class="nocase">(.*?)</span>', re.S)
_RICH_TEXT_FIELDS = frozenset({"title", "container-title", "collection-title", "original-title", "title-short"})
_EMPHASIS = re.compile(r"\\(?:emph|textit)\{")
_PLAIN_BIBTEX_FIELDS = frozenset({"howpublished", "note", "annotation", "addendum"})
"""Fields reference managers keep as plain text (Zotero's Extra and notes): no emphasis commands there."""
_TAGS = re.compile(r"<[^>]+>")

Entries = BibEntry | Bibliography | Iterable[BibEntry]


def _entries(source: Entries) -> list[BibEntry]:
    if isinstance(source, BibEntry):
        return [source]
    if isinstance(source, Bibliography):
        return list(source.entries.values())
    return list(source)


def _bibtex_value(name: str, value: str) -> str:
    """A field's LaTeX for export: ``\\emph{x}`` becomes ``{x}`` in plain-text fields and
    ``\\textit{x}`` elsewhere (which Zotero's BibTeX importer reads as italics, ``\\emph`` not)."""
    if name in _PLAIN_BIBTEX_FIELDS:
        return _EMPHASIS.sub("{", value)
    return _EMPHASIS.sub(lambda m: "\\textit{", value)


def entry_to_bibtex(entry: BibEntry) -> str:
    """One entry as normalised BibTeX (see the module docstring)."""
    lines = [f"@{entry.entry_type}{{{entry.key},"]
    for name, value in entry.latex_fields.items():
        if name in NOT_EXPORTED:
            continue
        lines.append(f"  {name} = {{{_bibtex_value(name, value)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_bibtex(source: Entries) -> str:
    """BibTeX for one entry, a :class:`Bibliography`, or any iterable of entries (blank line between)."""
    return "\n".join(entry_to_bibtex(entry) for entry in _entries(source))


def _plain(rich: str) -> str:
    return _TAGS.sub("", rich)


def _ris_date(date: dict[str, Any] | None, full: bool) -> str | None:
    if not date or not date.get("date-parts"):
        return str(date["literal"]) if date and date.get("literal") else None
    parts = list(date["date-parts"][0])
    if not full:
        return f"{parts[0]:04d}"
    padded = [f"{parts[0]:04d}"] + [f"{part:02d}" for part in parts[1:]]
    return "/".join(padded + [""] * (3 - len(padded))) + "/"


def _ris_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    rest = [p for p in (name.get("given"), name.get("suffix")) if p]
    return ", ".join([family] + rest)


def entry_to_ris(entry: BibEntry) -> str:
    """One entry as an RIS record."""
    csl = entry.csl
    lines: list[tuple[str, str]] = [("TY", _RIS_TYPES.get(csl["type"], "GEN"))]
    lines += [("AU", _ris_name(name)) for name in csl.get("author", [])]
    lines += [("ED", _ris_name(name)) for name in csl.get("editor", [])]
    for tag, value in (("PY", _ris_date(csl.get("issued"), full=False)),
                       ("DA", _ris_date(csl.get("issued"), full=True))):
        if value:
            lines.append((tag, value))
    if csl.get("title"):
        lines.append(("TI", _plain(csl["title"])))
    if csl.get("container-title"):
        lines.append(("T2", _plain(csl["container-title"])))
    if csl.get("event-title") and not csl.get("container-title"):
        lines.append(("T2", _plain(csl["event-title"])))  # the conference's name
    if csl.get("collection-title"):
        lines.append(("T3", _plain(csl["collection-title"])))
    if csl.get("genre"):
        lines.append(("M3", _plain(csl["genre"])))
    place = csl.get("publisher-place") or csl.get("event-place")
    for tag, value in (("VL", csl.get("volume")), ("IS", csl.get("issue")), ("ET", csl.get("edition")),
                       ("PB", csl.get("publisher")),
                       ("C1" if csl["type"] in _RIS_PLACE_IN_C1 else "CY", place),
                       ("LA", csl.get("language")), ("SN", csl.get("ISBN")), ("SN", csl.get("ISSN")),
                       ("DO", csl.get("DOI")), ("UR", csl.get("URL"))):
        if value:
            lines.append((tag, _plain(str(value))))
    if csl.get("page"):
        start, _, end = str(csl["page"]).partition("-")
        lines.append(("SP", start.strip()))
        if end.strip():
            lines.append(("EP", end.strip()))
    accessed = _ris_date(csl.get("accessed"), full=True)
    if accessed:
        lines.append(("Y2", accessed))
    lines.append(("ID", entry.key))
    text = "".join(f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines)
    return text + "ER  - \n"


def to_ris(source: Entries) -> str:
    """RIS for one entry, a :class:`Bibliography`, or any iterable of entries."""
    return "\n".join(entry_to_ris(entry) for entry in _entries(source))


def portable_csl(csl: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON item as other programs import it: no ``<span class="nocase">`` (a citeproc-js
    extension that Zotero keeps as literal text), and markup left only in title fields."""
    def clean(name: str, value: Any) -> Any:
        if isinstance(value, str):
            value = _NOCASE.sub(r"\1", value)
            return value if name in _RICH_TEXT_FIELDS else _plain(value)
        if isinstance(value, list):
            return [clean(name, v) for v in value]
        if isinstance(value, dict):
            return {k: clean(k, v) for k, v in value.items()}
        return value

    return {name: clean(name, value) for name, value in csl.items()}


def to_csl_json(source: Entries) -> str:
    """CSL-JSON (:func:`portable_csl`): an object for one entry, a list for a bibliography or an iterable."""
    if isinstance(source, BibEntry):
        return json.dumps(portable_csl(source.csl), ensure_ascii=False, indent=2)
    return json.dumps([portable_csl(entry.csl) for entry in _entries(source)], ensure_ascii=False, indent=2)
