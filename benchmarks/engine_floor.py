"""Benchmark: what a rebuild after one edit would cost if the generator stage cost nothing.

    .venv/bin/python benchmarks/engine_floor.py -n 10000 --work /tmp/bench --builds 2
    .venv/bin/python benchmarks/engine_floor.py -n 1000 --work /tmp/bench --serve-reloads 8

The project is ``WORK/n<N>`` (made by :mod:`benchmarks.corpus` if missing, reused with its
caches otherwise, as ``run.py --edit-one`` does). One organisation's summary is toggled between
two states, as it is and with "Edited. " before it. Every build runs through
:mod:`benchmarks.replay_generator`: the generator stage runs once for each state and its output is
recorded; every later build of that state replays the record, so MkDocs, the theme, the kept
pages and Pagefind do all their usual work on the same files, and the generator's part is only
the replay (its own CPU seconds are printed and subtracted). The figures are therefore the floor
that the rest of the build sets, which no change to the generator can go below:

* ``--builds``: ``mkdocs build`` after each toggle (one edit: two pages change, one search shard
  is re-indexed), then one build with nothing changed; and for comparison the same edit with the
  real generator;
* ``--plain``: after the builds, plain MkDocs on the same pages: the generator's Markdown of the
  state the project is left in is written into a project without the ``companion`` plugin (as
  ``run.py`` makes its "plain" project) and built once, so that the one-edit build's CPU seconds
  can be given as a ratio to plain MkDocs measured in the same run (the issue's 30 CPU s were
  set where plain MkDocs needed about 140);
* ``--serve-reloads``: ``mkdocs serve``'s edit-to-reload time (as ``run.py`` measures it); the
  server's first build and the first reload record the two states, the other reloads replay them;
  ``--serve-real-reloads`` the same with the real generator, for comparison.

CPU seconds are user + system of the build and the processes it waited for (Pagefind).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import run  # noqa: E402
from replay_generator import REPLAY_LINE  # noqa: E402

EDIT_MARK = "Edited. "
REPLAY_CPU = re.compile(re.escape(REPLAY_LINE) + r" replayed in ([\d.]+) CPU s")


class Toggle:
    """One organisation's summary, switched between the file as it was and the same with :data:`EDIT_MARK`."""

    def __init__(self, project: Path) -> None:
        self.path = sorted((project / "content" / "organisations").glob("*.yaml"))[0]
        text = self.path.read_text(encoding="utf-8")
        start = run.summary_start(self.path, text)
        self.plain = text.replace(f"{start}{EDIT_MARK}", start, 1)
        self.edited = self.plain.replace(start, f"{start}{EDIT_MARK}", 1)

    def __call__(self, project: Path | None = None) -> Path:
        current = self.path.read_text(encoding="utf-8")
        self.path.write_text(self.plain if current == self.edited else self.edited, encoding="utf-8")
        return self.path


def replay_command(records: str) -> list[str]:
    """The command that runs MkDocs with the generator replayed (``-``: records kept in memory)."""
    return [sys.executable, str(ROOT / "benchmarks" / "replay_generator.py"), records]


def measure_builds(project: Path, work: Path, builds: int, timeout: float, toggle: Toggle) -> list[dict[str, Any]]:
    records = work / f"{project.name}-replay-records"
    shutil.rmtree(records, ignore_errors=True)
    config, site = project / "mkdocs.yml", project / "site"

    def build(name: str, replay: bool = True) -> dict[str, Any]:
        log = work / f"{project.name}-floor-{name}.log"
        command = [*replay_command(str(records)), "build", "--no-strict", "--config-file", str(config),
                   "--site-dir", str(site)] if replay else run.mkdocs_command(config, site, quiet=False)
        result = run.run_child(command, log, timeout)
        text = log.read_text(encoding="utf-8", errors="replace")
        replayed = [float(v) for v in REPLAY_CPU.findall(text)]
        row = {"build": name, "cpu_s": result.cpu_s, "replay_cpu_s": sum(replayed), "replayed": bool(replayed),
               "floor_cpu_s": result.cpu_s - sum(replayed), "wall_s": result.seconds, "peak_mb": result.peak_mb,
               "pages": run._kept(log)}
        run.note(f"{project.name}: {name}: {result.cpu_s:.1f} CPU s ({sum(replayed):.2f} of it replaying), "
                 f"{result.seconds:.1f} s wall, {row['pages']}")
        return row

    build("record-first-state")  # the state as found: recorded (fills the caches if empty)
    toggle()
    build("record-second-state")
    rows = []
    for attempt in range(builds):
        toggle()
        rows.append(build(f"one-edit-replayed-{attempt}"))
    rows.append(build("nothing-changed-replayed"))
    toggle()
    rows.append(build("one-edit-real-generator", replay=False))
    return rows


