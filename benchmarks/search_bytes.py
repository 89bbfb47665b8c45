"""Benchmark: what the search box costs a reader, on a built site of any size.

    .venv/bin/python benchmarks/corpus.py /tmp/big -n 10000                 # a synthetic project
    (cd /tmp/big && ../path/to/.venv/bin/mkdocs build --site-dir site)       # several minutes at 10,000
    .venv/bin/python benchmarks/search_bytes.py /tmp/big/site --content /tmp/big/content
    .venv/bin/python benchmarks/search_bytes.py site --content content --json   # the real site

The built site is served on 127.0.0.1 and read in Debian's Chromium. It measures:

1. opening pages (the home page, an entry page, the chronology): the bytes fetched from the
   search index (``pagefind/`` with every shard of a sharded index, ``search-names/``), which must
   be none;
2. for each query, in a fresh browser (so it is a reader's *first* search): focusing the box
   and typing the query, the files fetched from the search index, their bytes as served and
   compressed as GitHub Pages would send them (gzip; Pagefind's chunks are gzip already),
   and where the expected page ranks among the results.

With ``--content``, the queries are drawn from the project's entries (every ``--every``-th
organisation by file name): its English name, its Russian name and its first abbreviation,
each expected to show the entry among the entries sharing that name. Fixed queries are added:
an English word, a Russian word form that occurs nowhere literally but whose lemma does.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.pipeline import read_mkdocs_yml  # noqa: E402

import yaml

CHROMIUM = "/usr/bin/chromium"
SEARCH_FILES = ("/pagefind/", "/search-names/")
PAGES = ("", "chronology/")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
FIXED_QUERIES = [("sanctions", None), ("интеграции", None)]


@dataclass
class Query:
    """One first search and what it cost."""

    query: str
    expected: list[str] = field(default_factory=list)
    results: int = 0
    rank: int | None = None
    """1-based position of the first expected page among the results shown (None: not shown)."""
    files: int = 0
    raw_bytes: int = 0
    compressed_bytes: int = 0
    seconds: float = 0.0


def compressed_size(body: bytes) -> int:
    """What GitHub Pages sends: gzip, unless the file is smaller as it is (Pagefind's chunks are gzip already)."""
    return min(len(body), len(gzip.compress(body, compresslevel=6)))


def queries_from(content: Path, every: int) -> list[tuple[str, list[str]]]:
    """Names, Russian names and abbreviations of every ``every``-th organisation, with the pages each names."""
    named: dict[str, list[str]] = {}
    files = sorted((content / "organisations").glob("*.yaml"))
    for path in files:
        data = read_mkdocs_yml(path)
        url = f"/organisations/{path.stem}/"
        for item in [{"text": data["name"]}] + (data.get("names") or []) + (data.get("abbreviations") or []):
            named.setdefault(" ".join(str(item["text"]).lower().split()), []).append(url)
    picked: list[tuple[str, list[str]]] = []
    for path in files[::every]:
        data = read_mkdocs_yml(path)
        for item in [{"text": data["name"]}] + (data.get("names") or [])[:1] + (data.get("abbreviations") or [])[:1]:
            text = str(item["text"])
            picked.append((text, named[" ".join(text.lower().split())]))
    return picked


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def is_search_file(url: str) -> bool:
    return any(part in urlsplit(url).path for part in SEARCH_FILES)


def measure_pages(browser, base: str, pages: list[str]) -> dict[str, int]:
    """Bytes fetched from the search index while each page opens (and half a second after)."""
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    fetched: dict[str, int] = {}
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    for path in pages:
        responses.clear()
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(500)
        fetched[path or "/"] = sum(len(r.body()) for r in responses if is_search_file(r.url))
    context.close()
    return fetched


def measure_query(browser, base: str, query: str, expected: list[str], device: dict) -> Query:
    """One reader's first search for ``query``, in a fresh browser context."""
    context = browser.new_context(**device)
    page = context.new_page()
    page.goto(base, wait_until="load")
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    start = time.perf_counter()
    magnifier = page.locator("label.md-header__button[for='__search']")
    (magnifier if magnifier.is_visible() else page.locator("input.md-search__input")).click()
    page.locator("input.md-search__input").fill(query)
    page.wait_for_function("() => document.querySelector('.md-search-result__list').getAttribute('aria-busy')"
                           " === 'false' && /match/.test(document.querySelector('.md-search-result__meta')"
                           ".textContent)", timeout=120_000)
    seconds = time.perf_counter() - start
    links = page.eval_on_selector_all(".md-search-result__list a.md-search-result__link",
                                      "links => links.map(link => new URL(link.href).pathname)")
    meta = page.locator(".md-search-result__meta").text_content() or ""
    bodies = {r.url: r.body() for r in responses if is_search_file(r.url)}
    context.close()
    rank = next((i + 1 for i, link in enumerate(links) if link in expected), None)
    count = int("".join(ch for ch in meta.split(" ")[0] if ch.isdigit()) or 0)
    return Query(query=query, expected=expected, results=count, rank=rank, files=len(bodies),
                 raw_bytes=sum(len(b) for b in bodies.values()),
                 compressed_bytes=sum(compressed_size(b) for b in bodies.values()), seconds=round(seconds, 2))


def markdown(pages: dict[str, int], rows: list[Query], device: str, table: bool = True) -> str:
    lines = [f"Opening pages ({device}): bytes fetched from the search index: "
             + ", ".join(f"{path} {size:,}" for path, size in pages.items()), ""]
    if table:
        lines += ["| query | results | expected page ranks | files | bytes as served | bytes compressed | seconds |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for row in rows:
            rank = "—" if not row.expected else (f"{row.rank}" if row.rank else "not shown")
            lines.append(f"| {row.query} | {row.results:,} | {rank} | {row.files} | {row.raw_bytes:,} | "
                         f"{row.compressed_bytes:,} | {row.seconds} |")
        lines.append("")
    sizes = sorted(row.compressed_bytes for row in rows)
    ranked = [row for row in rows if row.expected]
    first = sum(1 for row in ranked if row.rank == 1)
    lines.append(f"{len(rows)} first searches: median {sizes[len(sizes) // 2]:,} bytes compressed, "
                 f"largest {sizes[-1]:,}." if sizes else "No searches.")
    if ranked:
        lines.append(f"Names and abbreviations: the entry (or, for a shared name, one of the entries sharing it) "
                     f"comes first in {first} of {len(ranked)} searches.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (with pagefind/ and search-names/)")
    parser.add_argument("--content", type=Path, help="the project's content/ folder, to draw queries from")
    parser.add_argument("--every", type=int, default=500, help="query every N-th organisation (default 500)")
    parser.add_argument("--query", action="append", default=[], help="a further query (repeatable)")
    parser.add_argument("--phone", action="store_true", help="a phone's viewport instead of a desktop's")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    parser.add_argument("--summary", action="store_true", help="only the summary lines, not one row per query")
    args = parser.parse_args(argv)
    if not (args.site / "pagefind" / "pagefind.js").is_file():
        print(f"{args.site}: no pagefind/pagefind.js; build the site first", file=sys.stderr)
        return 2
    queries = queries_from(args.content, args.every) if args.content else []
    queries += [(q, []) for q, _ in FIXED_QUERIES] + [(q, []) for q in args.query]
    entry_page = next((expected[0].strip("/") + "/" for _, expected in queries if expected), None)
    from playwright.sync_api import sync_playwright

    server, base = serve(args.site)
    device = PHONE if args.phone else DESKTOP
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            pages = measure_pages(browser, base, list(PAGES) + ([entry_page] if entry_page else []))
            rows = [measure_query(browser, base, query, expected, device) for query, expected in queries]
            browser.close()
    finally:
        server.shutdown()
    if args.json:
        print(json.dumps({"pages": pages, "queries": [asdict(row) for row in rows]}, ensure_ascii=False, indent=1))
    else:
        print(markdown(pages, rows, "phone" if args.phone else "desktop", table=not args.summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
