""""Cite this page": each entry page as a citable web source.

Every entry page becomes a CSL ``webpage`` item (title, the site as container, its
permanent URL, the date of its last change, the site's edition) formatted by the
same CSL engine and styles as the bibliography, and a BibTeX ``@online`` entry.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from pylatexenc.latexencode import UnicodeToLatexEncoder

from markupsafe import Markup

from .bibliography import Bibliography, BibEntry, to_bibtex
from .citations import sanitise_reference

_LATEX = UnicodeToLatexEncoder(non_ascii_only=False, unknown_char_policy="keep", replacement_latex_protection="braces-all")


def page_key(entry: Any) -> str:
    """The citation key of an entry page (``companion-organisations-csto``)."""
    return f"companion-{entry.type.url_prefix}-{entry.id}"


_ASCII_TO_LATEX = {code: _LATEX.unicode_to_latex(chr(code)) for code in range(0x20, 0x7F)}
"""Printable ASCII only: control characters have no LaTeX form and are kept, as the encoder keeps them."""


def _latex(text: str) -> str:
    """LaTeX-escape ASCII specials (``{ } & % # _ \\``); other characters stay Unicode for biblatex."""
    return text.translate(_ASCII_TO_LATEX)


def page_bibliography(entries: Iterable[Any], site_name: str, site_url: str, edition: str | None,
                      updated: dict[str, _dt.date]) -> Bibliography:
    """A bibliography holding one web-page item per entry page."""
    bib = Bibliography()
    for entry in entries:
        key = page_key(entry)
        url = f"{site_url}{entry.url}" if site_url else entry.url
        csl: dict[str, Any] = {
            "id": key, "type": "webpage", "title": entry.name, "container-title": site_name, "URL": url,
        }
        latex = {"title": "{" + _latex(entry.name) + "}", "organization": _latex(site_name), "url": url}
        date = updated.get(entry.path)
        if date is not None:
            csl["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
            latex["date"] = date.isoformat()
        if edition:
            csl["version"] = edition
            latex["version"] = _latex(edition)
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

    from .bibliography.engine import style_path
    from .cache_files import write_atomically

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