def measure_plain(project: Path, work: Path, timeout: float) -> dict[str, Any]:
    """Plain MkDocs (no ``companion`` plugin, so no search index either) on the generator's Markdown
    for ``project`` as it is now: one ``mkdocs build`` of every page."""
    plain = work / f"{project.name}-plain"
    shutil.rmtree(plain, ignore_errors=True)
    corpus.copy_docs(plain / "docs")
    corpus.write_mkdocs_config(plain / "mkdocs.yml", corpus.mkdocs_config(plain, plugin=False))
    run.run_child([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--worker", str(project),
                   "--write-docs", str(plain / "docs")], work / f"{project.name}-plain-docs.log", timeout)
    result = run.run_child(run.mkdocs_command(plain / "mkdocs.yml", plain / "site"),
                           work / f"{project.name}-plain-build.log", timeout)
    pages = sum(1 for _ in (plain / "site").rglob("*.html"))
    run.note(f"{project.name}: plain MkDocs: {result.cpu_s:.1f} CPU s, {result.seconds:.1f} s wall, "
             f"{result.peak_mb:,.0f} MB peak, {pages:,} HTML pages")
    return {"build": "plain-mkdocs", "cpu_s": result.cpu_s, "wall_s": result.seconds, "peak_mb": result.peak_mb,
            "html_pages": pages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, required=True, help="entries in the synthetic corpus")
    parser.add_argument("--work", type=Path, required=True, help="folder for the project and the logs (reused)")
    parser.add_argument("--builds", type=int, default=0, help="one-edit builds with the generator replayed")
    parser.add_argument("--plain", action="store_true", help="also build the same pages with plain MkDocs, for the ratio")
    parser.add_argument("--serve-reloads", type=int, default=0, help="mkdocs serve reloads (the first records the second state; the server's first build recorded the first)")
    parser.add_argument("--serve-real-reloads", type=int, default=0,
                        help="mkdocs serve reloads with the real generator, for comparison")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    project = args.work / f"n{args.n}"
    if not (project / "mkdocs.yml").is_file():
        run.note(f"N={args.n:,}: corpus {corpus.generate(project, args.n, None)}")
    toggle = Toggle(project)
    results: dict[str, Any] = {"n": args.n}
    if args.builds:
        results["builds"] = measure_builds(project, args.work, args.builds, args.timeout, toggle)
    if args.plain:
        results["plain"] = measure_plain(project, args.work, args.timeout)
    if args.serve_reloads:
        reloads = run.measure_serve(project, args.work / f"{project.name}-floor-serve.log", args.serve_reloads,
                                    args.timeout, mkdocs=replay_command("-"), edit=toggle)
        results["serve"] = [dict(r, replayed=i >= 1) for i, r in enumerate(reloads)]
    if args.serve_real_reloads:
        results["serve_real"] = run.measure_serve(project, args.work / f"{project.name}-real-serve.log",
                                                  args.serve_real_reloads, args.timeout, edit=toggle)
    if args.json:
        print(json.dumps(results))
    else:
        for row in results.get("builds", []):
            print(f"{row['build']:28} {row['cpu_s']:7.1f} CPU s  floor {row['floor_cpu_s']:7.1f}  "
                  f"{row['wall_s']:6.1f} s wall  {row['pages']}")
        plain = results.get("plain")
        if plain is not None:
            print(f"{'plain MkDocs, same pages':28} {plain['cpu_s']:7.1f} CPU s  {plain['wall_s']:21.1f} s wall  "
                  f"peak {plain['peak_mb']:,.0f} MB")
            for row in results.get("builds", []):
                print(f"  ratio {row['build']} / plain: {row['cpu_s'] / plain['cpu_s']:.3f} "
                      f"(floor {row['floor_cpu_s'] / plain['cpu_s']:.3f})")
        for i, row in enumerate(results.get("serve", [])):
            print(f"serve reload {i} ({'replayed' if row['replayed'] else 'recorded'}): {row['reload_s']:.2f} s, "
                  f"{row['cpu_s']:.2f} CPU s")
        for i, row in enumerate(results.get("serve_real", [])):
            print(f"serve reload {i} (real generator): {row['reload_s']:.2f} s, {row['cpu_s']:.2f} CPU s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
