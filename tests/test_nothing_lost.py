"""A failed, crashed or interrupted `mkdocs build` leaves the previous site byte for byte.

Each test starts from a copy of the fixture project with a good site already built (and its
caches filled), does something that must not publish, and compares a hash of every file of
``site/`` with the one before. A successful build replaces the site as a whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.publish import site_swap
from tests.test_site_build import ENV, MKDOCS, REPO, copy_fixture

PYTHON = sys.executable


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (and every empty folder) with the SHA-256 of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir() and not any(path.iterdir()):
            found[key] = "empty folder"
    return found


def strays(project: Path) -> list[str]:
    """Folders a build left beside the site, other than the spare it keeps on purpose (site_swap)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site.") and p.name != ".site.spare")


def build_command(project: Path) -> list[str]:
    return [MKDOCS, "build", "--strict", "--site-dir", str(project / "site")]


def run_build(project: Path, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "PYTHONPATH": str(REPO)}
    return subprocess.run(command or build_command(project), cwd=project, env=env, capture_output=True,
                          text=True, timeout=600)


def with_patch(project: Path, patch: str) -> list[str]:
    """``mkdocs build`` in a Python that first runs ``patch`` (to inject a crash)."""
    script = (f"import sys\n{patch}\n"
              f"sys.argv = {build_command(project)!r}\n"
              "from mkdocs.__main__ import cli\ncli()\n")
    return [PYTHON, "-c", script]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with its site built once (and its caches filled)."""
    project = copy_fixture(tmp_path_factory.mktemp("built"))
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    assert (copy / "site" / "index.html").is_file()
    return copy


def break_content(project: Path) -> None:
    event = project / "content/events/csto-charter-2002.yaml"
    event.write_text(event.read_text().replace("organisations: [csto]", "organisations: [cso]"))


def test_a_failing_edit_keeps_the_previous_site(project: Path) -> None:
    before = tree_hash(project / "site")
    break_content(project)
    run = run_build(project)
    assert run.returncode == 1
    assert "error[ref.unknown]: 'cso' is not an organisation" in run.stderr
    assert "Traceback" not in run.stderr
    assert tree_hash(project / "site") == before
    assert strays(project) == []


def test_a_strict_mode_warning_keeps_the_previous_site(project: Path) -> None:
    """MkDocs aborts a strict build only after on_post_build: the swap must not happen before."""
    before = tree_hash(project / "site")
    about = project / "docs/about.md"
    about.write_text(about.read_text() + "\n[broken](no-such-page.md)\n")
    run = run_build(project)
    assert run.returncode == 1
    assert "no-such-page.md" in run.stderr
    assert tree_hash(project / "site") == before
    assert strays(project) == []


@pytest.mark.parametrize("patch", [
    # inside the generator, before MkDocs writes anything
    "import generator.mkdocs_plugin as plugin\n"
    "def build(*args, **kwargs):\n    raise RuntimeError('injected crash in the generator')\n"
    "plugin.build = build",
    # while MkDocs writes pages (some are already in the new folder)
    "import mkdocs.commands.build as mkbuild\nreal = mkbuild._build_page\ncalls = []\n"
    "def crash(*args, **kwargs):\n    calls.append(1)\n"
    "    if len(calls) == 5:\n        raise RuntimeError('injected crash while writing pages')\n"
    "    return real(*args, **kwargs)\n"
    "mkbuild._build_page = crash",
], ids=["in the generator", "while writing pages"])
def test_a_crash_keeps_the_previous_site(project: Path, patch: str) -> None:
    before = tree_hash(project / "site")
    run = run_build(project, with_patch(project, patch))
    assert run.returncode != 0
    assert "injected crash" in run.stderr
    assert tree_hash(project / "site") == before
    assert strays(project) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_build_killed_part_way_keeps_the_previous_site(project: Path, sig: signal.Signals) -> None:
    before = tree_hash(project / "site")
    summary = project / "content/organisations/csto.yaml"
    summary.write_text(summary.read_text().replace("summary: ", "summary: Edited. ", 1))
    env = {**ENV, "PYTHONPATH": str(REPO)}
    # As from a terminal: a job started in the background by a shell without job control (CI runners,
    # `nohup … &`) inherits SIGINT ignored, and Python then never turns it into KeyboardInterrupt.
    proc = subprocess.Popen(build_command(project), cwd=project, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        written = 0
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline and not written:
            for staging in project.glob(".site.building-*"):
                written = sum(1 for p in staging.rglob("*") if p.is_file())
            time.sleep(0.002)
        assert written, "the build ended before it wrote anything; nothing was interrupted"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0, stderr
    assert tree_hash(project / "site") == before
    if sig == signal.SIGINT:
        assert strays(project) == [], "Ctrl-C discards the unfinished build (or keeps it as the spare)"
    # The next build removes what a killed build left and publishes the edit.
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    assert strays(project) == []
    assert "Edited." in (project / "site/organisations/csto/index.html").read_text()


def test_a_successful_build_replaces_the_site_as_a_whole(project: Path) -> None:
    extra = project / "docs" / "extra.md"
    extra.write_text("# Extra\n\nA page that is about to go.\n")
    assert run_build(project).returncode == 0
    assert (project / "site" / "extra" / "index.html").is_file()
    (project / "site" / "left-over.html").write_text("from an older build")
    extra.unlink()
    run = run_build(project)
    assert run.returncode == 0, run.stderr
    assert not (project / "site" / "left-over.html").exists()
    assert not (project / "site" / "extra").exists()
    assert (project / "site" / "index.html").is_file()
    assert strays(project) == []


def test_generator_build_out_keeps_the_previous_folder_on_failure(project: Path) -> None:
    out = project / "generated"
    env = {**ENV, "PYTHONPATH": str(REPO)}
    command = [PYTHON, "-m", "generator", "build", "--out", str(out)]
    first = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    before = tree_hash(out)
    break_content(project)
    second = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 1
    assert tree_hash(out) == before


def test_recover_restores_a_site_lost_between_the_two_renames(tmp_path: Path) -> None:
    """A build killed after renaming the old site away and before renaming the new one in."""
    site = tmp_path / "site"
    lost = tmp_path / ".site.previous-999999999-abc"
    lost.mkdir()
    (lost / "index.html").write_text("the last good build")
    stray = tmp_path / ".site.building-999999999-def"
    stray.mkdir()
    (stray / "half.html").write_text("half")
    running = tmp_path / f".site.building-{os.getpid()}-ghi"
    running.mkdir()
    site_swap.recover(site)
    assert (site / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", running.name])


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_in_log(proc: subprocess.Popen, log: Path, text: str, after: int = 0, seconds: float = 300) -> int:
    """Where ``text`` first appears in the server's ``log`` at or after ``after``, once it does;
    fails if the server exits or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while text not in (seen := log.read_text())[after:]:
        assert proc.poll() is None, seen
        assert time.monotonic() < deadline, seen
        time.sleep(0.1)
    return seen.index(text, after)


