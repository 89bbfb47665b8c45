"""Zotero's own translation engine reading a built copy of the site (see tests/zotero/README.md).

Fixtures: ``zotero`` (a running translation server), ``built`` (a copy of the project with
a fixed history, declared editors and a real-looking ``site_url``, built by ``mkdocs build
--strict`` and served over HTTP on 127.0.0.1).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENGINE = REPO / "tests" / "zotero" / ".engine" / "ts"
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
SITE_URL = "https://companion.example.net/er/"
COMMIT_DATE = "2026-03-14T12:00:00+00:00"
EDITORS_YAML = """
extra:
  companion:
    editors:
      - {family: Petrova, given: Anna}
      - {family: Smith, given: John}
      - {name: Regional Studies Group}
"""
MISSING = (
    "Zotero's translation engine is not installed in tests/zotero/.engine: run `make zotero-engine` "
    "(it unpacks ../shared/zotero/translation-server.tar.gz and runs npm ci). Without ../shared, check out "
    "zotero/translation-server d88a8d5 with its submodules (translate e0fe482, translators ee1746d, "
    "utilities 9c89b23, zotero-schema 1f5331e) into tests/zotero/.engine/ts and zotero/wicked-good-xpath "
    "1b88459 into tests/zotero/.engine/wgx, then `npm ci --omit=dev` in ts/."
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Zotero:
    """A running translation server."""

    base: str

    def _post(self, path: str, body: bytes, content_type: str) -> tuple[int, object]:
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, text = response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        try:
            return status, json.loads(text)
        except json.JSONDecodeError:
            return status, text

    def web(self, url: str) -> tuple[int, object]:
        """What the Zotero connector saves from ``url``: (200, items) or (300, a selection to make)."""
        return self._post("/web", url.encode(), "text/plain")

    def select(self, selection: dict) -> list[dict]:
        """The items of a multiple-item page, all of ``selection["items"]`` chosen."""
        status, items = self._post("/web", json.dumps(selection).encode(), "application/json")
        assert status == 200, items
        return items

    def import_(self, data: bytes) -> list[dict]:
        """Zotero's import of a file (BibTeX, RIS, CSL JSON...): the items, notes left out."""
        status, items = self._post("/import", data, "text/plain")
        assert status == 200, items
        return [item for item in items if item.get("itemType") not in ("note", "attachment")]


@pytest.fixture(scope="session")
def zotero() -> Zotero:
    if not (ENGINE / "node_modules").is_dir() or shutil.which("node") is None:
        pytest.skip(MISSING)
    port = _free_port()
    env = {**os.environ, "NODE_CONFIG": json.dumps({"host": "127.0.0.1", "port": port})}
    server = subprocess.Popen(["node", "src/server.js"], cwd=ENGINE, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
            except urllib.error.HTTPError:
                break  # it answers (404 for /): it is up
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the translation server did not start")
        yield Zotero(base)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _git(project: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


@dataclass
class BuiltSite:
    """A built copy of the project, served at ``served`` (``http://127.0.0.1:port/``)."""

    project: Path
    out: Path
    served: str


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    if not (ENGINE / "node_modules").is_dir():
        pytest.skip(MISSING)
    project = tmp_path_factory.mktemp("zotero") / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "types.yaml", "docs", "overrides", "bibliography", "content", "generator"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name,
                                                             **({"ignore": shutil.ignore_patterns("node_modules", "__pycache__")} if src.is_dir() else {}))
    citeproc = REPO / "generator" / "citeproc" / "node_modules"
    if citeproc.exists():
        (project / "generator" / "citeproc" / "node_modules").symlink_to(citeproc.resolve())
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("\nextra:\n")] + EDITORS_YAML if "\nextra:\n" in text else text + EDITORS_YAML,
                      encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "snapshot")
    out = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "PYTHONPATH": str(project),
           "SITE_URL": SITE_URL}
    env.pop("SOURCE_DATE_EPOCH", None)
    env.pop("SITE_EDITION", None)
    run = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out)], cwd=project, env=env,
                         capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield BuiltSite(project=project, out=out, served=f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass
