"""No cache file, whatever its bytes, runs code or breaks the build.

Every case starts from the fixture project with all caches filled by a real build (citations
formatted by citeproc-js), damages or forges one cache, builds again and checks that the
files are those of a build without any cache, that nothing ran (each payload would create a
marker file) and that the cache was written afresh (unless a folder stands where the cache
file should be: the build does not delete what it did not write, and runs without that cache).
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import shutil
from pathlib import Path
from typing import Callable

import jinja2
import pytest

from generator.load import entry_cache
from generator.render import page_cache
from generator.pipeline import ProjectConfig, build
from generator.render.renderer import PACKAGE_TEMPLATES

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def config(root: Path, **options) -> ProjectConfig:
    return ProjectConfig.for_project(root, use_history=False, today_year=2026, **options)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str | bytes]]:
    """A copy of the fixture with every cache filled, and the files of a build without caches."""
    root = tmp_path_factory.mktemp("filled") / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    reference = build(config(root, cache_dir=None, entry_cache=None, bibliography_cache=None, page_cache=None))
    assert reference.ok, reference.diagnostics.report()
    assert build(config(root)).files == reference.files
    return root, reference.files


def _global(module: str, name: str) -> bytes:
    """Protocol-4 opcodes pushing ``module.name`` (a dotted name walks attributes)."""
    out = b""
    for text in (module, name):
        data = text.encode()
        out += pickle.SHORT_BINUNICODE + bytes([len(data)]) + data
    return out + pickle.STACK_GLOBAL


def _text(value: str) -> bytes:
    data = value.encode()
    return pickle.SHORT_BINUNICODE + bytes([len(data)]) + data


def touch_via(module: str, marker: Path) -> bytes:
    """A pickle calling ``<module>.Path.touch(<module>.Path(marker))``, as an allow-list by module let it."""
    return (pickle.PROTO + b"\x04" + _global(module, "Path.touch") + _global(module, "Path")
            + _text(str(marker)) + pickle.TUPLE1 + pickle.REDUCE + pickle.TUPLE1 + pickle.REDUCE + pickle.STOP)


class _Touch:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _records(path: Path, forge: Callable[[str], bytes]) -> bytes:
    """The entry cache file with every record replaced by ``forge(key)``."""
    stored = pickle.loads(path.read_bytes())
    stored["records"] = {key: forge(key) for key in stored["records"]}
    return pickle.dumps(stored)


def _bad_entry(key: str) -> bytes:
    from generator.load.loader import Entry
    from generator.schema.types import entry_type_named

    return pickle.dumps((Entry(type=entry_type_named("concept"), id=5, path=None, data=[], name=7), [None]))


def _bib_cache(root: Path) -> Path:
    return root / ".cache/bibliography.pickle"


def _bib_record(root: Path, record: bytes) -> None:
    """The bibliography cache with its record replaced by ``record`` (its key still matching)."""
    stored = pickle.loads(_bib_cache(root).read_bytes())
    stored["record"] = record
    _bib_cache(root).write_bytes(pickle.dumps(stored))


def _bad_bibliography() -> bytes:
    from generator.bibliography.model import BibEntry, Bibliography

    return pickle.dumps((Bibliography({"a": BibEntry("b", "book", {}, None, {}, "")}), []))


def _jinja_payloads(cache: Path, marker: Path) -> None:
    """Jinja bytecode files for every package template, each of whose code creates ``marker``."""
    cache.mkdir(parents=True, exist_ok=True)
    code = compile(f"import pathlib; pathlib.Path({str(marker)!r}).touch()", "<payload>", "exec")
    keys = jinja2.BytecodeCache()
    for template in PACKAGE_TEMPLATES.rglob("*"):
        if template.is_file():
            name = template.relative_to(PACKAGE_TEMPLATES).as_posix()
            checksum = keys.get_source_checksum(template.read_text(encoding="utf-8"))
            blob = jinja2.bccache.bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code)
            (cache / f"__jinja2_{keys.get_cache_key(name, str(template))}.cache").write_bytes(blob)


def _damage_tables(root: Path) -> None:
    """Each citation table in turn: invalid UTF-8, truncated, nested too deep, values of the wrong
    type, items not a table, a folder instead of the file."""
    damages: list[Callable[[Path], None]] = [
        lambda t: t.write_bytes(b'{"version": "1", "items": {"\xff": "\xfe"}}'),
        lambda t: t.write_bytes(t.read_bytes()[:20]),
        lambda t: t.write_bytes(b'{"version": "1", "items": ' + b"[" * 100000 + b"]" * 100000 + b"}"),
        lambda t: t.write_text(json.dumps({**json.loads(t.read_text(encoding="utf-8")),
                                           "items": {k: {"html": 1} for k in json.loads(t.read_text())["items"]}})),
        lambda t: t.write_text(json.dumps({"version": "1", "items": [1, 2]})),
        _replace_with_folder,
    ]
    tables = sorted((root / ".cache/citations").rglob("*.json"))
    assert len(tables) >= len(damages)
    for index, table in enumerate(tables):
        damages[index % len(damages)](table)


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    (path / "x").mkdir(parents=True)


def _buckets(root: Path) -> list[Path]:
    """The page cache's files (every one of them holds pages in a project this size)."""
    found = sorted((root / ".cache/pages").glob("*.pickle"))
    assert len(found) == page_cache.BUCKETS
    return found


