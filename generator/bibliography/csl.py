"""BibTeX entry -> CSL-JSON item (the input citeproc-js formats).

Each BibTeX type is declared once in :data:`ENTRY_TYPES`: its CSL type and which field
becomes the ``container-title``. Rules worth knowing:

* Titles are CSL rich text: ``\\emph{}`` -> ``<i>``, ``{CIS}`` -> ``<span class="nocase">``.
  ``subtitle`` is joined with ": "; ``titleaddon`` (our English translation of a Russian
  title, written ``[...]``) is appended with a space, so every style prints
  ``Missiia Rossii v 21 veke [Russia's mission in the 21st century]``.
* ``langid``/``language`` become a BCP 47 ``language``; citeproc-js title-cases only
  English (or unmarked) items, so a transliterated Russian title keeps its own casing.
* A name wrapped in braces (``{Eurasian Economic Commission}``) is an institution: a
  CSL ``literal`` name. ``and others`` is dropped (styles add "et al." themselves).
* ``year``/``month``/``day`` or biblatex ``date`` (``2020-05-01``, ``1996/1999``) -> ``issued``;
  ``urldate`` -> ``accessed``. A year that is not a number (``forthcoming``) is a literal date.
* ``@article`` with ``entrysubtype = {newspaper}`` (or ``magazine``) is a newspaper article.
* ``note`` is not converted: our notes are editorial, no configured style prints CSL ``note``,
  and citeproc-js would read ``name: value`` lines in it as extra variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from generator.bibliography.latex import latex_to_rich, latex_to_text, strip_outer_braces


@dataclass(frozen=True)
class EntryType:
    """How one BibTeX entry type maps to CSL.

    Attributes:
        csl_type: the CSL item type.
        container: BibTeX fields tried in order for CSL ``container-title``.
        publisher: BibTeX fields tried in order for CSL ``publisher``.
        genre_from: a BibTeX field that describes what the item is (CSL ``genre``).
    """

    csl_type: str
    container: tuple[str, ...] = ()
    publisher: tuple[str, ...] = ("publisher",)
    genre_from: str = "type"


_PERIODICAL = ("journaltitle", "journal")
_BOOK = ("booktitle", "maintitle")

#: Every BibTeX/biblatex entry type the site accepts; any other type is an error.
ENTRY_TYPES: dict[str, EntryType] = {
    "article": EntryType("article-journal", _PERIODICAL),
    "periodical": EntryType("periodical", _PERIODICAL),
    "book": EntryType("book", ("maintitle",)),
    "mvbook": EntryType("book"),
    "booklet": EntryType("pamphlet", (), ("publisher", "howpublished")),
    "collection": EntryType("book", ("maintitle",)),
    "proceedings": EntryType("book", ("maintitle",), ("publisher", "organization")),
    "inbook": EntryType("chapter", _BOOK),
    "incollection": EntryType("chapter", _BOOK),
    "inreference": EntryType("entry-encyclopedia", _BOOK),
    "reference": EntryType("book"),
    "inproceedings": EntryType("paper-conference", _BOOK, ("publisher", "organization")),
    "conference": EntryType("paper-conference", _BOOK, ("publisher", "organization")),
    "manual": EntryType("report", (), ("organization", "publisher")),
    "report": EntryType("report", ("series",), ("institution", "publisher")),
    "techreport": EntryType("report", ("series",), ("institution", "publisher")),
    "thesis": EntryType("thesis", (), ("institution", "school", "publisher")),
    "phdthesis": EntryType("thesis", (), ("school", "institution", "publisher")),
    "mastersthesis": EntryType("thesis", (), ("school", "institution", "publisher")),
    "online": EntryType("webpage", ("organization", "maintitle", "journaltitle")),
    "electronic": EntryType("webpage", ("organization", "journaltitle")),
    "www": EntryType("webpage", ("organization", "journaltitle")),
    "webpage": EntryType("webpage", ("organization", "journaltitle")),
    "legislation": EntryType("legislation", ("journaltitle", "booktitle")),
    "legal": EntryType("legislation", ("journaltitle", "booktitle")),
    "law": EntryType("legislation", ("journaltitle", "booktitle")),
    "treaty": EntryType("treaty", ("journaltitle", "booktitle")),
    "jurisdiction": EntryType("legal_case", ("journaltitle",)),
    "unpublished": EntryType("manuscript", ("booktitle",), ("institution", "publisher"), "howpublished"),
    "manuscript": EntryType("manuscript", ("booktitle",), ("institution", "publisher"), "howpublished"),
    "speech": EntryType("speech", ("booktitle",)),
    "interview": EntryType("interview", _PERIODICAL),
    "dataset": EntryType("dataset", (), ("publisher", "organization")),
    "software": EntryType("software", (), ("publisher", "organization")),
    "patent": EntryType("patent"),
    "misc": EntryType("document", ("journaltitle", "booktitle"), ("publisher", "organization", "howpublished")),
}

_ARTICLE_SUBTYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}

#: Fields copied as written (no LaTeX decoding): identifiers and addresses.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "isbn", "issn", "urldate", "date", "pdf"})

NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator", "bookauthor": "container-author"}

_LANGUAGES = {
    "russian": "ru", "english": "en", "american": "en-US", "british": "en-GB", "german": "de",
    "ngerman": "de", "french": "fr", "ukrainian": "uk", "kazakh": "kk", "belarusian": "be",
    "chinese": "zh", "spanish": "es", "italian": "it", "polish": "pl", "armenian": "hy",
    "georgian": "ka", "uzbek": "uz", "kyrgyz": "ky", "tajik": "tg", "turkish": "tr",
}
_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"^(\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")

#: Simple one-to-one fields: BibTeX name -> CSL variable (plain text unless in _RICH_FIELDS).
_SIMPLE_FIELDS = {
    "volume": "volume", "edition": "edition", "isbn": "ISBN", "issn": "ISSN",
    "abstract": "abstract", "pagetotal": "number-of-pages", "volumes": "number-of-volumes",
    "eventtitle": "event-title", "venue": "event-place", "pubstate": "status",
    "version": "version", "shorttitle": "title-short", "chapter": "chapter-number",
    "origtitle": "original-title",
}
_RICH_FIELDS = {"abstract", "eventtitle", "shorttitle", "origtitle"}

Problem = Callable[[str, str], None]
"""Reports a conversion problem: ``(field name, message)``."""


def parse_month(value: str) -> int | None:
    """``jan``, ``January``, ``1`` -> 1; anything else -> ``None``."""
    text = value.strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTHS.get(text)


def language_code(value: str) -> str | None:
    """``russian`` -> ``ru``; a BCP 47 code is kept; unknown -> ``None``."""
    text = value.strip()
    if text.lower() in _LANGUAGES:
        return _LANGUAGES[text.lower()]
    return text if _LANG_CODE.match(text) else None


def csl_names(value: str) -> list[dict[str, str]]:
    """BibTeX name list (LaTeX) -> CSL names; ``{Institution}`` -> ``{"literal": ...}``."""
    names: list[dict[str, str]] = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if not raw or raw.lower() in ("others", "and"):
            continue
        if raw.startswith("{") and raw.endswith("}") and _balanced(raw[1:-1]):
            names.append({"literal": latex_to_text(raw[1:-1])})
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        name: dict[str, str] = {}
        if parts.last:
            name["family"] = latex_to_text(" ".join(parts.last))
        if parts.first:
            name["given"] = latex_to_text(" ".join(parts.first))
        if parts.von:
            name["non-dropping-particle"] = latex_to_text(" ".join(parts.von))
        if parts.jr:
            name["suffix"] = latex_to_text(" ".join(parts.jr))
        if name:
            names.append(name)
    return names


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _date_parts(text: str) -> list[int] | None:
    match = _ISO_DATE.match(text.strip())
    if not match:
        return None
    parts = [int(group) for group in match.groups() if group is not None]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return parts


def csl_date(value: str) -> dict[str, Any] | None:
    """ISO-like date or range -> CSL date; else ``None``.

    ``2020``, ``2020-05-01``, ``1996/1999``, ``2012-06/..`` (open range: start only), and the
    biblatex/EDTF circa and uncertain marks ``2003~``, ``2003?`` (CSL ``circa``).
    """
    text = value.strip()
    circa = text.endswith(("~", "?", "%"))
    pieces = text.rstrip("~?%").split("/")
    if len(pieces) > 2:
        return None
    parts = [_date_parts(piece) for piece in pieces if piece not in ("", "..")]
    if not parts or any(p is None for p in parts):
        return None
    return {"date-parts": parts, "circa": True} if circa else {"date-parts": parts}


def _issued(fields: dict[str, str], problem: Problem) -> dict[str, Any] | None:
    if "date" in fields:
        date = csl_date(fields["date"])
        if date is None:
            problem("date", f"'{fields['date']}' is not a date (write YYYY, YYYY-MM, YYYY-MM-DD or a range A/B)")
        return date
    year = latex_to_text(fields.get("year", ""))
    if not year:
        return None
    if not year.isdigit():
        return {"literal": year}
    parts = [int(year)]
    if "month" in fields:
        month = parse_month(latex_to_text(fields["month"]))
        if month is None:
            problem("month", f"'{fields['month']}' is not a month (write jan..dec or 1..12)")
        else:
            parts.append(month)
            day = latex_to_text(fields.get("day", ""))
            if day.isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
    return {"date-parts": [parts]}


def _first(fields: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if fields.get(name):
            return fields[name]
    return None


def csl_title(fields: dict[str, str]) -> str | None:
    """Title rich text: ``title: subtitle titleaddon``."""
    if "title" not in fields:
        return None
    title = latex_to_rich(fields["title"])
    if fields.get("subtitle"):
        title += ": " + latex_to_rich(fields["subtitle"])
    if fields.get("titleaddon"):
        title += " " + latex_to_rich(fields["titleaddon"])
    return title


def _doi(value: str) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.IGNORECASE)


def to_csl(key: str, entry_type: str, fields: dict[str, str], problem: Problem | None = None) -> dict[str, Any]:
    """Convert one entry (LaTeX field values, macros and crossref resolved) to a CSL-JSON item.

    Args:
        key: the citation key, used as the CSL ``id``.
        entry_type: lowercase BibTeX type; must be in :data:`ENTRY_TYPES`.
        fields: lowercase field name -> LaTeX value (outer delimiters removed).
        problem: called for values that cannot be converted (bad date, unknown language).
    """
    report: Problem = problem or (lambda _field, _message: None)
    declaration = ENTRY_TYPES.get(entry_type, ENTRY_TYPES["misc"])
    csl_type = declaration.csl_type
    if entry_type == "article":
        subtype = latex_to_text(fields.get("entrysubtype", "")).lower()
        csl_type = _ARTICLE_SUBTYPES.get(subtype, csl_type)
    item: dict[str, Any] = {"id": key, "type": csl_type}

    title = csl_title(fields)
    if title:
        item["title"] = title
    container = _first(fields, declaration.container)
    if container:
        item["container-title"] = latex_to_rich(container)
    if fields.get("series"):
        item["collection-title"] = latex_to_rich(fields["series"])

    for bib_name, csl_name in NAME_FIELDS.items():
        if fields.get(bib_name):
            names = csl_names(fields[bib_name])
            if names:
                item[csl_name] = names

    issued = _issued(fields, report)
    if issued:
        item["issued"] = issued
    if fields.get("urldate"):
        accessed = csl_date(fields["urldate"])
        if accessed is None:
            report("urldate", f"'{fields['urldate']}' is not a date (write YYYY-MM-DD)")
        else:
            item["accessed"] = accessed

    number = fields.get("issue") or fields.get("number")
    if number:
        is_serial = csl_type.startswith("article") or csl_type == "periodical"
        target = "issue" if is_serial else "collection-number" if fields.get("series") else "number"
        item[target] = latex_to_text(number)
    if fields.get("pages"):
        item["page"] = latex_to_text(fields["pages"].replace("--", "-")).replace("–", "-")
    publisher = _first(fields, declaration.publisher)
    if publisher:
        item["publisher"] = latex_to_text(publisher)
    place = fields.get("location") or fields.get("address")
    if place:
        item["publisher-place"] = latex_to_text(place)
    genre = fields.get(declaration.genre_from) or fields.get("type")
    if genre and csl_type in ("thesis", "report", "manuscript", "document", "webpage"):
        item["genre"] = latex_to_rich(genre)

    for bib_name, csl_name in _SIMPLE_FIELDS.items():
        if fields.get(bib_name) and csl_name not in item:
            value = fields[bib_name]
            item[csl_name] = latex_to_rich(value) if bib_name in _RICH_FIELDS else latex_to_text(value)
    if fields.get("doi"):
        item["DOI"] = _doi(strip_outer_braces(fields["doi"]))
    if fields.get("url"):
        item["URL"] = strip_outer_braces(fields["url"])

    language = fields.get("langid") or fields.get("language")
    if language:
        code = language_code(latex_to_text(language))
        if code is None:
            report("langid" if "langid" in fields else "language",
                   f"'{language}' is not a language (write a BCP 47 code such as 'ru' or a name such as 'russian')")
        else:
            item["language"] = code
    return item
