"""Benchmark: the generator and the full MkDocs build against plain MkDocs, at N entries.

    .venv/bin/python benchmarks/run.py                      # N = 100, 1,000, 10,000 (takes minutes)
    .venv/bin/python benchmarks/run.py -n 100 -n 1000       # chosen sizes
    .venv/bin/python benchmarks/run.py -n 100 -m 10 --json  # machine-readable
    .venv/bin/python benchmarks/run.py -n 1000 --profile prof/   # also cProfile both builds
    .venv/bin/python benchmarks/run.py -n 1000 --variants   # also MkDocs/Material settings
    .venv/bin/python benchmarks/run.py --report a.json b.json   # the table of saved --json runs
    .venv/bin/python benchmarks/run.py -n 1000 --edit-one --repeat 3 --serve-reloads 3 --work /tmp/bench
                                                            # rebuild after one edit: every page vs kept pages

For each N, :mod:`benchmarks.corpus` writes a synthetic project, then every measurement
runs in its own child process (fresh imports; peak memory from ``wait4``, which on Linux
is the largest resident set of the child and the processes it waited for, e.g. Node):

1. the generator stage alone (``pipeline.build``) with empty caches ("cold": citations,
   entries, pages), timed by stage: load entries (parse + validate),
   bibliography, link, citations (collect + format), emit (render every page);
2. the same again with the caches filled ("warm": a rebuild with nothing changed, which
   must parse no entry file, start no citation engine and format nothing); this run also
   writes the generated Markdown into a second project that has no ``companion`` plugin;
3. the same after one organisation's summary was edited: how many entry files were
   parsed and how many entry pages came from the page cache;
4. ``mkdocs build`` of the project, each time right after another such edit (the rebuild a
   contributor waits for), and ``mkdocs build`` of the plain project (the same Markdown but
   for that one summary, no plugin), interleaved ``--repeat`` times (the run with the least
   CPU time is kept);
5. one ``mkdocs build`` of the project with every cache removed (the first build, as in a
   fresh clone), citation formatting by Node included.

Each time is given as wall-clock seconds and as CPU seconds (user + system of the process
and the processes it waited for). On a shared machine wall time varies with everything
else that runs; CPU time hardly does, so the ratios and targets use CPU time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import pstats
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.pipeline import read_mkdocs_yml  # noqa: E402

from benchmarks import corpus  # noqa: E402

DEFAULT_SIZES = (100, 1_000, 10_000)
TIMEOUT_SECONDS = 3 * 3600
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

#: Every measurement, in table order: (key, label, format). The JSON records use the keys.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("n", "entries (N)", "{:,}"),
    ("sources", "BibTeX entries (M)", "{:,}"),
    ("html_pages", "HTML pages", "{:,}"),
    ("generator_s", "generator stage (`pipeline.build`), warm cache: wall s", "{:.2f}"),
    ("generator_cpu_s", "generator stage, warm cache: CPU s", "{:.2f}"),
    ("generator_ms_per_entry", "generator per entry: CPU ms", "{:.2f}"),
    ("load_cpu_s", "  load + validate entries: CPU s", "{:.2f}"),
    ("bibliography_cpu_s", "  parse bibliography: CPU s", "{:.2f}"),
    ("link_cpu_s", "  link: CPU s", "{:.2f}"),
    ("citations_cpu_s", "  citations (collect + format from cache): CPU s", "{:.2f}"),
    ("page_citations_cpu_s", "  \"cite this page\" references (from cache): CPU s", "{:.2f}"),
    ("emit_cpu_s", "  render + emit pages: CPU s", "{:.2f}"),
    ("other_cpu_s", "  other (history, glossary, setup): CPU s", "{:.2f}"),
    ("full_s", "full `mkdocs build`, rebuild after editing one entry: wall s", "{:.2f}"),
    ("plain_s", "plain `mkdocs build` (same Markdown): wall s", "{:.2f}"),
    ("ratio", "ratio full / plain, wall", "{:.2f}"),
    ("full_cpu_s", "full `mkdocs build`: CPU s", "{:.2f}"),
    ("plain_cpu_s", "plain `mkdocs build`: CPU s", "{:.2f}"),
    ("ratio_cpu", "ratio full / plain, CPU", "{:.2f}"),
    ("generator_share", "generator / full build, CPU", "{:.1%}"),
    ("first_s", "first full build (empty caches, citations formatted): wall s", "{:.2f}"),
    ("first_cpu_s", "first full build: CPU s (with Node)", "{:.2f}"),
    ("ratio_first_cpu", "ratio first build / plain, CPU", "{:.2f}"),
    ("full_ms_per_page", "full build per HTML page: CPU ms", "{:.1f}"),
    ("plain_ms_per_page", "plain build per HTML page: CPU ms", "{:.1f}"),
    ("citations_cold_s", "site citations, empty cache: wall s", "{:.2f}"),
    ("page_citations_cold_s", "\"cite this page\" references, empty cache: wall s", "{:.2f}"),
    ("citations_cold_formatted", "  formatted by citeproc-js (refs + clusters)", "{:,}"),
    ("citations_warm_s", "all citations, cache filled: wall s", "{:.2f}"),
    ("generator_cold_s", "generator stage, empty cache: wall s", "{:.2f}"),
    ("cold_total_cpu_s", "generator stage, empty cache: CPU s (Python; Node not counted)", "{:.2f}"),
    ("cold_emit_cpu_s", "  render + emit pages, empty cache: CPU s", "{:.2f}"),
    ("cold_load_cpu_s", "load + validate entries, empty cache: CPU s", "{:.2f}"),
    ("cold_parsed", "  entry files parsed, empty cache", "{:,}"),
    ("rebuild_parsed", "rebuild, nothing changed: entry files parsed", "{:,}"),
    ("rebuild_reused_pages", "rebuild, nothing changed: entry pages from the page cache", "{:,}"),
    ("edit_parsed", "rebuild after editing one entry: entry files parsed", "{:,}"),
    ("edit_reused_pages", "  its entry pages from the page cache", "{:,}"),
    ("edit_load_cpu_s", "  its load + validate stage: CPU s", "{:.2f}"),
    ("edit_cpu_s", "  its generator stage: CPU s", "{:.2f}"),
    ("rebuild_engine_runs", "rebuild, same bibliography: engine runs", "{:,}"),
    ("rebuild_formatted", "rebuild, same bibliography: formatted", "{:,}"),
    ("peak_generator_mb", "peak RSS, generator (MB)", "{:,.0f}"),
    ("peak_full_mb", "peak RSS, full build (MB)", "{:,.0f}"),
    ("peak_plain_mb", "peak RSS, plain build (MB)", "{:,.0f}"),
    ("site_mb", "site size, all files (MB)", "{:,.1f}"),
    ("search_index_mb", "  of which search index (MB)", "{:,.2f}"),
    ("avg_page_kb", "average HTML page (KB)", "{:.1f}"),
    ("avg_entry_page_kb", "average entry page (KB)", "{:.1f}"),
    ("max_page_kb", "largest HTML page (KB)", "{:,.0f}"),
)

VARIANTS: dict[str, Callable[[dict[str, Any]], None]] = {}
"""MkDocs/Material settings tried with ``--variants``: name -> change to the project's mkdocs.yml."""


