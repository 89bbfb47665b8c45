"""A rebuild renders only what changed, and its site is the one a build from nothing makes.

One copy of the fixture project (its theme overrides copied in, so that they can be edited)
goes through a series of edits; after each, ``mkdocs build --strict`` rebuilds it with every
cache kept, and the site is compared file by file with a build of the same project from empty
caches. The log says how many pages were kept, or why every page was rendered.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from generator import render_cache, render_stamp
from tests.test_nothing_lost import tree_hash
from tests.test_site_build import ENV, MKDOCS, REPO, copy_fixture

KEPT = re.compile(r"companion: ([\d,]+) of ([\d,]+) pages kept from the previous build; ([\d,]+) converted")
EVERY = re.compile(r"companion: rendering every page: (.+)")


def mkdocs(project: Path, site: Path) -> str:
    run = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=project,
                         env={**ENV, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-4000:]
    return run.stderr


def clean_build(project: Path, out: Path) -> dict[str, str]:
    """The project built with no cache at all (the project's caches are put back afterwards)."""
    kept = project.parent / f"{project.name}.cache-aside"
    shutil.move(project / ".cache", kept)
    try:
        mkdocs(project, out)
    finally:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.move(kept, project / ".cache")
    return tree_hash(out)


def outcome(log: str) -> tuple[int, int, int] | str:
    """``(kept, pages, converted)`` from the build's log, or the reason every page was rendered."""
    if (every := EVERY.search(log)) is not None:
        return every.group(1)
    found = KEPT.search(log)
    assert found is not None, log[-3000:]
    return tuple(int(n.replace(",", "")) for n in found.groups())  # type: ignore[return-value]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with its own copy of the theme overrides, built once (caches filled)."""
    root = copy_fixture(tmp_path_factory.mktemp("incremental"))
    shutil.copytree(REPO / "overrides", root / "theme", ignore=shutil.ignore_patterns("generator"))
    edit(root / "mkdocs.yml", f"custom_dir: {REPO / 'overrides'}", "custom_dir: theme")
    first = mkdocs(root, root / "site")
    assert outcome(first) == "no render cache yet (.cache/render.json)"
    second = mkdocs(root, root / "site")
    kept, pages, converted = outcome(second)
    assert (kept, converted) == (pages, 0), second[-2000:]
    return root


def _entry(root: Path) -> None:
    edit(root / "content/organisations/csto.yaml", "summary: ", "summary: Edited for the rebuild test. ")


def _source(root: Path) -> None:
    bib = root / "bibliography/seeds.bib"
    text = bib.read_text(encoding="utf-8")
    title = re.search(r"title\s*=\s*\{([^}]*)\}", text)
    assert title is not None
    bib.write_text(text.replace(title.group(0), title.group(0).replace(title.group(1), title.group(1) + " (revised)"),
                                1), encoding="utf-8")


def _generator_template(root: Path) -> None:
    folder = root / "overrides/generator"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "home.md.jinja").write_text(
        '{% extends "generator/home.md.jinja" %}\n{% block intro %}\nAn introduction added by an override.\n\n'
        "{% endblock %}\n", encoding="utf-8")


def _theme_template(root: Path) -> None:
    edit(root / "theme/main.html", "{% block scripts %}", "{% block scripts %}\n  <!-- edited -->")


def _settings(root: Path) -> None:
    edit(root / "mkdocs.yml", 'site_name: "Fixture companion"', 'site_name: "Fixture companion, renamed"')


def _deletion(root: Path) -> None:
    (root / "content/events/csto-charter-2002.yaml").unlink()


def _rename_with_alias(root: Path) -> None:
    old = root / "content/concepts/dead-letter-regime.yaml"
    text = old.read_text(encoding="utf-8").replace("id: dead-letter-regime", "id: dead-letters\naliases: [dead-letter-regime]")
    (root / "content/concepts/dead-letters.yaml").write_text(text, encoding="utf-8")
    old.unlink()
    edit(root / "content/organisations/csto.yaml", "[[dead-letter-regime]]", "[[dead-letters]]")
    edit(root / "content/organisations/csto.yaml", "related: [dead-letter-regime]", "related: [dead-letters]")


