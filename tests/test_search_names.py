"""The sharded name list behind the search box's exact-name lookup (generator/outputs/search_names.py)."""

from __future__ import annotations

import json

from generator.outputs.search_names import SHARDS, name_shards, normalise, shard_of, shard_path
from test_linker import entries_of, org

CSTO = org("csto", "names: [{text: Организация Договора о коллективной безопасности, lang: ru}]\n"
                   "abbreviations: [{text: CSTO}, {text: ОДКБ, lang: ru}]\n"
                   "other_names: [{text: Ташкентский   договор, lang: ru}]\n",
           name="Collective Security Treaty Organization")
CST = org("cst", "abbreviations: [{text: ДКБ, lang: ru}, {text: CSTO}]\n", name="Collective Security Treaty")


def lookup(shards: dict[str, str], query: str) -> list[list[str]]:
    """What the search box does: normalise, hash, read one shard."""
    key = normalise(query)
    return json.loads(shards[shard_path(shard_of(key))]).get(key, [])


def test_every_name_abbreviation_and_other_name_finds_its_entry() -> None:
    shards = name_shards(entries_of(CSTO))
    hit = ["organisations/csto/", "Collective Security Treaty Organization", "S."]
    for query in ("Collective Security Treaty Organization", "организация договора о коллективной безопасности",
                  "csto", "ОДКБ", " одкб ", "Ташкентский договор"):
        assert lookup(shards, query) == [hit], query
    assert lookup(shards, "Collective Security") == []


def test_entries_sharing_a_name_are_all_listed_once() -> None:
    shards = name_shards(entries_of(CSTO, CST))
    assert [hit[0] for hit in lookup(shards, "CSTO")] == ["organisations/csto/", "organisations/cst/"]


def test_every_shard_exists_so_no_lookup_fails() -> None:
    shards = name_shards(entries_of(CSTO))
    assert sorted(shards) == sorted(shard_path(n) for n in range(SHARDS))
    assert sum(len(json.loads(text)) for text in shards.values()) == 5


def test_normalise_and_hash_match_the_search_script() -> None:
    """Pinned values: companion-search.js computes the same, or the browser tests' exact-name lookups fail."""
    assert normalise("  Объединённый\tштаб ОДКБ ") == "объединенный штаб одкб"
    assert [shard_of(key) for key in ("одкб", "eu", "евразийское экономическое сообщество")] == [109, 176, 66]
