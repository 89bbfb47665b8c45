"""Permalinks: the committed manifest, the scenario folders, and citable editions.

Each ``tests/permalink_cases/<name>/`` is a tiny project (``content/``,
``bibliography/``, sometimes ``docs/`` or ``overrides/``), its ``permalinks.json``
and ``expected.txt``: exactly what
``python -m generator --root <scenario> permalinks check --under /organisations/``
prints. The scenarios list only ``/organisations/`` URLs, so that pages added to
every site later (a new data file, a new reference page) do not change them.
Set ``UPDATE_EXPECTED=1`` to rewrite the ``expected.txt`` files, then review the diff.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cli
from generator.diagnostics import Diagnostics
from generator.publish.permalinks import (
    MANIFEST_NAME, PERMALINK_CODES, current_edition, edition_url, load_manifest, published_urls, redirect_target,
    render_manifest, resolve, run_check, run_update, url_for_path,
)
from generator.pipeline import ProjectConfig

CASES = Path(__file__).parent / "permalink_cases"
REPO = Path(__file__).parent.parent
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"
SCENARIOS = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def run_cli(*args: str) -> tuple[int, str]:
    """Run the command line in-process; returns the exit status and what it printed on stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = cli.main(list(args))
    return status, err.getvalue()


@pytest.fixture
def scenario(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(CASES / name, target, ignore=shutil.ignore_patterns("expected.txt"))
        return target
    return copy


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario(name: str, scenario) -> None:
    root = scenario(name)
    status, output = run_cli("--root", str(root), "permalinks", "check", "--under", "/organisations/")
    expected_path = CASES / name / "expected.txt"
    if UPDATE:
        expected_path.write_text(output, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    assert output == expected
    assert status == (1 if "error[" in expected else 0)


def test_scenarios_cover_the_promises() -> None:
    """One passing rename, and one failing scenario for each error code."""
    outputs = {name: (CASES / name / "expected.txt").read_text(encoding="utf-8") for name in SCENARIOS}
    assert outputs["rename-with-alias"].startswith("ok:")
    for code in ("permalink.removed", "permalink.redirect-target-missing", "permalink.redirect-chain",
                 "permalink.unlisted"):
        assert any(f"[{code}]" in text for text in outputs.values()), code


def test_strict_check_fails_on_unlisted(scenario) -> None:
    root = scenario("new-url-unlisted")
    status, output = run_cli("--root", str(root), "permalinks", "check", "--strict", "--under", "/organisations/")
    assert status == 1 and "warning[permalink.unlisted]" in output


def test_update_adds_new_urls_explicitly(scenario) -> None:
    root = scenario("new-url-unlisted")
    before = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))["urls"]
    status, output = run_cli("--root", str(root), "permalinks", "update")
    assert status == 0, output
    after = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))["urls"]
    assert set(before) < set(after) and "/organisations/added/" in after
    assert after == sorted(after)
    assert run_cli("--root", str(root), "permalinks", "check", "--strict")[0] == 0


def test_update_refuses_a_removal_unless_allowed(scenario) -> None:
    root = scenario("removal-without-alias")
    original = (root / MANIFEST_NAME).read_text(encoding="utf-8")
    status, output = run_cli("--root", str(root), "permalinks", "update")
    assert status == 1 and "error[permalink.removed]" in output
    assert (root / MANIFEST_NAME).read_text(encoding="utf-8") == original
    status, output = run_cli("--root", str(root), "permalinks", "update", "--allow-removal")
    assert status == 0, output
    assert "/organisations/old-name/" not in (root / MANIFEST_NAME).read_text(encoding="utf-8")
    assert run_cli("--root", str(root), "permalinks", "check")[0] == 0


def test_update_writes_a_missing_manifest(scenario) -> None:
    root = scenario("rename-with-alias")
    (root / MANIFEST_NAME).unlink()
    status, output = run_cli("--root", str(root), "permalinks", "check")
    assert status == 1 and "error[permalink.manifest]" in output
    assert run_cli("--root", str(root), "permalinks", "update")[0] == 0
    urls = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))["urls"]
    assert {"/", "/organisations/new-name/", "/organisations/old-name/", "/sources/smith2001/"} <= set(urls)


