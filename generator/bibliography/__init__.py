"""The bibliography: ``bibliography/*.bib`` parsed, converted to CSL-JSON, formatted by citeproc-js.

Public API (the rest of the generator imports only these)::

    bib = load_bibliography(paths, root, diagnostics)
    fmt = CitationFormatter(bib, styles=["chicago-author-date", "apa"], cache_dir=Path(".cache/citations"))
    result = fmt.format(clusters, reference_keys)
    source_slug(key); to_bibtex(entry); to_ris(entry); to_csl_json(entry)
"""

from generator.bibliography.csl import ENTRY_TYPES, to_csl
from generator.bibliography.export import to_bibtex, to_csl_json, to_ris
from generator.bibliography.formatter import DEFAULT_STYLES, CitationFormatter, FormattedCitations
from generator.bibliography.latex import latex_to_rich, latex_to_text
from generator.bibliography.model import LOCATOR_LABELS, BibEntry, Bibliography, CiteItem
from generator.bibliography.parse import MAX_FIELD_CHARS, MAX_FILE_BYTES, load_bibliography
from generator.bibliography.slug import source_slug

__all__ = [
    "DEFAULT_STYLES",
    "ENTRY_TYPES",
    "LOCATOR_LABELS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "BibEntry",
    "Bibliography",
    "CitationFormatter",
    "CiteItem",
    "FormattedCitations",
    "latex_to_rich",
    "latex_to_text",
    "load_bibliography",
    "source_slug",
    "to_bibtex",
    "to_csl",
    "to_csl_json",
    "to_ris",
]
