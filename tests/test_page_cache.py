"""The page cache: a rebuild renders only pages whose inputs changed, and every page is what a fresh render gives.

Each edit below is made to a copy of the real content, then the site is built with
``verify_page_cache``: every page served from the cache is rendered again and compared.
A page whose key missed one of its inputs shows up in ``stale_pages``. The edits are
chosen to reach a page through every path a page reads: its own file, the entries it
links to, the entries linking to it, memberships declared on organisations, the
disagreements shown on it, the glossary, the timeline labels, citations and templates.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import Callable

import pytest

from generator.render import page_cache as page_cache_module
from generator.pipeline import ProjectConfig, build
from generator.render.renderer import Renderer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name in ("content", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    for name in ("mkdocs.yml", "types.yaml"):
        shutil.copy2(REPO / name, root / name)
    return root


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the entry pages actually rendered (not served from the cache)."""
    calls: list[str] = []
    real = Renderer.entry_page

    def spy(self, entry):
        calls.append(entry.page_path)
        return real(self, entry)

    monkeypatch.setattr(Renderer, "entry_page", spy)
    return calls


def config(root: Path, *, verify: bool = False, cache: bool = True, citations: bool = False) -> ProjectConfig:
    extra = {} if cache else {"page_cache": None}
    return ProjectConfig.for_project(root, format_citations=citations, use_history=False, today_year=2026,
                                     verify_page_cache=verify, **extra)


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}: update the test's edit"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_renders_no_entry_page_and_gives_the_same_site(project: Path, rendered: list[str]) -> None:
    first = build(config(project))
    assert first.ok, first.diagnostics.report()
    assert len(rendered) > 250
    guides = sum(1 for e in first.site.entries if e.type.name == "guide")
    rendered.clear()
    second = build(config(project))
    assert len(rendered) == guides  # guides read the whole bibliography and are never cached
    sources = sum(1 for path in first.files if path.startswith("sources/") and path.endswith(".md")) - 1
    assert second.reused_pages == len(first.site.entries) - guides + sources
    assert second.files == first.files
    assert second.files == build(config(project, cache=False)).files


def test_editing_one_summary_renders_its_neighbourhood_only(project: Path, rendered: list[str]) -> None:
    build(config(project))
    edit(project, "content/concepts/asian-turn.yaml", "summary: The second stage", "summary: The second phase")
    rendered.clear()
    warm = build(config(project))
    assert "concepts/asian-turn/index.md" in rendered
    assert 1 < len(rendered) < 40, rendered
    assert warm.files == build(config(project, cache=False)).files



def test_a_rebuild_rewrites_only_the_cache_files_holding_changed_pages(project: Path) -> None:
    first = build(config(project))
    folder = project / ".cache" / "pages"
    before = page_cache_module.PageCache(folder)._old
    inodes = {bucket.name: bucket.stat().st_ino for bucket in folder.glob("*.pickle")}
    assert len(inodes) == page_cache_module.BUCKETS
    assert build(config(project)).files == first.files
    assert {b.name: b.stat().st_ino for b in folder.glob("*.pickle")} == inodes  # nothing changed: nothing written

    edit(project, "content/concepts/asian-turn.yaml", "summary: The second stage", "summary: The second phase")
    warm = build(config(project))
    after = page_cache_module.PageCache(folder)._old  # what the next build will find
    renewed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    changed = {path for path in warm.files if warm.files[path] != first.files.get(path)}
    assert "concepts/asian-turn/index.md" in renewed and changed & after.keys() <= renewed
    rewritten = {b.name for b in folder.glob("*.pickle") if b.stat().st_ino != inodes[b.name]}
    # a page whose key changed is rewritten even if its text did not (its neighbourhood did)
    assert rewritten == {f"{page_cache_module._bucket(path):03d}.pickle" for path in renewed}
    assert len(rewritten) < page_cache_module.BUCKETS // 2, (len(renewed), sorted(rewritten))
    again = build(config(project, verify=True))
    assert again.files == warm.files and not again.stale_pages
    derived = [name for name in after if page_cache_module.DERIVED_SEPARATOR in name]
    assert again.reused_pages == len(after) - len(derived)
    assert derived and again.reused_rows == len(derived)


