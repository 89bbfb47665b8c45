"""Benchmark: parse and format N synthetic references in two styles, cold and warm.

    .venv/bin/python benchmarks/citations.py                 # 5,000 references, 1,000 clusters
    .venv/bin/python benchmarks/citations.py -n 500 --clusters 0
    .venv/bin/python benchmarks/citations.py --families 16    # worst case for disambiguation
    .venv/bin/python benchmarks/citations.py --citeproc-py   # also time citeproc-py, if installed

"cold" is a first build (empty cache: one citeproc-js process formats everything);
"warm" is a rebuild with the same bibliography (everything from the cache: no process).
"one edit" changes one entry and rebuilds (only its peers and the clusters are formatted).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.bibliography import CitationFormatter, CiteItem, load_bibliography  # noqa: E402
from generator.diagnostics import Diagnostics  # noqa: E402

STYLES = ["chicago-author-date", "apa"]
FAMILIES = ["Troitskiy", "Molchanov", "Lukyanov", "Dugin", "Smith", "Ivanov", "Petrov", "Müller", "Zhang",
            "Nazarbayev", "Kuznetsova", "Sokolov", "Orlov", "Novikov", "Volkov", "Popov"]
GIVEN = ["Evgeny", "Mikhail A.", "Fyodor", "Aleksandr", "Jane", "Ivan", "Pëtr", "Jörg", "Wei", "Olga"]
WORDS = ["Eurasian", "integration", "security", "regionalism", "customs", "union", "post-Soviet", "space",
         "treaty", "alliance", "{CIS}", "{CSTO}", "\\emph{Pravda}", "energy", "pipelines", "Central Asia"]


SYLLABLES = ["ka", "ro", "vi", "len", "sko", "mar", "tin", "ov", "ev", "ich", "za", "bel", "dra", "nu", "pe"]


def family_names(count: int, rng: random.Random) -> list[str]:
    """The real-looking seed families plus ``count`` generated ones."""
    names = set(FAMILIES)
    while len(names) < len(FAMILIES) + count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize())
    return sorted(names)


def synthetic_bib(count: int, families: int = 1500, seed: int = 1) -> str:
    """``count`` entries of assorted types. Authors come from ``families`` family names, so
    same-author-same-year pairs (2011a/2011b) occur: few with 1,500 families, very many with 16."""
    rng = random.Random(seed)
    surnames = family_names(families, rng) if families > len(FAMILIES) else FAMILIES[:max(families, 1)]
    out = []
    for index in range(count):
        family, given = rng.choice(surnames), rng.choice(GIVEN)
        year = rng.randint(1990, 2024)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        kind = index % 5
        if kind == 0:
            out.append(f"@article{{k{index},\n  author = {{{family}, {given}}},\n  title = {{{title}}},\n"
                       f"  journaltitle = {{Journal of {rng.choice(WORDS)} Studies}},\n  volume = {{{index % 40}}},\n"
                       f"  number = {{{index % 4 + 1}}},\n  pages = {{{index % 300}--{index % 300 + 20}}},\n"
                       f"  date = {{{year}}},\n  doi = {{10.1000/{index}}},\n}}\n")
        elif kind == 1:
            out.append(f"@book{{k{index},\n  author = {{{family}, {given} and {rng.choice(FAMILIES)}, A.}},\n"
                       f"  title = {{{title}}},\n  publisher = {{Routledge}},\n  address = {{London}},\n"
                       f"  year = {{{year}}},\n}}\n")
        elif kind == 2:
            out.append(f"@incollection{{k{index},\n  author = {{{family}, {given}}},\n  title = {{{title}}},\n"
                       f"  booktitle = {{Handbook of {rng.choice(WORDS)}}},\n  editor = {{Editor, E.}},\n"
                       f"  publisher = {{Palgrave}},\n  pages = {{1--20}},\n  year = {{{year}}},\n}}\n")
        elif kind == 3:
            out.append(f"@online{{k{index},\n  author = {{{{Eurasian Economic Commission}}}},\n"
                       f"  title = {{{title}}},\n  url = {{http://example.org/{index}}},\n"
                       f"  urldate = {{2020-05-{index % 28 + 1:02d}}},\n  date = {{{year}}},\n}}\n")
        else:
            out.append(f"@article{{k{index},\n  author = {{{family}, {given}}},\n  title = {{{title}}},\n"
                       f"  titleaddon = {{[Translated title {index}]}},\n  journaltitle = {{Izvestia}},\n"
                       f"  entrysubtype = {{newspaper}},\n  date = {{{year}-0{index % 9 + 1}-1{index % 9}}},\n"
                       f"  langid = {{russian}},\n}}\n")
    return "\n".join(out)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, function):
    """Run ``function``, print wall time and CPU time (this process + Node; shared machines are noisy)."""
    start, cpu = time.perf_counter(), _cpu()
    value = function()
    print(f"{label:<44} {time.perf_counter() - start:8.2f} s wall {_cpu() - cpu:8.2f} s CPU")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="number of references")
    parser.add_argument("--clusters", type=int, default=1000, help="number of in-text clusters")
    parser.add_argument("--families", type=int, default=1500,
                        help="distinct author family names (16 = worst case: thousands of 2011a/2011b)")
    parser.add_argument("--citeproc-py", action="store_true", help="also time citeproc-py (if importable)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bib_path = work / "bench.bib"
        bib_path.write_text(synthetic_bib(args.n, args.families), encoding="utf-8")
        diagnostics = Diagnostics()
        bib = timed(f"parse + convert {args.n} entries", lambda: load_bibliography([bib_path], work, diagnostics))
        assert not diagnostics.items, diagnostics.report()
        rng = random.Random(2)
        keys = list(bib.entries)
        clusters = [[CiteItem(rng.choice(keys), str(rng.randint(1, 300)), "page")] for _ in range(args.clusters)]
        cache = work / "cache"

        cold = CitationFormatter(bib, styles=STYLES, cache_dir=cache)
        result = timed(f"cold: {args.n} refs x 2 styles + {args.clusters} clusters",
                       lambda: cold.format(clusters, keys))
        assert not result.diagnostics, result.diagnostics
        print(f"{'':<44} engine runs {cold.engine_runs}, formatted {cold.formatted}")

        warm = CitationFormatter(bib, styles=STYLES, cache_dir=cache)
        timed("warm: same bibliography, cache", lambda: warm.format(clusters, keys))
        print(f"{'':<44} engine runs {warm.engine_runs}, formatted {warm.formatted}")

        edited_path = work / "edited.bib"
        edited_path.write_text(bib_path.read_text(encoding="utf-8").replace("title = {", "title = {Edited ", 1),
                               encoding="utf-8")
        edited = load_bibliography([edited_path], work, Diagnostics())
        one = CitationFormatter(edited, styles=STYLES, cache_dir=cache)
        timed("one entry edited, cache", lambda: one.format(clusters, keys))
        print(f"{'':<44} engine runs {one.engine_runs}, formatted {one.formatted}")

        if args.citeproc_py:
            time_citeproc_py(bib, min(args.n, 500))
        print("sample:", result.references["chicago-author-date"][keys[0]])
    return 0


def time_citeproc_py(bib, count: int) -> None:
    """citeproc-py 0.11 on the same CSL-JSON (not a project dependency: evidence only)."""
    try:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON
    except ImportError:
        print("citeproc-py is not installed; skipped")
        return
    from generator.bibliography.engine import style_path

    items = [entry.csl for entry in list(bib.entries.values())[:count]]
    for style_id in STYLES:
        start = time.perf_counter()
        source = CiteProcJSON(items)
        style = CitationStylesStyle(str(style_path(style_id)), validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.html)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
        elapsed = time.perf_counter() - start
        print(f"citeproc-py {style_id}: {count} refs {elapsed:.2f} s ({1000 * elapsed / count:.1f} ms/ref); "
              f"first: {rendered[0][:100]}")


if __name__ == "__main__":
    raise SystemExit(main())
