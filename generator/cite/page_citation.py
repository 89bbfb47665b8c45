""""Cite this page": each entry page as a citable web source.

Every entry page becomes a CSL ``webpage`` item: its title, the site as the container,
the editors the site declares, its permanent address, the date of its last change; on
the living site the access date, in an edition the edition's name and DOI. It is
formatted by the same CSL engine and styles as the bibliography, and given as a BibTeX
``@online`` entry. (The pages' embedded metadata declares Zotero's
``encyclopediaArticle``, see :mod:`generator.render.entry_meta`; for the formatted reference
``webpage`` is kept because Chicago and APA print an unsigned ``entry-encyclopedia``
with the site in the author's place. Both styles leave the access date out when a page
has a date of its own; the BibTeX entry keeps it as ``urldate``.)
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from pylatexenc.latexencode import UnicodeToLatexEncoder

from markupsafe import Markup

from generator.publish.addresses import Addresses
from generator.bibliography import Bibliography, BibEntry, to_bibtex
from generator.cite.citations import sanitise_reference
from generator.site_meta import SiteInfo

_LATEX = UnicodeToLatexEncoder(non_ascii_only=False, unknown_char_policy="keep", replacement_latex_protection="braces-all")


def page_key(entry: Any) -> str:
    """The citation key of an entry page (``companion-organisations-csto``)."""
    return f"companion-{entry.type.url_prefix}-{entry.id}"


_ASCII_TO_LATEX = {code: _LATEX.unicode_to_latex(chr(code)) for code in range(0x20, 0x7F)}
"""Printable ASCII only: control characters have no LaTeX form and are kept, as the encoder keeps them."""


def _latex(text: str) -> str:
    """LaTeX-escape ASCII specials (``{ } & % # _ \\``); other characters stay Unicode for biblatex."""
    return text.translate(_ASCII_TO_LATEX)


def page_bibliography(entries: Iterable[Any], site_name: str, addresses: Addresses, site: SiteInfo,
                      updated: dict[str, _dt.date], build_date: _dt.date | None = None) -> Bibliography:
    """A bibliography holding one web-page item per entry page.

    A page with no committed change yet is dated by ``build_date``; the living site's
    pages are accessed on ``build_date`` (``companion.js`` puts the reader's own day in).
    """
    bib = Bibliography()
    edition = addresses.edition
    editors = [p.csl() for p in site.editors]
    for entry in entries:
        key = page_key(entry)
        url = addresses.page(entry.url) or entry.url
        csl: dict[str, Any] = {
            "id": key, "type": "webpage", "title": entry.name, "container-title": site_name, "URL": url,
        }
        latex = {"title": "{" + _latex(entry.name) + "}", "organization": _latex(site_name), "url": url}
        if editors:
            csl["editor"] = editors
            latex["editor"] = " and ".join("{" + _latex(p.name) + "}" if p.is_organisation else _latex(p.inverted())
                                           for p in site.editors)
        if site.publisher:
            csl["publisher"] = site.publisher
            latex["publisher"] = _latex(site.publisher)
        date = updated.get(entry.path) or build_date
        if date is not None:
            csl["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
            latex["date"] = date.isoformat()
        if site.language:
            csl["language"] = site.language
            latex["langid"] = _latex(site.language)
        if edition:
            csl["version"] = edition
            latex["version"] = _latex(edition)
            doi = site.doi(edition)
            if doi:
                csl["DOI"] = doi
                latex["doi"] = _latex(doi)
        elif build_date is not None:
            csl["accessed"] = {"date-parts": [[build_date.year, build_date.month, build_date.day]]}
            latex["urldate"] = build_date.isoformat()
        bib.entries[key] = BibEntry(key=key, entry_type="online", fields={}, location=entry.location, csl=csl,
                                    raw_bibtex="", latex_fields=latex)
    return bib


class PageCitations:
    """Formatted "cite this page" references, looked up by entry."""

    def __init__(self, bibliography: Bibliography, formatted: Any, styles: list[str]) -> None:
        self.bibliography = bibliography
        self.formatted = formatted
        self.styles = styles

    def html(self, entry: Any, style: str) -> Markup:
        """The page's reference in ``style`` (a ``csl-entry`` div)."""
        key = page_key(entry)
        if self.formatted is None or key not in self.formatted.references.get(style, {}):
            return Markup("")
        return Markup(sanitise_reference(self.formatted.references[style][key]))

    def formatted_text(self, entry: Any, style: str) -> str:
        """What the engine gave for the page's reference in ``style`` (before :meth:`html` sanitises
        it): enough to tell whether the reference changed, at a fraction of the cost."""
        if self.formatted is None:
            return ""
        return self.formatted.references.get(style, {}).get(page_key(entry), "")

    def bibtex(self, entry: Any) -> str:
        """The page as a BibTeX ``@online`` entry."""
        return to_bibtex(self.bibliography.entries[page_key(entry)])


def standalone_styles(styles: list[str], folder: Any) -> dict[str, Any]:
    """Copies of ``styles`` without year-suffix disambiguation, written to ``folder``.

    Each page is cited on its own, so "2026a, 2026b..." across the site's pages would be
    noise: the copies keep everything else of the official style. ``folder`` is in the
    cache: whatever is found there is overwritten unless it is byte for byte the copy,
    and if it cannot be written (``.cache`` is a file, say) the copies go to a new
    temporary folder.
    """
    import tempfile
    from pathlib import Path

    from generator.bibliography.engine import style_path
    from generator.render.cache_files import write_atomically

    copies = {}
    for style in styles:
        xml = style_path(style).read_bytes()
        copies[style] = xml.replace(b'disambiguate-add-year-suffix="true"', b'disambiguate-add-year-suffix="false"')
    for target_folder in (Path(folder), None):
        if target_folder is None:
            target_folder = Path(tempfile.mkdtemp(prefix="companion-styles-"))
        files = {style: target_folder / f"{style}.csl" for style in styles}
        if all(_holds(files[style], copies[style]) or write_atomically(files[style], copies[style])
               for style in styles):
            return files
    raise OSError(f"cannot write the standalone CSL styles to {folder} or a temporary folder")


def _holds(path: Any, data: bytes) -> bool:
    try:
        return path.is_file() and path.read_bytes() == data
    except OSError:
        return False