def test_serve_keeps_serving_the_last_good_build(project: Path, tmp_path: Path) -> None:
    """After a content error `mkdocs serve` answers with the last good build and the errors (MkDocs alone hangs)."""
    import urllib.request

    from generator.serve_errors import BANNER_ID

    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**ENV, "PYTHONPATH": str(REPO)}
    with log.open("w") as stderr:
        proc = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                                stdout=subprocess.DEVNULL, stderr=stderr)

    def wait_for(text: str, after: int = 0) -> int:
        return wait_in_log(proc, log, text, after)

    def page() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/organisations/csto/", timeout=20) as response:
            return response.read().decode()

    try:
        wait_for("Serving on")
        assert "Collective Security Treaty" in page()
        mark = len(log.read_text())
        break_content(project)
        wait_for("error[ref.unknown]: 'cso' is not an organisation", mark)
        # The rebuild keeps the last good pages and shows the errors on them (issue 19).
        wait_for("Reloading browsers", mark)
        shown = page()
        assert "Collective Security Treaty" in shown
        assert f'id="{BANNER_ID}"' in shown and "is not an organisation" in shown
        mark = len(log.read_text())
        shutil.copy(built_event(project), project / "content/events/csto-charter-2002.yaml")
        summary = project / "content/organisations/csto.yaml"
        summary.write_text(summary.read_text().replace("summary: ", "summary: Edited. ", 1))
        wait_for("Reloading browsers", mark)
        assert "Edited." in page()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert "Traceback" not in log.read_text()


def built_event(project: Path) -> Path:
    """The fixture's unbroken event file."""
    from tests.test_site_build import FIXTURE

    return FIXTURE / "content/events/csto-charter-2002.yaml"


def test_the_swapped_in_site_has_the_usual_permissions(tmp_path: Path) -> None:
    """A web server running as another user must still read the site (mkdtemp makes folders private)."""
    site = tmp_path / "site"
    staging = site_swap.staging_folder(site)
    site_swap.swap_in(staging, site)
    mask = os.umask(0o022)
    os.umask(mask)
    assert site.stat().st_mode & 0o777 == 0o777 & ~mask
