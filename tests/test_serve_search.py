"""Under ``mkdocs serve`` the browsers reload before the search index is brought up to date.

A real ``mkdocs serve`` of the fixture project: after an edit, the reload serves the new page with
the previous build's search bundle (carried over), and the index of the edited page follows in the
background (``generator/outputs/background_index.py``), re-indexing only the shard that holds it.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path

from generator.outputs.search_index import SHARD_PAGES_VARIABLE
from tests.test_nothing_lost import _free_port, built, project, wait_in_log  # noqa: F401 (the fixtures)
from tests.test_site_build import ENV, MKDOCS, REPO


def test_the_reload_comes_first_and_the_search_index_follows(project: Path, tmp_path: Path) -> None:  # noqa: F811
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**ENV, "PYTHONPATH": str(REPO), SHARD_PAGES_VARIABLE: "4"}
    with log.open("w") as stderr:
        proc = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                                stdout=subprocess.DEVNULL, stderr=stderr)

    def wait_for(text: str, after: int = 0) -> int:
        return wait_in_log(proc, log, text, after)

    def get(path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=20) as response:
            return response.read()

    def shard_entries() -> dict[str, bytes]:
        shards = json.loads(get("pagefind/companion-shards.json"))["shards"]
        return {folder: get(f"pagefind/{folder}pagefind-entry.json") for folder in ["", *shards]}

    try:
        wait_for("Serving on")
        # The edit below is seen through the system's file events (generator/serve_watch.py).
        assert "for changes with the system's file events" in log.read_text()
        before = shard_entries()
        assert len(before) > 1  # several shards, so that "only the edited page's shard" means something
        mark = len(log.read_text())
        summary = project / "content/organisations/csto.yaml"
        summary.write_text(summary.read_text().replace("summary: ", "summary: Zyzzogeton. ", 1))
        reloaded = wait_for("Reloading browsers", mark)
        indexed = wait_for("(after the reload)", mark)
        assert reloaded < indexed
        line = log.read_text()[indexed - 200:indexed + 20]
        assert "search index: 1 of" in line, line
        assert b"Zyzzogeton" in get("organisations/csto/")
        after = shard_entries()
        assert after.keys() == before.keys()
        changed = [folder for folder in before if after[folder] != before[folder]]
        assert len(changed) == 1, changed  # the edited page's shard, indexed again; the others as they were
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert "Traceback" not in log.read_text()
