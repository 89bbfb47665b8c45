"""Link integrity of the built companion: every internal link and anchor resolves (a crawler over the HTML)."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attribute in ("href", "src"):
            value = values.get(attribute)
            if value is not None and tag in ("a", "link", "script", "img", "iframe", "source"):
                if tag == "link" and (values.get("rel") or "") in ("canonical", "alternate"):
                    tag = "link-reference"  # a reference to a URL, not a request for it
                self.links.append((tag, value))


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("linked-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    run = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    return out


def _target(page: Path, site: Path, href: str) -> tuple[Path, str] | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # external: not ours to check offline
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_no_broken_internal_links_or_anchors(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    parsed: dict[Path, _Collector] = {}
    for page in pages:
        collector = _Collector()
        collector.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = collector
    broken: list[str] = []
    checked = 0
    for page, collector in parsed.items():
        for tag, href in collector.links:
            if tag == "link-reference":
                continue
            target = _target(page, built_site.resolve(), href)
            if target is None:
                continue
            path, fragment = target
            checked += 1
            rel = page.relative_to(built_site.resolve())
            if not str(path).startswith(str(built_site.resolve())):
                broken.append(f"{rel}: {href} leaves the site")
            elif not path.exists():
                broken.append(f"{rel}: {href} -> missing {path.relative_to(built_site.resolve())}")
            elif fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else set()
                if fragment not in ids:
                    broken.append(f"{rel}: {href} -> no anchor #{fragment}")
    assert checked > 1000, f"only {checked} links checked: is the site complete?"
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])


def test_no_external_requests_in_pages(built_site: Path) -> None:
    """Nothing is loaded from another host (no CDN scripts, no web fonts)."""
    offenders = []
    for page in sorted(built_site.rglob("*.html")):
        collector = _Collector()
        collector.feed(page.read_text(encoding="utf-8"))
        for tag, url in collector.links:
            if tag in ("script", "link", "img", "iframe", "source") and urlsplit(url).scheme in ("http", "https"):
                offenders.append(f"{page.relative_to(built_site)}: <{tag}> {url}")
    assert not offenders, "\n".join(offenders[:20])


def _indexed_pages(site: Path) -> dict[str, str]:
    """The text Pagefind indexed for each page (its fragments: gzip-compressed JSON), by site path."""
    import gzip
    import json

    pages = {}
    for fragment in (site / "pagefind").rglob("*.pf_fragment"):  # every shard's (search_index.py)
        data = gzip.decompress(fragment.read_bytes())
        data = data.removeprefix(b"pagefind_dcd")  # Pagefind's marker of a decompressed file
        record = json.loads(data)
        pages[record["url"]] = record["meta"].get("title", "") + "\n" + record["content"]
    return pages


def test_search_index_leaves_out_what_readers_do_not_search(built_site: Path) -> None:
    """Charts (the table beside them is indexed), "cite this page", BibTeX sources and the theme's chrome stay out.

    Each probe is text that the built pages do contain.
    """
    assert not (built_site / "search" / "search_index.json").exists(), "Material's search index is still built"
    indexed = _indexed_pages(built_site)
    assert len(indexed) > 300, f"only {len(indexed)} pages are indexed"
    csto = (built_site / "organisations" / "csto" / "index.html").read_text(encoding="utf-8")
    source = (built_site / "sources" / "troitskiy2020" / "index.html").read_text(encoding="utf-8")
    left_out = {
        "timeline chart": "Member or signatory",
        "cite this page": "Permanent address",
        "BibTeX source": "@article{troitskiy2020",
        "the theme's footer": "Made with",
    }
    everything = "\n".join(indexed.values())
    for what, probe in left_out.items():
        assert probe in csto or probe in source, f"{what}: the probe no longer occurs in the pages"
        assert probe not in everything, f"{what} is in the search index"
    assert "Troitskiy, Evgeny. 2020" in csto
    assert "Troitskiy, Evgeny. 2020" not in indexed["/organisations/csto/"], "an entry page's reference list is indexed"
    assert "Troitskiy, Evgeny. 2020" in indexed["/sources/troitskiy2020/"], "the source page must stay searchable"
    # The same data as the chart, in the membership table, is still found; so are the entry's names.
    assert "Russian Federation" in csto and "Russian Federation" in indexed["/organisations/csto/"]
    assert "ОДКБ" in indexed["/organisations/csto/"]
