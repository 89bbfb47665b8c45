"""The benchmark runs end to end at a small size and reports every column.

Timings are never asserted: they depend on the machine and on whatever else it runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import corpus, run  # noqa: E402


def test_corpus_is_deterministic_and_sized(tmp_path: Path) -> None:
    first = corpus.generate(tmp_path / "a", 100, 10)
    corpus.generate(tmp_path / "b", 100, 10)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "content").rglob("*.yaml"))
    assert len(files) == first.entries == 100
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    big = corpus.plan(10_000)
    assert big.countries <= 250 and big.entries == 10_000


def test_benchmark_completes_with_every_column(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "-n", "100", "-m", "10", "--json",
         "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=1800, cwd=ROOT, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    data = json.loads(completed.stdout)
    (record,) = data["results"]
    missing = [key for key, _, _ in run.COLUMNS if record.get(key) is None]
    assert not missing, f"columns without a value: {missing}"
    assert record["n"] == 100 and record["sources"] == 10
    assert {c["target"] for c in data["checks"]}

    saved = tmp_path / "result.json"
    saved.write_text(completed.stdout, encoding="utf-8")
    table = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--report", str(saved)],
                           capture_output=True, text=True, timeout=60, cwd=ROOT, check=True).stdout
    for _, label, _ in run.COLUMNS:
        assert f"| {label} |" in table


@pytest.mark.parametrize("n", [1, 300])
def test_plan_caps_countries_at_the_real_codes(n: int) -> None:
    shape = corpus.plan(n)
    assert shape.countries <= 249
    assert shape.organisations >= 1 and shape.events >= 1 and shape.concepts >= 1


def test_engine_floor_replays_the_generator_and_builds_the_same_pages(tmp_path: Path) -> None:
    """``benchmarks/engine_floor.py``: builds after the first two replay the recorded output (the
    generator's part is the replay alone), and convert and keep the same pages as the real build."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "engine_floor.py"), "-n", "100", "--builds", "1",
         "--serve-reloads", "2", "--plain", "--json", "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=1800, cwd=ROOT, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    data = json.loads(completed.stdout)
    rows = {row["build"]: row for row in data["builds"]}
    assert list(rows) == ["one-edit-replayed-0", "nothing-changed-replayed", "one-edit-real-generator"]
    real = rows["one-edit-real-generator"]
    assert not real["replayed"] and real["pages"]["converted"] == 2
    assert rows["one-edit-replayed-0"]["replayed"] and rows["one-edit-replayed-0"]["pages"] == real["pages"]
    assert rows["nothing-changed-replayed"]["replayed"]
    assert rows["nothing-changed-replayed"]["pages"]["converted"] == 0
    assert len(data["serve"]) == 2 and all(row["reload_s"] > 0 for row in data["serve"])
    # plain MkDocs built the same pages (the companion's site has them, and its search bundle besides)
    site = tmp_path / "work" / "n100" / "site"
    companion_pages = sum(1 for page in site.rglob("*.html") if page.relative_to(site).parts[0] != "pagefind")
    assert data["plain"]["html_pages"] == companion_pages and data["plain"]["cpu_s"] > 0
    served = (tmp_path / "work" / "n100-floor-serve.log").read_text(encoding="utf-8")
    # the server's first build and the first reload record the two states; the second reload replays
    assert served.count("replay-generator: recorded") == 2
    assert served.count("replay-generator: replayed") >= 1  # more if a save was seen twice


def test_serve_in_process_times_each_reload(tmp_path: Path) -> None:
    """``benchmarks/serve_in_process.py``: one process, a build per reload, each one edit later."""
    project = tmp_path / "n100"
    corpus.generate(project, 100, None)
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "serve_in_process.py"), str(project), "--reloads", "2",
         "--gap", "0.5", "--json"],
        capture_output=True, text=True, timeout=1800, cwd=ROOT, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = json.loads(completed.stdout)
    assert len(rows) == 2 and all(row["reload_s"] > 0 and row["cpu_s"] > 0 for row in rows)
    summary = sorted((project / "content" / "organisations").glob("*.yaml"))[0].read_text(encoding="utf-8")
    assert "Edited. " not in summary  # toggled twice: back as it was


def test_publish_phases_times_both_ways_of_publishing(tmp_path: Path) -> None:
    """``benchmarks/publish_phases.py``: a rebuild without the spare, then one recycling it."""
    project = tmp_path / "n100"
    corpus.generate(project, 100, None)
    env = {**os.environ, **run.MKDOCS_ENV, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "-q"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=1800, check=False)
    assert first.returncode == 0, first.stderr[-3000:]
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "publish_phases.py"), str(project), "--rounds", "1"],
        capture_output=True, text=True, timeout=1800, cwd=ROOT, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    without, recycled = (json.loads(line) for line in completed.stdout.splitlines())
    assert without["spare"] is False and without["delete the replaced site (rm -rf)"] >= 0
    assert recycled["spare"] is True and "prune the recycled folder" in recycled
    for row in (without, recycled):
        assert row["link kept pages"] >= 0 and row["process, without Pagefind"] > 0 and row["Pagefind"] > 0
    assert not (project / ".site.spare-aside").exists() and (project / ".site.spare").is_dir()