def _variant(name: str):
    def register(function: Callable[[dict[str, Any]], None]):
        VARIANTS[name] = function
        return function
    return register


def _plugins(config: dict[str, Any]) -> list[Any]:
    return config.setdefault("plugins", [])


def _plugin_name(item: Any) -> str:
    return item if isinstance(item, str) else next(iter(item))


@_variant("no mkdocstrings (API page)")
def _no_mkdocstrings(config: dict[str, Any]) -> None:
    config["plugins"] = [p for p in _plugins(config) if _plugin_name(p) != "mkdocstrings"]
    config["nav"] = [item for item in config["nav"] if not isinstance(item, dict) or "Contributing" not in item] + [
        {"Contributing": [{"Writing entries": "contributing/content-format.md"},
                          {"Field reference": "reference/fields.md"}, {"Diagnostics": "reference/diagnostics.md"}]}]
    config.setdefault("exclude_docs", "reference/api.md\n")


@_variant("toc without permalink")
def _toc_plain(config: dict[str, Any]) -> None:
    config["markdown_extensions"] = ["toc" if isinstance(e, dict) and "toc" in e else e
                                     for e in config["markdown_extensions"]]


@_variant("no navigation.* features")
def _no_navigation_features(config: dict[str, Any]) -> None:
    config["theme"]["features"] = [f for f in config["theme"]["features"] if not f.startswith("navigation.")]


@_variant("navigation.instant + prune")
def _instant_prune(config: dict[str, Any]) -> None:
    config["theme"]["features"] = config["theme"]["features"] + ["navigation.instant", "navigation.prune"]


@_variant("no nav: (every page in the sidebar)")
def _auto_nav(config: dict[str, Any]) -> None:
    config.pop("nav", None)


@_variant("no nav: + navigation.prune")
def _auto_nav_pruned(config: dict[str, Any]) -> None:
    config.pop("nav", None)
    config["theme"]["features"] = config["theme"]["features"] + ["navigation.prune"]


@_variant("validation: links ignored")
def _no_link_validation(config: dict[str, Any]) -> None:
    config["validation"] = {"omitted_files": "ignore", "absolute_links": "ignore", "unrecognized_links": "ignore",
                            "anchors": "ignore"}


# -- child processes --------------------------------------------------------------------------


@dataclasses.dataclass
class ChildResult:
    seconds: float
    peak_mb: float
    cpu_s: float
    output: dict[str, Any]