def test_update_resolves_a_merge_conflict(scenario) -> None:
    root = scenario("rename-with-alias")
    manifest = root / MANIFEST_NAME
    lines = manifest.read_text(encoding="utf-8").splitlines()
    at = lines.index('    "/organisations/kept/",')
    lines[at:at + 1] = ["<<<<<<< HEAD", '    "/organisations/kept/",', "=======", '    "/organisations/zeta/",',
                        ">>>>>>> other"]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, output = run_cli("--root", str(root), "permalinks", "check")
    assert status == 1 and "error[permalink.manifest]: not valid JSON" in output
    status, output = run_cli("--root", str(root), "permalinks", "update")
    assert status == 1 and "/organisations/zeta/ was published and is gone" in output  # the other side's URL
    (root / "content" / "organisations" / "zeta.yaml").write_text(
        (root / "content" / "organisations" / "kept.yaml").read_text(encoding="utf-8").replace("id: kept", "id: zeta"),
        encoding="utf-8")
    status, output = run_cli("--root", str(root), "permalinks", "update")
    assert status == 0, output
    urls = json.loads(manifest.read_text(encoding="utf-8"))["urls"]
    assert {"/organisations/kept/", "/organisations/zeta/"} <= set(urls)


def test_build_errors_stop_the_check(scenario) -> None:
    root = scenario("rename-with-alias")
    (root / "content" / "organisations" / "kept.yaml").write_text("id: kept\n", encoding="utf-8")
    status, output = run_cli("--root", str(root), "permalinks", "check")
    assert status == 1 and "error[schema.missing-field]" in output and "permalink." not in output


