"""Entry names for the search box: which entry a query names exactly, in files small enough to fetch one.

A reader who types an entry's name or abbreviation ("ОДКБ", "CSTO", "EU") expects that entry
first. A word index ranks by frequency and matches words by prefix ("EU" also matches
"EurAsEC"), so the search box (``overrides/assets/javascripts/companion-search.js``) also
looks the whole query up here: every entry's names, abbreviations and other names, normalised
(:func:`normalise`), spread over :data:`SHARDS` files by a hash of the name
(:func:`shard_of`), so a query fetches one file of about 1/256 of the names at any size::

    search-names/3f.json   {"одкб": [["organisations/csto/", "Collective Security Treaty Organization",
                                       "The Collective Security Treaty Organization is ..."]], ...}

The script computes the same normalisation and hash; keep the two in step.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Iterable

from generator.load.loader import Entry

FOLDER = "search-names"
SHARDS = 256
_SPACE = re.compile(r"\s+")


def normalise(name: str) -> str:
    """How names and queries are compared: lower case, ё as е, runs of white space as one space."""
    return _SPACE.sub(" ", name.lower().replace("ё", "е")).strip()


def shard_of(key: str) -> int:
    """The shard of a normalised name: ``h = h * 31 + c`` over its UTF-16 code units, modulo 2**32."""
    data = key.encode("utf-16-le")
    value = 0
    for (unit,) in struct.iter_unpack("<H", data):
        value = (value * 31 + unit) & 0xFFFFFFFF
    return value % SHARDS


def shard_path(shard: int) -> str:
    """The site path of a shard file."""
    return f"{FOLDER}/{shard:02x}.json"


def _names(entry: Entry) -> list[str]:
    names = [entry.name]
    for field in ("names", "abbreviations", "other_names"):
        names += [str(item["text"]) for item in entry.get(field, []) or [] if item.get("text")]
    return names


def name_shards(entries: Iterable[Entry]) -> dict[str, str]:
    """Every shard file (empty ones too, so no lookup is a 404), keyed by site path."""
    shards: list[dict[str, list[list[str]]]] = [{} for _ in range(SHARDS)]
    for entry in entries:
        hit = [entry.url, entry.name, str(entry.get("summary", "") or "")]
        for key in dict.fromkeys(normalise(name) for name in _names(entry)):
            if key:
                shards[shard_of(key)].setdefault(key, []).append(hit)
    return {shard_path(number): json.dumps(shard, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            for number, shard in enumerate(shards)}