def _forge_rows(root: Path) -> None:
    """Every kept data-table row replaced by a well-shaped one whose sort key is a number where the
    table sorts by text (sorting it among the real rows would raise TypeError)."""
    forged = 0
    for bucket in _buckets(root):
        stored = pickle.loads(bucket.read_bytes())
        for name, (key, _) in stored["pages"].items():
            if page_cache.DERIVED_SEPARATOR in name:
                stored["pages"][name] = (key, ((((1,), "1\n", "{}"),), ()))
                forged += 1
        bucket.write_bytes(pickle.dumps(stored))
    assert forged


def _swap_buckets(root: Path) -> None:
    """Two page-cache files exchanged: each holds well-formed pages, filed under the wrong hash."""
    first, second = _buckets(root)[:2]
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)


CASES: dict[str, Callable[[Path, Path], None]] = {
    # .cache as a whole
    "cache is a file": lambda root, m: (shutil.rmtree(root / ".cache"), (root / ".cache").write_bytes(b"\xff\xfe")),
    # the entry cache
    "entries: truncated": lambda root, m: (root / ".cache/entries.pickle").write_bytes(
        (root / ".cache/entries.pickle").read_bytes()[:100]),
    "entries: not a pickle": lambda root, m: (root / ".cache/entries.pickle").write_bytes(b"\xff\xfe\x00garbage"),
    "entries: a folder": lambda root, m: _replace_with_folder(root / ".cache/entries.pickle"),
    "entries: os.system payload": lambda root, m: (root / ".cache/entries.pickle").write_bytes(
        pickle.dumps(_Touch(m))),
    "entries: payload records": lambda root, m: (root / ".cache/entries.pickle").write_bytes(
        _records(root / ".cache/entries.pickle", lambda key: pickle.dumps(_Touch(m)))),
    "entries: Path.touch through an allowed module": lambda root, m: (root / ".cache/entries.pickle").write_bytes(
        _records(root / ".cache/entries.pickle", lambda key: touch_via("generator.load.loader", m))),
    "entries: Path.touch through diagnostics": lambda root, m: (root / ".cache/entries.pickle").write_bytes(
        _records(root / ".cache/entries.pickle", lambda key: touch_via("generator.diagnostics", m))),
    "entries: records of the wrong shape": lambda root, m: (root / ".cache/entries.pickle").write_bytes(
        _records(root / ".cache/entries.pickle", _bad_entry)),
    "entries: records that are not pickles": lambda root, m: (root / ".cache/entries.pickle").write_bytes(
        _records(root / ".cache/entries.pickle", lambda key: b"\x80\x05truncated")),
    # the page cache
    "pages: truncated": lambda root, m: [bucket.write_bytes(bucket.read_bytes()[:100]) for bucket in _buckets(root)],
    "pages: os.system payload": lambda root, m: [bucket.write_bytes(pickle.dumps(_Touch(m))) for bucket in _buckets(root)],
    "pages: Path.touch through an allowed module": lambda root, m: [
        bucket.write_bytes(touch_via("generator.load.loader", m)) for bucket in _buckets(root)],
    "pages: each file a folder": lambda root, m: [_replace_with_folder(bucket) for bucket in _buckets(root)],
    "pages: a file instead of the folder": lambda root, m: (shutil.rmtree(root / ".cache/pages"),
                                                            (root / ".cache/pages").write_bytes(b"\xff\xfe")),
    "pages: pages moved to another file": lambda root, m: _swap_buckets(root),
    "pages: data rows whose sort keys cannot be compared": lambda root, m: _forge_rows(root),
    # the bibliography cache
    "bibliography: truncated": lambda root, m: _bib_cache(root).write_bytes(_bib_cache(root).read_bytes()[:100]),
    "bibliography: os.system payload": lambda root, m: _bib_cache(root).write_bytes(pickle.dumps(_Touch(m))),
    "bibliography: payload record": lambda root, m: _bib_record(root, pickle.dumps(_Touch(m))),
    "bibliography: Path.touch through an allowed module": lambda root, m: _bib_record(
        root, touch_via("generator.bibliography.model", m)),
    "bibliography: a record of the wrong shape": lambda root, m: _bib_record(root, _bad_bibliography()),
    "bibliography: a folder": lambda root, m: _replace_with_folder(_bib_cache(root)),
    # the citation cache: each table damaged a different way (one citeproc-js run for all)
    "citations: every table damaged": lambda root, m: _damage_tables(root),
    "styles: invalid UTF-8": lambda root, m: [s.write_bytes(b"\xff\xfe<style/>")
                                              for s in (root / ".cache/citations/pages/styles").glob("*.csl")],
    "styles: a folder": lambda root, m: [_replace_with_folder(s)
                                         for s in (root / ".cache/citations/pages/styles").glob("*.csl")],
    # compiled templates are no longer cached on disk; forged ones must not be loaded
    "templates: forged Jinja bytecode": lambda root, m: _jinja_payloads(root / ".cache/templates", m),
}


