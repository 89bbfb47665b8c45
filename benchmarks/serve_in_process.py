"""Benchmark: ``mkdocs serve``'s rebuilds, timed inside one process, without the server around them.

    .venv/bin/python benchmarks/serve_in_process.py W/n1000 --reloads 9 --gap 5

Does what ``mkdocs serve`` does for each reload (``mkdocs.commands.serve``): loads ``mkdocs.yml``
again and builds into one temporary folder, with the plugins started once for ``serve`` (so the
companion plugin keeps what it keeps between reloads, and refreshes the search index in the
background). Before each reload one organisation's summary is toggled (as in
:mod:`engine_floor`), ``--gap`` seconds after the previous reload. Prints each reload's wall and
CPU seconds (the process's, all threads; not Pagefind's, a child). Unlike ``engine_floor.py
--serve-real-reloads`` it leaves out the file watcher and the live-reload poll, and with a long
enough gap the background index of the previous reload is done before the next edit.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_floor import Toggle  # noqa: E402
from run import MKDOCS_ENV  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project folder (mkdocs.yml, content/, ...), e.g. made by corpus.py")
    parser.add_argument("--reloads", type=int, default=9)
    parser.add_argument("--gap", type=float, default=5.0, help="seconds between a reload and the next edit")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    os.environ.update(MKDOCS_ENV)
    logging.basicConfig(level=logging.ERROR)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = args.project.resolve()
    os.chdir(project)
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")
    url = "http://127.0.0.1:8000/"

    def reload(config=None) -> None:
        if config is None:
            config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site_dir, strict=False)
        config.site_url = url
        build(config, serve_url=url, dirty=False)

    toggle = Toggle(project)
    config = None
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site_dir, strict=False)
        config.plugins.on_startup(command="serve", dirty=False)
        reload(config)
        results = []
        for _ in range(args.reloads):
            time.sleep(args.gap)
            toggle()
            wall, cpu = time.perf_counter(), time.process_time()
            reload()
            results.append({"reload_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu})
    finally:
        if config is not None:
            config.plugins.on_shutdown()  # as mkdocs serve does (the companion deletes its spare site)
        shutil.rmtree(site_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(results))
        return
    for number, row in enumerate(results, 1):
        print(f"reload {number}: {row['reload_s']:.2f} s, {row['cpu_s']:.2f} CPU s")
    print(f"median: {statistics.median(r['reload_s'] for r in results):.2f} s, "
          f"{statistics.median(r['cpu_s'] for r in results):.2f} CPU s")


if __name__ == "__main__":
    main()
