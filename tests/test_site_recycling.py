"""A rebuild recycles the site it replaced two builds ago, and never writes into a published file.

``mkdocs build`` keeps the site it replaces as the spare (``.site.spare``); the next build makes
it its staging folder, keeps the files it would have linked anyway and deletes the rest before
anything is written (:mod:`generator.publish.site_swap`). The spare shares most files with the
site (hard links), so these tests check that a rebuild leaves the replaced site byte for byte,
that whatever was planted in the spare is gone, and that the result is a clean build's.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.publish import site_swap
from tests.test_incremental import clean_build, edit, mkdocs, outcome
from tests.test_nothing_lost import tree_hash
from tests.test_site_build import copy_fixture


def test_a_rebuild_recycles_the_spare_and_leaves_the_replaced_site_as_it_was(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path / "one")
    site, spare = project / "site", project / ".site.spare"
    mkdocs(project, site)
    assert not spare.exists(), "a first build has no site to keep"
    mkdocs(project, site)
    assert spare.is_dir(), "the replaced site is kept as the spare"
    assert os.path.samefile(site / "organisations/csto/index.html", spare / "organisations/csto/index.html")

    before = tree_hash(site)
    spare_folder_inode = (spare / "countries").stat().st_ino
    # Whatever is in the spare must not reach the site: planted files, a link out, a forged page.
    outside = tmp_path / "outside.html"
    outside.write_text("<p>outside</p>")
    (spare / "planted.html").write_text("<script>alert(1)</script>")
    (spare / "organisations/planted").mkdir()
    (spare / "organisations/planted/index.html").write_text("planted")
    (spare / "evil.html").symlink_to(outside)
    (spare / "pagefind/planted.js").write_text("alert(1)")
    (spare / "pagefind/shard-9").symlink_to(tmp_path, target_is_directory=True)
    forged = spare / "countries/rus/index.html"
    forged.unlink()  # a new file at the path of a page the rebuild keeps: not the site's file
    forged.write_text("<p>forged</p>")
    edit(project / "content/organisations/csto.yaml", "summary: ", "summary: Edited. ")
    beside = sorted(p.name for p in tmp_path.iterdir())

    log = mkdocs(project, site)
    kept, pages, converted = outcome(log)
    assert 0 < kept < pages, log[-2000:]
    assert (site / "countries").stat().st_ino == spare_folder_inode, "the spare's folders were reused"
    assert tree_hash(spare) == before, "the replaced site (now the spare) was written into"
    assert outside.read_text() == "<p>outside</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == beside, "a link in the spare was followed"
    assert tree_hash(site) == clean_build(project, tmp_path / "clean")
    assert "Edited." in (site / "organisations/csto/index.html").read_text(encoding="utf-8")
    # Generated data files whose bytes did not change are kept too, not written again.
    bib = sorted((site / "sources").glob("*/*.bib"))[0].relative_to(site)
    assert os.path.samefile(site / bib, spare / bib), bib
    table = "data/organisations.csv"  # holds the edited summary
    assert "Edited." in (site / table).read_text(encoding="utf-8")
    assert not os.path.samefile(site / table, spare / table)


def test_a_failed_build_gives_the_spare_back(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path / "one")
    site, spare = project / "site", project / ".site.spare"
    mkdocs(project, site)
    mkdocs(project, site)
    before = tree_hash(site)
    edit(project / "content/events/csto-charter-2002.yaml", "organisations: [csto]", "organisations: [cso]")
    from tests.test_nothing_lost import run_build

    failed = run_build(project)
    assert failed.returncode == 1, failed.stderr[-2000:]
    assert tree_hash(site) == before
    assert spare.is_dir()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site.")) == [".site.spare"]


def test_prune_keeps_only_the_listed_regular_files(tmp_path: Path) -> None:
    folder = tmp_path / "spare"
    (folder / "a/b").mkdir(parents=True)
    (folder / "a/b/index.html").write_text("kept")
    (folder / "a/index.html").write_text("gone")
    (folder / "c/d").mkdir(parents=True)
    (folder / "c/d/x.txt").write_text("gone")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("stays")
    (folder / "link-to-folder").symlink_to(outside)
    (folder / "link.html").symlink_to(outside / "precious.txt")
    removed = site_swap.prune(folder, {"a/b/index.html", "link.html", "link-to-folder/precious.txt"})
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == ["a", "a/b", "a/b/index.html"]
    assert removed == 6  # a/index.html, c/d/x.txt, c/d, c, and the two links
    assert (outside / "precious.txt").read_text() == "stays"


def test_a_spare_is_claimed_once_and_adopted_only_into_an_empty_staging_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert site_swap.claim_spare(site) is None
    spare = site_swap.spare_folder(site)
    spare.mkdir()
    (spare / "index.html").write_text("old")
    claimed = site_swap.claim_spare(site)
    assert claimed is not None and not spare.exists()
    assert site_swap.claim_spare(site) is None, "a second build does not get the same spare"

    staging = site_swap.staging_folder(site)
    (staging / "written.html").write_text("something wrote here first")
    assert site_swap.adopt(claimed, staging) is False
    assert not claimed.exists() and (staging / "written.html").is_file()

    spare.mkdir()
    (spare / "index.html").write_text("old")
    claimed = site_swap.claim_spare(site)
    empty = site_swap.staging_folder(site)
    assert site_swap.adopt(claimed, empty) is True
    assert (empty / "index.html").read_text() == "old" and not claimed.exists()


@pytest.mark.parametrize("spare_exists", [False, True])
def test_swap_keeps_the_previous_site_as_the_spare_unless_there_is_one(tmp_path: Path, spare_exists: bool) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous")
    spare = site_swap.spare_folder(site)
    if spare_exists:
        spare.mkdir()
        (spare / "index.html").write_text("older")
    staging = site_swap.staging_folder(site)
    (staging / "index.html").write_text("new")
    site_swap.swap_in(staging, site, keep_spare=True)
    assert (site / "index.html").read_text() == "new"
    assert (spare / "index.html").read_text() == ("older" if spare_exists else "previous")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", spare.name])
