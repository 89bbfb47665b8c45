"""Benchmark: what the sharded search index costs a build, on a built site of any size.

    .venv/bin/python benchmarks/search_shards.py /tmp/big/site --per-shard 4000 --per-shard 100000
    .venv/bin/python benchmarks/search_shards.py /tmp/big/site --per-shard 4000 --check --keep /tmp/shards

For each ``--per-shard`` value (pages a shard, ``SHARD_PAGES`` of ``generator/outputs/search_index.py``;
a value above the site's page count gives one shard, as Pagefind alone), on hard-linked copies of the
site (the site itself is only read):

1. the whole index, from no cache;
2. the index again after one page was edited (the first organisation's page gets a paragraph),
   with the first copy as the previous site and its cache;
3. the index again with nothing changed (what every rebuild pays: reading and hashing the pages);

each in a process of its own, with its CPU seconds (user + system, Pagefind's processes included),
wall seconds and peak memory (of the largest process). ``--check`` also indexes the edited copy from no cache and
compares every file of the index with step 2's. ``--keep DIR`` keeps step 2's copy as ``DIR/per-N``,
with this checkout's search script, for ``benchmarks/search_bytes.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.outputs.search_index import BUNDLE_DIR, index_site  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SCRIPT = "assets/javascripts/companion-search.js"


def linked_copy(site: Path, to: Path, bundle: bool) -> None:
    """``site`` as hard links at ``to`` (without its search index unless ``bundle``), with this checkout's search script."""
    ignore = None if bundle else shutil.ignore_patterns(BUNDLE_DIR)
    shutil.copytree(site, to, ignore=ignore, copy_function=os.link)
    script = to / SCRIPT
    if script.parent.is_dir():
        script.unlink(missing_ok=True)  # a link: never write through it into the site copied
        shutil.copyfile(REPO / "overrides" / SCRIPT, script)


def edit_one_page(site: Path) -> str:
    """Add a paragraph to the first organisation's page (a new file: the previous copy keeps its own)."""
    page = min((site / "organisations").glob("*/index.html"))
    text = page.read_text(encoding="utf-8")
    page.unlink()
    page.write_text(text.replace("</article>", "<p>A paragraph added by the benchmark.</p></article>", 1),
                    encoding="utf-8")
    return page.relative_to(site).as_posix()


INDEX = """import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generator.outputs.search_index import index_site
previous = Path(sys.argv[3]) if sys.argv[3] else None
print(index_site(Path(sys.argv[2]), previous, Path(sys.argv[4]), per_shard=int(sys.argv[5])))
"""


def timed_index(site: Path, previous: Path | None, cache: Path, per_shard: int) -> tuple[str, dict[str, float]]:
    """Index ``site`` in a process of its own: what it said, its CPU seconds (with Pagefind's
    processes), wall seconds and peak memory (the largest of its processes)."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", INDEX, str(REPO), str(site), str(previous or ""), str(cache),
                              str(per_shard)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    said = child.stdout.read().strip()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"indexing {site} failed (exit {child.returncode})")
    wall = time.perf_counter() - start
    return said, {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_mb": usage.ru_maxrss / 1024}


def bundle_hashes(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((site / BUNDLE_DIR).rglob("*")) if path.is_file()}


def run(site: Path, per_shard: int, work: Path, check: bool, keep: Path | None) -> list[str]:
    first, edited, unchanged = work / "first", work / "edited", work / "unchanged"
    cache = work / "search-index.json"
    linked_copy(site, first, bundle=False)
    rows = []
    report, cost = timed_index(first, None, cache, per_shard)
    rows.append(("whole index, no cache", report, cost))
    linked_copy(first, edited, bundle=True)
    page = edit_one_page(edited)
    report, cost = timed_index(edited, first, cache, per_shard)
    rows.append((f"one page edited ({page})", report, cost))
    linked_copy(edited, unchanged, bundle=True)
    report, cost = timed_index(unchanged, edited, cache, per_shard)
    rows.append(("nothing changed", report, cost))
    lines = [f"| {per_shard:,} | {what} | {report} | {cost['cpu']:.1f} | {cost['wall']:.1f} | "
             f"{cost['peak_mb']:,.0f} |" for what, report, cost in rows]
    if check:
        fresh = work / "fresh"
        linked_copy(edited, fresh, bundle=False)
        index_site(fresh, per_shard=per_shard)
        same = bundle_hashes(fresh) == bundle_hashes(edited)
        lines.append(f"| {per_shard:,} | the edited copy indexed from no cache | "
                     f"{'every file identical' if same else 'DIFFERENT'} | | | |")
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(keep / f"per-{per_shard}", ignore_errors=True)
        shutil.move(edited, keep / f"per-{per_shard}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (its HTML pages are read, never written)")
    parser.add_argument("--per-shard", type=int, action="append", required=True, help="pages a shard (repeatable)")
    parser.add_argument("--check", action="store_true", help="compare the rebuilt index with one from no cache")
    parser.add_argument("--keep", type=Path, help="keep each edited, re-indexed copy here as per-N")
    parser.add_argument("--work", type=Path, help="where the copies go (default: the system's temporary folder; "
                                                  "it must be on the site's file system)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no index.html; build the site first", file=sys.stderr)
        return 2
    print("| pages a shard | step | shards re-indexed | CPU s | wall s | peak MB |")
    print("|---:|---|---|---:|---:|---:|")
    for per_shard in args.per_shard:
        with tempfile.TemporaryDirectory(prefix="search-shards-", dir=args.work) as work:
            for line in run(args.site, per_shard, Path(work), args.check, args.keep):
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
