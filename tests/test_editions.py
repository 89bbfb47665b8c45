"""An edition cut as deploy.yml cuts it (tag, `mike deploy`), beside the living site: every
address either prints for citing resolves to a page that was built (issue 16).

Checked: canonical links, Open Graph and reference-manager meta tags, JSON-LD, COinS, the
"cite this page" boxes (addresses, formatted references, BibTeX), the edition banner, the
editions page and the redirect pages.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SITE_URL = "https://companion.example.net/er/"
URL = re.compile(r"https://companion\.example\.net/er/[^\s\"'<>)}&\]]*")

pytestmark = pytest.mark.skipif(not (BIN / "mike").exists() or shutil.which("git") is None,
                                reason="mike (the test extra) and git are needed")


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(cwd),
            "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "SITE_URL": SITE_URL, **env}
    for name in ("SITE_EDITION", "MIKE_DOCS_VERSION", "SOURCE_DATE_EPOCH"):
        if name not in env:
            full.pop(name, None)
    run = subprocess.run(args, cwd=cwd, env=full, capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, f"{args}: {run.stderr[-3000:]}"
    return run


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A scratch repository with edition v0.2 on gh-pages and the living site built after it."""
    root = tmp_path_factory.mktemp("editions")
    project = root / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "types.yaml", "docs", "overrides", "bibliography", "content", "generator"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
        else:
            shutil.copy2(src, project / name)
    citeproc = REPO / "generator" / "citeproc" / "node_modules"
    if citeproc.exists():
        (project / "generator" / "citeproc" / "node_modules").symlink_to(citeproc.resolve())
    (project / ".gitignore").write_text("site/\n.cache/\nnode_modules\n")
    _run(["git", "init", "-q", "-b", "main"], project)
    _run(["git", "add", "-A"], project)
    _run(["git", "commit", "-q", "-m", "content"], project)
    _run(["git", "tag", "-a", "v0.2", "-m", "Edition 0.2"], project)
    # Exactly the deploy workflow's command, without --push.
    _run(["mike", "deploy", "--update-aliases", "--alias-type=redirect", "--title", "v0.2", "v0.2", "latest"],
         project, SITE_EDITION="v0.2")
    _run(["mkdocs", "build", "--strict", "--site-dir", str(project / "site")], project)
    published = root / "published"
    shutil.copytree(project / "site", published)
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=project, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(published)], input=archive, check=True)
    return {"published": published}


def _addresses(page: Path) -> set[str]:
    text = html.unescape(page.read_text(encoding="utf-8"))
    found = set(URL.findall(text))
    for match in re.findall(r'class="Z3988" title="([^"]*)"', text):
        found |= set(URL.findall(unquote(match)))
    return {url.rstrip(".,;") for url in found}


def _resolves(published: Path, url: str) -> bool:
    path = published / url[len(SITE_URL):].split("#")[0]
    return (path / "index.html").is_file() if url.endswith("/") else path.is_file() or (path / "index.html").is_file()


def test_every_printed_address_resolves(sites: dict[str, Path]) -> None:
    published = sites["published"]
    pages = sorted(p for p in published.rglob("*.html") if "assets" not in p.parts)
    assert (published / "v0.2" / "organisations" / "csto" / "index.html").is_file()
    broken, checked = [], 0
    for page in pages:
        for url in _addresses(page):
            checked += 1
            if not _resolves(published, url):
                broken.append(f"{page.relative_to(published)}: {url}")
    assert not broken, "\n".join(broken[:30])
    assert checked > 1500  # every page prints its own address at least (1,901 when written)


def test_edition_pages_cite_the_edition(sites: dict[str, Path]) -> None:
    published = sites["published"]
    page = html.unescape((published / "v0.2" / "organisations" / "csto" / "index.html").read_text(encoding="utf-8"))
    edition_url = SITE_URL + "v0.2/organisations/csto/"
    assert f'<link rel="canonical" href="{edition_url}">' in page
    assert f'<meta property="og:url" content="{edition_url}">' in page
    assert '<meta name="prism.edition" content="v0.2">' in page
    assert f"url = {{{edition_url}}}" in page and "version = {v0.2}" in page
    assert "You are reading edition v0.2" in page and f'href="{SITE_URL}organisations/csto/"' in page
    json_ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page).group(1))
    assert json_ld["url"] == edition_url
    editions = html.unescape((published / "v0.2" / "editions" / "index.html").read_text(encoding="utf-8"))
    assert f'href="{SITE_URL}v0.2/"' in editions
    for text in (page, editions):
        assert "v0.2organisations" not in text and "/v0.2/v0.2/" not in text


def test_living_pages_after_the_tag_cite_the_living_site(sites: dict[str, Path]) -> None:
    page = html.unescape((sites["published"] / "organisations" / "csto" / "index.html").read_text(encoding="utf-8"))
    assert "v0.2" not in page.split("cite-this-page", 1)[1].split("</details>", 1)[0]
    assert f'<link rel="canonical" href="{SITE_URL}organisations/csto/">' in page
    assert "urldate = {" in page and "edition-banner" not in page
    editions = html.unescape((sites["published"] / "editions" / "index.html").read_text(encoding="utf-8"))
    assert f'href="{SITE_URL}v0.2/"' in editions