@pytest.mark.parametrize("damage", list(CASES))
def test_a_damaged_or_forged_cache_is_ignored_and_rebuilt(damage: str, filled, tmp_path: Path) -> None:
    source, reference = filled
    root = tmp_path / "site"
    shutil.copytree(source, root, symlinks=True)
    marker = tmp_path / "PWNED"
    CASES[damage](root, marker)
    result = build(config(root))
    assert not marker.exists(), "a cache file ran code"
    assert result.ok, result.diagnostics.report()
    assert result.files == reference
    if (root / ".cache").is_dir() and not (root / ".cache").is_symlink():
        again = build(config(root))
        assert again.files == reference
        if damage.startswith("bibliography") and not damage.endswith("a folder"):
            assert pickle.loads(_bib_cache(root).read_bytes())["format"] == 1
        if damage.startswith(("entries", "pages")) and not damage.endswith(("a folder", "each file a folder",
                                                                                   "a file instead of the folder")):
            assert pickle.loads((root / ".cache/entries.pickle").read_bytes())["fingerprint"] == \
                entry_cache.fingerprint()
            assert again.reused_pages > 0


def test_forged_jinja_bytecode_would_run_if_loaded(tmp_path: Path) -> None:
    """The payload of the "forged Jinja bytecode" case is real: Jinja's own file cache runs it."""
    marker = tmp_path / "PWNED"
    _jinja_payloads(tmp_path / "templates", marker)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)),
                             bytecode_cache=jinja2.FileSystemBytecodeCache(str(tmp_path / "templates")))
    name = next(p for p in PACKAGE_TEMPLATES.rglob("*") if p.is_file()).relative_to(PACKAGE_TEMPLATES).as_posix()
    try:
        env.get_template(name)
    except Exception:  # noqa: BLE001 - the payload defines no template; it has run by then
        pass
    assert marker.exists()


def test_path_touch_payload_would_run_if_loaded(tmp_path: Path) -> None:
    """The dotted-name payload is real: an unpickler that allows a whole module runs it."""
    class ByModule(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "generator.load.loader":
                return super().find_class(module, name)
            raise pickle.UnpicklingError(name)

    import io

    marker = tmp_path / "PWNED"
    ByModule(io.BytesIO(touch_via("generator.load.loader", marker))).load()
    assert marker.exists()
