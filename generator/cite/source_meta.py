"""Machine-readable metadata of a source page, for reference managers and search engines.

From a CSL-JSON item this module derives Highwire Press ``citation_*`` meta tags
(read by Google Scholar and Zotero), a COinS OpenURL ``title`` (read by Zotero and
other OpenURL resolvers) and a schema.org JSON-LD object of the matching type.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

_TAGS = re.compile(r"<[^>]+>")

SCHEMA_TYPES = {
    "article-journal": "ScholarlyArticle", "article-newspaper": "NewsArticle", "article-magazine": "Article",
    "article": "Article", "book": "Book", "chapter": "Chapter", "paper-conference": "ScholarlyArticle",
    "report": "Report", "webpage": "WebPage", "post-weblog": "BlogPosting", "legislation": "Legislation",
    "treaty": "Legislation", "thesis": "Thesis", "manuscript": "Manuscript", "speech": "CreativeWork",
    "broadcast": "BroadcastEvent", "interview": "CreativeWork", "document": "DigitalDocument",
}


ZOTERO_TYPES = {
    "webpage": "webpage", "post-weblog": "blogPost", "manuscript": "manuscript", "thesis": "thesis",
    "legislation": "statute", "treaty": "statute", "speech": "presentation", "broadcast": "radioBroadcast",
    "interview": "interview", "document": "document", "dataset": "dataset", "software": "computerProgram",
    "pamphlet": "manuscript", "legal_case": "case", "patent": "patent", "entry-encyclopedia": "encyclopediaArticle",
    "article-newspaper": "newspaperArticle", "article-magazine": "magazineArticle",
}
"""CSL types as Zotero's item types, for COinS ``rft.type`` (the types COinS has no format of its own for)."""


def plain(value: Any) -> str:
    """CSL rich text without its mini-markup (``<i>``, ``<span class="nocase">``)."""
    return " ".join(_TAGS.sub("", str(value)).split())


def _names(csl: dict, role: str = "author") -> list[str]:
    names = []
    for name in csl.get(role, []) or []:
        if name.get("literal"):
            names.append(plain(name["literal"]))
        else:
            names.append(", ".join(p for p in (plain(name.get("family", "")), plain(name.get("given", ""))) if p))
    return names


def _date_parts(csl: dict, field: str = "issued") -> list[int]:
    parts = (csl.get(field) or {}).get("date-parts") or [[]]
    return [int(p) for p in parts[0] if str(p).lstrip("-").isdigit()]


def _pages(csl: dict) -> tuple[str | None, str | None]:
    page = plain(csl.get("page", ""))
    if not page:
        return None, None
    first, _, last = re.split(r"[-–—]", page, maxsplit=1)[0], None, None
    bits = re.split(r"\s*[-–—]+\s*", page)
    return bits[0] or None, (bits[1] if len(bits) > 1 else None)


