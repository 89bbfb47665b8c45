"""A sharded search index: a rebuild indexes only the shards whose pages changed, and its site is
the one a build from empty caches makes.

The fixture project is built with a few pages a shard (``COMPANION_SEARCH_SHARD_PAGES``, for tests
only), so that its index has several shards, as a site of thousands of pages has. The build's log
says how many shards were indexed; the shards kept are the previous site's files (the same inodes).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.outputs.search_index import MANIFEST, SHARD_PAGES_VARIABLE, index_site, shard_folder, shard_of
from tests.test_nothing_lost import tree_hash
from tests.test_site_build import ENV, MKDOCS, REPO, copy_fixture

PER_SHARD = "4"
"""Pages a shard: the fixture's 16 searchable pages make 4 shards."""
INDEXED = re.compile(r"companion: search index: (\d+) of (\d+) shards re-indexed(?: \((.+)\))?")
EDITED_PAGE = "about/index.html"


def mkdocs(project: Path, site: Path) -> tuple[int, int, str]:
    """Build ``project`` into ``site``: (shards indexed, shards, why all of them) from the log."""
    run = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=project,
                         env={**ENV, "PYTHONPATH": str(REPO), SHARD_PAGES_VARIABLE: PER_SHARD},
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-4000:]
    found = INDEXED.search(run.stderr)
    assert found is not None, run.stderr[-3000:]
    return int(found.group(1)), int(found.group(2)), found.group(3) or ""


def clean_build(project: Path, out: Path) -> dict[str, str]:
    """The project built from empty caches into ``out`` (its own caches are put back afterwards)."""
    aside = project.parent / f"{project.name}.cache-aside"
    shutil.move(project / ".cache", aside)
    try:
        indexed, shards, reason = mkdocs(project, out)
        assert indexed == shards and reason, (indexed, shards, reason)
    finally:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.move(aside, project / ".cache")
    return tree_hash(out)


def inodes(site: Path) -> dict[str, int]:
    """The inode of every file of the shards (not the manifest, written by every build), by path."""
    return {path.relative_to(site).as_posix(): path.stat().st_ino
            for path in (site / "pagefind").rglob("*") if path.is_file() and path.name != MANIFEST}


def in_shard(path: str, shard: int, shards: int) -> bool:
    """Whether the index file ``path`` (relative to the site) belongs to ``shard`` of ``shards``."""
    owner = next((n for n in range(1, shards) if path.startswith(shard_folder(n) + "/")), 0)
    return owner == shard


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture project built twice (every cache filled) and a pristine copy of it."""
    base = tmp_path_factory.mktemp("shards")
    root = copy_fixture(base)
    indexed, shards, reason = mkdocs(root, root / "site")
    assert shards > 1 and indexed == shards, (indexed, shards, reason)
    assert mkdocs(root, root / "site") == (0, shards, "")
    shutil.copytree(root, base / "pristine", symlinks=True)
    return root, base / "pristine"


def restored(sharded: tuple[Path, Path]) -> Path:
    root, pristine = sharded
    shutil.rmtree(root)
    shutil.copytree(pristine, root, symlinks=True)
    return root


def test_an_edit_reindexes_only_the_shard_of_the_page_it_changes(sharded, tmp_path: Path) -> None:
    root = restored(sharded)
    site = root / "site"
    manifest = json.loads((site / "pagefind" / MANIFEST).read_text(encoding="utf-8"))
    shards = len(manifest["shards"]) + 1
    assert manifest["shards"] == [f"shard-{n}/" for n in range(1, shards)]
    before = inodes(site)
    pages_before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
    about = root / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added for the shard test.\n",
                     encoding="utf-8")

    assert mkdocs(root, site) == (1, shards, "")
    changed = [path for path, data in pages_before.items()
               if (site / path).is_file() and (site / path).read_bytes() != data]
    assert changed == [EDITED_PAGE], changed
    edited = shard_of(EDITED_PAGE, shards)
    after = inodes(site)
    kept = {path for path in after if not in_shard(path, edited, shards)}
    assert kept and all(after[path] == before.get(path) for path in kept), "a shard not edited was not kept"
    assert not any(after[path] == before.get(path) for path in set(after) - kept), "the edited shard was kept"
    assert tree_hash(site) == clean_build(root, tmp_path / "clean")


def _forge_hashes(cache: Path, site: Path) -> int:
    """Give shard 1's record forged file hashes; the shard whose record it is."""
    data = json.loads(cache.read_text(encoding="utf-8"))
    record = data["shards"][1]
    record["files"] = {path: "0" * 64 for path in record["files"]}
    cache.write_text(json.dumps(data), encoding="utf-8")
    return 1