# Each edit, and what the rebuild must do: keep pages ("kept") or render every page, saying why.
EDITS: list[tuple[str, Callable[[Path], None], str]] = [
    ("an entry", _entry, "kept"),
    ("a source (.bib)", _source, "kept"),
    ("a generator template override", _generator_template, "kept"),
    ("a theme template override", _theme_template, "the theme or its overrides changed"),
    ("the settings (mkdocs.yml)", _settings, "mkdocs.yml or the settings changed"),
    ("a deletion", _deletion, "kept"),
    ("a rename with an alias", _rename_with_alias, "kept"),
]


def test_each_kind_of_edit_rebuilds_to_the_site_a_clean_build_makes(project: Path, tmp_path: Path) -> None:
    for number, (name, change, expected) in enumerate(EDITS):
        before = tree_hash(project / "site")
        change(project)
        log = mkdocs(project, project / "site")
        result = outcome(log)
        if expected == "kept":
            assert isinstance(result, tuple), (name, result)
            kept, pages, converted = result
            assert 0 < kept < pages, (name, result)
            assert converted == pages - kept, (name, result)
        else:
            assert result == expected, (name, result)
        rebuilt = tree_hash(project / "site")
        assert rebuilt != before, name
        clean = clean_build(project, tmp_path / f"clean-{number}")
        differing = sorted(p for p in set(rebuilt) | set(clean) if rebuilt.get(p) != clean.get(p))
        assert not differing, (name, differing[:20])
        # and once more with nothing changed: every page kept, the same site
        again = outcome(mkdocs(project, project / "site"))
        assert isinstance(again, tuple) and again[0] == again[1] and again[2] == 0, (name, again)
        assert tree_hash(project / "site") == rebuilt, name


# -- a render cache that is damaged or forged -------------------------------------------------

class _Touch:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import os
        return (os.system, (f"touch {self.marker}",))


def _records(path: Path, change: Callable[[dict], object]) -> bytes:
    stored = json.loads(path.read_bytes())
    stored["pages"] = {uri: change(record) for uri, record in stored["pages"].items()}
    return json.dumps(stored).encode()


def _forge_title(record: dict) -> dict:
    return {**record, "title": "<script>alert(1)</script>", "key": "0" * 64}


HOSTILE: dict[str, Callable[[Path, Path], None]] = {
    "not JSON": lambda cache, m: cache.write_bytes(b"\xff\xfe\x00garbage"),
    "truncated": lambda cache, m: cache.write_bytes(cache.read_bytes()[:200]),
    "a pickle payload": lambda cache, m: cache.write_bytes(pickle.dumps(_Touch(m))),
    "nested too deep": lambda cache, m: cache.write_bytes(b"[" * 100000 + b"]" * 100000),
    "a folder": lambda cache, m: (cache.unlink(), (cache / "x").mkdir(parents=True)),
    "records of the wrong shape": lambda cache, m: cache.write_bytes(_records(cache, lambda r: {**r, "toc": "x",
                                                                                               "lookups": 7})),
    "records not objects": lambda cache, m: cache.write_bytes(_records(cache, lambda r: [r])),
    "lookups out of the table": lambda cache, m: cache.write_bytes(_records(cache, lambda r: {
        **r, "lookups": [*r["lookups"], 10**6]})),
    "a damaged lookup table": lambda cache, m: cache.write_text(json.dumps({**json.loads(cache.read_text()),
                                                                            "lookups": [["x", 7, "no"]]})),
    "another format": lambda cache, m: cache.write_text(json.dumps({**json.loads(cache.read_text()), "format": 99})),
    "a forged key": lambda cache, m: cache.write_bytes(_records(cache, _forge_title)),
    "forged HTML digests": lambda cache, m: cache.write_bytes(_records(cache, lambda r: {**r, "html": "0" * 64})),
}


