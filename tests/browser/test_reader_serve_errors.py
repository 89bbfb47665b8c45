"""``mkdocs serve``: a content error shows in the browser, on the page the reader is on, and goes away when fixed.

The real ``mkdocs serve`` runs on a copy of the fixture project; Chromium opens an
organisation's page; the test then breaks that organisation's file as a contributor
would (an unquoted ``: `` in the summary, with some HTML in it) and waits, without
touching the browser, for live reload to show the banner with file, line and message.
Restoring the file makes the banner go away.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import BUILD_ENV, MKDOCS, REPO, playwright_sync

FIXTURE = REPO / "tests" / "fixtures" / "site"
BANNER = "#companion-content-errors"
RELOAD_MS = 180_000
"""A rebuild of the fixture takes seconds, or a minute on a busy machine."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the fixture project under ``mkdocs serve``; yields (project, base URL)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../overrides", str(REPO / "overrides")),
                      encoding="utf-8")
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    env = {**BUILD_ENV, "PYTHONPATH": os.pathsep.join([str(REPO), BUILD_ENV.get("PYTHONPATH", "")])}
    server = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 600
        while "Serving on" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("mkdocs serve did not start:\n" + (tmp_path / "serve.log").read_text()[-4000:])
            time.sleep(1)
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_a_content_error_shows_on_the_page_and_goes_away_when_fixed(
        served: tuple[Path, str], browser: playwright_sync.Browser) -> None:
    project, base = served
    entry = project / "content" / "organisations" / "csto.yaml"
    original = entry.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("summary: "))
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base + "organisations/csto/")
        heading = page.locator("h1").first.inner_text()
        assert page.locator(BANNER).count() == 0

        lines[number] = "summary: <b>Vinokurov</b>: " + lines[number].removeprefix("summary: ")
        entry.write_text("".join(lines), encoding="utf-8")
        banner = page.locator(BANNER)
        banner.wait_for(state="visible", timeout=RELOAD_MS)  # live reload, no action of ours
        text = banner.inner_text()
        assert "The site was not rebuilt: 1 content error." in text
        assert f"content/organisations/csto.yaml:{number + 1}:" in text
        assert "error[yaml.syntax]: text that contains ': ' must be in quotes" in text
        assert "<b>Vinokurov</b>" in text  # contributed text is shown as text...
        assert banner.locator("b").count() == 0  # ...and never becomes markup
        assert page.locator("h1").first.inner_text() == heading  # the reader stays on the page they were reading
        assert re.search(r"/organisations/csto/$", page.url)

        entry.write_text(original, encoding="utf-8")
        banner.wait_for(state="detached", timeout=RELOAD_MS)
        assert page.locator("h1").first.inner_text() == heading
    finally:
        context.close()
        entry.write_text(original, encoding="utf-8")


def test_mkdocs_build_still_fails_on_a_content_error(tmp_path: Path) -> None:
    """Only `serve` shows errors in the page; a build fails as before."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../overrides", str(REPO / "overrides")),
                      encoding="utf-8")
    entry = project / "content" / "organisations" / "csto.yaml"
    entry.write_text(re.sub(r"(?m)^summary: ", "summary: Vinokurov: ", entry.read_text(encoding="utf-8"), count=1),
                     encoding="utf-8")
    run = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(tmp_path / "out")], cwd=project,
                         env=BUILD_ENV, capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert "error[yaml.syntax]: text that contains ': ' must be in quotes" in run.stderr
    assert not (tmp_path / "out" / "organisations" / "csto" / "index.html").exists()
