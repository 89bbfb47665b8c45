"""The bibliography's data: entries as parsed, and the items a citation cluster is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Location

#: CSL locator labels a :class:`CiteItem` may carry (the content format's ``label`` values).
LOCATOR_LABELS = ("page", "note", "section", "paragraph", "chapter")


@dataclass
class BibEntry:
    """One successfully parsed BibTeX entry.

    Attributes:
        key: the citation key as written (``troitskiy2020``).
        entry_type: the BibTeX type, lowercase (``article``).
        fields: field name (lowercase) -> display Unicode (LaTeX decoded, macros and
            ``crossref`` resolved). Verbatim fields (``url``, ``doi``...) are kept as written.
        location: where the entry starts (``bibliography/seed.bib:12:1``).
        csl: the CSL-JSON item (``id`` = key) handed to citeproc-js.
        raw_bibtex: the entry exactly as written in the file.
        cited_in: the parsed ``citedin`` field: ``(seed_key, locator or None)`` pairs.
        latex_fields: field name -> value with LaTeX kept, macros and ``crossref`` resolved
            (what the BibTeX exporter writes).
    """

    key: str
    entry_type: str
    fields: dict[str, str]
    location: Location
    csl: dict[str, Any]
    raw_bibtex: str
    cited_in: list[tuple[str, str | None]] = field(default_factory=list)
    latex_fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Bibliography:
    """Every successfully parsed entry of every ``.bib`` file, by key, in file order."""

    entries: dict[str, BibEntry] = field(default_factory=dict)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __getitem__(self, key: str) -> BibEntry:
        return self.entries[key]

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class CiteItem:
    """One cited source inside an in-text citation cluster.

    Attributes:
        key: the BibTeX key.
        locator: where in the source (``"28"``, a section title...), or ``None``.
        label: the locator's CSL label: one of :data:`LOCATOR_LABELS`; ``None`` means page.
        prefix: text before the item inside the cluster (``"see"``).
        suffix: text after the item.
        suppress_author: leave the author out (``-@key`` in Pandoc syntax).
    """

    key: str
    locator: str | None = None
    label: str | None = None
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False

    def to_csl(self) -> dict[str, Any]:
        """The citation item as citeproc-js reads it."""
        item: dict[str, Any] = {"id": self.key}
        if self.locator:
            item["locator"] = self.locator
            item["label"] = self.label or "page"
        if self.prefix:
            item["prefix"] = self.prefix if self.prefix.endswith(" ") else self.prefix + " "
        if self.suffix:
            item["suffix"] = self.suffix
        if self.suppress_author:
            item["suppress-author"] = True
        return item
