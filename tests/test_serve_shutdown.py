"""``mkdocs serve`` leaves nothing behind in the temporary folder when it stops.

MkDocs builds a served site into a folder of its own under the system's temporary folder and
deletes it when the server stops. The companion plugin keeps the site each rebuild replaces
beside it, as the spare the next rebuild recycles (``generator/publish/site_swap.py``); that
spare must go with the served site, also under ``mkdocs serve --clean``, which starts the plugins
as if for ``mkdocs build``.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.test_nothing_lost import _free_port, built, project, wait_in_log  # noqa: F401 (the fixtures)
from tests.test_site_build import ENV, MKDOCS, REPO


@pytest.mark.parametrize("mode", [[], ["--clean"]], ids=["serve", "serve --clean"])
def test_serve_stops_without_leaving_its_sites_behind(project: Path, tmp_path: Path,  # noqa: F811
                                                      mode: list[str]) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**ENV, "PYTHONPATH": str(REPO), "TMPDIR": str(temporary)}
    with log.open("w") as stderr:
        # SIG_DFL: a test run started in the background (CI, `nohup … &`) hands SIGINT on ignored,
        # and Python then never turns it into KeyboardInterrupt (as in tests/test_nothing_lost.py).
        proc = subprocess.Popen([MKDOCS, "serve", *mode, "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                                env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def wait_for(text: str, after: int = 0) -> int:
        return wait_in_log(proc, log, text, after)

    try:
        wait_for("Serving on")
        mark = len(log.read_text())
        summary = project / "content/organisations/csto.yaml"
        summary.write_text(summary.read_text().replace("summary: ", "summary: Rebuilt. ", 1))
        wait_for("Reloading browsers", mark)
        served = [p.name for p in temporary.iterdir()]
        assert any(name.startswith("mkdocs_") for name in served), served
        assert any(name.endswith(".spare") for name in served), f"no spare to check for: {served}"
    finally:
        proc.send_signal(signal.SIGINT)  # as Ctrl-C stops the server: MkDocs shuts down and cleans up
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
    text = log.read_text()
    assert "Traceback" not in text, text
    assert sorted(p.name for p in temporary.iterdir()) == []