def test_files_of_former_cache_layouts_are_removed_and_no_others(project: Path) -> None:
    """The single file and the 64 two-digit files earlier versions wrote are deleted (the first was
    some 200 MB at 10,000 entries); files of the same names that this cache did not write stay."""
    folder = project / ".cache" / "pages"
    folder.mkdir(parents=True)
    former = pickle.dumps({"fingerprint": "an earlier version", "pages": {"a/index.md": ("key", "text")}},
                          protocol=pickle.HIGHEST_PROTOCOL)
    (project / ".cache" / "pages.pickle").write_bytes(former)
    (folder / "3f.pickle").write_bytes(former)
    (folder / "00.pickle").write_bytes(b"someone else's notes")
    (folder / "notes.pickle").write_bytes(former)
    elsewhere = project / "kept.pickle"
    elsewhere.write_bytes(former)
    (folder / "4a.pickle").symlink_to(elsewhere)
    build(config(project))
    assert not (project / ".cache" / "pages.pickle").exists() and not (folder / "3f.pickle").exists()
    assert (folder / "00.pickle").read_bytes() == b"someone else's notes"
    assert (folder / "notes.pickle").is_file() and (folder / "4a.pickle").is_symlink() and elsewhere.is_file()
    assert len(list(folder.glob("[0-9][0-9][0-9].pickle"))) == page_cache_module.BUCKETS


EDITS: dict[str, Callable[[Path], None]] = {
    # an event's name is shown on the pages it links to ("Referenced by") and that link to it
    "rename an event": lambda root: edit(
        root, "content/events/bakiyev-overthrown-2010.yaml", "name: Overthrow of President Bakiyev in Kyrgyzstan",
        "name: Overthrow of Kurmanbek Bakiyev in Kyrgyzstan"),
    # an organisation's name is also its abbreviations' expansion: the glossary changes
    "rename a much-linked organisation": lambda root: edit(
        root, "content/organisations/csto.yaml", "name: Collective Security Treaty Organization",
        "name: Collective Security Treaty Organisation"),
    # a new link adds a "Referenced by" line on the target's page
    "link a page from another": lambda root: edit(
        root, "content/countries/kaz.yaml", "It signed the Collective Security Treaty in 1992",
        "It signed the Collective Security Treaty in 1992 (see [[asian-turn]])"),
    # memberships are declared on the organisation and shown on the country's page and timeline
    "change a membership year": lambda root: edit(
        root, "content/organisations/csto.yaml", "  - country: rus\n    role: founding-member\n    from: 2002",
        "  - country: rus\n    role: founding-member\n    from: 2003"),
    # a disagreement is shown in full on every page it concerns
    "change a disagreement's position": lambda root: edit(
        root, "content/disagreements/central-asian-grouping-names.yaml",
        "- value: Central Asian Economic Community (1990s)", "- value: Central Asian Economic Community (the 1990s)"),
    # concept names are the glossary: linked and annotated on every page
    "rename a concept": lambda root: edit(
        root, "content/concepts/asian-turn.yaml", "name: Asian turn", "name: Asian pivot"),
    # abbreviations become tooltips on every page that uses them, and timeline labels
    "change an abbreviation": lambda root: edit(
        root, "content/organisations/csto.yaml", "text: CSTO", "text: CSTO-X"),
    # a citation added anywhere can change how others are disambiguated
    "add a citation": lambda root: edit(
        root, "content/countries/kaz.yaml", "Kazakhstan as a careful partner of Russia.",
        "Kazakhstan as a careful partner of Russia [@lukyanov2009]."),
    # a template override changes every page
    "override a template": lambda root: (
        (root / "overrides" / "generator" / "entry").mkdir(parents=True, exist_ok=True),
        (root / "overrides" / "generator" / "entry" / "event.md.jinja").write_text(
            '{% extends "entry/_base.md.jinja" %}\n{% block facts %}\n- **Date:** {{ page.date(entry.date) }}\n'
            '{% endblock %}\n', encoding="utf-8"),
    ),
    # a new entry that links to existing ones: their "Referenced by" lists grow
    "add an entry": lambda root: add_event_copy(root),
    # a BibTeX entry: its source page and every reference to it
    "edit a BibTeX entry": lambda root: edit(
        root, "bibliography/seeds.bib", "title      = {[Op-ed on {Russia}'s {WTO} and customs-union policy]}",
        "title      = {[Op-ed on {Russia}'s {WTO} and customs union policy]}"),
    # a country's own text: its page only (countries' names come from ISO 3166)
    "edit a country's summary": lambda root: edit(
        root, "content/countries/kaz.yaml", "summary: Kazakhstan, a founding member", "summary: Kazakhstan, a founder"),
}
LOCAL_EDITS = {"rename an event", "link a page from another", "change a membership year",
               "change a disagreement's position", "add an entry", "edit a country's summary"}
