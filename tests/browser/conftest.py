"""The reader's view: the real site, built once with ``mkdocs build --strict``, served on 127.0.0.1, read in Chromium.

Every test that opens pages through the ``reader`` (or ``new_reader``) fixture also fails when any of
those pages logged a console error, threw an uncaught exception, had a request fail or answered 4xx/5xx,
or asked for anything not on 127.0.0.1 (the site must work offline: no CDN, no web fonts).

Set ``COMPANION_SITE_DIR`` to an already-built site to skip the build while working on these tests.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")

REPO = Path(__file__).resolve().parents[2]
BROWSER_TESTS = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
    # Belt and braces: nothing but the local server resolves, so a stray CDN URL cannot leave the machine.
    # Such requests are still reported as failures by the reader (see Reader._on_request).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
VIEWPORT = {"width": 1280, "height": 900}
"""Wide enough for Material's desktop layout: header search box and the primary navigation sidebar."""
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
"""A common laptop screen, as the reading-experience tests measure it (issue 15)."""
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
"""A common phone (390 x 844 CSS pixels), touch only."""
LOCAL_HOST = "127.0.0.1"
TIMEOUT_MS = 10_000
"""For actions and ``expect``: generous, as the machine is small and often busy."""

playwright_sync.expect.set_options(timeout=TIMEOUT_MS)


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session with ``mkdocs build --strict``."""
    prebuilt = os.environ.get("COMPANION_SITE_DIR")
    if prebuilt:
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("browser") / "site"
    run = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out)], cwd=REPO, env=BUILD_ENV,
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {run.returncode}):\n{run.stderr[-6000:]}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def site_url() -> str:
    """The permanent address of the site (``site_url`` in mkdocs.yml, ``!ENV SITE_URL`` resolved), as readers cite it."""
    from generator.pipeline import ProjectConfig

    return ProjectConfig.for_project(REPO).site_url.rstrip("/") + "/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` served by Python's http.server on a free port of 127.0.0.1: its address, while open."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (:func:`serving`), for the whole session."""
    with serving(site_dir) as url:
        yield url


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[playwright_sync.Browser]:
    """Debian's Chromium, headless, started once per session (never a browser downloaded by Playwright)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (never `playwright install`)")
    with playwright_sync.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Reader:
    """One browser context and page, with every problem the pages reported.

    Attributes:
        page: the Playwright page.
        base_url: where the site is served, ending in ``/``.
        problems: console errors, uncaught exceptions, failed or non-local requests, 4xx/5xx answers.
    """

    page: playwright_sync.Page
    base_url: str
    problems: list[str] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        """The served address of a site path such as ``organisations/csto/``."""
        return self.base_url + path.lstrip("/")

    def path(self, url: str | None = None) -> str:
        """The site path of a served address (by default the page's own), without query or fragment."""
        return urlsplit(url or self.page.url).path

    def wait_for_path(self, path: str) -> None:
        """Wait until the page shows the site path ``path`` (after a click that navigates)."""
        self.page.wait_for_url(lambda url: urlsplit(url).path == path, wait_until="load")

    def goto(self, path: str = "") -> playwright_sync.Page:
        """Open a site path and wait until the page and its scripts have loaded."""
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return self.page

    def watch(self, context: playwright_sync.BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)
        context.on("console", self._on_console)
        context.on("weberror", self._on_web_error)

    def _on_request(self, request: playwright_sync.Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname != LOCAL_HOST:
            self.problems.append(f"request to another host: {request.url} (from {self._where()})")

    def _on_request_failed(self, request: playwright_sync.Request) -> None:
        if urlsplit(request.url).hostname != LOCAL_HOST:
            return  # already reported as a request to another host
        if request.failure == "net::ERR_ABORTED":
            return  # cancelled because the reader moved on to another page before it finished
        self.problems.append(f"request failed: {request.url} ({request.failure}) on {self._where()}")

    def _on_response(self, response: playwright_sync.Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url} on {self._where()}")

    def _on_console(self, message: playwright_sync.ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            self.problems.append(f"console error on {self._where()}: {message.text} "
                                 f"({location.get('url', '')}:{location.get('lineNumber', '')})")

    def _on_web_error(self, error: playwright_sync.WebError) -> None:
        self.problems.append(f"uncaught exception on {self._where()}: {error.error}")

    def _where(self) -> str:
        try:
            return self.path()
        except Exception:  # the page may be closing
            return "?"


NewReader = Callable[..., Reader]


@pytest.fixture
def new_reader(browser: playwright_sync.Browser, base_url: str,
               request: pytest.FixtureRequest) -> Iterator[NewReader]:
    """Opens a fresh reader (own context: no shared storage).

    ``color_scheme="dark"`` emulates a dark OS; other keywords go to ``Browser.new_context`` (``**PHONE``
    or ``**DESKTOP`` for the two screens the reading-experience tests measure). Pages load no search
    index until a reader uses the search box.
    """
    contexts: list[playwright_sync.BrowserContext] = []
    readers: list[Reader] = request.node.__dict__.setdefault("companion_readers", [])

    def open_reader(color_scheme: str = "light", **options: object) -> Reader:
        options.setdefault("viewport", VIEWPORT)
        context = browser.new_context(color_scheme=color_scheme, locale="en-GB", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        reader = Reader(page=context.new_page(), base_url=base_url)
        reader.watch(context)
        readers.append(reader)
        return reader

    yield open_reader
    for context in contexts:
        context.close()


@pytest.fixture
def reader(new_reader: NewReader) -> Reader:
    """A reader with a light-scheme desktop browser."""
    return new_reader()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test whose pages reported problems, even when its own assertions passed."""
    result = yield
    problems = []
    for reader in item.__dict__.get("companion_readers", []):
        if not reader.page.is_closed():
            reader.page.wait_for_timeout(100)  # let late console messages and requests arrive
        problems.extend(reader.problems)
    if problems:
        raise AssertionError("the pages reported problems:\n  " + "\n  ".join(dict.fromkeys(problems)))
    return result


# --------------------------------------------------------------------------- axe-core


AXE = BROWSER_TESTS / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm, installed by ``make test`` (``cd tests/browser && npm ci``)."""
    if not AXE.is_file():
        if shutil.which("npm") is None:
            pytest.skip(f"{AXE} is missing and npm is not installed")
        pytest.skip(f"{AXE} is missing: run `cd tests/browser && npm ci` (`make test` does)")
    return AXE