def _forge_paths(cache: Path, site: Path) -> int:
    """Point shard 2's record at files outside its folder (and outside the site)."""
    data = json.loads(cache.read_text(encoding="utf-8"))
    target = site.parent / "mkdocs.yml"
    data["shards"][2]["files"] = {"pagefind/shard-2/../../../mkdocs.yml": hashlib.sha256(target.read_bytes()).hexdigest()}
    cache.write_text(json.dumps(data), encoding="utf-8")
    return 2


def _wrong_shape(cache: Path, site: Path) -> int:
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["shards"][0] = ["not", "a", "record"]
    cache.write_text(json.dumps(data), encoding="utf-8")
    return 0


def _tamper_shard_file(cache: Path, site: Path) -> int:
    """Change one index chunk of shard 1 in the previous site (its record is left as it was)."""
    chunk = sorted((site / "pagefind/shard-1/index").glob("*.pf_index"))[0]
    data = chunk.read_bytes()
    chunk.unlink()  # a new file, not the one the pristine copy may share
    chunk.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    return 1


def _extra_file(cache: Path, site: Path) -> int:
    """A file in shard 3's folder of the previous site that its record does not list."""
    (site / "pagefind/shard-3/fragment/extra.pf_fragment").write_bytes(b"not Pagefind's")
    return 3


@pytest.mark.parametrize("damage", [_forge_hashes, _forge_paths, _wrong_shape, _tamper_shard_file, _extra_file],
                         ids=lambda damage: damage.__name__.strip("_"))
def test_a_forged_cache_or_a_tampered_shard_is_not_reused(sharded, tmp_path: Path, damage) -> None:
    root = restored(sharded)
    cache = root / ".cache/search-index.json"
    shard = damage(cache, root / "site")
    indexed, shards, reason = mkdocs(root, root / "site")
    assert (indexed, reason) == (1, ""), (shard, indexed, shards, reason)
    assert tree_hash(root / "site") == clean_build(root, tmp_path / "clean")
    assert mkdocs(root, root / "site") == (0, shards, "")


@pytest.mark.parametrize("cache_text", ["not JSON {", "[]", '{"format": 1, "shards": "all"}'])
def test_an_unreadable_cache_reindexes_every_shard(sharded, tmp_path: Path, cache_text: str) -> None:
    root = restored(sharded)
    (root / ".cache/search-index.json").write_text(cache_text, encoding="utf-8")
    indexed, shards, reason = mkdocs(root, root / "site")
    assert indexed == shards and "search-index.json" in reason, (indexed, shards, reason)
    assert tree_hash(root / "site") == clean_build(root, tmp_path / "clean")


def test_the_cache_lists_each_shards_files_with_their_hashes(sharded) -> None:
    root = restored(sharded)
    data = json.loads((root / ".cache/search-index.json").read_text(encoding="utf-8"))
    site = root / "site"
    listed = {path for record in data["shards"] for path in record["files"]}
    on_disk = {p.relative_to(site).as_posix() for p in (site / "pagefind").rglob("*") if p.is_file()}
    assert listed == on_disk - {f"pagefind/{MANIFEST}"}
    assert not any(path.endswith(("pagefind.js", ".pagefind")) for path in listed if "/shard-" in path), \
        "a merged shard needs no script or WebAssembly of its own"
    for shard, record in enumerate(data["shards"]):
        assert all(in_shard(path, shard, len(data["shards"])) for path in record["files"])