class BenchmarkError(RuntimeError):
    """A build failed or timed out."""


def run_child(command: list[str], log: Path, timeout: float, cwd: Path | None = None) -> ChildResult:
    """Run ``command``; wall time, peak RSS (tree, via wait4) and the JSON it prints last, if any."""
    env = {**os.environ, **MKDOCS_ENV}
    with open(log, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                   start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        try:
            # wait4, not Popen.wait: it also returns the child's resource usage.
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if seconds >= timeout:
        raise BenchmarkError(f"{' '.join(command)} did not finish within {timeout:.0f} s (log {log})")
    if process.returncode != 0:
        tail = "\n".join(text.strip().splitlines()[-15:])
        raise BenchmarkError(f"{' '.join(command)} exited with {process.returncode} (log {log}):\n{tail}")
    output: dict[str, Any] = {}
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            output = json.loads(line)
            break
    return ChildResult(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, output)


def mkdocs_command(config_file: Path, site_dir: Path, quiet: bool = True) -> list[str]:
    # --quiet also keeps strict mode from counting warnings (the corpus has some); the plugin's
    # summary line needs the log, so without --quiet the build is made not strict instead.
    return [sys.executable, "-m", "mkdocs", "build", *(["--quiet"] if quiet else ["--no-strict"]),
            "--config-file", str(config_file), "--site-dir", str(site_dir)]


# -- the worker: the generator stage in a child process -----------------------------------------


def project_config(project: Path):
    """The :class:`ProjectConfig` the plugin makes from the project's mkdocs.yml (by the plugin's own code)."""
    from types import SimpleNamespace

    import yaml

    from generator.mkdocs_plugin import CompanionPlugin
    from generator.site_meta import site_info

    config_file = project / "mkdocs.yml"
    config = read_mkdocs_yml(config_file)
    options: dict[str, Any] = {}
    for item in config.get("plugins", []):
        if _plugin_name(item) == "companion" and isinstance(item, dict):
            options = item["companion"] or {}
    plugin = CompanionPlugin()
    errors, _ = plugin.load_config(options, config_file_path=str(config_file))
    if errors:
        raise BenchmarkError(f"companion options: {errors}")
    mkdocs_config = SimpleNamespace(config_file_path=str(config_file), site_name=config["site_name"],
                                    site_url=config.get("site_url"), site_description=config.get("site_description"),
                                    extra=config.get("extra") or {})
    plugin._site = site_info(mkdocs_config.extra)
    return plugin._project(mkdocs_config)


def worker(project: Path, write_docs: Path | None) -> int:
    """Run ``pipeline.build`` once, timing its stages; print one JSON line."""
    import generator.pipeline as pipeline
    from generator.bibliography.formatter import CitationFormatter

    stages: dict[str, float] = defaultdict(float)
    formatters: list[Any] = []
    format_seconds: dict[int, float] = defaultdict(float)
    format_cpu: dict[int, float] = defaultdict(float)
    site_formatters: set[int] = set()

    def timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                stages[stage] += time.perf_counter() - start
                stages[stage.replace("_s", "_cpu_s")] += time.process_time() - cpu
        return wrapper

    # The stages are the names pipeline.build calls; wrapping them times the real build.
    for name, stage in (("load_entries", "load_s"), ("load_bibliography", "bibliography_s"), ("link", "link_s"),
                        ("page_bibliography", "page_citations_s"), ("emit_site", "emit_s")):
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(stage, getattr(pipeline, name)))
    collect, site_format = pipeline.SiteCitations.collect, pipeline.SiteCitations.format

    def format_site(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.formatter is not None:
            site_formatters.add(id(self.formatter))
        return site_format(self, *args, **kwargs)

    pipeline.SiteCitations.collect = timed("citations_s", collect)
    pipeline.SiteCitations.format = timed("citations_s", format_site)
    # Every formatter, wherever it is made: its counters and the time it spends formatting.
    original_init, original_format = CitationFormatter.__init__, CitationFormatter.format

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        formatters.append(self)

    def format_(self: Any, *args: Any, **kwargs: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return original_format(self, *args, **kwargs)
        finally:
            format_seconds[id(self)] += time.perf_counter() - start
            format_cpu[id(self)] += time.process_time() - cpu

    CitationFormatter.__init__, CitationFormatter.format = init, format_
    import generator.load.loader as loader

    parsed: list[str] = []
    original_check_entry = loader.check_entry

    def check_entry(entry_type: Any, data: bytes, path: str, diagnostics: Any) -> Any:
        parsed.append(path)
        return original_check_entry(entry_type, data, path, diagnostics)

    loader.check_entry = check_entry
    config = project_config(project)
    start, cpu = time.perf_counter(), time.process_time()
    result = pipeline.build(config)
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    if not result.ok:
        for diagnostic in list(result.diagnostics.sorted())[:30]:
            print(diagnostic, file=sys.stderr)
        print(f"{len(result.diagnostics.errors)} error(s)", file=sys.stderr)
        return 1
    # Formatting outside the site's citations is the "cite this page" references.
    stages["page_citations_s"] += sum(s for f, s in format_seconds.items() if f not in site_formatters)
    stages["page_citations_cpu_s"] += sum(s for f, s in format_cpu.items() if f not in site_formatters)
    stages["other_s"] = total - sum(v for k, v in stages.items() if not k.endswith("_cpu_s"))
    stages["other_cpu_s"] = total_cpu - sum(v for k, v in stages.items() if k.endswith("_cpu_s"))
    if write_docs is not None:
        from generator.pipeline import write_files

        write_files(result.files, write_docs)
    print(json.dumps({
        "total_s": total, "total_cpu_s": total_cpu, **stages, "files": len(result.files), "entries": len(result.site.entries),
        "formatters": len(formatters), "parsed": len(parsed), "reused_pages": result.reused_pages,
        "engine_runs": sum(f.engine_runs for f in formatters), "formatted": sum(f.formatted for f in formatters),
    }))
    return 0


def profile_worker(project: Path, out: Path) -> int:
    """``pipeline.build`` under cProfile, timed in CPU time (robust when the machine is busy)."""
    import cProfile

    profiler = cProfile.Profile(time.process_time)
    status = profiler.runcall(worker, project, None)
    profiler.dump_stats(str(out))
    return status


def profile_mkdocs(config_file: Path, site_dir: Path, out: Path) -> int:
    """``mkdocs build`` under cProfile, in CPU time."""
    import cProfile

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def run() -> None:
        config = load_config(str(config_file), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()

    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(run)
    profiler.dump_stats(str(out))
    return 0


# -- measuring one size -------------------------------------------------------------------------


def site_sizes(site: Path) -> dict[str, float]:
    total = html_bytes = entry_bytes = largest = 0
    pages = entry_pages = 0
    entry_folders = {"organisations", "events", "concepts", "countries", "disagreements"}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            pages += 1
            html_bytes += size
            largest = max(largest, size)
            parts = path.relative_to(site).parts
            if len(parts) == 3 and parts[0] in entry_folders and parts[2] == "index.html":
                entry_pages += 1
                entry_bytes += size
    # The whole search index (generator/outputs/search_index.py, search_names.py); a reader fetches a few chunks of it.
    search = sum(path.stat().st_size for folder in ("pagefind", "search-names")
                 for path in (site / folder).rglob("*") if path.is_file())
    return {
        "html_pages": pages, "site_mb": total / 1e6,
        "search_index_mb": search / 1e6,
        "avg_page_kb": html_bytes / max(pages, 1) / 1e3, "avg_entry_page_kb": entry_bytes / max(entry_pages, 1) / 1e3,
        "max_page_kb": largest / 1e3,
    }


def note(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(n: int, m: int | None, work: Path, repeat: int, timeout: float, profile: Path | None,
            variants: bool) -> dict[str, Any]:
    """Every measurement for one size; the keys of :data:`COLUMNS` (and a few more)."""
    project, plain = work / f"n{n}", work / f"n{n}-plain"
    start = time.perf_counter()
    shape = corpus.generate(project, n, m)
    note(f"N={n:,}: corpus {shape} in {time.perf_counter() - start:.1f} s")
    me = [sys.executable, str(Path(__file__).resolve())]

    shutil.rmtree(project / ".cache", ignore_errors=True)
    cold = run_child(me + ["--worker", str(project)], work / f"n{n}-generator-cold.log", timeout)
    note(f"N={n:,}: generator cold {cold.seconds:.1f} s")
    if plain.exists():
        shutil.rmtree(plain)
    corpus.copy_docs(plain / "docs")
    corpus.write_mkdocs_config(plain / "mkdocs.yml", corpus.mkdocs_config(plain, plugin=False))
    warm = run_child(me + ["--worker", str(project), "--write-docs", str(plain / "docs")],
                     work / f"n{n}-generator-warm.log", timeout)
    note(f"N={n:,}: generator warm {warm.seconds:.1f} s")
    edited = edit_one_entry(project)
    edit = run_child(me + ["--worker", str(project)], work / f"n{n}-generator-edit.log", timeout)
    note(f"N={n:,}: generator after editing {edited.name}: {edit.seconds:.1f} s, {edit.output['parsed']} file(s) parsed")

    full_runs, plain_runs = [], []
    for attempt in range(repeat):
        edit_one_entry(project)  # each full build is a rebuild after a contributor's edit
        full_runs.append(run_child(mkdocs_command(project / "mkdocs.yml", project / "site"),
                                   work / f"n{n}-full-{attempt}.log", timeout))
        note(f"N={n:,}: full build {full_runs[-1].seconds:.1f} s")
        plain_runs.append(run_child(mkdocs_command(plain / "mkdocs.yml", plain / "site"),
                                    work / f"n{n}-plain-{attempt}.log", timeout))
        note(f"N={n:,}: plain build {plain_runs[-1].seconds:.1f} s")
    full = min(full_runs, key=lambda r: r.cpu_s)
    plain_run = min(plain_runs, key=lambda r: r.cpu_s)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    first = run_child(mkdocs_command(project / "mkdocs.yml", project / "site-first"), work / f"n{n}-full-first.log",
                      timeout)
    note(f"N={n:,}: first full build (empty caches) {first.seconds:.1f} s")
    sizes = site_sizes(project / "site")
    plain_sizes = site_sizes(plain / "site")

    generator_s, generator_cpu_s = warm.output["total_s"], warm.output["total_cpu_s"]
    stage_keys = ("load", "bibliography", "link", "citations", "page_citations", "emit", "other")
    record: dict[str, Any] = {
        "n": shape.entries, "sources": shape.sources,
        "entries_by_type": {"countries": shape.countries, "organisations": shape.organisations,
                            "events": shape.events, "concepts": shape.concepts},
        "generator_s": generator_s, "generator_cpu_s": generator_cpu_s,
        "generator_ms_per_entry": 1000 * generator_cpu_s / shape.entries,
        **{f"{key}_s": warm.output.get(f"{key}_s", 0.0) for key in stage_keys},
        **{f"{key}_cpu_s": warm.output.get(f"{key}_cpu_s", 0.0) for key in stage_keys},
        "full_s": full.seconds, "plain_s": plain_run.seconds, "ratio": full.seconds / plain_run.seconds,
        "first_s": first.seconds, "first_cpu_s": first.cpu_s, "ratio_first_cpu": first.cpu_s / plain_run.cpu_s,
        "full_cpu_s": full.cpu_s, "plain_cpu_s": plain_run.cpu_s, "ratio_cpu": full.cpu_s / plain_run.cpu_s,
        "generator_share": generator_cpu_s / full.cpu_s,
        "full_ms_per_page": 1000 * full.cpu_s / max(sizes["html_pages"], 1),
        "plain_ms_per_page": 1000 * plain_run.cpu_s / max(plain_sizes["html_pages"], 1),
        "citations_cold_s": cold.output.get("citations_s", 0.0),
        "page_citations_cold_s": cold.output.get("page_citations_s", 0.0),
        "citations_cold_formatted": cold.output["formatted"],
        "citations_warm_s": warm.output.get("citations_s", 0.0) + warm.output.get("page_citations_s", 0.0),
        "generator_cold_s": cold.output["total_s"],
        "rebuild_engine_runs": warm.output["engine_runs"], "rebuild_formatted": warm.output["formatted"],
        "cold_parsed": cold.output["parsed"], "rebuild_parsed": warm.output["parsed"],
        "edit_parsed": edit.output["parsed"], "edit_cpu_s": edit.output["total_cpu_s"],
        "edit_reused_pages": edit.output["reused_pages"], "rebuild_reused_pages": warm.output["reused_pages"],
        "cold_emit_cpu_s": cold.output.get("emit_cpu_s", 0.0), "cold_total_cpu_s": cold.output["total_cpu_s"],
        "edit_load_cpu_s": edit.output.get("load_cpu_s", 0.0), "cold_load_cpu_s": cold.output.get("load_cpu_s", 0.0),
        "peak_generator_mb": warm.peak_mb, "peak_full_mb": full.peak_mb, "peak_plain_mb": plain_run.peak_mb,
        **sizes,
        "full_runs": [[r.seconds, r.cpu_s] for r in full_runs], "plain_runs": [[r.seconds, r.cpu_s] for r in plain_runs],
        "plain_html_pages": plain_sizes["html_pages"], "plain_avg_page_kb": plain_sizes["avg_page_kb"],
        "load_average": os.getloadavg(),
    }
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        run_child(me + ["--worker", str(project), "--profile-out", str(profile / f"generator-n{n}.prof")],
                  work / f"n{n}-profile-generator.log", timeout)
        run_child(me + ["--profile-mkdocs", str(project / "mkdocs.yml"), str(work / f"n{n}-profile-site"),
                        str(profile / f"full-n{n}.prof")], work / f"n{n}-profile-full.log", timeout)
        for name in (f"generator-n{n}", f"full-n{n}"):
            write_profile_summary(profile / f"{name}.prof", profile / f"{name}.txt")
        note(f"N={n:,}: profiles in {profile}")
    if variants:
        record["variants"] = measure_variants(n, project, work, timeout, full, sizes)
    return record


def summary_start(path: Path, text: str) -> str:
    """Where the one-line summary of an entry file begins (the corpus quotes its summaries; the
    companion's own entries mostly do not)."""
    start = '\nsummary: "' if '\nsummary: "' in text else "\nsummary: "
    if start not in text:
        raise BenchmarkError(f"{path}: no one-line summary to edit")
    return start


def edit_one_entry(project: Path) -> Path:
    """Change one organisation's summary, as a contributor would, and return the file."""
    path = sorted((project / "content" / "organisations").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    start = summary_start(path, text)
    path.write_text(text.replace(start, f"{start}Edited. ", 1), encoding="utf-8")
    return path


# -- --edit-one: what a rebuild after one edit costs, with and without the kept pages ----------


KEPT_LINE = re.compile(r"companion: (?:([\d,]+) of ([\d,]+) pages kept from the previous build; ([\d,]+) converted"
                       r"|rendering every page: (.+))")


def _kept(log: Path) -> dict[str, Any]:
    """What the plugin's log line says: pages kept and converted, or why every page was rendered."""
    found = KEPT_LINE.search(log.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        return {}
    if found.group(4):
        return {"every_page": found.group(4)}
    return {"kept": int(found.group(1).replace(",", "")), "pages": int(found.group(2).replace(",", "")),
            "converted": int(found.group(3).replace(",", ""))}


def measure_edit_one(n: int, m: int | None, work: Path, repeat: int, timeout: float, reloads: int) -> dict[str, Any]:
    """``mkdocs build`` after one organisation's summary was edited: with every page rendered (the
    render cache removed; the generator's caches kept, as before the kept pages) and with the
    pages of the previous build kept; then, with ``reloads`` > 0, ``mkdocs serve``'s edit-to-reload
    time. A project already in ``work`` (``n<N>/``) is reused with its caches, so that a first build
    at N = 10,000 is paid once."""
    project = work / f"n{n}"
    if not (project / "mkdocs.yml").is_file():
        shape = corpus.generate(project, n, m)
        note(f"N={n:,}: corpus {shape}")
    config, site = project / "mkdocs.yml", project / "site"
    record: dict[str, Any] = {"n": n}

    def build(name: str) -> ChildResult:
        log = work / f"n{n}-edit-one-{name}.log"
        result = run_child(mkdocs_command(config, site, quiet=False), log, timeout)
        record[f"{name}_cpu_s"], record[f"{name}_s"], record[f"{name}_peak_mb"] = result.cpu_s, result.seconds, result.peak_mb
        record[f"{name}_pages"] = _kept(log)
        note(f"N={n:,}: {name}: {result.seconds:.1f} s wall, {result.cpu_s:.1f} s CPU, {record[f'{name}_pages']}")
        return result

    if not (project / ".cache").exists():
        build("first")  # empty caches: citations formatted, every page rendered
    edit_one_entry(project)
    (project / ".cache" / "render.json").unlink(missing_ok=True)
    build("every_page")  # after an edit, every page rendered (as before the render cache)
    runs = []
    for attempt in range(max(1, repeat)):
        edit_one_entry(project)
        runs.append(build(f"kept_{attempt}"))
    best = min(range(len(runs)), key=lambda i: runs[i].cpu_s)
    record["kept_cpu_s"], record["kept_s"] = runs[best].cpu_s, runs[best].seconds
    record["kept_peak_mb"], record["kept_pages"] = record[f"kept_{best}_peak_mb"], record[f"kept_{best}_pages"]
    record["ratio_kept_every_cpu"] = record["kept_cpu_s"] / record["every_page_cpu_s"]
    if reloads > 0:
        record["serve"] = measure_serve(project, work / f"n{n}-serve.log", reloads, timeout)
    return record


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8", errors="replace")


def _process_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and of its children it has waited for (utime, stime, cutime, cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def measure_serve(project: Path, log: Path, reloads: int, timeout: float,
                  mkdocs: list[str] | None = None, edit: Callable[[Path], Any] | None = None) -> list[dict[str, float]]:
    """Edit-to-reload in ``mkdocs serve``: from writing the edit until the live-reload poll a browser
    makes (``/livereload/<epoch>/<id>``) answers with a newer build; and the server's CPU seconds
    (Pagefind, its child, included) over that time.

    ``mkdocs`` is the command that runs MkDocs (``python -m mkdocs``); ``edit`` makes each edit
    (:func:`edit_one_entry`)."""
    port = _free_port()
    env = {**os.environ, **MKDOCS_ENV}
    mkdocs = mkdocs or [sys.executable, "-m", "mkdocs"]
    edit = edit or edit_one_entry
    with open(log, "wb") as out:
        server = subprocess.Popen([*mkdocs, "serve", "--no-strict", "--dev-addr", f"127.0.0.1:{port}",
                                   "--config-file", str(project / "mkdocs.yml")], stdout=out, stderr=subprocess.STDOUT,
                                  cwd=project, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        page = ""
        while time.monotonic() < deadline:
            try:
                page = _get(f"http://127.0.0.1:{port}/", 60)
                break
            except OSError:
                if server.poll() is not None:
                    raise BenchmarkError(f"mkdocs serve exited (log {log})")
                time.sleep(1)
        found = re.search(r"livereload\((\d+), (\d+)\)", page)
        if found is None:
            raise BenchmarkError(f"mkdocs serve's page has no live-reload script (log {log})")
        results = []
        for attempt in range(reloads):
            time.sleep(2)  # let the watcher settle
            # The build shown now (epoch 0 is answered at once): a save the watcher saw twice can
            # have built twice, and a reload must be timed from the build before the edit.
            epoch = int(_get(f"http://127.0.0.1:{port}/livereload/0/{attempt}", timeout))
            cpu = _process_cpu(server.pid)
            start = time.perf_counter()
            edit(project)
            while True:
                answer = int(_get(f"http://127.0.0.1:{port}/livereload/{epoch}/{attempt}", timeout))
                if answer > epoch:
                    break
            seconds = time.perf_counter() - start
            results.append({"reload_s": seconds, "cpu_s": _process_cpu(server.pid) - cpu})
            note(f"serve: edit to reload {seconds:.2f} s, server CPU {results[-1]['cpu_s']:.2f} s")
        return results
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


def measure_variants(n: int, project: Path, work: Path, timeout: float, baseline: ChildResult,
                     baseline_sizes: dict[str, float]) -> list[dict[str, Any]]:
    import yaml

    rows = [{"variant": "baseline (the real mkdocs.yml)", "full_s": baseline.seconds, "full_cpu_s": baseline.cpu_s,
             **baseline_sizes}]
    base = read_mkdocs_yml(project / "mkdocs.yml")
    for name, change in VARIANTS.items():
        config = json.loads(json.dumps(base))
        change(config)
        config_file = project / "mkdocs-variant.yml"
        corpus.write_mkdocs_config(config_file, config)
        site = work / f"n{n}-variant-site"
        shutil.rmtree(site, ignore_errors=True)
        run = run_child(mkdocs_command(config_file, site), work / f"n{n}-variant.log", timeout)
        rows.append({"variant": name, "full_s": run.seconds, "full_cpu_s": run.cpu_s, **site_sizes(site)})
        note(f"N={n:,}: variant {name}: {run.seconds:.1f} s wall, {run.cpu_s:.1f} s CPU")
    return rows


def write_profile_summary(prof: Path, out: Path, limit: int = 40) -> None:
    with open(out, "w", encoding="utf-8") as stream:
        stats = pstats.Stats(str(prof), stream=stream)
        stats.strip_dirs().sort_stats("cumulative").print_stats(limit)
        stats.sort_stats("tottime").print_stats(limit)


# -- reporting ------------------------------------------------------------------------------------


def checks(records: list[dict[str, Any]]) -> list[tuple[str, bool, str]]:
    """The published targets, each with whether the numbers meet it."""
    found = []
    found.append(("full build <= 1.10 x plain MkDocs at every N (CPU time)",
                  all(r["ratio_cpu"] <= 1.10 for r in records),
                  ", ".join(f"N={r['n']:,}: {r['ratio_cpu']:.2f} (wall {r['ratio']:.2f})" for r in records)))
    largest = max(records, key=lambda r: r["n"])
    found.append((f"generator stage < 10% of full build at the largest N ({largest['n']:,}; CPU time)",
                  largest["generator_share"] < 0.10, f"{largest['generator_share']:.1%}"))
    pages = [r["avg_page_kb"] for r in records]
    spread = max(pages) / min(pages) if pages and min(pages) else 0.0
    found.append(("average page size flat as N grows (max/min <= 1.15)", spread <= 1.15,
                  ", ".join(f"{p:.1f} KB" for p in pages) + f" (max/min {spread:.2f})"))
    big = [r for r in records if r["n"] >= 10_000]
    if big:
        found.append(("10,000 entries: full build < 2 minutes (wall; CPU shown too)",
                      all(r["full_s"] < 120 for r in big),
                      ", ".join(f"{r['full_s']:.0f} s wall, {r['full_cpu_s']:.0f} s CPU" for r in big)))
    found.append(("rebuild with unchanged bibliography formats nothing",
                  all(r["rebuild_engine_runs"] == 0 and r["rebuild_formatted"] == 0 for r in records),
                  ", ".join(f"{r['rebuild_engine_runs']} runs / {r['rebuild_formatted']} formatted" for r in records)))
    if all("edit_parsed" in r for r in records):
        found.append(("rebuild after editing one entry parses only that file",
                      all(r["edit_parsed"] == 1 and r["rebuild_parsed"] == 0 for r in records),
                      ", ".join(f"{r['edit_parsed']} of {r['n']:,}" for r in records)))
    return found


def markdown(records: list[dict[str, Any]]) -> str:
    lines = ["| measurement | " + " | ".join(f"N = {r['n']:,}" for r in records) + " |",
             "|---|" + "---:|" * len(records)]
    for key, label, fmt in COLUMNS:
        # Results saved before a column existed show a dash there.
        lines.append(f"| {label} | " + " | ".join(fmt.format(r[key]) if key in r else "–" for r in records) + " |")
    lines += ["", "| target | met | numbers |", "|---|---|---|"]
    for target, met, numbers in checks(records):
        lines.append(f"| {target} | {'yes' if met else '**no**'} | {numbers} |")
    for record in records:
        if record.get("variants"):
            lines += ["", f"Settings tried at N = {record['n']:,} (full build, one run each):", "",
                      "| mkdocs.yml | full build: CPU s | wall s | avg page (KB) | search index (MB) | site (MB) |",
                      "|---|---:|---:|---:|---:|---:|"]
            for row in record["variants"]:
                lines.append(f"| {row['variant']} | {row['full_cpu_s']:.1f} | {row['full_s']:.1f} | {row['avg_page_kb']:.1f} | "
                             f"{row['search_index_mb']:.2f} | {row['site_mb']:.1f} |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError, version as get
        try:
            return get(package)
        except PackageNotFoundError:
            return "-"
    cpu = "-"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        node = "-"
    memory = "-"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    import importlib.util

    spec = importlib.util.find_spec("generator")
    return {"generator": str(Path(spec.origin).parent) if spec and spec.origin else "-",
            "cpus": str(os.cpu_count()), "cpu": cpu, "memory": memory, "python": platform.python_version(),
            "node": node or "-", "mkdocs": version("mkdocs"), "mkdocs-material": version("mkdocs-material"),
            "platform": platform.platform()}


def _machine_line(info: dict[str, str]) -> str:
    return (f"Machine: {info['cpus']} x {info['cpu']}, {info['memory']}; Python {info['python']}, Node {info['node']}, "
            f"MkDocs {info['mkdocs']}, Material {info['mkdocs-material']}; generator from {info['generator']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append", help="number of entries (repeatable; default 100, 1000, 10000)")
    parser.add_argument("-m", type=int, default=None, help="BibTeX entries (default max(10, N // 5))")
    parser.add_argument("--repeat", type=int, default=1, help="full/plain builds per size (fastest kept)")
    parser.add_argument("--work", type=Path, default=None, help="keep the projects and logs here (default: a temp dir)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="seconds per child process")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    parser.add_argument("--profile", type=Path, default=None, help="also write cProfile files and summaries here")
    parser.add_argument("--variants", action="store_true", help="also try MkDocs/Material settings (full build)")
    parser.add_argument("--report", type=Path, nargs="+", help="print the table of earlier --json outputs (no runs)")
    parser.add_argument("--edit-one", action="store_true",
                        help="only the rebuild after one edit: every page rendered vs pages kept (reuses --work)")
    parser.add_argument("--serve-reloads", type=int, default=0,
                        help="with --edit-one: also time this many edit-to-reloads in mkdocs serve")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write-docs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-mkdocs", type=Path, nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.profile_mkdocs is not None:
        return profile_mkdocs(*args.profile_mkdocs)
    if args.worker is not None:
        if args.profile_out is not None:
            return profile_worker(args.worker.resolve(), args.profile_out)
        return worker(args.worker.resolve(), args.write_docs)

    if args.report:
        saved = [json.loads(path.read_text(encoding="utf-8")) for path in args.report]
        records = sorted((r for data in saved for r in data["results"]), key=lambda r: r["n"])
        info = saved[0]["machine"]
        print(_machine_line(info) + "\n")
        print(markdown(records))
        return 0

    sizes = args.n or list(DEFAULT_SIZES)
    temporary = None
    if args.work is None:
        temporary = tempfile.TemporaryDirectory(prefix="companion-bench-")
        work = Path(temporary.name)
    else:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
    if args.edit_one:
        try:
            records = [measure_edit_one(n, args.m, work, args.repeat, args.timeout, args.serve_reloads) for n in sizes]
        except BenchmarkError as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
        finally:
            if temporary is not None:
                temporary.cleanup()
        print(json.dumps({"machine": machine(), "edit_one": records}, indent=2))
        return 0
    try:
        records = [measure(n, args.m, work, max(1, args.repeat), args.timeout,
                           args.profile.resolve() if args.profile else None, args.variants) for n in sizes]
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if temporary is not None:
            temporary.cleanup()
    if args.json:
        print(json.dumps({"machine": machine(), "results": records,
                          "checks": [{"target": t, "met": met, "numbers": s} for t, met, s in checks(records)]},
                         indent=2))
    else:
        print(_machine_line(machine()) + "\n")
        print(markdown(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
