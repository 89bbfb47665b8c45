"""Every absolute address the site prints, built from one base in one place.

The living site is at ``site_url``; edition ``vX.Y`` is a frozen copy under
``<site_url>vX.Y/``. When ``mike`` builds an edition it sets MkDocs' ``site_url`` to
the edition's folder (``https://example.org/v1.0``, without a trailing slash), so
:class:`Addresses` first takes the edition folder off again and keeps the living root.
Every page address is then made with :func:`urllib.parse.urljoin` from that root, never
by joining strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

EDITION_NAME = re.compile(r"^v[0-9]+(\.[0-9]+){1,2}$")
"""An edition's name: ``v`` and two or three numbers (``v1.0``, ``v2.1.3``)."""


def _as_folder(url: str) -> str:
    """``url`` with its path ending in ``/`` (so that ``urljoin`` adds to it instead of replacing its last part)."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def living_root(site_url: str, edition: str | None = None) -> str:
    """The living site's base address: ``site_url`` as a folder, without an edition folder mike added.

    >>> living_root("https://example.org/companion/v1.0", "v1.0")
    'https://example.org/companion/'
    >>> living_root("https://example.org/companion/", "v1.0")
    'https://example.org/companion/'
    >>> living_root("", None)
    ''
    """
    if not site_url:
        return ""
    root = _as_folder(site_url)
    if edition:
        parts = urlsplit(root)
        suffix = f"/{edition}/"
        if parts.path.endswith(suffix):
            root = urlunsplit((parts.scheme, parts.netloc, parts.path[: -len(suffix) + 1], "", ""))
    return root


def _page_path(page_url: str) -> str:
    """A site-relative page URL (``organisations/csto/``) as ``urljoin`` needs it: never absolute."""
    return page_url.lstrip("/")


@dataclass(frozen=True)
class Addresses:
    """The absolute addresses of one build: the living site, or an edition beside it.

    Attributes:
        root: the living site's base (``https://example.org/``), ``""`` when no ``site_url`` is set.
        edition: the edition being built (``v1.0``), ``None`` for the living site.
    """

    root: str
    edition: str | None = None

    @classmethod
    def for_build(cls, site_url: str, edition: str | None) -> "Addresses":
        """The addresses of a build from MkDocs' ``site_url`` (perhaps already moved into the edition by mike)."""
        if edition is not None and not EDITION_NAME.match(edition):
            raise ValueError(f"'{edition}' is not an edition name such as 'v1.0'")
        return cls(root=living_root(site_url, edition), edition=edition)

    def living(self, page_url: str) -> str:
        """A page's address on the living site (``""`` without a ``site_url``)."""
        return urljoin(self.root, _page_path(page_url)) if self.root else ""

    def in_edition(self, version: str, page_url: str) -> str:
        """A page's address in edition ``version`` (``""`` without a ``site_url``)."""
        if not EDITION_NAME.match(version):
            raise ValueError(f"'{version}' is not an edition name such as 'v1.0'")
        if not self.root:
            return ""
        return urljoin(urljoin(self.root, version + "/"), _page_path(page_url))

    def page(self, page_url: str) -> str:
        """A page's own permanent address in this build: its edition address in an edition, else the living one."""
        return self.in_edition(self.edition, page_url) if self.edition else self.living(page_url)

    @property
    def base(self) -> str:
        """This build's own base address (the edition's folder in an edition)."""
        return self.page("")
