"""The contributor workflow: GitHub Actions, pre-commit, yamllint, the pull-request template.

The workflows are checked by actionlint (with shellcheck for their ``run:`` scripts),
both installed from PyPI by the ``test`` extra, so nothing is downloaded here.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import cli
from generator.schema.scaffold import scaffold_text
from generator.schema.types import default_schema

ENTRY_TYPES = default_schema().types
"""The generator's types: CONTRIBUTING.md walks through each of them."""

REPO = Path(__file__).parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A tool installed beside this Python (the project's .venv), else on PATH."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make install` (it is in the `test` extra)")
    return found


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def scripts(data: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(data))


def test_actionlint_passes() -> None:
    files = sorted(str(p.relative_to(REPO)) for p in WORKFLOWS.glob("*.yml"))
    assert files == [".github/workflows/deploy.yml", ".github/workflows/pr.yml"]
    tool("shellcheck")  # actionlint checks the run: scripts with it when it is on PATH
    done = run(tool("actionlint"), "-no-color", *files)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_actionlint_catches_mistakes(tmp_path: Path) -> None:
    """The linter really runs: a broken workflow fails."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - uses: actions/setup-python@v6\n        with:\n          python-versio: '3.11'\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    done = run(tool("actionlint"), "-no-color", str(bad), cwd=tmp_path)
    assert done.returncode == 1 and "python-versio" in done.stdout


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_actions_are_pinned_by_major_version(name: str) -> None:
    uses = [step["uses"] for step in steps(workflow(name)) if "uses" in step]
    assert uses
    for ref in uses:
        assert re.fullmatch(r"actions/[a-z-]+(/restore|/save)?@v[0-9]+", ref), ref


def test_pull_request_workflow() -> None:
    data = workflow("pr.yml")
    assert "pull_request" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    python = [s for s in steps(data) if s.get("uses", "").startswith("actions/setup-python@")]
    assert python and python[0]["with"]["python-version"] == "3.11"
    text = scripts(data)
    for command in ("make check", "make site", "generator permalinks check --strict", "generator permalinks links",
                    "generator schemas --out schemas --check", "pytest"):
        assert command in text, command
    upload = [s for s in steps(data) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "site/"


def test_deploy_workflow() -> None:
    data = workflow("deploy.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["on"]["push"]["tags"] == ["v*"]
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    build = data["jobs"]["build"]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in build["steps"])
    edition = [s for s in build["steps"] if "mike deploy" in s.get("run", "")]
    assert edition and edition[0]["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert "--update-aliases" in edition[0]["run"] and "latest" in edition[0]["run"]
    assert edition[0]["env"]["SITE_EDITION"] == "${{ github.ref_name }}"
    assert "make site" in scripts(data)


def test_pull_request_fails_when_new_pages_are_not_in_the_manifest(tmp_path: Path) -> None:
    """The workflow's own permalinks command, on a project that adds a page and forgets `permalinks update`."""
    [command] = [s["run"] for s in steps(workflow("pr.yml")) if "generator permalinks check" in s.get("run", "")]
    args = command.split()
    assert args[:4] == [".venv/bin/python", "-m", "generator", "permalinks"]
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "permalink_cases" / "new-url-unlisted", root,
                    ignore=shutil.ignore_patterns("expected.txt"))
    done = run(sys.executable, "-m", "generator", "--root", str(root), *args[3:], "--under", "/organisations/")
    assert done.returncode == 1, done.stderr
    assert "is new and not in permalinks.json" in done.stderr
    assert "run `python -m generator permalinks update` and commit permalinks.json" in done.stderr


def pre_commit_hook(hook_id: str) -> dict:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    return next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == hook_id)


