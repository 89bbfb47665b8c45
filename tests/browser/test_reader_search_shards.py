"""The search box over a sharded index, as a site of thousands of pages has (issue 20).

The real site's pages are indexed again in shards of ``PER_SHARD`` pages
(``generator/outputs/search_index.py``) and served on their own; the search box merges the shards:
a query finds as many pages as over the one-shard index, from several shards, and an entry still
comes first for its name.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Response

from generator.outputs.search_index import BUNDLE_DIR, MANIFEST, index_site, shard_of
from conftest import serving
from test_reader_search import open_search, search

if TYPE_CHECKING:
    from conftest import NewReader

PER_SHARD = 100
"""Pages a shard: the real site's some 400 searchable pages make four or five shards."""


@pytest.fixture(scope="module")
def sharded_site(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real site (hard links to its pages) with its index made again in shards."""
    copy = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(site_dir, copy, ignore=shutil.ignore_patterns(BUNDLE_DIR), copy_function=os.link)
    report = index_site(copy, per_shard=PER_SHARD)
    assert report.shards > 2 and report.indexed == report.shards, report
    return copy


@pytest.fixture(scope="module")
def base_url(sharded_site: Path) -> Iterator[str]:
    """Here the readers (``new_reader``) read the sharded copy."""
    with serving(sharded_site) as url:
        yield url


@pytest.fixture(scope="module")
def one_shard_url(site_dir: Path) -> Iterator[str]:
    """The real site as built (one shard), to compare with."""
    with serving(site_dir) as url:
        yield url


def shards(sharded_site: Path) -> int:
    return len(json.loads((sharded_site / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))["shards"]) + 1


def matching(page) -> int:  # noqa: ANN001 - a Playwright page
    text = page.locator(".md-search-result__meta").text_content() or ""
    return int("".join(ch for ch in text.split(" ")[0] if ch.isdigit()))


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param("ОДКБ", "/organisations/csto/", id="cyrillic-abbreviation"),
    pytest.param("Collective Security Treaty Organization", "/organisations/csto/", id="latin-name"),
    pytest.param("dead letter", "/concepts/dead-letter-regime/", id="latin-words"),
    pytest.param("sanctions", None, id="common-word"),
])
def test_a_query_finds_pages_of_every_shard_and_the_entry_first(
        new_reader: NewReader, browser, one_shard_url: str, sharded_site: Path,  # noqa: ANN001
        query: str, expected: str | None) -> None:
    reader = new_reader()
    fetched: list[Response] = []
    reader.page.on("response", lambda response: fetched.append(response))
    page = reader.goto("")
    open_search(page)
    results = search(page, query)
    if expected:
        assert results[:1] == [expected], f"searching {query!r}: {expected} is not first in {results}"
    count = shards(sharded_site)
    paths = [urlsplit(r.url).path for r in fetched]
    entries = {path for path in paths if path.endswith("/pagefind-entry.json")}
    assert entries == {"/pagefind/pagefind-entry.json"} | {f"/pagefind/shard-{n}/pagefind-entry.json"
                                                            for n in range(1, count)}, entries
    assert not [path for path in paths if "/shard-" in path and path.endswith((".js", ".pagefind"))], \
        "a merged shard loaded a script or WebAssembly of its own"
    if expected is None:
        holding = {shard_of(f"{path.strip('/')}/index.html".lstrip("/"), count) for path in results}
        assert len(holding) > 1, f"the results of {query!r} all come from one shard: {results}"

    context = browser.new_context()
    try:
        whole = context.new_page()
        whole.goto(one_shard_url, wait_until="load")
        open_search(whole)
        search(whole, query)
        assert matching(page) == matching(whole), f"{query!r}: the shards find another number of pages"
    finally:
        context.close()