def _small_site(folder: Path, pages: int) -> Path:
    """A site of ``pages`` HTML pages with the theme's article, for index_site alone."""
    for n in range(pages):
        page = folder / f"page-{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<html lang="en"><head><title>Page {n}</title></head><body>'
                        f'<article class="md-content__inner"><h1>Page {n}</h1><p>Words about page {n}.</p>'
                        f"</article></body></html>", encoding="utf-8")
    return folder


@pytest.mark.parametrize("blocked", ["the cache folder is a file", "the cache file is a folder"])
def test_a_cache_that_cannot_be_written_is_simply_off(tmp_path: Path, blocked: str) -> None:
    site = _small_site(tmp_path / "site", 8)
    cache = tmp_path / ".cache" / "search-index.json"
    if blocked == "the cache folder is a file":
        cache.parent.write_text("a file where the cache folder belongs", encoding="utf-8")
    else:
        cache.mkdir(parents=True)
    report = index_site(site, previous=None, cache=cache, per_shard=4)
    assert (report.shards, report.indexed) == (2, 2)
    assert (site / "pagefind/pagefind.js").is_file() and (site / "pagefind/shard-1/pagefind-entry.json").is_file()
    assert cache.parent.is_file() if blocked == "the cache folder is a file" else not any(cache.iterdir())


def test_no_shard_is_empty(tmp_path: Path) -> None:
    """Pagefind fails on a folder of no pages: a site too small for its shards gets fewer of them."""
    site = _small_site(tmp_path / "site", 5)
    report = index_site(site, per_shard=1)
    assert 1 <= report.shards < 5, report  # five shards of one page each would leave some empty
    folders = [site / shard_folder(n) for n in range(report.shards)]
    counts = [len(list((folder / "fragment").glob("*.pf_fragment"))) for folder in folders]
    assert all(counts) and sum(counts) == 5, counts


def test_pages_the_caller_checked_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``known`` hashes (a kept page, checked after linking) spare reading a page the previous index
    held with that hash; a page it did not hold (marked excluded, or changed) is read as before."""
    from generator.outputs.search_index import EXCLUDE_MARK

    previous = _small_site(tmp_path / "previous", 8)
    excluded = previous / "page-7" / "index.html"
    excluded.write_text(excluded.read_text(encoding="utf-8").replace("<head>", f"<head>{EXCLUDE_MARK}"),
                        encoding="utf-8")
    cache = tmp_path / "search-index.json"
    index_site(previous, cache=cache, per_shard=4)
    site = tmp_path / "site"
    shutil.copytree(previous, site, ignore=shutil.ignore_patterns("pagefind"))
    (site / "page-3" / "index.html").write_text("<html><body><article class='md-content__inner'><h1>Changed</h1>"
                                               "</article></body></html>", encoding="utf-8")
    known = {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in site.glob("page-*/index.html")}  # what a caller that has just checked them knows
    read: list[str] = []
    original = Path.read_bytes

    def reading(path: Path) -> bytes:
        if path.suffix == ".html":
            read.append(path.relative_to(site).as_posix())
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    report = index_site(site, previous, cache, per_shard=4, known=known)
    monkeypatch.undo()
    # Read: the changed page (its hash was not indexed before) and the excluded one (never indexed).
    assert sorted(read) == ["page-3/index.html", "page-7/index.html"], read
    expected = tmp_path / "expected"
    shutil.copytree(site, expected, ignore=shutil.ignore_patterns("pagefind"))
    index_site(expected, per_shard=4)
    assert tree_hash(site / "pagefind") == tree_hash(expected / "pagefind")
    assert report.indexed >= 1