"""Edits that leave the glossary, labels, citations and templates alone: most pages must come from the cache."""


def add_event_copy(root: Path) -> None:
    source = (root / "content" / "events" / "bakiyev-overthrown-2010.yaml").read_text(encoding="utf-8")
    text = source.replace("id: bakiyev-overthrown-2010", "id: test-added-event", 1).replace(
        "name: Overthrow of President Bakiyev in Kyrgyzstan", "name: An event added by the page-cache test", 1)
    (root / "content" / "events" / "test-added-event.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", list(EDITS))
def test_no_cached_page_is_stale_after_an_edit(name: str, project: Path, rendered: list[str]) -> None:
    before = build(config(project))
    assert before.ok, before.diagnostics.report()
    EDITS[name](project)
    rendered.clear()
    after = build(config(project, verify=True))
    assert after.ok, after.diagnostics.report()
    assert after.stale_pages == []
    assert after.files != before.files, "the edit changed nothing: update the test's edit"
    if name in LOCAL_EDITS:
        assert after.reused_pages > len(after.site.entries) // 2, "a local edit should leave most pages in the cache"


def test_removing_an_entry_updates_the_pages_it_linked_to(project: Path) -> None:
    add_event_copy(project)
    with_it = build(config(project))
    assert with_it.ok, with_it.diagnostics.report()
    (project / "content" / "events" / "test-added-event.yaml").unlink()
    without = build(config(project, verify=True))
    assert without.ok and without.stale_pages == [] and without.reused_pages > 250
    assert "events/test-added-event/index.md" not in without.files
    assert without.files == build(config(project, cache=False)).files


def test_every_edit_in_a_row_with_citations_formatted(project: Path) -> None:
    """The same edits one after another, with the real citation engine, each rebuild checked."""
    result = build(config(project, citations=True))
    assert result.ok, result.diagnostics.report()
    for name, make_edit in EDITS.items():
        make_edit(project)
        result = build(config(project, verify=True, citations=True))
        assert result.ok, (name, result.diagnostics.report())
        assert result.stale_pages == [], name


def test_a_missing_neighbour_would_be_caught(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with backlinks left out of the key, a rename leaves stale pages."""
    build(config(project))

    def without_backlinks(entry, site):
        found = {entry.id: entry}
        found.update((e.id, e) for e in page_cache_module._targets(entry, site))
        return found

    monkeypatch.setattr("generator.pipeline.neighbourhood", without_backlinks)
    build(config(project))  # the cache now holds keys made without backlinks
    EDITS["rename an event"](project)
    result = build(config(project, verify=True))
    # The pages it links to list it under "Referenced by"; without backlinks in their keys they go stale.
    assert "organisations/csto/index.md" in result.stale_pages



def test_rows_with_a_missing_input_would_be_caught(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data rows are checked like pages: with only the entry itself in the key, a country's row keeps a
    membership count that an organisation's file changed."""
    build(config(project))
    monkeypatch.setattr("generator.pipeline.neighbourhood", lambda entry, site: {entry.id: entry})
    build(config(project))
    file = project / "content/organisations/csto.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("  - country: kgz\n")
    file.write_text(text[:start] + text[text.index("  - country: tjk\n"):], encoding="utf-8")
    result = build(config(project, verify=True))
    assert result.ok, result.diagnostics.report()
    assert page_cache_module.derived_name("countries/kgz/index.md", "data/countries") in result.stale_pages
    monkeypatch.undo()
    assert build(config(project, verify=True)).stale_pages == []

class _Payload:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize("content", [b"", b"garbage", pickle.dumps({"fingerprint": "x", "pages": {}}),
                                     pickle.dumps(_Payload())],
                         ids=["empty", "garbage", "foreign", "payload"])
def test_a_damaged_or_hostile_cache_is_ignored(content: bytes, project: Path, rendered: list[str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    reference = build(config(project, cache=False))
    build(config(project))
    for bucket in (project / ".cache" / "pages").glob("*.pickle"):
        bucket.write_bytes(content)
    rendered.clear()
    assert build(config(project)).files == reference.files
    assert len(rendered) == len(reference.site.entries)
    assert not (tmp_path / "PWNED").exists()
