"""Citation key -> URL slug for the source's page, ``/sources/<slug>/``."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def source_slug(key: str) -> str:
    """The URL slug of a BibTeX key: deterministic, lowercase, ``[a-z0-9-]`` only.

    The rule: Unicode-normalise (NFKD) and drop what is not ASCII (so ``é`` -> ``e``),
    lowercase, replace every run of other characters (``_``, ``:``, ``.``, spaces...)
    with one ``-``, and trim ``-`` from both ends. A key with nothing left is ``source``.

        >>> source_slug("Troitskiy2020")
        'troitskiy2020'
        >>> source_slug("smith_jones:2011a")
        'smith-jones-2011a'

    Two keys with the same slug (``a_b`` and ``a.b``) are reported by
    :func:`~generator.bibliography.load_bibliography` as ``bib.slug-collision``.
    """
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_key.lower()).strip("-")
    return slug or "source"