def test_invalid_manifest_is_reported(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST_NAME
    path.write_text('{"urls": ["/a/",\n', encoding="utf-8")
    diagnostics = Diagnostics()
    assert load_manifest(path, MANIFEST_NAME, diagnostics) is None
    assert [d.code for d in diagnostics] == ["permalink.manifest"]
    assert diagnostics.items[0].location.line == 2
    path.write_text(json.dumps({"urls": ["/b/", "/a/", "/a/"]}), encoding="utf-8")
    diagnostics = Diagnostics()
    manifest = load_manifest(path, MANIFEST_NAME, diagnostics)
    assert manifest is not None and manifest.urls == ["/b/", "/a/"]
    assert [d.severity.value for d in diagnostics] == ["warning"]


@pytest.mark.parametrize("path, url", [
    ("index.md", "/"),
    ("organisations/index.md", "/organisations/"),
    ("organisations/csto.md", "/organisations/csto/"),
    ("organisations/old/index.html", "/organisations/old/"),
    ("sources/x/x.bib", "/sources/x/x.bib"),
    ("schemas/event.schema.json", "/schemas/event.schema.json"),
])
def test_url_for_path(path: str, url: str) -> None:
    assert url_for_path(path) == url


def test_redirect_target_and_resolve() -> None:
    page = '<html>\n<head>\n<META content="0; URL=&#46;&#46;/new/" http-equiv="Refresh">\n</head></html>'
    assert redirect_target(page) == ("../new/", 3)
    assert redirect_target("<p>not a redirect</p>") is None
    assert resolve("/organisations/old/", "../new/") == "/organisations/new/"
    assert resolve("/organisations/old/", "/events/x/index.html#top") == "/events/x/"
    assert resolve("/a/", "https://example.org/site/b/", "https://example.org/site/") == "/b/"
    assert resolve("/a/", "https://elsewhere.org/b/", "https://example.org/") is None


def test_published_urls_marks_redirects() -> None:
    published = published_urls({"a.md": "# A", "old/index.html": '<meta http-equiv="refresh" content="0; url=../a/">'})
    assert published["/a/"].redirect is None
    assert published["/old/"].redirect == "../a/"


def test_manifest_text_is_sorted_one_url_per_line() -> None:
    text = render_manifest({"/b/", "/a/"})
    lines = text.splitlines()
    assert lines[-4:] == ['    "/a/",', '    "/b/"', "  ]", "}"]


def test_codes_are_documented() -> None:
    for code, text in PERMALINK_CODES.items():
        assert code.startswith("permalink.") and text.endswith((".", ")"))


def test_committed_manifest_lists_no_url_that_is_gone() -> None:
    """The real site: every URL in the committed permalinks.json is still published."""
    report = run_check(ProjectConfig.for_project(REPO), REPO / "docs")
    errors = [str(d) for d in report.diagnostics.errors]
    assert not errors, "\n".join(errors)


# Editions -------------------------------------------------------------------------------------------------


def test_edition_url() -> None:
    assert edition_url("https://companion.example.org/", "v1.0", "organisations/csto/") == \
        "https://companion.example.org/v1.0/organisations/csto/"
    assert edition_url("https://example.org/sub", "v2.1.3", "/") == "https://example.org/sub/v2.1.3/"
    with pytest.raises(ValueError):
        edition_url("https://example.org/", "latest", "x/")


def test_current_edition_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_EDITION", "v1.2")
    assert current_edition() == "v1.2"
    monkeypatch.setenv("SITE_EDITION", "not-a-version")
    assert current_edition() is None


def test_current_edition_only_for_an_edition_build(monkeypatch: pytest.MonkeyPatch) -> None:
    # A living build after a tag is still the living site (issue 16): only the deploy
    # workflow's SITE_EDITION or mike's MIKE_DOCS_VERSION make a build an edition.
    monkeypatch.delenv("SITE_EDITION", raising=False)
    monkeypatch.delenv("MIKE_DOCS_VERSION", raising=False)
    assert current_edition() is None
    monkeypatch.setenv("MIKE_DOCS_VERSION", "v0.2")
    assert current_edition() == "v0.2"
    monkeypatch.setenv("MIKE_DOCS_VERSION", "latest")
    assert current_edition() is None


def test_update_records_redirects_and_a_former_id_is_not_taken_over_silently(scenario) -> None:
    """A renamed entry's old address keeps pointing at it: reusing it needs --allow-reassign."""
    root = scenario("rename-with-alias")
    assert run_cli("--root", str(root), "permalinks", "update")[0] == 0
    manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["redirects"] == {"/organisations/old-name/": "/organisations/new-name/"}
    # Someone removes the alias and gives the old id to a different organisation: every other check passes.
    entry = root / "content" / "organisations" / "new-name.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("aliases:\n  - old-name\n", ""), encoding="utf-8")
    (root / "content" / "organisations" / "old-name.yaml").write_text(
        "id: old-name\nname: A Different Alliance\nkind: alliance\nsummary: Another alliance.\n"
        "sources:\n  - key: smith2001\n    locator: \"1\"\n", encoding="utf-8")
    assert run_cli("--root", str(root), "check")[0] == 0
    status, output = run_cli("--root", str(root), "permalinks", "check")
    assert status == 1 and "error[permalink.retargeted]: /organisations/old-name/ redirected to " \
                           "/organisations/new-name/ and now shows another page" in output
    original = (root / MANIFEST_NAME).read_text(encoding="utf-8")
    status, output = run_cli("--root", str(root), "permalinks", "update")
    assert status == 1 and "--allow-reassign" in output
    assert (root / MANIFEST_NAME).read_text(encoding="utf-8") == original
    # The explicit, reviewed step: the manifest change shows in the pull request.
    status, output = run_cli("--root", str(root), "permalinks", "update", "--allow-reassign")
    assert status == 0, output
    assert "redirects" not in json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert run_cli("--root", str(root), "permalinks", "check")[0] == 0


def test_a_merge_conflict_keeps_both_sides_redirects(scenario) -> None:
    root = scenario("former-id-taken")
    manifest = root / MANIFEST_NAME
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('    "/organisations/old-name/": "/organisations/new-name/"\n',
                        '<<<<<<< HEAD\n    "/organisations/old-name/": "/organisations/new-name/"\n=======\n'
                        '    "/organisations/zeta/": "/organisations/kept/"\n>>>>>>> other\n')
    manifest.write_text(text, encoding="utf-8")
    loaded = load_manifest(manifest, MANIFEST_NAME, Diagnostics(), salvage=True)
    assert loaded is not None
    assert loaded.redirects == {"/organisations/old-name/": "/organisations/new-name/",
                                "/organisations/zeta/": "/organisations/kept/"}