@pytest.fixture(scope="module")
def hostile_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The fixture project built twice (render cache filled), a pristine copy of it, and its site from
    empty caches. Each test puts the pristine copy back at the same path (the settings' key includes
    the project's paths: a project moved elsewhere renders every page)."""
    base = tmp_path_factory.mktemp("hostile")
    root = copy_fixture(base)
    mkdocs(root, root / "site")
    mkdocs(root, root / "site")
    assert (root / ".cache/render.json").is_file()
    clean = clean_build(root, base / "clean")
    shutil.copytree(root, base / "pristine", symlinks=True)
    return root, base / "pristine", clean


def restored(hostile_base) -> tuple[Path, dict[str, str]]:
    root, pristine, clean = hostile_base
    shutil.rmtree(root)
    shutil.copytree(pristine, root, symlinks=True)
    return root, clean


@pytest.mark.parametrize("damage", list(HOSTILE))
def test_a_damaged_or_forged_render_cache_is_ignored(damage: str, hostile_base, tmp_path: Path) -> None:
    root, clean = restored(hostile_base)
    marker = tmp_path / "PWNED"
    HOSTILE[damage](root / ".cache/render.json", marker)
    log = mkdocs(root, root / "site")
    assert not marker.exists(), "the render cache ran code"
    assert tree_hash(root / "site") == clean
    result = outcome(log)
    if damage in ("a forged key", "forged HTML digests", "records not objects", "records of the wrong shape",
                  "lookups out of the table"):
        assert isinstance(result, tuple) and result[0] == 0, result
    else:
        assert result == "no render cache yet (.cache/render.json)", result
    assert "<script>alert(1)</script>" not in (root / "site/index.html").read_text(encoding="utf-8")
    if damage != "a folder":
        again = outcome(mkdocs(root, root / "site"))
        assert isinstance(again, tuple) and again[0] == again[1], (damage, again)


def test_a_tampered_previous_page_is_not_kept(hostile_base) -> None:
    """A page of the previous site that differs from what was recorded is rendered again."""
    root, clean = restored(hostile_base)
    page = root / "site/organisations/csto/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>INJECTED</p></article>"),
                    encoding="utf-8")
    log = mkdocs(root, root / "site")
    kept, pages, converted = outcome(log)
    assert kept == pages - 1 and converted == 1
    assert tree_hash(root / "site") == clean


def test_a_plugin_not_known_to_be_safe_renders_every_page(hostile_base) -> None:
    root, _ = restored(hostile_base)
    edit(root / "mkdocs.yml", "plugins:\n", "plugins:\n  - search\n")
    log = mkdocs(root, root / "site")
    assert outcome(log) == "plugin(s) not known to be safe with kept pages: material/search"


def test_the_cache_is_json_and_lists_hand_written_pages_only_with_pure_extensions(hostile_base) -> None:
    """Hand-written pages are kept while every Markdown extension reads nothing but the page;
    with one that reads other files (``pymdownx.snippets``), only the generator's pages are."""
    root, _ = restored(hostile_base)
    stamp, records = render_cache.read_records(root / ".cache/render.json")
    assert stamp is not None and set(stamp) == set(render_stamp.REASONS)
    assert "about.md" in records and "organisations/csto/index.md" in records
    edit(root / "mkdocs.yml", "  - tables\n", "  - tables\n  - pymdownx.snippets\n")
    mkdocs(root, root / "site")
    again = outcome(mkdocs(root, root / "site"))
    assert isinstance(again, tuple) and again[0] == again[1], again
    _, records = render_cache.read_records(root / ".cache/render.json")
    assert "about.md" not in records and "organisations/csto/index.md" in records


# -- a page documented with mkdocstrings ----------------------------------------------------------

SHAPES = '''"""Shapes, for the tests of kept pages."""


class Square:
    """A square.

    Attributes:
        side: the length of its side.
    """

    side: float = 1.0


def area(square: Square) -> float:
    """The area of a [square][shapes.square.Square].

    Args:
        square: the square.
    """
    return square.side**2
'''