def test_pre_commit_actionlint_runs_shellcheck(tmp_path: Path) -> None:
    """The hook as pre-commit runs it (from the repository, .venv/bin not on PATH) checks run: scripts."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: |\n          for f in $(ls *.yaml); do echo \"$f\"; done\n", encoding="utf-8")
    entry = pre_commit_hook("actionlint")["entry"].split()
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run([*entry, "-no-color", str(bad)], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SC2045" in done.stdout  # "Iterating over ls output is fragile"
    clean = subprocess.run([*entry, "-no-color", *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))], cwd=REPO,
                           env=env, capture_output=True, text=True, timeout=300, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_pre_commit_config_is_valid() -> None:
    done = run(tool("pre-commit"), "validate-config", ".pre-commit-config.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {h["id"]: h for repo in yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))["repos"]
             for h in repo["hooks"]}
    assert hooks["content-check"]["entry"].endswith("python -m generator check")
    assert hooks["yamllint"]["entry"].startswith(".venv/bin/yamllint")


def test_yamllint_passes_on_the_repository() -> None:
    done = run(tool("yamllint"), "--strict", "-f", "parsable", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_yamllint_refuses_what_we_refuse(tmp_path: Path) -> None:
    samples = {
        "truthy.yaml": "id: x\nflag: yes\n",
        "empty.yaml": "id: x\nsummary:\n",
        "octal.yaml": "id: x\nlocator: 010\n",
        "duplicate.yaml": "id: x\nid: y\n",
        "document.yaml": "---\nid: x\n",
    }
    for name, text in samples.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        done = run(tool("yamllint"), "--strict", "-c", str(REPO / ".yamllint.yaml"), str(tmp_path / name))
        assert done.returncode != 0 and "error" in done.stdout, name


def test_new_entries_pass_yamllint(tmp_path: Path) -> None:
    for entry_type in ENTRY_TYPES:
        (tmp_path / f"{entry_type.name}.yaml").write_text(scaffold_text(entry_type, "uzb"), encoding="utf-8")
    done = run(tool("yamllint"), "--strict", "-c", str(REPO / ".yamllint.yaml"), str(tmp_path))
    assert done.returncode == 0, done.stdout


def test_pull_request_template_asks_for_sources_with_locators() -> None:
    text = (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8").lower()
    for phrase in ("source", "locator", "make check", "permalinks"):
        assert phrase in text, phrase


def test_contributing_guide_covers_every_type() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for entry_type in ENTRY_TYPES:
        assert f"python -m generator new {entry_type.name} " in text, entry_type.name
        assert f"content/{entry_type.folder}/" in text, entry_type.folder
    for phrase in ("@article{", "locator", "make check", "yaml.schemas", "disagreement", "permalinks"):
        assert phrase in text, phrase


def test_contributing_examples_pass_the_check(tmp_path: Path) -> None:
    """The worked examples in CONTRIBUTING.md are real: copied into a project, `check` accepts them."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(yaml|bibtex)\n[#%] ((?:content|bibliography)/\S+)\n(.*?)```", text, re.S)
    assert len([b for b in blocks if b[0] == "yaml"]) >= len(ENTRY_TYPES)
    for _, path, body in blocks:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as handle:
            handle.write(body)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = cli.main(["--root", str(tmp_path), "check"])
    assert status == 0, err.getvalue()


def test_site_links_checker(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/">A</a><a href="https://example.org/">x</a><a href="#top">t</a>',
                                     encoding="utf-8")
    (site / "a" / "index.html").write_text('<a href="../">home</a>\n<img src="../missing.png">', encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = cli.main(["--root", str(tmp_path), "permalinks", "links", "--site", "site"])
    assert status == 1
    assert err.getvalue().splitlines()[0] == \
        "site/a/index.html:2:1: error[permalink.broken-link]: '../missing.png' (/missing.png) is not in the built site"


DEFAULT_BRANCH_ONLY = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
DEPLOY_KEY = "companion-deploy-${{ github.ref }}-"


def cache_steps(data: dict) -> list[dict]:
    return [step for step in steps(data) if step.get("uses", "").startswith("actions/cache")]


def test_the_deploy_job_restores_only_caches_the_default_branch_wrote() -> None:
    """Restore and save only on the default branch, under a key naming this workflow and the ref."""
    deploy = workflow("deploy.yml")
    found = cache_steps(deploy)
    assert [step["uses"].split("@")[0] for step in found] == ["actions/cache/restore", "actions/cache/save"]
    for step in found:
        assert step["if"] == DEFAULT_BRANCH_ONLY
        assert step["with"]["key"] == DEPLOY_KEY + "${{ github.sha }}"
        assert step["with"]["path"] == ".cache"
    assert found[0]["with"]["restore-keys"] == DEPLOY_KEY
    names = [step.get("run") or step.get("uses") for step in steps(deploy)]
    assert names.index("make site") < names.index(found[1]["uses"]), "only a successful build is saved"


def test_every_cache_of_the_plugin_is_in_the_folder_the_workflows_restore() -> None:
    """The restored folder (``.cache``) is where every cache the plugin reads lives by default,
    the render cache (which names the HTML kept from the previous site) included, and this
    repository's mkdocs.yml moves none of them."""
    from generator.mkdocs_plugin import CompanionConfig

    options = CompanionConfig()
    options.load_dict({})
    assert not options.validate()[0]
    paths = {name: options[name]
             for name in ("cache_dir", "entry_cache", "bibliography_cache", "page_cache", "render_cache",
                          "search_cache")}
    assert all(path.startswith(".cache/") for path in paths.values()), paths
    config = (WORKFLOWS.parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    assert not any(f"{name}:" in config for name in paths)


def test_no_other_workflow_saves_a_cache() -> None:
    """Pull requests only read the default branch's caches: nothing they run reaches a cache."""
    for path in sorted(WORKFLOWS.glob("*.yml")):
        if path.name == "deploy.yml":
            continue
        for step in cache_steps(workflow(path.name)):
            assert step["uses"].split("@")[0] == "actions/cache/restore", (path.name, step)
    pr = cache_steps(workflow("pr.yml"))
    assert len(pr) == 1
    assert pr[0]["with"]["restore-keys"] == \
        "companion-deploy-refs/heads/${{ github.event.repository.default_branch }}-"
