"""The linker: every check that needs all entries at once, and the derived data templates read."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest

from generator.diagnostics import Diagnostics
from generator.load.linker import RESERVED_IDS, Site, link
from generator.load.loader import Entry, load_entry
from generator.pipeline import ProjectConfig, check
from generator.schema.types import TYPES_BY_FOLDER

SOURCE = 'sources: [{key: smith2001, locator: "1"}]\n'


def org(id: str, extra: str = "", name: str | None = None) -> tuple[str, str]:
    return f"organisations/{id}", f"id: {id}\nname: {name or id.upper()}\nkind: alliance\nsummary: S.\n{SOURCE}{extra}"


def concept(id: str, extra: str = "") -> tuple[str, str]:
    return f"concepts/{id}", (f"id: {id}\nname: {id.title()}\nsummary: S.\n{SOURCE}"
                              f"definition: {{text: D., sources: [{{key: smith2001}}]}}\n{extra}")


def country(id: str, extra: str = "") -> tuple[str, str]:
    return f"countries/{id}", f"id: {id}\nsummary: S.\n{SOURCE}{extra}"


def event(id: str, extra: str = "") -> tuple[str, str]:
    return f"events/{id}", (f"id: {id}\nname: {id.title()}\nsummary: S.\nkind: summit\n{SOURCE}"
                            f"date: {{date: 2002, sources: [{{key: smith2001}}]}}\n{extra}")


def entries_of(*files: tuple[str, str]) -> list[Entry]:
    diagnostics = Diagnostics()
    entries = []
    for name, text in files:
        folder, stem = name.split("/")
        entry = load_entry(TYPES_BY_FOLDER[folder], text.encode(), f"content/{folder}/{stem}.yaml", diagnostics)
        assert entry is not None, diagnostics.report()
        entries.append(entry)
    assert not diagnostics.items, diagnostics.report()
    return entries


def linked(*files: tuple[str, str], bib_keys: set[str] | None = frozenset({"smith2001"}),
           broken: set[str] = frozenset()) -> tuple[Site, list[str]]:
    """The site, and every diagnostic as one string (with its hint after ' | ')."""
    diagnostics = Diagnostics()
    site = link(entries_of(*files), diagnostics, None if bib_keys is None else set(bib_keys), set(broken))
    return site, [str(d).replace("\n  hint: ", " | ") for d in diagnostics.sorted()]


# -- references in fields --------------------------------------------------------------------------------


def test_a_clean_site_has_no_diagnostics() -> None:
    _, problems = linked(org("csto", "members: [{country: kaz, role: member, sources: [{key: smith2001}]}]\n"),
                         country("kaz"), event("summit-2002", "organisations: [csto]\ncountries: [kaz]\n"))
    assert problems == []


def test_unknown_reference_suggests_an_entry_of_the_wanted_type() -> None:
    _, problems = linked(country("kaz"), concept("kazakh-model"), event("e", "countries: [kazz]\n"))
    assert problems == [
        "content/events/e.yaml:7:13: error[ref.unknown]: 'kazz' is not a country | did you mean 'kaz'?"]


def test_unknown_reference_of_any_type() -> None:
    _, problems = linked(concept("balance", "related: [nothing-like-it]\n"))
    assert problems == ["content/concepts/balance.yaml:6:11: error[ref.unknown]: 'nothing-like-it' is not an entry | "
                        "write the id of an existing entry (its file name in content/, without .yaml)"]


def test_reference_of_the_wrong_type() -> None:
    _, problems = linked(concept("balance"), org("csto", "predecessors: [balance]\n"))
    assert problems == [
        "content/organisations/csto.yaml:6:16: error[ref.wrong-type]: 'balance' is a concept, not an organisation"
        " | this field takes the id of an organisation"]


def test_self_reference() -> None:
    _, problems = linked(org("csto", "parent: csto\n"))
    assert problems == ["content/organisations/csto.yaml:6:9: error[ref.self]: 'csto' refers to itself"
                        " | remove the reference; an entry's page already shows its own facts"]


def test_reference_to_a_file_that_failed_to_load_is_not_reported_again() -> None:
    _, problems = linked(concept("balance", "related: [broken-one]\nbody: See [[broken-one]].\n"),
                         broken={"broken-one"})
    assert problems == []


# -- links in prose --------------------------------------------------------------------------------------


def test_unknown_link_in_prose_has_its_exact_position() -> None:
    _, problems = linked(org("csto"), concept("balance", "body: |\n  One line.\n  Then [[cstoo|the Organisation]].\n"))
    assert problems == [
        "content/concepts/balance.yaml:8:10: error[ref.unknown]: 'cstoo' is not an entry | did you mean 'csto'?"]


def test_link_to_an_alias_says_what_to_write() -> None:
    _, problems = linked(org("csto", "aliases: [cst-organisation]\n"), concept("balance", "body: See [[cst-organisation]].\n"))
    assert problems == ["content/concepts/balance.yaml:6:13: error[ref.alias]: 'cst-organisation' is a former id of "
                        "'csto' | write [[csto]]"]


def test_reference_to_an_alias_says_what_to_write() -> None:
    _, problems = linked(org("csto", "aliases: [cst-organisation]\n"), concept("balance", "related: [cst-organisation]\n"))
    assert problems == ["content/concepts/balance.yaml:6:11: error[ref.alias]: 'cst-organisation' is a former id of "
                        "'csto' | write 'csto'"]


# -- ids and aliases -------------------------------------------------------------------------------------


def test_duplicate_id_across_types_is_reported_on_both_files() -> None:
    site, problems = linked(concept("csto"), org("csto"))
    hint = " | ids are unique across all entry types; rename one of the files and its id"
    assert problems == [
        "content/concepts/csto.yaml:1:1: error[id.duplicate]: id 'csto' is also used by "
        "content/organisations/csto.yaml" + hint,
        "content/organisations/csto.yaml:1:1: error[id.duplicate]: id 'csto' is also used by "
        "content/concepts/csto.yaml" + hint]
    assert site.by_id["csto"].type.name == "organisation"


def test_a_duplicate_id_is_read_as_the_type_each_reference_expects() -> None:
    """A new organisation 'kaz' beside the country 'kaz' breaks no reference to either."""
    _, problems = linked(country("kaz"), org("kaz"), org("csto", "members:\n  - country: kaz\n    role: member\n"
                                                              "    sources: [{key: smith2001}]\npredecessors: [kaz]\n"),
                         event("e", "countries: [kaz]\norganisations: [kaz]\nbody: See [[kaz]].\n"))
    assert [p.split(": error")[1].split(":")[0] for p in problems] == ["[id.duplicate]", "[id.duplicate]"]


def test_a_reference_fitting_none_of_a_duplicate_ids_types_is_the_wrong_type() -> None:
    _, problems = linked(country("kaz"), concept("kaz"), org("csto", "parent: kaz\n"))
    assert [p for p in problems if "id.duplicate" not in p] == [
        "content/organisations/csto.yaml:6:9: error[ref.wrong-type]: 'kaz' is a concept and a country, not an "
        "organisation | this field takes the id of an organisation"]


@pytest.mark.parametrize("reserved", sorted(RESERVED_IDS))
def test_reserved_ids(reserved: str) -> None:
    site, problems = linked(concept(reserved))
    assert problems == [f"content/concepts/{reserved}.yaml:1:1: error[url.collision]: id '{reserved}' is reserved "
                        "for a generated page | choose another id"]
    assert site.entries == []


def test_alias_that_is_a_current_id() -> None:
    _, problems = linked(org("csto", "aliases: [cis]\n"), org("cis"))
    # The entry that took the former id is the one to change; the redirect stays.
    assert problems == ["content/organisations/cis.yaml:1:1: error[alias.collision]: id 'cis' is a former id of "
                        "'csto' (content/organisations/csto.yaml): links to 'cis' and its old address lead there, and "
                        "readers cite them | choose another id for this entry (rename the file and its id); a former "
                        "id is given to a new entry only by a reviewed change (see docs/contributing/permalinks.md)"]


def test_alias_claimed_twice() -> None:
    _, problems = linked(org("csto", "aliases: [old]\n"), org("cis", "aliases: [old]\n"))
    assert problems == ["content/organisations/csto.yaml:1:1: error[alias.collision]: alias 'old' is also claimed by "
                        "content/organisations/cis.yaml | an id can have been the former id of one entry only; "
                        "remove it from one of the two"]


# -- loops -----------------------------------------------------------------------------------------------


def test_predecessor_loop_is_reported_once() -> None:
    _, problems = linked(org("a", "predecessors: [c]\n"), org("b", "predecessors: [a]\n"), org("c", "predecessors: [b]\n"))
    assert problems == ["content/organisations/b.yaml:6:16: error[ref.cycle]: 'predecessors' forms a loop: "
                        "a -> c -> b -> a | an organisation cannot be its own predecessor; remove the reference that "
                        "closes the loop"]


def test_successor_loop() -> None:
    _, problems = linked(org("a", "successors: [b]\n"), org("b", "successors: [c]\n"), org("c", "successors: [a]\n"))
    assert problems == ["content/organisations/c.yaml:6:14: error[ref.cycle]: 'successors' forms a loop: "
                        "a -> b -> c -> a | an organisation cannot be its own successor; remove the reference that "
                        "closes the loop"]


def test_predecessors_and_successors_that_agree_are_not_a_loop() -> None:
    _, problems = linked(org("a", "successors: [b]\n"), org("b", "predecessors: [a]\nsuccessors: [c]\n"),
                         org("c", "predecessors: [b]\n"))
    assert problems == []


def test_a_loop_through_predecessors_and_successors_together() -> None:
    # a is followed by b (a's successors), b by c (c's predecessors), c by a (c's successors).
    _, problems = linked(org("a", "successors: [b]\n"), org("b"), org("c", "predecessors: [b]\nsuccessors: [a]\n"))
    assert len(problems) == 1
    assert "error[ref.cycle]: 'successors' and 'predecessors' form a loop: a -> b -> c -> a" in problems[0]
    assert "an organisation cannot come both before and after another" in problems[0]


def test_parent_loop() -> None:
    _, problems = linked(org("a", "parent: b\n"), org("b", "parent: a\n"))
    assert problems == ["content/organisations/b.yaml:6:9: error[ref.cycle]: 'parent' forms a loop: a -> b -> a"
                        " | an organisation cannot be part of itself; remove the 'parent' that closes the loop"]


def test_a_diamond_is_not_a_loop() -> None:
    _, problems = linked(org("a", "predecessors: [b, c]\n"), org("b", "predecessors: [d]\n"),
                         org("c", "predecessors: [d]\n"), org("d"))
    assert problems == []


def test_many_joining_paths_are_searched_in_bounded_time() -> None:
    """40 layers of two organisations, each naming both of the layer before: 2^40 paths, one pass."""
    layers = [org(f"l{i}{side}", f"predecessors: [l{i - 1}a, l{i - 1}b]\nsuccessors: [l{i + 1}a]\n" if i else "")
              for i in range(40) for side in "ab"]
    start = time.process_time()
    _, problems = linked(*layers, org("l40a", "predecessors: [l39a]\n"))
    assert problems == []
    assert time.process_time() - start < 10  # the search that followed every path took hours


def test_a_long_chain_is_not_a_loop() -> None:
    chain = [org(f"o{i}", f"predecessors: [o{i + 1}]\n") for i in range(80)] + [org("o80")]
    _, problems = linked(*chain)
    assert problems == []


# -- citations -------------------------------------------------------------------------------------------


def test_unknown_citation_keys_in_fields_and_prose() -> None:
    site, problems = linked(concept("balance", "body: |\n  Said so [@nokey, 12] and @smith2001.\n"),
                            org("csto", 'founded: {date: 2002, sources: [{key: smiht2001, locator: "3"}]}\n'))
    assert problems == [
        "content/concepts/balance.yaml:7:12: error[cite.unknown]: 'nokey' is not a key in bibliography/ | "
        "add the work to a .bib file in bibliography/ with the key 'nokey'",
        "content/organisations/csto.yaml:6:39: error[cite.unknown]: 'smiht2001' is not a key in bibliography/ | "
        "did you mean 'smith2001'? If not, add the work to a .bib file in bibliography/ with the key 'smiht2001'",
    ]
    assert site.cited_keys == {"smith2001"}


def test_citation_keys_are_not_checked_without_a_bibliography() -> None:
    site, problems = linked(concept("balance", "body: '[@anything]'\n"), bib_keys=None)
    assert problems == [] and "anything" in site.cited_keys


# -- derived data ----------------------------------------------------------------------------------------


def test_backlinks_inverse_relations_and_memberships() -> None:
    site, problems = linked(
        org("cst", name="Treaty"),
        org("csto", "predecessors: [cst]\nmembers:\n  - {country: kaz, role: member, from: 2002, "
                    "sources: [{key: smith2001}]}\nbody: '[[csto]] follows [[cst]].'\n", name="Organisation"),
        org("csto-council", "parent: csto\n", name="Council"),
        country("kaz"),
        concept("balance", "related: [csto]\n"),
    )
    assert problems == []
    assert [e.id for e in site.backlinks["csto"]] == ["csto-council", "balance"]
    assert [e.id for e in site.backlinks["cst"]] == ["csto"]
    assert "csto" not in [e.id for e in site.backlinks.get("csto", [])]  # a self-link in prose is no backlink
    assert [e.id for e in site.inverse["cst"]["successors"]] == ["csto"]
    assert [e.id for e in site.inverse["csto"]["parts"]] == ["csto-council"]
    assert [(m.organisation.id, m.record["role"]) for m in site.memberships["kaz"]] == [("csto", "member")]
    assert [e.id for e in site.of_type("organisation")] == ["cst", "csto", "csto-council"]
    body = site.by_id["csto"].get("body")
    assert site.scanned_for(site.by_id["csto"], body).links[1].target == "cst"


# -- through the whole check -----------------------------------------------------------------------------


def test_check_reports_problems_across_files_in_file_order(make_project: Callable[[dict[str, str]], Path]) -> None:
    root = make_project({
        "content/concepts/balance.yaml": concept("balance", "related: [csto, nowhere]\n")[1],
        "content/organisations/csto.yaml": org("csto", "parent: csto\n")[1],
    })
    diagnostics = check(ProjectConfig.for_project(root))
    assert [(d.location.path, d.code) for d in diagnostics] == [
        ("content/concepts/balance.yaml", "ref.unknown"), ("content/organisations/csto.yaml", "ref.self")]


def test_empty_link_and_link_written_as_a_name() -> None:
    _, problems = linked(concept("soft-power"), concept("balance", "body: 'See [[ ]] and [[Soft Power|power]].'\n"))
    assert problems == [
        "content/concepts/balance.yaml:6:14: error[ref.unknown]: empty entry link | write [[id]] or [[id|text]]",
        "content/concepts/balance.yaml:6:24: error[ref.unknown]: 'Soft Power' is not an entry | "
        "did you mean 'soft-power'?",
    ]


def test_alias_that_is_a_reserved_id() -> None:
    _, problems = linked(org("csto", "aliases: [search]\n"))
    assert problems == ["content/organisations/csto.yaml:1:1: error[alias.collision]: alias 'search' is reserved for a "
                        "generated page | remove it; no entry can have had this id"]


# -- files that are not entries ----------------------------------------------------------------------------


def test_a_mapping_with_no_field_is_refused_without_quoting_it() -> None:
    diagnostics = Diagnostics()
    text = "root: x:0:0:root:/root:/bin/bash\ndaemon: x:1:1:daemon\n"
    assert load_entry(TYPES_BY_FOLDER["concepts"], text.encode(), "content/concepts/p.yaml", diagnostics) is None
    assert [str(d) for d in diagnostics.sorted()] == [
        "content/concepts/p.yaml:1:1: error[schema.type]: the file is not a concept entry: none of its keys is a field"
        "\n  hint: write one 'field: value' per line, starting with id:"]


def test_an_entry_with_misspelt_keys_is_still_told_what_to_write() -> None:
    diagnostics = Diagnostics()
    text = "Id: balance\nnmae: Balancing\n"
    assert load_entry(TYPES_BY_FOLDER["concepts"], text.encode(), "content/concepts/balance.yaml", diagnostics) is None
    assert "unknown field 'Id'" in diagnostics.report() and "did you mean 'name'?" in diagnostics.report()


def test_a_reference_to_a_renamed_entry_says_so() -> None:
    """The published URLs tell a rename from a typo: no guess at a look-alike ('ces' for 'eas')."""
    entries = entries_of(org("ces"), org("east-asia-summit"), concept("balance", "related: [eas]\n"))
    diagnostics = Diagnostics()
    link(entries, diagnostics, {"smith2001"}, manifest_urls=["/organisations/eas/", "/organisations/ces/",
                                                              "/concepts/balance/"])
    [problem] = diagnostics.items
    assert problem.message == ("'eas' is not an organisation any more: /organisations/eas/ was published and no "
                               "entry has this id")
    assert problem.hint == ("it looks renamed to 'east-asia-summit' (new in this change): write 'east-asia-summit' "
                            "and keep the old address with `aliases: [eas]` in content/organisations/east-asia-summit.yaml")


def test_no_look_alike_is_suggested_for_a_short_id() -> None:
    _, problems = linked(org("ces"), country("est"), concept("balance", "related: [eas]\n"))
    assert problems == ["content/concepts/balance.yaml:6:11: error[ref.unknown]: 'eas' is not an entry | "
                        "write the id of an existing entry (its file name in content/, without .yaml)"]