@pytest.fixture(scope="module")
def api_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with a page of API reference (mkdocstrings) and a hand-written page that
    links to one of its objects, built twice."""
    root = copy_fixture(tmp_path_factory.mktemp("api"))
    (root / "shapes").mkdir()
    (root / "shapes/__init__.py").write_text('"""Shapes, for the tests of kept pages."""\n', encoding="utf-8")
    (root / "shapes/square.py").write_text(SHAPES, encoding="utf-8")
    (root / "docs/api.md").write_text("# Shapes\n\n::: shapes\n    options:\n      show_submodules: true\n",
                                      encoding="utf-8")
    edit(root / "docs/about.md", "A small companion", "A small companion (see [the area][shapes.square.area])")
    edit(root / "mkdocs.yml", "markdown_extensions:", "  - mkdocstrings:\n      handlers:\n        python:\n"
         "          paths: [.]\nmarkdown_extensions:")
    assert outcome(mkdocs(root, root / "site")) == "no render cache yet (.cache/render.json)"
    kept, pages, converted = outcome(mkdocs(root, root / "site"))
    assert (kept, converted) == (pages, 0)
    _, records = render_cache.read_records(root / ".cache/render.json")
    sources = records["api.md"]["sources"]
    assert records["api.md"]["inventory"] and any(path.endswith("shapes/square.py") for path in sources), sources
    assert any(path.endswith("shapes/") for path in sources), sources  # the package's folder, by its listing
    assert [r[:2] for r in records["about.md"]["resolved"]] == [["shapes.square.area", "../api/#shapes.square.area"]], \
        records["about.md"]
    return root


API_EDITS: list[tuple[str, Callable[[Path], None], set[str]]] = [
    ("an entry", _entry, set()),
    ("the documented code", lambda root: edit(root / "shapes/square.py", "A square.", "A square, edited."), {"api"}),
    ("a module added to the documented package", lambda root: (root / "shapes/circle.py").write_text(
        '"""Circles."""\n\n\ndef circumference(radius: float) -> float:\n    """Its circumference."""\n'
        "    return 6.28 * radius\n", encoding="utf-8"), {"api"}),
    ("the API page's address (the hand-written page's link resolves elsewhere)",
     lambda root: (root / "docs/api.md").rename(root / "docs/code.md"), {"about", "api"}),  # api/ is gone
]
"""Each edit, and which of the pages ``about/`` and ``api/`` are not the previous build's file (the others
are kept)."""


def _inode(site: Path, page: str) -> int | None:
    path = site / page / "index.html"
    return path.stat().st_ino if path.exists() else None


def test_a_page_documented_with_mkdocstrings_is_kept_until_its_code_or_links_change(api_project: Path,
                                                                                   tmp_path: Path) -> None:
    site = api_project / "site"
    for number, (name, change, converted_pages) in enumerate(API_EDITS):
        before = {page: _inode(site, page) for page in ("about", "api")}
        change(api_project)
        kept, pages, converted = outcome(mkdocs(api_project, site))
        assert kept < pages, (name, kept, pages)
        # A kept page is the previous site's file, linked: the same inode.
        assert {page for page, inode in before.items() if _inode(site, page) != inode} == converted_pages, name
        rebuilt = tree_hash(site)
        clean = clean_build(api_project, tmp_path / f"clean-{number}")
        differing = sorted(p for p in set(rebuilt) | set(clean) if rebuilt.get(p) != clean.get(p))
        assert not differing, (name, differing[:20])  # objects.inv and mkdocstrings' CSS included
        assert "objects.inv" in rebuilt and "assets/_mkdocstrings.css" in rebuilt
        again = outcome(mkdocs(api_project, site))
        assert isinstance(again, tuple) and again[0] == again[1] and again[2] == 0, (name, again)
        assert tree_hash(site) == rebuilt, name


def test_a_kept_page_that_a_hook_fills_is_unlinked_before_mkdocs_writes_it(tmp_path: Path) -> None:
    """A kept page's file is a hard link to the previous site's: if some ``on_post_page`` hook gives
    the page content after all, the link goes before MkDocs writes, so the write cannot reach the
    previous site's file (and the page is not recorded as kept)."""
    import hashlib
    from types import SimpleNamespace

    previous, new = tmp_path / "previous", tmp_path / "new"
    (previous / "a").mkdir(parents=True)
    (previous / "a/index.html").write_text("the previous page", encoding="utf-8")
    digest = hashlib.sha256(b"the previous page").hexdigest()
    cache = render_cache.RenderCache(tmp_path / "render.json", {"code": "x"}, previous, None)
    assert cache._link_previous("a/index.html", digest, new)
    assert (new / "a/index.html").stat().st_ino == (previous / "a/index.html").stat().st_ino
    cache.kept["a.md"] = cache.kept_files["a/index.html"] = digest
    cache._new["a.md"] = {"html": digest}
    cache._site_dir = new
    page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md", dest_uri="a/index.html"))
    cache.written(page, "  \n")  # the empty template's output: still kept
    assert "a.md" in cache.kept and (new / "a/index.html").exists()
    cache.written(page, "<p>content after all</p>")
    assert "a.md" not in cache.kept and "a/index.html" not in cache.kept_files
    assert cache._new["a.md"]["html"] is None
    assert not (new / "a/index.html").exists()
    assert (previous / "a/index.html").read_text(encoding="utf-8") == "the previous page"