def highwire_tags(csl: dict, page_url: str) -> list[dict[str, str]]:
    """Highwire Press tags as ``[{"name": ..., "content": ...}]``, in a stable order."""
    tags: list[tuple[str, str]] = [("citation_title", plain(csl.get("title", "")))]
    tags += [("citation_author", n) for n in _names(csl)]
    parts = _date_parts(csl)
    if parts:
        tags.append(("citation_publication_date", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    container = plain(csl.get("container-title", ""))
    kind = csl.get("type", "")
    if container:
        name = {"article-journal": "citation_journal_title", "paper-conference": "citation_conference_title",
                "chapter": "citation_inbook_title"}.get(kind, "citation_journal_title")
        tags.append((name, container))
    if kind == "paper-conference" and csl.get("event-title"):
        tags.append(("citation_conference_title", plain(csl["event-title"])))
    for csl_name, tag in (("volume", "citation_volume"), ("issue", "citation_issue"), ("DOI", "citation_doi"),
                          ("publisher", "citation_publisher"), ("ISBN", "citation_isbn"),
                          ("ISSN", "citation_issn"), ("language", "citation_language")):
        if csl.get(csl_name):
            tags.append((tag, plain(csl[csl_name])))
    first, last = _pages(csl)
    if first:
        tags.append(("citation_firstpage", first))
    if last:
        tags.append(("citation_lastpage", last))
    if csl.get("URL"):
        tags.append(("citation_public_url", plain(csl["URL"])))
    if page_url:
        tags.append(("citation_abstract_html_url", page_url))
    return [{"name": n, "content": c} for n, c in tags if c]


def coins(csl: dict) -> str:
    """The COinS ``title`` attribute value (an OpenURL ContextObject, KEV encoded)."""
    kind = csl.get("type", "")
    if not plain(csl.get("title", "")):
        # Zotero skips a COinS item without a title: describe an untitled work instead, as the
        # bibliography's bracketed titles do.
        csl = {**csl, "title": f"[Untitled{', ' + plain(csl['container-title']) if csl.get('container-title') else ''}]"}
    fields: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004")]
    if kind in ("article-newspaper", "article-magazine"):
        # OpenURL's journal format has no newspaper or magazine genre (Zotero would read a journal
        # article): Dublin Core with Zotero's type, the periodical as the source.
        fields += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", ZOTERO_TYPES[kind]),
                   ("rft.title", plain(csl.get("title", ""))), ("rft.source", plain(csl.get("container-title", "")))]
    elif kind in ("article-journal", "article"):
        fields += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article"),
                   ("rft.atitle", plain(csl.get("title", ""))), ("rft.jtitle", plain(csl.get("container-title", "")))]
    elif kind in ("book", "chapter", "report", "paper-conference"):
        genre = {"book": "book", "chapter": "bookitem", "report": "report", "paper-conference": "proceeding"}[kind]
        fields += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", genre)]
        if kind in ("chapter", "paper-conference"):
            fields += [("rft.atitle", plain(csl.get("title", ""))),
                       ("rft.btitle", plain(csl.get("container-title", "") or csl.get("event-title", "")))]
        else:
            fields += [("rft.btitle", plain(csl.get("title", "")))]
    else:
        # Dublin Core, with Zotero's own item type (COinS has no other way to say it).
        fields += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", ZOTERO_TYPES.get(kind, "document")),
                   ("rft.title", plain(csl.get("title", "")))]
    for name in _names(csl):
        fields.append(("rft.au", name))
    parts = _date_parts(csl)
    if parts:
        fields.append(("rft.date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    for csl_name, key in (("volume", "rft.volume"), ("issue", "rft.issue"), ("page", "rft.pages"),
                          ("publisher", "rft.pub"), ("ISBN", "rft.isbn"), ("ISSN", "rft.issn"),
                          ("language", "rft.language")):
        if csl.get(csl_name):
            fields.append((key, plain(csl[csl_name])))
    place = csl.get("publisher-place") or csl.get("event-place")
    if place:
        fields.append(("rft.place", plain(place)))
    if csl.get("DOI"):
        fields.append(("rft_id", f"info:doi/{plain(csl['DOI'])}"))
    if csl.get("URL"):
        fields.append(("rft_id", plain(csl["URL"])))
    return urlencode([(k, v) for k, v in fields if v])


def _container(csl: dict) -> dict[str, Any]:
    """What a work is part of: for a periodical article, its issue in its volume of the periodical
    (schema.org's PublicationIssue / PublicationVolume / Periodical chain)."""
    name = plain(csl["container-title"])
    kind = csl.get("type", "")
    if kind not in ("article-journal", "article-magazine", "article-newspaper", "article"):
        return {"@type": {"chapter": "Book", "paper-conference": "Book", "webpage": "WebSite"}.get(kind, "CreativeWork"),
                "name": name}
    container: dict[str, Any] = {"@type": "Periodical", "name": name}
    if csl.get("ISSN"):
        container["issn"] = plain(csl["ISSN"])
    if csl.get("volume"):
        container = {"@type": "PublicationVolume", "volumeNumber": plain(csl["volume"]), "isPartOf": container}
    if csl.get("issue"):
        container = {"@type": "PublicationIssue", "issueNumber": plain(csl["issue"]), "isPartOf": container}
    return container


def json_ld(csl: dict, page_url: str) -> dict[str, Any]:
    """A schema.org description of the work."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(csl.get("type", ""), "CreativeWork"),
        "name": plain(csl.get("title", "")),
    }
    if page_url:
        data["url"] = page_url
    authors = []
    for name in csl.get("author", []) or []:
        if name.get("literal"):
            authors.append({"@type": "Organization", "name": plain(name["literal"])})
        else:
            authors.append({"@type": "Person", "familyName": plain(name.get("family", "")),
                            "givenName": plain(name.get("given", "")),
                            "name": " ".join(p for p in (plain(name.get("given", "")), plain(name.get("family", ""))) if p)})
    if authors:
        data["author"] = authors
    parts = _date_parts(csl)
    if parts:
        data["datePublished"] = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
    if csl.get("container-title"):
        data["isPartOf"] = _container(csl)
    if csl.get("DOI"):
        data["sameAs"] = f"https://doi.org/{plain(csl['DOI'])}"
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": plain(csl["DOI"])}
    if csl.get("URL"):
        data["mainEntityOfPage"] = plain(csl["URL"])
    first, last = _pages(csl)
    if first:
        data["pageStart"] = first
    if last:
        data["pageEnd"] = last
    if csl.get("language"):
        data["inLanguage"] = plain(csl["language"])
    return data
