"""The entry cache: a rebuild parses only the files that changed, and gives the same site.

Every test compares against a build with no cache at all, so a stale record would show
up as a difference in some page or diagnostic.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

import generator.load.loader as loader
from generator.load import entry_cache
from generator.pipeline import ProjectConfig, build

FIXTURE = Path(__file__).parent / "fixtures" / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    return root


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the entry files actually parsed (not taken from the cache)."""
    calls: list[str] = []
    real = loader.check_entry

    def spy(entry_type, data, path, diagnostics):
        calls.append(path)
        return real(entry_type, data, path, diagnostics)

    monkeypatch.setattr(loader, "check_entry", spy)
    return calls


def config(root: Path, cache: bool = True) -> ProjectConfig:
    return ProjectConfig.for_project(root, format_citations=False, use_history=False, today_year=2026,
                                     **({} if cache else {"entry_cache": None}))


def entry_files(root: Path) -> list[Path]:
    return sorted((root / "content").glob("*/*.yaml"))


def test_a_rebuild_parses_nothing_and_gives_the_same_site(project: Path, parsed: list[str]) -> None:
    first = build(config(project))
    assert first.ok, first.diagnostics.report()
    assert len(parsed) == len(entry_files(project)) >= 5
    parsed.clear()
    second = build(config(project))
    assert parsed == []
    assert second.files == first.files


def test_editing_one_entry_parses_only_that_file(project: Path, parsed: list[str]) -> None:
    build(config(project))
    edited = next(p for p in entry_files(project) if p.parent.name == "organisations")
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    parsed.clear()
    warm = build(config(project))
    assert parsed == [edited.relative_to(project).as_posix()]
    cold = build(config(project, cache=False))
    assert warm.ok and warm.files == cold.files
    assert any("Renamed" in page for page in warm.files.values() if isinstance(page, str))


def test_diagnostics_come_back_from_the_cache(project: Path, parsed: list[str]) -> None:
    broken = entry_files(project)[0]
    broken.write_text(broken.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")
    first = build(config(project))
    parsed.clear()
    second = build(config(project))
    assert parsed == []
    assert not first.ok
    assert second.diagnostics.report() == first.diagnostics.report()
    assert second.files == {}


def test_a_changed_generator_starts_from_an_empty_cache(project: Path, parsed: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    build(config(project))
    monkeypatch.setattr(entry_cache, "fingerprint", lambda: "another generator")
    parsed.clear()
    build(config(project))
    assert len(parsed) == len(entry_files(project))


def test_removed_files_leave_the_cache(project: Path) -> None:
    build(config(project))
    cache_file = project / ".cache" / "entries.pickle"
    before = len(pickle.loads(cache_file.read_bytes())["records"])
    entry_files(project)[-1].unlink()
    build(config(project))
    assert len(pickle.loads(cache_file.read_bytes())["records"]) == before - 1


class _Payload:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize("content", [
    b"", b"not a pickle", b"\x80\x05\x95",  # empty, garbage, truncated
    pickle.dumps(["a list"]),
    pickle.dumps(_Payload()),  # would run a command if the cache were loaded with plain pickle
    "records",  # a well-formed file whose records hold a payload
], ids=["empty", "garbage", "truncated", "foreign", "payload-file", "payload-record"])
def test_a_damaged_or_hostile_cache_is_ignored(project: Path, parsed: list[str], content, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    reference = build(config(project, cache=False))
    build(config(project))
    cache_file = project / ".cache" / "entries.pickle"
    if content == "records":
        stored = pickle.loads(cache_file.read_bytes())
        stored["records"] = {key: pickle.dumps(_Payload()) for key in stored["records"]}
        content = pickle.dumps(stored)
    cache_file.write_bytes(content)
    parsed.clear()
    result = build(config(project))
    assert not (tmp_path / "PWNED").exists()
    assert len(parsed) == len(entry_files(project))
    assert result.files == reference.files
    assert pickle.loads(cache_file.read_bytes())["fingerprint"] == entry_cache.fingerprint()
