"""What the site declares about itself: who is responsible for it, its language, its editions' DOIs.

The declaration lives in ``mkdocs.yml`` under ``extra: companion:``::

    extra:
      companion:
        editors:                      # cited as the editors of every page
          - {family: Doe, given: Jane}
          - {name: Example Institute}  # an organisation
        publisher: Example Institute   # optional
        edition_dois: {v1.0: 10.5281/zenodo.123}   # optional, added after a Zenodo release

The generator takes names only from here, never from its own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from generator.publish.addresses import EDITION_NAME

PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")
"""Reserved example domains (RFC 2606): a ``site_url`` under one of them is a placeholder."""


class SiteDeclarationError(ValueError):
    """``extra.companion`` in ``mkdocs.yml`` is not a valid declaration (the message says where)."""


@dataclass(frozen=True)
class Person:
    """A person (``family``, ``given``) or an organisation (``name`` only)."""

    family: str = ""
    given: str = ""
    name: str = ""

    @property
    def is_organisation(self) -> bool:
        return bool(self.name)

    def inverted(self) -> str:
        """``Family, Given`` (or the organisation's name)."""
        return self.name or ", ".join(p for p in (self.family, self.given) if p)

    def display(self) -> str:
        """``Given Family`` (or the organisation's name)."""
        return self.name or " ".join(p for p in (self.given, self.family) if p)

    def csl(self) -> dict[str, str]:
        """The CSL-JSON name."""
        if self.name:
            return {"literal": self.name}
        return {k: v for k, v in (("family", self.family), ("given", self.given)) if v}


@dataclass(frozen=True)
class SiteInfo:
    """The site's declaration about itself (see the module docstring)."""

    editors: tuple[Person, ...] = ()
    publisher: str = ""
    language: str = "en"
    edition_dois: dict[str, str] = field(default_factory=dict)

    def doi(self, edition: str | None) -> str:
        """The DOI of ``edition``, ``""`` if none is declared (or for the living site)."""
        return self.edition_dois.get(edition, "") if edition else ""


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SiteDeclarationError(f"{where} must be a non-empty string")
    return value.strip()


def _person(value: Any, where: str) -> Person:
    if not isinstance(value, dict) or not value:
        raise SiteDeclarationError(f"{where} must be {{family: ..., given: ...}} or {{name: ...}}")
    unknown = set(value) - {"family", "given", "name"}
    if unknown:
        raise SiteDeclarationError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    if "name" in value:
        if set(value) != {"name"}:
            raise SiteDeclarationError(f"{where}: an organisation has only a name")
        return Person(name=_text(value["name"], f"{where}.name"))
    return Person(family=_text(value.get("family"), f"{where}.family"),
                  given=_text(value["given"], f"{where}.given") if "given" in value else "")


def site_info(extra: Any, language: str = "en") -> SiteInfo:
    """The declaration in ``extra.companion`` of a ``mkdocs.yml`` (``extra`` is the whole ``extra`` mapping)."""
    block = extra.get("companion") if isinstance(extra, Mapping) else None  # MkDocs' is a UserDict
    if block is None:
        return SiteInfo(language=language or "en")
    if not isinstance(block, Mapping):
        raise SiteDeclarationError("extra.companion must be a mapping")
    unknown = set(block) - {"editors", "publisher", "edition_dois", "data_package", "licence", "report_errors",
                             "report_errors_text", "edition"}
    if unknown:
        raise SiteDeclarationError(f"extra.companion has unknown keys: {', '.join(sorted(unknown))}")
    editors = block.get("editors") or []
    if not isinstance(editors, list):
        raise SiteDeclarationError("extra.companion.editors must be a list")
    dois = block.get("edition_dois") or {}
    if not isinstance(dois, dict) or not all(isinstance(k, str) and EDITION_NAME.match(k) for k in dois):
        raise SiteDeclarationError("extra.companion.edition_dois must map edition names (v1.0) to DOIs")
    return SiteInfo(
        editors=tuple(_person(p, f"extra.companion.editors[{i}]") for i, p in enumerate(editors)),
        publisher=_text(block["publisher"], "extra.companion.publisher") if "publisher" in block else "",
        language=language or "en",
        edition_dois={k: _text(v, f"extra.companion.edition_dois.{k}") for k, v in dois.items()},
    )


def is_placeholder_url(site_url: str) -> bool:
    """Whether ``site_url`` is unset or a reserved example address that must not be published."""
    host = (urlsplit(site_url).hostname or "") if site_url else ""
    return not host or host == "localhost" or any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS) \
        or host.endswith(".example") or host.endswith(".invalid") or host.endswith(".test")
