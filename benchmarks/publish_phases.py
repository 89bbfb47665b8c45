"""Benchmark: the CPU seconds of a rebuild's publishing steps, with and without a recycled site.

    .venv/bin/python benchmarks/publish_phases.py W/n10000 --rounds 2

Each round edits one organisation's summary (a different one each time, as ``run.py
--edit-one`` does) and runs ``mkdocs build`` in a child process twice in turn:

* **without the spare**: ``.site.spare`` is moved aside first, so the build links every kept
  page into a new folder as builds did before recycling; then the site it replaced (left as the
  spare) is deleted with ``rm -rf`` and that is added, as the earlier builds deleted it
  themselves (a little more slowly: ``shutil.rmtree``). The spare moved aside is put back.
* **with the spare**: the build recycles the site replaced two builds before.

The child times, with the main thread's CPU clock (``time.thread_time``, which counts neither
waiting for the disk nor other threads), the steps that differ: linking the kept pages
(``RenderCache.choose``), pruning the recycled folder, keeping unchanged data files, the search
index's own work outside Pagefind, and the swap. It also reports the whole process's CPU and
Pagefind's (its children). Profilers such as cProfile time file-system calls by the wall clock,
which on a busy disk is mostly waiting; this is why this benchmark exists.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import MKDOCS_ENV, summary_start  # noqa: E402

STEPS = {
    ("generator.render_cache", "RenderCache.choose"): "link kept pages",
    ("generator.mkdocs_plugin", "prune"): "prune the recycled folder",
    ("generator.mkdocs_plugin", "_keep_unchanged_files"): "keep unchanged data files",
    ("generator.mkdocs_plugin", "index_site"): "search index (not Pagefind)",
    ("generator.mkdocs_plugin", "swap_in"): "swap",
}


def child() -> None:
    """Run ``mkdocs build`` here with the steps timed; print them as JSON on the last line."""
    import importlib

    spent: dict[str, float] = {}
    for (module_name, attribute), label in STEPS.items():
        module = importlib.import_module(module_name)
        owner, name = module, attribute
        if "." in attribute:
            owner_name, name = attribute.split(".")
            owner = getattr(module, owner_name)
        real = getattr(owner, name, None)
        if real is None:
            continue

        def timed(*args, _real=real, _label=label, **kwargs):
            start = time.thread_time()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.thread_time() - start

        setattr(owner, name, timed)
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", "build", "--no-strict", "-q"]
    try:
        cli()
    except SystemExit as end:
        if end.code:
            raise
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent["process, without Pagefind"] = own.ru_utime + own.ru_stime
    spent["Pagefind"] = children.ru_utime + children.ru_stime
    print(json.dumps({label: round(seconds, 2) for label, seconds in spent.items()}))


def edit(project: Path, number: int) -> None:
    """Prefix one more organisation's summary with "Edited. "."""
    files = sorted((project / "content" / "organisations").glob("*.yaml"))
    path = files[number % len(files)]
    text = path.read_text(encoding="utf-8")
    start = summary_start(path, text)
    path.write_text(text.replace(start, f"{start}Edited. ", 1), encoding="utf-8")


def build(project: Path) -> dict[str, float]:
    env = {**os.environ, **MKDOCS_ENV, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, __file__, "--child"], cwd=project, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{run.stderr[-4000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def delete_cpu(folder: Path) -> float:
    """CPU seconds of ``rm -rf folder`` (user + system of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["rm", "-rf", str(folder)], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        child()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a built project (corpus.py), with its caches filled")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--first-edit", type=int, default=500, help="which organisation to edit first")
    args = parser.parse_args()
    project = args.project.resolve()
    spare, aside = project / ".site.spare", project / ".site.spare-aside"
    number = args.first_edit
    if not spare.is_dir():  # each round needs one: a build makes it (untimed)
        edit(project, number)
        number += 1
        build(project)
    for round_number in range(1, args.rounds + 1):
        for recycled in (False, True):
            edit(project, number)
            number += 1
            if not recycled and spare.exists():
                shutil.rmtree(aside, ignore_errors=True)
                os.rename(spare, aside)
            steps = build(project)
            if not recycled:
                steps["delete the replaced site (rm -rf)"] = round(delete_cpu(spare), 2)
                if aside.exists():
                    os.rename(aside, spare)
            publishing = sum(seconds for label, seconds in steps.items() if label in STEPS.values()
                             or label.startswith("delete"))
            print(json.dumps({"round": round_number, "spare": recycled, "publishing steps": round(publishing, 2),
                              **steps}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
